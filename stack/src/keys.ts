// The API keys, as `supabase start` makes them: long-lived HS256 JWTs signed with the JWT secret
// (the legacy anon and service_role keys), and the newer opaque keys, a publishable one
// (`sb_publishable_…`, acts as anon) and a secret one (`sb_secret_…`, acts as service_role).
import { createHash, createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { DEFAULT_JWT_SECRET } from './config.ts';

/** The expiry Supabase's CLI gives its local demo keys (2032-11-12). */
const DEMO_KEY_EXP = 1983812996;

/** The keys the Supabase CLI serves with its default JWT secret. */
const CLI_PUBLISHABLE_KEY = 'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH';
const CLI_SECRET_KEY = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';

export async function signApiKey(role: 'anon' | 'service_role', secret: string): Promise<string> {
  // Claims in the CLI's order, so the default secret yields Supabase's well-known demo keys.
  return new SignJWT({ iss: 'supabase-demo', role, exp: DEMO_KEY_EXP })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

/**
 * An opaque key in Supabase's shape: `<prefix><22 characters>_<8 characters of checksum>`,
 * derived from the JWT secret, so one instance always has the same keys and no other has them.
 */
export function opaqueKey(prefix: 'sb_publishable_' | 'sb_secret_', secret: string): string {
  const body = createHmac('sha256', secret).update(prefix).digest('base64url').slice(0, 22);
  const checksum = createHash('sha256').update(`${prefix}${body}`).digest('base64url').slice(0, 8);
  return `${prefix}${body}_${checksum}`;
}

export interface ApiKeys {
  anonKey: string;
  serviceRoleKey: string;
  /** `sb_publishable_…`: acts as anon. */
  publishableKey: string;
  /** `sb_secret_…`: acts as service_role. */
  secretKey: string;
}

export async function apiKeys(secret: string): Promise<ApiKeys> {
  const cliDefault = secret === DEFAULT_JWT_SECRET;
  return {
    anonKey: await signApiKey('anon', secret),
    serviceRoleKey: await signApiKey('service_role', secret),
    publishableKey: cliDefault ? CLI_PUBLISHABLE_KEY : opaqueKey('sb_publishable_', secret),
    secretKey: cliDefault ? CLI_SECRET_KEY : opaqueKey('sb_secret_', secret),
  };
}
