import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { notificationPage, pageNumber, PAGE_SIZE } from '$lib/notifications.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, depends }) => {
  depends('app:notifications');
  const pageNo = pageNumber(url.searchParams.get('page'));
  const unreadOnly = url.searchParams.get('show') === 'unread';
  const { data, error } = await locals.supabase.rpc('get_notifications', {
    p_limit: PAGE_SIZE,
    p_offset: (pageNo - 1) * PAGE_SIZE,
    p_unread_only: unreadOnly,
  });
  const parsed = error ? null : notificationPage.safeParse(data);
  if (!parsed?.success) return { pageNo, unreadOnly, loadError: true as const };
  return { pageNo, unreadOnly, loadError: false as const, ...parsed.data };
};

const ids = z.object({ id: z.coerce.number().int().positive() });

async function mark(locals: App.Locals, request: Request, read: boolean) {
  const parsed = ids.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return fail(400, { message: 'That notification could not be found.' });
  const { error } = await locals.supabase.rpc('mark_notifications_read', { p_ids: [parsed.data.id], p_read: read });
  if (error) return fail(503, { message: 'That could not be saved just now. Try again in a moment.' });
  return { done: read ? 'Marked as read' : 'Marked as unread' };
}

export const actions: Actions = {
  read: ({ locals, request }) => mark(locals, request, true),
  unread: ({ locals, request }) => mark(locals, request, false),
  readAll: async ({ locals }) => {
    const { data, error } = await locals.supabase.rpc('mark_all_notifications_read');
    if (error) return fail(503, { message: 'That could not be saved just now. Try again in a moment.' });
    return { done: data === 1 ? '1 notification marked as read' : `${data ?? 0} notifications marked as read` };
  },
  delete: async ({ locals, request }) => {
    const parsed = ids.safeParse(Object.fromEntries(await request.formData()));
    if (!parsed.success) return fail(400, { message: 'That notification could not be found.' });
    const { error } = await locals.supabase.rpc('delete_notifications', { p_ids: [parsed.data.id] });
    if (error) return fail(503, { message: 'That could not be deleted just now. Try again in a moment.' });
    return { done: 'Notification deleted' };
  },
};
