// Realtime Authorization (Realtime.Tenants.Authorization): private channels are authorized by
// probing RLS on realtime.messages as the joining user, in a transaction that is always rolled
// back. Read: probe rows are inserted (as the gateway), then selected back as the user; a SELECT
// policy decides who receives broadcast / presence. Write: a row is inserted as the user under a
// savepoint; an INSERT policy decides who may send broadcast / track presence.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { isConnectionFailure } from '../kit/db-errors.ts';
import { inRequestScope } from '../kit/db-scope.ts';

export type Extension = 'broadcast' | 'presence';

export interface Permission {
  read?: boolean | undefined;
  write?: boolean | undefined;
}

export interface Policies {
  broadcast: Permission;
  presence: Permission;
}

export const emptyPolicies = (): Policies => ({ broadcast: {}, presence: {} });

export interface AuthorizationContext {
  /** The channel name without `realtime:`. */
  topic: string;
  role: string;
  claims: Record<string, unknown>;
  headers: Record<string, string>;
}

/** A policy raised an error, or the role is unusable: Realtime answers "Unauthorized". */
export class RlsPolicyError extends Error {}
/** The database could not be reached. */
export class DatabaseUnavailable extends Error {}

class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super('rollback');
  }
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '53300']);

async function probe<T>(pool: pg.Pool, ctx: AuthorizationContext, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  try {
    await inRequestScope(
      pool,
      { role: ctx.role, claims: ctx.claims, headers: ctx.headers, settings: { 'realtime.topic': ctx.topic } },
      async (client) => {
        throw new Rollback(await fn(client));
      },
    );
  } catch (e) {
    if (e instanceof Rollback) return e.value as T;
    const code = (e as { code?: string }).code;
    if (isConnectionFailure(e) || (code && CONNECTION_ERRORS.has(code))) throw new DatabaseUnavailable((e as Error).message);
    throw new RlsPolicyError((e as Error).message);
  }
  throw new Error('unreachable');
}

/**
 * Evaluates read permissions for the extensions (presence only when enabled). Unchecked
 * extensions stay undefined, so "denied" and "not checked yet" differ.
 * `pool` must log in as a role that may insert into realtime.messages and switch to the user's
 * role (the gateway's supabase_admin).
 */
export async function readAuthorizations(pool: pg.Pool, ctx: AuthorizationContext, policies: Policies, presenceEnabled: boolean): Promise<Policies> {
  const extensions: Extension[] = presenceEnabled ? ['broadcast', 'presence'] : ['broadcast'];
  const ids = extensions.map(() => randomUUID());
  const visible = await probe(pool, ctx, async (client) => {
    // Back to the gateway's own role to write the probes, then to the user's to read them.
    await client.query("select pg_catalog.set_config('role', 'none', true)");
    await client.query('insert into realtime.messages (id, topic, extension) select * from unnest($1::uuid[], $2::text[], $3::text[])', [
      ids,
      extensions.map(() => ctx.topic),
      extensions,
    ]);
    await client.query("select pg_catalog.set_config('role', $1, true)", [ctx.role]);
    const { rows } = await client.query<{ id: string }>('select id from realtime.messages where id = any($1::uuid[])', [ids]);
    return new Set(rows.map((r) => r.id));
  });
  const next: Policies = { broadcast: { ...policies.broadcast }, presence: { ...policies.presence } };
  extensions.forEach((ext, i) => {
    next[ext].read = visible.has(ids[i]!);
  });
  return next;
}

/** Evaluates write permissions (insert as the user, each under a savepoint). */
export async function writeAuthorizations(pool: pg.Pool, ctx: AuthorizationContext, policies: Policies, presenceEnabled: boolean): Promise<Policies> {
  const extensions: Extension[] = presenceEnabled ? ['broadcast', 'presence'] : ['broadcast'];
  const allowed = await probe(pool, ctx, async (client) => {
    const out: Partial<Record<Extension, boolean>> = {};
    for (const ext of extensions) {
      await client.query('savepoint realtime_write_check');
      try {
        await client.query('insert into realtime.messages (topic, extension) values ($1, $2)', [ctx.topic, ext]);
        out[ext] = true;
        await client.query('release savepoint realtime_write_check');
      } catch (e) {
        if ((e as { code?: string }).code !== '42501') throw e;
        out[ext] = false;
        await client.query('rollback to savepoint realtime_write_check');
      }
    }
    return out;
  });
  const next: Policies = { broadcast: { ...policies.broadcast }, presence: { ...policies.presence } };
  for (const ext of extensions) next[ext].write = allowed[ext] ?? false;
  return next;
}
