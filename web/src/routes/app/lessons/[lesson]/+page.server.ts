import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { lessonBlocks, readingMinutes } from '../lessons.ts';
import type { Actions, PageServerLoad } from './$types';

const NOT_FOUND = { message: 'There is no such lesson.', hint: 'The lessons of your organisations are under Lessons.' };

export const load: PageServerLoad = async ({ locals, params }) => {
  if (!z.uuid().safeParse(params.lesson).success) error(404, NOT_FOUND);
  // RLS: a lesson of another organisation reads exactly like one that does not exist.
  const [{ data: lesson, error: e }, assignments, completion] = await Promise.all([
    locals.supabase
      .from('lessons')
      .select('id, exam_id, organizations(name), lesson_versions!inner(version, title, body, published_at, status)')
      .eq('id', params.lesson)
      .eq('lesson_versions.status', 'published')
      .maybeSingle(),
    locals.supabase.rpc('get_my_assignments', {}),
    locals.supabase.from('lesson_completions').select('completed_at').eq('lesson_id', params.lesson).eq('user_id', locals.user?.id ?? '').maybeSingle(),
  ]);
  if (e) error(503, { message: 'The lesson could not be loaded.', hint: 'Reload the page in a moment.' });
  const v = lesson?.lesson_versions[0];
  if (!lesson || !v) error(404, NOT_FOUND);
  const a = (assignments.data ?? []).find((x) => x.kind === 'lesson' && x.lesson_id === lesson.id);
  return {
    lesson: { id: lesson.id, title: v.title, version: v.version, published_at: v.published_at, organization: lesson.organizations?.name ?? '', minutes: readingMinutes(v.body) },
    blocks: lessonBlocks(v.body),
    assignment: a ? { title: a.title, due_at: a.due_at, completed_at: a.completed_at } : null,
    completedAt: completion.data?.completed_at ?? a?.completed_at ?? null,
  };
};

export const actions: Actions = {
  complete: async ({ locals, params }) => {
    if (!z.uuid().safeParse(params.lesson).success) return fail(404, { message: NOT_FOUND.message });
    const { data, error: e } = await locals.supabase.rpc('complete_lesson', { p_lesson: params.lesson });
    if (e) {
      const status = e.code === 'PT404' ? 404 : e.code === 'PT409' ? 409 : 503;
      return fail(status, { message: status === 503 ? 'That could not be saved just now. Try again in a moment.' : e.message });
    }
    return { completed: data ?? 0 };
  },
};
