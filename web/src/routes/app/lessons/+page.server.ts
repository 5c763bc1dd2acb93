import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  // RLS: lessons of the caller's organisations; a learner reads approved and published versions,
  // and this page lists the published ones only (staff drafts stay on the organisation side).
  const [lessons, assignments, exams, completions] = await Promise.all([
    locals.supabase
      .from('lessons')
      .select('id, exam_id, organizations(name), lesson_versions!inner(title, body, published_at, status)')
      .not('published_version', 'is', null)
      .eq('lesson_versions.status', 'published')
      .order('updated_at', { ascending: false })
      .limit(200),
    locals.supabase.rpc('get_my_assignments', {}),
    locals.supabase.from('exams').select('id, name'),
    // RLS: staff also read their learners' rows, so ask for the caller's own.
    locals.supabase.from('lesson_completions').select('lesson_id, completed_at').eq('user_id', locals.user?.id ?? ''),
  ]);
  const done = new Map((completions.data ?? []).map((c) => [c.lesson_id, c.completed_at]));
  if (lessons.error) return { loadError: true as const };
  const assigned = new Map((assignments.data ?? []).filter((a) => a.kind === 'lesson' && a.lesson_id).map((a) => [a.lesson_id, a]));
  return {
    loadError: false as const,
    lessons: lessons.data.flatMap((l) => {
      const v = l.lesson_versions[0];
      if (!v) return [];
      const a = assigned.get(l.id);
      return [{
        id: l.id,
        title: v.title,
        words: v.body.split(/\s+/).filter(Boolean).length,
        published_at: v.published_at,
        organization: l.organizations?.name ?? '',
        exam: l.exam_id ? (exams.data?.find((e) => e.id === l.exam_id)?.name ?? l.exam_id) : null,
        assignment: a ? { due_at: a.due_at, completed_at: a.completed_at } : null,
        completed_at: a?.completed_at ?? done.get(l.id) ?? null,
      }];
    }),
  };
};
