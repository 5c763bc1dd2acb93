-- Webhooks admin screen: an owner or admin retries a delivery now instead of waiting for the
-- backoff (pending) or after it gave up (failed). The retry is one more signed attempt through
-- the same sender as the job's (private.send_webhook_delivery); a failed delivery gets one more
-- allowed attempt, so the delivery log keeps every attempt and nothing is rewritten.

create function public.retry_webhook_delivery(p_delivery bigint)
returns public.webhook_deliveries
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_delivery public.webhook_deliveries;
begin
  select * into v_delivery from public.webhook_deliveries d where d.id = p_delivery for update;
  -- The same answer for a delivery that does not exist and one of another organisation.
  if not found or not (private.is_platform_admin() or private.is_service_role() or private.is_org_admin(v_delivery.organization_id)) then
    raise exception using errcode = 'PT404', message = format('webhook delivery %s not found', p_delivery);
  end if;
  if v_delivery.status not in ('pending', 'failed') then
    raise exception using errcode = 'PT409',
      message = format('this delivery is %s: only pending or failed deliveries are retried', replace(v_delivery.status, '_', ' ')),
      hint = 'an in-flight attempt is settled by the delivery job within a minute';
  end if;
  if not exists (select 1 from public.webhook_endpoints e where e.id = v_delivery.endpoint_id and e.is_active) then
    raise exception using errcode = 'PT409', message = 'the endpoint is paused: resume it before retrying its deliveries';
  end if;
  update public.webhook_deliveries d
     set status = 'pending',
         max_attempts = greatest(d.max_attempts, d.attempts + 1),
         completed_at = null,
         next_attempt_at = null
   where d.id = p_delivery;
  perform private.send_webhook_delivery(p_delivery);
  select * into v_delivery from public.webhook_deliveries d where d.id = p_delivery;
  return v_delivery;
end;
$$;
comment on function public.retry_webhook_delivery(bigint) is
  'Sends one more signed attempt of a pending or failed delivery now (owners and admins of its organisation); a failed delivery is allowed one more attempt. Returns the delivery, in_flight. Errors: PT404 unknown or not yours, PT409 not pending/failed or endpoint paused.';

revoke execute on function public.retry_webhook_delivery(bigint) from public, anon;
grant execute on function public.retry_webhook_delivery(bigint) to authenticated, service_role;
