import { fail } from '@sveltejs/kit';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { canManage } from '$lib/organisation.ts';
import { orgSection, requireSection } from '$lib/server/org-access.ts';
import { departmentSchema, duplicateName, groupTeams, idSchema, teamDepartmentSchema, teamMemberSchema, teamSchema } from '$lib/teams.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const TRY_AGAIN = 'That did not work just now. Try again in a moment.';
const refused = (code: string | undefined) => code === '42501' || code === 'PT403';
const context = (event: RequestEvent) => orgSection(event, 'teams');

export const load: PageServerLoad = async ({ locals, parent }) => {
  const { org, role } = requireSection(await parent(), 'teams');
  const { supabase } = locals;
  const [departments, teams, teamMembers, members] = await Promise.all([
    supabase.from('departments').select('id, name, description').eq('organization_id', org.id),
    supabase.from('teams').select('id, name, kind, description, department_id').eq('organization_id', org.id),
    supabase.from('team_members').select('team_id, user_id').eq('organization_id', org.id),
    supabase.from('organization_members').select('user_id, role, profiles(display_name, username)').eq('organization_id', org.id),
  ]);
  if (departments.error || teams.error || teamMembers.error || members.error) return { failed: true as const, canManageDepartments: canManage(role) };
  const people = members.data
    .map((m) => ({ user_id: m.user_id, role: m.role, name: m.profiles?.display_name || m.profiles?.username || 'A member' }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const inTeam = (teamId: string) => new Set(teamMembers.data.filter((tm) => tm.team_id === teamId).map((tm) => tm.user_id));
  const withMembers = teams.data.map((t) => {
    const ids = inTeam(t.id);
    return { ...t, members: people.filter((p) => ids.has(p.user_id)), others: people.filter((p) => !ids.has(p.user_id)) };
  });
  return {
    failed: false as const,
    canManageDepartments: canManage(role),
    departments: departments.data.sort((a, b) => a.name.localeCompare(b.name)),
    groups: groupTeams(withMembers, departments.data),
    teamCount: teams.data.length,
  };
};

export const actions: Actions = {
  createDepartment: async (event) => {
    const { org } = await context(event);
    const values = formObject(await event.request.formData());
    const parsed = departmentSchema.safeParse(values);
    if (!parsed.success) return fail(400, { form: 'department', values, errors: fieldErrors(parsed.error) });
    const { error: e } = await event.locals.supabase.from('departments').insert({ organization_id: org.id, ...parsed.data });
    if (e) {
      const dup = duplicateName(e.code, 'department');
      if (dup) return fail(409, { form: 'department', values, errors: { name: dup } });
      return fail(refused(e.code) ? 403 : 503, { form: 'department', values, errors: { _form: refused(e.code) ? 'Only owners and admins create departments.' : TRY_AGAIN } });
    }
    return { form: 'department', done: `Department ${parsed.data.name} created` };
  },

  deleteDepartment: async (event) => {
    const { org } = await context(event);
    const parsed = idSchema.safeParse(formObject(await event.request.formData()));
    if (!parsed.success) return fail(400, { message: parsed.error.issues[0]?.message ?? TRY_AGAIN });
    const { data, error: e } = await event.locals.supabase.from('departments').delete().eq('organization_id', org.id).eq('id', parsed.data.id).select('id');
    if (e) return fail(503, { message: TRY_AGAIN });
    if (!data?.length) return fail(403, { message: 'Only owners and admins delete departments.' });
    return { done: 'Department deleted; its teams stay, without a department' };
  },

  createTeam: async (event) => {
    const { org } = await context(event);
    const values = formObject(await event.request.formData());
    const parsed = teamSchema.safeParse(values);
    if (!parsed.success) return fail(400, { form: 'team', values, errors: fieldErrors(parsed.error) });
    const { name, kind, department, description } = parsed.data;
    const { error: e } = await event.locals.supabase.from('teams').insert({ organization_id: org.id, name, kind, description, department_id: department });
    if (e) {
      const dup = duplicateName(e.code, 'team');
      if (dup) return fail(409, { form: 'team', values, errors: { name: dup } });
      if (e.code === '23503') return fail(400, { form: 'team', values, errors: { department: 'That department no longer exists.' } });
      return fail(refused(e.code) ? 403 : 503, { form: 'team', values, errors: { _form: refused(e.code) ? 'You cannot create teams here.' : TRY_AGAIN } });
    }
    return { form: 'team', done: `${kind === 'cohort' ? 'Cohort' : 'Team'} ${name} created` };
  },

  moveTeam: async (event) => {
    const { org } = await context(event);
    const parsed = teamDepartmentSchema.safeParse(formObject(await event.request.formData()));
    if (!parsed.success) return fail(400, { message: parsed.error.issues[0]?.message ?? TRY_AGAIN });
    const { data, error: e } = await event.locals.supabase.from('teams').update({ department_id: parsed.data.department }).eq('organization_id', org.id).eq('id', parsed.data.team).select('id');
    if (e) return fail(e.code === '23503' ? 400 : 503, { message: e.code === '23503' ? 'That department no longer exists.' : TRY_AGAIN });
    if (!data?.length) return fail(403, { message: 'You cannot change this team.' });
    return { done: parsed.data.department ? 'Team moved to the department' : 'Team taken out of its department' };
  },

  deleteTeam: async (event) => {
    const { org } = await context(event);
    const parsed = idSchema.safeParse(formObject(await event.request.formData()));
    if (!parsed.success) return fail(400, { message: parsed.error.issues[0]?.message ?? TRY_AGAIN });
    const { data, error: e } = await event.locals.supabase.from('teams').delete().eq('organization_id', org.id).eq('id', parsed.data.id).select('id');
    if (e) return fail(503, { message: TRY_AGAIN });
    if (!data?.length) return fail(403, { message: 'You cannot delete this team.' });
    return { done: 'Team deleted' };
  },

  addMember: async (event) => {
    const { org } = await context(event);
    const parsed = teamMemberSchema.safeParse(formObject(await event.request.formData()));
    if (!parsed.success) return fail(400, { message: parsed.error.issues[0]?.message ?? TRY_AGAIN });
    const { error: e } = await event.locals.supabase.from('team_members').insert({ team_id: parsed.data.team, organization_id: org.id, user_id: parsed.data.user });
    if (e) {
      if (e.code === '23505') return fail(409, { message: 'They are already in this team.' });
      if (e.code === '23503') return fail(400, { message: 'That person is not a member of this organisation.' });
      return fail(refused(e.code) ? 403 : 503, { message: refused(e.code) ? 'You cannot change this team.' : TRY_AGAIN });
    }
    return { done: 'Added to the team' };
  },

  removeMember: async (event) => {
    const { org } = await context(event);
    const parsed = teamMemberSchema.safeParse(formObject(await event.request.formData()));
    if (!parsed.success) return fail(400, { message: parsed.error.issues[0]?.message ?? TRY_AGAIN });
    const { data, error: e } = await event.locals.supabase
      .from('team_members')
      .delete()
      .eq('organization_id', org.id)
      .eq('team_id', parsed.data.team)
      .eq('user_id', parsed.data.user)
      .select('user_id');
    if (e) return fail(503, { message: TRY_AGAIN });
    if (!data?.length) return fail(403, { message: 'They are no longer in this team.' });
    return { done: 'Taken out of the team' };
  },
};
