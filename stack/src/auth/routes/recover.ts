// POST /recover: a password-recovery email; `{}` whether or not the address has an account
// (api/recover.go).
import { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../kit/service.ts';
import { flowFromChallenge, requestRecoveryOrMagicLink, validateEmail, validatePkceParams } from '../accounts.ts';
import type { AuthDeps } from '../deps.ts';
import { badRequest, ErrorCode } from '../errors.ts';
import { enforceRateLimit, readBody, referrer, requestAud, str } from '../http.ts';
import { findUserByEmail } from '../users.ts';

const recoverBody = z.object({ email: str, code_challenge: str, code_challenge_method: str });

export function recoverRoutes(deps: AuthDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.post('/recover', async (c) => {
    enforceRateLimit(c, deps.limiters.recover);
    const s = deps.settings;
    if (!s.email.enabled) throw badRequest(ErrorCode.emailProviderDisabled, 'Email logins are disabled');
    const params = await readBody(c, recoverBody, 'api.RecoverParams');
    const flow = flowFromChallenge(params.code_challenge);
    if (!params.email) throw badRequest(ErrorCode.validationFailed, 'Password recovery requires an email');
    const email = validateEmail(params.email);
    validatePkceParams(params.code_challenge_method, params.code_challenge);

    const user = await findUserByEmail(deps.db.query, email, requestAud(c, s));
    if (!user) return c.json({});
    const pkce = { codeChallenge: params.code_challenge, codeChallengeMethod: params.code_challenge_method };
    await requestRecoveryOrMagicLink(deps, user, 'recovery', flow, pkce, referrer(c, s));
    return c.json({});
  });
  return app;
}
