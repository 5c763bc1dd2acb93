-- Leaderboards: materialized views refreshed by one function (as pg_cron calls it), one RPC
-- returning a page, the total and the caller's own entry; periods (calendar weeks and months in
-- UTC), boards, organisations, opt-out, and the realtime announcement of changed boards.
begin;
select plan(43);

select tests.create_actors();
-- 100 questions: every quiz below draws questions never answered correctly before (full XP).
select tests.create_test_exam(50);
update public.achievements set is_active = false;

-- learner B: 150 XP in May, 50 in June. learner A: 150 in June. learner D: 10 perfect quizzes of 3
-- questions on the 9th and 10th of June (450 XP, streak 2). The outsider (60 XP) opted out.
select tests.freeze_time('2026-05-20 12:00:00+00');
select tests.take_quiz('learner_b', 10, 10);
select tests.freeze_time('2026-06-09 12:00:00+00');
select tests.take_quiz('learner_d', 3, 3) from generate_series(1, 5);
select tests.freeze_time('2026-06-10 12:00:00+00');
select tests.take_quiz('learner_d', 3, 3) from generate_series(1, 5);
select tests.take_quiz('learner_a', 10, 10);
select tests.take_quiz('learner_b', 10, 5);
select tests.take_quiz('outsider', 10, 6);
update public.profiles set show_on_leaderboards = false where id = auth.uid();
select tests.clear_authentication();

select ok((private.refresh_leaderboards() -> 'changed') @> '[{"board": "xp", "period": "all_time"}]', 'the refresh job reports the xp board as changed');
select is((select count(*)::int from realtime.messages where topic = 'leaderboards' and event = 'leaderboard_changed' and private), 1,
  'and announces it with realtime.send on the private topic leaderboards');
select ok((select payload -> 'boards' @> '[{"board": "exam", "period": "weekly", "exam_id": "test-exam"}]'
           from realtime.messages where topic = 'leaderboards' order by inserted_at desc limit 1),
  'the payload says which boards changed');

-- ---------------------------------------------------------------------------
-- anon and refusals
-- ---------------------------------------------------------------------------
select tests.authenticate_as_anon();
select throws_ok($$ select public.get_leaderboard('xp') $$, '42501', null, 'anon cannot read leaderboards');
select tests.authenticate_as('learner_a');
select throws_ok($$ select * from private.leaderboard_xp $$, '42501', null, 'the materialized views are not readable by API roles');
select throws_ok($$ select public.get_leaderboard('exam') $$, '22023', null, 'the exam board needs an exam');
select throws_ok($$ select public.get_leaderboard('xp', 'all_time', 'test-exam') $$, '22023', null, 'only the exam board takes an exam');
select throws_ok($$ select public.get_leaderboard('streak', 'monthly') $$, '22023', null, 'the streak board is all_time only');
select throws_ok($$ select public.get_leaderboard('xp', p_limit => 0) $$, '22023', null, 'a page holds 1 to 100 entries');
select throws_ok($$ select public.get_leaderboard('xp', p_limit => 101) $$, '22023', null, 'not more than 100');
select throws_ok($$ select public.get_leaderboard('xp', p_organization => tests.org_id('org-two')) $$, '42501', null,
  'learner A cannot read the board of an organisation they are not in');
select throws_ok($$ select public.refresh_leaderboards() $$, '42501', null, 'learners cannot force a refresh');

-- ---------------------------------------------------------------------------
-- XP board: page, total, caller's entry
-- ---------------------------------------------------------------------------
select set_config('test.lb', public.get_leaderboard('xp', 'all_time', p_limit => 1)::text, true);
select is((current_setting('test.lb')::jsonb ->> 'total')::int, 3, 'all-time XP board: 3 learners (the opted-out one is not counted)');
select is((select jsonb_agg(e ->> 'username') from jsonb_array_elements(current_setting('test.lb')::jsonb -> 'entries') e),
  '["learner_d"]'::jsonb, 'a page of 1: the leader, learner D');
select is((current_setting('test.lb')::jsonb -> 'current_user_entry') - 'user_id'::text - 'avatar_url'::text - 'display_name'::text,
  '{"rank": 3, "position": 3, "username": "learner_a", "level": 2, "score": 150, "is_current_user": true}'::jsonb,
  'the caller''s own entry comes with the page even outside it (rank 3, 150 XP)');
select results_eq($$ select e ->> 'username', (e ->> 'rank')::int, (e ->> 'score')::int
                     from jsonb_array_elements(public.get_leaderboard('xp') -> 'entries') e $$,
  $$ values ('learner_d', 1, 450), ('learner_b', 2, 200), ('learner_a', 3, 150) $$, 'all-time ranking by total XP');
select results_eq($$ select e ->> 'username', (e ->> 'score')::int from jsonb_array_elements(public.get_leaderboard('xp', 'monthly') -> 'entries') e $$,
  $$ values ('learner_d', 450), ('learner_a', 150), ('learner_b', 50) $$, 'monthly: only June''s XP counts');
select results_eq($$ select e ->> 'username', (e ->> 'score')::int from jsonb_array_elements(public.get_leaderboard('xp', 'weekly') -> 'entries') e $$,
  $$ values ('learner_d', 450), ('learner_a', 150), ('learner_b', 50) $$, 'weekly: the week from Monday 8 June');
select results_eq($$ select e ->> 'username' from jsonb_array_elements(public.get_leaderboard('xp', p_offset => 1, p_limit => 1) -> 'entries') e $$,
  array['learner_b'], 'the offset pages through the board');
select is((select count(*)::int from jsonb_array_elements(public.get_leaderboard('xp') -> 'entries') e where (e ->> 'is_current_user')::boolean), 1,
  'the caller is flagged in the page');

-- Organisation boards rank within the organisation.
select results_eq($$ select e ->> 'username', (e ->> 'rank')::int from jsonb_array_elements(
                       public.get_leaderboard('xp', p_organization => tests.org_id('org-one')) -> 'entries') e $$,
  $$ values ('learner_b', 1), ('learner_a', 2) $$, 'org 1''s board ranks only org 1''s members');
select is((public.get_leaderboard('xp', p_organization => tests.org_id('org-one')) ->> 'total')::int, 2, 'with its own total');

-- ---------------------------------------------------------------------------
-- The other boards
-- ---------------------------------------------------------------------------
select results_eq($$ select e ->> 'username', (e ->> 'score')::int from jsonb_array_elements(public.get_leaderboard('quiz_count') -> 'entries') e $$,
  $$ values ('learner_b', 2), ('learner_a', 1) $$,
  'quiz count board: only quizzes of 10+ questions count (learner D''s ten 3-question quizzes do not)');
select is(public.get_leaderboard('accuracy') -> 'entries', '[]'::jsonb,
  'accuracy board: only learners with 10+ quizzes of 10+ questions (learner D''s 3-question quizzes do not count)');
select results_eq($$ select e ->> 'username', (e ->> 'rank')::int, (e ->> 'score')::int
                     from jsonb_array_elements(public.get_leaderboard('streak') -> 'entries') e order by 2, 1 $$,
  $$ values ('learner_d', 1, 2), ('learner_a', 2, 1), ('learner_b', 2, 1) $$, 'streak board: current streaks; ties share a rank');
select results_eq($$ select e ->> 'username', (e ->> 'score')::int from jsonb_array_elements(public.get_leaderboard('exam', 'monthly', 'test-exam') -> 'entries') e $$,
  $$ values ('learner_d', 450), ('learner_a', 150), ('learner_b', 50) $$, 'exam board: quiz XP earned on that exam in the period');
select is(public.get_leaderboard('exam', 'all_time', 'security') -> 'entries', '[]'::jsonb, 'an exam nobody practised has an empty board');

-- ---------------------------------------------------------------------------
-- Opt-out
-- ---------------------------------------------------------------------------
select tests.authenticate_as('outsider');
select is(public.get_leaderboard('xp') -> 'current_user_entry', 'null'::jsonb, 'an opted-out learner has no entry of their own');
select is(public.get_leaderboard('xp') -> 'current_user_opted_out', 'true'::jsonb, 'and is told why');
select tests.authenticate_as('learner_b');
update public.profiles set show_on_leaderboards = false where id = auth.uid();
select tests.authenticate_as('learner_a');
select results_eq($$ select e ->> 'username' from jsonb_array_elements(public.get_leaderboard('xp') -> 'entries') e $$,
  array['learner_d', 'learner_a'], 'a learner who opts out disappears at once, before the next refresh');
select is((select count(*)::int from jsonb_array_elements(public.get_leaderboard('xp', p_organization => tests.org_id('org-one')) -> 'entries')), 1,
  'from organisation boards too');

-- ---------------------------------------------------------------------------
-- Other actors
-- ---------------------------------------------------------------------------
select tests.authenticate_as('admin_2');
select results_eq($$ select e ->> 'username' from jsonb_array_elements(public.get_leaderboard('xp', p_organization => tests.org_id('org-two')) -> 'entries') e $$,
  array['learner_d'], 'the admin of org 2 reads org 2''s board');
select throws_ok($$ select public.get_leaderboard('xp', p_organization => tests.org_id('org-one')) $$, '42501', null,
  'but not org 1''s');
select tests.authenticate_as('instructor_1');
select is(public.get_leaderboard('xp') -> 'current_user_entry', 'null'::jsonb, 'someone without XP has no entry');
select tests.authenticate_as_service_role();
select is((public.get_leaderboard('xp') ->> 'total')::int, 3, 'service_role reads boards');

-- ---------------------------------------------------------------------------
-- On-demand refresh, change detection, periods rolling over
-- ---------------------------------------------------------------------------
select tests.authenticate_as('platform_admin');
select ok((public.refresh_leaderboards() -> 'changed') @> '[{"board": "xp", "period": "all_time"}]',
  'the platform admin refreshes on demand; learner B''s opt-out changed the XP board');
select is(public.refresh_leaderboards() -> 'changed', '[]'::jsonb, 'refreshing again with nothing new reports no change');
select tests.clear_authentication();
select is((select count(*)::int from realtime.messages where topic = 'leaderboards'), 2, 'and announces nothing');
select tests.authenticate_as('learner_a');
select is((public.get_leaderboard('xp') ->> 'total')::int, 2, 'after the refresh the total excludes learner B');
select ok(public.get_leaderboard('xp') ->> 'refreshed_at' is not null, 'each page says when the board was refreshed');

select tests.clear_authentication();
select tests.freeze_time('2026-06-15 00:30:00+00');
select private.refresh_leaderboards();
select tests.authenticate_as('learner_a');
select is(public.get_leaderboard('xp', 'weekly') -> 'entries', '[]'::jsonb, 'a new week (Monday 15 June UTC) starts an empty weekly board');
select is((public.get_leaderboard('xp', 'monthly') ->> 'total')::int, 2, 'while June''s board keeps its entries');
select is((public.get_leaderboard('streak') ->> 'total')::int, 0, 'streaks not kept alive drop off the streak board');

select * from finish();
rollback;
