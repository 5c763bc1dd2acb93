// GET /health, /settings, /.well-known/jwks.json: what the service is and which providers it offers.
import { Hono } from 'hono';
import type { GatewayEnv } from '../../kit/service.ts';
import type { AuthDeps } from '../deps.ts';
import { badRequest, ErrorCode, notFound } from '../errors.ts';
import type { Ctx } from '../http.ts';
import type { User } from '../users.ts';

/** The providers GoTrue lists in /settings, all false unless `[auth.external.<name>]` enables them. */
const PROVIDERS = [
  'anonymous_users', 'apple', 'azure', 'bitbucket', 'discord', 'facebook', 'snapchat', 'figma', 'fly', 'github', 'gitlab',
  'google', 'keycloak', 'kakao', 'linkedin', 'linkedin_oidc', 'notion', 'spotify', 'slack', 'slack_oidc', 'workos',
  'twitch', 'twitter', 'email', 'phone', 'zoom',
];

export const VERSION = 'v2.186.0-ascend-local';

export function settingsBody(deps: AuthDeps): Record<string, unknown> {
  const s = deps.settings;
  const external: Record<string, boolean> = {};
  for (const name of PROVIDERS) external[name] = s.external[name] ?? false;
  external.anonymous_users = s.anonymousUsers;
  external.email = s.email.enabled;
  external.phone = s.phoneEnabled;
  return {
    external,
    disable_signup: s.disableSignup,
    mailer_autoconfirm: s.email.autoconfirm,
    phone_autoconfirm: s.phoneEnabled && s.sms.autoconfirm,
    sms_provider: 'twilio',
    saml_enabled: false,
    saml_private_key_next_configured: false,
    passkeys_enabled: false,
  };
}

/**
 * GetExternalProviderRedirectURL, for /authorize and for linkIdentity (`linkingUser`): OAuth
 * providers need the internet, so none is enabled locally, and GoTrue's refusal says so.
 */
export function externalProviderRedirect(c: Ctx, _deps: AuthDeps, _linkingUser?: User): never {
  const provider = (c.req.query('provider') ?? '').toLowerCase();
  const reason = PROVIDERS.includes(provider) && provider !== 'email' && provider !== 'phone' ? 'provider is not enabled' : `Provider ${provider} could not be found`;
  throw badRequest(ErrorCode.validationFailed, `Unsupported provider: ${reason}`);
}

export function metaRoutes(deps: AuthDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.get('/health', (c) => c.json({ version: VERSION, name: 'GoTrue', description: 'GoTrue is a user registration and authentication API' }));
  app.get('/settings', (c) => c.json(settingsBody(deps)));
  app.get('/authorize', (c) => externalProviderRedirect(c, deps));
  // SAML SSO is off (the CLI enables it only with a signing key): every /sso route says so.
  app.all('/sso/*', () => {
    throw notFound(ErrorCode.samlProviderDisabled, 'SAML 2.0 is disabled');
  });
  app.all('/sso', () => {
    throw notFound(ErrorCode.samlProviderDisabled, 'SAML 2.0 is disabled');
  });
  app.on(['GET', 'POST'], '/callback', (c) => {
    if (!c.req.query('state')) throw badRequest(ErrorCode.badOAuthCallback, 'OAuth state parameter missing');
    throw badRequest(ErrorCode.badOAuthState, 'OAuth state parameter is invalid');
  });
  app.get('/.well-known/jwks.json', (c) => {
    // HS256 only: the shared secret is never published, so the key set is empty.
    c.header('Cache-Control', 'public, max-age=600');
    return c.json({ keys: [] });
  });
  return app;
}
