// /factors: MFA is off in this project (`[auth.mfa]` enroll disabled, the CLI default), so
// enrolment is refused the way GoTrue refuses it; challenge/verify/unenroll find no factor.
import { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../kit/service.ts';
import { requireUser } from '../authn.ts';
import type { AuthDeps } from '../deps.ts';
import { badRequest, ErrorCode, forbidden, notFound, unprocessable, type ErrorCodeValue } from '../errors.ts';
import { readBody, str, type Ctx } from '../http.ts';

const enrollBody = z.object({ factor_type: str, friendly_name: str, issuer: str, phone: str });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function signedInNonAnonymous(c: Ctx, deps: AuthDeps) {
  const auth = await requireUser(c, deps);
  if (auth.claims.is_anonymous === true) throw forbidden(ErrorCode.noAuthorization, 'Anonymous user not allowed to perform these actions');
  return auth;
}

export function factorRoutes(deps: AuthDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.post('/factors', async (c) => {
    await signedInNonAnonymous(c, deps);
    const p = await readBody(c, enrollBody, 'api.EnrollFactorParams');
    const disabled: Record<string, [ErrorCodeValue, string]> = {
      phone: [ErrorCode.mfaPhoneEnrollDisabled, 'Phone'],
      totp: [ErrorCode.mfaTotpEnrollDisabled, 'TOTP'],
      webauthn: [ErrorCode.mfaWebAuthnEnrollDisabled, 'WebAuthn'],
    };
    const hit = disabled[p.factor_type];
    if (!hit) throw badRequest(ErrorCode.validationFailed, 'factor_type needs to be totp, phone, or webauthn');
    throw unprocessable(hit[0], `MFA enroll is disabled for ${hit[1]}`);
  });
  app.on(['POST', 'DELETE'], ['/factors/:id', '/factors/:id/challenge', '/factors/:id/verify'], async (c) => {
    const { user } = await signedInNonAnonymous(c, deps);
    const id = c.req.param('id') ?? '';
    if (!UUID.test(id)) throw notFound(ErrorCode.validationFailed, 'factor_id must be an UUID');
    if (!user.factors.some((f) => f.id === id)) throw notFound(ErrorCode.mfaFactorNotFound, 'Factor not found');
    throw badRequest(ErrorCode.featureDisabled, 'MFA is not enabled in this project');
  });
  return app;
}
