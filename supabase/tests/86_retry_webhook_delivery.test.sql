-- retry_webhook_delivery(): owners and admins of the delivery's organisation send one more
-- attempt of a pending or failed delivery now; everyone else gets PT404 (as if it did not
-- exist); in-flight and succeeded deliveries, and paused endpoints, are refused with PT409.
begin;
select plan(19);

select tests.create_actors();
select tests.freeze_time('2026-06-01 12:00:00+00');

select tests.authenticate_as('admin_1');
select set_config('test.endpoint', (public.create_webhook_endpoint(tests.org_id('org-one'), 'http://127.0.0.1:9/ascend', array['ping']) ->> 'id'), true);
select set_config('test.delivery', public.send_test_webhook(current_setting('test.endpoint')::uuid)::text, true);
select tests.clear_authentication();

-- The first attempt times out and the delivery is allowed no more: it failed for good.
update public.webhook_deliveries set max_attempts = 1 where id = current_setting('test.delivery')::bigint;
insert into net._http_response (id, timed_out, error_msg)
select last_request_id, true, 'Timeout of 5000 ms reached' from public.webhook_deliveries where id = current_setting('test.delivery')::bigint;
select private.process_webhook_deliveries();
select is((select status from public.webhook_deliveries where id = current_setting('test.delivery')::bigint), 'failed', 'setup: the delivery failed');

-- ---------------------------------------------------------------------------
-- Denied
-- ---------------------------------------------------------------------------
select tests.authenticate_as_anon();
select throws_ok(format('select public.retry_webhook_delivery(%s)', current_setting('test.delivery')), '42501', null, 'anon cannot call it');
select tests.authenticate_as('learner_a');
select throws_ok(format('select public.retry_webhook_delivery(%s)', current_setting('test.delivery')), 'PT404', null, 'a learner of the organisation gets not found');
select tests.authenticate_as('instructor_1');
select throws_ok(format('select public.retry_webhook_delivery(%s)', current_setting('test.delivery')), 'PT404', null, 'so does its instructor');
select tests.authenticate_as('admin_2');
select throws_ok(format('select public.retry_webhook_delivery(%s)', current_setting('test.delivery')), 'PT404', null, 'and the admin of another organisation');
select tests.authenticate_as('outsider');
select throws_ok('select public.retry_webhook_delivery(-1)', 'PT404', null, 'an unknown delivery reads the same');
select tests.clear_authentication();
select is((select (status, attempts) from public.webhook_deliveries where id = current_setting('test.delivery')::bigint), ('failed'::text, 1),
  'the refused calls changed nothing');
select is((select count(*)::int from public.webhook_delivery_attempts where delivery_id = current_setting('test.delivery')::bigint), 1, 'and sent nothing');

-- ---------------------------------------------------------------------------
-- Allowed: the owner retries the failed delivery
-- ---------------------------------------------------------------------------
select tests.freeze_time('2026-06-01 12:30:00+00');
select tests.authenticate_as('owner_1');
select results_eq(format('select status, attempts, max_attempts, completed_at from public.retry_webhook_delivery(%s)', current_setting('test.delivery')),
  $$ values ('in_flight'::text, 2, 2, null::timestamptz) $$, 'the owner retries a failed delivery: attempt 2 is in flight, one more allowed');
select tests.clear_authentication();
select results_eq(format('select attempt, sent_at from public.webhook_delivery_attempts where delivery_id = %s order by attempt', current_setting('test.delivery')),
  $$ values (1, '2026-06-01 12:00:00+00'::timestamptz), (2, '2026-06-01 12:30:00+00'::timestamptz) $$, 'the log keeps both attempts');
select is((select (convert_from(q.body, 'UTF8')::jsonb ->> 'attempt') from net.http_request_queue q
           where q.id = (select last_request_id from public.webhook_deliveries where id = current_setting('test.delivery')::bigint)),
  '2', 'as a new signed request through pg_net, numbered attempt 2');

select tests.authenticate_as('admin_1');
select throws_ok(format('select public.retry_webhook_delivery(%s)', current_setting('test.delivery')), 'PT409', null, 'an in-flight delivery is not retried');

-- The retry succeeds; a succeeded delivery is not retried either.
select tests.clear_authentication();
insert into net._http_response (id, status_code, content_type, headers, content, timed_out)
select last_request_id, 200, 'text/plain', '{}', 'ok', false from public.webhook_deliveries where id = current_setting('test.delivery')::bigint;
select private.process_webhook_deliveries();
select is((select status from public.webhook_deliveries where id = current_setting('test.delivery')::bigint), 'succeeded', 'the retried attempt succeeded');
select tests.authenticate_as('admin_1');
select throws_ok(format('select public.retry_webhook_delivery(%s)', current_setting('test.delivery')), 'PT409', null, 'a succeeded delivery is not retried');

-- A pending delivery (waiting for its backoff) is sent now by an admin.
select set_config('test.pending', public.send_test_webhook(current_setting('test.endpoint')::uuid)::text, true);
select tests.clear_authentication();
insert into net._http_response (id, status_code, content_type, headers, content, timed_out)
select last_request_id, 503, 'text/plain', '{}', 'busy', false from public.webhook_deliveries where id = current_setting('test.pending')::bigint;
select private.process_webhook_deliveries();
select is((select status from public.webhook_deliveries where id = current_setting('test.pending')::bigint), 'pending', 'setup: a 503 left it pending');
select tests.authenticate_as('admin_1');
select results_eq(format('select status, attempts, max_attempts from public.retry_webhook_delivery(%s)', current_setting('test.pending')),
  $$ values ('in_flight'::text, 2, 6) $$, 'an admin sends a pending delivery now, within its usual attempts');

-- A paused endpoint's deliveries wait until it is resumed.
select tests.clear_authentication();
insert into net._http_response (id, status_code, content_type, headers, content, timed_out)
select last_request_id, 503, 'text/plain', '{}', 'busy', false from public.webhook_deliveries where id = current_setting('test.pending')::bigint;
select private.process_webhook_deliveries();
select tests.authenticate_as('admin_1');
update public.webhook_endpoints set is_active = false where id = current_setting('test.endpoint')::uuid;
select throws_ok(format('select public.retry_webhook_delivery(%s)', current_setting('test.pending')), 'PT409', null, 'a paused endpoint''s delivery is not retried');
select is((select attempts from public.webhook_deliveries where id = current_setting('test.pending')::bigint), 2, 'and is left as it was');

-- The service role may retry too (operators, scripts).
update public.webhook_endpoints set is_active = true where id = current_setting('test.endpoint')::uuid;
select tests.authenticate_as_service_role();
select is((select status from public.retry_webhook_delivery(current_setting('test.pending')::bigint)), 'in_flight', 'the service role retries as well');

select * from finish();
rollback;
