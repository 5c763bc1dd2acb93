// POST /token: grant_type=password, refresh_token and pkce (api/token.go, tokens/service.go).
import { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../kit/service.ts';
import type { FlowStateRow } from '../accounts.ts';
import { audit } from '../audit.ts';
import { pkceMismatch, verifyPassword } from '../crypto.ts';
import { epochMs } from '../db.ts';
import type { AuthDeps } from '../deps.ts';
import { badRequest, ErrorCode, notFound, OAuthError, unprocessable } from '../errors.ts';
import { requireUser } from '../authn.ts';
import { bool, enforceRateLimit, grantInfo, readBody, requestAud, str, type Ctx } from '../http.ts';
import { passwordProblem } from '../password.ts';
import { issueSession, refreshTokenGrant, type AuthMethod } from '../tokens.ts';
import { findUserByEmail, findUserById, findUserByPhone } from '../users.ts';

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
  let user;
  if (params.email) {
    if (!s.email.enabled) throw unprocessable(ErrorCode.emailProviderDisabled, 'Email logins are disabled');
    user = await findUserByEmail(deps.db.query, params.email, requestAud(c, s));
  } else if (params.phone) {
    if (!s.phoneEnabled) throw unprocessable(ErrorCode.phoneProviderDisabled, 'Phone logins are disabled');
    user = await findUserByPhone(deps.db.query, params.phone.replace(/^\+/, '').replaceAll(' ', ''), requestAud(c, s));
  } else {
    throw badRequest(ErrorCode.validationFailed, 'missing email or phone');
  }
  if (!user || !user.hasPassword) throw badRequest(ErrorCode.invalidCredentials, INVALID_LOGIN);
  if (user.isBanned) throw badRequest(ErrorCode.userBanned, 'User is banned');
  const valid = await verifyPassword(params.password, user.row.encrypted_password);
  if (!valid) throw badRequest(ErrorCode.invalidCredentials, INVALID_LOGIN);
  if (params.email && !user.isConfirmed) throw badRequest(ErrorCode.emailNotConfirmed, 'Email not confirmed');
  if (params.phone && !user.isPhoneConfirmed) throw badRequest(ErrorCode.phoneNotConfirmed, 'Phone not confirmed');
  const provider = params.email ? 'email' : 'phone';

  // A password that no longer meets the policy still signs in, with a warning attached.
  const weak = passwordProblem(params.password, s.password);
  const grant = grantInfo(c);
  const session = await deps.db.tx(async (q) => {
    await audit(q, user, 'login', { provider });
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

const idTokenBody = z.object({ id_token: str, access_token: str, nonce: str, provider: str, client_id: str, issuer: str, link_identity: bool });

/** The OIDC issuers GoTrue knows by provider name (token_oidc.go getProvider). */
const OIDC_ISSUERS: Record<string, string> = {
  google: 'https://accounts.google.com',
  kakao: 'https://kauth.kakao.com',
  vercel_marketplace: 'https://marketplace.vercel.com',
  snapchat: 'https://accounts.snapchat.com',
  keycloak: '',
};

/** The `iss` of an unverified JWT, or undefined when it is not one. */
function unverifiedIssuer(token: string): string | undefined {
  try {
    const iss = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown }).iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

/**
 * grant_type=id_token (signInWithIdToken): GoTrue's checks and refusals. An enabled provider's
 * token would be verified against the provider's published keys, which the local stack cannot
 * fetch, so it is refused as an unverifiable token is ("Bad ID token").
 */
async function idTokenGrant(c: Ctx, deps: AuthDeps): Promise<Response> {
  const p = await readBody(c, idTokenBody, 'api.IdTokenGrantParams');
  if (!p.id_token) throw new OAuthError('invalid request', 'id_token required');
  if (!p.provider && (!p.client_id || !p.issuer)) throw new OAuthError('invalid request', 'provider or client_id and issuer required');
  if (p.link_identity) {
    if (!c.req.header('authorization')) throw new OAuthError('invalid request', 'Linking requires a valid user access token in Authorization');
    await requireUser(c, deps);
  }
  const enabled = deps.settings.external;
  let name: string;
  let issuer: string;
  if (p.provider === 'apple' || p.provider === 'azure') {
    name = p.provider;
    const detected = unverifiedIssuer(p.id_token);
    if (!detected) {
      throw badRequest(ErrorCode.validationFailed, `Unable to detect issuer in ID token for ${p.provider === 'apple' ? 'Apple' : 'Azure'} provider`);
    }
    issuer = detected;
  } else if (p.provider in OIDC_ISSUERS) {
    name = p.provider;
    issuer = OIDC_ISSUERS[p.provider]!;
  } else if (p.provider.startsWith('custom:')) {
    throw badRequest(ErrorCode.validationFailed, 'Custom OAuth providers are disabled');
  } else {
    throw badRequest(ErrorCode.validationFailed, `Custom OIDC provider "${p.provider}" not allowed`);
  }
  if (!enabled[name]) throw badRequest(ErrorCode.providerDisabled, `Provider (issuer "${issuer}") is not enabled`);
  throw new OAuthError('invalid request', 'Bad ID token');
}

const web3Body = z.object({ message: str, signature: str, chain: str });

/** grant_type=web3 (signInWithWeb3): `[auth.web3.solana]` / `[auth.web3.ethereum]` are off. */
async function web3Grant(c: Ctx, deps: AuthDeps): Promise<Response> {
  const { solana, ethereum } = deps.settings.web3;
  if (!solana && !ethereum) throw unprocessable(ErrorCode.web3ProviderDisabled, 'Web3 provider is disabled');
  const p = await readBody(c, web3Body, 'api.Web3GrantParams');
  if (p.chain === 'solana' && !solana) throw unprocessable(ErrorCode.web3ProviderDisabled, 'Solana Web3 provider is disabled');
  if (p.chain === 'ethereum' && !ethereum) throw unprocessable(ErrorCode.web3ProviderDisabled, 'Ethereum Web3 provider is disabled');
  if (p.chain !== 'solana' && p.chain !== 'ethereum') throw badRequest(ErrorCode.web3UnsupportedChain, 'Unsupported chain');
  // Signature checks (ed25519 / EIP-4361) are not implemented: an enabled chain is still refused.
  throw unprocessable(ErrorCode.web3ProviderDisabled, `${p.chain === 'solana' ? 'Solana' : 'Ethereum'} Web3 provider is disabled`);
}

export function tokenRoutes(deps: AuthDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.post('/token', async (c) => {
    const grantType = c.req.query('grant_type') ?? '';
    if (!['password', 'refresh_token', 'pkce', 'id_token', 'web3'].includes(grantType)) {
      throw badRequest(ErrorCode.invalidCredentials, 'unsupported_grant_type');
    }
    enforceRateLimit(c, grantType === 'web3' ? deps.limiters.web3 : deps.limiters.token);
    if (grantType === 'id_token') return idTokenGrant(c, deps);
    if (grantType === 'web3') return web3Grant(c, deps);
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
