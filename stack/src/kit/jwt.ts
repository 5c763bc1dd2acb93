// Verifying the bearer tokens every service sees: HS256 only (no `alg: none`, no key confusion).
import { errors, jwtVerify, type JWTPayload } from 'jose';

export interface Claims extends JWTPayload {
  role?: string;
  sub?: string;
  email?: string;
  session_id?: string;
  [claim: string]: unknown;
}

export type JwtResult =
  | { ok: true; claims: Claims; token: string }
  | { ok: false; reason: 'expired' | 'invalid'; message: string };

/**
 * The secret imported once as an HMAC key: given the raw bytes, jose imports a CryptoKey on every
 * call, which was a sixth of the JWT check's cost on every request (CPU profile of the gateway).
 */
const importedKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();
function hmacKey(secret: Uint8Array): Promise<CryptoKey> {
  let key = importedKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', new Uint8Array(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    importedKeys.set(secret, key);
  }
  return key;
}

/**
 * Tokens already verified, as PostgREST's JWT cache: keyed by the token string, one map per secret
 * (a token verified under one secret is never accepted under another), bounded, and an entry is used
 * only while the token's `exp` has not passed. Only successes are kept. The claims are frozen: every
 * request holding the same token shares them.
 */
export const JWT_CACHE_MAX_ENTRIES = 1000;
const verifiedTokens = new WeakMap<Uint8Array, Map<string, Claims>>();

/** jose's own test (`exp <= now`, in whole seconds, no clock tolerance). */
const expired = (claims: Claims) => typeof claims.exp === 'number' && claims.exp <= Math.floor(Date.now() / 1000);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function remember(key: Uint8Array, token: string, claims: Claims): void {
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
export function cachedTokenCount(key: Uint8Array): number {
  return verifiedTokens.get(key)?.size ?? 0;
}

export async function verifyJwt(token: string, key: Uint8Array): Promise<JwtResult> {
  const cached = verifiedTokens.get(key)?.get(token);
  if (cached) {
    if (!expired(cached)) return { ok: true, claims: cached, token };
    // Expired since it was cached: forget it, and let jose give the answer it gives.
    verifiedTokens.get(key)?.delete(token);
  }
  try {
    const { payload } = await jwtVerify(token, await hmacKey(key), { algorithms: ['HS256'] });
    const claims = deepFreeze(payload as Claims);
    remember(key, token, claims);
    return { ok: true, claims, token };
  } catch (e) {
    if (e instanceof errors.JWTExpired) return { ok: false, reason: 'expired', message: 'JWT expired' };
    const detail = e instanceof Error ? e.message : String(e);
    return { ok: false, reason: 'invalid', message: detail };
  }
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}
