-- Webhooks: endpoints per organisation (owners and admins), a secret never readable back, a
-- delivery queued in the same transaction as its event and sent with net.http_post, signed with
-- HMAC-SHA256 over "<timestamp>.<body>", retried with exponential backoff, logged per attempt.
begin;
select plan(59);

select tests.create_actors();
select tests.create_test_exam(10);
select tests.freeze_time('2026-06-01 12:00:00+00');

create or replace function tests.affected(q text) returns integer
language plpgsql
set search_path = ''
as $$
declare
  n integer;
begin
  execute q;
  get diagnostics n = row_count;
  return n;
end;
$$;
grant execute on function tests.affected(text) to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Creating endpoints
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select throws_ok(format($$ select public.create_webhook_endpoint(%L, 'https://example.test/hook', array['ping']) $$, tests.org_id('org-one')),
  '42501', null, 'a learner cannot create a webhook');
select tests.authenticate_as('instructor_1');
select throws_ok(format($$ select public.create_webhook_endpoint(%L, 'https://example.test/hook', array['ping']) $$, tests.org_id('org-one')),
  '42501', null, 'nor an instructor');
select tests.authenticate_as('admin_2');
select throws_ok(format($$ select public.create_webhook_endpoint(%L, 'https://example.test/hook', array['ping']) $$, tests.org_id('org-one')),
  '42501', null, 'nor the admin of another organisation');

select tests.authenticate_as('admin_1');
select throws_ok(format($$ select public.create_webhook_endpoint(%L, 'https://example.test/hook', array['grades.leaked']) $$, tests.org_id('org-one')),
  '22023', null, 'unknown event types are refused');
select throws_ok(format($$ select public.create_webhook_endpoint(%L, 'ftp://example.test/hook', array['ping']) $$, tests.org_id('org-one')),
  '23514', null, 'only http(s) URLs');
select set_config('test.created', public.create_webhook_endpoint(tests.org_id('org-one'), 'http://127.0.0.1:9/ascend',
  array['quiz.submitted', 'member.joined', 'member.left'], 'LMS sync')::text, true);
select set_config('test.endpoint', current_setting('test.created')::jsonb ->> 'id', true);
select set_config('test.secret', current_setting('test.created')::jsonb ->> 'secret', true);
select matches(current_setting('test.secret'), '^whsec_[0-9a-f]{48}$', 'an admin creates an endpoint and gets its secret once');
select is((select secret_last4 from public.webhook_endpoints where id = current_setting('test.endpoint')::uuid), right(current_setting('test.secret'), 4),
  'the endpoint shows only the secret''s last 4 characters');
select is_empty($$ select 1 from information_schema.columns where table_schema = 'public' and table_name = 'webhook_endpoints' and column_name ~ 'secret' and column_name <> 'secret_last4' $$,
  'no table column of the API holds the secret');
select throws_ok($$ select * from private.webhook_endpoint_secrets $$, '42501', null, 'the secret''s Vault pointer is not readable');
select throws_ok($$ select decrypted_secret from vault.decrypted_secrets $$, '42501', null, 'nor Vault itself');
select throws_ok($$ select private.webhook_secret(current_setting('test.endpoint')::uuid) $$, '42501', null, 'nor the internal reader');
select throws_ok($$ update public.webhook_endpoints set secret_last4 = 'abcd' $$, '42501', null, 'admins cannot forge secret_last4');

-- ---------------------------------------------------------------------------
-- An event queues a delivery in its own transaction, signed
-- ---------------------------------------------------------------------------
select tests.take_quiz('learner_a', 10, 8);
select tests.clear_authentication();
select results_eq($$ select event_type, status, attempts, payload ->> 'user_id' from public.webhook_deliveries $$,
  $$ values ('quiz.submitted'::text, 'in_flight'::text, 1, tests.get_user_id('learner_a')::text) $$,
  'submitting a quiz queued a quiz.submitted delivery for org-one''s endpoint and sent its first attempt');
select set_config('test.delivery', (select id::text from public.webhook_deliveries), true);
select set_config('test.request', (select last_request_id::text from public.webhook_deliveries), true);
select results_eq($$ select method::text, url from net.http_request_queue where id = current_setting('test.request')::bigint $$,
  $$ values ('POST'::text, 'http://127.0.0.1:9/ascend'::text) $$, 'through net.http_post, to the endpoint''s URL (sent by pg_net after commit)');
select set_config('test.body', (select convert_from(body, 'UTF8') from net.http_request_queue where id = current_setting('test.request')::bigint), true);
select set_config('test.headers', (select headers::text from net.http_request_queue where id = current_setting('test.request')::bigint), true);
select is(current_setting('test.headers')::jsonb ->> 'X-Ascend-Timestamp', extract(epoch from timestamptz '2026-06-01 12:00:00+00')::bigint::text,
  'X-Ascend-Timestamp is the sending time in Unix seconds');
select is(current_setting('test.headers')::jsonb ->> 'X-Ascend-Signature',
  't=' || (current_setting('test.headers')::jsonb ->> 'X-Ascend-Timestamp') || ',v1=' ||
  encode(extensions.hmac((current_setting('test.headers')::jsonb ->> 'X-Ascend-Timestamp') || '.' || current_setting('test.body'),
                         current_setting('test.secret'), 'sha256'), 'hex'),
  'X-Ascend-Signature is t=<timestamp>,v1=hex(HMAC-SHA256(secret, "<timestamp>.<raw body>"))');
select isnt(current_setting('test.headers')::jsonb ->> 'X-Ascend-Signature',
  't=' || (current_setting('test.headers')::jsonb ->> 'X-Ascend-Timestamp') || ',v1=' ||
  encode(extensions.hmac((current_setting('test.headers')::jsonb ->> 'X-Ascend-Timestamp') || '.' || current_setting('test.body') || ' ',
                         current_setting('test.secret'), 'sha256'), 'hex'),
  'a body changed by one byte does not verify');
select results_eq($$ select h ->> 'Content-Type', h ->> 'X-Ascend-Event', h ->> 'X-Ascend-Delivery' from (select current_setting('test.headers')::jsonb h) s $$,
  $$ values ('application/json'::text, 'quiz.submitted'::text, current_setting('test.delivery')) $$, 'with the event and delivery headers');
select results_eq($$ select b ->> 'type', b ->> 'id', b -> 'data' ->> 'correct_count', b ->> 'attempt' from (select current_setting('test.body')::jsonb b) s $$,
  $$ values ('quiz.submitted'::text, (select event_id::text from public.webhook_deliveries), '8'::text, '1'::text) $$,
  'the body carries the event id, type, attempt number and data');
select results_eq($$ select attempt, request_id, signed_at, status_code from public.webhook_delivery_attempts $$,
  $$ values (1, current_setting('test.request')::bigint, extract(epoch from timestamptz '2026-06-01 12:00:00+00')::bigint, null::integer) $$,
  'the attempt is in the delivery log');

-- ---------------------------------------------------------------------------
-- Retries with exponential backoff
-- ---------------------------------------------------------------------------
select results_eq($$ select private.webhook_backoff(n) from generate_series(1, 5) n $$,
  $$ values (interval '1 minute'), (interval '2 minutes'), (interval '4 minutes'), (interval '8 minutes'), (interval '16 minutes') $$,
  'the backoff doubles: 1, 2, 4, 8, 16 minutes');
select is(private.webhook_backoff(20), interval '6 hours', 'and is capped at 6 hours');

select is(private.process_webhook_deliveries(), '{"sent": 0, "settled": 0}'::jsonb, 'no response yet: nothing to settle');
insert into net._http_response (id, status_code, content_type, headers, content, timed_out)
values (current_setting('test.request')::bigint, 500, 'text/plain', '{}', 'boom', false);
select is(private.process_webhook_deliveries(), '{"sent": 0, "settled": 1}'::jsonb, 'the job settles the answered attempt');
select results_eq($$ select status, last_status_code, last_error, next_attempt_at from public.webhook_deliveries $$,
  $$ values ('pending'::text, 500, 'HTTP 500'::text, '2026-06-01 12:01:00+00'::timestamptz) $$,
  'a 500 makes it pending again, retried a minute later');
select results_eq($$ select status_code, error, response_excerpt from public.webhook_delivery_attempts where attempt = 1 $$,
  $$ values (500, 'HTTP 500'::text, 'boom'::text) $$, 'the log records the failed attempt');
select tests.freeze_time('2026-06-01 12:01:00+00');
select is(private.process_webhook_deliveries(), '{"sent": 1, "settled": 0}'::jsonb, 'when due, the job sends it again');
select results_eq($$ select status, attempts from public.webhook_deliveries $$, $$ values ('in_flight'::text, 2) $$, 'attempt 2 is in flight');
select isnt((select last_request_id from public.webhook_deliveries), current_setting('test.request')::bigint, 'as a new pg_net request');
select is((select (convert_from(body, 'UTF8')::jsonb ->> 'id') from net.http_request_queue where id = (select last_request_id from public.webhook_deliveries)),
  (select event_id::text from public.webhook_deliveries), 'with the same event id (receivers deduplicate on it)');
-- No answer within 10 minutes counts as a failure.
select tests.freeze_time('2026-06-01 12:12:00+00');
select is(private.process_webhook_deliveries() ->> 'settled', '1', 'an attempt unanswered for 10 minutes is settled');
select results_eq($$ select status, last_error, next_attempt_at from public.webhook_deliveries $$,
  $$ values ('pending'::text, 'no response within 10 minutes'::text, '2026-06-01 12:14:00+00'::timestamptz) $$,
  'as a failure, retried 2 minutes later');
select tests.freeze_time('2026-06-01 12:14:00+00');
select private.process_webhook_deliveries();
insert into net._http_response (id, status_code, content_type, headers, content, timed_out)
select last_request_id, 204, null, '{}', '', false from public.webhook_deliveries;
select private.process_webhook_deliveries();
select results_eq($$ select status, attempts, last_status_code, completed_at from public.webhook_deliveries $$,
  $$ values ('succeeded'::text, 3, 204, '2026-06-01 12:14:00+00'::timestamptz) $$, 'a 2xx answer succeeds the delivery');
select is((select count(*)::int from public.webhook_delivery_attempts), 3, 'three attempts in the log');

-- Giving up after max_attempts.
insert into public.organization_members (organization_id, user_id, role) values (tests.org_id('org-one'), tests.get_user_id('outsider'), 'learner');
select set_config('test.joined', (select id::text from public.webhook_deliveries where event_type = 'member.joined'), true);
update public.webhook_deliveries set max_attempts = 1 where id = current_setting('test.joined')::bigint;
insert into net._http_response (id, timed_out, error_msg)
select last_request_id, true, 'Timeout of 5000 ms reached' from public.webhook_deliveries where id = current_setting('test.joined')::bigint;
select private.process_webhook_deliveries();
select results_eq($$ select status, last_error, next_attempt_at from public.webhook_deliveries where id = current_setting('test.joined')::bigint $$,
  $$ values ('failed'::text, 'Timeout of 5000 ms reached'::text, null::timestamptz) $$, 'after its last attempt a delivery fails for good');

-- ---------------------------------------------------------------------------
-- Subscriptions, pausing, rotation, test pings
-- ---------------------------------------------------------------------------
select tests.authenticate_as('admin_1');
select set_config('test.lesson', (public.create_lesson(tests.org_id('org-one'), 'Hooks', 'x')).lesson_id::text, true);
select public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'in_review');
select tests.authenticate_as('owner_1');
select public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'approved');
select public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'published');
select is((select count(*)::int from public.webhook_deliveries where event_type = 'lesson.published'), 0,
  'an endpoint gets only the events it subscribed to');
select tests.authenticate_as('admin_1');
select is(tests.affected($$ update public.webhook_endpoints set event_types = array['quiz.submitted', 'lesson.published'], is_active = false $$), 1,
  'an admin changes the subscriptions and pauses the endpoint');
select throws_ok($$ update public.webhook_endpoints set event_types = array['nope'] $$, '23514', null, 'unknown event types are refused on update too');
select tests.take_quiz('learner_b', 10, 5);
select tests.clear_authentication();
select is((select count(*)::int from public.webhook_deliveries where event_type = 'quiz.submitted'), 1, 'a paused endpoint gets nothing');

select tests.authenticate_as('admin_1');
update public.webhook_endpoints set is_active = true;
select set_config('test.rotated', public.rotate_webhook_secret(current_setting('test.endpoint')::uuid)::text, true);
select isnt(current_setting('test.rotated')::jsonb ->> 'secret', current_setting('test.secret'), 'rotating gives a new secret, once');
select set_config('test.ping', public.send_test_webhook(current_setting('test.endpoint')::uuid)::text, true);
select tests.clear_authentication();
select is((select h.headers ->> 'X-Ascend-Signature' from net.http_request_queue h
           where h.id = (select last_request_id from public.webhook_deliveries where id = current_setting('test.ping')::bigint)),
  (select 't=' || (h.headers ->> 'X-Ascend-Timestamp') || ',v1=' ||
          encode(extensions.hmac((h.headers ->> 'X-Ascend-Timestamp') || '.' || convert_from(h.body, 'UTF8'),
                                 current_setting('test.rotated')::jsonb ->> 'secret', 'sha256'), 'hex')
   from net.http_request_queue h where h.id = (select last_request_id from public.webhook_deliveries where id = current_setting('test.ping')::bigint)),
  'a test ping is signed with the rotated secret');

-- ---------------------------------------------------------------------------
-- Who reads and changes what
-- ---------------------------------------------------------------------------
select tests.authenticate_as('owner_1');
select is((select count(*)::int from public.webhook_endpoints), 1, 'the owner sees the endpoint');
select is((select count(*)::int from public.webhook_deliveries), 3, 'and its deliveries');
select tests.authenticate_as('instructor_1');
select is_empty($$ select 1 from public.webhook_endpoints $$, 'an instructor sees no endpoint');
select is_empty($$ select 1 from public.webhook_deliveries $$, 'nor deliveries');
select tests.authenticate_as('learner_a');
select is_empty($$ select 1 from public.webhook_delivery_attempts $$, 'a learner sees no delivery log');
select is(tests.affected($$ update public.webhook_endpoints set url = 'https://evil.test/' $$), 0, 'nor redirects an endpoint');
select tests.authenticate_as('learner_b');
select is_empty($$ select 1 from public.webhook_deliveries $$, 'learner_b sees no delivery, not even of their own quiz');
select throws_ok(format($$ select public.rotate_webhook_secret(%L) $$, current_setting('test.endpoint')), '42501', null,
  'nor rotates the secret');
select tests.authenticate_as('admin_2');
select is_empty($$ select 1 from public.webhook_endpoints $$, 'admin_2 sees none of org-one''s endpoints');
select is(tests.affected($$ delete from public.webhook_endpoints $$), 0, 'nor deletes them');
select throws_ok(format($$ select public.send_test_webhook(%L) $$, current_setting('test.endpoint')), '42501', null, 'nor pings them');
select tests.authenticate_as('platform_admin');
select is((select count(*)::int from public.webhook_delivery_attempts), 5, 'platform admins read every delivery log');
select tests.authenticate_as_anon();
select throws_ok($$ select 1 from public.webhook_endpoints $$, '42501', null, 'anon cannot read endpoints');
select throws_ok($$ select 1 from public.webhook_deliveries $$, '42501', null, 'nor deliveries');
select tests.authenticate_as_service_role();
select is((select count(*)::int from public.webhook_deliveries), 3, 'service_role reads every delivery');
select throws_ok($$ insert into public.webhook_deliveries (endpoint_id, organization_id, event_type, payload) select id, organization_id, 'ping', '{}' from public.webhook_endpoints $$,
  '42501', null, 'but nobody forges deliveries');

select tests.authenticate_as('admin_1');
select is(tests.affected($$ delete from public.webhook_endpoints $$), 1, 'an admin deletes the endpoint');
select tests.clear_authentication();
select is((select count(*)::int from vault.secrets where name = 'ascend-webhook-' || current_setting('test.endpoint')), 0,
  'its secret left Vault with it');

select * from finish();
rollback;
