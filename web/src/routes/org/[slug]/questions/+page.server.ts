import { z } from 'zod';
import { requireSection } from '$lib/server/org-access.ts';
import type { PageServerLoad } from './$types';

const filters = z.object({
  status: z.enum(['all', 'draft', 'published', 'retired']).catch('all'),
  q: z.string().trim().max(200).catch(''),
});

export const load: PageServerLoad = async (event) => {
  const { org, role } = requireSection(await event.parent(), 'questions');
  const { status, q } = filters.parse({ status: event.url.searchParams.get('status') ?? undefined, q: event.url.searchParams.get('q') ?? undefined });
  let query = event.locals.supabase
    .from('questions')
    .select('id, stem, status, version, updated_at, exam_id, exam_domains(code, name)', { count: 'exact' })
    .eq('organization_id', org.id)
    .order('updated_at', { ascending: false })
    .limit(100);
  if (status !== 'all') query = query.eq('status', status);
  if (q) query = query.ilike('stem', `%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  const [questions, openReports] = await Promise.all([
    query,
    event.locals.supabase.from('question_reports').select('id', { count: 'exact', head: true }).eq('organization_id', org.id).eq('status', 'open'),
  ]);
  return {
    org,
    role,
    filters: { status, q },
    questions: questions.error ? null : questions.data,
    total: questions.count ?? 0,
    openReports: openReports.count ?? 0,
  };
};
