import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { answerInvitation } from '$lib/server/invitations.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, depends }) => {
  depends('app:invitations');
  const { data, error } = await locals.supabase.rpc('get_my_invitations');
  if (error) return { loadError: true as const };
  return { loadError: false as const, items: data };
};

const answer = z.object({ invitation: z.uuid() });

export const actions: Actions = {
  accept: async ({ locals, request }) => {
    const p = answer.safeParse(Object.fromEntries(await request.formData()));
    if (!p.success) return fail(400, { message: 'That invitation could not be found.' });
    const r = await answerInvitation(locals.supabase, { p_invitation: p.data.invitation }, true);
    if (!r.ok) return fail(r.status, { message: r.message });
    const { data: org } = r.organizationId ? await locals.supabase.from('organizations').select('name').eq('id', r.organizationId).maybeSingle() : { data: null };
    return { done: `You joined ${org?.name ?? 'the organisation'}${r.role ? ` as ${r.role}` : ''}` };
  },
  decline: async ({ locals, request }) => {
    const p = answer.safeParse(Object.fromEntries(await request.formData()));
    if (!p.success) return fail(400, { message: 'That invitation could not be found.' });
    const r = await answerInvitation(locals.supabase, { p_invitation: p.data.invitation }, false);
    return r.ok ? { done: 'Invitation declined' } : fail(r.status, { message: r.message });
  },
};
