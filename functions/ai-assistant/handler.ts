// `ai-assistant` (verify_jwt = true): the study assistant, acting as the caller (RLS applies).
//   POST /ai-assistant/explain          {question_id}: why the answer is right, after the answer is graded
//   POST /ai-assistant/draft-questions  {exam_id, domain_code, lesson_text, count?, organization_id?}: saved as drafts
//   POST /ai-assistant/study-plan       {exam_id, user_id?, days?}: a plan from the weak areas
import { type AiConfig, aiConfigFromEnv } from '../_shared/ai/config.ts';
import { ProviderError, providerErrorResponse } from '../_shared/ai/errors.ts';
import { ChatProvider } from '../_shared/ai/provider.ts';
import { callerClient, type Platform, platformFromEnv, signedInCaller } from '../_shared/caller.ts';
import { corsHeaders, json } from '../_shared/cors.ts';
import { errorResponse, HttpError, readJson } from '../_shared/http.ts';
import { draftQuestions, draftRequestSchema } from './drafts.ts';
import { explain, explainSchema } from './explain.ts';
import { planRequestSchema, studyPlan } from './study_plan.ts';

export interface AssistantDeps {
  platform: () => Platform;
  ai: () => AiConfig;
}

export const defaultDeps: AssistantDeps = { platform: platformFromEnv, ai: aiConfigFromEnv };

const ROUTES = ['explain', 'draft-questions', 'study-plan'] as const;
export type AssistantRoute = (typeof ROUTES)[number];

export function route(method: string, pathname: string): AssistantRoute {
  const rest = pathname.replace(/^.*?\/ai-assistant(?=\/|$)/, '').replace(/\/+$/, '');
  const name = ROUTES.find((r) => rest === `/${r}`);
  if (!name) {
    throw new HttpError(
      404,
      `Cannot ${method} ${rest || '/'}: no such assistant route (use ${ROUTES.map((r) => `/${r}`).join(', ')})`,
    );
  }
  if (method !== 'POST') throw new HttpError(405, `Cannot ${method} /${name}: use POST`);
  return name;
}

export function createHandler(deps: AssistantDeps = defaultDeps): (req: Request) => Promise<Response> {
  return async (req) => {
    if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
    try {
      const name = route(req.method, new URL(req.url).pathname);
      const caller = signedInCaller(req.headers.get('authorization'));
      if (!caller) throw new HttpError(401, 'Cannot use the assistant: sign in first (it acts for a signed-in user)');
      const ai = deps.ai();
      const provider = ai.mode === 'online' ? new ChatProvider(ai) : null;
      if (name === 'explain') {
        const input = await readJson(req, explainSchema, 'explain a question');
        const db = callerClient(deps.platform(), caller);
        return json(await explain(db, caller.userId, ai, provider, input.question_id));
      }
      if (name === 'draft-questions') {
        const input = await readJson(req, draftRequestSchema, 'draft questions');
        const db = callerClient(deps.platform(), caller);
        return json(await draftQuestions(db, ai, provider, input), 201);
      }
      const input = await readJson(req, planRequestSchema, 'make a study plan');
      const db = callerClient(deps.platform(), caller);
      return json(await studyPlan(db, caller.userId, ai, provider, input));
    } catch (e) {
      if (e instanceof HttpError) return errorResponse(e);
      if (e instanceof ProviderError) return providerErrorResponse(e);
      console.error(e);
      return json({ error: `The assistant failed: ${(e as Error).message}` }, 500);
    }
  };
}

export const handler = createHandler();
