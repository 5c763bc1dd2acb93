-- release_email_outbox: the sender hands back claimed e-mails it did not try (Resend was rate
-- limiting or failing): queued again in a minute, without losing an attempt; only rows that are
-- sending; 1 to 100 ids; the service role only.
begin;
select plan(8);

select tests.freeze_time('2026-06-01 12:00:00+00');
delete from public.email_outbox;
insert into public.email_outbox (kind, recipient, template, idempotency_key)
select 'system', format('r%s@example.com', i), 'welcome', format('test:release:%s', i) from generate_series(1, 3) i;

select tests.authenticate_as_service_role();
select is((select count(*)::int from public.claim_email_outbox(2)), 2, 'the sender claims two');
select is(public.release_email_outbox(array(select id from public.email_outbox order by id)), 2,
  'and releases them (the third, never claimed, is not sending and is ignored)');
select results_eq(
  $$ select status::text, attempts, next_attempt_at from public.email_outbox order by id $$,
  $$ values ('queued'::text, 0, '2026-06-01 12:01:00+00'::timestamptz), ('queued', 0, '2026-06-01 12:01:00+00'), ('queued', 0, '2026-06-01 12:00:00+00') $$,
  'released rows are queued again in a minute, their attempt not counted');
select throws_ok($$ select public.release_email_outbox('{}') $$, '22023', 'pass at least one id', 'at least one id');
select throws_ok($$ select public.release_email_outbox(array(select generate_series(1, 101)::bigint)) $$, '22023', null, 'at most 100 ids');
select tests.clear_authentication();

select ok(not has_function_privilege('anon', 'public.release_email_outbox(bigint[])', 'execute')
          and not has_function_privilege('authenticated', 'public.release_email_outbox(bigint[])', 'execute'),
  'anon and authenticated cannot call it');
select ok(has_function_privilege('service_role', 'public.release_email_outbox(bigint[])', 'execute'), 'the service role can');
set local role authenticated;
select throws_ok($$ select public.release_email_outbox(array[1::bigint]) $$, '42501', null, 'a signed-in user is refused');
reset role;

select * from finish();
rollback;
