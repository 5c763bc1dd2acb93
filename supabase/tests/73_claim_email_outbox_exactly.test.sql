-- claim_email_outbox claims exactly p_limit due e-mails whatever join plan PostgreSQL picks
-- (the pick runs once, in a materialized CTE), and never the same e-mail twice.
begin;
select plan(4);

select tests.freeze_time('2026-06-01 12:00:00+00');
delete from public.email_outbox;
insert into public.email_outbox (kind, recipient, template, idempotency_key)
select 'system', format('r%s@example.com', i), 'welcome', format('test:exact:%s', i) from generate_series(1, 50) i;
analyze public.email_outbox;

select tests.authenticate_as_service_role();
-- the plans that rescan: nested loops only
set local enable_hashjoin = off;
set local enable_mergejoin = off;
set local enable_material = off;
select is((select count(*)::int from public.claim_email_outbox(5)), 5, 'claims five under a nested-loop plan');
select is((select count(*)::int from public.email_outbox where status = 'sending'), 5, 'and exactly five rows are sending');
reset enable_hashjoin;
reset enable_mergejoin;
reset enable_material;
select is((select count(*)::int from public.claim_email_outbox(100)), 45, 'the rest are claimed next');
select is((select count(*)::int from public.claim_email_outbox(100)), 0, 'and nothing is claimed twice');
select tests.clear_authentication();

select * from finish();
rollback;
