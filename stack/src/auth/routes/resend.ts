// POST /resend: the signup confirmation or email-change messages again, or their SMS codes (api/resend.go).
import { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../kit/service.ts';
import { createFlowState, flowFromChallenge, sendConfirmation, sendEmailChange, validateEmail, validatePkceParams } from '../accounts.ts';
import { audit } from '../audit.ts';
import type { AuthDeps } from '../deps.ts';
import { badRequest, ErrorCode } from '../errors.ts';
import { enforceRateLimit, readBody, referrer, requestAud, str, type Ctx } from '../http.ts';
import { sendPhoneOtp, validatePhone } from '../phone.ts';
import { findUserByEmail, findUserByPhone } from '../users.ts';

const resendBody = z.object({ type: str, email: str, phone: str, code_challenge: str, code_challenge_method: str });

/** The SMS branch: the sign-up code of an unconfirmed number, or the pending phone change's code. */
async function resendSms(c: Ctx, deps: AuthDeps, type: string, rawPhone: string): Promise<Response> {
  if (!deps.settings.phoneEnabled) throw badRequest(ErrorCode.phoneProviderDisabled, 'Phone logins are disabled');
  const phone = validatePhone(rawPhone);
  // GoTrue looks the user up by the current number for both types.
  const user = await findUserByPhone(deps.db.query, phone, requestAud(c, deps.settings));
  if (!user) return c.json({});
  if (type === 'sms' && user.isPhoneConfirmed) return c.json({});
  const pending = user.row.phone_change ?? '';
  if (type === 'phone_change' && !pending) return c.json({});
  if (type !== 'sms' && type !== 'phone_change') return c.json({});
  let messageId = '';
  await deps.db.tx(async (q) => {
    if (type === 'sms') {
      await audit(q, user, 'user_recovery_requested');
      messageId = await sendPhoneOtp(deps, q, user, phone, 'confirmation');
    } else {
      messageId = await sendPhoneOtp(deps, q, user, pending, 'phone_change');
    }
  });
  return c.json(messageId ? { message_id: messageId } : {});
}

export function resendRoutes(deps: AuthDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.post('/resend', async (c) => {
    enforceRateLimit(c, deps.limiters.resend);
    const s = deps.settings;
    const params = await readBody(c, resendBody, 'api.ResendConfirmationParams');
    switch (params.type) {
      case 'signup':
      case 'email_change':
        validatePkceParams(params.code_challenge_method, params.code_challenge);
        break;
      case 'sms':
      case 'phone_change':
        break;
      default:
        throw badRequest(ErrorCode.validationFailed, 'Missing one of these types: signup, email_change, sms, phone_change');
    }
    if (!params.email && params.type === 'signup') throw badRequest(ErrorCode.validationFailed, 'Type provided requires an email address');
    if (!params.phone && params.type === 'sms') throw badRequest(ErrorCode.validationFailed, 'Type provided requires a phone number');
    if (params.email && params.phone) throw badRequest(ErrorCode.validationFailed, 'Only an email address or phone number should be provided.');
    if (params.phone) return resendSms(c, deps, params.type, params.phone);
    if (!params.email) throw badRequest(ErrorCode.validationFailed, 'Missing email address or phone number');
    if (!s.email.enabled) throw badRequest(ErrorCode.emailProviderDisabled, 'Email logins are disabled');
    const email = validateEmail(params.email);

    const user = await findUserByEmail(deps.db.query, email, requestAud(c, s));
    if (!user) return c.json({});
    if (params.type === 'signup' && user.isConfirmed) return c.json({});
    if (params.type === 'email_change' && !user.emailChange) return c.json({});
    if (params.type !== 'signup' && params.type !== 'email_change') return c.json({});

    const flow = flowFromChallenge(params.code_challenge);
    const redirectTo = referrer(c, s);
    await deps.db.tx(async (q) => {
      if (params.type === 'signup') {
        await audit(q, user, 'user_confirmation_requested');
        if (flow === 'pkce') {
          await createFlowState(q, {
            providerType: 'email/signup',
            method: 'email/signup',
            codeChallenge: params.code_challenge,
            codeChallengeMethod: params.code_challenge_method,
            userId: user.id,
          });
        }
        await sendConfirmation(deps, q, user, flow, redirectTo);
      } else {
        if (flow === 'pkce') {
          await createFlowState(q, {
            providerType: 'email_change',
            method: 'email_change',
            codeChallenge: params.code_challenge,
            codeChallengeMethod: params.code_challenge_method,
            userId: user.id,
          });
        }
        await sendEmailChange(deps, q, user, user.emailChange, flow, redirectTo);
      }
    });
    return c.json({});
  });
  return app;
}
