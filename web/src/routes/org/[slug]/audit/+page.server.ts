import { actorLabel, describeChange, PAGE_SIZE, readAuditFilters } from '$lib/audit.ts';
import { zonedToUtc } from '$lib/org-assignments.ts';
import { requireSection } from '$lib/server/org-access.ts';
import type { PageServerLoad } from './$types';

// The organisation's audit log (owners and admins: audit_log_select_admin), newest first, with
// filters in the address. Instructors get the no-permission page.
export const load: PageServerLoad = async ({ locals, parent, url }) => {
  const { org, profile } = requireSection(await parent(), 'audit');
  const filters = readAuditFilters(url.searchParams);
  const { supabase } = locals;
  let q = supabase
    .from('audit_log')
    .select('id, occurred_at, actor_id, actor_role, table_name, record_id, action, old_data, new_data, changed_columns')
    .eq('organization_id', org.id)
    .order('id', { ascending: false })
    .limit(PAGE_SIZE + 1);
  if (filters.table) q = q.eq('table_name', filters.table);
  if (filters.action) q = q.eq('action', filters.action);
  if (filters.actor) q = q.eq('actor_id', filters.actor);
  if (filters.before) q = q.lt('id', filters.before);
  // Dates are the reader's calendar days, in their time zone.
  const from = filters.from ? zonedToUtc(`${filters.from}T00:00`, profile.time_zone) : null;
  const to = filters.to ? zonedToUtc(`${filters.to}T00:00`, profile.time_zone) : null;
  if (from) q = q.gte('occurred_at', from.toISOString());
  if (to) q = q.lt('occurred_at', new Date(to.getTime() + 86_400_000).toISOString());
  const [rows, members] = await Promise.all([q, supabase.from('organization_members').select('user_id, profiles(display_name, username)').eq('organization_id', org.id)]);
  const people = (members.data ?? []).map((m) => ({ id: m.user_id, name: m.profiles?.display_name || m.profiles?.username || 'A member' })).sort((a, b) => a.name.localeCompare(b.name));
  const names = new Map(people.map((p) => [p.id, p.name]));
  // A subject named by a user id (membership, team membership) reads as that person.
  const subject = (r: { record_id: string | null; new_data: unknown; old_data: unknown }) => {
    const d = (r.new_data ?? r.old_data) as Record<string, unknown> | null;
    const user = d && typeof d.user_id === 'string' ? names.get(d.user_id) : undefined;
    const named = d && typeof d.name === 'string' ? d.name : d && typeof d.email === 'string' ? d.email : d && typeof d.title === 'string' ? d.title : undefined;
    return user ?? named ?? null;
  };
  const page = rows.data?.slice(0, PAGE_SIZE) ?? [];
  return {
    filters,
    people,
    timeZone: profile.time_zone,
    rows: rows.error
      ? null
      : page.map((r) => ({
          id: r.id,
          occurred_at: r.occurred_at,
          actor: actorLabel(r.actor_id, r.actor_role, names),
          table: r.table_name,
          action: r.action as 'INSERT' | 'UPDATE' | 'DELETE' | 'ERASE',
          subject: subject(r),
          changes: describeChange(r),
        })),
    older: (rows.data?.length ?? 0) > PAGE_SIZE ? (page.at(-1)?.id ?? null) : null,
  };
};
