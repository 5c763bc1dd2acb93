import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { preferredLocale } from '$lib/format.ts';
import { startQuiz } from '$lib/server/quiz.ts';
import { chooseExam, nextSteps } from './analytics.ts';
import type { Actions, PageServerLoad } from './$types';

/** Weeks of accuracy trend and days of activity (a year) the page draws. */
const WEEKS = 26;
const DAYS = 365;

export const load: PageServerLoad = async ({ locals, url, request }) => {
  const supabase = locals.supabase;
  const locale = preferredLocale(request.headers.get('accept-language'));
  const [exams, stats, activity] = await Promise.all([
    supabase.from('exams').select('id, name, passing_percent').order('position'),
    supabase.rpc('get_exam_stats', {}),
    supabase.rpc('get_daily_activity', { p_days: DAYS }),
  ]);
  if (exams.error || stats.error) return { loadError: true as const, locale };
  const examId = chooseExam(url.searchParams.get('exam'), exams.data, stats.data);
  const exam = exams.data.find((e) => e.id === examId) ?? null;
  if (!exam) return { loadError: false as const, locale, exams: [], exam: null, practised: false, perf: [], trend: [], steps: [], activity: activity.data ?? [], partial: Boolean(activity.error) };

  const [perf, weak, trend] = await Promise.all([
    supabase.rpc('get_domain_performance', { p_exam: exam.id }),
    supabase.rpc('get_weak_areas', { p_exam: exam.id }),
    supabase.rpc('get_accuracy_trend', { p_exam: exam.id, p_weeks: WEEKS }),
  ]);
  const domains = perf.data ?? [];
  return {
    loadError: false as const,
    locale,
    exams: exams.data.map((e) => ({ id: e.id, name: e.name })),
    exam: { id: exam.id, name: exam.name, passing_percent: Number(exam.passing_percent) },
    practised: domains.some((d) => d.answered > 0),
    perf: domains.map((d) => ({ code: d.domain_code, name: d.domain_name, weight: Number(d.weight), answered: d.answered, correct: d.correct, accuracy: d.accuracy == null ? null : Number(d.accuracy) })),
    trend: (trend.data ?? []).map((w) => ({ week: w.week_start, quizzes: w.quizzes, accuracy: w.accuracy == null ? null : Number(w.accuracy) })),
    steps: nextSteps(
      (weak.data ?? []).map((w) => ({ ...w, weight: Number(w.weight), accuracy: w.accuracy == null ? null : Number(w.accuracy) })),
      domains.map((d) => ({ domain_code: d.domain_code, domain_name: d.domain_name, weight: Number(d.weight), answered: d.answered, accuracy: d.accuracy == null ? null : Number(d.accuracy) })),
    ),
    activity: activity.data ?? [],
    partial: Boolean(activity.error || perf.error || weak.error || trend.error),
  };
};

const startSchema = z.object({
  exam: z.string().regex(/^[a-z0-9][a-z0-9_-]{1,39}$/),
  domain: z.string().max(20).optional().transform((d) => d || undefined),
  count: z.coerce.number().int().min(1).max(100).default(10),
});

export const actions: Actions = {
  /** A recommended next step: one tap from the analytics to question 1 of that practice. */
  start: async ({ request, locals }) => {
    const parsed = startSchema.safeParse(Object.fromEntries(await request.formData()));
    if (!parsed.success) return fail(400, { startError: 'That practice could not be set up. Choose it again.' });
    const { exam, domain, count } = parsed.data;
    const started = await startQuiz(locals.supabase, { exam, count, domains: domain ? [domain] : undefined, mode: 'practice' });
    if ('problem' in started) return fail(started.problem.status, { startError: started.problem.message });
    redirect(303, `/app/quiz/${started.attemptId}`);
  },
};
