import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { attemptReview } from '$lib/quiz.ts';
import { FLASH_COOKIE, readFlash } from '$lib/server/flash.ts';
import type { PageServerLoad } from './$types';

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

  const [{ profile }, exam] = await Promise.all([
    parent(),
    locals.supabase.from('exams').select('id, name, code, passing_percent').eq('id', review.data.attempt.exam_id).maybeSingle(),
  ]);
  return { review: review.data, flash, profile, exam: exam.data ?? { id: review.data.attempt.exam_id, name: review.data.attempt.exam_id, code: '', passing_percent: 75 } };
};
