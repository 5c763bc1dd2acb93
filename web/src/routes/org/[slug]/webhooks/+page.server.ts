import { fail } from '@sveltejs/kit';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { rpcProblem } from '$lib/server/rpc.ts';
import { endpointSchema, EVENT_TYPES } from './webhooks.ts';
import { orgSection, requireSection } from '$lib/server/org-access.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { org } = requireSection(await event.parent(), 'webhooks');
  const { supabase } = event.locals;
  const [endpoints, failing] = await Promise.all([
    supabase.from('webhook_endpoints').select('id, url, description, event_types, is_active, secret_last4, created_at').eq('organization_id', org.id).order('created_at'),
    supabase.from('webhook_deliveries').select('endpoint_id').eq('organization_id', org.id).in('status', ['failed', 'pending']).limit(1000),
  ]);
  const problems = new Map<string, number>();
  for (const d of failing.data ?? []) problems.set(d.endpoint_id, (problems.get(d.endpoint_id) ?? 0) + 1);
  return {
    org,
    events: EVENT_TYPES,
    endpoints: endpoints.error ? null : endpoints.data.map((e) => ({ ...e, problems: problems.get(e.id) ?? 0 })),
  };
};

export const actions: Actions = {
  create: async (event) => {
    const { org } = await orgSection(event, 'webhooks');
    const values = formObject(await event.request.formData(), ['events']);
    const parsed = endpointSchema.safeParse(values);
    if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
    const { url, description, events } = parsed.data;
    const { data, error } = await event.locals.supabase.rpc('create_webhook_endpoint', {
      p_organization: org.id,
      p_url: url,
      p_event_types: events,
      p_description: description === '' ? undefined : description,
    });
    if (error) {
      const problem = rpcProblem(error);
      const urlRefused = error.code === '23514';
      return fail(urlRefused ? 400 : problem.status, { values, errors: urlRefused ? { url: 'Enter an http:// or https:// URL' } : { _form: problem.message } });
    }
    const created = data as { id: string; url: string; secret: string };
    // The secret is in this answer only: the database keeps it in Vault and never returns it again.
    return { created: { id: created.id, url: created.url, secret: created.secret } };
  },
};
