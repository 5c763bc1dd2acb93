import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { attemptReview } from '$lib/quiz.ts';
import { FLASH_COOKIE, readFlash } from '$lib/server/flash.ts';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { reportSchema } from './report.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, cookies, parent }) => {
  if (!z.uuid().safeParse(params.attempt).success) error(404, { message: 'There is no such quiz.' });
  const { data, error: e } = await locals.supabase.rpc('get_attempt_review', { p_attempt: params.attempt });
  if (e) {
    if (e.code === 'PT409') redirect(303, `/app/quiz/${params.attempt}`);
    if (e.code === 'PT404') error(404, { message: 'There is no such quiz.', hint: 'Your finished quizzes are on the dashboard.' });
    error(503, { message: 'The results could not be loaded.', hint: 'Reload the page in a moment.' });
  }
  const review = attemptReview.safeParse(data);
  if (!review.success) error(502, { message: 'The results could not be read.', hint: 'Reload the page in a moment.' });

  // The celebration plays once, right after submitting.
  const flash = readFlash(cookies.get(FLASH_COOKIE), params.attempt);
  if (flash) cookies.delete(FLASH_COOKIE, { path: '/app/results' });

  const [{ profile }, exam, reports] = await Promise.all([
    parent(),
    locals.supabase.from('exams').select('id, name, code, passing_percent').eq('id', review.data.attempt.exam_id).maybeSingle(),
    // The learner's open reports on these questions: those show as reported, not as a form.
    locals.supabase
      .from('question_reports')
      .select('question_id')
      .eq('status', 'open')
      .eq('reporter_id', locals.user?.id ?? '')
      .in('question_id', review.data.questions.map((q) => q.question_id)),
  ]);
  return {
    review: review.data,
    flash,
    profile,
    exam: exam.data ?? { id: review.data.attempt.exam_id, name: review.data.attempt.exam_id, code: '', passing_percent: 75 },
    reported: (reports.data ?? []).map((r) => r.question_id),
  };
};

export const actions: Actions = {
  /** Report a question of this quiz to its authors (the database refuses questions of others' quizzes). */
  report: async ({ request, locals }) => {
    const values = formObject(await request.formData());
    const questionId = Number(values.question_id) || null;
    const parsed = reportSchema.safeParse(values);
    if (!parsed.success) return fail(400, { report: { questionId, values, errors: fieldErrors(parsed.error) } });
    const { error: e } = await locals.supabase.from('question_reports').insert(parsed.data);
    if (e) {
      const message =
        e.code === '23505'
          ? 'You already reported this question. We will let you know when it has been reviewed.'
          : e.code === '42501'
            ? 'You can only report questions from your own quizzes.'
            : 'The report could not be sent. Try again in a moment.';
      return fail(e.code === '23505' ? 409 : e.code === '42501' ? 403 : 503, { report: { questionId, values, errors: { _form: message } } });
    }
    return { reported: parsed.data.question_id };
  },
};
