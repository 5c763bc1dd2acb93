// Shared by the realtime suites: users as GoTrue would mint them (signed with JWT_SECRET, no auth
// service needed), supabase-js clients over the `ws` transport, and small waiting helpers.
import { randomUUID } from 'node:crypto';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { testClient } from '../support/client.ts';
import { env } from '../support/env.ts';
import { accessToken } from '../support/tokens.ts';

export interface TestUser {
  id: string;
  email: string;
  token: string;
}

export async function newUser(): Promise<TestUser> {
  const id = randomUUID();
  const email = `${id}@example.test`;
  return { id, email, token: await accessToken({ sub: id, email }) };
}

const clients: SupabaseClient[] = [];

/** A supabase-js client; with a user, Realtime joins with that user's JWT. */
export function client(user?: TestUser | string, opts: { vsn?: '1.0.0' | '2.0.0' } = {}): SupabaseClient {
  const token = typeof user === 'string' ? user : user?.token;
  const c = testClient(env.ANON_KEY, token, opts.vsn ? { realtime: { vsn: opts.vsn } } : {});
  // supabase-js hands the token to Realtime asynchronously; a channel subscribed right away would
  // join with the anon key first. Setting it now (synchronous for an explicit token) avoids that.
  if (token) void c.realtime.setAuth(token);
  clients.push(c);
  return c;
}

export async function closeClients(): Promise<void> {
  await Promise.all(clients.splice(0).map((c) => c.removeAllChannels().catch(() => undefined)));
}

// realtime-js arms 10 s timers it never clears (a push that expects no reply, such as a
// broadcast without `ack`, and disconnect()); each would hold a test file open for 10 s after
// its last test. Timers of exactly that length are unref'd: they still fire while the process
// lives, they just do not keep it alive.
const originalSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const t = originalSetTimeout(fn, ms, ...args);
  if (ms === 10_000) t.unref();
  return t;
}) as typeof setTimeout;

/** Resolves on SUBSCRIBED; rejects with the server's reason on CHANNEL_ERROR / TIMED_OUT / CLOSED. */
export function subscribe(channel: RealtimeChannel, timeoutMs = 15_000): Promise<RealtimeChannel> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('subscribe timed out (test)')), timeoutMs);
    channel.subscribe((status, err) => {
      if (status === 'SUBSCRIBED') {
        clearTimeout(timer);
        resolve(channel);
      } else {
        clearTimeout(timer);
        reject(err ?? new Error(status));
      }
    });
  });
}

/** Polls `check` until it returns a value (not undefined/false) or the time is up. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A connection to the database as `postgres` (fixtures, policies, inserts as a user). */
export async function db(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: env.DB_URL });
  await c.connect();
  return c;
}

/** Runs SQL as the user (role authenticated + JWT claims), as PostgREST would, and commits. */
export async function asUser<T extends pg.QueryResultRow>(conn: pg.Client, user: TestUser, sql: string, params: unknown[] = []): Promise<pg.QueryResult<T>> {
  await conn.query('begin');
  try {
    await conn.query(
      "select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true), set_config('request.jwt.claim.sub', $2, true)",
      [JSON.stringify({ sub: user.id, role: 'authenticated', email: user.email }), user.id],
    );
    const r = await conn.query<T>(sql, params);
    await conn.query('commit');
    return r;
  } catch (e) {
    await conn.query('rollback');
    throw e;
  }
}

/** Collects what a channel listener receives. */
export function collector<T = unknown>(): { items: T[]; push: (x: T) => void } {
  const items: T[] = [];
  return { items, push: (x: T) => items.push(x) };
}
