// `/rest/v1`: a PostgREST-compatible REST service over the schemas in `[api] schemas`.
// Each request goes parse (request.ts, parse/) → plan against the schema cache (plan/) → render
// SQL (render.ts) → run in one request-scoped transaction (db.ts, execute.ts) → respond
// (respond.ts); the root answers the OpenAPI document (openapi.ts); every failure becomes a
// PostgREST error body (errors.ts). Row ranges: range.ts.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { decodeJwt } from 'jose';
import type { GatewayContext } from '../kit/context.ts';
import { isConnectionFailure } from '../kit/db-errors.ts';
import { edge } from '../kit/forwarded.ts';
import type { RequestScope } from '../kit/db-scope.ts';
import { bearerToken } from '../kit/jwt.ts';
import type { GatewayEnv, Service } from '../kit/service.ts';
import type { RestDatabase } from './db.ts';
import { errorResponse, Errors, jwtError, RestError, toRestError } from './errors.ts';
import { applySettings, qualifiedFunction, type RestSettings } from './db-config.ts';
import { execute } from './execute.ts';
import { respondOpenApi } from './openapi.ts';
import { planRequest } from './plan/plan.ts';
import type { PlanConfig } from './plan/types.ts';
import { renderPlan } from './render.ts';
import { parseRequest, readTxEnd, txRollbackAll, type ApiRequest, type TxEnd } from './request.ts';
import { respond, type HttpResponse } from './respond.ts';

const PREFIX = '/rest/v1';
/** The largest request body accepted (the gateway's limit; PostgREST itself has none). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

interface Caller {
  role: string;
  claims: Record<string, unknown>;
}

/** The role and claims of the request: the verified bearer, else the apikey, else anon. */
export function resolveCaller(c: Context<GatewayEnv>): Caller {
  const authorization = c.req.header('authorization');
  const jwt = c.get('jwt');
  if (jwt && !jwt.ok) throw jwtError(bearerToken(authorization), jwt.reason, jwt.noKey);
  if (authorization !== undefined && /^bearer\s*$/i.test(authorization.trim())) throw jwtError('', 'invalid');
  let claims: Record<string, unknown> = {};
  if (jwt?.ok) claims = { ...jwt.claims };
  else {
    // Like the platform gateway: with no Authorization, the (already checked) apikey speaks.
    const apikey = c.req.header('apikey') ?? c.req.query('apikey');
    if (apikey) {
      try {
        claims = { ...decodeJwt(apikey) };
      } catch {
        claims = {};
      }
    }
  }
  const roleClaim = claims.role;
  const role = roleClaim === undefined || roleClaim === null ? 'anon' : typeof roleClaim === 'string' ? roleClaim : JSON.stringify(roleClaim);
  return { role, claims };
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i === -1) continue;
    const k = part.slice(0, i).trim();
    if (k !== '') out[k] = part.slice(i + 1).trim();
  }
  return out;
}

function send(c: Context<GatewayEnv>, r: HttpResponse): Response {
  const noBody = r.status === 204 || r.status === 304 || c.req.method === 'HEAD';
  const headers = new Headers(r.headers);
  return new Response(noBody ? null : r.body, { status: r.status, headers });
}

/** /rest/v1 over `db` (its schema cache loading until `started`), shared with /graphql/v1. */
export function restService(ctx: GatewayContext, db: RestDatabase, started: Promise<void>, txEnd: TxEnd = readTxEnd()): Service {
  const app = new Hono<GatewayEnv>();
  const api = ctx.config.api;
  // PostgREST's db-tx-end (env PGRST_DB_TX_END): `commit` unless set, as on hosted Supabase,
  // where `Prefer: tx=rollback` is ignored. config.toml and env give the base settings; the
  // in-database configuration (`alter role authenticator set pgrst.*`) overrides them (db-config.ts).
  if (txEnd !== 'commit') ctx.log({ level: 'warn', msg: `rest: db-tx-end is ${txEnd} (PGRST_DB_TX_END); hosted Supabase uses commit` });
  const base: RestSettings = applySettings(
    { maxRows: api.max_rows, extraSearchPath: api.extra_search_path, aggregatesEnabled: false, planEnabled: false, txEnd, preRequest: null },
    new Map(),
  );
  // The effective settings change only when the in-database configuration is reloaded (a new
  // Map), so they and the pre-request statement are worked out once per reload, not per request.
  let current: { values: Map<string, string>; settings: RestSettings; preRequest: string | null } | undefined;
  const currentSettings = () => {
    const values = db.settingValues();
    if (current?.values !== values) {
      const settings = applySettings(base, values, {});
      // db-pre-request (PostgREST's preReqQuery): after the request's settings, before its statement.
      const preRequest = settings.preRequest === null ? null : `SELECT ${qualifiedFunction(settings.preRequest)}()`;
      current = { values, settings, preRequest };
    }
    return current;
  };

  const tooLarge = (c: Context<GatewayEnv>) => send(c, errorResponse(Errors.payloadTooLarge(MAX_BODY_BYTES)));
  const limit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  // What hono's bodyLimit decides, without its first step (`c.req.raw.body`), which builds a full
  // fetch Request for every request: GET and HEAD have no body, and a declared length is checked
  // as bodyLimit checks it. Only a streamed (chunked) body goes through bodyLimit's counting.
  app.use('*', (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return parseInt(length || '0', 10) > MAX_BODY_BYTES ? Promise.resolve(tooLarge(c)) : next();
    }
    return limit(c, next);
  });

  app.all('*', async (c) => {
    let authed = false;
    try {
      const caller = resolveCaller(c);
      authed = caller.role !== 'anon';
      const url = new URL(c.req.url);
      const rawPath = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname;
      // The platform gateway hides the apikey credential from PostgREST.
      const query = url.search
        .replace(/^\?/, '')
        .split('&')
        .filter((p) => p !== '' && p.split('=')[0] !== 'apikey')
        .join('&');
      const method = c.req.method.toUpperCase();
      const body = method === 'POST' || method === 'PATCH' || method === 'PUT' ? await c.req.text() : '';
      await started;
      const { settings, preRequest } = currentSettings();
      const planConfig: PlanConfig = {
        maxRows: settings.maxRows,
        extraSearchPath: settings.extraSearchPath,
        aggregatesEnabled: settings.aggregatesEnabled,
        planEnabled: settings.planEnabled,
      };
      const req: ApiRequest = parseRequest(
        { method, path: rawPath, query, header: (n) => c.req.header(n), body },
        { schemas: api.schemas, txEnd: settings.txEnd },
      );
      const cache = await db.schemaCache().catch(() => {
        throw Errors.noSchemaCache();
      });
      const planned = planRequest(req, cache, planConfig);
      // request.headers as PostgREST behind the edge sees them: X-Forwarded-For set by the gateway.
      const headers: Record<string, string> = { ...c.req.header(), 'x-forwarded-for': edge(c).forwardedFor };
      const { cookie, ...withoutCookie } = headers;
      const scope: RequestScope = {
        role: caller.role,
        claims: caller.claims,
        method,
        path: req.path,
        headers: withoutCookie,
        cookies: parseCookies(cookie),
        settings: planned.settings,
        readOnly: planned.plan.readOnly,
      };
      const plan = planned.plan;
      if (plan.type === 'openapi') {
        const where = { host: c.req.header('host') ?? url.host, basePath: `${PREFIX}/` };
        return send(c, await db.inScope(scope, async (runner) => ({ value: await respondOpenApi(runner, plan, req, cache, where), rollback: false })));
      }
      const rendered = renderPlan(plan, { maxRows: planConfig.maxRows });
      const outcome = await db.inScope(scope, async (runner) => {
        if (preRequest !== null) await runner.query({ text: preRequest, values: [] });
        const o = await execute(planned, rendered, runner, { rollbackAll: txRollbackAll(settings.txEnd) });
        return { value: o, rollback: o.rollback };
      });
      return send(c, respond(planned, req, outcome.row, outcome.explainTotal, planConfig.maxRows));
    } catch (e) {
      const err = toRestError(e, authed);
      if (isConnectionFailure(e)) {
        ctx.log({ level: 'warn', msg: 'rest: database unavailable', request_id: c.get('requestId'), err: e instanceof Error ? e.message : String(e) });
      } else if (!(e instanceof RestError) && err.status >= 500) {
        ctx.log({ level: 'error', msg: 'rest request failed', request_id: c.get('requestId'), err: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
      return send(c, errorResponse(err));
    }
  });

  return {
    prefix: PREFIX,
    name: 'rest',
    app,
    health: () => db.health(),
    close: () => db.close(),
  };
}
