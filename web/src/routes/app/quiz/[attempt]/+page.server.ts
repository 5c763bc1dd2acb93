import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { activeAttempt, clampStep, resumePosition, type Letter } from '$lib/quiz.ts';
import { answerSchema, submitSchema } from '$lib/schemas.ts';
import { rpcProblem } from '$lib/server/rpc.ts';
import { FLASH_COOKIE, flashValue } from '$lib/server/flash.ts';
import { submitResult } from '$lib/quiz.ts';
import type { Actions, PageServerLoad } from './$types';

const uuid = z.uuid();

export const load: PageServerLoad = async ({ locals, params, url }) => {
  if (!uuid.safeParse(params.attempt).success) error(404, { message: 'There is no such quiz.', hint: 'Start a new one from practice.' });
  const { data: row, error: rowError } = await locals.supabase
    .from('quiz_attempts')
    .select('id, exam_id, status, exams(name, code)')
    .eq('id', params.attempt)
    .maybeSingle();
  if (rowError) error(503, { message: 'The quiz could not be loaded.', hint: 'Reload the page in a moment.' });
  if (!row) error(404, { message: 'There is no such quiz.', hint: 'Start a new one from practice.' });
  if (row.status === 'submitted') redirect(303, `/app/results/${row.id}`);
  const exam = { id: row.exam_id, name: row.exams?.name ?? row.exam_id, code: row.exams?.code ?? '' };
  if (row.status !== 'in_progress') return { state: 'abandoned' as const, exam };

  const { data, error: rpcError } = await locals.supabase.rpc('get_active_quiz', { p_exam: row.exam_id });
  if (rpcError) error(503, { message: 'The quiz could not be loaded.', hint: 'Reload the page in a moment.' });
  const parsed = activeAttempt.safeParse(data);
  if (!parsed.success || parsed.data.attempt_id !== row.id) return { state: 'abandoned' as const, exam };

  const attempt = parsed.data;
  const answers: Record<number, Letter | null> = {};
  for (const q of attempt.questions) answers[q.position] = q.selected_answer;
  const step = clampStep(url.searchParams.get('q'), attempt.questions.length, resumePosition(answers, attempt.questions.length));
  return { state: 'active' as const, exam, attempt, step, loadedAt: Date.now() };
};

export const actions: Actions = {
  /** Saves one answer; `go` (no JavaScript) then moves to that question. */
  answer: async ({ request, locals, params, url }) => {
    const form = formObject(await request.formData());
    const parsed = answerSchema.safeParse({ ...form, answer: form.answer || null, go: form.go || undefined });
    if (!parsed.success) return fail(400, { errors: fieldErrors(parsed.error) });
    const { question_id, answer, time_spent_seconds, go } = parsed.data;
    // Moving on without choosing keeps what was saved before.
    if (answer !== null || !go) {
      const { error: e } = await locals.supabase.rpc('save_quiz_answer', {
        p_attempt: params.attempt,
        p_question_id: question_id,
        p_answer: answer as string,
        p_time_spent_seconds: time_spent_seconds,
      });
      if (e) {
        if (e.code === 'PT409') redirect(303, `/app/results/${params.attempt}`);
        const problem = rpcProblem(e);
        return fail(problem.status, { errors: { _form: problem.message }, timeUp: e.code === 'PT410' });
      }
    }
    if (go) redirect(303, `${url.pathname}?q=${go}`);
    return { saved: question_id };
  },

  submit: async ({ request, locals, params, cookies }) => {
    const parsed = submitSchema.safeParse(formObject(await request.formData()));
    if (!parsed.success) return fail(400, { errors: fieldErrors(parsed.error) });
    const { data, error: e } = await locals.supabase.rpc('submit_quiz', { p_attempt: params.attempt, p_answers: parsed.data.answers });
    if (e) {
      if (e.code === 'PT409' && /already submitted/.test(e.message)) redirect(303, `/app/results/${params.attempt}`);
      const problem = rpcProblem(e);
      return fail(problem.status, { errors: { _form: problem.message } });
    }
    const result = submitResult.safeParse(data);
    if (result.success) {
      cookies.set(FLASH_COOKIE, flashValue(result.data), { path: '/app/results', httpOnly: true, sameSite: 'lax', maxAge: 120 });
    }
    redirect(303, `/app/results/${params.attempt}`);
  },
};
