import { redirect } from '@sveltejs/kit';
import { loadStaffOrgs } from '$lib/server/organisations.ts';
import { loadProfile } from '$lib/server/profile.ts';
import type { LayoutServerLoad } from './$types';

// The organisation pages share the app's header and menu (the same data as /app's layout).
export const load: LayoutServerLoad = async ({ locals, url }) => {
  if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  const [profile, unread, staffOrgs] = await Promise.all([
    loadProfile(locals.supabase, locals.user.id),
    locals.supabase.rpc('get_unread_notification_count'),
    loadStaffOrgs(locals.supabase, locals.user.id),
  ]);
  return { profile, unread: unread.data ?? 0, staffOrgs };
};
