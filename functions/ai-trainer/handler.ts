// `ai-trainer` (verify_jwt = true): AI role-play sales training for a signed-in learner.
//   GET  /ai-trainer/catalog                    categories, difficulties, durations, scenarios, AI mode
//   POST /ai-trainer/sessions                   start {category, difficulty, duration_minutes, organization_id?, scenario_id?}
//   GET  /ai-trainer/sessions/active            the caller's active session (resume a closed tab)
//   GET  /ai-trainer/sessions/<id>              a session, its remaining time, transcript and report
//   POST /ai-trainer/sessions/<id>/messages     {content}: the customer's reply streams back (SSE)
//   POST /ai-trainer/sessions/<id>/end          report, stored, XP awarded once
//   GET  /ai-trainer/sessions/<id>/report.pdf   the report as a PDF
import { type AiConfig, aiConfigFromEnv } from '../_shared/ai/config.ts';
import { ChatProvider } from '../_shared/ai/provider.ts';
import { callerClient, type Platform, platformFromEnv, serviceClient, signedInCaller } from '../_shared/caller.ts';
import { corsHeaders, json } from '../_shared/cors.ts';
import { errorResponse, HttpError, readJson } from '../_shared/http.ts';
import { sayBodySchema, startSessionSchema } from './catalog.ts';
import {
  activeSession,
  catalog,
  endSession,
  exportPdf,
  getSession,
  say,
  startSession,
  type TrainerContext,
} from './sessions.ts';

export interface TrainerDeps {
  platform: () => Platform;
  ai: () => AiConfig;
  now: () => Date;
}

export const defaultDeps: TrainerDeps = { platform: platformFromEnv, ai: aiConfigFromEnv, now: () => new Date() };

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

export type Route =
  | { name: 'catalog' }
  | { name: 'start' }
  | { name: 'active' }
  | { name: 'get'; id: string }
  | { name: 'say'; id: string }
  | { name: 'end'; id: string }
  | { name: 'pdf'; id: string };

/** The route of a method and path (`/ai-trainer/...`), or an HttpError 404/405. */
export function route(method: string, pathname: string): Route {
  const rest = pathname.replace(/^.*?\/ai-trainer(?=\/|$)/, '').replace(/\/+$/, '') || '/';
  const table: [string, RegExp, (m: RegExpExecArray) => Route][] = [
    ['GET', /^\/catalog$/, () => ({ name: 'catalog' })],
    ['POST', /^\/sessions$/, () => ({ name: 'start' })],
    ['GET', /^\/sessions\/active$/, () => ({ name: 'active' })],
    ['GET', new RegExp(`^/sessions/(${UUID})$`), (m) => ({ name: 'get', id: m[1]! })],
    ['POST', new RegExp(`^/sessions/(${UUID})/messages$`), (m) => ({ name: 'say', id: m[1]! })],
    ['POST', new RegExp(`^/sessions/(${UUID})/end$`), (m) => ({ name: 'end', id: m[1]! })],
    ['GET', new RegExp(`^/sessions/(${UUID})/report\\.pdf$`), (m) => ({ name: 'pdf', id: m[1]! })],
  ];
  const matches = table.map(([m, re, f]) => [m, re.exec(rest), f] as const).filter(([, hit]) => hit);
  const hit = matches.find(([m]) => m === method);
  if (hit) return hit[2](hit[1]!);
  if (matches.length > 0) {
    throw new HttpError(
      405,
      `Cannot ${method} ${rest}: use ${matches.map(([m]) => m).join(' or ')}`,
    );
  }
  throw new HttpError(404, `Cannot ${method} ${rest}: no such trainer route`);
}

export function createHandler(deps: TrainerDeps = defaultDeps): (req: Request) => Promise<Response> {
  return async (req) => {
    if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
    try {
      const r = route(req.method, new URL(req.url).pathname);
      const caller = signedInCaller(req.headers.get('authorization'));
      if (!caller) throw new HttpError(401, 'Cannot use the trainer: sign in first (it acts for a signed-in learner)');
      const startInput = r.name === 'start' ? await readJson(req, startSessionSchema, 'start a session') : null;
      const sayInput = r.name === 'say' ? await readJson(req, sayBodySchema, 'speak in this session') : null;
      const platform = deps.platform();
      const ai = deps.ai();
      const ctx: TrainerContext = {
        userId: caller.userId,
        caller: callerClient(platform, caller),
        service: serviceClient(platform),
        ai,
        provider: ai.mode === 'online' ? new ChatProvider(ai) : null,
        now: deps.now,
      };
      switch (r.name) {
        case 'catalog':
          return await catalog(ctx);
        case 'start':
          return await startSession(ctx, startInput!);
        case 'active':
          return await activeSession(ctx);
        case 'get':
          return await getSession(ctx, r.id);
        case 'say':
          return await say(ctx, r.id, sayInput!.content);
        case 'end':
          return await endSession(ctx, r.id);
        case 'pdf':
          return await exportPdf(ctx, r.id);
      }
    } catch (e) {
      if (e instanceof HttpError) return errorResponse(e);
      console.error(e);
      return json({ error: `The trainer failed: ${(e as Error).message}` }, 500);
    }
  };
}

export const handler = createHandler();
