-- Learning analytics with exact numbers: per-domain performance, weak areas, readiness weighted by
-- the domain weights (60/40 on the test exam), recommendations, weekly trend and daily activity in
-- the learner's time zone, and the instructor's cohort view; who may read whose analytics.
begin;
select plan(34);

select tests.create_actors();
select tests.create_test_exam(10);
select tests.freeze_time('2026-06-10 16:00:00+00');

-- learner A: domain 1.0 9/10 (90%), domain 2.0 4/10 (40%).
select tests.authenticate_as('learner_a');
select set_config('test.a1', public.start_quiz('test-exam', 10, array['1.0']) ->> 'attempt_id', true);
select public.submit_quiz(current_setting('test.a1')::uuid, tests.answer_sheet(current_setting('test.a1')::uuid, 9));
select set_config('test.a2', public.start_quiz('test-exam', 10, array['2.0']) ->> 'attempt_id', true);
select public.submit_quiz(current_setting('test.a2')::uuid, tests.answer_sheet(current_setting('test.a2')::uuid, 4));

-- ---------------------------------------------------------------------------
-- learner A's own analytics
-- ---------------------------------------------------------------------------
select results_eq($$ select domain_code, answered, correct, accuracy from public.get_domain_performance('test-exam') $$,
  $$ values ('1.0', 10::bigint, 9::bigint, 90.0::numeric), ('2.0', 10::bigint, 4::bigint, 40.0::numeric) $$,
  'per-domain performance: 1.0 at 90%, 2.0 at 40%');
select results_eq($$ select domain_code, accuracy, priority from public.get_weak_areas('test-exam') $$,
  $$ values ('2.0', 40.0::numeric, 'high') $$, 'weak areas: 2.0 (below 50%: high priority)');
select is(public.get_exam_readiness('test-exam') - 'domains',
  '{"exam_id": "test-exam", "score": 35.0, "coverage_percent": 50.0, "questions_answered": 20, "passing_percent": 75.00,
    "ready": false, "message": "More practice needed"}'::jsonb,
  'readiness = (60 x 90 x 0.5 + 40 x 40 x 0.5) / 100 = 35.0: weighted by domain weights, half confidence at 10 of 20 answers');
select is(public.get_study_recommendations('test-exam') - 'suggested_actions' - 'overall_readiness',
  '{"exam_id": "test-exam", "focus_domains": ["2.0"], "practice_more": [], "doing_well": ["1.0"], "not_enough_data": []}'::jsonb,
  'recommendations sort domains into focus / practice more / doing well');
select matches(public.get_study_recommendations('test-exam') -> 'suggested_actions' ->> 0, '^Focus on 2\.0 Test Domain Two: 40\.0% over 10 answers',
  'the first suggested action targets the weakest domain concretely');
select is(public.get_study_recommendations('test-exam') -> 'overall_readiness' ->> 'score', '35.0', 'and carries the readiness');
select is((public.get_study_recommendations('security') -> 'not_enough_data' ->> 0), '4.0',
  'with no data, the heaviest domain (4.0, 28%) is suggested first');
select is(jsonb_array_length(public.get_study_recommendations('security') -> 'suggested_actions'), 5, 'at most five actions');
select is(public.get_exam_readiness('security') ->> 'message', 'No data yet: take a quiz to measure your readiness',
  'readiness without data says so');

select is((select count(*)::int from public.get_accuracy_trend('test-exam', 12)), 12, 'the weekly trend lists every one of 12 weeks');
select is((select (week_start, quizzes, questions_answered, correct_answers, accuracy) from public.get_accuracy_trend('test-exam', 12)
           order by week_start desc limit 1),
  row('2026-06-08'::date, 2::bigint, 20::bigint, 13::bigint, 65.0::numeric), 'this week (from Monday 8 June): 2 quizzes, 13/20, 65%');
select is((select count(*)::int from public.get_daily_activity(30)), 30, 'daily activity lists 30 local days');
select is((select (quizzes, questions_answered, correct_answers) from public.get_daily_activity(30) where day = '2026-06-10'),
  row(2::bigint, 20::bigint, 13::bigint), 'today (10 June in New York): 2 quizzes, 20 answers, 13 correct');
select is((select xp_earned from public.get_daily_activity(30) where day = '2026-06-10'),
  (select xp from public.profiles where id = auth.uid()), 'and all of today''s XP');
select throws_ok($$ select * from public.get_daily_activity(0) $$, '22023', null, 'p_days is 1-366');
select throws_ok($$ select * from public.get_domain_performance('nope') $$, 'PT404', null, 'an unknown exam is not found');

-- Activity late in the evening belongs to the learner's local day.
select tests.freeze_time('2026-06-11 02:30:00+00');
select set_config('test.a3', public.start_quiz('test-exam', 2, array['1.0']) ->> 'attempt_id', true);
select public.submit_quiz(current_setting('test.a3')::uuid, tests.answer_sheet(current_setting('test.a3')::uuid, 2));
select is((select quizzes from public.get_daily_activity(2) where day = '2026-06-10'), 3::bigint,
  'a quiz at 22:30 in New York (02:30 UTC on the 11th) counts on the 10th');

-- ---------------------------------------------------------------------------
-- Who may read whose analytics
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_b');
select throws_ok(format($$ select * from public.get_domain_performance('test-exam', %L) $$, tests.get_user_id('learner_a')), '42501', null,
  'learner B cannot read learner A''s analytics');
select throws_ok(format($$ select public.get_exam_readiness('test-exam', %L) $$, tests.get_user_id('learner_a')), '42501', null,
  'nor their readiness');
select is((select sum(answered)::int from public.get_domain_performance('test-exam')), 0, 'learner B sees their own (empty) analytics');
select throws_ok($$ select * from public.get_cohort_overview(tests.org_id('org-one')) $$, '42501', null, 'learners have no cohort view');

select tests.authenticate_as('instructor_1');
select is((select accuracy from public.get_domain_performance('test-exam', tests.get_user_id('learner_a')) where domain_code = '2.0'), 40.0,
  'the instructor of org 1 reads learner A''s analytics');
select set_eq($$ select username from public.get_cohort_overview(tests.org_id('org-one')) $$, array['learner_a', 'learner_b'],
  'the cohort view lists org 1''s learners (not its staff)');
select is((select (at_risk, risk_reasons) from public.get_cohort_overview(tests.org_id('org-one')) where username = 'learner_b'),
  row(true, array['never_started']), 'learner B, who never practised, is at risk');
select is((select (at_risk, quizzes_last_30_days, accuracy_last_30_days) from public.get_cohort_overview(tests.org_id('org-one')) where username = 'learner_a'),
  row(false, 3::bigint, 68.2::numeric), 'learner A is active: 3 quizzes, 15/22 = 68.2%');
select is((select readiness from public.get_cohort_overview(tests.org_id('org-one'), null, 'test-exam') where username = 'learner_a'),
  (public.get_exam_readiness('test-exam', tests.get_user_id('learner_a')) ->> 'score')::numeric,
  'with an exam, the cohort view shows each learner''s readiness');
insert into public.teams (organization_id, name) values (tests.org_id('org-one'), 'Evening cohort');
insert into public.team_members (team_id, organization_id, user_id)
select id, organization_id, tests.get_user_id('learner_a') from public.teams where name = 'Evening cohort';
select results_eq($$ select username from public.get_cohort_overview(tests.org_id('org-one'), (select id from public.teams where name = 'Evening cohort')) $$,
  array['learner_a'], 'the cohort view narrows to one team');

select tests.clear_authentication();
select tests.freeze_time('2026-06-25 12:00:00+00');
select tests.authenticate_as('instructor_1');
select is((select risk_reasons from public.get_cohort_overview(tests.org_id('org-one')) where username = 'learner_a'),
  array['inactive_7_days'], 'two weeks later learner A is flagged inactive');

select tests.authenticate_as('admin_2');
select throws_ok($$ select * from public.get_cohort_overview(tests.org_id('org-one')) $$, '42501', null,
  'the admin of org 2 has no view of org 1''s cohort');
select throws_ok(format($$ select * from public.get_weak_areas('test-exam', %L) $$, tests.get_user_id('learner_a')), '42501', null,
  'nor of its learners');

select tests.authenticate_as('platform_admin');
select is((select count(*)::int from public.get_cohort_overview(tests.org_id('org-one'))), 2, 'the platform admin sees any cohort');

select tests.authenticate_as_service_role();
select is((select accuracy from public.get_domain_performance('test-exam', tests.get_user_id('learner_a')) where domain_code = '1.0'), 91.7,
  'service_role reads any learner''s analytics with p_user');
select throws_ok($$ select * from public.get_domain_performance('test-exam') $$, '42501', null, 'service_role must name the learner');

select tests.authenticate_as_anon();
select throws_ok($$ select * from public.get_domain_performance('test-exam') $$, '42501', null, 'anon has no analytics');

select * from finish();
rollback;
