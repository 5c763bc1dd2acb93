// The organisations where the signed-in person is staff (owner, admin, instructor), for the menu.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '$lib/database.types.ts';

export type StaffOrg = { slug: string; name: string; role: string };

export async function loadStaffOrgs(supabase: SupabaseClient<Database>, userId: string): Promise<StaffOrg[]> {
  const { data, error } = await supabase
    .from('organization_members')
    .select('role, organizations(slug, name)')
    .eq('user_id', userId)
    .in('role', ['owner', 'admin', 'instructor']);
  if (error || !data) return [];
  return data
    .flatMap((m) => (m.organizations ? [{ slug: m.organizations.slug, name: m.organizations.name, role: m.role }] : []))
    .sort((a, b) => a.name.localeCompare(b.name));
}
