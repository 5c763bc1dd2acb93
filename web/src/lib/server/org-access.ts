// Who may open an organisation's content-admin pages. The database decides every read and write
// (RLS, the RPCs' own checks); this only picks the page a person sees: sign in first, "not found"
// when they are not a member (nothing about the organisation leaks), and "no permission" when
// they are a member whose role does not reach the page (they know the organisation exists).
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { OrgRole } from '$lib/organisation.ts';

export interface OrgAccess {
  org: { id: string; name: string; slug: string };
  me: string;
  role: OrgRole;
}

const NOT_FOUND = { message: 'Organisation not found or no access', hint: 'Check the address, or ask an owner of the organisation for access.' };

/** The organisation by slug and my role in it, when `allowed` lets that role in. */
export async function requireOrgRole(
  event: Pick<RequestEvent, 'locals' | 'params' | 'url'>,
  allowed: readonly OrgRole[],
  page: string,
): Promise<OrgAccess> {
  const { locals, params, url } = event;
  const me = locals.user?.id;
  if (!me) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  const { data: org, error: e } = await locals.supabase.from('organizations').select('id, name, slug').eq('slug', params.slug ?? '').maybeSingle();
  if (e) error(503, { message: 'This organisation could not be loaded.', hint: 'Reload the page in a moment.' });
  if (!org) error(404, NOT_FOUND);
  const { data: mine } = await locals.supabase.from('organization_members').select('role').eq('organization_id', org.id).eq('user_id', me).maybeSingle();
  if (!mine) error(404, NOT_FOUND);
  if (!allowed.includes(mine.role)) {
    error(403, {
      message: `You do not have permission to see ${page} of ${org.name}`,
      hint: `You are ${mine.role === 'admin' || mine.role === 'owner' || mine.role === 'instructor' ? 'an' : 'a'} ${mine.role} there; ${allowedWords(allowed)} use this page. Ask an owner if you need access.`,
    });
  }
  return { org, me, role: mine.role };
}

/** "owners and admins", "owners, admins and instructors". */
export function allowedWords(allowed: readonly OrgRole[]): string {
  const words = allowed.map((r) => `${r}s`);
  return words.length <= 1 ? (words[0] ?? 'nobody') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

export const STAFF: readonly OrgRole[] = ['owner', 'admin', 'instructor'];
export const ADMINS: readonly OrgRole[] = ['owner', 'admin'];
