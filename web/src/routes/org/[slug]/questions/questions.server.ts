// Server-side pieces the question pages share: who may author, the exam domains for the form,
// and the moderation action (used by the queue and by a question's own page).
import { fail, type RequestEvent } from '@sveltejs/kit';
import { formObject } from '$lib/forms.ts';
import { orgSection } from '$lib/server/org-access.ts';
import { rpcProblem } from '$lib/server/rpc.ts';
import { DECISIONS, moderationSchema } from './questions.ts';

export type DomainGroup = { exam: { id: string; name: string; code: string }; domains: { code: string; name: string }[] };

/** Active exams with their domains, in exam order, for the domain select. */
export async function loadDomainGroups(event: Pick<RequestEvent, 'locals'>): Promise<DomainGroup[] | null> {
  const { data, error } = await event.locals.supabase
    .from('exams')
    .select('id, code, name, position, exam_domains(code, name, position)')
    .eq('is_active', true)
    .order('position');
  if (error) return null;
  return data.map((e) => ({
    exam: { id: e.id, name: e.name, code: e.code },
    domains: [...e.exam_domains].sort((a, b) => a.position - b.position).map((d) => ({ code: d.code, name: d.name })),
  }));
}

/** Resolve, dismiss or accept a report of one of the organisation's questions, with a note to the reporter. */
export async function moderate(event: RequestEvent) {
  const { org } = await orgSection(event, 'questions');
  const parsed = moderationSchema.safeParse(formObject(await event.request.formData()));
  if (!parsed.success) return fail(400, { form: 'moderate', message: parsed.error.issues[0]?.message ?? 'That did not work.' });
  const { report, decision, note } = parsed.data;
  const { data, error } = await event.locals.supabase
    .from('question_reports')
    .update({ status: decision, moderator_note: note === '' ? null : note })
    .eq('id', report)
    .eq('organization_id', org.id)
    .select('id');
  if (error) return fail(rpcProblem(error).status, { form: 'moderate', message: rpcProblem(error).message });
  if (!data.length) return fail(404, { form: 'moderate', message: 'That report is no longer there.' });
  return { form: 'moderate', done: `Report ${DECISIONS[decision].toLowerCase()}` };
}
