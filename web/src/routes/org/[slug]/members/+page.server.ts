import { fail } from '@sveltejs/kit';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { assignableRoles, canEditMember, canManage, invitationSchema, inviteSchema, memberSchema, roleSchema, sortInvitations, sortMembers } from '$lib/organisation.ts';
import { orgSection, requireSection } from '$lib/server/org-access.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** Actions do not run the layout's load: they check the organisation and my role themselves. */
const context = (event: RequestEvent) => orgSection(event, 'members');

export const load: PageServerLoad = async (event) => {
  event.depends('app:organisation');
  const { org, me, role } = requireSection(await event.parent(), 'members');
  const { supabase } = event.locals;
  const [members, invitations] = await Promise.all([
    supabase.from('organization_members').select('user_id, role, joined_at, profiles(display_name, username)').eq('organization_id', org.id),
    canManage(role)
      ? supabase.from('organization_invitations').select('id, email, role, status, expires_at, created_at').eq('organization_id', org.id).not('email', 'is', null).order('created_at', { ascending: false }).limit(100)
      : Promise.resolve({ data: [], error: null }),
  ]);
  const memberRows = members.error
    ? null
    : sortMembers(
        members.data.map((m) => ({
          user_id: m.user_id,
          role: m.role,
          joined_at: m.joined_at,
          name: m.profiles?.display_name ?? m.profiles?.username ?? 'A member',
          username: m.profiles?.username ?? null,
          editable: canEditMember(role, me, m),
        })),
      );
  return {
    canManage: canManage(role),
    roles: assignableRoles(role),
    members: memberRows,
    invitations: invitations.error ? null : sortInvitations(invitations.data),
  };
};

const TRY_AGAIN = 'That did not work just now. Try again in a moment.';
const refused = (code: string | undefined) => code === '42501' || code === 'PT403';

export const actions: Actions = {
  invite: async (event) => {
    const { org, role } = await context(event);
    const values = formObject(await event.request.formData());
    const parsed = inviteSchema.safeParse(values);
    if (!parsed.success) return fail(400, { form: 'invite', values, errors: fieldErrors(parsed.error) });
    if (!assignableRoles(role).includes(parsed.data.role)) return fail(403, { form: 'invite', values, errors: { role: 'You cannot invite people with this role.' } });
    const { error: e } = await event.locals.supabase.rpc('invite_to_organization', {
      p_organization: org.id,
      p_email: parsed.data.email,
      p_role: parsed.data.role,
      p_expires_in_days: 7,
    });
    if (e) return fail(refused(e.code) ? 403 : 503, { form: 'invite', values, errors: { _form: refused(e.code) ? 'You cannot invite people with this role.' : TRY_AGAIN } });
    // The same words whether or not the address has an account or is already a member.
    return { form: 'invite', done: `Invitation sent to ${parsed.data.email}. It is valid for 7 days.` };
  },

  revoke: async (event) => {
    const { role } = await context(event);
    if (!canManage(role)) return fail(403, { message: 'Only owners and admins revoke invitations.' });
    const parsed = invitationSchema.safeParse(formObject(await event.request.formData()));
    if (!parsed.success) return fail(400, { message: parsed.error.issues[0]?.message ?? TRY_AGAIN });
    const { error: e } = await event.locals.supabase.rpc('revoke_invitation', { p_invitation: parsed.data.invitation });
    if (e) return fail(e.code === 'PT404' ? 404 : 503, { message: e.code === 'PT404' ? 'That invitation is no longer open.' : TRY_AGAIN });
    return { done: 'Invitation revoked' };
  },

  role: async (event) => {
    const { org, me, role } = await context(event);
    const parsed = roleSchema.safeParse(formObject(await event.request.formData()));
    if (!parsed.success) return fail(400, { message: parsed.error.issues[0]?.message ?? TRY_AGAIN });
    const { user, role: next } = parsed.data;
    const { data: current } = await event.locals.supabase.from('organization_members').select('user_id, role').eq('organization_id', org.id).eq('user_id', user).maybeSingle();
    if (!current) return fail(404, { message: 'That person is no longer a member.' });
    if (!canEditMember(role, me, current) || !assignableRoles(role).includes(next)) return fail(403, { message: 'You cannot give this member that role.' });
    const { data, error: e } = await event.locals.supabase.from('organization_members').update({ role: next }).eq('organization_id', org.id).eq('user_id', user).select('user_id');
    if (e) return fail(refused(e.code) ? 403 : 503, { message: refused(e.code) ? 'You cannot give this member that role.' : TRY_AGAIN });
    if (!data?.length) return fail(403, { message: 'You cannot give this member that role.' });
    return { done: `Role changed to ${next}` };
  },

  remove: async (event) => {
    const { org, me, role } = await context(event);
    const parsed = memberSchema.safeParse(formObject(await event.request.formData()));
    if (!parsed.success) return fail(400, { message: parsed.error.issues[0]?.message ?? TRY_AGAIN });
    const { data: current } = await event.locals.supabase.from('organization_members').select('user_id, role').eq('organization_id', org.id).eq('user_id', parsed.data.user).maybeSingle();
    if (!current) return fail(404, { message: 'That person is no longer a member.' });
    if (!canEditMember(role, me, current)) return fail(403, { message: 'You cannot remove this member.' });
    const { data, error: e } = await event.locals.supabase.from('organization_members').delete().eq('organization_id', org.id).eq('user_id', parsed.data.user).select('user_id');
    if (e) return fail(refused(e.code) ? 403 : 503, { message: refused(e.code) ? 'You cannot remove this member.' : TRY_AGAIN });
    if (!data?.length) return fail(403, { message: 'You cannot remove this member.' });
    return { done: 'Member removed' };
  },
};
