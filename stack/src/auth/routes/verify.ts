// /verify: POST with a typed code or a token hash answers a session; GET is the link in the email
// and answers a 303 to `redirect_to` with the session (or the error) in the fragment, or `?code=`
// in PKCE flows (api/verify.go).
import { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../kit/service.ts';
import {
  emailChangeVerify,
  issueAuthCode,
  methodOfVerification,
  recoverVerify,
  signupVerify,
  userByOtp,
  userByTokenHash,
  validateEmail,
} from '../accounts.ts';
import { tokenHash } from '../crypto.ts';
import type { Query } from '../db.ts';
import type { AuthDeps } from '../deps.ts';
import { AuthError, badRequest, ErrorCode, forbidden, unprocessable } from '../errors.ts';
import { encodeGoValues, enforceRateLimit, grantInfo, readBody, referrer, requestAud, str, withFragment, type Ctx } from '../http.ts';
import { issueSession, type SessionResponse } from '../tokens.ts';
import { findUserByPhone, findUserByPhoneChange, reloadUser, updateAppMetadataProviders, type User } from '../users.ts';
import { epochMs } from '../db.ts';
import { smsVerify, testOtp, validatePhone } from '../phone.ts';

const SINGLE_CONFIRMATION = 'Confirmation link accepted. Please proceed to confirm link sent to the other email';

const verifyBody = z.object({ type: str, token: str, token_hash: str, email: str, phone: str, redirect_to: str });

/** The verification itself, shared by GET and POST: the user is confirmed, recovered, changed. */
async function applyVerification(
  deps: AuthDeps,
  q: Query,
  user: User,
  type: string,
  hash: string,
  token: string,
): Promise<User | undefined> {
  switch (type) {
    case 'signup':
    case 'invite':
      await signupVerify(q, user);
      break;
    case 'recovery':
    case 'magiclink':
      await recoverVerify(q, user);
      break;
    case 'email_change':
      if (!(await emailChangeVerify(deps, q, user, hash, token))) return undefined;
      break;
    default:
      throw badRequest(ErrorCode.validationFailed, 'Unsupported verification type');
  }
  await updateAppMetadataProviders(q, user);
  return reloadUser(q, user);
}

/** verifyUserAndToken for `sms` and `phone_change`: the test code of the number, else the stored one. */
async function userByPhoneOtp(deps: AuthDeps, q: Query, type: 'sms' | 'phone_change', phone: string, token: string, hash: string, aud: string): Promise<User> {
  const invalid = () => forbidden(ErrorCode.otpExpired, 'Token has expired or is invalid');
  const user = type === 'sms' ? await findUserByPhone(q, phone, aud) : await findUserByPhoneChange(q, phone, aud);
  if (!user) throw invalid();
  if (user.isBanned) throw forbidden(ErrorCode.userBanned, 'User is banned');
  const fixed = testOtp(deps, phone);
  if (fixed !== undefined && token === fixed) return user;
  const expected = type === 'sms' ? user.row.confirmation_token : user.row.phone_change_token;
  const sentAt = epochMs(type === 'sms' ? user.row.confirmation_sent_at : user.row.phone_change_sent_at);
  const fresh = sentAt !== null && Date.now() <= sentAt + deps.settings.sms.otpExpiry * 1000;
  if (!expected || !fresh || (hash !== expected && `pkce_${hash}` !== expected)) throw invalid();
  return user;
}

async function verifyPost(c: Ctx, deps: AuthDeps): Promise<Response> {
  const p = await readBody(c, verifyBody, 'api.VerifyParams');
  if (!p.type) throw badRequest(ErrorCode.validationFailed, 'Verify requires a verification type');
  if ((!p.token && !p.token_hash) || (p.token && p.token_hash)) {
    throw badRequest(ErrorCode.validationFailed, 'Verify requires either a token or a token hash');
  }
  let hash = p.token_hash;
  let email = '';
  let phone = '';
  if (p.token && p.phone && !p.email) {
    phone = validatePhone(p.phone);
    hash = tokenHash(phone, p.token);
  } else if (p.token) {
    if (!p.email || p.phone) throw badRequest(ErrorCode.validationFailed, 'Only an email address or phone number should be provided on verify');
    try {
      email = validateEmail(p.email);
    } catch {
      throw unprocessable(ErrorCode.validationFailed, 'Invalid email format');
    }
    hash = tokenHash(email, p.token);
  } else if (p.email || p.phone || p.redirect_to) {
    throw badRequest(ErrorCode.validationFailed, 'Only the token_hash and type should be provided');
  }

  const grant = grantInfo(c);
  const aud = requestAud(c, deps.settings);
  const result = await deps.db.tx(async (q): Promise<SessionResponse | undefined> => {
    if (phone && (p.type === 'sms' || p.type === 'phone_change')) {
      const phoneUser = await userByPhoneOtp(deps, q, p.type, phone, p.token, hash, aud);
      await smsVerify(q, phoneUser, p.type, phone);
      await updateAppMetadataProviders(q, phoneUser);
      return issueSession(deps, q, await reloadUser(q, phoneUser), 'otp', grant);
    }
    const found = p.token ? await userByOtp(deps, q, p.type, email, hash, aud) : await userByTokenHash(deps, q, p.type, hash);
    const user = await applyVerification(deps, q, found.user, found.type, hash, p.token);
    if (!user) return undefined;
    return issueSession(deps, q, user, 'otp', grant);
  });
  if (!result) return c.json({ msg: SINGLE_CONFIRMATION, code: '200' });
  c.set('userId', String(result.user.id));
  return c.json(result);
}

const OAUTH_ERRORS: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized_client',
  403: 'access_denied',
  500: 'server_error',
  503: 'temporarily_unavailable',
};

/** `redirectTo` with the error in the fragment (and the query, for PKCE), as prepErrorRedirectURL. */
function errorRedirect(redirectTo: string, err: AuthError, pkce: boolean): string {
  const fragment: Record<string, string> = { error_code: err.code ?? '', error_description: err.message, sb: '' };
  const oauth = OAUTH_ERRORS[err.status];
  if (oauth) fragment.error = oauth;
  const query: Record<string, string> = { error_code: err.code ?? '', error_description: err.message };
  if (oauth) query.error = oauth;
  return withFragment(redirectTo, encodeGoValues(fragment), pkce ? query : undefined);
}

async function verifyGet(c: Ctx, deps: AuthDeps): Promise<Response> {
  const token = c.req.query('token') ?? '';
  const type = c.req.query('type') ?? '';
  const redirectTo = referrer(c, deps.settings);
  if (!type) throw badRequest(ErrorCode.validationFailed, 'Verify requires a verification type');
  if (!token) throw badRequest(ErrorCode.validationFailed, 'Verify requires a token or a token hash');
  const pkce = token.startsWith('pkce_');
  const method = pkce ? methodOfVerification(type) : undefined;
  const grant = grantInfo(c);

  let location: string;
  try {
    location = await deps.db.tx(async (q) => {
      const found = await userByTokenHash(deps, q, type, token);
      const user = await applyVerification(deps, q, found.user, found.type, token, '');
      if (!user) {
        return withFragment(redirectTo, encodeGoValues({ message: SINGLE_CONFIRMATION, sb: '' }), pkce ? { message: SINGLE_CONFIRMATION } : {});
      }
      if (pkce && method) {
        let code: string;
        try {
          code = await issueAuthCode(q, user.id, method);
        } catch (e) {
          throw badRequest(ErrorCode.flowStateNotFound, `No associated flow state found. ${e instanceof Error ? e.message : String(e)}`);
        }
        return withFragment(redirectTo, '', { code });
      }
      const session = await issueSession(deps, q, user, 'otp', grant);
      c.set('userId', user.id);
      return `${redirectTo}#${encodeGoValues({
        access_token: session.access_token,
        token_type: session.token_type,
        expires_in: String(session.expires_in),
        expires_at: String(session.expires_at),
        refresh_token: session.refresh_token,
        type: found.type,
        sb: '',
      })}`;
    });
  } catch (e) {
    if (!(e instanceof AuthError)) throw e;
    location = errorRedirect(redirectTo, e, pkce);
  }
  return c.redirect(location, 303);
}

export function verifyRoutes(deps: AuthDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.use('/verify', async (c, next) => {
    enforceRateLimit(c, deps.limiters.verify);
    await next();
  });
  app.get('/verify', (c) => verifyGet(c, deps));
  app.post('/verify', (c) => verifyPost(c, deps));
  return app;
}
