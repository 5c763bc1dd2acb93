-- XP and levels with exact numbers: 10 XP per correct answer, +10% from 70%, +25% from 80%,
-- +50% from 90%, floored; level = floor(sqrt(xp / 100)) + 1 with boundaries at 100, 400, 900 XP;
-- the ledger is append-only and is the only source of profile XP.
begin;
select plan(44);

select tests.create_actors();
-- 100 questions: every quiz below draws questions never answered correctly before (full XP).
select tests.create_test_exam(50);
-- Achievement rewards are tested in their own file; here XP must come from quizzes alone.
update public.achievements set is_active = false;

-- ---------------------------------------------------------------------------
-- The level formula
-- ---------------------------------------------------------------------------
select results_eq($$ select private.level_for_xp(x) from unnest(array[0, 99, 100, 399, 400, 899, 900, 1599, 1600, 10000]::bigint[]) x $$,
  array[1, 1, 2, 2, 3, 3, 4, 4, 5, 11], 'level = floor(sqrt(xp / 100)) + 1: boundaries at 100, 400, 900, 1600');
select results_eq($$ select public.xp_for_level(l) from unnest(array[1, 2, 3, 4, 5]) l $$,
  array[0, 100, 400, 900, 1600]::bigint[], 'xp_for_level gives the XP at which each level starts');

-- ---------------------------------------------------------------------------
-- Accuracy bonus thresholds (10-question quizzes)
-- ---------------------------------------------------------------------------
select is((tests.take_quiz('learner_a', 10, 6) ->> 'xp_earned')::int, 60, '6/10 (60%): 60 XP, no bonus');
select is((tests.take_quiz('learner_a', 10, 7) ->> 'xp_earned')::int, 77, '7/10 (70%): 70 + 10% = 77 XP');
select is((tests.take_quiz('learner_a', 10, 8) ->> 'xp_earned')::int, 100, '8/10 (80%): 80 + 25% = 100 XP');
select is((tests.take_quiz('learner_a', 10, 9) ->> 'xp_earned')::int, 135, '9/10 (90%): 90 + 50% = 135 XP');
select is((tests.take_quiz('learner_a', 10, 10) ->> 'xp_earned')::int, 150, '10/10 (100%): 100 + 50% = 150 XP');
select is((tests.take_quiz('learner_a', 10, 0) ->> 'xp_earned')::int, 0, '0/10: no XP');

-- Just under and at each threshold, with 20 questions; fractional bonuses are floored.
select is((tests.take_quiz('learner_b', 20, 13) ->> 'xp_earned')::int, 130, '13/20 (65%): 130 XP');
select is((tests.take_quiz('learner_b', 20, 14) ->> 'xp_earned')::int, 154, '14/20 (70%): 140 + 14 = 154 XP');
select is((tests.take_quiz('learner_b', 20, 15) ->> 'xp_earned')::int, 165, '15/20 (75%): 150 + 10% = 165 XP');
select is((tests.take_quiz('learner_b', 20, 17) ->> 'xp_earned')::int, 212, '17/20 (85%): 170 + 42.5 floored = 212 XP');
select is((tests.take_quiz('learner_b', 20, 19) ->> 'xp_earned')::int, 285, '19/20 (95%): 190 + 95 = 285 XP');
select is((select xp from public.profiles where id = tests.get_user_id('learner_b')), 946::bigint,
  'learner B''s XP is the sum of the five quizzes (130 + 154 + 165 + 212 + 285)');
select is((select level from public.profiles where id = tests.get_user_id('learner_b')), 4, '946 XP is level 4');

select tests.clear_authentication();
select results_eq($$ select source::text, amount from public.xp_events e
                     join public.quiz_attempts a on a.id = e.attempt_id
                     where a.user_id = tests.get_user_id('learner_a') and a.correct_count = 9 order by e.id $$,
  $$ values ('quiz', 90), ('accuracy_bonus', 45) $$, 'the ledger records the base XP and the bonus separately');
select is((select xp from public.profiles where id = tests.get_user_id('learner_a')),
          (select sum(amount) from public.xp_events where user_id = tests.get_user_id('learner_a')),
  'profile XP equals the sum of the ledger');
select is((select (quizzes_completed, questions_answered, correct_answers, perfect_quizzes, high_score_quizzes)
           from public.profiles where id = tests.get_user_id('learner_a')),
          row(6, 60, 40, 1, 2), 'counters: 6 quizzes, 60 answered, 40 correct, 1 perfect, 2 at 90%+');
select is((select (quizzes_completed, correct_answers, xp_earned, best_score) from public.learner_exam_stats
           where user_id = tests.get_user_id('learner_a') and exam_id = 'test-exam'),
          row(6, 40, 522::bigint, 100.00::numeric(5, 2)), 'per-exam stats follow');

-- ---------------------------------------------------------------------------
-- Level boundaries through the ledger (admin adjustments)
-- ---------------------------------------------------------------------------
select tests.authenticate_as('platform_admin');
select is((public.admin_adjust_xp(tests.get_user_id('learner_d'), 99, 'calibration') ->> 'level')::int, 1, '99 XP: level 1');
select is(public.admin_adjust_xp(tests.get_user_id('learner_d'), 1, 'calibration') - 'achievements_unlocked' - 'user_id',
          '{"level": 2, "total_xp": 100, "level_up": true, "previous_level": 1}'::jsonb, '100 XP: level 2, a level up');
select is((public.admin_adjust_xp(tests.get_user_id('learner_d'), 299, 'calibration') ->> 'level')::int, 2, '399 XP: still level 2');
select is((public.admin_adjust_xp(tests.get_user_id('learner_d'), 1, 'calibration') ->> 'level')::int, 3, '400 XP: level 3');
select is((public.admin_adjust_xp(tests.get_user_id('learner_d'), 499, 'calibration') ->> 'level')::int, 3, '899 XP: still level 3');
select is((public.admin_adjust_xp(tests.get_user_id('learner_d'), 1, 'calibration') ->> 'level')::int, 4, '900 XP: level 4');
select is(public.admin_adjust_xp(tests.get_user_id('learner_d'), -1, 'correction') - 'achievements_unlocked' - 'user_id',
          '{"level": 3, "total_xp": 899, "level_up": false, "previous_level": 4}'::jsonb, 'taking 1 XP back goes down to level 3');
select throws_ok($$ select public.admin_adjust_xp(tests.get_user_id('learner_d'), -900, 'too much') $$, '22023', null,
  'XP never goes negative');
select throws_ok($$ select public.admin_adjust_xp(tests.get_user_id('learner_d'), 0, 'nothing') $$, '22023', null, 'a zero adjustment is refused');
select throws_ok($$ select public.admin_adjust_xp(tests.get_user_id('learner_d'), 5, '') $$, '22023', null, 'an adjustment needs a reason');
select throws_ok($$ select public.admin_adjust_xp(gen_random_uuid(), 5, 'ghost') $$, 'PT404', null, 'an unknown learner is not found');

-- A quiz that crosses a level boundary.
select tests.clear_authentication();
select tests.create_user('learner_e', null, '{}', '{"username": "learner_e"}');
select tests.authenticate_as('platform_admin');
select public.admin_adjust_xp(tests.get_user_id('learner_e'), 395, 'head start');
select is(tests.take_quiz('learner_e', 10, 1) - array['quiz_attempt_id', 'exam_id', 'mode', 'streak', 'results', 'submitted_at',
                                                      'time_taken_seconds', 'xp_breakdown', 'next_level_xp', 'auto_submitted', 'late_submission',
                                                      'organization_id', 'counts_as_completed_quiz'],
          '{"score": 1, "total_questions": 10, "score_percentage": 10.00, "xp_earned": 10, "total_xp": 405, "level": 3,
            "current_level": 3, "previous_level": 2, "level_up": true, "achievements_unlocked": []}'::jsonb,
  '395 + 10 XP: the response reports total 405, level 3, previous level 2, level up');

-- ---------------------------------------------------------------------------
-- Nobody writes XP directly
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select throws_ok($$ insert into public.xp_events (user_id, amount, source) values (auth.uid(), 1000, 'quiz') $$, '42501', null,
  'learner A cannot write the ledger');
select throws_ok($$ update public.profiles set xp = 1000000 where id = auth.uid() $$, '42501', null, 'learner A cannot write their XP');
select throws_ok($$ select public.admin_adjust_xp(auth.uid(), 1000, 'self-service') $$, '42501', null, 'learners cannot adjust XP');
select is((select count(*)::int from public.xp_events), (select count(*)::int from public.xp_events where user_id = auth.uid()),
  'learner A reads only their own ledger');
select tests.authenticate_as('learner_b');
select is_empty($$ select id from public.xp_events where user_id = tests.get_user_id('learner_a') $$, 'learner B cannot read learner A''s ledger');
select tests.authenticate_as('instructor_1');
select isnt_empty($$ select id from public.xp_events where user_id = tests.get_user_id('learner_a') $$, 'the instructor of org 1 reads it');
select tests.authenticate_as('admin_2');
select is_empty($$ select id from public.xp_events where user_id = tests.get_user_id('learner_a') $$, 'the admin of org 2 does not');
select throws_ok($$ select public.admin_adjust_xp(tests.get_user_id('learner_d'), 10, 'my learner') $$, '42501', null,
  'organisation admins cannot adjust XP either');
select tests.authenticate_as_service_role();
select throws_ok($$ insert into public.xp_events (user_id, amount, source) values (tests.get_user_id('learner_a'), 1, 'quiz') $$, '42501', null,
  'service_role cannot write the ledger directly');
select lives_ok($$ select public.admin_adjust_xp(tests.get_user_id('learner_d'), 1, 'backend grant') $$,
  'service_role adjusts XP through admin_adjust_xp, which appends to the ledger');

select tests.clear_authentication();
select throws_ok($$ update public.xp_events set amount = 1 where user_id = tests.get_user_id('learner_a') $$, '42501', null,
  'even the database owner cannot change a ledger row');
select throws_ok($$ delete from public.xp_events where user_id = tests.get_user_id('learner_a') $$, '42501', null,
  'or delete one');
select lives_ok($$ delete from auth.users where id = tests.get_user_id('learner_e') $$,
  'deleting a learner still removes their ledger with them');

select * from finish();
rollback;
