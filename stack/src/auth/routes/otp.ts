// Passwordless sign-in: POST /otp (email magic link or code, or an SMS code; optionally creating the user) and
// its older alias POST /magiclink (api/otp.go, api/magic_link.go).
import { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../kit/service.ts';
import { flowFromChallenge, requestRecoveryOrMagicLink, validateEmail, validatePkceParams } from '../accounts.ts';
import { randomPassword } from '../crypto.ts';
import type { AuthDeps } from '../deps.ts';
import { badRequest, ErrorCode, unprocessable } from '../errors.ts';
import { enforceRateLimit, obj, readBody, referrer, requestAud, str, type Ctx } from '../http.ts';
import { findUserByEmail, findUserByPhone } from '../users.ts';
import { audit } from '../audit.ts';
import { sendPhoneOtp, validateChannel, validatePhone } from '../phone.ts';
import { signup } from './signup.ts';

const otpBody = z.object({
  email: str,
  phone: str,
  create_user: z
    .boolean()
    .nullish()
    .transform((v) => v ?? true),
  data: obj,
  channel: str,
  code_challenge: str,
  code_challenge_method: str,
});

const magicLinkBody = z.object({ email: str, data: obj, code_challenge: str, code_challenge_method: str });
type MagicLinkBody = z.output<typeof magicLinkBody>;

/**
 * GoTrue's MagicLink: a sign-in link for a confirmed user; for a new or unconfirmed address a
 * sign-up with a random password (so a confirmation email), and under autoconfirm the link too.
 */
async function magicLink(c: Ctx, deps: AuthDeps, params: MagicLinkBody): Promise<Response> {
  const s = deps.settings;
  if (!s.email.enabled) throw unprocessable(ErrorCode.emailProviderDisabled, 'Email logins are disabled');
  if (!s.email.magicLinkEnabled) throw unprocessable(ErrorCode.emailProviderDisabled, 'Login with magic link is disabled');
  if (!params.email) throw unprocessable(ErrorCode.validationFailed, 'Password recovery requires an email');
  const email = validateEmail(params.email);
  validatePkceParams(params.code_challenge_method, params.code_challenge);
  const flow = flowFromChallenge(params.code_challenge);

  const user = await findUserByEmail(deps.db.query, email, requestAud(c, s));
  if (!user || !user.isConfirmed) {
    await signup(c, deps, {
      email,
      phone: '',
      password: randomPassword(33, s.password.requiredCharacters),
      data: params.data ?? {},
      channel: '',
      code_challenge: params.code_challenge,
      code_challenge_method: params.code_challenge_method,
    });
    if (s.email.autoconfirm) return magicLink(c, deps, { ...params, email });
    return c.json({});
  }

  const pkce = { codeChallenge: params.code_challenge, codeChallengeMethod: params.code_challenge_method };
  await requestRecoveryOrMagicLink(deps, user, 'magiclink', flow, pkce, referrer(c, s));
  return c.json({});
}

/**
 * GoTrue's SmsOtp: a code by SMS to a confirmed number; a new or unconfirmed number is signed up
 * first with a random password (under autoconfirm the code follows at once).
 */
async function smsOtp(c: Ctx, deps: AuthDeps, params: z.output<typeof otpBody>): Promise<Response> {
  const s = deps.settings;
  if (!s.phoneEnabled) throw badRequest(ErrorCode.phoneProviderDisabled, 'Unsupported phone provider');
  const channel = params.channel || 'sms';
  const phone = validatePhone(params.phone);
  validateChannel(channel);
  const user = await findUserByPhone(deps.db.query, phone, requestAud(c, s));
  if (!user || !user.isPhoneConfirmed) {
    await signup(c, deps, {
      email: '',
      phone,
      password: randomPassword(64, s.password.requiredCharacters),
      data: params.data ?? {},
      channel,
      code_challenge: '',
      code_challenge_method: '',
    });
    if (s.sms.autoconfirm) return smsOtp(c, deps, { ...params, data: undefined });
    return c.json({});
  }
  let messageId = '';
  await deps.db.tx(async (q) => {
    await audit(q, user, 'user_recovery_requested', { channel });
    messageId = await sendPhoneOtp(deps, q, user, phone, 'confirmation');
  });
  return c.json({ message_id: messageId });
}

export function otpRoutes(deps: AuthDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();

  app.post('/otp', async (c) => {
    enforceRateLimit(c, deps.limiters.otp);
    const params = await readBody(c, otpBody, 'api.OtpParams');
    if (params.email && params.phone) throw badRequest(ErrorCode.validationFailed, 'Only an email address or phone number should be provided');
    if (params.email && params.channel) throw badRequest(ErrorCode.validationFailed, 'Channel should only be specified with Phone OTP');
    validatePkceParams(params.code_challenge_method, params.code_challenge);
    if (!params.create_user && params.email) {
      const email = validateEmail(params.email);
      if (!(await findUserByEmail(deps.db.query, email, requestAud(c, deps.settings)))) {
        throw unprocessable(ErrorCode.otpDisabled, 'Signups not allowed for otp');
      }
    } else if (!params.create_user && params.phone) {
      const phone = validatePhone(params.phone);
      if (!(await findUserByPhone(deps.db.query, phone, requestAud(c, deps.settings)))) {
        throw unprocessable(ErrorCode.otpDisabled, 'Signups not allowed for otp');
      }
    }
    if (params.email) return magicLink(c, deps, params);
    if (params.phone) return smsOtp(c, deps, params);
    throw badRequest(ErrorCode.validationFailed, 'One of email or phone must be set');
  });

  app.post('/magiclink', async (c) => {
    enforceRateLimit(c, deps.limiters.magicLink);
    return magicLink(c, deps, await readBody(c, magicLinkBody, 'api.MagicLinkParams'));
  });

  return app;
}
