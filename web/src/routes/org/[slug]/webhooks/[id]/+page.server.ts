import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { rpcProblem } from '$lib/server/rpc.ts';
import { endpointSchema, EVENT_TYPES } from '../webhooks.ts';
import { orgSection, requireSection, type OrgAccess } from '$lib/server/org-access.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const NOT_FOUND = { message: 'Webhook endpoint not found', hint: 'It may have been deleted.' };
const endpointId = (raw: string) => {
  const id = z.uuid().safeParse(raw);
  if (!id.success) error(404, NOT_FOUND);
  return id.data;
};

/** The endpoint, of this organisation, that the caller manages. */
async function endpointOf(event: RequestEvent, { org }: OrgAccess) {
  const id = endpointId(event.params.id);
  const { data, error: e } = await event.locals.supabase
    .from('webhook_endpoints')
    .select('id, url, description, event_types, is_active, secret_last4, created_at, updated_at')
    .eq('id', id)
    .eq('organization_id', org.id)
    .maybeSingle();
  if (e) error(503, { message: 'This endpoint could not be loaded.', hint: 'Reload the page in a moment.' });
  if (!data) error(404, NOT_FOUND);
  return { org, endpoint: data };
}

export const load: PageServerLoad = async (event) => {
  const { org, endpoint } = await endpointOf(event, requireSection(await event.parent(), 'webhooks'));
  const deliveries = await event.locals.supabase
    .from('webhook_deliveries')
    .select('id, event_type, status, attempts, max_attempts, next_attempt_at, last_status_code, last_error, created_at, completed_at')
    .eq('endpoint_id', endpoint.id)
    .order('created_at', { ascending: false })
    .order('id', { ascending: false })
    .limit(50);
  return { org, endpoint, events: EVENT_TYPES, deliveries: deliveries.error ? null : deliveries.data };
};

const TRY_AGAIN = 'That did not work just now. Try again in a moment.';

export const actions: Actions = {
  update: async (event) => {
    const { endpoint } = await endpointOf(event, await orgSection(event, 'webhooks'));
    const values = formObject(await event.request.formData(), ['events']);
    const parsed = endpointSchema.safeParse(values);
    if (!parsed.success) return fail(400, { form: 'update', values, errors: fieldErrors(parsed.error) });
    const { url, description, events } = parsed.data;
    const { error: e } = await event.locals.supabase
      .from('webhook_endpoints')
      .update({ url, description: description === '' ? null : description, event_types: events })
      .eq('id', endpoint.id);
    if (e) return fail(e.code === '23514' ? 400 : 503, { form: 'update', values, errors: e.code === '23514' ? { url: 'Enter an http:// or https:// URL' } : { _form: TRY_AGAIN } });
    return { form: 'update', done: 'Endpoint saved' };
  },

  toggle: async (event) => {
    const { endpoint } = await endpointOf(event, await orgSection(event, 'webhooks'));
    const { error: e } = await event.locals.supabase.from('webhook_endpoints').update({ is_active: !endpoint.is_active }).eq('id', endpoint.id);
    if (e) return fail(503, { form: 'toggle', message: TRY_AGAIN });
    return { form: 'toggle', done: endpoint.is_active ? 'Paused: no events are queued for it' : 'Resumed: events are delivered again' };
  },

  rotate: async (event) => {
    const { endpoint } = await endpointOf(event, await orgSection(event, 'webhooks'));
    const { data, error: e } = await event.locals.supabase.rpc('rotate_webhook_secret', { p_endpoint: endpoint.id });
    if (e) return fail(rpcProblem(e).status, { form: 'rotate', message: rpcProblem(e).message });
    return { form: 'rotate', secret: (data as { secret: string }).secret };
  },

  test: async (event) => {
    const { endpoint } = await endpointOf(event, await orgSection(event, 'webhooks'));
    const { error: e } = await event.locals.supabase.rpc('send_test_webhook', { p_endpoint: endpoint.id });
    if (e) return fail(rpcProblem(e).status, { form: 'test', message: rpcProblem(e).message });
    return { form: 'test', done: 'Test ping sent: its delivery is listed below' };
  },

  retry: async (event) => {
    await endpointOf(event, await orgSection(event, 'webhooks'));
    const parsed = z.object({ delivery: z.coerce.number().int().positive() }).safeParse(formObject(await event.request.formData()));
    if (!parsed.success) return fail(400, { form: 'retry', message: 'That delivery could not be found.' });
    const { error: e } = await event.locals.supabase.rpc('retry_webhook_delivery', { p_delivery: parsed.data.delivery });
    if (e) return fail(rpcProblem(e).status, { form: 'retry', message: rpcProblem(e).message });
    return { form: 'retry', done: `Delivery ${parsed.data.delivery} sent again` };
  },

  delete: async (event) => {
    const { org, endpoint } = await endpointOf(event, await orgSection(event, 'webhooks'));
    const { data, error: e } = await event.locals.supabase.from('webhook_endpoints').delete().eq('id', endpoint.id).select('id');
    if (e || !data?.length) return fail(503, { form: 'delete', message: TRY_AGAIN });
    redirect(303, `/org/${org.slug}/webhooks`);
  },
};
