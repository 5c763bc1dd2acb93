// The browser's supabase-js client (session from the same cookies the server uses), typed with the
// generated database types. Pages load and write through the server (locals.supabase); the
// browser client is for realtime.
import { createBrowserClient } from '@supabase/ssr';
import { env } from '$env/dynamic/public';
import { readPublicConfig } from './config.ts';
import type { Database } from './database.types.ts';

let client: ReturnType<typeof createBrowserClient<Database>> | undefined;

export function browserClient() {
  if (!client) {
    const config = readPublicConfig(env);
    client = createBrowserClient<Database>(config.url, config.anonKey);
  }
  return client;
}
