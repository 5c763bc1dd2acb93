// An organisation page's guard: the organisation by slug and the caller's staff role in it.
// Anyone who is not staff (or a slug that does not exist) gets the same 404, so the page reveals
// nothing about organisations one is not part of.
import { error } from '@sveltejs/kit';
import { isStaff } from '$lib/organisation.ts';

export const NO_ACCESS = {
  message: 'Organisation not found or no access',
  hint: 'Its staff (owners, admins and instructors) see this page. Check the address, or ask an owner for access.',
};

export async function staffContext(locals: App.Locals, slug: string) {
  const me = locals.user?.id;
  if (!me) error(404, NO_ACCESS);
  const { data: org, error: e } = await locals.supabase.from('organizations').select('id, name, slug').eq('slug', slug).maybeSingle();
  if (e) error(503, { message: 'This organisation could not be loaded.', hint: 'Reload the page in a moment.' });
  if (!org) error(404, NO_ACCESS);
  const { data: mine } = await locals.supabase.from('organization_members').select('role').eq('organization_id', org.id).eq('user_id', me).maybeSingle();
  if (!isStaff(mine?.role)) error(404, NO_ACCESS);
  return { org, me, role: mine.role };
}
