import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { mergeKept, noteSchema, setItemSchema } from './study.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const [bookmarks, notes, exams, sets] = await Promise.all([
    locals.supabase.from('bookmarks').select('question_id, created_at, questions(stem, exam_id)').order('created_at', { ascending: false }).limit(200),
    locals.supabase.from('question_notes').select('id, question_id, body, updated_at, questions(stem, exam_id)').order('updated_at', { ascending: false }).limit(200),
    locals.supabase.from('exams').select('id, name'),
    locals.supabase.from('study_sets').select('id, name').eq('owner_id', locals.user!.id).order('name').limit(100),
  ]);
  if (bookmarks.error || notes.error) return { loadError: true as const };
  const examName = (id: string) => exams.data?.find((e) => e.id === id)?.name ?? id;
  return {
    loadError: false as const,
    sets: sets.data ?? [],
    items: mergeKept(bookmarks.data, notes.data).map((k) => ({ ...k, exam_name: examName(k.exam_id) })),
  };
};

const question = z.object({ question_id: z.coerce.number().int().positive() });
const SAVE_FAILED = 'That could not be saved just now. Try again in a moment.';

export const actions: Actions = {
  saveNote: async ({ locals, request }) => {
    const values = formObject(await request.formData());
    const parsed = noteSchema.safeParse(values);
    if (!parsed.success) return fail(400, { question: Number(values.question_id), values, errors: fieldErrors(parsed.error) });
    // One note per question: change it if there is one, else write it.
    const { question_id, body } = parsed.data;
    const updated = await locals.supabase.from('question_notes').update({ body }).eq('question_id', question_id).eq('user_id', locals.user!.id).select('id');
    const error = updated.error ?? (updated.data.length === 0 ? (await locals.supabase.from('question_notes').insert({ question_id, body })).error : null);
    if (error) return fail(503, { question: parsed.data.question_id, values, errors: { body: SAVE_FAILED } });
    return { done: 'Note saved' };
  },
  deleteNote: async ({ locals, request }) => {
    const p = question.safeParse(Object.fromEntries(await request.formData()));
    if (!p.success) return fail(400, { message: 'That note could not be found.' });
    const { error } = await locals.supabase.from('question_notes').delete().eq('question_id', p.data.question_id).eq('user_id', locals.user!.id);
    return error ? fail(503, { message: SAVE_FAILED }) : { done: 'Note deleted' };
  },
  addToSet: async ({ locals, request }) => {
    const p = setItemSchema.safeParse(Object.fromEntries(await request.formData()));
    if (!p.success) return fail(400, { message: 'Choose a set to add the question to.' });
    // RLS: only the owner adds, and only questions they can read; a repeat is already there.
    const { error } = await locals.supabase.from('study_set_items').insert({ study_set_id: p.data.set, question_id: p.data.question_id });
    if (error?.code === '23505') return { done: 'Already in that set' };
    return error ? fail(error.code === '42501' ? 403 : 503, { message: error.code === '42501' ? 'You can only add to your own sets.' : SAVE_FAILED }) : { done: 'Added to the set' };
  },
  unbookmark: async ({ locals, request }) => {
    const p = question.safeParse(Object.fromEntries(await request.formData()));
    if (!p.success) return fail(400, { message: 'That bookmark could not be found.' });
    const { error } = await locals.supabase.from('bookmarks').delete().eq('question_id', p.data.question_id).eq('user_id', locals.user!.id);
    return error ? fail(503, { message: SAVE_FAILED }) : { done: 'Bookmark removed' };
  },
};
