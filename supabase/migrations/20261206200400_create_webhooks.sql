-- Webhooks (seed 004): per-organisation endpoints subscribed to event types, each with a signing
-- secret kept in Vault (returned once, at creation or rotation; clients only ever read its last 4
-- characters). When an event happens, a trigger queues one delivery per subscribed endpoint in the
-- same transaction and sends its first attempt with net.http_post (pg_net sends after commit, so a
-- rolled-back event sends nothing; this works unchanged on hosted Supabase).
--
-- Each request is signed: header `X-Ascend-Signature: t=<unix seconds>,v1=<hex>` where
-- hex = HMAC-SHA256(secret, "<t>.<raw body>"), plus X-Ascend-Timestamp, X-Ascend-Event and
-- X-Ascend-Delivery. Receivers recompute the HMAC over the raw body and reject old timestamps.
--
-- Job ascend-deliver-webhooks (every minute) reads each attempt's response from
-- net._http_response: 2xx succeeds; anything else (status, timeout, no answer in 10 minutes) is
-- retried with exponential backoff, 1, 2, 4, 8, 16 minutes..., at most 6 attempts, then the
-- delivery fails. Every attempt is in webhook_delivery_attempts (the delivery log).
--
-- Events: quiz.submitted (a member's quiz), member.joined, member.left, lesson.published, ping.

create function private.webhook_event_types()
returns text[]
language sql
immutable
set search_path = ''
as $$ select array['quiz.submitted', 'member.joined', 'member.left', 'lesson.published', 'ping'] $$;
comment on function private.webhook_event_types() is 'The event types an endpoint may subscribe to.';
grant execute on function private.webhook_event_types() to authenticated, service_role;

create table public.webhook_endpoints (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  url text not null,
  description text,
  event_types text[] not null,
  is_active boolean not null default true,
  secret_last4 text not null,
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint webhook_endpoints_url_format check (url ~ '^https?://[^/?#\s]+' and char_length(url) <= 2000),
  constraint webhook_endpoints_description_length check (description is null or char_length(description) <= 500),
  constraint webhook_endpoints_event_types_valid check (
    cardinality(event_types) > 0 and event_types <@ private.webhook_event_types())
);
comment on table public.webhook_endpoints is
  'HTTP endpoints of an organisation that receive signed event deliveries. Created with create_webhook_endpoint() (which returns the signing secret once); owners and admins edit, pause and delete them.';
comment on column public.webhook_endpoints.organization_id is 'Owning organisation.';
comment on column public.webhook_endpoints.url is 'http(s) URL the deliveries are POSTed to.';
comment on column public.webhook_endpoints.description is 'Optional description.';
comment on column public.webhook_endpoints.event_types is 'Subscribed events: quiz.submitted, member.joined, member.left, lesson.published, ping.';
comment on column public.webhook_endpoints.is_active is 'False pauses deliveries (none are queued).';
comment on column public.webhook_endpoints.secret_last4 is 'Last 4 characters of the signing secret (the secret itself is never readable back).';
comment on column public.webhook_endpoints.created_by is 'Who created it.';
comment on column public.webhook_endpoints.created_at is 'Creation time.';
comment on column public.webhook_endpoints.updated_at is 'Last change.';
create index webhook_endpoints_organization_id_idx on public.webhook_endpoints (organization_id);
create index webhook_endpoints_created_by_idx on public.webhook_endpoints (created_by);
create trigger webhook_endpoints_set_updated_at before update on public.webhook_endpoints
  for each row execute function private.set_updated_at();

create table private.webhook_endpoint_secrets (
  endpoint_id uuid primary key references public.webhook_endpoints (id) on delete cascade,
  vault_secret_id uuid not null
);
comment on table private.webhook_endpoint_secrets is 'The Vault secret (vault.secrets.id) holding each endpoint''s signing secret.';
alter table private.webhook_endpoint_secrets enable row level security;

create table public.webhook_deliveries (
  id bigint generated always as identity primary key,
  endpoint_id uuid not null references public.webhook_endpoints (id) on delete cascade,
  organization_id uuid not null references public.organizations (id) on delete cascade,
  event_id uuid not null default gen_random_uuid(),
  event_type text not null,
  payload jsonb not null,
  status text not null default 'pending',
  attempts integer not null default 0,
  max_attempts integer not null default 6,
  next_attempt_at timestamptz,
  last_request_id bigint,
  last_status_code integer,
  last_error text,
  created_at timestamptz not null default private.clock(),
  completed_at timestamptz,
  constraint webhook_deliveries_status_valid check (status in ('pending', 'in_flight', 'succeeded', 'failed')),
  constraint webhook_deliveries_attempts_range check (attempts between 0 and max_attempts)
);
comment on table public.webhook_deliveries is
  'One event to deliver to one endpoint: pending (waiting for its next attempt), in_flight (sent, response awaited), succeeded or failed (after max_attempts). Owners and admins of the organisation read them.';
comment on column public.webhook_deliveries.endpoint_id is 'The endpoint.';
comment on column public.webhook_deliveries.organization_id is 'The endpoint''s organisation.';
comment on column public.webhook_deliveries.event_id is 'Event id (the body''s id): the same for every endpoint the event went to, stable across retries.';
comment on column public.webhook_deliveries.event_type is 'The event type.';
comment on column public.webhook_deliveries.payload is 'The event data (the body''s data).';
comment on column public.webhook_deliveries.status is 'pending, in_flight, succeeded or failed.';
comment on column public.webhook_deliveries.attempts is 'Attempts made.';
comment on column public.webhook_deliveries.max_attempts is 'Attempts before giving up.';
comment on column public.webhook_deliveries.next_attempt_at is 'When a pending delivery is sent again.';
comment on column public.webhook_deliveries.last_request_id is 'pg_net request id of the last attempt (net._http_response.id).';
comment on column public.webhook_deliveries.last_status_code is 'HTTP status of the last answered attempt.';
comment on column public.webhook_deliveries.last_error is 'Why the last attempt failed.';
comment on column public.webhook_deliveries.created_at is 'When the event happened.';
comment on column public.webhook_deliveries.completed_at is 'When it succeeded or finally failed.';
create index webhook_deliveries_endpoint_id_idx on public.webhook_deliveries (endpoint_id, created_at desc);
create index webhook_deliveries_organization_id_idx on public.webhook_deliveries (organization_id, created_at desc);
create index webhook_deliveries_due_idx on public.webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_in_flight_idx on public.webhook_deliveries (last_request_id) where status = 'in_flight';

create table public.webhook_delivery_attempts (
  id bigint generated always as identity primary key,
  delivery_id bigint not null references public.webhook_deliveries (id) on delete cascade,
  organization_id uuid not null references public.organizations (id) on delete cascade,
  attempt integer not null,
  request_id bigint not null,
  signed_at bigint not null,
  sent_at timestamptz not null default private.clock(),
  status_code integer,
  error text,
  response_excerpt text,
  finished_at timestamptz,
  constraint webhook_delivery_attempts_once_key unique (delivery_id, attempt)
);
comment on table public.webhook_delivery_attempts is
  'The delivery log: every attempt of every delivery with its pg_net request, signature timestamp and outcome.';
comment on column public.webhook_delivery_attempts.delivery_id is 'The delivery.';
comment on column public.webhook_delivery_attempts.organization_id is 'The delivery''s organisation.';
comment on column public.webhook_delivery_attempts.attempt is '1-based attempt number.';
comment on column public.webhook_delivery_attempts.request_id is 'pg_net request id (net._http_response.id).';
comment on column public.webhook_delivery_attempts.signed_at is 'Unix timestamp signed into X-Ascend-Signature (t=...).';
comment on column public.webhook_delivery_attempts.sent_at is 'When the request was queued.';
comment on column public.webhook_delivery_attempts.status_code is 'HTTP status answered (null: no answer).';
comment on column public.webhook_delivery_attempts.error is 'Why it failed (timeout, connection, non-2xx).';
comment on column public.webhook_delivery_attempts.response_excerpt is 'First 500 characters of the response body.';
comment on column public.webhook_delivery_attempts.finished_at is 'When the outcome was recorded.';
create index webhook_delivery_attempts_organization_id_idx on public.webhook_delivery_attempts (organization_id);

-- ---------------------------------------------------------------------------
-- Privileges and RLS
-- ---------------------------------------------------------------------------

alter table public.webhook_endpoints enable row level security;
alter table public.webhook_deliveries enable row level security;
alter table public.webhook_delivery_attempts enable row level security;

revoke all on table public.webhook_endpoints, public.webhook_deliveries, public.webhook_delivery_attempts
  from anon, authenticated, service_role;
grant select, delete on table public.webhook_endpoints to authenticated;
grant update (url, description, event_types, is_active) on table public.webhook_endpoints to authenticated;
grant select on table public.webhook_deliveries, public.webhook_delivery_attempts to authenticated;
grant select, update, delete on table public.webhook_endpoints to service_role;
grant select on table public.webhook_deliveries, public.webhook_delivery_attempts to service_role;

create policy webhook_endpoints_select_admin on public.webhook_endpoints
  for select to authenticated
  using ((select private.is_platform_admin()) or private.is_org_admin(organization_id));
comment on policy webhook_endpoints_select_admin on public.webhook_endpoints is 'Owners and admins of the organisation see its endpoints.';
create policy webhook_endpoints_update_admin on public.webhook_endpoints
  for update to authenticated
  using ((select private.is_platform_admin()) or private.is_org_admin(organization_id))
  with check ((select private.is_platform_admin()) or private.is_org_admin(organization_id));
comment on policy webhook_endpoints_update_admin on public.webhook_endpoints is 'Owners and admins change URL, events, description and pause.';
create policy webhook_endpoints_delete_admin on public.webhook_endpoints
  for delete to authenticated
  using ((select private.is_platform_admin()) or private.is_org_admin(organization_id));
comment on policy webhook_endpoints_delete_admin on public.webhook_endpoints is 'Owners and admins delete endpoints.';

create policy webhook_deliveries_select_admin on public.webhook_deliveries
  for select to authenticated
  using ((select private.is_platform_admin()) or private.is_org_admin(organization_id));
comment on policy webhook_deliveries_select_admin on public.webhook_deliveries is 'Owners and admins of the organisation read its deliveries.';
create policy webhook_delivery_attempts_select_admin on public.webhook_delivery_attempts
  for select to authenticated
  using ((select private.is_platform_admin()) or private.is_org_admin(organization_id));
comment on policy webhook_delivery_attempts_select_admin on public.webhook_delivery_attempts is 'Owners and admins of the organisation read its delivery log.';

create trigger webhook_endpoints_audit after insert or update or delete on public.webhook_endpoints
  for each row execute function private.audit_row('column');

-- ---------------------------------------------------------------------------
-- Secrets (Vault)
-- ---------------------------------------------------------------------------

create function private.new_webhook_secret(p_endpoint uuid)
returns text
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_secret text := 'whsec_' || encode(extensions.gen_random_bytes(24), 'hex');
  v_old uuid;
begin
  select s.vault_secret_id into v_old from private.webhook_endpoint_secrets s where s.endpoint_id = p_endpoint;
  if v_old is null then
    insert into private.webhook_endpoint_secrets (endpoint_id, vault_secret_id)
    values (p_endpoint, vault.create_secret(v_secret, 'ascend-webhook-' || p_endpoint, 'Signing secret of webhook endpoint ' || p_endpoint));
  else
    perform vault.update_secret(v_old, v_secret);
  end if;
  update public.webhook_endpoints e set secret_last4 = right(v_secret, 4) where e.id = p_endpoint;
  return v_secret;
end;
$$;
comment on function private.new_webhook_secret(uuid) is 'Generates (or rotates) an endpoint''s signing secret in Vault and returns it.';

create function private.webhook_secret(p_endpoint uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select d.decrypted_secret
  from private.webhook_endpoint_secrets s
  join vault.decrypted_secrets d on d.id = s.vault_secret_id
  where s.endpoint_id = p_endpoint
$$;
comment on function private.webhook_secret(uuid) is 'The endpoint''s signing secret, decrypted from Vault (internal only).';

create function private.drop_webhook_secret()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from vault.secrets v
  where v.id = (select s.vault_secret_id from private.webhook_endpoint_secrets s where s.endpoint_id = old.id);
  return old;
end;
$$;
comment on function private.drop_webhook_secret() is 'BEFORE DELETE on webhook_endpoints: removes the endpoint''s secret from Vault.';
create trigger webhook_endpoints_drop_secret before delete on public.webhook_endpoints
  for each row execute function private.drop_webhook_secret();

-- The signature of a body: v1 = hex(HMAC-SHA256(secret, "<timestamp>.<body>")).
create function private.webhook_signature(p_secret text, p_timestamp bigint, p_body text)
returns text
language sql
immutable
set search_path = ''
as $$
  select encode(extensions.hmac(convert_to(p_timestamp::text || '.' || p_body, 'UTF8'), convert_to(p_secret, 'UTF8'), 'sha256'), 'hex')
$$;
comment on function private.webhook_signature(text, bigint, text) is
  'hex(HMAC-SHA256(secret, "<timestamp>.<body>")): the v1 value of X-Ascend-Signature.';

-- ---------------------------------------------------------------------------
-- Sending
-- ---------------------------------------------------------------------------

create function private.webhook_backoff(p_attempts integer)
returns interval
language sql
immutable
set search_path = ''
as $$ select least(make_interval(mins => (2 ^ greatest(p_attempts - 1, 0))::integer), interval '6 hours') $$;
comment on function private.webhook_backoff(integer) is 'Wait before the next attempt after p_attempts failed ones: 1, 2, 4, 8, 16 ... minutes, at most 6 hours.';

create function private.send_webhook_delivery(p_delivery bigint)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_delivery public.webhook_deliveries;
  v_endpoint public.webhook_endpoints;
  v_now timestamptz := private.clock();
  v_ts bigint := floor(extract(epoch from private.clock()))::bigint;
  v_body jsonb;
  v_request bigint;
begin
  select * into v_delivery from public.webhook_deliveries d where d.id = p_delivery for update;
  select * into v_endpoint from public.webhook_endpoints e where e.id = v_delivery.endpoint_id;
  v_body := jsonb_build_object(
    'id', v_delivery.event_id,
    'type', v_delivery.event_type,
    'created_at', v_delivery.created_at,
    'organization_id', v_delivery.organization_id,
    'delivery_id', v_delivery.id,
    'attempt', v_delivery.attempts + 1,
    'data', v_delivery.payload);
  -- pg_net sends body::text; the signature covers exactly that text.
  v_request := net.http_post(
    url := v_endpoint.url,
    body := v_body,
    headers := jsonb_build_object(
      'Content-Type', 'application/json',
      'User-Agent', 'Ascend-Webhooks/1',
      'X-Ascend-Event', v_delivery.event_type,
      'X-Ascend-Delivery', v_delivery.id::text,
      'X-Ascend-Timestamp', v_ts::text,
      'X-Ascend-Signature', 't=' || v_ts || ',v1=' || private.webhook_signature(private.webhook_secret(v_endpoint.id), v_ts, v_body::text)),
    timeout_milliseconds := 5000);
  update public.webhook_deliveries d
     set status = 'in_flight', attempts = d.attempts + 1, last_request_id = v_request, next_attempt_at = null
   where d.id = p_delivery;
  insert into public.webhook_delivery_attempts (delivery_id, organization_id, attempt, request_id, signed_at, sent_at)
  values (p_delivery, v_delivery.organization_id, v_delivery.attempts + 1, v_request, v_ts, v_now);
  return v_request;
end;
$$;
comment on function private.send_webhook_delivery(bigint) is
  'Signs and sends one attempt of a delivery with net.http_post (after commit), marks it in_flight and logs the attempt; returns the pg_net request id.';

create function private.enqueue_webhook_event(p_organization uuid, p_event_type text, p_payload jsonb)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_event uuid := gen_random_uuid();
  v_payload jsonb := p_payload;
  v_erasing text := nullif(current_setting('ascend.erasing_user', true), '');
  v_id bigint;
  v_count integer := 0;
begin
  if p_organization is null then
    return 0;
  end if;
  if v_erasing is not null then
    v_payload := replace(v_payload::text, v_erasing, 'erased-user')::jsonb;
  end if;
  for v_id in
    insert into public.webhook_deliveries (endpoint_id, organization_id, event_id, event_type, payload)
    select e.id, e.organization_id, v_event, p_event_type, v_payload
    from public.webhook_endpoints e
    where e.organization_id = p_organization and e.is_active and p_event_type = any (e.event_types)
    returning id
  loop
    perform private.send_webhook_delivery(v_id);
    v_count := v_count + 1;
  end loop;
  return v_count;
end;
$$;
comment on function private.enqueue_webhook_event(uuid, text, jsonb) is
  'Queues an event for every active endpoint of the organisation subscribed to it and sends the first attempts; returns how many.';

-- Job: settle answered attempts, retry failed ones with backoff, send what is due.
create function private.process_webhook_deliveries()
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock();
  v_settled integer := 0;
  v_sent integer := 0;
  r record;
begin
  for r in
    select d.id, d.attempts, d.max_attempts, d.last_request_id, a.sent_at,
           resp.id as response_id, resp.status_code, resp.timed_out, resp.error_msg, resp.content
    from public.webhook_deliveries d
    join public.webhook_delivery_attempts a on a.delivery_id = d.id and a.attempt = d.attempts
    left join net._http_response resp on resp.id = d.last_request_id
    where d.status = 'in_flight'
      and (resp.id is not null or a.sent_at < v_now - interval '10 minutes')
    order by d.id
    for update of d skip locked
  loop
    update public.webhook_delivery_attempts a
       set status_code = r.status_code,
           error = case
             when r.response_id is null then 'no response within 10 minutes'
             when r.error_msg is not null then r.error_msg
             when r.status_code not between 200 and 299 then format('HTTP %s', r.status_code)
           end,
           response_excerpt = left(r.content, 500),
           finished_at = v_now
     where a.delivery_id = r.id and a.attempt = r.attempts;
    if r.response_id is not null and r.error_msg is null and r.status_code between 200 and 299 then
      update public.webhook_deliveries d
         set status = 'succeeded', last_status_code = r.status_code, last_error = null, completed_at = v_now
       where d.id = r.id;
    else
      update public.webhook_deliveries d
         set status = case when r.attempts >= r.max_attempts then 'failed' else 'pending' end,
             next_attempt_at = case when r.attempts >= r.max_attempts then null else v_now + private.webhook_backoff(r.attempts) end,
             completed_at = case when r.attempts >= r.max_attempts then v_now end,
             last_status_code = r.status_code,
             last_error = coalesce(r.error_msg, case when r.response_id is null then 'no response within 10 minutes' else format('HTTP %s', r.status_code) end)
       where d.id = r.id;
    end if;
    v_settled := v_settled + 1;
  end loop;

  for r in
    select d.id from public.webhook_deliveries d
    join public.webhook_endpoints e on e.id = d.endpoint_id
    where d.status = 'pending' and d.next_attempt_at <= v_now and e.is_active
    order by d.next_attempt_at
    limit 200
    for update of d skip locked
  loop
    perform private.send_webhook_delivery(r.id);
    v_sent := v_sent + 1;
  end loop;
  return jsonb_build_object('settled', v_settled, 'sent', v_sent);
end;
$$;
comment on function private.process_webhook_deliveries() is
  'Job ascend-deliver-webhooks (every minute): records the outcome of in-flight attempts from net._http_response (2xx succeeds; otherwise retry after 1, 2, 4, 8, 16 minutes..., failed after max_attempts) and sends due retries.';

select cron.schedule('ascend-deliver-webhooks', '* * * * *', 'select private.process_webhook_deliveries()');

-- ---------------------------------------------------------------------------
-- Events
-- ---------------------------------------------------------------------------

create function private.webhook_on_quiz_submitted()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_org uuid;
  v_payload jsonb;
begin
  v_payload := jsonb_build_object(
    'attempt_id', new.id, 'user_id', new.user_id, 'exam_id', new.exam_id, 'organization_id', new.organization_id,
    'question_count', new.question_count, 'correct_count', new.correct_count,
    'score_percentage', new.score_percentage, 'xp_earned', new.xp_earned, 'submitted_at', new.submitted_at);
  -- Organisation practice goes to that organisation; global practice to every organisation of the learner.
  for v_org in
    select m.organization_id from public.organization_members m
    where m.user_id = new.user_id and (new.organization_id is null or m.organization_id = new.organization_id)
      and exists (select 1 from public.webhook_endpoints e where e.organization_id = m.organization_id and e.is_active)
  loop
    perform private.enqueue_webhook_event(v_org, 'quiz.submitted', v_payload);
  end loop;
  return null;
end;
$$;
comment on function private.webhook_on_quiz_submitted() is 'AFTER UPDATE on quiz_attempts: a submitted quiz is a quiz.submitted event for the learner''s organisations.';
create trigger quiz_attempts_webhook after update of status on public.quiz_attempts
  for each row when (old.status <> 'submitted' and new.status = 'submitted')
  execute function private.webhook_on_quiz_submitted();

create function private.webhook_on_membership()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.organization_members := coalesce(new, old);
begin
  if not exists (select 1 from public.organizations o where o.id = v_row.organization_id) then
    return null;
  end if;
  perform private.enqueue_webhook_event(
    v_row.organization_id,
    case when tg_op = 'INSERT' then 'member.joined' else 'member.left' end,
    jsonb_build_object('user_id', v_row.user_id, 'role', v_row.role));
  return null;
end;
$$;
comment on function private.webhook_on_membership() is 'AFTER INSERT/DELETE on organization_members: member.joined / member.left events.';
create trigger organization_members_webhook after insert or delete on public.organization_members
  for each row execute function private.webhook_on_membership();

create function private.webhook_on_lesson_published()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.enqueue_webhook_event(new.organization_id, 'lesson.published',
    jsonb_build_object('lesson_id', new.lesson_id, 'version', new.version, 'title', new.title, 'published_at', new.published_at));
  return null;
end;
$$;
comment on function private.webhook_on_lesson_published() is 'AFTER UPDATE on lesson_versions: a version becoming published is a lesson.published event.';
create trigger lesson_versions_webhook after update of status on public.lesson_versions
  for each row when (old.status <> 'published' and new.status = 'published')
  execute function private.webhook_on_lesson_published();

-- ---------------------------------------------------------------------------
-- RPCs
-- ---------------------------------------------------------------------------

create function private.require_org_admin(p_organization uuid)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not (private.is_platform_admin() or private.is_service_role() or private.is_org_admin(p_organization)) then
    raise exception using errcode = '42501', message = 'only owners and admins of this organisation manage its webhooks';
  end if;
  return auth.uid();
end;
$$;
comment on function private.require_org_admin(uuid) is 'Raises 42501 unless the caller is owner/admin of the organisation, a platform admin or the service role.';

create function public.create_webhook_endpoint(p_organization uuid, p_url text, p_event_types text[], p_description text default null)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_org_admin(p_organization);
  v_endpoint public.webhook_endpoints;
  v_secret text;
begin
  if p_event_types is null or cardinality(p_event_types) = 0 or not (p_event_types <@ private.webhook_event_types()) then
    raise exception using errcode = '22023', message = format('unknown webhook event types in %s', p_event_types),
      hint = format('choose from %s', array_to_string(private.webhook_event_types(), ', '));
  end if;
  insert into public.webhook_endpoints (organization_id, url, description, event_types, secret_last4, created_by)
  values (p_organization, btrim(p_url), p_description, p_event_types, '----', v_uid)
  returning * into v_endpoint;
  v_secret := private.new_webhook_secret(v_endpoint.id);
  select * into v_endpoint from public.webhook_endpoints e where e.id = v_endpoint.id;
  return to_jsonb(v_endpoint) || jsonb_build_object('secret', v_secret);
end;
$$;
comment on function public.create_webhook_endpoint(uuid, text, text[], text) is
  'Creates a webhook endpoint of the organisation (owners, admins) and returns it with its signing secret, shown this once. Errors: 42501, 22023 unknown event type, 23514 invalid URL.';

create function public.rotate_webhook_secret(p_endpoint uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_org uuid;
  v_secret text;
begin
  select e.organization_id into v_org from public.webhook_endpoints e where e.id = p_endpoint;
  if v_org is null then
    raise exception using errcode = 'PT404', message = format('webhook endpoint %s not found', p_endpoint);
  end if;
  perform private.require_org_admin(v_org);
  v_secret := private.new_webhook_secret(p_endpoint);
  return jsonb_build_object('id', p_endpoint, 'secret', v_secret, 'secret_last4', right(v_secret, 4));
end;
$$;
comment on function public.rotate_webhook_secret(uuid) is
  'Replaces an endpoint''s signing secret and returns the new one, shown this once. Errors: PT404, 42501.';

create function public.send_test_webhook(p_endpoint uuid)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_endpoint public.webhook_endpoints;
  v_delivery bigint;
begin
  select * into v_endpoint from public.webhook_endpoints e where e.id = p_endpoint;
  if not found then
    raise exception using errcode = 'PT404', message = format('webhook endpoint %s not found', p_endpoint);
  end if;
  perform private.require_org_admin(v_endpoint.organization_id);
  insert into public.webhook_deliveries (endpoint_id, organization_id, event_type, payload)
  values (p_endpoint, v_endpoint.organization_id, 'ping', jsonb_build_object('message', 'Ascend webhook test', 'endpoint_id', p_endpoint))
  returning id into v_delivery;
  perform private.send_webhook_delivery(v_delivery);
  return v_delivery;
end;
$$;
comment on function public.send_test_webhook(uuid) is
  'Sends a signed ping event to the endpoint (even if it is paused or not subscribed to ping); returns the delivery id. Errors: PT404, 42501.';

revoke execute on function public.create_webhook_endpoint(uuid, text, text[], text) from public, anon;
revoke execute on function public.rotate_webhook_secret(uuid) from public, anon;
revoke execute on function public.send_test_webhook(uuid) from public, anon;
grant execute on function public.create_webhook_endpoint(uuid, text, text[], text) to authenticated, service_role;
grant execute on function public.rotate_webhook_secret(uuid) to authenticated, service_role;
grant execute on function public.send_test_webhook(uuid) to authenticated, service_role;

revoke execute on all functions in schema private from public;
grant execute on function private.webhook_event_types() to authenticated, service_role;
