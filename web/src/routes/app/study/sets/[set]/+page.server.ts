import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { activeAttempt } from '$lib/quiz.ts';
import { rpcProblem } from '$lib/server/rpc.ts';
import { setSchema } from '../../study.ts';
import type { Actions, PageServerLoad } from './$types';

const NOT_FOUND = { message: 'There is no such study set.', hint: 'Your own sets and the ones shared with you are under Study sets.' };

export const load: PageServerLoad = async ({ locals, params }) => {
  if (!z.uuid().safeParse(params.set).success) error(404, NOT_FOUND);
  // RLS answers: someone else's private set reads exactly like one that does not exist (and so do
  // its items, read at the same time).
  const [{ data: set, error: e }, items, exams] = await Promise.all([
    locals.supabase
      .from('study_sets')
      .select('id, name, description, shared, owner_id, organization_id, updated_at, organizations(name), profiles(display_name)')
      .eq('id', params.set)
      .maybeSingle(),
    locals.supabase
      .from('study_set_items')
      .select('question_id, position, added_at, questions(stem, exam_id)')
      .eq('study_set_id', params.set)
      .order('position')
      .order('added_at'),
    locals.supabase.from('exams').select('id, name'),
  ]);
  if (e) error(503, { message: 'The study set could not be loaded.', hint: 'Reload the page in a moment.' });
  if (!set) error(404, NOT_FOUND);
  const examName = (id: string | undefined) => (id ? (exams.data?.find((x) => x.id === id)?.name ?? id) : '');
  return {
    set: { id: set.id, name: set.name, description: set.description, shared: set.shared, organization_id: set.organization_id, organization: set.organizations?.name ?? null, owner: set.profiles?.display_name ?? null, updated_at: set.updated_at },
    mine: set.owner_id === locals.user!.id,
    itemsError: Boolean(items.error),
    items: (items.data ?? []).map((i) => ({ question_id: i.question_id, stem: i.questions?.stem ?? 'A question no longer available', exam: examName(i.questions?.exam_id) })),
  };
};

const item = z.object({ question_id: z.coerce.number().int().positive() });
const SAVE_FAILED = 'That could not be saved just now. Try again in a moment.';

export const actions: Actions = {
  /** A practice quiz of the set's questions (start_study_set_quiz applies start_quiz's scoring rules). */
  practise: async ({ locals, params }) => {
    if (!z.uuid().safeParse(params.set).success) return fail(404, { message: NOT_FOUND.message });
    const { data, error: e } = await locals.supabase.rpc('start_study_set_quiz', { p_set: params.set });
    if (e) return fail(rpcProblem(e).status, { message: rpcProblem(e).message });
    const started = activeAttempt.safeParse(data);
    if (!started.success) return fail(502, { message: 'The quiz could not be read. Try starting it again.' });
    redirect(303, `/app/quiz/${started.data.attempt_id}`);
  },
  rename: async ({ locals, params, request }) => {
    const values = formObject(await request.formData());
    const parsed = setSchema.safeParse(values);
    if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
    const { data, error: e } = await locals.supabase.from('study_sets').update(parsed.data).eq('id', params.set).select('id');
    if (e || data.length === 0) return fail(e ? 503 : 404, { values, errors: { _form: e ? SAVE_FAILED : 'Only the owner changes this set.' } });
    return { done: 'Study set saved' };
  },
  remove: async ({ locals, params, request }) => {
    const p = item.safeParse(Object.fromEntries(await request.formData()));
    if (!p.success) return fail(400, { message: 'That question could not be found.' });
    const { error: e } = await locals.supabase.from('study_set_items').delete().eq('study_set_id', params.set).eq('question_id', p.data.question_id);
    return e ? fail(503, { message: SAVE_FAILED }) : { done: 'Removed from the set' };
  },
  delete: async ({ locals, params }) => {
    const { data, error: e } = await locals.supabase.from('study_sets').delete().eq('id', params.set).select('id');
    if (e || data.length === 0) return fail(e ? 503 : 404, { message: e ? SAVE_FAILED : 'Only the owner deletes this set.' });
    redirect(303, '/app/study/sets');
  },
};
