import { error, fail } from '@sveltejs/kit';
import { formObject } from '$lib/forms.ts';
import { orgSection, requireSection, type OrgAccess } from '$lib/server/org-access.ts';
import { readNotes, readReport, readSession, readTranscript } from '$lib/server/trainer.ts';
import { noteSchema, requestLocale, sessionIdSchema } from '$lib/trainer/trainer.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const NOT_FOUND = { message: 'Training report not found', hint: 'It does not exist or was not shared with this organisation.' };
const UNAVAILABLE = { message: 'This report could not be loaded.', hint: 'Reload the page in a moment.' };

/** A session filed under this organisation, read as its staff member (RLS). */
async function orgSession({ locals, params }: Pick<RequestEvent, 'locals' | 'params'>, ctx: OrgAccess) {
  if (!sessionIdSchema.safeParse(params.session).success) error(404, NOT_FOUND);
  const s = await readSession(locals.supabase, params.session).catch(() => error(503, UNAVAILABLE));
  if (!s || s.organization_id !== ctx.org.id) error(404, NOT_FOUND);
  return { ...ctx, session: s };
}

export const load: PageServerLoad = async (event) => {
  const { org, session } = await orgSession(event, requireSection(await event.parent(), 'trainer'));
  const { supabase } = event.locals;
  const [report, notes, transcript, learner] = await Promise.all([
    readReport(supabase, session.id),
    readNotes(supabase, session.id),
    readTranscript(supabase, session.id),
    supabase.from('profiles').select('display_name, username').eq('id', session.user_id).maybeSingle(),
  ]).catch(() => error(503, UNAVAILABLE));
  return {
    org,
    session,
    report,
    notes,
    transcript,
    learnerName: learner.data?.display_name ?? learner.data?.username ?? 'The learner',
    locale: requestLocale(event.request.headers.get('accept-language')),
  };
};

export const actions: Actions = {
  note: async (event) => {
    const { session } = await orgSession(event, await orgSection(event, 'trainer'));
    const values = formObject(await event.request.formData());
    const parsed = noteSchema.safeParse(values);
    if (!parsed.success) return fail(400, { body: String(values.body ?? ''), error: parsed.error.issues[0]?.message ?? 'Write a note first' });
    const { error: e } = await event.locals.supabase.from('training_notes').insert({ session_id: session.id, body: parsed.data.body });
    if (e) {
      const refused = e.code === '42501';
      return fail(refused ? 403 : 503, { body: parsed.data.body, error: refused ? 'You cannot leave notes on this report.' : 'The note was not saved. Try again in a moment.' });
    }
    return { done: 'Note added' };
  },
};
