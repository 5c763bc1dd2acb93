// The signed-in user: POST /logout, GET and PUT /user, GET /reauthenticate (api/logout.go,
// api/user.go, api/reauthenticate.go).
import { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../kit/service.ts';
import {
  applyEmailChange,
  createFlowState,
  flowFromChallenge,
  sendEmailChange,
  sendReauthentication,
  updatePassword,
  validateEmail,
  validatePkceParams,
} from '../accounts.ts';
import { audit } from '../audit.ts';
import { requireUser } from '../authn.ts';
import { hashPassword, tokenHash, verifyPassword } from '../crypto.ts';
import { epochMs } from '../db.ts';
import type { AuthDeps } from '../deps.ts';
import { AuthError, badRequest, ErrorCode, forbidden, internal, unprocessable } from '../errors.ts';
import { enforceRateLimit, obj, optStr, readBody, referrer, requestAud, str, type Ctx } from '../http.ts';
import { checkPassword } from '../password.ts';
import { logout } from '../tokens.ts';
import { sendPhoneOtp, smsVerify, validateChannel, validatePhone } from '../phone.ts';
import { clearOneTimeTokens, findDuplicateEmail, findUserByPhone, reloadUser, updateUser, updateUserMetadata } from '../users.ts';

const userUpdateBody = z.object({
  email: str,
  password: optStr,
  current_password: optStr,
  nonce: str,
  data: obj,
  app_metadata: obj,
  phone: str,
  channel: str,
  code_challenge: str,
  code_challenge_method: str,
});

async function getUser(c: Ctx, deps: AuthDeps): Promise<Response> {
  const { claims, user } = await requireUser(c, deps);
  const aud = claims.aud;
  const tokenAud = Array.isArray(aud) ? aud[0] : aud;
  if (!tokenAud || requestAud(c, deps.settings) !== tokenAud) {
    throw badRequest(ErrorCode.validationFailed, "Token audience doesn't match request audience");
  }
  return c.json(user.toJSON());
}

async function updateUserRoute(c: Ctx, deps: AuthDeps): Promise<Response> {
  const { user, session } = await requireUser(c, deps);
  enforceRateLimit(c, deps.limiters.user);
  const params = await readBody(c, userUpdateBody, 'api.UserUpdateParams');
  const s = deps.settings;
  const aud = requestAud(c, s);

  const email = params.email ? validateEmail(params.email) : '';
  const phone = params.phone ? validatePhone(params.phone) : '';
  if (phone) validateChannel(params.channel || 'sms');
  if (params.password !== undefined) checkPassword(params.password, s.password);
  if (params.app_metadata !== undefined) {
    // Only an admin user (the JWT admin group, unused by Supabase) may; users never can.
    throw forbidden(ErrorCode.notAdmin, 'Updating app_metadata requires admin privileges');
  }
  if (user.hasMfa && session?.aal !== 'aal2') {
    if (params.password || (email && email !== user.email) || (phone && phone !== user.phone)) {
      throw new AuthError(401, ErrorCode.insufficientAal, 'AAL2 session is required to update email or password when MFA is enabled.');
    }
  }
  if (user.isAnonymous && params.password && !email && !phone) {
    throw unprocessable(ErrorCode.validationFailed, 'Updating password of an anonymous user without an email or phone is not allowed');
  }
  if (email && email !== user.email && (await findDuplicateEmail(deps.db.query, email, aud, user.id))) {
    throw unprocessable(ErrorCode.emailExists, 'A user with this email address has already been registered');
  }

  const phoneOwner = phone && phone !== user.phone ? await findUserByPhone(deps.db.query, phone, aud) : undefined;
  if (phoneOwner && phoneOwner.id !== user.id) {
    throw unprocessable(ErrorCode.phoneExists, 'A user with this phone number has already been registered');
  }

  let newHash: string | null | undefined;
  if (params.password !== undefined) {
    if (s.email.updatePasswordRequireReauthentication) {
      const created = session ? epochMs(session.created_at) : null;
      const recent = created !== null && Date.now() - created < 24 * 3600 * 1000;
      if (!recent) {
        if (!params.nonce) throw badRequest(ErrorCode.reauthenticationNeeded, 'Password update requires reauthentication');
        const expected = user.token('reauthentication_token');
        const sent = epochMs(user.row.reauthentication_sent_at);
        const fresh = sent !== null && Date.now() <= sent + s.email.otpExpiry * 1000;
        // The nonce went by e-mail, or by SMS to a user without an address.
        const sentTo = user.email || user.phone;
        if (!expected || !fresh || tokenHash(sentTo, params.nonce) !== expected) {
          throw unprocessable(ErrorCode.reauthenticationNotValid, 'Nonce has expired or is invalid');
        }
      }
    }
    if (params.password !== '' && user.hasPassword && (await verifyPassword(params.password, user.row.encrypted_password))) {
      throw unprocessable(ErrorCode.samePassword, 'New password should be different from the old password.');
    }
    newHash = params.password === '' ? null : await hashPassword(params.password);
  }

  const redirectTo = referrer(c, s);
  const updated = await deps.db.tx(async (q) => {
    if (newHash !== undefined) {
      try {
        await updatePassword(q, user, newHash, session?.id);
        if (s.email.updatePasswordRequireReauthentication) {
          await updateUser(q, user, { reauthentication_token: '' });
          await clearOneTimeTokens(q, user.id);
        }
      } catch (e) {
        throw internal('Error during password storage').withInternal(e instanceof Error ? e.message : String(e));
      }
      await audit(q, user, 'user_updated_password');
    }
    if (params.data !== undefined) await updateUserMetadata(q, user, params.data);
    if (email && email !== user.email) {
      if (user.isAnonymous && s.email.autoconfirm) {
        // An anonymous user adding an email under autoconfirm: the change applies at once.
        await updateUser(q, user, { email_change: email });
        await applyEmailChange(q, user);
      } else {
        const flow = flowFromChallenge(params.code_challenge);
        validatePkceParams(params.code_challenge_method, params.code_challenge);
        if (flow === 'pkce') {
          await createFlowState(q, {
            providerType: 'email_change',
            method: 'email_change',
            codeChallenge: params.code_challenge,
            codeChallengeMethod: params.code_challenge_method,
            userId: user.id,
          });
        }
        await sendEmailChange(deps, q, user, email, flow, redirectTo);
      }
    }
    if (phone && phone !== user.phone) {
      if (s.sms.autoconfirm) {
        await updateUser(q, user, { phone_change: phone });
        await smsVerify(q, user, 'phone_change', phone);
      } else {
        await sendPhoneOtp(deps, q, user, phone, 'phone_change');
      }
    }
    await audit(q, user, 'user_modified');
    return reloadUser(q, user);
  });
  return c.json(updated.toJSON());
}

export function userRoutes(deps: AuthDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();

  app.post('/logout', async (c) => {
    const { user, session } = await requireUser(c, deps);
    const raw = c.req.query('scope') ?? '';
    const scope = raw === '' ? 'global' : raw;
    if (scope !== 'global' && scope !== 'local' && scope !== 'others') {
      throw badRequest(ErrorCode.validationFailed, `Unsupported logout scope "${raw}"`);
    }
    try {
      await deps.db.tx(async (q) => {
        await audit(q, user, 'logout');
        await logout(q, user.id, session?.id, scope);
      });
    } catch (e) {
      throw internal('Error logging out user').withInternal(e instanceof Error ? e.message : String(e));
    }
    return c.body(null, 204);
  });

  app.get('/user', (c) => getUser(c, deps));
  app.put('/user', (c) => updateUserRoute(c, deps));

  app.get('/reauthenticate', async (c) => {
    const { user } = await requireUser(c, deps);
    if (!user.email && !user.phone) throw badRequest(ErrorCode.validationFailed, 'Reauthentication requires the user to have an email or a phone number');
    if (user.email && !user.isConfirmed) throw unprocessable(ErrorCode.emailNotConfirmed, 'Please verify your email first.');
    if (!user.email && !user.isPhoneConfirmed) throw unprocessable(ErrorCode.phoneNotConfirmed, 'Please verify your phone first.');
    await deps.db.tx(async (q) => {
      await audit(q, user, 'user_reauthenticate_requested');
      if (user.email) await sendReauthentication(deps, q, user);
      else await sendPhoneOtp(deps, q, user, user.phone, 'reauthentication');
    });
    return c.json({});
  });

  return app;
}
