-- The e-mail sender's schedule: job ascend-send-email wakes the send-email edge function through
-- net.http_post, with the URL and key from the Vault secrets project_url and service_role_key,
-- only when an e-mail is due; without the secrets it does nothing and says so; a last attempt
-- that was never reported fails. Nobody but the database calls it.
begin;
select plan(17);

select tests.freeze_time('2026-06-01 12:00:00+00');
delete from public.email_outbox;
delete from vault.secrets where name in ('project_url', 'service_role_key');

-- structure
select is((select schedule from cron.job where jobname = 'ascend-send-email'), '* * * * *', 'job ascend-send-email runs every minute');
select is((select command from cron.job where jobname = 'ascend-send-email'), 'select private.send_queued_emails()', 'it runs private.send_queued_emails()');
select is_definer('private', 'send_queued_emails', '{}'::name[], 'send_queued_emails is security definer (reads Vault, the outbox)');
select ok(
  (select proconfig @> array['search_path=""'] from pg_proc where oid = 'private.invoke_edge_function(text, jsonb, integer)'::regprocedure),
  'invoke_edge_function pins search_path');
select ok(
  not has_function_privilege('anon', 'private.send_queued_emails()', 'execute')
  and not has_function_privilege('authenticated', 'private.send_queued_emails()', 'execute')
  and not has_function_privilege('authenticated', 'private.invoke_edge_function(text, jsonb, integer)', 'execute'),
  'anon and authenticated cannot run the job or call functions with the service key');

-- nothing due: no request
select is(private.send_queued_emails(), null, 'an empty outbox: no request');
insert into public.email_outbox (kind, recipient, template, idempotency_key, next_attempt_at)
values ('system', 'later@example.com', 'welcome', 'test:later', '2026-06-01 20:00:00+00');
select is(private.send_queued_emails(), null, 'an e-mail not due yet (quiet hours): no request');

-- due, but no secrets: nothing, with a warning (kept out of the test output)
insert into public.email_outbox (kind, recipient, template, idempotency_key)
values ('system', 'now@example.com', 'welcome', 'test:now');
set local client_min_messages = error;
select is(private.send_queued_emails(), null, 'without the Vault secrets: no request');
reset client_min_messages;

-- due, with the secrets: one POST to the function with the service key
select vault.create_secret('http://gateway.test:54321/', 'project_url');
select vault.create_secret('service-key-for-test', 'service_role_key');
select set_config('test.request', private.send_queued_emails()::text, true);
select isnt(current_setting('test.request'), '', 'a due e-mail and the secrets: a request');
select is(
  (select jsonb_build_object('method', method, 'url', url, 'body', convert_from(body, 'UTF8'))
   from net.http_request_queue where id = current_setting('test.request')::bigint),
  '{"method": "POST", "url": "http://gateway.test:54321/functions/v1/send-email", "body": "{}"}'::jsonb,
  'POST {} to <project_url>/functions/v1/send-email');
select is(
  (select headers ->> 'Authorization' from net.http_request_queue where id = current_setting('test.request')::bigint),
  'Bearer service-key-for-test', 'with the service_role key from Vault as bearer');
select is(
  (select timeout_milliseconds from net.http_request_queue where id = current_setting('test.request')::bigint),
  60000, 'and a minute to answer');

-- a claimed row past its claim: claimable again, so the job calls the sender
update public.email_outbox set status = 'sending', attempts = 1, next_attempt_at = '2026-06-01 11:50:00+00' where idempotency_key = 'test:now';
select isnt(private.send_queued_emails(), null, 'a claim without an answer for 10 minutes: the sender is called again');

-- ... unless it was the last attempt: then it fails
update public.email_outbox set attempts = max_attempts where idempotency_key = 'test:now';
select is(private.send_queued_emails(), null, 'nothing else due: no request');
select results_eq(
  $$ select status::text, last_error from public.email_outbox where idempotency_key = 'test:now' $$,
  $$ values ('failed'::text, 'the sender did not report its last attempt (it may have been sent)'::text) $$,
  'an unreported last attempt fails, saying it may have been sent');
select is((select status::text from public.email_outbox where idempotency_key = 'test:later'), 'queued', 'the e-mail not due is untouched');

select throws_ok($$ select private.invoke_edge_function('../admin') $$, '22023', 'invalid edge function name ''../admin''',
  'function names are checked before they go into a URL');

select * from finish();
rollback;
