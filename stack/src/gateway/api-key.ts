// API keys as the Supabase CLI's gateway treats them (its kong.yml: no key is required, and the
// key becomes the bearer when a request has no Authorization), kept secure where the CLI is not:
// a request without a key is `anon`, never more, and a key that is not one of this project's is
// refused. A key is one of the legacy JWTs, any other JWT signed with the project's secret for
// anon, authenticated or service_role, or one of the opaque `sb_publishable_…`/`sb_secret_…`
// keys, which stand for the anon and service_role JWTs.
import type { ApiKeys } from '../keys.ts';
import { verifyJwt } from './jwt.ts';

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
export async function resolveApiKey(key: string | undefined, keys: ApiKeys, jwtKey: Uint8Array): Promise<string | undefined> {
  if (key === undefined || key === '') return keys.anonKey;
  const jwt = legacyJwtOf(key, keys);
  if (jwt === keys.anonKey || jwt === keys.serviceRoleKey) return jwt;
  if (key.startsWith('sb_')) return undefined;
  const verified = await verifyJwt(jwt, jwtKey);
  if (!verified.ok || typeof verified.claims.role !== 'string' || !API_KEY_ROLES.has(verified.claims.role)) return undefined;
  return jwt;
}
