// The organisation area's navigation (/org/[slug]/...): one list, in the order staff think of
// it, each entry saying who sees it. The database enforces every rule; this only keeps the menu
// from offering a page that would answer "no permission".
//
// A new page joins this list in its place, with an icon name known to the org layout.
import { canManage, isStaff } from './organisation.ts';

export type OrgNavIcon = 'overview' | 'members' | 'teams' | 'assignments' | 'questions' | 'imports' | 'lessons' | 'trainer' | 'audit' | 'webhooks' | 'settings';

export interface OrgNavEntry {
  /** Below /org/[slug]; '' is the overview. */
  path: string;
  label: string;
  icon: OrgNavIcon;
  /** staff: owners, admins, instructors; managers: owners and admins. */
  who: 'staff' | 'managers';
}

export const ORG_NAV: readonly OrgNavEntry[] = [
  { path: '', label: 'Overview', icon: 'overview', who: 'staff' },
  { path: '/members', label: 'Members', icon: 'members', who: 'staff' },
  { path: '/teams', label: 'Teams & departments', icon: 'teams', who: 'staff' },
  { path: '/assignments', label: 'Assignments', icon: 'assignments', who: 'staff' },
  { path: '/questions', label: 'Questions', icon: 'questions', who: 'staff' },
  { path: '/imports', label: 'Imports', icon: 'imports', who: 'staff' },
  { path: '/lessons', label: 'Lessons', icon: 'lessons', who: 'staff' },
  { path: '/trainer', label: 'Training reports', icon: 'trainer', who: 'staff' },
  { path: '/audit', label: 'Audit log', icon: 'audit', who: 'managers' },
  { path: '/webhooks', label: 'Webhooks', icon: 'webhooks', who: 'managers' },
];

export interface OrgNavLink extends OrgNavEntry {
  href: string;
  current: boolean;
}

/** The entries this role sees, with their address and whether the page shown is theirs. */
export function orgNav(slug: string, role: string | null | undefined, pathname: string, entries: readonly OrgNavEntry[] = ORG_NAV): OrgNavLink[] {
  const base = `/org/${encodeURIComponent(slug)}`;
  return entries
    .filter((e) => (e.who === 'managers' ? canManage(role) : isStaff(role)))
    .map((e) => {
      const href = base + e.path;
      // The overview is current only on itself; a section also owns its sub-pages.
      const current = e.path === '' ? pathname === base || pathname === `${base}/` : pathname === href || pathname.startsWith(`${href}/`);
      return { ...e, href, current };
    });
}
