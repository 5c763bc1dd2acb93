import { preferredLocale } from '$lib/format.ts';
import { historyPage, PAGE_SIZE, readFilters, timeWindow } from './history.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, parent, request }) => {
  const filters = readFilters(url.searchParams);
  const [{ profile }, exams] = await Promise.all([parent(), locals.supabase.from('exams').select('id, name').order('position')]);
  const { data, error } = await locals.supabase.rpc('get_quiz_history', {
    p_exam: filters.exam,
    p_mode: filters.mode,
    p_outcome: filters.outcome,
    ...timeWindow(filters, profile.time_zone),
    p_limit: PAGE_SIZE,
    p_offset: (filters.page - 1) * PAGE_SIZE,
  });
  const page = error ? null : historyPage.safeParse(data).data ?? null;
  const examName = (id: string) => exams.data?.find((e) => e.id === id)?.name ?? id;
  return {
    filters,
    exams: exams.data ?? [],
    locale: preferredLocale(request.headers.get('accept-language')),
    timeZone: profile.time_zone,
    loadError: page === null,
    total: page?.total ?? 0,
    items: (page?.items ?? []).map((q) => ({ ...q, exam_name: examName(q.exam_id) })),
  };
};
