// POST /resend: the signup confirmation or email-change messages again (api/resend.go).
import { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../kit/service.ts';
import { createFlowState, flowFromChallenge, sendConfirmation, sendEmailChange, validateEmail, validatePkceParams } from '../accounts.ts';
import { audit } from '../audit.ts';
import type { AuthDeps } from '../deps.ts';
import { badRequest, ErrorCode } from '../errors.ts';
import { enforceRateLimit, readBody, referrer, requestAud, str } from '../http.ts';
import { findUserByEmail } from '../users.ts';

const resendBody = z.object({ type: str, email: str, phone: str, code_challenge: str, code_challenge_method: str });

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
    if (params.phone) throw badRequest(ErrorCode.phoneProviderDisabled, 'Phone logins are disabled');
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
