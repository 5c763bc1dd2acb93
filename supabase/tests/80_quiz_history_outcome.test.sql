-- The history page's filters in the database: each quiz says whether it passed (score >= the
-- exam's passing_percent, 75 on the test exam), p_outcome filters on it and the total follows
-- the filter; a learner reads only their own history, anon none.
begin;
select plan(12);

select tests.create_actors();
select tests.create_test_exam(10);
select tests.freeze_time('2026-06-10 16:00:00+00');

-- learner A: 8/10 (80%, passed), 5/10 (50%, failed), 10/10 (100%, passed).
select tests.take_quiz('learner_a', 10, 8);
select tests.freeze_time('2026-06-11 16:00:00+00');
select tests.take_quiz('learner_a', 10, 5);
select tests.freeze_time('2026-06-12 16:00:00+00');
select tests.take_quiz('learner_a', 10, 10);
-- learner B: one failed quiz of their own.
select tests.take_quiz('learner_b', 10, 2);

select tests.authenticate_as('learner_a');
select is((public.get_quiz_history() ->> 'total')::int, 3, 'no outcome filter: all three of A''s quizzes');
select is((select array_agg((x ->> 'passed')::boolean order by x ->> 'submitted_at')
           from jsonb_array_elements(public.get_quiz_history() -> 'items') x),
  array[true, false, true], 'each item says whether it passed (80% and 100% pass at 75%, 50% fails)');
select is(public.get_quiz_history() -> 'items' -> 0 ->> 'passing_percent', '75.00', 'and carries the exam''s passing percent');
select is((public.get_quiz_history(p_outcome => 'passed') ->> 'total')::int, 2, 'passed: two, and the total follows the filter');
select is((select array_agg((x ->> 'score_percentage')::numeric order by x ->> 'submitted_at')
           from jsonb_array_elements(public.get_quiz_history(p_outcome => 'failed') -> 'items') x),
  array[50.00::numeric], 'failed: only the 50% quiz');
select is(jsonb_array_length(public.get_quiz_history(p_outcome => 'passed', p_limit => 1, p_offset => 1) -> 'items'), 1,
  'filtered pages: the second passed quiz on page 2 of size 1');
select is((public.get_quiz_history(p_outcome => 'passed', p_limit => 1, p_offset => 1) -> 'items' -> 0 ->> 'score_percentage')::numeric, 80.00,
  'which is the older passed one (80%), newest first');
select is((public.get_quiz_history(p_outcome => 'passed', p_from => '2026-06-11 00:00:00+00', p_to => '2026-06-12 00:00:00+00') ->> 'total')::int, 0,
  'outcome and date range combine (11 June: only a failed quiz)');
select throws_ok($$ select public.get_quiz_history(p_outcome => 'perfect') $$, '22023', null, 'an unknown outcome is refused');
select is((public.get_quiz_history(p_limit => 5) ->> 'total')::int, 3, 'existing calls without p_outcome keep working');

-- Denied: another learner's quizzes never show; anon cannot call it.
select tests.authenticate_as('learner_b');
select is((select array_agg(x ->> 'score_percentage') from jsonb_array_elements(public.get_quiz_history() -> 'items') x),
  array['20.00'], 'learner B sees only their own quiz, never A''s');
select tests.authenticate_as_anon();
select throws_ok($$ select public.get_quiz_history() $$, '42501', null, 'anon may not read any history');

select * from finish();
rollback;
