import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { activeAttempt } from '$lib/quiz.ts';
import { startQuiz } from '$lib/server/quiz.ts';
import { nextStep } from './next-step.ts';
import type { Actions, PageServerLoad } from './$types';

const history = z.object({
  items: z.array(
    z.looseObject({
      id: z.uuid(),
      exam_id: z.string(),
      question_count: z.number(),
      correct_count: z.number().nullable(),
      score_percentage: z.coerce.number().nullable(),
      xp_earned: z.number().nullable(),
      submitted_at: z.string(),
    }),
  ),
});

const readiness = z.looseObject({
  score: z.coerce.number(),
  coverage_percent: z.coerce.number(),
  questions_answered: z.coerce.number(),
  passing_percent: z.coerce.number(),
  ready: z.boolean(),
  message: z.string(),
});

type Supabase = App.Locals['supabase'];

/** Readiness of every exam the learner has practised, fetched in parallel (one RPC per exam). */
async function loadReadiness(supabase: Supabase, practised: { exam_id: string; exam_name: string }[]) {
  const rows = await Promise.all(
    practised.map(async (s) => {
      const { data, error } = await supabase.rpc('get_exam_readiness', { p_exam: s.exam_id });
      if (error) return undefined;
      const r = readiness.safeParse(data);
      return r.success ? { exam_id: s.exam_id, exam_name: s.exam_name, ...r.data } : undefined;
    }),
  );
  const ok = rows.filter((r) => r !== undefined);
  return { rows: ok, failed: ok.length < rows.length };
}

/** The three latest badges and the closest one to earn. */
async function loadAchievements(supabase: Supabase) {
  const { data, error } = await supabase.rpc('get_my_achievements');
  const all = data ?? [];
  const earned = all.filter((a) => a.earned).sort((a, b) => Date.parse(b.earned_at) - Date.parse(a.earned_at));
  const upcoming = all
    .filter((a) => !a.earned && !a.is_hidden)
    .sort((a, b) => b.progress_percent - a.progress_percent || a.criteria_value - b.criteria_value)[0];
  return {
    recent: earned.slice(0, 3).map((a) => ({ slug: a.slug, name: a.name, description: a.description, earned_at: a.earned_at, xp_reward: a.xp_reward })),
    earnedCount: earned.length,
    upcoming: upcoming ? { name: upcoming.name, description: upcoming.description, progress: upcoming.progress, target: upcoming.criteria_value, percent: upcoming.progress_percent } : null,
    failed: error !== null,
  };
}

export const load: PageServerLoad = async ({ locals, parent }) => {
  const supabase = locals.supabase;
  // Readiness and achievements are below the fold and the slowest reads (readiness is one RPC per
  // practised exam): they start now and stream in after the first paint, behind same-size
  // skeletons. Everything the next step needs is awaited, all in one round of parallel requests.
  // A query builder runs its request on every then(): wrap it once so both readers share it.
  const statsRequest = Promise.resolve(supabase.rpc('get_exam_stats', {}));
  const achievements = loadAchievements(supabase);
  const readinessRows = statsRequest.then(({ data }) =>
    loadReadiness(supabase, (data ?? []).filter((s) => s.questions_answered > 0)),
  );
  const [{ profile }, active, stats, exams, recent] = await Promise.all([
    parent(),
    supabase.rpc('get_active_quiz', {}),
    statsRequest,
    supabase.from('exams').select('id, code, name, seconds_per_question').order('position'),
    supabase.rpc('get_quiz_history', { p_limit: 5 }),
  ]);
  const failed = [active.error, stats.error, exams.error, recent.error].filter(Boolean).length;
  const examName = (id: string) => exams.data?.find((e) => e.id === id)?.name ?? id;

  const activeQuiz = active.data ? (activeAttempt.safeParse(active.data).data ?? null) : null;
  const examStats = stats.data ?? [];

  return {
    profile,
    step: nextStep(activeQuiz, examStats),
    activeExamName: activeQuiz ? examName(activeQuiz.exam_id) : null,
    exams: exams.data ?? [],
    /** Streamed. */
    readiness: readinessRows,
    /** Streamed. */
    achievements,
    recent: (history.safeParse(recent.data).data?.items ?? []).map((q) => ({ ...q, exam_name: examName(q.exam_id) })),
    partial: failed > 0,
  };
};

const startSchema = z.object({
  exam: z.string().regex(/^[a-z0-9][a-z0-9_-]{1,39}$/),
  count: z.coerce.number().int().min(1).max(100).default(10),
  mode: z.enum(['practice', 'weak_areas', 'review']).default('practice'),
});

export const actions: Actions = {
  /** One tap from the dashboard (or a results page) to question 1. */
  start: async ({ request, locals }) => {
    const parsed = startSchema.safeParse(Object.fromEntries(await request.formData()));
    if (!parsed.success) return fail(400, { startError: 'Choose an exam to practise.' });
    const started = await startQuiz(locals.supabase, parsed.data);
    if ('problem' in started) return fail(started.problem.status, { startError: started.problem.message, exam: parsed.data.exam });
    redirect(303, `/app/quiz/${started.attemptId}`);
  },
};
