import { error, fail, redirect } from '@sveltejs/kit';
import { formObject } from '$lib/forms.ts';
import { callTrainer, readSession, readTranscript, trainerError } from '$lib/server/trainer.ts';
import { remainingSeconds } from '$lib/trainer/clock.ts';
import { trainerEvents } from '$lib/trainer/sse.ts';
import { sessionIdSchema } from '$lib/trainer/trainer.ts';
import { endProblem, replyProblem, sayBody } from './chat.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const NOT_FOUND = { message: 'Training session not found', hint: 'It does not exist or is not yours. Your sessions are listed on the trainer page.' };

/** The caller's own session (anyone else's, even one they may read as staff, is "not found" here). */
async function ownSession({ locals, params }: Pick<RequestEvent, 'locals' | 'params'>) {
  if (!sessionIdSchema.safeParse(params.session).success || !locals.user) error(404, NOT_FOUND);
  const s = await readSession(locals.supabase, params.session).catch(() => error(503, { message: 'This session could not be loaded.', hint: 'Reload the page in a moment.' }));
  if (!s || s.user_id !== locals.user.id) error(404, NOT_FOUND);
  return s;
}

export const load: PageServerLoad = async (event) => {
  const s = await ownSession(event);
  if (s.status === 'completed') redirect(303, `/app/trainer/reports/${s.id}`);
  const messages = await readTranscript(event.locals.supabase, s.id).catch(() => null);
  return { session: s, messages, remaining: s.status === 'active' ? remainingSeconds(s.ends_at) : 0 };
};

export const actions: Actions = {
  // Without JavaScript: say something and wait for the whole reply (the page streams it otherwise).
  say: async (event) => {
    const s = await ownSession(event);
    const parsed = sayBody.safeParse(formObject(await event.request.formData()));
    if (!parsed.success) return fail(400, { say: parsed.error.issues[0]?.message ?? 'Say something first' });
    const res = await callTrainer(event.locals, `/sessions/${s.id}/messages`, { body: parsed.data });
    if (!res.ok || !res.body) return fail(res.status === 410 ? 410 : 503, { say: replyProblem(res.status, await trainerError(res)), content: parsed.data.content });
    for await (const e of trainerEvents(res.body)) {
      if (e.type === 'error') return fail(503, { say: replyProblem(e.status, e.message) });
    }
    return { said: true };
  },

  end: async (event) => {
    const s = await ownSession(event);
    const res = await callTrainer(event.locals, `/sessions/${s.id}/end`, { method: 'POST' });
    if (!res.ok) return fail(res.status >= 500 ? 503 : 409, { end: endProblem(res.status, await trainerError(res)) });
    redirect(303, `/app/trainer/reports/${s.id}`);
  },
};
