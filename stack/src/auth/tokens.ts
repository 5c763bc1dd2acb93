// Sessions, refresh tokens and access tokens, as supabase/auth internal/tokens does it with
// legacy (v1) refresh tokens: one auth.sessions row per sign-in, a chain of auth.refresh_tokens
// rows rotated on every refresh, AMR claims in auth.mfa_amr_claims, access tokens (HS256, or the
// configured signing key's RS256/ES256 with its kid: kit/jwt-keys.ts) whose claims the Custom
// Access Token hook may rewrite.
import { randomUUID } from 'node:crypto';
import { signJwt } from '../kit/jwt-keys.ts';
import { audit } from './audit.ts';
import { secureAlphanumeric } from './crypto.ts';
import { epochMs, NIL_UUID, type Query, type Row } from './db.ts';
import type { AuthDeps } from './deps.ts';
import { badRequest, conflict, ErrorCode, OAuthError } from './errors.ts';
import { runCustomAccessTokenHook } from './hooks.ts';
import { findUserById, NOW, updateUser, type User } from './users.ts';

/** Request facts stored on a session (GoTrue's GrantParams). */
export interface GrantInfo {
  userAgent?: string;
  ip?: string;
}

/** The `amr` methods GoTrue records (models.AuthenticationMethod). */
export type AuthMethod =
  | 'password'
  | 'otp'
  | 'magiclink'
  | 'recovery'
  | 'invite'
  | 'email/signup'
  | 'email_change'
  | 'token_refresh'
  | 'anonymous'
  | 'oauth'
  | 'totp';

export interface SessionRow extends Row {
  id: string;
  user_id: string;
  created_at: string;
  updated_at: string;
  factor_id: string | null;
  aal: string | null;
  not_after: string | null;
  refreshed_at: string | null;
}

interface RefreshTokenRow extends Row {
  id: string;
  token: string;
  user_id: string;
  revoked: boolean;
  created_at: string;
  updated_at: string;
  parent: string | null;
  session_id: string | null;
}

/** The session response of every token grant: auth-js's `Session` before it adds nothing. */
export interface SessionResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: Record<string, unknown>;
  weak_password?: { message: string; reasons: string[] };
}

export async function findSession(q: Query, id: string): Promise<SessionRow | undefined> {
  const [row] = await q<SessionRow>('select * from auth.sessions where id = $1', [id]);
  return row;
}

export async function addAmrClaim(q: Query, sessionId: string, method: AuthMethod): Promise<void> {
  await q(
    `insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method) values ($1, $2, now(), now(), $3)
     on conflict on constraint mfa_amr_claims_session_id_authentication_method_pkey do update set updated_at = now()`,
    [randomUUID(), sessionId, method],
  );
}

/** AAL and AMR of a session, newest method first (Session.CalculateAALAndAMR). */
async function aalAndAmr(q: Query, sessionId: string): Promise<{ aal: string; amr: { method: string; timestamp: number }[] }> {
  const rows = await q<{ authentication_method: string; updated_at: string }>(
    'select authentication_method, updated_at from auth.mfa_amr_claims where session_id = $1',
    [sessionId],
  );
  const aal2 = ['totp', 'mfa/phone', 'mfa/webauthn'];
  const amr = rows
    .map((r) => ({ method: r.authentication_method, timestamp: Math.floor((epochMs(r.updated_at) ?? 0) / 1000) }))
    .sort((a, b) => b.timestamp - a.timestamp);
  return { aal: rows.some((r) => aal2.includes(r.authentication_method)) ? 'aal2' : 'aal1', amr };
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

/**
 * Signs an access token for `user` in session `sessionId`, running the Custom Access Token hook
 * when configured. Returns the token and its expiry (unix seconds).
 */
export async function generateAccessToken(
  deps: AuthDeps,
  q: Query,
  user: User,
  sessionId: string,
  method: AuthMethod,
  ip?: string,
): Promise<{ token: string; expiresAt: number }> {
  const { aal, amr } = await aalAndAmr(q, sessionId);
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + deps.settings.jwtExpiry;
  let claims: Record<string, unknown> = {
    iss: deps.settings.externalUrl,
    sub: user.id,
    aud: user.aud,
    exp,
    iat,
    email: user.email,
    phone: user.phone,
    app_metadata: user.appMetadata,
    user_metadata: user.userMetadata,
    role: user.role,
    aal,
    amr,
    session_id: sessionId,
    is_anonymous: user.isAnonymous,
  };
  if (!amr.length) delete claims.amr;
  const hook = deps.settings.hooks.customAccessToken;
  if (hook) {
    const input = { user_id: user.id, claims, authentication_method: method, ...(ip ? { ip_address: ip } : {}) };
    // Go re-encodes the hook's claims from a map: keys come out sorted.
    claims = sortKeys(await runCustomAccessTokenHook(q, hook.functionName, hook.uri, input));
  }
  const token = await signJwt(claims, deps.jwtKeys);
  const expSeconds = typeof claims.exp === 'number' ? claims.exp : exp;
  return { token, expiresAt: expSeconds };
}

export function sessionResponse(token: { token: string; expiresAt: number }, refreshToken: string, user: User): SessionResponse {
  return {
    access_token: token.token,
    token_type: 'bearer',
    expires_in: token.expiresAt - Math.floor(Date.now() / 1000),
    expires_at: token.expiresAt,
    refresh_token: refreshToken,
    user: user.toJSON(),
  };
}

async function insertRefreshToken(q: Query, userId: string, sessionId: string, parent: string | null): Promise<string> {
  const token = secureAlphanumeric(12);
  await q(
    `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
     values ($1, $2, $3, false, now(), now(), $4, $5)`,
    [NIL_UUID, token, userId, parent, sessionId],
  );
  return token;
}

/**
 * Rotation: the session's live token `parent` (if any) is revoked, and a new one issued as its
 * child (a refresh, or a session raised to aal2).
 */
export async function rotateRefreshToken(q: Query, userId: string, sessionId: string, parent: string | null): Promise<string> {
  if (parent !== null) await q('update auth.refresh_tokens set revoked = true, updated_at = now() where token = $1', [parent]);
  return insertRefreshToken(q, userId, sessionId, parent);
}

/**
 * A new session for `user`, signed in by `method`: the session row, its first refresh token,
 * `last_sign_in_at`, the AMR claim and the access token (GoTrue's IssueRefreshToken).
 */
export async function issueSession(deps: AuthDeps, q: Query, user: User, method: AuthMethod, grant: GrantInfo): Promise<SessionResponse> {
  const sessionId = randomUUID();
  await q(
    `insert into auth.sessions (id, user_id, created_at, updated_at, factor_id, aal, user_agent, ip)
     values ($1, $2, now(), now(), null, 'aal1', $3, $4)`,
    [sessionId, user.id, grant.userAgent || null, grant.ip || null],
  );
  const refreshToken = await insertRefreshToken(q, user.id, sessionId, null);
  await updateUser(q, user, { last_sign_in_at: NOW });
  await addAmrClaim(q, sessionId, method);
  const token = await generateAccessToken(deps, q, user, sessionId, method, grant.ip);
  return sessionResponse(token, refreshToken, user);
}

const RETRY_WINDOW_MS = 5000;

/**
 * grant_type=refresh_token: rotate the refresh token. A revoked token is accepted again only
 * within the reuse interval (or when it is the parent of the live token, whose value is then
 * returned); reuse outside it revokes every token of the session (GoTrue's RevokeTokenFamily)
 * and fails with refresh_token_already_used.
 */
export async function refreshTokenGrant(deps: AuthDeps, refreshToken: string, grant: GrantInfo): Promise<SessionResponse> {
  if (!refreshToken) throw new OAuthError('invalid_request', 'refresh_token required');
  const notFound = () => badRequest(ErrorCode.refreshTokenNotFound, 'Invalid Refresh Token: Refresh Token Not Found');
  if (refreshToken.length !== 12) throw notFound();

  const started = Date.now();
  for (;;) {
    // Outside the transaction first: cheap checks that need no lock.
    const [probe] = await deps.db.query<RefreshTokenRow>('select * from auth.refresh_tokens where token = $1', [refreshToken]);
    if (!probe) throw notFound();
    const probeUser = await findUserById(deps.db.query, probe.user_id);
    if (!probeUser) throw notFound();
    if (probeUser.isBanned) throw badRequest(ErrorCode.userBanned, 'Invalid Refresh Token: User Banned');
    const probeSession = probe.session_id ? await findSession(deps.db.query, probe.session_id) : undefined;
    if (!probeSession) {
      await deps.db.query('delete from auth.refresh_tokens where id = $1', [probe.id]);
      throw badRequest(ErrorCode.sessionNotFound, 'Invalid Refresh Token: No Valid Session Found');
    }
    if (probeSession.not_after && Date.now() > (epochMs(probeSession.not_after) ?? Infinity)) {
      throw badRequest(ErrorCode.sessionExpired, 'Invalid Refresh Token: Session Expired');
    }

    let locked = false;
    const result = await deps.db.tx(async (q) => {
      const [token] = await q<RefreshTokenRow>('select * from auth.refresh_tokens where token = $1 limit 1 for update skip locked', [refreshToken]);
      const [session] = token?.session_id
        ? await q<SessionRow>('select * from auth.sessions where id = $1 limit 1 for update skip locked', [token.session_id])
        : [];
      if (!token || !session) {
        locked = true;
        return undefined;
      }
      const user = await findUserById(q, token.user_id);
      if (!user) throw notFound();

      let issued = '';
      if (token.revoked) {
        const [active] = await q<RefreshTokenRow>(
          'select * from auth.refresh_tokens where session_id = $1 and revoked is false order by id desc limit 1',
          [session.id],
        );
        if (active && active.parent === token.token) {
          // The client lost the previous response: hand back the live token, no new one.
          issued = active.token;
        } else {
          const reuseUntil = (epochMs(token.updated_at) ?? 0) + deps.settings.refreshTokenReuseInterval * 1000;
          if (Date.now() > reuseUntil) {
            if (deps.settings.refreshTokenRotation) {
              await q('update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1 and revoked = false', [session.id]);
            }
            throw badRequest(ErrorCode.refreshTokenAlreadyUsed, 'Invalid Refresh Token: Already Used')
              .withInternal(`Possible abuse attempt: ${token.id}`)
              .committing();
          }
        }
      }

      await audit(q, user, 'token_refreshed');
      if (!issued) {
        await audit(q, user, 'token_revoked');
        issued = await rotateRefreshToken(q, user.id, session.id, token.token);
      }

      const access = await generateAccessToken(deps, q, user, session.id, 'token_refresh', grant.ip);
      await q("update auth.sessions set refreshed_at = timezone('utc', now()), user_agent = $2, ip = $3, updated_at = now() where id = $1", [
        session.id,
        grant.userAgent || null,
        grant.ip || null,
      ]);
      return sessionResponse(access, issued, user);
    });
    if (result) return result;
    if (!locked || Date.now() - started > RETRY_WINDOW_MS) break;
    await new Promise((r) => setTimeout(r, 10 + Math.floor(Math.random() * 20)));
  }
  throw conflict('Too many concurrent token refresh requests on the same session or refresh token');
}

/** Logout scopes: every session of the user, this one, or all but this one. */
export async function logout(q: Query, userId: string, sessionId: string | undefined, scope: 'global' | 'local' | 'others'): Promise<void> {
  if (sessionId && scope === 'local') await q('delete from auth.sessions where id = $1', [sessionId]);
  else if (sessionId && scope === 'others') await q('delete from auth.sessions where id <> $1 and user_id = $2', [sessionId, userId]);
  else await q('delete from auth.sessions where user_id = $1', [userId]);
}
