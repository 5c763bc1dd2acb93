// One request, one transaction, as PostgREST, Storage and Realtime do: switch to the caller's
// role, apply that role's own settings (statement_timeout ...), and set the request GUCs that
// auth.uid(), auth.jwt(), storage.operation() and realtime.topic() read.
import type pg from 'pg';
import { asUnavailable } from './db-errors.ts';

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
export async function inRequestScope<T>(pool: pg.Pool, scope: RequestScope, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    throw asUnavailable(e, 'connect');
  }
  try {
    // One round trip for the transaction's start and its settings (a simple query may hold both;
    // a parameterised one may not), so a request holds its pooled connection one round trip less.
    const set = await scopeSetConfigSql(client, scope);
    await client.query(`${scope.readOnly ? 'begin isolation level read committed read only' : 'begin'}; select ${set}`);
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw asUnavailable(e, 'session');
  } finally {
    client.release();
  }
}
