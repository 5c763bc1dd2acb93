import { fail, redirect } from '@sveltejs/kit';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { orgSection, requireSection } from '$lib/server/org-access.ts';
import { rpcProblem } from '$lib/server/rpc.ts';
import { lessonFormSchema, type LessonStatus } from './lessons.ts';
import type { Actions, PageServerLoad } from './$types';


export const load: PageServerLoad = async (event) => {
  const { org, role } = requireSection(await event.parent(), 'lessons');
  const [lessons, exams] = await Promise.all([
    event.locals.supabase
      .from('lessons')
      .select('id, exam_id, latest_version, published_version, updated_at, lesson_versions(version, title, status)')
      .eq('organization_id', org.id)
      .order('updated_at', { ascending: false })
      .limit(200),
    event.locals.supabase.from('exams').select('id, name').eq('is_active', true).order('position'),
  ]);
  return {
    org,
    role,
    exams: exams.data ?? [],
    lessons: lessons.error
      ? null
      : lessons.data.map((l) => {
          const latest = l.lesson_versions.find((v) => v.version === l.latest_version);
          return {
            id: l.id,
            exam_id: l.exam_id,
            updated_at: l.updated_at,
            title: latest?.title ?? 'Untitled',
            status: (latest?.status ?? 'draft') as LessonStatus,
            latest_version: l.latest_version,
            published_version: l.published_version,
            inReview: l.lesson_versions.some((v) => v.status === 'in_review'),
          };
        }),
  };
};

export const actions: Actions = {
  create: async (event) => {
    const { org } = await orgSection(event, 'lessons');
    const values = formObject(await event.request.formData());
    const parsed = lessonFormSchema.safeParse(values);
    if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
    const { title, body, exam, change_summary } = parsed.data;
    const { data, error } = await event.locals.supabase.rpc('create_lesson', {
      p_organization: org.id,
      p_title: title,
      p_body: body,
      p_exam: exam === '' ? undefined : exam,
      p_change_summary: change_summary === '' ? undefined : change_summary,
    });
    if (error) return fail(rpcProblem(error).status, { values, errors: { _form: rpcProblem(error).message } });
    redirect(303, `/org/${org.slug}/lessons/${data.lesson_id}?created=1`);
  },
};
