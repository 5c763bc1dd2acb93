-- Live leaderboards: privacy and access. The live tables and their helpers are out of reach of
-- every API role; opting out, leaving an organisation and account erasure take a learner off
-- every board at commit (totals and ranks of the others follow); profile visibility still masks
-- entries; a learner cannot push a score or announce through the dirty-learner mechanism; and
-- the commit path announces changed boards on the private topic at most once a second.
begin;
select plan(25);

set constraints public.xp_events_leaderboard_sync, public.quiz_attempts_leaderboard_sync,
  public.quiz_attempts_leaderboard_sync_delete, public.learner_exam_stats_leaderboard_sync,
  public.organization_members_leaderboard_sync, public.profiles_leaderboard_sync immediate;

select tests.create_actors();
select tests.create_test_exam(50);
update public.achievements set is_active = false;
select tests.freeze_time('2026-06-10 12:00:00+00');
select tests.take_quiz('learner_a', 10, 10);
select tests.take_quiz('learner_b', 10, 8);
select tests.take_quiz('learner_d', 10, 5);
select tests.clear_authentication();

-- ---------------------------------------------------------------------------
-- Out of reach of API roles
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select throws_ok($$ select * from private.leaderboard_scores $$, '42501', null, 'a learner cannot read the live scores');
select throws_ok($$ select * from private.leaderboard_histogram $$, '42501', null, 'nor the histogram');
select throws_ok($$ select * from private.leaderboard_full_scores $$, '42501', null, 'nor the full recomputation');
select throws_ok($$ update private.leaderboard_scores set score = 1e9 $$, '42501', null, 'nor write a score');
select throws_ok($$ select private.leaderboard_sync(array[auth.uid()]) $$, '42501', null, 'nor call the sync');
select tests.authenticate_as_anon();
select throws_ok($$ select public.get_leaderboard('xp') $$, '42501', null, 'anon reads no leaderboard');
select tests.clear_authentication();

select is_empty($$
  select p.oid::regprocedure::text from pg_proc p
  where p.pronamespace = 'private'::regnamespace
    and (p.proname like '%leaderboard%' or p.proname in ('purge_leaderboard_periods'))
    and (has_function_privilege('anon', p.oid, 'execute') or has_function_privilege('authenticated', p.oid, 'execute')
         or has_function_privilege('service_role', p.oid, 'execute'))
$$, 'no API role executes a private leaderboard function');
select is_empty($$
  select c.relname from pg_class c
  where c.relnamespace = 'private'::regnamespace and c.relname like 'leaderboard%' and c.relkind in ('r', 'v')
    and (has_table_privilege('anon', c.oid, 'select') or has_table_privilege('authenticated', c.oid, 'select')
         or has_table_privilege('service_role', c.oid, 'select'))
$$, 'no API role selects a leaderboard table or view');
select ok((select bool_and(c.relrowsecurity) from pg_class c
           where c.relnamespace = 'private'::regnamespace and c.relkind = 'r' and c.relname like 'leaderboard%'),
  'every leaderboard table has row-level security enabled (and no policy)');

-- ---------------------------------------------------------------------------
-- Opt-out at commit: off every board, totals and ranks follow
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_d');
select is((public.get_leaderboard('xp') -> 'current_user_entry' ->> 'rank')::int, 3, 'learner D is third on the XP board');
select tests.authenticate_as('learner_a');
update public.profiles set show_on_leaderboards = false where id = auth.uid();
select tests.clear_authentication();
select is_empty($$ select 1 from private.leaderboard_scores where user_id = tests.get_user_id('learner_a') $$,
  'learner A opts out: no row left on any board, global or organisation');
select tests.authenticate_as('learner_a');
select is(public.get_leaderboard('xp') -> 'current_user_opted_out', 'true'::jsonb, 'and is told so');
select tests.authenticate_as('learner_d');
select is((public.get_leaderboard('xp') -> 'current_user_entry' ->> 'rank')::int, 2, 'learner D moves up at once');
select is((public.get_leaderboard('xp') ->> 'total')::int, 2, 'and the total counts two learners');
select tests.authenticate_as('learner_a');
update public.profiles set show_on_leaderboards = true where id = auth.uid();
select is((public.get_leaderboard('xp') -> 'current_user_entry' ->> 'rank')::int, 1, 'opting back in restores learner A at once');

-- ---------------------------------------------------------------------------
-- Organisation membership
-- ---------------------------------------------------------------------------
select tests.clear_authentication();
delete from public.organization_members where user_id = tests.get_user_id('learner_b') and organization_id = tests.org_id('org-one');
select tests.authenticate_as('learner_a');
select is((public.get_leaderboard('xp', p_organization => tests.org_id('org-one')) ->> 'total')::int, 1,
  'a learner who leaves an organisation leaves its boards at commit');
select tests.clear_authentication();
insert into public.organization_members (organization_id, user_id, role)
values (tests.org_id('org-one'), tests.get_user_id('learner_d'), 'learner');
select tests.authenticate_as('learner_d');
select is((public.get_leaderboard('xp', p_organization => tests.org_id('org-one')) -> 'current_user_entry' ->> 'rank')::int, 2,
  'one who joins is ranked on its boards at once');

-- ---------------------------------------------------------------------------
-- Visibility still masks entries
-- ---------------------------------------------------------------------------
select tests.clear_authentication();
update public.profiles set profile_visibility = 'private' where id = tests.get_user_id('learner_b');
select tests.authenticate_as('learner_d');
select results_eq($$ select e ->> 'display_name', (e ->> 'anonymous')::boolean from jsonb_array_elements(public.get_leaderboard('xp') -> 'entries') e
                     where e ->> 'username' is null $$,
  $$ values ('Anonymous learner', true) $$, 'a private profile shows as an anonymous learner to others');
select is((select count(*)::int from jsonb_array_elements(public.get_leaderboard('xp') -> 'entries') e
           where e ->> 'user_id' = tests.get_user_id('learner_b')::text), 0, 'without its user id');

-- ---------------------------------------------------------------------------
-- The dirty-learner list is not a lever
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_d');
select set_config('ascend.leaderboard_dirty', tests.get_user_id('learner_b')::text || ',' || tests.get_user_id('learner_d')::text || ',', true);
select tests.clear_authentication();
select private.leaderboard_flush(false);
select is_empty($$
  select s.user_id, s.scope, s.board, s.period, s.exam_id, s.score from private.leaderboard_scores s where s.period_start = private.period_start(s.period)
  except
  select f.user_id, f.scope, f.board, f.period, f.exam_id, f.score from private.leaderboard_full_scores f
$$, 'a learner naming others as dirty only makes the boards recompute the truth');

-- ---------------------------------------------------------------------------
-- Announcements from the commit path: private topic, throttled
-- ---------------------------------------------------------------------------
delete from realtime.messages where topic = 'leaderboards';
update private.leaderboard_announcements set announced_at = '-infinity';
select tests.take_quiz('learner_b', 10, 10);
select tests.clear_authentication();
select is((select count(*)::int from realtime.messages where topic = 'leaderboards' and event = 'leaderboard_changed' and private), 1,
  'a submission announces the changed boards on the private topic leaderboards');
select ok((select payload -> 'boards' @> '[{"board": "xp", "period": "weekly"}, {"board": "exam", "period": "all_time", "exam_id": "test-exam"}]'
                  and payload ? 'refreshed_at'
           from realtime.messages where topic = 'leaderboards' order by inserted_at desc limit 1),
  'with the payload the app reads: {boards: [{board, period, exam_id}], refreshed_at}');
-- The throttle compares with the wall clock (clock_timestamp): a slow machine could let a second
-- pass between the two submissions, so the first announcement is dated a minute ahead.
update private.leaderboard_announcements set announced_at = clock_timestamp() + interval '1 minute';
select tests.take_quiz('learner_d', 10, 10);
select tests.clear_authentication();
select is((select count(*)::int from realtime.messages where topic = 'leaderboards'), 1,
  'a second submission within the second is not announced on its own');
select ok((private.refresh_leaderboards() -> 'changed') @> '[{"board": "xp", "period": "all_time"}]',
  'the minute job announces what is left');
select is((select count(*)::int from realtime.messages where topic = 'leaderboards'), 2, 'in one more message');

select * from finish();
rollback;
