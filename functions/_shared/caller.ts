// Acting for the caller: who they are (the gateway verified the JWT; we only read it), a
// supabase client carrying their Authorization so RLS applies, and, for the few writes a client
// must never make itself (a score, XP, the AI's lines), the service-role client.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { decodeJwt } from 'jose';
import type { Database } from '../../web/src/lib/database.types.ts';

export type Db = SupabaseClient<Database>;

export interface Platform {
  url: string;
  anonKey: string;
  serviceRoleKey: string;
}

export function platformFromEnv(): Platform {
  const url = Deno.env.get('SUPABASE_URL');
  const anonKey = Deno.env.get('SUPABASE_ANON_KEY');
  const serviceRoleKey = Deno.env.get('SUPABASE_SERVICE_ROLE_KEY');
  if (!url || !anonKey || !serviceRoleKey) {
    throw new Error(
      'Cannot reach the database: SUPABASE_URL, SUPABASE_ANON_KEY or SUPABASE_SERVICE_ROLE_KEY is not set',
    );
  }
  return { url, anonKey, serviceRoleKey };
}

export interface Caller {
  userId: string;
  authorization: string;
}

/** The signed-in user behind the request's bearer token, or null (anon key, service role, none). */
export function signedInCaller(authorization: string | null): Caller | null {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (!token) return null;
  try {
    const claims = decodeJwt(token);
    if (claims.role !== 'authenticated' || typeof claims.sub !== 'string' || claims.sub === '') return null;
    return { userId: claims.sub, authorization: `Bearer ${token}` };
  } catch {
    return null;
  }
}

const clientOptions = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };

/** A client acting as the caller: every read and write goes through RLS. */
export function callerClient(p: Platform, caller: Caller): Db {
  return createClient<Database>(p.url, p.anonKey, {
    ...clientOptions,
    global: { headers: { Authorization: caller.authorization } },
  });
}

/** The service role: bypasses RLS. Only for writes a client must never make itself. */
export function serviceClient(p: Platform): Db {
  return createClient<Database>(p.url, p.serviceRoleKey, clientOptions);
}
