import { fail, redirect } from '@sveltejs/kit';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { ORG_LIVE } from '$lib/org-live.ts';
import { assignmentSchema, completion, targetColumns, utcToZonedInput } from '$lib/org-assignments.ts';
import { orgSection, requireSection } from '$lib/server/org-access.ts';
import type { Actions, PageServerLoad } from './$types';

const TRY_AGAIN = 'That did not work just now. Try again in a moment.';

export const load: PageServerLoad = async ({ locals, parent, depends }) => {
  depends(ORG_LIVE);
  const { org, profile } = requireSection(await parent(), 'assignments');
  const { supabase } = locals;
  const [assignments, exams, domains, teams, departments, members, lessons] = await Promise.all([
    supabase
      .from('assignments')
      .select('id, kind, title, exam_id, question_count, pass_mark, assignee_user_id, team_id, department_id, due_at, created_at')
      .eq('organization_id', org.id)
      .order('created_at', { ascending: false })
      .limit(50),
    supabase.from('exams').select('id, name').order('name'),
    supabase.from('exam_domains').select('exam_id, code, name').order('code'),
    supabase.from('teams').select('id, name').eq('organization_id', org.id).order('name'),
    supabase.from('departments').select('id, name').eq('organization_id', org.id).order('name'),
    supabase.from('organization_members').select('user_id, role, profiles(display_name, username)').eq('organization_id', org.id),
    supabase.from('lesson_versions').select('lesson_id, title').eq('organization_id', org.id).eq('status', 'published').order('title'),
  ]);
  const ids = assignments.data?.map((a) => a.id) ?? [];
  const recipients = ids.length
    ? await supabase.from('assignment_recipients').select('assignment_id, user_id, completed_at').in('assignment_id', ids)
    : { data: [], error: null };

  const now = new Date();
  const names = new Map((members.data ?? []).map((m) => [m.user_id, m.profiles?.display_name || m.profiles?.username || 'A member']));
  const teamNames = new Map((teams.data ?? []).map((t) => [t.id, t.name]));
  const departmentNames = new Map((departments.data ?? []).map((d) => [d.id, d.name]));
  const examNames = new Map((exams.data ?? []).map((e) => [e.id, e.name]));
  const lessonTitles = new Map((lessons.data ?? []).map((l) => [l.lesson_id, l.title]));
  const list =
    assignments.error || recipients.error
      ? null
      : assignments.data.map((a) => ({
          id: a.id,
          kind: a.kind,
          title: a.title,
          what: a.kind === 'quiz' ? `${a.question_count} questions of ${examNames.get(a.exam_id ?? '') ?? a.exam_id}, pass mark ${a.pass_mark}%` : 'Lesson',
          forWhom: a.team_id
            ? `Team ${teamNames.get(a.team_id) ?? ''}`.trim()
            : a.department_id
              ? `Department ${departmentNames.get(a.department_id) ?? ''}`.trim()
              : (names.get(a.assignee_user_id ?? '') ?? 'One member'),
          due_at: a.due_at,
          completion: completion(recipients.data.filter((r) => r.assignment_id === a.id), a.due_at, now),
        }));
  return {
    assignments: list,
    options: {
      exams: exams.data ?? [],
      domains: domains.data ?? [],
      teams: teams.data ?? [],
      departments: departments.data ?? [],
      members: (members.data ?? [])
        .map((m) => ({ id: m.user_id, role: m.role, name: names.get(m.user_id) ?? 'A member' }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      lessons: [...lessonTitles].map(([id, title]) => ({ id, title })),
    },
    defaultDue: utcToZonedInput(new Date(now.getTime() + 7 * 86_400_000), profile.time_zone).slice(0, 11) + '18:00',
    timeZone: profile.time_zone,
  };
};

export const actions: Actions = {
  create: async (event) => {
    const { org } = await orgSection(event, 'assignments');
    const { data: me } = await event.locals.supabase.from('profiles').select('time_zone').eq('id', event.locals.user?.id ?? '').maybeSingle();
    const values = formObject(await event.request.formData(), ['domains']);
    const parsed = assignmentSchema(new Date(), me?.time_zone ?? 'UTC').safeParse(values);
    if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
    const { target, ...a } = parsed.data;
    const row =
      a.kind === 'quiz'
        ? { kind: a.kind, title: a.title, instructions: a.instructions, due_at: a.due_at, exam_id: a.exam_id, domain_codes: a.domain_codes, question_count: a.question_count, pass_mark: a.pass_mark }
        : { kind: a.kind, title: a.title, instructions: a.instructions, due_at: a.due_at, lesson_id: a.lesson_id };
    const { data, error: e } = await event.locals.supabase
      .from('assignments')
      .insert({ organization_id: org.id, ...row, ...targetColumns(target) })
      .select('id')
      .single();
    if (e) {
      if (e.code === '23503') return fail(400, { values, errors: { target: 'That person, team or department is no longer part of this organisation.' } });
      if (e.code === '22023') return fail(400, { values, errors: { _form: e.message } });
      const refused = e.code === '42501';
      return fail(refused ? 403 : 503, { values, errors: { _form: refused ? 'You cannot assign work in this organisation.' : TRY_AGAIN } });
    }
    redirect(303, `/org/${org.slug}/assignments/${data.id}`);
  },
};
