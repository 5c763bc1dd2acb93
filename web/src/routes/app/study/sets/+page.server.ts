import { fail, redirect } from '@sveltejs/kit';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { setSchema } from '../study.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const [sets, memberships] = await Promise.all([
    // RLS: the caller's own sets and the sets shared in their organisations.
    locals.supabase
      .from('study_sets')
      .select('id, name, description, shared, owner_id, updated_at, organizations(name), study_set_items(question_id)')
      .order('updated_at', { ascending: false })
      .limit(200),
    locals.supabase.from('organization_members').select('organizations(id, name)').eq('user_id', locals.user!.id),
  ]);
  if (sets.error) return { loadError: true as const, orgs: [] };
  const me = locals.user!.id;
  const rows = sets.data.map((s) => ({
    id: s.id,
    name: s.name,
    description: s.description,
    shared: s.shared,
    organization: s.organizations?.name ?? null,
    questions: s.study_set_items.length,
    updated_at: s.updated_at,
    mine: s.owner_id === me,
  }));
  return {
    loadError: false as const,
    mine: rows.filter((s) => s.mine),
    sharedWithMe: rows.filter((s) => !s.mine),
    orgs: (memberships.data ?? []).flatMap((m) => (m.organizations ? [m.organizations] : [])),
  };
};

export const actions: Actions = {
  create: async ({ locals, request }) => {
    const values = formObject(await request.formData());
    const parsed = setSchema.safeParse(values);
    if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
    const { data, error } = await locals.supabase.from('study_sets').insert(parsed.data).select('id').single();
    if (error) {
      // 42501: RLS refused the organisation (not a member); anything else is on our side.
      const field = error.code === '42501' ? 'organization_id' : '_form';
      return fail(error.code === '42501' ? 403 : 503, { values, errors: { [field]: error.code === '42501' ? 'You can only share in an organisation you belong to' : 'The set could not be saved just now. Try again in a moment.' } });
    }
    redirect(303, `/app/study/sets/${data.id}`);
  },
};
