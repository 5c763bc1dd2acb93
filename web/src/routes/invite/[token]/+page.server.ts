// An invitation link: whoever holds it (signed in) may accept it once, or decline it.
import { fail } from '@sveltejs/kit';
import { answerInvitation } from '$lib/server/invitations.ts';
import type { Actions, PageServerLoad } from './$types';

const TOKEN = /^[A-Za-z0-9_-]{16,200}$/;

export const load: PageServerLoad = async ({ locals, params, url }) => ({
  signedIn: !!locals.user,
  valid: TOKEN.test(params.token),
  next: url.pathname,
});

async function answer(locals: App.Locals, token: string, accept: boolean) {
  if (!locals.user) return fail(401, { message: 'Sign in first, then answer the invitation.' });
  if (!TOKEN.test(token)) return fail(404, { message: 'This invitation link is not valid. Check that it was copied whole.' });
  const r = await answerInvitation(locals.supabase, { p_token: token }, accept);
  if (!r.ok) return fail(r.status, { message: r.message });
  if (!accept) return { answered: 'declined' as const, organization: null };
  const { data: org } = r.organizationId ? await locals.supabase.from('organizations').select('name').eq('id', r.organizationId).maybeSingle() : { data: null };
  return { answered: 'accepted' as const, organization: org?.name ?? 'the organisation', role: r.role };
}

export const actions: Actions = {
  accept: ({ locals, params }) => answer(locals, params.token, true),
  decline: ({ locals, params }) => answer(locals, params.token, false),
};
