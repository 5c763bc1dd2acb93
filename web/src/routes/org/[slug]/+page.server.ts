import { z } from 'zod';
import { cohortLearners, cohortRowSchema, summarise } from '$lib/cohort.ts';
import { localDate } from '$lib/format.ts';
import { ORG_LIVE } from '$lib/org-live.ts';
import { requireSection } from '$lib/server/org-access.ts';
import type { PageServerLoad } from './$types';

// The cohort dashboard: every learner's progress and who needs attention, for one team and one
// exam's readiness when chosen. Reloaded live (ORG_LIVE) as learners finish quizzes.
const filterSchema = z.object({ team: z.uuid().optional().catch(undefined), exam: z.string().min(1).max(100).optional().catch(undefined) });

export const load: PageServerLoad = async ({ locals, parent, url, depends }) => {
  depends(ORG_LIVE);
  const { org, profile } = requireSection(await parent(), 'overview');
  const { supabase } = locals;
  const filters = filterSchema.parse({ team: url.searchParams.get('team') || undefined, exam: url.searchParams.get('exam') || undefined });
  const now = new Date();
  const [teams, exams, overdue] = await Promise.all([
    supabase.from('teams').select('id, name').eq('organization_id', org.id).order('name'),
    supabase.from('exams').select('id, name').order('name'),
    supabase
      .from('assignment_recipients')
      .select('user_id, assignments!inner(due_at)')
      .eq('organization_id', org.id)
      .is('completed_at', null)
      .lt('assignments.due_at', now.toISOString()),
  ]);
  // A filter naming a team or exam that is not there is dropped rather than failing the page.
  const team = teams.data?.some((t) => t.id === filters.team) ? filters.team : undefined;
  const exam = exams.data?.some((e) => e.id === filters.exam) ? filters.exam : undefined;
  const cohort = await supabase.rpc('get_cohort_overview', { p_organization: org.id, p_team: team, p_exam: exam });

  const parsed = cohort.error ? null : z.array(cohortRowSchema).safeParse(cohort.data);
  const overdueByUser = new Map<string, number>();
  for (const r of overdue.data ?? []) overdueByUser.set(r.user_id, (overdueByUser.get(r.user_id) ?? 0) + 1);
  const learners = parsed?.success ? cohortLearners(parsed.data, overdueByUser, localDate(now, profile.time_zone)) : null;
  return {
    teams: teams.data ?? [],
    exams: exams.data ?? [],
    filters: { team: team ?? '', exam: exam ?? '' },
    learners,
    summary: learners ? summarise(learners) : null,
    overdueFailed: Boolean(overdue.error),
    loadedAt: now.toISOString(),
  };
};
