// Verifying the bearer tokens every service sees, as GoTrue's parseJWTClaims does with the
// project's keys (kit/jwt-keys.ts): a token naming a `kid` is checked with that key and only its
// `alg`; a token without one is HS256 with the legacy secret. So `alg: none`, an unknown `kid`,
// and key confusion (an HS256 token "signed" with a public key's bytes, an ES256 token naming an
// RSA key) are all refused before any signature is computed.
import { errors, jwtVerify, type JWSHeaderParameters, type JWTPayload, type JWTVerifyOptions } from 'jose';
import type { JwtKeys } from './jwt-keys.ts';
import { deepFreeze } from './deep-freeze.ts';

export interface Claims extends JWTPayload {
  role?: string;
  sub?: string;
  email?: string;
  session_id?: string;
  [claim: string]: unknown;
}

export type JwtResult =
  | { ok: true; claims: Claims; token: string }
  | {
      ok: false;
      reason: 'expired' | 'invalid';
      message: string;
      /** No configured key fits the token: its kid is unknown, or its alg is not its key's. */
      noKey?: true;
    };

/** A token names a `kid` no configured key has (GoTrue's wording). */
export class UnknownKid extends errors.JWKSNoMatchingKey {
  constructor(kid: string, alg: unknown) {
    super(`unrecognized JWT kid ${kid} for algorithm ${String(alg)}`);
  }
}

/** golang-jwt's words for a token whose `alg` does not fit the key its `kid` names. */
export const KEY_OF_INVALID_TYPE = 'key is of invalid type';

/** The key a token's header asks for, or why there is none. */
export function keyForHeader(keys: JwtKeys, header: JWSHeaderParameters): CryptoKey {
  if (header.kid !== undefined) {
    const key = keys.asymmetric.get(header.kid);
    if (!key) throw new UnknownKid(header.kid, header.alg);
    // e.g. HS256 "signed" with the bytes of an RSA key's public part, naming that key.
    if (header.alg !== key.alg) throw new errors.JOSEAlgNotAllowed(KEY_OF_INVALID_TYPE);
    return key.publicKey;
  }
  // Only the secret goes without a kid (GoTrue's fallback is HS256 alone).
  if (header.alg !== 'HS256') throw new UnknownKid('<nil>', header.alg);
  return keys.hmac;
}

/** The verified payload; throws jose's errors (realtime words each failure its own way). */
export async function verifyJwtPayload(token: string, keys: JwtKeys, options: Omit<JWTVerifyOptions, 'algorithms'> = {}): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, (header) => keyForHeader(keys, header), { ...options, algorithms: keys.algorithms });
  return payload;
}

/**
 * Tokens already verified, as PostgREST's JWT cache: keyed by the token string, one map per key set
 * (a token verified under one set of keys is never accepted under another), bounded, and an entry is used
 * only while the token's `exp` has not passed. Only successes are kept. The claims are frozen: every
 * request holding the same token shares them.
 */
export const JWT_CACHE_MAX_ENTRIES = 1000;
const verifiedTokens = new WeakMap<JwtKeys, Map<string, Claims>>();

/** jose's own test (`exp <= now`, in whole seconds, no clock tolerance). */
const expired = (claims: Claims) => typeof claims.exp === 'number' && claims.exp <= Math.floor(Date.now() / 1000);

function remember(key: JwtKeys, token: string, claims: Claims): void {
  let cache = verifiedTokens.get(key);
  if (!cache) verifiedTokens.set(key, (cache = new Map()));
  if (cache.size >= JWT_CACHE_MAX_ENTRIES) {
    // The oldest entry goes first (a Map iterates in insertion order).
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(token, claims);
}

/** How many verified tokens are cached for `key` (for tests). */
export function cachedTokenCount(key: JwtKeys): number {
  return verifiedTokens.get(key)?.size ?? 0;
}

export async function verifyJwt(token: string, keys: JwtKeys): Promise<JwtResult> {
  const cached = verifiedTokens.get(keys)?.get(token);
  if (cached) {
    if (!expired(cached)) return { ok: true, claims: cached, token };
    // Expired since it was cached: forget it, and let jose give the answer it gives.
    verifiedTokens.get(keys)?.delete(token);
  }
  try {
    const claims = deepFreeze((await verifyJwtPayload(token, keys)) as Claims);
    remember(keys, token, claims);
    return { ok: true, claims, token };
  } catch (e) {
    if (e instanceof errors.JWTExpired) return { ok: false, reason: 'expired', message: 'JWT expired' };
    const detail = e instanceof Error ? e.message : String(e);
    const noKey = e instanceof UnknownKid || (e instanceof errors.JOSEAlgNotAllowed && e.message === KEY_OF_INVALID_TYPE);
    return { ok: false, reason: 'invalid', message: detail, ...(noKey ? { noKey: true as const } : {}) };
  }
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}
