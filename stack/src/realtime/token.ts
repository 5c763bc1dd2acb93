// Realtime's JWT checks (ChannelsAuthorization.authorize_conn): HS256 signature with the project
// secret, `role` and `exp` required, and Realtime's own reasons for each failure.
import { decodeJwt, errors, jwtVerify } from 'jose';
import { hmacKey, type Claims } from '../kit/jwt.ts';
import { REASONS } from './reasons.ts';

export type TokenResult =
  | { ok: true; claims: Claims & { role: string; exp: number } }
  | { ok: false; code: 'InvalidJWTToken' | 'MalformedJWT' | 'JwtSignatureError'; message: string; kind: 'expired' | 'missing_claims' | 'malformed' | 'signature' };

/** `exp` of a token that did verify, or undefined when it cannot be read. */
function expOf(token: string): number | undefined {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}

export async function verifyRealtimeToken(token: string, key: Uint8Array, now = Date.now()): Promise<TokenResult> {
  const clean = token.replace(/\s/g, '');
  try {
    // The imported key, not the raw secret: jose would import it again on every join (a tenth of the
    // gateway's CPU while 10,000 sockets connect).
    const { payload } = await jwtVerify(clean, await hmacKey(key), { algorithms: ['HS256'], currentDate: new Date(now) });
    if (typeof payload.role !== 'string' || typeof payload.exp !== 'number') {
      return { ok: false, code: 'InvalidJWTToken', kind: 'missing_claims', message: REASONS.missingClaims };
    }
    const nowSec = Math.floor(now / 1000);
    if (payload.exp <= nowSec) {
      return { ok: false, code: 'InvalidJWTToken', kind: 'expired', message: REASONS.expired(nowSec - payload.exp) };
    }
    return { ok: true, claims: payload as Claims & { role: string; exp: number } };
  } catch (e) {
    if (e instanceof errors.JWSSignatureVerificationFailed || e instanceof errors.JOSEAlgNotAllowed) {
      return { ok: false, code: 'JwtSignatureError', kind: 'signature', message: REASONS.signatureError };
    }
    if (e instanceof errors.JWTExpired) {
      const exp = expOf(clean) ?? 0;
      return { ok: false, code: 'InvalidJWTToken', kind: 'expired', message: REASONS.expired(Math.floor(now / 1000) - exp) };
    }
    return { ok: false, code: 'MalformedJWT', kind: 'malformed', message: REASONS.malformedJwt };
  }
}

/** Milliseconds until the token expires. */
export const msUntilExpiry = (claims: { exp: number }, now = Date.now()): number => claims.exp * 1000 - now;
