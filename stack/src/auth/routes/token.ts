// POST /token: grant_type=password, refresh_token and pkce (api/token.go, tokens/service.go).
import { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../kit/service.ts';
import type { FlowStateRow } from '../accounts.ts';
import { audit } from '../audit.ts';
import { pkceMismatch, verifyPassword } from '../crypto.ts';
import { epochMs } from '../db.ts';
import type { AuthDeps } from '../deps.ts';
import { badRequest, ErrorCode, notFound, unprocessable } from '../errors.ts';
import { enforceRateLimit, grantInfo, readBody, requestAud, str, type Ctx } from '../http.ts';
import { passwordProblem } from '../password.ts';
import { issueSession, refreshTokenGrant, type AuthMethod } from '../tokens.ts';
import { findUserByEmail, findUserById } from '../users.ts';

const INVALID_LOGIN = 'Invalid login credentials';

const passwordBody = z.object({ email: str, phone: str, password: str });
const refreshBody = z.object({ refresh_token: str });
const pkceBody = z.object({ auth_code: str, code_verifier: str });

async function passwordGrant(c: Ctx, deps: AuthDeps): Promise<Response> {
  const params = await readBody(c, passwordBody, 'api.PasswordGrantParams');
  const s = deps.settings;
  if (params.email && params.phone) {
    throw badRequest(ErrorCode.validationFailed, 'Only an email address or phone number should be provided on login.');
  }
  if (params.phone) throw unprocessable(ErrorCode.phoneProviderDisabled, 'Phone logins are disabled');
  if (!params.email) throw badRequest(ErrorCode.validationFailed, 'missing email or phone');
  if (!s.email.enabled) throw unprocessable(ErrorCode.emailProviderDisabled, 'Email logins are disabled');

  const user = await findUserByEmail(deps.db.query, params.email, requestAud(c, s));
  if (!user || !user.hasPassword) throw badRequest(ErrorCode.invalidCredentials, INVALID_LOGIN);
  if (user.isBanned) throw badRequest(ErrorCode.userBanned, 'User is banned');
  const valid = await verifyPassword(params.password, user.row.encrypted_password);
  if (!valid) throw badRequest(ErrorCode.invalidCredentials, INVALID_LOGIN);
  if (!user.isConfirmed) throw badRequest(ErrorCode.emailNotConfirmed, 'Email not confirmed');

  // A password that no longer meets the policy still signs in, with a warning attached.
  const weak = passwordProblem(params.password, s.password);
  const grant = grantInfo(c);
  const session = await deps.db.tx(async (q) => {
    await audit(q, user, 'login', { provider: 'email' });
    return issueSession(deps, q, user, 'password', grant);
  });
  if (weak?.reasons) session.weak_password = { message: weak.message, reasons: weak.reasons };
  c.set('userId', user.id);
  return c.json(session);
}

async function pkceGrant(c: Ctx, deps: AuthDeps): Promise<Response> {
  const params = await readBody(c, pkceBody, 'api.PKCEGrantParams');
  if (!params.auth_code || !params.code_verifier) {
    throw badRequest(ErrorCode.validationFailed, 'invalid request: both auth code and code verifier should be non-empty');
  }
  const [flow] = await deps.db.query<FlowStateRow>('select * from auth.flow_state where auth_code = $1', [params.auth_code]);
  if (!flow || !flow.user_id) throw notFound(ErrorCode.flowStateNotFound, 'invalid flow state, no valid flow state found');
  const started =
    flow.authentication_method === 'magiclink' && flow.auth_code_issued_at ? epochMs(flow.auth_code_issued_at) : epochMs(flow.created_at);
  if (started === null || Date.now() > started + deps.settings.flowStateExpiryMs) {
    throw unprocessable(ErrorCode.flowStateExpired, 'invalid flow state, flow state has expired');
  }
  const user = await findUserById(deps.db.query, flow.user_id);
  if (!user) throw notFound(ErrorCode.userNotFound, 'User not found');
  const mismatch = flow.code_challenge
    ? pkceMismatch(flow.code_challenge, flow.code_challenge_method ?? '', params.code_verifier)
    : 'PKCE verification not applicable for implicit flow';
  if (mismatch) throw badRequest(ErrorCode.badCodeVerifier, mismatch);
  const grant = grantInfo(c);
  const session = await deps.db.tx(async (q) => {
    await audit(q, user, 'login', { provider_type: flow.provider_type });
    const response = await issueSession(deps, q, user, flow.authentication_method as AuthMethod, grant);
    await q('delete from auth.flow_state where id = $1', [flow.id]);
    return response;
  });
  c.set('userId', user.id);
  return c.json(session);
}

export function tokenRoutes(deps: AuthDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.post('/token', async (c) => {
    const grantType = c.req.query('grant_type') ?? '';
    if (!['password', 'refresh_token', 'pkce'].includes(grantType)) {
      throw badRequest(ErrorCode.invalidCredentials, 'unsupported_grant_type');
    }
    enforceRateLimit(c, deps.limiters.token);
    if (grantType === 'password') return passwordGrant(c, deps);
    if (grantType === 'pkce') return pkceGrant(c, deps);
    const params = await readBody(c, refreshBody, 'api.RefreshTokenGrantParams');
    const session = await refreshTokenGrant(deps, params.refresh_token, grantInfo(c));
    const user = session.user as { id?: unknown };
    if (typeof user.id === 'string') c.set('userId', user.id);
    return c.json(session);
  });
  return app;
}
