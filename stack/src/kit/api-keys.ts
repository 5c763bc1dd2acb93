// The API keys, as `supabase start` makes them: long-lived JWTs (the legacy anon and service_role
// keys: HS256 with the JWT secret, or, with `[auth] signing_keys_path`, signed with the signing key
// as the CLI does), and the newer opaque keys, a publishable one
// (`sb_publishable_…`, acts as anon) and a secret one (`sb_secret_…`, acts as service_role).
//
// API keys as the Supabase CLI's gateway treats them (its kong.yml: no key is required, and the
// key becomes the bearer when a request has no Authorization), kept secure where the CLI is not:
// a request without a key is `anon`, never more, and a key that is not one of this project's is
// refused. A key is one of the legacy JWTs, any other JWT signed with the project's keys for
// anon, authenticated or service_role, or one of the opaque `sb_publishable_…`/`sb_secret_…`
// keys, which stand for the anon and service_role JWTs.
import { createHash, createHmac } from 'node:crypto';
import { DEFAULT_JWT_SECRET } from '../config.ts';
import { verifyJwt } from './jwt.ts';
import { signJwt, type JwtKeys } from './jwt-keys.ts';

/** The expiry Supabase's CLI gives its local demo keys (2032-11-12). */
const DEMO_KEY_EXP = 1983812996;
/** With signing keys the CLI signs its keys to expire in ten years (config.generateJWT). */
const TEN_YEARS = 10 * 365 * 24 * 3600;

/** The keys the Supabase CLI serves with its default JWT secret. */
const CLI_PUBLISHABLE_KEY = 'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH';
const CLI_SECRET_KEY = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';

export async function signApiKey(role: 'anon' | 'service_role', keys: JwtKeys): Promise<string> {
  // Claims in the CLI's order, so the default secret yields Supabase's well-known demo keys.
  const exp = keys.signing ? Math.floor(Date.now() / 1000) + TEN_YEARS : DEMO_KEY_EXP;
  return signJwt({ iss: 'supabase-demo', role, exp }, keys);
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

/** The API keys of a project with these JWT keys. */
export async function apiKeys(jwtKeys: JwtKeys): Promise<ApiKeys> {
  const secret = new TextDecoder().decode(jwtKeys.secret);
  const cliDefault = secret === DEFAULT_JWT_SECRET;
  return {
    anonKey: await signApiKey('anon', jwtKeys),
    serviceRoleKey: await signApiKey('service_role', jwtKeys),
    publishableKey: cliDefault ? CLI_PUBLISHABLE_KEY : opaqueKey('sb_publishable_', secret),
    secretKey: cliDefault ? CLI_SECRET_KEY : opaqueKey('sb_secret_', secret),
  };
}

export const API_KEY_ROLES = new Set(['anon', 'authenticated', 'service_role']);

/** The legacy JWT an opaque key stands for; any other value unchanged. */
export function legacyJwtOf(key: string, keys: ApiKeys): string {
  if (key === keys.publishableKey) return keys.anonKey;
  if (key === keys.secretKey) return keys.serviceRoleKey;
  return key;
}

/**
 * The JWT a request's `apikey` stands for: the anon key when there is none, the legacy JWT of an
 * opaque key, the key itself when it is a valid project JWT with an API role; undefined when the
 * key is not valid (the request is refused).
 */
export async function resolveApiKey(key: string | undefined, keys: ApiKeys, jwtKeys: JwtKeys): Promise<string | undefined> {
  if (key === undefined || key === '') return keys.anonKey;
  const jwt = legacyJwtOf(key, keys);
  if (jwt === keys.anonKey || jwt === keys.serviceRoleKey) return jwt;
  if (key.startsWith('sb_')) return undefined;
  const verified = await verifyJwt(jwt, jwtKeys);
  if (!verified.ok || typeof verified.claims.role !== 'string' || !API_KEY_ROLES.has(verified.claims.role)) return undefined;
  return jwt;
}
