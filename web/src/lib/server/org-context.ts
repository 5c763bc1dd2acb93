// The organisation a page under /org/[slug] is about, and the caller's role in it. Only its staff
// (owners, admins, instructors) get past this; anyone else, and an unknown slug, get the same 404,
// so the page does not tell a learner or a stranger whether the organisation exists.
import { error } from '@sveltejs/kit';
import { isStaff } from '$lib/organisation.ts';

export const NO_ACCESS = {
  message: 'Organisation not found or no access',
  hint: 'Its staff (owners, admins and instructors) see these pages. Check the address, or ask an owner for access.',
};

export async function orgContext(locals: App.Locals, slug: string) {
  const me = locals.user?.id;
  if (!me) error(404, NO_ACCESS);
  const { data: org, error: e } = await locals.supabase.from('organizations').select('id, name, slug, description').eq('slug', slug).maybeSingle();
  if (e) error(503, { message: 'This organisation could not be loaded.', hint: 'Reload the page in a moment.' });
  if (!org) error(404, NO_ACCESS);
  const { data: mine } = await locals.supabase.from('organization_members').select('role').eq('organization_id', org.id).eq('user_id', me).maybeSingle();
  if (!isStaff(mine?.role)) error(404, NO_ACCESS);
  return { org, me, role: mine.role };
}
export type OrgContext = Awaited<ReturnType<typeof orgContext>>;
