// The API keys, as `supabase start` makes them: long-lived HS256 JWTs signed with the JWT secret.
import { SignJWT } from 'jose';

/** The expiry Supabase's CLI gives its local demo keys (2032-11-12). */
const DEMO_KEY_EXP = 1983812996;

export async function signApiKey(role: 'anon' | 'service_role', secret: string): Promise<string> {
  // Claims in the CLI's order, so the default secret yields Supabase's well-known demo keys.
  return new SignJWT({ iss: 'supabase-demo', role, exp: DEMO_KEY_EXP })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

export interface ApiKeys {
  anonKey: string;
  serviceRoleKey: string;
}

export async function apiKeys(secret: string): Promise<ApiKeys> {
  return { anonKey: await signApiKey('anon', secret), serviceRoleKey: await signApiKey('service_role', secret) };
}
