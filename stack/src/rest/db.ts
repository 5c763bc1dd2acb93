// The only part of the REST service that touches the database: loading the schema cache,
// listening for `NOTIFY pgrst` to reload it, and running a request's statements inside the
// gateway's request scope (db-scope.ts: transaction, role, JWT claims and request GUCs).
import pg from 'pg';
import { inScopedConnection, type RequestScope } from '../kit/db-scope.ts';
import { invalidatePreparedStatements } from '../kit/pipeline.ts';
import { DB_SETTINGS_NAMES, dbSettingsSql } from './db-config.ts';
import type { Runner } from './execute.ts';
import type { SqlStatement } from './render.ts';
import {
  buildSchemaCache,
  FOREIGN_KEYS_SQL,
  ROUTINES_SQL,
  SCHEMAS_SQL,
  TABLES_SQL,
  TIMEZONES_SQL,
  TYPES_SQL,
  VIEW_KEY_DEPENDENCIES_SQL,
  type ForeignKeyRow,
  type ViewKeyDependencyRow,
  type RawSchema,
  type RoutineRow,
  type SchemaCache,
  type TableRow,
} from './schema-cache.ts';

type Log = (record: Record<string, unknown>) => void;

/** Thrown inside the scope to end the transaction with ROLLBACK while keeping the result. */
class RollbackWith<T> {
  constructor(readonly value: T) {}
}

export class RestDatabase {
  private cache: SchemaCache | undefined;
  private loading: Promise<SchemaCache> | undefined;
  private reloadAgain = false;
  private listener: pg.Client | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay = 100;
  lastError: string | undefined;
  /** The in-database configuration (`pgrst.*` role settings, pre-config), keys without `pgrst.`. */
  private dbSettings = new Map<string, string>();
  private settingsLoading: Promise<void> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly schemas: string[],
    private readonly log: Log,
  ) {}

  /** The current schema cache, loading it first if needed. */
  async schemaCache(): Promise<SchemaCache> {
    if (this.cache) return this.cache;
    return this.reload();
  }

  /** Reloads the cache; concurrent calls share one load, and a call during a load queues one more. */
  reload(): Promise<SchemaCache> {
    if (this.loading) {
      this.reloadAgain = true;
      return this.loading;
    }
    const run = async (): Promise<SchemaCache> => {
      try {
        do {
          this.reloadAgain = false;
          const started = performance.now();
          this.cache = await this.introspect();
          // Statements prepared for the previous schema go with it (PostgREST's reload does too).
          invalidatePreparedStatements();
          this.lastError = undefined;
          this.log({
            level: 'info',
            msg: 'rest schema cache loaded',
            tables: this.cache.tables.size,
            functions: [...this.cache.routines.values()].reduce((n, r) => n + r.length, 0),
            duration_ms: Math.round(performance.now() - started),
          });
        } while (this.reloadAgain);
        return this.cache;
      } catch (e) {
        this.lastError = e instanceof Error ? e.message : String(e);
        this.log({ level: 'error', msg: 'rest schema cache load failed', err: this.lastError });
        throw e;
      } finally {
        this.loading = undefined;
      }
    };
    this.loading = run();
    return this.loading;
  }

  private async introspect(): Promise<SchemaCache> {
    const client = await this.pool.connect();
    try {
      await client.query('begin isolation level repeatable read read only');
      const params = [this.schemas];
      const [tables, fks, viewDeps, routines, types, schemas, tzs] = [
        await client.query<TableRow>(TABLES_SQL, params),
        await client.query<ForeignKeyRow>(FOREIGN_KEYS_SQL),
        await client.query<ViewKeyDependencyRow>(VIEW_KEY_DEPENDENCIES_SQL, params),
        await client.query<RoutineRow>(ROUTINES_SQL, params),
        await client.query<{ schema: string; name: string }>(TYPES_SQL, params),
        await client.query<{ schema: string; description: string | null }>(SCHEMAS_SQL, params),
        await client.query<{ name: string }>(TIMEZONES_SQL),
      ];
      await client.query('commit');
      const raw: RawSchema = {
        tables: tables.rows,
        foreignKeys: fks.rows,
        viewKeyDependencies: viewDeps.rows,
        routines: routines.rows,
        types: types.rows,
        schemas: schemas.rows,
        timezones: tzs.rows.map((r) => r.name),
      };
      return buildSchemaCache(raw, this.schemas);
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  /** The last in-database configuration read (empty until read, or when none is set). */
  settingValues(): Map<string, string> {
    return this.dbSettings;
  }

  /**
   * Reads PostgREST's in-database configuration as the pool's role (authenticator): its `pgrst.*`
   * role settings, then again with the pre-config function (env PGRST_DB_PRE_CONFIG or the
   * `pgrst.db_pre_config` role setting) when there is one. On failure the previous values stay.
   */
  reloadSettings(): Promise<void> {
    if (this.settingsLoading) return this.settingsLoading;
    const run = async (): Promise<void> => {
      try {
        const read = async (preConfig: string | null): Promise<Map<string, string>> => {
          const client = await this.pool.connect();
          try {
            await client.query('begin read only');
            const r = await client.query<{ key: string; value: string }>(dbSettingsSql(preConfig), [DB_SETTINGS_NAMES]);
            await client.query('commit');
            return new Map(r.rows.map((x) => [x.key, x.value]));
          } catch (e) {
            await client.query('rollback').catch(() => undefined);
            throw e;
          } finally {
            client.release();
          }
        };
        let values = await read(null);
        const preConfig = process.env.PGRST_DB_PRE_CONFIG || values.get('db_pre_config') || null;
        if (preConfig !== null) values = await read(preConfig);
        this.dbSettings = values;
        if (values.size > 0) this.log({ level: 'info', msg: 'rest in-database config loaded', keys: [...values.keys()] });
      } catch (e) {
        this.log({ level: 'error', msg: 'rest in-database config load failed', err: e instanceof Error ? e.message : String(e) });
      } finally {
        this.settingsLoading = undefined;
      }
    };
    this.settingsLoading = run();
    return this.settingsLoading;
  }

  /** Loads the config and the cache, and listens on channel `pgrst` for reloads, reconnecting on loss. */
  async start(): Promise<void> {
    await this.listen();
    await this.reloadSettings();
    await this.reload().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    // pg-pool keeps the password non-enumerable, so it is copied by name.
    const options = this.pool.options;
    const client = new pg.Client({ ...options, password: options.password, application_name: 'ascend-gateway-rest-listener' } as pg.ClientConfig);
    const lost = (why: string) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      client.removeAllListeners();
      client.end().catch(() => undefined);
      this.log({ level: 'warn', msg: 'rest schema listener lost', err: why });
      this.scheduleListen();
    };
    client.on('error', (e) => lost(e.message));
    client.on('end', () => lost('connection ended'));
    client.on('notification', (n) => {
      const payload = (n.payload ?? '').trim();
      if (payload === 'reload schema' || payload === '') void this.reload().catch(() => undefined);
      if (payload === 'reload config') void this.reloadSettings();
    });
    try {
      await client.connect();
      await client.query('listen pgrst');
      this.listener = client;
      this.retryDelay = 100;
    } catch (e) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      this.log({ level: 'warn', msg: 'rest schema listener cannot connect', err: (e as Error).message });
      this.scheduleListen();
      return;
    }
  }

  private scheduleListen(): void {
    if (this.closed || this.retryTimer) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, 5000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      // After a reconnect the database may have changed (or been rebuilt): reload.
      void this.listen().then(() => (this.listener ? Promise.all([this.reloadSettings(), this.reload().catch(() => undefined)]) : undefined));
    }, delay);
    this.retryTimer.unref();
  }

  /** Runs `fn` in one request-scoped transaction; `fn` decides whether it commits. */
  async inScope<T>(scope: RequestScope, fn: (runner: Runner) => Promise<{ value: T; rollback: boolean }>): Promise<T> {
    try {
      return await inScopedConnection(this.pool, scope, async (scoped) => {
        // Every statement here is rendered with its request's values as parameters (render.ts),
        // so its text is one of a bounded set of shapes: prepared per connection (pipeline.ts).
        const runner: Runner = {
          async query<R>(s: SqlStatement): Promise<R[]> {
            return (await scoped.query({ ...s, prepare: true })).rows as R[];
          },
          async queryAndCommit<R>(s: SqlStatement): Promise<R[]> {
            return (await scoped.query({ ...s, prepare: true }, { commit: true })).rows as R[];
          },
        };
        const { value, rollback } = await fn(runner);
        if (rollback) throw new RollbackWith(value);
        return value;
      });
    } catch (e) {
      if (e instanceof RollbackWith) return e.value as T;
      throw e;
    }
  }

  async health(): Promise<true | string> {
    if (!this.cache) return this.lastError ? `schema cache not loaded: ${this.lastError}` : 'schema cache not loaded';
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const l = this.listener;
    this.listener = undefined;
    if (l) {
      l.removeAllListeners();
      l.on('error', () => undefined);
      await l.end().catch(() => undefined);
    }
  }
}
