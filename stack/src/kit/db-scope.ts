// One request, one transaction, as PostgREST, Storage and Realtime do: switch to the caller's
// role, apply that role's own settings (statement_timeout ...), and set the request GUCs that
// auth.uid(), auth.jwt(), storage.operation() and realtime.topic() read.
import type pg from 'pg';
import { asUnavailable } from './db-errors.ts';
import { runPipelined, type Statement } from './pipeline.ts';

export interface RequestScope {
  /** The database role to act as: the JWT's `role` claim, `anon` without a token. */
  role: string;
  /** The JWT payload; `role` is put in, as PostgREST does, so anon still gets {"role":"anon"}. */
  claims: Record<string, unknown>;
  method?: string;
  path?: string;
  /** Request headers, names lower-cased. */
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
  /** Further transaction-local settings (`search_path`, `storage.operation`, `realtime.topic`). */
  settings?: Record<string, string>;
  readOnly?: boolean;
}

const roleSettingsCache = new Map<string, [string, string][]>();

/** `ALTER ROLE ... SET` values of a role, which `set local role` alone does not apply. */
async function roleSettings(client: pg.PoolClient, role: string): Promise<[string, string][]> {
  const cached = roleSettingsCache.get(role);
  if (cached) return cached;
  const { rows } = await client.query<{ setting: string }>(
    `select unnest(s.setconfig) as setting
       from pg_catalog.pg_db_role_setting s join pg_catalog.pg_roles r on r.oid = s.setrole
      where r.rolname = $1 and s.setdatabase in (0, (select oid from pg_catalog.pg_database where datname = current_database()))`,
    [role],
  );
  const pairs = rows
    .map((r) => [r.setting.slice(0, r.setting.indexOf('=')), r.setting.slice(r.setting.indexOf('=') + 1)] as [string, string])
    .filter(([name]) => name !== 'search_path' && name !== 'session_preload_libraries');
  roleSettingsCache.set(role, pairs);
  return pairs;
}

export function scopeSettings(scope: RequestScope, extra: [string, string][] = []): [string, string][] {
  const claims: Record<string, unknown> = { ...scope.claims, role: scope.role };
  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  return [
    ...Object.entries(scope.settings ?? {}),
    ...extra,
    ['role', scope.role],
    ['request.jwt.claims', JSON.stringify(claims)],
    ['request.jwt.claim.sub', sub],
    ['request.jwt.claim.role', scope.role],
    ['request.method', scope.method ?? ''],
    ['request.path', scope.path ?? ''],
    ['request.headers', JSON.stringify(scope.headers ?? {})],
    ['request.cookies', JSON.stringify(scope.cookies ?? {})],
  ];
}

/** The statements that open a request scope: the transaction's start, then every setting in one select. */
function scopePrelude(scope: RequestScope, settings: [string, string][]): Statement[] {
  const values = settings.flat();
  const calls = settings.map((_, i) => `pg_catalog.set_config($${2 * i + 1}, $${2 * i + 2}, true)`);
  return [
    { text: scope.readOnly ? 'begin isolation level read committed read only' : 'begin', values: [], prepare: true },
    { text: `select ${calls.join(', ')}`, values, prepare: true },
  ];
}

// Constant or parameterised texts: prepared once per connection (pipeline.ts).
const COMMIT: Statement = { text: 'commit', values: [], prepare: true };

/**
 * A request scope on one pooled connection. Nothing is sent until the first statement, which
 * travels with the transaction's start and settings in one round trip (kit/pipeline.ts); a
 * statement sent with `commit` ends the transaction in that same round trip when it succeeds. So a
 * request that needs no decision after its statement costs one round trip instead of three.
 */
export class ScopedConnection {
  private prelude: Statement[] | undefined;
  private committed = false;

  constructor(
    readonly client: pg.PoolClient,
    prelude: Statement[],
  ) {
    this.prelude = prelude;
  }

  /** Whether the transaction has begun (its statements were sent). */
  get begun(): boolean {
    return this.prelude === undefined;
  }

  /** Runs `statement` in the scope; with `commit`, COMMIT follows in the same round trip. */
  async query(statement: Statement, options: { commit?: boolean } = {}): Promise<pg.QueryResult> {
    if (this.committed) throw new Error('the request scope has already committed');
    const before = this.prelude ?? [];
    this.prelude = undefined;
    const results = await runPipelined(this.client, [...before, statement, ...(options.commit ? [COMMIT] : [])]);
    if (options.commit) this.committed = true;
    return results[before.length] as pg.QueryResult;
  }

  /** Sends the transaction's start and settings now (for callers that use `client` directly). */
  async begin(): Promise<void> {
    if (!this.prelude) return;
    const prelude = this.prelude;
    this.prelude = undefined;
    await runPipelined(this.client, prelude);
  }

  /** Commits unless already committed; nothing to do when nothing was ever sent. */
  async end(): Promise<void> {
    if (this.begun && !this.committed) await this.client.query('commit');
    this.committed = true;
  }

  /** Rolls back what was begun and not committed (also after a failed COMMIT: harmless). */
  async abort(): Promise<void> {
    if (this.begun && !this.committed) await this.client.query('rollback').catch(() => undefined);
  }
}

/** Every setting of the scope, as `set_config` calls (the role's own `ALTER ROLE ... SET` ones too). */
export async function scopeSetConfigSql(client: pg.PoolClient, scope: RequestScope): Promise<string> {
  const settings = scopeSettings(scope, await roleSettings(client, scope.role));
  // The values are quoted by pg's escapeLiteral.
  return settings.map(([n, v]) => `pg_catalog.set_config(${client.escapeLiteral(n)}, ${client.escapeLiteral(v)}, true)`).join(', ');
}

/**
 * Runs `fn` in one transaction as the scope's role; commits when it returns, rolls back when it
 * throws. `pool` must log in as a role that may switch to `scope.role` (authenticator).
 */
export async function inScopedConnection<T>(pool: pg.Pool, scope: RequestScope, fn: (scoped: ScopedConnection) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    throw asUnavailable(e, 'connect');
  }
  let scoped: ScopedConnection | undefined;
  try {
    scoped = new ScopedConnection(client, scopePrelude(scope, scopeSettings(scope, await roleSettings(client, scope.role))));
    const result = await fn(scoped);
    await scoped.end();
    return result;
  } catch (e) {
    await scoped?.abort();
    throw asUnavailable(e, 'session');
  } finally {
    client.release();
  }
}

/** `inScopedConnection` for callers that run their own statements on the client. */
export function inRequestScope<T>(pool: pg.Pool, scope: RequestScope, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return inScopedConnection(pool, scope, async (scoped) => {
    await scoped.begin();
    return fn(scoped.client);
  });
}
