// A study plan from the learner's weak areas (get_weak_areas and get_study_recommendations,
// called as the caller: the database decides whose analytics they may read).
import { z } from 'zod';
import { type AiConfig, describeAi, OFFLINE_NOTICE } from '../_shared/ai/config.ts';
import type { ChatMessage, ChatProvider } from '../_shared/ai/provider.ts';
import type { Db } from '../_shared/caller.ts';
import { dbError } from '../_shared/http.ts';

export const planRequestSchema = z.strictObject({
  exam_id: z.string().min(1).max(50),
  user_id: z.uuid().nullish(),
  days: z.number().int().min(1).max(60).default(7),
});
export type PlanRequest = z.infer<typeof planRequestSchema>;

export const planSchema = z.strictObject({
  summary: z.string().min(1).max(1000),
  steps: z
    .array(
      z.strictObject({
        day: z.number().int().min(1).max(60),
        domain_code: z.string().max(20).nullable(),
        title: z.string().min(1).max(200),
        action: z.string().min(1).max(600),
        minutes: z.number().int().min(5).max(240),
      }),
    )
    .min(1)
    .max(30),
});
export type Plan = z.infer<typeof planSchema>;

export interface WeakArea {
  domain_code: string;
  domain_name: string;
  accuracy: number | null;
  answered: number;
  priority: string;
}

export interface Recommendations {
  focus_domains: string[];
  practice_more: string[];
  not_enough_data: string[];
  suggested_actions: string[];
}

const recommendationsSchema = z.object({
  focus_domains: z.array(z.string()).default([]),
  practice_more: z.array(z.string()).default([]),
  not_enough_data: z.array(z.string()).default([]),
  suggested_actions: z.array(z.string()).default([]),
});

/** The offline plan: the weakest domains first, then unpractised ones, spread over the days. */
export function offlinePlan(weak: WeakArea[], recs: Recommendations, days: number): Plan {
  const steps: Plan['steps'] = [];
  const queue: { code: string | null; title: string; action: string }[] = [
    ...weak.map((w) => ({
      code: w.domain_code,
      title: `Strengthen ${w.domain_code} ${w.domain_name}`,
      action: `You are at ${
        w.accuracy ?? 0
      }% over ${w.answered} answers (${w.priority} priority). Take a weak-areas quiz on ${w.domain_code} and read every explanation.`,
    })),
    ...recs.not_enough_data.map((code) => ({
      code,
      title: `Start practising ${code}`,
      action: `Answer 10 questions of domain ${code} to measure where you stand.`,
    })),
  ];
  if (queue.length === 0) {
    queue.push({
      code: null,
      title: 'Keep your level',
      action: recs.suggested_actions[0] ?? 'Take a mixed practice quiz.',
    });
  }
  for (let day = 1; day <= days && steps.length < 30; day++) {
    const item = queue[(day - 1) % queue.length]!;
    steps.push({
      day,
      domain_code: item.code,
      title: item.title,
      action: item.action,
      minutes: weak.some((w) => w.domain_code === item.code && w.priority === 'high') ? 45 : 30,
    });
  }
  return {
    summary: `${
      weak.length === 0 ? 'No weak area yet.' : `Focus on ${weak.map((w) => w.domain_code).join(', ')}.`
    } (${OFFLINE_NOTICE} This plan follows your analytics by rule.)`,
    steps,
  };
}

export function planMessages(
  examId: string,
  weak: WeakArea[],
  recs: Recommendations,
  days: number,
  memories: string[] = [],
): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        `You are a study coach. Write a ${days}-day study plan for the exam ${examId} from the learner's analytics: weakest domains first, concrete daily actions (quizzes, reading explanations, review), 15-90 minutes a day. Use only the domain codes given.${
          memories.length > 0 ? ' Take into account what the learner asked you to remember.' : ''
        } Answer with JSON only.`,
    },
    {
      role: 'user',
      content: JSON.stringify({ weak_areas: weak, recommendations: recs, ...(memories.length > 0 ? { remembered: memories } : {}) }),
    },
  ];
}

/**
 * What the learner asked the AI to remember, most important first, only when their preferences
 * allow it (user_preferences.ai_uses_memories, off by default) and only for their own plan.
 */
export async function allowedMemories(db: Db, userId: string, limit = 5): Promise<string[]> {
  const pref = await db.from('user_preferences').select('ai_uses_memories').eq('user_id', userId).maybeSingle();
  if (pref.error) throw dbError('read the preferences', pref.error);
  if (!pref.data?.ai_uses_memories) return [];
  const mem = await db.from('memories').select('content').order('importance', { ascending: false }).limit(limit);
  if (mem.error) throw dbError('read the memories', mem.error);
  return mem.data.map((m) => m.content);
}

export async function studyPlan(db: Db, callerId: string, ai: AiConfig, provider: ChatProvider | null, req: PlanRequest) {
  const args = { p_exam: req.exam_id, ...(req.user_id ? { p_user: req.user_id } : {}) };
  const own = !req.user_id || req.user_id === callerId;
  const [weakRes, recRes, memories] = await Promise.all([
    db.rpc('get_weak_areas', args),
    db.rpc('get_study_recommendations', args),
    own ? allowedMemories(db, callerId) : Promise.resolve([]),
  ]);
  if (weakRes.error) throw dbError('read the weak areas', weakRes.error);
  if (recRes.error) throw dbError('read the study recommendations', recRes.error);
  const weak: WeakArea[] = weakRes.data.map((w) => ({
    domain_code: w.domain_code,
    domain_name: w.domain_name,
    accuracy: w.accuracy === null ? null : Number(w.accuracy),
    answered: Number(w.answered),
    priority: w.priority,
  }));
  const recs = recommendationsSchema.parse(recRes.data);
  let plan: Plan;
  if (provider) {
    plan = await provider.json(
      { messages: planMessages(req.exam_id, weak, recs, req.days, memories), temperature: 0.3 },
      planSchema,
      'study_plan',
    );
    const known = new Set([
      ...weak.map((w) => w.domain_code),
      ...recs.focus_domains,
      ...recs.practice_more,
      ...recs.not_enough_data,
    ]);
    plan.steps = plan.steps.map((s) => (s.domain_code && !known.has(s.domain_code) ? { ...s, domain_code: null } : s));
  } else {
    plan = offlinePlan(weak, recs, req.days);
  }
  return { exam_id: req.exam_id, weak_areas: weak, plan, used_memories: memories.length, ai: describeAi(ai) };
}
