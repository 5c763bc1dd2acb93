// Who may open an organisation's pages (/org/[slug]/...). The database decides every read and
// write (RLS, the RPCs' own checks); this only picks the page a person sees:
// - signed out: sign in first, then come back;
// - not a member, or no such organisation: the same 404, so nothing about the organisation leaks;
// - a member whose role does not reach the page: 403 "no permission", naming the roles that may
//   use it (a member knows the organisation exists, so that is the honest answer).
// The org layout resolves the organisation and the caller's role once (orgAccess); pages take them
// from `await parent()` and check their section with requireSection. Form actions do not run the
// layout's load, so they call orgSection, which does both.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { mayOpen, ORG_PAGES, rolesInWords, type OrgSection } from '$lib/org-nav.ts';
import type { OrgRole } from '$lib/organisation.ts';

export interface OrgAccess {
  org: { id: string; name: string; slug: string; description: string | null };
  me: string;
  role: OrgRole;
}

export const NOT_FOUND = { message: 'Organisation not found or no access', hint: 'Check the address, or ask an owner of the organisation for access.' };

/** The organisation by slug and my role in it; 404 unless I am a member. */
export async function orgAccess({ locals, params, url }: Pick<RequestEvent, 'locals' | 'params' | 'url'>): Promise<OrgAccess> {
  const me = locals.user?.id;
  if (!me) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  const { data: org, error: e } = await locals.supabase.from('organizations').select('id, name, slug, description').eq('slug', params.slug ?? '').maybeSingle();
  if (e) error(503, { message: 'This organisation could not be loaded.', hint: 'Reload the page in a moment.' });
  if (!org) error(404, NOT_FOUND);
  const { data: mine, error: e2 } = await locals.supabase.from('organization_members').select('role').eq('organization_id', org.id).eq('user_id', me).maybeSingle();
  if (e2) error(503, { message: 'This organisation could not be loaded.', hint: 'Reload the page in a moment.' });
  if (!mine) error(404, NOT_FOUND);
  return { org, me, role: mine.role };
}

/** The access itself when my role may open this section; otherwise the 403 page. */
export function requireSection<T extends OrgAccess>(access: T, section: OrgSection): T {
  const page = ORG_PAGES[section];
  if (!mayOpen(page, access.role)) {
    const article = access.role === 'learner' ? 'a' : 'an';
    error(403, {
      message: `You do not have permission to see ${page.what} of ${access.org.name}`,
      hint: `You are ${article} ${access.role} there; ${rolesInWords(page.roles)} use this page. Ask an owner if you need access.`,
    });
  }
  return access;
}

/** For form actions (which do not run the layout's load): orgAccess, then requireSection. */
export async function orgSection(event: Pick<RequestEvent, 'locals' | 'params' | 'url'>, section: OrgSection): Promise<OrgAccess> {
  return requireSection(await orgAccess(event), section);
}
