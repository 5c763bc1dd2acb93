// The organisation area's pages (/org/[slug]/...): one list, in the order staff think of it, each
// entry saying which roles may open it. The menu shows a role only its entries, and every page's
// server guard (requireSection in $lib/server/org-access.ts) reads the same list, so the menu never
// offers a page that would answer "no permission". The database enforces every rule; this only
// picks the page a person sees.
//
// A new page joins this list in its place, with an icon name known to the org layout.
import type { OrgRole } from './organisation.ts';

export type OrgSection = 'overview' | 'members' | 'teams' | 'assignments' | 'questions' | 'imports' | 'lessons' | 'trainer' | 'audit' | 'webhooks';
export type OrgNavIcon = OrgSection | 'settings';

/** Owners, admins and instructors. */
export const STAFF: readonly OrgRole[] = ['owner', 'admin', 'instructor'];
/** Owners and admins. */
export const MANAGERS: readonly OrgRole[] = ['owner', 'admin'];

export interface OrgNavEntry {
  /** Below /org/[slug]; '' is the overview. */
  path: string;
  label: string;
  icon: OrgNavIcon;
  /** Who may open the page (and its sub-pages). */
  roles: readonly OrgRole[];
  /** The page in "You do not have permission to see … of <organisation>". */
  what: string;
}

export const ORG_PAGES: Readonly<Record<OrgSection, OrgNavEntry>> = {
  overview: { path: '', label: 'Overview', icon: 'overview', roles: STAFF, what: 'the overview' },
  members: { path: '/members', label: 'Members', icon: 'members', roles: STAFF, what: 'the members' },
  teams: { path: '/teams', label: 'Teams & departments', icon: 'teams', roles: STAFF, what: 'the teams and departments' },
  assignments: { path: '/assignments', label: 'Assignments', icon: 'assignments', roles: STAFF, what: 'the assignments' },
  questions: { path: '/questions', label: 'Questions', icon: 'questions', roles: STAFF, what: 'the question bank' },
  imports: { path: '/imports', label: 'Imports', icon: 'imports', roles: STAFF, what: 'the imports' },
  lessons: { path: '/lessons', label: 'Lessons', icon: 'lessons', roles: STAFF, what: 'the lessons' },
  trainer: { path: '/trainer', label: 'Training reports', icon: 'trainer', roles: STAFF, what: 'the training reports' },
  audit: { path: '/audit', label: 'Audit log', icon: 'audit', roles: MANAGERS, what: 'the audit log' },
  webhooks: { path: '/webhooks', label: 'Webhooks', icon: 'webhooks', roles: MANAGERS, what: 'the webhooks' },
};

export const ORG_NAV: readonly OrgNavEntry[] = Object.values(ORG_PAGES);

/** Whether this role may open the page. */
export function mayOpen(entry: Pick<OrgNavEntry, 'roles'>, role: string | null | undefined): boolean {
  return entry.roles.some((r) => r === role);
}

/** "owners and admins", "owners, admins and instructors". */
export function rolesInWords(roles: readonly OrgRole[]): string {
  const words = roles.map((r) => `${r}s`);
  return words.length <= 1 ? (words[0] ?? 'nobody') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

export interface OrgNavLink extends OrgNavEntry {
  href: string;
  current: boolean;
}

/** The entries this role sees, with their address and whether the page shown is theirs. */
export function orgNav(slug: string, role: string | null | undefined, pathname: string, entries: readonly OrgNavEntry[] = ORG_NAV): OrgNavLink[] {
  const base = `/org/${encodeURIComponent(slug)}`;
  return entries
    .filter((e) => mayOpen(e, role))
    .map((e) => {
      const href = base + e.path;
      // The overview is current only on itself; a section also owns its sub-pages.
      const current = e.path === '' ? pathname === base || pathname === `${base}/` : pathname === href || pathname.startsWith(`${href}/`);
      return { ...e, href, current };
    });
}
