import { error, fail, redirect } from '@sveltejs/kit';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { callTrainer, SESSION_COLUMNS, trainerError } from '$lib/server/trainer.ts';
import { requestLocale, startSchema } from '$lib/trainer/trainer.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, request }) => {
  const me = locals.user?.id;
  if (!me) error(401, { message: 'Sign in to use the trainer.' });
  const [categories, scenarios, memberships, sessions] = await Promise.all([
    locals.supabase.from('training_categories').select('slug, name, description').order('position'),
    locals.supabase.from('training_scenarios').select('id, organization_id, category, difficulty, title').eq('is_active', true).order('title'),
    locals.supabase.from('organization_members').select('organization_id, organizations(name)').eq('user_id', me),
    locals.supabase.from('training_sessions').select(SESSION_COLUMNS).eq('user_id', me).order('started_at', { ascending: false }).limit(30),
  ]);
  const orgs = (memberships.data ?? [])
    .flatMap((m) => (m.organizations ? [{ id: m.organization_id, name: m.organizations.name }] : []))
    .sort((a, b) => a.name.localeCompare(b.name));
  const list = sessions.error
    ? null
    : sessions.data.map(({ training_categories, training_scenarios, ...s }) => ({
        ...s,
        category_name: training_categories?.name ?? s.category,
        scenario_title: training_scenarios?.title ?? null,
      }));
  return {
    locale: requestLocale(request.headers.get('accept-language')),
    categories: categories.data ?? [],
    scenarios: scenarios.data ?? [],
    orgs,
    sessions: list,
    active: list?.find((s) => s.status === 'active') ?? null,
    loadError: Boolean(categories.error),
  };
};

export const actions: Actions = {
  default: async ({ request, locals }) => {
    const values = formObject(await request.formData());
    const parsed = startSchema.safeParse(values);
    if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
    const res = await callTrainer(locals, '/sessions', { body: parsed.data });
    if (res.status !== 201) {
      const message = await trainerError(res);
      const field = /scenario/i.test(message) ? 'scenario_id' : /organisation/i.test(message) ? 'organization_id' : '_form';
      return fail(res.status >= 500 ? 503 : 400, { values, errors: { [field]: message } });
    }
    const body = (await res.json()) as { session?: { id?: unknown } };
    if (typeof body.session?.id !== 'string') return fail(503, { values, errors: { _form: 'The trainer did not say which session it started. Try again.' } });
    redirect(303, `/app/trainer/${body.session.id}`);
  },
};
