import { fail, redirect } from '@sveltejs/kit';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { orgSection, requireSection } from '$lib/server/org-access.ts';
import { rpcProblem } from '$lib/server/rpc.ts';
import { questionFormSchema, savePayload } from '../questions.ts';
import { loadDomainGroups } from '../questions.server.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { org } = requireSection(await event.parent(), 'questions');
  return { org, groups: await loadDomainGroups(event) };
};

export const actions: Actions = {
  save: async (event) => {
    const { org } = await orgSection(event, 'questions');
    const values = formObject(await event.request.formData());
    const parsed = questionFormSchema.safeParse(values);
    if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
    const { data, error } = await event.locals.supabase.rpc('save_question', { p_question: savePayload(parsed.data, { organizationId: org.id }) });
    if (error) return fail(rpcProblem(error).status, { values, errors: { _form: rpcProblem(error).message } });
    redirect(303, `/org/${org.slug}/questions/${data.id}?saved=1`);
  },
};
