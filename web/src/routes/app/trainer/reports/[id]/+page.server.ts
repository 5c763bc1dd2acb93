import { error } from '@sveltejs/kit';
import { readNotes, readReport, readSession, readTranscript } from '$lib/server/trainer.ts';
import { requestLocale, sessionIdSchema } from '$lib/trainer/trainer.ts';
import type { PageServerLoad } from './$types';

const NOT_FOUND = { message: 'Training report not found', hint: 'It does not exist or is not yours. Your reports are listed on the trainer page.' };
const UNAVAILABLE = { message: 'This report could not be loaded.', hint: 'Reload the page in a moment.' };

export const load: PageServerLoad = async ({ locals, params, request }) => {
  const me = locals.user?.id;
  if (!me || !sessionIdSchema.safeParse(params.id).success) error(404, NOT_FOUND);
  const s = await readSession(locals.supabase, params.id).catch(() => error(503, UNAVAILABLE));
  // The learner's own report only; staff read their learners' reports under /org/<slug>/trainer.
  if (!s || s.user_id !== me) error(404, NOT_FOUND);
  if (s.status !== 'completed') {
    return { session: s, report: null, notes: [], transcript: [], locale: requestLocale(request.headers.get('accept-language')) };
  }
  const [report, notes, transcript] = await Promise.all([
    readReport(locals.supabase, s.id),
    readNotes(locals.supabase, s.id),
    readTranscript(locals.supabase, s.id),
  ]).catch(() => error(503, UNAVAILABLE));
  return { session: s, report, notes, transcript, locale: requestLocale(request.headers.get('accept-language')) };
};
