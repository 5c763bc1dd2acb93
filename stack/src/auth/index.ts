// /auth/v1: a GoTrue-compatible auth service over the platform's `auth` schema, connected as
// supabase_auth_admin like GoTrue. One route group per file under routes/, errors rendered in
// one place (errors.ts), emails delivered to the local mail sink served at /mail/v1.
//
// Endpoints: health, settings, .well-known/jwks.json, authorize/callback (no provider enabled),
// signup (email, phone, anonymous), token (password, refresh_token, pkce; id_token and web3
// refused as GoTrue refuses them when off), verify (GET link, POST code or hash, sms and
// phone_change codes), logout, user (GET, PUT), user/identities (manual linking), reauthenticate,
// recover, otp (email or SMS), magiclink, resend, factors (TOTP MFA), sso (SAML off), invite,
// admin/users[/{id}[/factors]], admin/generate_link, admin/audit.
//
// Settings come from `[auth]` in supabase/config.toml; AUTH_<TOML PATH> variables override them
// for one process (AUTH_RATE_LIMIT_EMAIL_SENT=2, AUTH_EMAIL_ENABLE_CONFIRMATIONS=false,
// AUTH_HOOK_CUSTOM_ACCESS_TOKEN_URI=pg-functions://postgres/<schema>/<fn>, …; see config.ts).
// gateway/auth-only.ts runs this service alone on another port with such overrides, for tests.
import { Hono } from 'hono';
import type { GatewayContext } from '../kit/context.ts';
import { isConnectionFailure } from '../kit/db-errors.ts';
import type { GatewayEnv, Service } from '../kit/service.ts';
import { resolveSettings, withEnvOverrides } from './config.ts';
import { Db } from './db.ts';
import type { AuthDeps } from './deps.ts';
import { renderError } from './errors.ts';
import { Mailer } from './mailer.ts';
import { MailSink, mailService } from './mailsink.ts';
import { createLimiters } from './ratelimit.ts';
import { adminRoutes } from './routes/admin.ts';
import { factorRoutes } from './routes/factors.ts';
import { identityRoutes } from './routes/identities.ts';
import { metaRoutes } from './routes/meta.ts';
import { otpRoutes } from './routes/otp.ts';
import { recoverRoutes } from './routes/recover.ts';
import { resendRoutes } from './routes/resend.ts';
import { signupRoutes } from './routes/signup.ts';
import { tokenRoutes } from './routes/token.ts';
import { userRoutes } from './routes/user.ts';
import { verifyRoutes } from './routes/verify.ts';

export { mailService };

export function createAuthDeps(ctx: GatewayContext, env: NodeJS.ProcessEnv = process.env): AuthDeps {
  const settings = resolveSettings(withEnvOverrides(ctx.config.auth, env), ctx.inst.apiPort);
  const limiters = createLimiters(settings.rateLimit);
  return {
    settings,
    db: new Db(ctx.pool('supabase_auth_admin')),
    jwtKey: ctx.jwtKey,
    mailer: new Mailer(settings, MailSink.forInstance(ctx.inst.dir), limiters.email),
    limiters,
    log: (record) => ctx.log(record),
  };
}

/** The Hono app of the auth service, for the gateway and for tests with `app.request()`. */
export function authApp(deps: AuthDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  for (const group of [metaRoutes, signupRoutes, tokenRoutes, verifyRoutes, userRoutes, identityRoutes, recoverRoutes, otpRoutes, resendRoutes, factorRoutes, adminRoutes]) {
    app.route('/', group(deps));
  }
  // GoTrue's router answers unknown paths with Go's plain 404.
  app.all('*', (c) => c.text('404 page not found', 404));
  app.onError((err, c) => {
    const rendered = renderError(err, c.req.header('x-supabase-api-version'), c.get('requestId'));
    if (isConnectionFailure(err)) {
      deps.log({ level: 'warn', msg: 'auth: database unavailable', request_id: c.get('requestId'), path: c.req.path, err: (err as Error).message });
    } else if (rendered.status >= 500) {
      deps.log({
        level: 'error',
        msg: 'auth error',
        request_id: c.get('requestId'),
        path: c.req.path,
        err: err instanceof Error ? (err.stack ?? err.message) : String(err),
        detail: (err as { internal?: string }).internal,
      });
    }
    for (const [name, value] of Object.entries(rendered.headers)) c.header(name, value);
    return c.json(rendered.body, rendered.status as 400);
  });
  return app;
}

export function authService(ctx: GatewayContext): Service {
  const deps = createAuthDeps(ctx);
  return {
    prefix: '/auth/v1',
    name: 'auth',
    app: authApp(deps),
    async health() {
      await deps.db.query('select 1 from auth.users limit 1');
      return true;
    },
  };
}
