// Who is calling: GoTrue's requireAuthentication (a user token whose user and session still
// exist) and requireAdminCredentials (a token whose role is an admin role). The gateway has
// already verified the bearer once; this turns its verdict into GoTrue's errors.
import { decodeProtectedHeader } from 'jose';
import type { Claims, JwtResult } from '../kit/jwt.ts';
import { bearerToken, KEY_OF_INVALID_TYPE } from '../kit/jwt.ts';
import type { AuthDeps } from './deps.ts';
import { AuthError, badRequest, ErrorCode, forbidden } from './errors.ts';
import type { Ctx } from './http.ts';
import { findSession, type SessionRow } from './tokens.ts';
import { findUserById, type User } from './users.ts';
import { UUID } from './db.ts';

const NIL = '00000000-0000-0000-0000-000000000000';

/** golang-jwt's wording for why a token was refused, from the gateway's verdict. */
export function jwtFailureReason(token: string, result: Extract<JwtResult, { ok: false }>): string {
  if (result.reason === 'expired') return 'token has invalid claims: token is expired';
  const segments = token.split('.');
  if (segments.length !== 3) return 'token is malformed: token contains an invalid number of segments';
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    return 'token is malformed: could not JSON decode header';
  }
  // GoTrue's keyfunc (parseJWTClaims): the kid names no key, or the alg does not fit the key.
  if (result.message.startsWith('unrecognized JWT kid')) return `token is unverifiable: error while executing keyfunc: ${result.message}`;
  if (result.message === KEY_OF_INVALID_TYPE) return `token signature is invalid: ${KEY_OF_INVALID_TYPE}`;
  if (typeof alg !== 'string' || result.message.startsWith('"alg" (Algorithm) Header Parameter value not allowed')) {
    return `token signature is invalid: signing method ${String(alg)} is invalid`;
  }
  if (/"nbf"/.test(result.message)) return 'token has invalid claims: token is not valid yet';
  if (/JSON|payload|claims/i.test(result.message) && !/signature/i.test(result.message)) {
    return 'token is malformed: could not JSON decode claim';
  }
  return 'token signature is invalid: signature is invalid';
}

/** The verified claims of the request's bearer token, or GoTrue's 401/403. */
export function requireClaims(c: Ctx): Claims {
  const token = bearerToken(c.req.header('authorization'));
  if (!token) throw new AuthError(401, ErrorCode.noAuthorization, 'This endpoint requires a valid Bearer token');
  const result = c.get('jwt');
  if (!result) throw new AuthError(401, ErrorCode.noAuthorization, 'This endpoint requires a valid Bearer token');
  if (!result.ok) {
    throw forbidden(ErrorCode.badJwt, `invalid JWT: unable to parse or verify signature, ${jwtFailureReason(token, result)}`);
  }
  return result.claims;
}

export interface Authenticated {
  claims: Claims;
  user: User;
  session: SessionRow | undefined;
}

/** GoTrue's maybeLoadUserOrSession: the `sub` user must exist, and the `session_id` session. */
async function loadUserAndSession(deps: AuthDeps, claims: Claims): Promise<Authenticated> {
  const sub = claims.sub;
  if (!sub) throw forbidden(ErrorCode.badJwt, 'invalid claim: missing sub claim');
  if (!UUID.test(sub)) throw badRequest(ErrorCode.badJwt, 'invalid claim: sub claim must be a UUID');
  const user = await findUserById(deps.db.query, sub);
  if (!user) throw forbidden(ErrorCode.userNotFound, 'User from sub claim in JWT does not exist');
  let session: SessionRow | undefined;
  const sid = claims.session_id;
  if (sid && sid !== NIL) {
    if (typeof sid !== 'string' || !UUID.test(sid)) throw forbidden(ErrorCode.badJwt, 'invalid claim: session_id claim must be a UUID');
    session = await findSession(deps.db.query, sid);
    if (!session) throw forbidden(ErrorCode.sessionNotFound, 'Session from session_id claim in JWT does not exist');
  }
  return { claims, user, session };
}

export async function requireUser(c: Ctx, deps: AuthDeps): Promise<Authenticated> {
  const claims = requireClaims(c);
  const auth = await loadUserAndSession(deps, claims);
  if (auth.user.isBanned) throw forbidden(ErrorCode.userBanned, 'User is banned');
  c.set('userId', auth.user.id);
  return auth;
}

/** An admin token (service_role, supabase_admin); its role for the audit log. */
export async function requireAdmin(c: Ctx, deps: AuthDeps): Promise<{ role: string }> {
  const claims = requireClaims(c);
  if (claims.session_id && claims.session_id !== NIL) await loadUserAndSession(deps, claims);
  const role = typeof claims.role === 'string' ? claims.role : '';
  if (!deps.settings.adminRoles.includes(role)) throw forbidden(ErrorCode.notAdmin, 'User not allowed');
  return { role };
}
