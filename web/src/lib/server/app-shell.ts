// What the app's header and menu need on every signed-in page (/app and /org share them): the
// profile, the unread notification count and the organisations the user is staff of.
import { redirect } from '@sveltejs/kit';
import { loadStaffOrgs } from './organisations.ts';
import { loadProfile } from './profile.ts';

export async function loadAppShell(locals: App.Locals, url: URL) {
  // hooks.server.ts already sends signed-out visitors to /login; this keeps the types honest.
  if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  const [profile, unread, staffOrgs] = await Promise.all([
    loadProfile(locals.supabase, locals.user.id),
    locals.supabase.rpc('get_unread_notification_count'),
    loadStaffOrgs(locals.supabase, locals.user.id),
  ]);
  return { profile, unread: unread.data ?? 0, staffOrgs };
}
