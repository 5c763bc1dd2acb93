// postgres_changes (Realtime's PostgresCdcRls + realtime.apply_rls, done by the gateway):
// bindings are registered in realtime.subscription exactly as Realtime does (so the platform's
// trigger validates filters and the rows show who listens), changes come from the wal2json
// stream, and each one is delivered per subscriber after: the action and filters match, the
// role may select the primary key, and, on tables with RLS, a SELECT of the row by primary key
// as the subscriber (role + claims) finds it. DELETEs are not RLS-checked (old primary key only).
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { inRequestScope, scopeSetConfigSql, scopeSettings } from '../kit/db-scope.ts';
import { bindingId, paramsToLog, parseSubscriptionParams, type Filter, type SubscriptionParams } from './filters.ts';
import type { RealtimeLimits } from './limits.ts';
import type { PostgresChangeParams } from './messages.ts';
import type { Vsn } from './protocol.ts';
import { commitTimestamp, type WalChange, type WalColumn } from './wal.ts';

/**
 * What postgres_changes needs of a joined channel (realtime's Channel is one): who listens, whether
 * it is still open, and where a change is written. Narrow so this module needs nothing above it.
 */
export interface ChangeSubscriber {
  readonly closed: boolean;
  readonly claims: Record<string, unknown>;
  readonly role: string;
  readonly vsn: Vsn;
  readonly topic: string;
  write(data: string | Buffer): void;
}

/** What postgres_changes needs of the service: its connections, its log and the record size limit. */
export interface PostgresChangesDeps {
  /** Connects as supabase_admin: subscriptions, catalog reads, visibility of transactions. */
  admin(): pg.Pool;
  /** Connects as authenticator: RLS checks of rows as the subscriber. */
  authenticator(): pg.Pool;
  log(record: Record<string, unknown>): void;
  limits: Pick<RealtimeLimits, 'maxRecordBytes'>;
}

export interface PgBinding {
  id: number;
  subscriptionId: string;
  sub: SubscriptionParams;
  channel: ChangeSubscriber;
  /** `schema.table` of the publication tables the binding matched. */
  entities: string[];
}

export interface SubscribeResult {
  /** Echoed in the join reply: the client's params plus the server id. */
  reply: Record<string, unknown>[];
  /** The `system` message Realtime pushes after subscribing (undefined: no bindings). */
  system?: { status: 'ok' | 'error'; message: string };
}

const ACTIONS = { I: 'INSERT', U: 'UPDATE', D: 'DELETE' } as const;

const SQL_OPS: Record<Filter['op'], string> = {
  eq: '=',
  neq: '<>',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
  in: '= any',
  like: 'like',
  ilike: 'ilike',
};

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** SQL comparing a typed value expression to a filter value of the same type. */
function filterSql(op: Filter['op'], left: string, right: string, type: string): string {
  if (op === 'in') return `(${left}) = any((${right})::text::${type}[])`;
  return `(${left}) ${SQL_OPS[op]} ((${right})::text::${type})`;
}

const SUBSCRIBE_SQL = `
  with sub_tables as (
    select pub.schemaname, pub.tablename, pg_catalog.format('%I.%I', pub.schemaname, pub.tablename)::regclass as entity
      from pg_catalog.pg_publication_tables pub
     where pub.pubname = 'supabase_realtime'
       and pub.schemaname like (case $1 when '*' then '%' else $1 end) escape ''
       and pub.tablename like (case $2 when '*' then '%' else $2 end) escape ''
  ), ins as (
    insert into realtime.subscription as x (subscription_id, entity, filters, claims, action_filter, selected_columns)
    select $3::uuid, sub_tables.entity,
           (select coalesce(pg_catalog.array_agg(row(c, o::realtime.equality_op, v)::realtime.user_defined_filter), '{}')
              from unnest($4::text[], $5::text[], $6::text[]) as f(c, o, v)),
           $7::jsonb, $8, $9::text[]
      from sub_tables
    on conflict (subscription_id, entity, filters, action_filter, coalesce(selected_columns, '{}'))
    do update set claims = excluded.claims, created_at = pg_catalog.now()
    returning x.entity
  )
  select s.schemaname, s.tablename from ins join sub_tables s on s.entity = ins.entity`;

/** Type of a column, schema-qualified, for casts (`"pg_catalog"."int4"`). */
const COLUMN_TYPE_SQL = `
  select pg_catalog.format('%I.%I', n.nspname, t.typname) as type
    from pg_catalog.pg_attribute a
    join pg_catalog.pg_type t on t.oid = a.atttypid
    join pg_catalog.pg_namespace n on n.oid = t.typnamespace
   where a.attrelid = pg_catalog.format('%I.%I', $1::text, $2::text)::regclass and a.attname = $3 and not a.attisdropped`;

/** Is 32-bit xid $1 (widened with the epoch of the current snapshot) visible to a new snapshot? */
const VISIBLE_SQL = `
  select pg_catalog.pg_visible_in_snapshot(
           (((x.xmax >> 32) - case when $1::bigint > (x.xmax & 4294967295) then 1 else 0 end) << 32 | $1::bigint)::text::xid8,
           x.snap) as visible
    from (select s as snap, pg_catalog.pg_snapshot_xmax(s)::text::bigint as xmax
            from pg_catalog.pg_current_snapshot() as s) as x`;

/** Subscribers RLS-checked per round trip, and round trips of one change at once (connections it holds). */
const RLS_BATCH = 250;
const RLS_PARALLEL = 2;
/** The prepared row check of a batch; deallocated at its end (a failed batch drops its connection). */
const RLS_STMT = 'realtime_rls_check';
/**
 * The loop of a batch, run by Postgres as Realtime's apply_rls runs it: for each viewer, its own
 * values of the request settings that differ within the batch (claims, sub), then the prepared row
 * check. The viewers come in `realtime.rls_viewers` (cleared before the first check, so no policy
 * sees them) and the answers leave in `realtime.rls_visible`, one `t` or `f` per viewer. The body
 * is constant: no caller's data is ever part of it.
 */
const RLS_LOOP = `do $rls$
declare
  batch jsonb := pg_catalog.current_setting('realtime.rls_viewers')::jsonb;
  names text[] := array(select pg_catalog.jsonb_array_elements_text(batch -> 'names'));
  vals jsonb;
  visible boolean;
  answers text := '';
begin
  perform pg_catalog.set_config('realtime.rls_viewers', '', true);
  for vals in select pg_catalog.jsonb_array_elements(batch -> 'values') loop
    for i in 1 .. coalesce(pg_catalog.array_length(names, 1), 0) loop
      perform pg_catalog.set_config(names[i], vals ->> (i - 1), true);
    end loop;
    execute 'execute ${RLS_STMT}' into visible;
    answers := answers || case when visible then 't' else 'f' end;
  end loop;
  perform pg_catalog.set_config('realtime.rls_visible', answers, true);
end
$rls$`;

/** Who a change is checked for: a subscriber's role and claims. */
interface Viewer {
  role: string;
  claims: Record<string, unknown>;
}

interface Prepared {
  rls: boolean;
  columns: { name: string; type: string }[];
  /** Columns each subscriber role may select. */
  visible: Record<string, string[]>;
  newValues: unknown[];
  oldValues: unknown[];
  /** Per distinct filter: result on the new row, on the old row (null: column absent or NULL). */
  filterResults: [boolean | null, boolean | null][];
}

export class PostgresChanges {
  private readonly byEntity = new Map<string, Set<PgBinding>>();
  private readonly byChannel = new Map<ChangeSubscriber, PgBinding[]>();
  private readonly typeNames = new Map<number, string>();
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  /** Changes delivered to at least one subscriber, and deliveries, since start. */
  delivered = 0;

  constructor(private readonly rt: PostgresChangesDeps) {}

  get subscriptionCount(): number {
    let n = 0;
    for (const list of this.byChannel.values()) n += list.length;
    return n;
  }

  /** Forgets subscriptions a previous gateway process left behind (Realtime deletes all on start). */
  async resetSubscriptions(): Promise<void> {
    await this.rt.admin().query('delete from realtime.subscription');
  }

  async subscribe(channel: ChangeSubscriber, paramsList: PostgresChangeParams[]): Promise<SubscribeResult> {
    const reply = paramsList.map((p) => ({ ...p, id: bindingId(p) }));
    if (paramsList.length === 0) return { reply };
    const subs: SubscriptionParams[] = [];
    for (const p of paramsList) {
      const parsed = parseSubscriptionParams(p);
      if ('error' in parsed) return { reply, system: { status: 'error', message: parsed.error } };
      subs.push(parsed);
    }
    const bindings: PgBinding[] = [];
    const client = await this.rt.admin().connect();
    let current: SubscriptionParams | undefined;
    try {
      await client.query('begin');
      for (const [i, sub] of subs.entries()) {
        current = sub;
        const subscriptionId = randomUUID();
        const { rows } = await client.query<{ schemaname: string; tablename: string }>(SUBSCRIBE_SQL, [
          sub.schema,
          sub.table,
          subscriptionId,
          sub.filters.map((f) => f.column),
          sub.filters.map((f) => f.op),
          sub.filters.map((f) => f.value),
          JSON.stringify(channel.claims),
          sub.action,
          sub.select,
        ]);
        if (rows.length === 0) {
          await client.query('rollback');
          return {
            reply,
            system: {
              status: 'error',
              message: `Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: [${paramsToLog(sub)}]`,
            },
          };
        }
        const entities = rows.map((r) => `${r.schemaname}.${r.tablename}`);
        // Every filter must be evaluable on every matched table (operator exists for the type).
        for (const r of rows) {
          for (const f of sub.filters) {
            const { rows: t } = await client.query<{ type: string }>(COLUMN_TYPE_SQL, [r.schemaname, r.tablename, f.column]);
            const type = t[0]?.type;
            if (!type) throw new Error(`invalid column for filter ${f.column}`);
            await client.query(`select ${filterSql(f.op, `$1::text::${type}`, '$2', type)}`, [null, f.value]);
          }
        }
        bindings.push({ id: reply[i]!.id, subscriptionId, sub, channel, entities });
      }
      await client.query('commit');
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      const message = current
        ? `Unable to subscribe to changes with given parameters. An exception happened so please check your connect parameters: [${paramsToLog(current)}]. Exception: ${(e as Error).message}`
        : (e as Error).message;
      return { reply, system: { status: 'error', message } };
    } finally {
      client.release();
    }
    if (channel.closed) {
      void this.deleteSubscriptions(bindings.map((b) => b.subscriptionId));
      return { reply };
    }
    this.byChannel.set(channel, bindings);
    for (const b of bindings) {
      for (const e of b.entities) {
        let set = this.byEntity.get(e);
        if (!set) this.byEntity.set(e, (set = new Set()));
        set.add(b);
      }
    }
    return { reply, system: { status: 'ok', message: 'Subscribed to PostgreSQL' } };
  }

  unsubscribe(channel: ChangeSubscriber): void {
    const bindings = this.byChannel.get(channel);
    if (!bindings) return;
    this.byChannel.delete(channel);
    for (const b of bindings) {
      for (const e of b.entities) {
        const set = this.byEntity.get(e);
        set?.delete(b);
        if (set?.size === 0) this.byEntity.delete(e);
      }
    }
    void this.deleteSubscriptions(bindings.map((b) => b.subscriptionId));
  }

  /** A refreshed token: later RLS checks use the new claims, as the rows do. */
  async updateClaims(channel: ChangeSubscriber): Promise<void> {
    const ids = (this.byChannel.get(channel) ?? []).map((b) => b.subscriptionId);
    if (ids.length === 0) return;
    await this.rt
      .admin()
      .query('update realtime.subscription set claims = $1::jsonb where subscription_id = any($2::uuid[])', [JSON.stringify(channel.claims), ids])
      .catch((e: Error) => this.rt.log({ level: 'error', msg: 'realtime: updating subscription claims failed', err: e.message }));
  }

  private async deleteSubscriptions(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.rt
      .admin()
      .query('delete from realtime.subscription where subscription_id = any($1::uuid[])', [ids])
      .catch((e: Error) => this.rt.log({ level: 'error', msg: 'realtime: deleting subscriptions failed', code: 'SubscriptionDeletionFailed', err: e.message }));
  }

  /** Whether any subscription listens to the table. */
  wants(schema: string, table: string): boolean {
    return (this.byEntity.get(`${schema}.${table}`)?.size ?? 0) > 0;
  }

  /** Queues a change from the WAL; changes are processed one at a time, in commit order. */
  onChange(change: WalChange): void {
    const candidates = this.byEntity.get(`${change.schema}.${change.table}`);
    if (!candidates || candidates.size === 0) return;
    if (this.queued > 10_000) {
      this.rt.log({ level: 'error', msg: 'realtime: postgres_changes backlog full, change dropped', table: `${change.schema}.${change.table}` });
      return;
    }
    this.queued++;
    this.queue = this.queue
      .then(() => this.process(change))
      .catch((e: Error) => this.rt.log({ level: 'error', msg: 'realtime: postgres_changes delivery failed', err: e.stack ?? e.message }))
      .finally(() => {
        this.queued--;
      });
  }

  private async typeName(oids: number[]): Promise<void> {
    const missing = [...new Set(oids)].filter((o) => !this.typeNames.has(o));
    if (missing.length === 0) return;
    const { rows } = await this.rt
      .admin()
      .query<{ oid: number; name: string }>(
        `select t.oid::int as oid, pg_catalog.format('%I.%I', n.nspname, t.typname) as name
           from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace where t.oid = any($1::oid[])`,
        [missing],
      );
    for (const r of rows) this.typeNames.set(r.oid, r.name);
  }

  private async prepare(change: WalChange, roles: string[], filters: Filter[]): Promise<Prepared | undefined> {
    await this.typeName([...change.columns, ...change.identity].map((c) => c.typeoid));
    const params: unknown[] = [change.schema, change.table, roles];
    const typed = (c: WalColumn): string => {
      params.push(c.value);
      return `pg_catalog.to_jsonb($${params.length}::text::${this.typeNames.get(c.typeoid) ?? 'text'})`;
    };
    const valueExpr = (c: WalColumn | undefined): string => {
      if (!c) return 'null::boolean';
      params.push(c.value);
      return `$${params.length}::text::${this.typeNames.get(c.typeoid) ?? 'text'}`;
    };
    const newExprs = change.columns.map(typed);
    const oldExprs = change.identity.map(typed);
    const filterExprs = filters.map((f) => {
      const onRow = (row: WalColumn[]): string => {
        const col = row.find((c) => c.name === f.column);
        if (!col) return 'null::boolean';
        const type = this.typeNames.get(col.typeoid) ?? 'text';
        params.push(f.value);
        const right = `$${params.length}`;
        return filterSql(f.op, valueExpr(col), right, type);
      };
      return `pg_catalog.jsonb_build_array(${onRow(change.columns)}, ${onRow(change.identity)})`;
    });
    const sql = `
      select c.relrowsecurity as rls,
             (select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('name', a.attname, 'type', t.typname) order by a.attnum), '[]')
                from pg_catalog.pg_attribute a join pg_catalog.pg_type t on t.oid = a.atttypid
               where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
             (select coalesce(pg_catalog.jsonb_object_agg(r.rolname,
                       (select coalesce(pg_catalog.jsonb_agg(a.attname order by a.attnum), '[]')
                          from pg_catalog.pg_attribute a
                         where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                           and pg_catalog.has_column_privilege(r.oid, c.oid, a.attnum, 'SELECT'))), '{}')
                from pg_catalog.pg_roles r where r.rolname = any($3::text[])) as visible,
             pg_catalog.jsonb_build_array(${newExprs.join(', ')}) as new_values,
             pg_catalog.jsonb_build_array(${oldExprs.join(', ')}) as old_values,
             pg_catalog.jsonb_build_array(${filterExprs.join(', ')}) as filter_results
        from pg_catalog.pg_class c
       where c.oid = pg_catalog.to_regclass(pg_catalog.format('%I.%I', $1::text, $2::text))`;
    const { rows } = await this.rt.admin().query(sql, params);
    const r = rows[0] as
      | { rls: boolean; columns: Prepared['columns']; visible: Prepared['visible']; new_values: unknown[]; old_values: unknown[]; filter_results: Prepared['filterResults'] }
      | undefined;
    if (!r) return undefined;
    return { rls: r.rls, columns: r.columns, visible: r.visible, newValues: r.new_values, oldValues: r.old_values, filterResults: r.filter_results };
  }

  /**
   * Waits until the change's transaction is visible to new snapshots. Its commit record is
   * streamed as soon as it is flushed, a moment before Postgres makes it visible; an RLS check in
   * that moment would not find the row. (Realtime polls, so it never sees that window.)
   */
  private async waitVisible(xid: number | undefined): Promise<void> {
    if (xid === undefined) return;
    for (let attempt = 0; attempt < 250; attempt++) {
      const { rows } = await this.rt.admin().query<{ visible: boolean }>(VISIBLE_SQL, [xid]);
      if (rows[0]?.visible !== false) return;
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** `select exists (...)` of the changed row by primary key, the key inlined as quoted literals. */
  private rowExistsSql(change: WalChange, quote: (value: string) => string): string {
    const pkCols = change.pk.map((name) => change.columns.find((c) => c.name === name));
    if (pkCols.length === 0 || pkCols.some((c) => !c)) throw new Error('the change has no complete primary key');
    const where = pkCols
      .map((c) => `${ident(c!.name)} = ${c!.value === null ? 'null' : quote(c!.value)}::text::${this.typeNames.get(c!.typeoid) ?? 'text'}`)
      .join(' and ');
    return `select exists (select 1 from ${ident(change.schema)}.${ident(change.table)} where ${where}) as visible`;
  }

  /**
   * Which viewers can select the changed row, as apply_rls checks it: each viewer's own SELECT of
   * the row under its own role and claims. Many checks share one round trip (Realtime loops in
   * apply_rls the same way): one transaction per role and batch, so a role's own settings never
   * reach another role's check, and every viewer sets all of its request settings before its own
   * check, so no claims of one viewer are seen by another's. A batch that fails (a policy that
   * raises for some claims, say) is checked again one viewer at a time, so one subscriber cannot
   * make the others miss a change, and an error never counts as visible.
   */
  private async rlsVisibleMany(change: WalChange, viewers: Viewer[]): Promise<boolean[]> {
    const visible = viewers.map(() => false);
    const byRole = new Map<string, number[]>();
    viewers.forEach((v, i) => {
      const list = byRole.get(v.role);
      if (list) list.push(i);
      else byRole.set(v.role, [i]);
    });
    const batches: number[][] = [];
    for (const list of byRole.values()) for (let i = 0; i < list.length; i += RLS_BATCH) batches.push(list.slice(i, i + RLS_BATCH));
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(RLS_PARALLEL, batches.length) }, async () => {
        while (next < batches.length) {
          const batch = batches[next++]!;
          let results: boolean[];
          try {
            results = await this.rlsBatch(change, batch.map((i) => viewers[i]!));
          } catch (e) {
            this.rt.log({ level: 'warn', msg: 'realtime: batched RLS check failed, checking one by one', err: (e as Error).message });
            results = [];
            for (const i of batch) results.push(await this.rlsVisible(change, viewers[i]!.claims, viewers[i]!.role));
          }
          batch.forEach((vi, k) => (visible[vi] = results[k] === true));
        }
      }),
    );
    return visible;
  }

  /**
   * One round trip: begin; prepare the row check; the first viewer's settings (all of them, its
   * role's own included: every viewer of a batch has the same role); the viewers' varying settings;
   * the loop; its answers; commit.
   */
  private async rlsBatch(change: WalChange, viewers: Viewer[]): Promise<boolean[]> {
    const settings = viewers.map((v) => new Map(scopeSettings({ role: v.role, claims: v.claims })));
    const first = settings[0]!;
    // Every setting whose value is not the same for the whole batch is set by each viewer, to its own value.
    const names = [...first.keys()].filter((n) => settings.some((s) => s.get(n) !== first.get(n)));
    const batch = JSON.stringify({ names, values: settings.map((s) => names.map((n) => s.get(n))) });
    const client = await this.rt.authenticator().connect();
    let clean = false;
    try {
      const { rows } = await client.query<{ visible: string }>(
        [
          'begin isolation level read committed read only',
          `prepare ${RLS_STMT} as ${this.rowExistsSql(change, (v) => client.escapeLiteral(v))}`,
          `select ${await scopeSetConfigSql(client, { role: viewers[0]!.role, claims: viewers[0]!.claims, readOnly: true })}, ` +
            `pg_catalog.set_config('realtime.rls_viewers', ${client.escapeLiteral(batch)}, true)`,
          RLS_LOOP,
          `select pg_catalog.current_setting('realtime.rls_visible') as visible`,
          `deallocate ${RLS_STMT}`,
          'commit',
        ].join(';\n'),
      ).then((r) => ([r].flat() as unknown as pg.QueryResult<{ visible: string }>[]).find((x) => x.fields?.[0]?.name === 'visible') ?? { rows: [] });
      const answers = rows[0]?.visible ?? '';
      if (answers.length !== viewers.length) throw new Error(`expected ${viewers.length} row checks, got ${answers.length}`);
      clean = true;
      return [...answers].map((a) => a === 't');
    } finally {
      // A failed batch may leave its transaction open or its statement prepared: drop the connection.
      client.release(!clean);
    }
  }

  /** Whether the subscriber (role + claims) can select the changed row, as apply_rls checks it. */
  private async rlsVisible(change: WalChange, claims: Record<string, unknown>, role: string): Promise<boolean> {
    const pkCols = change.pk.map((name) => change.columns.find((c) => c.name === name));
    if (pkCols.some((c) => !c)) return false;
    const params = pkCols.map((c) => c!.value);
    const where = pkCols.map((c, i) => `${ident(c!.name)} = $${i + 1}::text::${this.typeNames.get(c!.typeoid) ?? 'text'}`).join(' and ');
    try {
      return await inRequestScope(this.rt.authenticator(), { role, claims, readOnly: true }, async (client) => {
        const { rows } = await client.query<{ visible: boolean }>(
          `select exists (select 1 from ${ident(change.schema)}.${ident(change.table)} where ${where}) as visible`,
          params,
        );
        return rows[0]?.visible === true;
      });
    } catch (e) {
      this.rt.log({ level: 'warn', msg: 'realtime: RLS check of a change failed', role, err: (e as Error).message });
      return false;
    }
  }

  /** The `data` of a postgres_changes message as a subscriber of `role` with `select` columns gets it. */
  private messageData(change: WalChange, prep: Prepared, role: string, select: string[] | null, error: string | undefined): Record<string, unknown> {
    const action = ACTIONS[change.action];
    const base = { schema: change.schema, table: change.table };
    if (error) return { ...base, type: action, errors: [error] };
    const tooLarge = change.bytes > this.rt.limits.maxRecordBytes;
    const visibleCols = new Set(prep.visible[role] ?? []);
    const pk = new Set(change.pk);
    const keep = (name: string) => visibleCols.has(name) && (!select || select.includes(name) || pk.has(name));
    const small = (v: unknown) => !tooLarge || JSON.stringify(v ?? null).length <= 64;
    const record = (cols: WalColumn[], values: unknown[], only?: (n: string) => boolean): Record<string, unknown> | null => {
      const out: Record<string, unknown> = {};
      cols.forEach((c, i) => {
        if (keep(c.name) && (!only || only(c.name)) && small(values[i])) out[c.name] = values[i] ?? null;
      });
      return Object.keys(out).length ? out : null;
    };
    const data: Record<string, unknown> = {
      ...base,
      type: action,
      commit_timestamp: commitTimestamp(change.timestamp),
      columns: prep.columns.filter((c) => keep(c.name)),
      errors: tooLarge ? ['Error 413: Payload Too Large'] : null,
    };
    if (change.action !== 'D') {
      const rec = record(change.columns, prep.newValues) ?? {};
      // Unchanged TOAST values are not in the new tuple: take them from the old one.
      change.identity.forEach((c, i) => {
        if (!(c.name in rec) && !change.columns.some((n) => n.name === c.name) && keep(c.name) && small(prep.oldValues[i])) rec[c.name] = prep.oldValues[i] ?? null;
      });
      data.record = rec;
    }
    if (change.action === 'U') data.old_record = record(change.identity, prep.oldValues);
    if (change.action === 'D') data.old_record = record(change.identity, prep.oldValues, prep.rls ? (n) => pk.has(n) : undefined);
    return data;
  }

  private async process(change: WalChange): Promise<void> {
    const action = ACTIONS[change.action];
    const bindings = [...(this.byEntity.get(`${change.schema}.${change.table}`) ?? [])].filter(
      (b) => !b.channel.closed && (b.sub.action === '*' || b.sub.action === action),
    );
    if (bindings.length === 0) return;
    const filters: Filter[] = [];
    const filterIndex = new Map<string, number>();
    for (const b of bindings) {
      for (const f of b.sub.filters) {
        const k = JSON.stringify(f);
        if (!filterIndex.has(k)) {
          filterIndex.set(k, filters.length);
          filters.push(f);
        }
      }
    }
    const roles = [...new Set(bindings.map((b) => b.channel.role))];
    const prep = await this.prepare(change, roles, filters);
    if (!prep) return;

    const matches = (b: PgBinding): boolean => {
      if (b.sub.filters.length === 0) return true;
      const results = b.sub.filters.map((f) => prep.filterResults[filterIndex.get(JSON.stringify(f))!]!);
      if (results.every((r) => r[0] === true)) return true;
      return change.action === 'D' && results.every((r) => r[1] === true);
    };

    const rlsChecked = prep.rls && change.action !== 'D';
    if (rlsChecked) await this.waitVisible(change.xid);
    // Matching bindings, each with its error or the RLS check (one per distinct role + claims) it waits on.
    const viewers: Viewer[] = [];
    const viewerIndex = new Map<string, number>();
    const matched: { b: PgBinding; error: string | undefined; viewer: number | undefined }[] = [];
    for (const b of bindings) {
      if (!matches(b)) continue;
      const role = b.channel.role;
      const visibleCols = new Set(prep.visible[role] ?? []);
      let error: string | undefined;
      let viewer: number | undefined;
      if (change.action !== 'D' && change.pk.length === 0) error = 'Error 400: Bad Request, no primary key';
      else if (change.action !== 'D' && !change.pk.every((p) => visibleCols.has(p))) error = 'Error 401: Unauthorized';
      else if (rlsChecked) {
        const key = JSON.stringify([role, b.channel.claims]);
        viewer = viewerIndex.get(key);
        if (viewer === undefined) {
          viewer = viewers.push({ role, claims: b.channel.claims }) - 1;
          viewerIndex.set(key, viewer);
        }
      }
      matched.push({ b, error, viewer });
    }
    const visibleTo = viewers.length > 0 ? await this.rlsVisibleMany(change, viewers) : [];

    // Group per channel and selected columns: one message carries the ids of all its bindings.
    type Group = { channel: ChangeSubscriber; select: string[] | null; ids: number[]; error?: string | undefined };
    const groups = new Map<ChangeSubscriber, Map<string, Group>>();
    for (const { b, error, viewer } of matched) {
      if (viewer !== undefined && visibleTo[viewer] !== true) continue;
      if (b.channel.closed) continue;
      let perChannel = groups.get(b.channel);
      if (!perChannel) groups.set(b.channel, (perChannel = new Map()));
      const gk = `${b.sub.select?.join(',') ?? ''}|${error ?? ''}`;
      const group = perChannel.get(gk) ?? { channel: b.channel, select: b.sub.select, ids: [], error };
      group.ids.push(b.id);
      perChannel.set(gk, group);
    }

    // The data of a message depends only on the role, the selected columns and the error: it is
    // serialized once for every subscriber that shares them (a thousand subscribers, one stringify).
    const dataJson = new Map<string, string>();
    const dataOf = (g: Group): string => {
      const key = JSON.stringify([g.channel.role, g.select, g.error ?? null]);
      let json = dataJson.get(key);
      if (json === undefined) dataJson.set(key, (json = JSON.stringify(this.messageData(change, prep, g.channel.role, g.select, g.error))));
      return json;
    };
    for (const g of [...groups.values()].flatMap((m) => [...m.values()])) {
      const payload = `{"ids":${JSON.stringify(g.ids)},"data":${dataOf(g)}}`;
      const topic = JSON.stringify(g.channel.topic);
      g.channel.write(
        g.channel.vsn === '2.0.0'
          ? `[null,null,${topic},"postgres_changes",${payload}]`
          : `{"topic":${topic},"event":"postgres_changes","payload":${payload},"ref":null,"join_ref":null}`,
      );
      this.delivered++;
    }
  }
}

