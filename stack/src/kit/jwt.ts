// Verifying the bearer tokens every service sees, as GoTrue's parseJWTClaims does with the
// project's keys (kit/jwt-keys.ts): a token naming a `kid` is checked with that key and only its
// `alg`; a token without one is HS256 with the legacy secret. So `alg: none`, an unknown `kid`,
// and key confusion (an HS256 token "signed" with a public key's bytes, an ES256 token naming an
// RSA key) are all refused before any signature is computed.
import { errors, jwtVerify, type JWSHeaderParameters, type JWTPayload, type JWTVerifyOptions } from 'jose';
import type { JwtKeys } from './jwt-keys.ts';

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

export async function verifyJwt(token: string, keys: JwtKeys): Promise<JwtResult> {
  try {
    return { ok: true, claims: (await verifyJwtPayload(token, keys)) as Claims, token };
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
