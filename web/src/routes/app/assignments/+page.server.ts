import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { startQuiz } from '$lib/server/quiz.ts';
import { pickFilter } from './assignments.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const filter = pickFilter(url.searchParams.get('status'));
  const [assignments, exams, orgs] = await Promise.all([
    locals.supabase.rpc('get_my_assignments', filter === 'all' ? {} : { p_status: filter }),
    locals.supabase.from('exams').select('id, name'),
    locals.supabase.from('organizations').select('id, name'),
  ]);
  if (assignments.error) return { filter, loadError: true as const };
  const examName = (id: string | null) => (id ? (exams.data?.find((e) => e.id === id)?.name ?? id) : null);
  const orgName = (id: string) => orgs.data?.find((o) => o.id === id)?.name ?? 'Your organisation';
  return {
    filter,
    loadError: false as const,
    items: assignments.data.map((a) => ({ ...a, exam_name: examName(a.exam_id), organization_name: orgName(a.organization_id) })),
  };
};

export const actions: Actions = {
  start: async ({ locals, request }) => {
    const parsed = z.object({ assignment: z.uuid() }).safeParse(Object.fromEntries(await request.formData()));
    if (!parsed.success) return fail(400, { message: 'That assignment could not be found.' });
    const { data } = await locals.supabase.rpc('get_my_assignments', {});
    const a = data?.find((x) => x.assignment_id === parsed.data.assignment);
    if (!a || a.kind !== 'quiz' || !a.exam_id) return fail(404, { message: 'That assignment could not be found.' });
    const started = await startQuiz(locals.supabase, { exam: a.exam_id, count: a.question_count ?? 10, domains: a.domain_codes ?? undefined });
    if ('problem' in started) return fail(started.problem.status, { message: started.problem.message });
    redirect(303, `/app/quiz/${started.attemptId}`);
  },
};
