// The gateway: Supabase's HTTP edge (Kong in the self-hosted stack) in one Hono app. It answers
// CORS, handles API keys as the CLI's gateway does (kit/api-keys.ts), verifies the bearer token once,
// logs one JSON line per request and hands each prefix to its service.
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import type { GatewayContext } from '../kit/context.ts';
import { closeAfterEarlyAnswer } from './early-response.ts';
import { legacyJwtOf, resolveApiKey } from '../kit/api-keys.ts';
import { bearerToken, verifyJwt } from '../kit/jwt.ts';
import type { GatewayEnv, Service } from '../kit/service.ts';
import { TUS_EXPOSED_HEADERS } from '../storage/tus.ts';

/** Prefixes whose routes check an `apikey` (Kong's key-auth), except the open auth routes. */
const KEY_AUTH_PREFIXES = ['/rest/v1', '/auth/v1', '/realtime/v1', '/graphql/v1'];
const OPEN_AUTH_ROUTES = ['/auth/v1/verify', '/auth/v1/callback', '/auth/v1/authorize', '/auth/v1/.well-known/jwks.json'];

const EXPOSED_HEADERS = [
  ...new Set([
    'Content-Range', 'Content-Location', 'Content-Profile', 'Location', 'Preference-Applied', 'Range-Unit',
    'Link', 'X-Total-Count', 'X-Supabase-Api-Version', 'x-sb-error-code', 'X-Request-Id', 'Proxy-Status', 'ETag',
    // storage: rendered images and resumable (TUS) uploads, which browser clients read
    'X-Transformations', ...TUS_EXPOSED_HEADERS,
  ]),
];

/**
 * Prefixes where, as behind the CLI's gateway, the apikey becomes the bearer when the request has
 * no Authorization. Not auth: GoTrue answers a missing bearer itself, and not functions: they see
 * the request as sent.
 */
const BEARER_FROM_KEY_PREFIXES = ['/rest/v1', '/storage/v1', '/realtime/v1', '/graphql/v1'];
/**
 * Where a request with neither key nor bearer is served as anon (PostgREST's anonymous role).
 * Storage answers it itself, as behind the CLI: its authenticated routes refuse it (AccessDenied)
 * and its public ones serve it.
 */
const KEYLESS_ANON_PREFIXES = ['/rest/v1', '/realtime/v1', '/graphql/v1'];

const under = (path: string, prefixes: string[]) => prefixes.some((p) => path === p || path.startsWith(`${p}/`));

export function needsApiKey(path: string): boolean {
  if (OPEN_AUTH_ROUTES.some((r) => path === r || path.startsWith(`${r}/`))) return false;
  return KEY_AUTH_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

/**
 * Sets a header of the response in place. hono's `c.header` after the handler copies the whole
 * response through a body stream first (CPU profile, issue 13); only a response whose headers
 * are immutable (one passed through as fetched) needs that copy.
 */
function setResponseHeader(c: Context<GatewayEnv>, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}

export function createApp(ctx: GatewayContext, services: Service[]): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();

  // Outermost: an error answered before the body was read closes the connection cleanly.
  app.use('*', closeAfterEarlyAnswer());

  app.use('*', async (c, next) => {
    const started = performance.now();
    const requestId = c.req.header('x-request-id') ?? randomUUID();
    c.set('requestId', requestId);
    c.set('userId', undefined);
    const token = bearerToken(c.req.header('authorization'));
    const jwt = token ? await verifyJwt(token, ctx.jwtKeys) : undefined;
    c.set('jwt', jwt);
    if (jwt?.ok && typeof jwt.claims.sub === 'string') c.set('userId', jwt.claims.sub);
    await next();
    setResponseHeader(c, 'X-Request-Id', requestId);
    ctx.log({
      level: c.res.status >= 500 ? 'error' : 'info',
      msg: 'request',
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      request_id: requestId,
      user_id: c.get('userId') ?? null,
    });
  });

  // Edge functions answer CORS themselves, preflight included, as on Supabase: a function that
  // forgets it must fail here as it would in production. The local mail sink has no CORS at all:
  // no other web page may read the magic links it holds; nor the Resend sink (invitation links).
  const gatewayCors = cors({
      origin: '*',
      allowMethods: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS'],
      exposeHeaders: EXPOSED_HEADERS,
      maxAge: 3600,
  });
  const noGatewayCors = (path: string) =>
    path.startsWith('/functions/v1/') || ['/mail/v1', '/resend/v1'].some((p) => path === p || path.startsWith(`${p}/`));
  const exposeHeaders = EXPOSED_HEADERS.join(',');
  app.use('*', async (c, next) => {
    if (noGatewayCors(c.req.path)) return next();
    if (c.req.method === 'OPTIONS') return gatewayCors(c, next);
    // What hono's cors sets on any other request (origin '*': no Vary), set after the handler:
    // set before it, they make hono copy the handler's response through a body stream.
    await next();
    setResponseHeader(c, 'Access-Control-Allow-Origin', '*');
    setResponseHeader(c, 'Access-Control-Expose-Headers', exposeHeaders);
  });

  app.use('*', async (c, next) => {
    if (c.req.method === 'OPTIONS') return next();
    const path = c.req.path;
    const headers = c.req.raw.headers;
    const key = c.req.header('apikey') ?? c.req.query('apikey');
    const checked = needsApiKey(path);
    const injects = under(path, BEARER_FROM_KEY_PREFIXES);
    let bearerChanged = false;
    // An opaque key as the bearer (`Authorization: Bearer sb_…`) is the JWT it stands for.
    const sent = bearerToken(c.req.header('authorization'));
    if (sent?.startsWith('sb_') && legacyJwtOf(sent, ctx.keys) !== sent) {
      headers.set('authorization', `Bearer ${legacyJwtOf(sent, ctx.keys)}`);
      bearerChanged = true;
    }
    if (checked || injects) {
      const jwt = await resolveApiKey(key, ctx.keys, ctx.jwtKeys);
      if (jwt === undefined && checked) return c.json({ message: 'Invalid authentication credentials' }, 401);
      if (jwt !== undefined) {
        if (key !== undefined && key !== jwt) headers.set('apikey', jwt);
        const keyless = key === undefined || key === '';
        if (injects && c.req.header('authorization') === undefined && (!keyless || under(path, KEYLESS_ANON_PREFIXES))) {
          headers.set('authorization', `Bearer ${jwt}`);
          bearerChanged = true;
        }
      }
    } else if (key !== undefined && legacyJwtOf(key, ctx.keys) !== key) {
      headers.set('apikey', legacyJwtOf(key, ctx.keys));
    }
    if (bearerChanged) {
      const token = bearerToken(c.req.header('authorization'));
      const jwt = token ? await verifyJwt(token, ctx.jwtKeys) : undefined;
      c.set('jwt', jwt);
      if (jwt?.ok && typeof jwt.claims.sub === 'string') c.set('userId', jwt.claims.sub);
    }
    return next();
  });

  app.get('/health', async (c) => {
    const checks = await Promise.all(
      services.map(async (s) => [s.name, await s.health().catch((e: unknown) => (e instanceof Error ? e.message : String(e)))] as const),
    );
    const components = Object.fromEntries(checks.map(([name, h]) => [name, h === true ? { status: 'ok' } : { status: 'error', reason: h }]));
    const healthy = checks.every(([, h]) => h === true);
    return c.json({ status: healthy ? 'ok' : 'degraded', components }, healthy ? 200 : 503);
  });

  for (const s of services) app.route(s.prefix, s.app);

  app.notFound((c) => c.json({ message: 'no Route matched with those values' }, 404));
  app.onError((err, c) => {
    ctx.log({ level: 'error', msg: 'unhandled error', request_id: c.get('requestId'), err: err.stack ?? err.message });
    return c.json({ message: 'An unexpected error occurred in the gateway', request_id: c.get('requestId') }, 500);
  });
  return app;
}
