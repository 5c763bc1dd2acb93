import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { endOfDay, newTaskSchema, pickView, taskPage } from './tasks.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const view = pickView(url.searchParams.get('view'));
  const q = (url.searchParams.get('q') ?? '').slice(0, 200);
  const { data, error } = await locals.supabase.rpc('search_tasks', {
    p_query: q || undefined,
    p_status: view.status ? [...view.status] : undefined,
    p_deleted: view.deleted,
    p_sort: view.id === 'open' ? 'due_at' : 'updated_at',
    p_descending: view.id !== 'open',
    p_limit: 100,
  });
  const parsed = error ? null : taskPage.safeParse(data);
  if (!parsed?.success) return { view: view.id, q, loadError: true as const };
  return { view: view.id, q, loadError: false as const, ...parsed.data };
};

const ids = z.object({ id: z.coerce.number().int().positive() });
const SAVE_FAILED = 'That could not be saved just now. Try again in a moment.';

export const actions: Actions = {
  create: async ({ locals, request }) => {
    const values = formObject(await request.formData());
    const parsed = newTaskSchema.safeParse(values);
    if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
    const { data: profile } = await locals.supabase.from('profiles').select('time_zone').eq('id', locals.user!.id).maybeSingle();
    const { title, priority, due } = parsed.data;
    const { error } = await locals.supabase.from('tasks').insert({ title, priority, due_at: due ? endOfDay(due, profile?.time_zone ?? 'UTC') : null });
    if (error) return fail(503, { values, errors: { _form: SAVE_FAILED } });
    return { done: `Added “${title}”` };
  },
  complete: async ({ locals, request }) => {
    const p = ids.safeParse(Object.fromEntries(await request.formData()));
    if (!p.success) return fail(400, { message: 'That task could not be found.' });
    const { error } = await locals.supabase.rpc('update_tasks', { p_ids: [p.data.id], p_status: 'done' });
    return error ? fail(503, { message: SAVE_FAILED }) : { done: 'Task done' };
  },
  reopen: async ({ locals, request }) => {
    const p = ids.safeParse(Object.fromEntries(await request.formData()));
    if (!p.success) return fail(400, { message: 'That task could not be found.' });
    const { error } = await locals.supabase.rpc('update_tasks', { p_ids: [p.data.id], p_status: 'todo' });
    return error ? fail(503, { message: SAVE_FAILED }) : { done: 'Task reopened' };
  },
  delete: async ({ locals, request }) => {
    const p = ids.safeParse(Object.fromEntries(await request.formData()));
    if (!p.success) return fail(400, { message: 'That task could not be found.' });
    const { error } = await locals.supabase.rpc('delete_tasks', { p_ids: [p.data.id] });
    return error ? fail(503, { message: SAVE_FAILED }) : { done: 'Moved to the bin' };
  },
  restore: async ({ locals, request }) => {
    const p = ids.safeParse(Object.fromEntries(await request.formData()));
    if (!p.success) return fail(400, { message: 'That task could not be found.' });
    const { error } = await locals.supabase.rpc('restore_tasks', { p_ids: [p.data.id] });
    return error ? fail(503, { message: SAVE_FAILED }) : { done: 'Task restored' };
  },
};
