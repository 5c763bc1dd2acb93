// Organisation administration: who may do what (the database enforces it; this keeps the UI
// honest), the invite form's rules, and an invitation's status as people read it.
import { z } from 'zod';

export const ORG_ROLES = ['owner', 'admin', 'instructor', 'learner'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

/** Staff see the organisation's page; learners do not. */
export function isStaff(role: string | null | undefined): role is 'owner' | 'admin' | 'instructor' {
  return role === 'owner' || role === 'admin' || role === 'instructor';
}

/** Owners and admins invite, revoke, change roles and remove members; instructors only look. */
export function canManage(role: string | null | undefined): boolean {
  return role === 'owner' || role === 'admin';
}

/** The roles a manager may give (only owners make owners); none for anyone else. */
export function assignableRoles(myRole: string | null | undefined): OrgRole[] {
  if (myRole === 'owner') return [...ORG_ROLES];
  if (myRole === 'admin') return ['admin', 'instructor', 'learner'];
  return [];
}

/** Whether I may change or remove this member: not myself, and an admin never touches an owner. */
export function canEditMember(myRole: string | null | undefined, me: string, member: { user_id: string; role: string }): boolean {
  if (!canManage(myRole) || member.user_id === me) return false;
  return myRole === 'owner' || member.role !== 'owner';
}

export const inviteSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, 'Enter an e-mail address').max(254, 'That e-mail address is too long').pipe(z.email('Enter a valid e-mail address')),
  role: z.enum(ORG_ROLES, 'Choose a role'),
});

export const memberSchema = z.object({ user: z.uuid('That member could not be found') });
export const roleSchema = memberSchema.extend({ role: z.enum(ORG_ROLES, 'Choose a role') });
export const invitationSchema = z.object({ invitation: z.uuid('That invitation could not be found') });

export type InvitationStatus = 'pending' | 'expired' | 'accepted' | 'declined' | 'revoked';

/** A pending invitation past its expiry reads as expired. */
export function invitationStatus(inv: { status: string; expires_at: string }, now: Date = new Date()): InvitationStatus {
  if (inv.status === 'pending') return new Date(inv.expires_at).getTime() <= now.getTime() ? 'expired' : 'pending';
  return (['accepted', 'declined', 'revoked'] as const).find((s) => s === inv.status) ?? 'revoked';
}

/** Open invitations first (soonest expiry first), then the answered ones, newest first. */
export function sortInvitations<T extends { status: string; expires_at: string; created_at: string }>(list: T[], now: Date = new Date()): T[] {
  const open = (i: T) => invitationStatus(i, now) === 'pending';
  return [...list].sort((a, b) => {
    if (open(a) !== open(b)) return open(a) ? -1 : 1;
    if (open(a)) return a.expires_at.localeCompare(b.expires_at);
    return b.created_at.localeCompare(a.created_at);
  });
}

/** Roles in the order people think of them, then names. */
export function sortMembers<T extends { role: string; name: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => ORG_ROLES.indexOf(a.role as OrgRole) - ORG_ROLES.indexOf(b.role as OrgRole) || a.name.localeCompare(b.name));
}
