import { redirect } from '@sveltejs/kit';
import { loadStaffOrgs } from '$lib/server/organisations.ts';
import { loadProfile } from '$lib/server/profile.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, url }) => {
  // hooks.server.ts already sends signed-out visitors to /login; this keeps the types honest.
  if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  const [profile, unread, staffOrgs] = await Promise.all([
    loadProfile(locals.supabase, locals.user.id),
    locals.supabase.rpc('get_unread_notification_count'),
    loadStaffOrgs(locals.supabase, locals.user.id),
  ]);
  return { profile, unread: unread.data ?? 0, staffOrgs };
};
