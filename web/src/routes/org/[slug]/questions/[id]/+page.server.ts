import { error, fail } from '@sveltejs/kit';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { orgSection, requireSection } from '$lib/server/org-access.ts';
import { rpcProblem } from '$lib/server/rpc.ts';
import { formValues, questionFormSchema, savePayload, versionChanges, type Snapshot } from '../questions.ts';
import { loadDomainGroups, moderate } from '../questions.server.ts';
import type { Actions, PageServerLoad } from './$types';

const NOT_FOUND = { message: 'Question not found', hint: 'It may have been deleted, or it belongs to another organisation.' };

function questionId(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) error(404, NOT_FOUND);
  return id;
}

export const load: PageServerLoad = async (event) => {
  const { org } = requireSection(await event.parent(), 'questions');
  const id = questionId(event.params.id);
  const { supabase } = event.locals;
  // All at once: what belongs to the question is only shown once the question is found in this organisation.
  const [{ data: q, error: e }, versions, reports, groups] = await Promise.all([
    supabase
      .from('questions')
      .select('id, exam_id, stem, options, status, version, updated_at, exam_domains(code, name), question_keys(correct_answer, explanations, reference)')
      .eq('id', id)
      .eq('organization_id', org.id)
      .maybeSingle(),
    supabase.from('question_versions').select('version, snapshot, edited_at, profiles(display_name, username)').eq('question_id', id).order('version', { ascending: true }),
    supabase
      .from('question_reports')
      .select('id, reason, details, status, moderator_note, created_at, resolved_at, profiles!question_reports_reporter_id_fkey(display_name, username)')
      .eq('question_id', id)
      .order('created_at', { ascending: false }),
    loadDomainGroups(event),
  ]);
  if (e) error(503, { message: 'This question could not be loaded.', hint: 'Reload the page in a moment.' });
  if (!q) error(404, NOT_FOUND);
  const key = Array.isArray(q.question_keys) ? (q.question_keys[0] ?? null) : q.question_keys;
  const history = versions.error
    ? null
    : versions.data
        .map((v, i, all) => ({
          version: v.version,
          edited_at: v.edited_at,
          editor: v.profiles?.display_name ?? v.profiles?.username ?? 'Someone',
          changes: versionChanges(i > 0 ? (all[i - 1]!.snapshot as Snapshot) : null, v.snapshot as Snapshot),
        }))
        .reverse();
  return {
    org,
    question: { id: q.id, stem: q.stem, status: q.status, version: q.version, updated_at: q.updated_at, domain: q.exam_domains },
    values: formValues({ exam_id: q.exam_id, domain_code: q.exam_domains?.code ?? '', stem: q.stem, options: q.options, status: q.status, key }),
    groups,
    history,
    reports: reports.error
      ? null
      : reports.data.map((r) => ({ ...r, reporter: r.profiles?.display_name ?? r.profiles?.username ?? 'A learner', profiles: undefined })),
    saved: event.url.searchParams.has('saved'),
  };
};

export const actions: Actions = {
  save: async (event) => {
    await orgSection(event, 'questions');
    const id = questionId(event.params.id);
    const values = formObject(await event.request.formData());
    const parsed = questionFormSchema.safeParse(values);
    if (!parsed.success) return fail(400, { form: 'save', values, errors: fieldErrors(parsed.error) });
    const { data, error: e } = await event.locals.supabase.rpc('save_question', { p_question: savePayload(parsed.data, { id }) });
    if (e) return fail(rpcProblem(e).status, { form: 'save', values, errors: { _form: rpcProblem(e).message } });
    return { form: 'save', done: `Saved. The question is at version ${data.version}.` };
  },
  moderate,
};
