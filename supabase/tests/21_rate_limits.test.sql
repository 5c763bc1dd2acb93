-- Per-user rate limits of quiz actions, enforced in the database (seed 000): start_quiz 30 and
-- submit_quiz 10 calls per minute and user. Over the limit: SQLSTATE PT429, which PostgREST
-- (hosted and local) answers as HTTP 429 {code: "PT429", message, details, hint}. The refused call
-- changes nothing; another user, and the next minute, are not affected.
begin;
select plan(14);

select tests.create_actors();
select tests.create_test_exam(50);
update public.achievements set is_active = false;

create function pg_temp.starts(n integer) returns integer language plpgsql as $$
begin
  for i in 1 .. n loop
    perform public.start_quiz('test-exam', 1);
  end loop;
  return n;
end;
$$;

-- ---------------------------------------------------------------------------
-- start_quiz: 30 per minute
-- ---------------------------------------------------------------------------
select tests.freeze_time('2026-08-03 10:00:05+00');
select tests.authenticate_as('learner_a');
select is(pg_temp.starts(30), 30, 'learner A starts 30 quizzes within a minute');
select throws_ok($$ select public.start_quiz('test-exam', 1) $$, 'PT429',
  'rate limit exceeded: at most 30 start_quiz calls per 60 seconds', 'the 31st start in the same minute is refused with PT429 (HTTP 429)');
select set_config('test.last', (select id::text from public.quiz_attempts where user_id = auth.uid() and status = 'in_progress'), true);
select tests.authenticate_as('learner_b');
select lives_ok($$ select public.start_quiz('test-exam', 1) $$, 'learner B is not limited by learner A''s calls');
select tests.freeze_time('2026-08-03 10:01:00+00');
select tests.authenticate_as('learner_a');
select lives_ok($$ select public.start_quiz('test-exam', 1) $$, 'the next minute, learner A starts again');

-- ---------------------------------------------------------------------------
-- submit_quiz: 10 per minute
-- ---------------------------------------------------------------------------
select tests.freeze_time('2026-08-03 10:02:10+00');
select is((select count(*)::int from (select tests.take_quiz('learner_d', 1, 1) from generate_series(1, 10)) t), 10,
  'learner D submits 10 quizzes within a minute');
select set_config('test.eleventh', public.start_quiz('test-exam', 1) ->> 'attempt_id', true);
select throws_ok($$ select public.submit_quiz(current_setting('test.eleventh')::uuid, '[]') $$, 'PT429', null,
  'the 11th submission in the same minute is refused with PT429');
select throws_ok($$ select public.submit_quiz(current_setting('test.eleventh')::uuid, '[]') $$, 'PT429', null,
  'and so is a retry in the same minute (refused calls are not counted, but the limit is reached)');
select is((select status::text from public.quiz_attempts where id = current_setting('test.eleventh')::uuid), 'in_progress',
  'the refused submission changed nothing: the attempt is still in progress');
select tests.freeze_time('2026-08-03 10:03:00+00');
select is((public.submit_quiz(current_setting('test.eleventh')::uuid, '[]') ->> 'total_questions')::int, 1,
  'in the next minute the same attempt is submitted');

-- The hint says when to retry.
select tests.freeze_time('2026-08-03 10:03:45+00');
select tests.take_quiz('learner_b', 1, 1) from generate_series(1, 10);
select set_config('test.b', public.start_quiz('test-exam', 1) ->> 'attempt_id', true);
create function pg_temp.hint_of(attempt uuid) returns text language plpgsql as $$
declare
  h text;
begin
  perform public.submit_quiz(attempt, '[]');
  return null;
exception when sqlstate 'PT429' then
  get stacked diagnostics h = pg_exception_hint;
  return h;
end;
$$;
select is(pg_temp.hint_of(current_setting('test.b')::uuid), 'try again in 15 seconds', 'the hint says when to try again (15 s left in the minute)');

-- ---------------------------------------------------------------------------
-- The counters are out of reach
-- ---------------------------------------------------------------------------
select throws_ok($$ select * from private.rate_limit_counters $$, '42501', null, 'learners cannot read the counters');
select throws_ok($$ delete from private.rate_limit_counters $$, '42501', null, 'nor reset them');
select throws_ok($$ select private.enforce_rate_limit('start_quiz') $$, '42501', null, 'nor call the limiter');
select tests.authenticate_as_anon();
select throws_ok($$ select public.start_quiz('test-exam', 1) $$, '42501', null, 'anon cannot start quizzes at all');

select * from finish();
rollback;
