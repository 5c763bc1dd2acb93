-- Memories: private to their learner, full-text search ranked by importance, expiry; and the
-- retention jobs (expired memories purged, raw analytics past 730 days folded into daily counts).
begin;
select plan(38);

select tests.create_actors();

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
-- learner_a
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select lives_ok($$
  insert into public.memories (content, category, importance, source) values
    ('Struggles with subnetting: confuses /26 and /27 masks', 'weakness', 0.9, 'ai_trainer'),
    ('Prefers short explanations with one worked subnet example', 'preference', 0.4, 'learner'),
    ('Wants to pass Security+ before March', 'goal', 0.8, 'learner')
$$, 'learner_a (and the AI trainer with their token) writes memories');
select lives_ok($$ insert into public.memories (content, category, expires_at) values ('Old subnet note', 'weakness', now() - interval '1 day') $$,
  'a memory may be written already expired');
select is((select count(*)::int from public.memories), 3, 'an expired memory is not read back');
select ok((select bool_and(expires_at between now() + interval '364 days' and now() + interval '366 days') from public.memories),
  'memories expire a year after writing by default (seed 004: 365 days)');
select throws_ok($$ insert into public.memories (content, category) values ('x', 'Not A Category') $$, '23514', null, 'categories are lower-case words');
select throws_ok($$ insert into public.memories (content, importance) values ('x', 1.5) $$, '23514', null, 'importance is 0 to 1');
select throws_ok($$ insert into public.memories (content, source) values ('x', 'hacker') $$, '23514', null, 'source is learner, ai_trainer or system');
select throws_ok(format($$ insert into public.memories (user_id, content) values (%L, 'planted') $$, tests.get_user_id('learner_b')),
  '42501', null, 'learner_a cannot write a memory for learner_b');

select results_eq($$ select category from public.search_memories('subnet') $$, array['weakness', 'preference'],
  'full-text search finds both subnet memories (stemmed), the important one first, not the expired one');
select results_eq($$ select category from public.search_memories('subnetting masks') $$, array['weakness'], 'all words must match');
select results_eq($$ select category from public.search_memories(null, 'goal') $$, array['goal'], 'a category alone lists that category');
select results_eq($$ select count(*)::int from public.search_memories() $$, array[3], 'no query lists every live memory');
select is((select access_count from public.memories where category = 'weakness'), 3, 'each time a search returns a memory counts as an access');
select is(tests.affected($$ update public.memories set importance = 0.2 where category = 'goal' $$), 1, 'learner_a edits a memory');
select throws_ok($$ update public.memories set access_count = 0 $$, '42501', null, 'but not its access counter');
select is(tests.affected($$ delete from public.memories where category = 'preference' $$), 1, 'learner_a deletes a memory');

-- ---------------------------------------------------------------------------
-- Everybody else
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_b');
select is_empty($$ select 1 from public.memories $$, 'learner_b reads none of learner_a''s memories');
select is_empty($$ select * from public.search_memories('subnet') $$, 'nor finds them by search');
select is(tests.affected($$ update public.memories set content = 'hijacked' $$), 0, 'nor edits them');
select is(tests.affected($$ delete from public.memories $$), 0, 'nor deletes them');

select tests.authenticate_as('instructor_1');
select is_empty($$ select 1 from public.memories $$, 'instructor_1 reads no learner''s memories');
select tests.authenticate_as('admin_1');
select is_empty($$ select 1 from public.memories $$, 'admin_1 neither');
select tests.authenticate_as('admin_2');
select is_empty($$ select 1 from public.memories $$, 'admin_2 neither');
select tests.authenticate_as('platform_admin');
select is_empty($$ select 1 from public.memories $$, 'platform admins neither: memories are private');
select is(tests.affected($$ delete from public.memories $$), 0, 'and delete none');

select tests.authenticate_as_anon();
select throws_ok($$ select 1 from public.memories $$, '42501', null, 'anon cannot read memories');
select throws_ok($$ select * from public.search_memories('subnet') $$, '42501', null, 'nor search them');

select tests.authenticate_as_service_role();
select is((select count(*)::int from public.memories), 3, 'service_role reads every memory, expired ones included');
select throws_ok($$ select * from public.search_memories('subnet') $$, '42501', null, 'search is a signed-in learner''s');

-- ---------------------------------------------------------------------------
-- Retention jobs
-- ---------------------------------------------------------------------------
select tests.clear_authentication();
select is(private.purge_expired_memories(), 1, 'the purge job deletes the expired memory');
select is((select count(*)::int from public.memories), 2, 'and only it');
select tests.freeze_time(now() + interval '366 days');
select is(private.purge_expired_memories(), 2, 'a year later the others have expired too');
select tests.unfreeze_time();

insert into private.memory_access_events (user_id, memory_id, accessed_at)
select tests.get_user_id('learner_b'), null, t
from (values ('2023-01-10 08:00+00'::timestamptz), ('2023-01-10 20:00+00'), ('2023-01-11 09:00+00'), (now() - interval '10 days')) v(t);
insert into cron.job_run_details (jobid, runid, command, status, start_time, end_time)
values (1, -1, 'select 1', 'succeeded', '2025-11-01 00:00+00', '2025-11-01 00:00:01+00');
select tests.freeze_time('2026-01-01 00:00:00+00');
select is(private.apply_analytics_retention() ->> 'memory_access_events_folded', '3',
  'raw access events older than 730 days are folded');
select is((select count(*)::int from cron.job_run_details where end_time < '2025-12-02'), 0, 'pg_cron run details older than 30 days are deleted');
select results_eq($$ select day, accesses from private.memory_access_daily where user_id = tests.get_user_id('learner_b') order by day $$,
  $$ values ('2023-01-10'::date, 2), ('2023-01-11'::date, 1) $$, 'into daily counts');
select is((select count(*)::int from private.memory_access_events where user_id = tests.get_user_id('learner_b')), 1,
  'and deleted; recent events stay raw');
select results_eq($$ select jobname::text collate "default", command collate "default" from cron.job where jobname in ('ascend-purge-expired-memories', 'ascend-analytics-retention') order by 1 $$,
  $$ values ('ascend-analytics-retention', 'select private.apply_analytics_retention()'),
            ('ascend-purge-expired-memories', 'select private.purge_expired_memories()') $$,
  'both retention jobs are scheduled under stable names');
select ok(not has_table_privilege('authenticated', 'private.memory_access_events', 'select')
          and not has_table_privilege('service_role', 'private.memory_access_daily', 'select'),
  'raw and folded analytics are not readable by API roles');

select * from finish();
rollback;
