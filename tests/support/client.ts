// supabase-js clients as the suites need them on Node 20: a `ws` transport (it has no global WebSocket), no stored session.
import { createClient, type SupabaseClient, type SupabaseClientOptions } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { env } from './env.ts';

type Options = SupabaseClientOptions<'public'>;

export const nodeClientOptions = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
} satisfies Options;

/** `extra` on top of the Node options (its `auth` and `realtime` settings added to theirs). */
export function clientOptions(extra: Options = {}): Options {
  return { ...extra, auth: { ...nodeClientOptions.auth, ...extra.auth }, realtime: { ...nodeClientOptions.realtime, ...extra.realtime } };
}

/** A client of the stack under test with `key` as apikey; with `accessToken`, that is its bearer, as for a signed-in user. */
export function testClient(key: string, accessToken?: string | Promise<string>, extra: Options = {}): SupabaseClient {
  return createClient(env.SUPABASE_URL, key, clientOptions(accessToken === undefined ? extra : { ...extra, accessToken: async () => accessToken }));
}
