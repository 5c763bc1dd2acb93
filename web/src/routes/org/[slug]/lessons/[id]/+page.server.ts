import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { orgSection, requireSection } from '$lib/server/org-access.ts';
import { rpcProblem } from '$lib/server/rpc.ts';
import { DONE, lessonFormSchema, moveSchema, movesFor, waitingFor, type LessonStatus } from '../lessons.ts';
import type { Actions, PageServerLoad } from './$types';

const NOT_FOUND = { message: 'Lesson not found', hint: 'It may belong to another organisation.' };
const lessonId = (raw: string) => {
  const id = z.uuid().safeParse(raw);
  if (!id.success) error(404, NOT_FOUND);
  return id.data;
};

export const load: PageServerLoad = async (event) => {
  const { org, role, me } = requireSection(await event.parent(), 'lessons');
  const id = lessonId(event.params.id);
  const { supabase } = event.locals;
  // All at once: the versions and comments are only shown once the lesson is found in this organisation.
  const [{ data: lesson, error: e }, versions, comments] = await Promise.all([
    supabase.from('lessons').select('id, exam_id, latest_version, published_version, updated_at').eq('id', id).eq('organization_id', org.id).maybeSingle(),
    supabase
      .from('lesson_versions')
      .select('version, title, body, change_summary, status, created_by, created_at, updated_at, submitted_at, reviewed_at, published_at, profiles!lesson_versions_created_by_fkey(display_name, username)')
      .eq('lesson_id', id)
      .order('version', { ascending: false }),
    supabase.from('lesson_comments').select('id, version, body, created_at, profiles(display_name, username)').eq('lesson_id', id).order('created_at', { ascending: true }),
  ]);
  if (e) error(503, { message: 'This lesson could not be loaded.', hint: 'Reload the page in a moment.' });
  if (!lesson) error(404, NOT_FOUND);
  if (versions.error || !versions.data.length) error(503, { message: 'This lesson could not be loaded.', hint: 'Reload the page in a moment.' });
  const list = versions.data.map((v) => {
    const status = v.status as LessonStatus;
    const isAuthor = v.created_by === me;
    return {
      version: v.version,
      title: v.title,
      body: v.body,
      change_summary: v.change_summary,
      status,
      author: v.profiles?.display_name ?? v.profiles?.username ?? 'Someone',
      isAuthor,
      created_at: v.created_at,
      updated_at: v.updated_at,
      published_at: v.published_at,
      moves: movesFor(status, role, isAuthor),
      waiting: waitingFor(status, role, isAuthor),
    };
  });
  return {
    org,
    role,
    lesson,
    latest: list[0]!,
    versions: list,
    comments: comments.error ? null : comments.data.map((c) => ({ id: c.id, version: c.version, body: c.body, created_at: c.created_at, author: c.profiles?.display_name ?? c.profiles?.username ?? 'Someone' })),
    created: event.url.searchParams.has('created'),
  };
};

export const actions: Actions = {
  save: async (event) => {
    await orgSection(event, 'lessons');
    const id = lessonId(event.params.id);
    const values = formObject(await event.request.formData());
    const parsed = lessonFormSchema.safeParse(values);
    if (!parsed.success) return fail(400, { form: 'save', values, errors: fieldErrors(parsed.error) });
    const { data, error: e } = await event.locals.supabase.rpc('save_lesson_draft', {
      p_lesson: id,
      p_title: parsed.data.title,
      p_body: parsed.data.body,
      p_change_summary: parsed.data.change_summary === '' ? undefined : parsed.data.change_summary,
    });
    if (e) return fail(rpcProblem(e).status, { form: 'save', values, errors: { _form: rpcProblem(e).message } });
    return { form: 'save', done: `Draft saved as version ${data.version}` };
  },

  move: async (event) => {
    await orgSection(event, 'lessons');
    const id = lessonId(event.params.id);
    const values = formObject(await event.request.formData());
    const parsed = moveSchema.safeParse(values);
    if (!parsed.success) return fail(400, { form: 'move', version: Number(values.version) || null, message: parsed.error.issues[0]?.message ?? 'That did not work.' });
    const { version, to, comment } = parsed.data;
    const { error: e } = await event.locals.supabase.rpc('set_lesson_status', { p_lesson: id, p_version: version, p_status: to, p_comment: comment === '' ? undefined : comment });
    if (e) return fail(rpcProblem(e).status, { form: 'move', version, message: rpcProblem(e).message });
    return { form: 'move', version, done: DONE[to] };
  },
};
