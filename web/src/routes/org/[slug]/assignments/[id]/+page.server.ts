import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { ORG_LIVE } from '$lib/org-live.ts';
import { completion } from '$lib/org-assignments.ts';
import { orgSection, requireSection } from '$lib/server/org-access.ts';
import type { Actions, PageServerLoad } from './$types';

const NOT_FOUND = { message: 'Assignment not found', hint: 'It may have been withdrawn. Go back to the assignments.' };
const progressRow = z.object({
  user_id: z.uuid(),
  username: z.string().nullable(),
  display_name: z.string().nullable(),
  status: z.enum(['completed', 'overdue', 'pending']),
  attempts: z.number().int(),
  best_score: z.coerce.number().nullable(),
  completed_at: z.string().nullable(),
});

export const load: PageServerLoad = async ({ locals, parent, params, depends }) => {
  depends(ORG_LIVE);
  const { org, profile } = requireSection(await parent(), 'assignments');
  if (!z.uuid().safeParse(params.id).success) error(404, NOT_FOUND);
  // Both at once: the progress is only shown once the assignment is found in this organisation.
  const [{ data: a, error: e }, progress] = await Promise.all([
    locals.supabase
      .from('assignments')
      .select('id, kind, title, instructions, exam_id, domain_codes, question_count, pass_mark, due_at, created_at, exams(name)')
      .eq('organization_id', org.id)
      .eq('id', params.id)
      .maybeSingle(),
    locals.supabase.rpc('get_assignment_progress', { p_assignment: params.id }),
  ]);
  if (e) error(503, { message: 'This assignment could not be loaded.', hint: 'Reload the page in a moment.' });
  if (!a) error(404, NOT_FOUND);
  const rows = progress.error ? null : z.array(progressRow).safeParse(progress.data);
  const learners = rows?.success
    ? rows.data
        .map((r) => ({ ...r, name: r.display_name || r.username || 'A learner' }))
        .sort((x, y) => Number(x.status === 'completed') - Number(y.status === 'completed') || x.name.localeCompare(y.name))
    : null;
  return {
    assignment: { ...a, examName: a.exams?.name ?? a.exam_id },
    learners,
    completion: learners ? completion(learners, a.due_at) : null,
    timeZone: profile.time_zone,
  };
};

export const actions: Actions = {
  withdraw: async (event) => {
    const { locals, params } = event;
    const { org } = await orgSection(event, 'assignments');
    if (!z.uuid().safeParse(params.id).success) return fail(404, { message: NOT_FOUND.message });
    const { data, error: e } = await locals.supabase.from('assignments').delete().eq('organization_id', org.id).eq('id', params.id).select('id');
    if (e) return fail(503, { message: 'That did not work just now. Try again in a moment.' });
    if (!data?.length) return fail(404, { message: NOT_FOUND.message });
    redirect(303, `/org/${org.slug}/assignments`);
  },
};
