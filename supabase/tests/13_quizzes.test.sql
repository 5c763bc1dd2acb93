-- Server-graded quizzes: drawing (modes, domains, no repeats), resuming, saving progress, deadlines,
-- submitting (and every way a submission is refused with nothing changed), history, review,
-- per-exam stats, and who may read attempts.
begin;
select plan(75);

select tests.create_actors();
select tests.create_test_exam(10);
select tests.freeze_time('2026-05-04 10:00:00+00');

-- ---------------------------------------------------------------------------
-- anon and refusals at start
-- ---------------------------------------------------------------------------
select tests.authenticate_as_anon();
select throws_ok($$ select public.start_quiz('test-exam') $$, '42501', null, 'anon cannot start a quiz');
select throws_ok($$ select public.submit_quiz(gen_random_uuid(), '[]') $$, '42501', null, 'anon cannot submit');

select tests.authenticate_as('learner_a');
select throws_ok($$ select public.start_quiz('nope') $$, 'PT404', 'unknown exam ''nope''', 'an unknown exam is named in the error');
select throws_ok($$ select public.start_quiz('test-exam', 0) $$, '22023', null, 'at least one question');
select throws_ok($$ select public.start_quiz('test-exam', 101) $$, '22023', null, 'at most 100 questions');
select throws_ok($$ select public.start_quiz('test-exam', 5, array['9.9']) $$, '22023', 'exam ''test-exam'' has no domain 9.9',
  'an unknown domain code is named in the error');
select throws_ok($$ select public.start_quiz('test-exam', 5, null, 'practice', 10) $$, '22023', null, 'a time limit is 60 s or more');
select throws_ok($$ select public.start_quiz('test-exam', 5, null, 'review') $$, 'PT404', null,
  'review mode with nothing answered wrong yet says so');

-- ---------------------------------------------------------------------------
-- Drawing
-- ---------------------------------------------------------------------------
select set_config('test.q', public.start_quiz('test-exam', 10)::text, true);
select is(jsonb_array_length(current_setting('test.q')::jsonb -> 'questions'), 10, 'start_quiz draws the requested 10 questions');
select is((select count(distinct q ->> 'question_id')::int from jsonb_array_elements(current_setting('test.q')::jsonb -> 'questions') q), 10,
  'no question repeats within an attempt');
select results_eq($$ select (q ->> 'position')::int from jsonb_array_elements(current_setting('test.q')::jsonb -> 'questions') q $$,
  $$ select generate_series(1, 10) $$, 'questions come in positions 1..10');
select ok((select bool_and(q ? 'stem' and q ? 'options' and not q ? 'correct_answer')
           from jsonb_array_elements(current_setting('test.q')::jsonb -> 'questions') q),
  'each question has its stem and options and no answer');
select is(current_setting('test.q')::jsonb -> 'remaining_seconds', 'null'::jsonb, 'an untimed quiz has no remaining time');

select set_config('test.d', public.start_quiz('test-exam', 30, array['1.0'])::text, true);
select is((current_setting('test.d')::jsonb ->> 'question_count')::int, 10,
  'asking for more than the pool draws the whole pool (10 questions in domain 1.0)');
select ok((select bool_and(q ->> 'domain_code' = '1.0') from jsonb_array_elements(current_setting('test.d')::jsonb -> 'questions') q),
  'a domain filter draws only from those domains');
select is((select status::text from public.quiz_attempts where id = (current_setting('test.q')::jsonb ->> 'attempt_id')::uuid), 'abandoned',
  'starting a new quiz of the same exam abandons the previous one');
select throws_ok(format($$ select public.submit_quiz(%L, '[]') $$, current_setting('test.q')::jsonb ->> 'attempt_id'),
  'PT409', null, 'an abandoned attempt cannot be submitted');

-- ---------------------------------------------------------------------------
-- Resume and save progress (a closed tab)
-- ---------------------------------------------------------------------------
select set_config('test.t', public.start_quiz('test-exam', 5, null, 'practice', 600)::text, true);
select set_config('test.attempt', current_setting('test.t')::jsonb ->> 'attempt_id', true);
select is((current_setting('test.t')::jsonb ->> 'remaining_seconds')::int, 600, 'a timed quiz starts with its whole time');
select lives_ok($$ select public.save_quiz_answer(current_setting('test.attempt')::uuid,
                     (current_setting('test.t')::jsonb -> 'questions' -> 0 ->> 'question_id')::bigint, 'b', 42) $$,
  'learner A saves an answer');
select tests.freeze_time('2026-05-04 10:01:40+00');
select is(public.get_active_quiz('test-exam') ->> 'attempt_id', current_setting('test.attempt'), 'get_active_quiz resumes the attempt');
select is((public.get_active_quiz('test-exam') ->> 'remaining_seconds')::int, 500, 'with the time left (600 - 100 s)');
select is(public.get_active_quiz('test-exam') -> 'questions' -> 0 ->> 'selected_answer', 'B', 'and the saved answer');
select is((public.get_active_quiz('test-exam') ->> 'answered_count')::int, 1, 'and how many are answered');
select throws_ok($$ select public.save_quiz_answer(current_setting('test.attempt')::uuid, -1, 'A') $$, '22023', null,
  'saving an answer to a question outside the attempt is refused');
select throws_ok($$ select public.save_quiz_answer(current_setting('test.attempt')::uuid,
                      (current_setting('test.t')::jsonb -> 'questions' -> 0 ->> 'question_id')::bigint, 'E') $$,
  '22023', null, 'answers are A-D');

-- ---------------------------------------------------------------------------
-- Submission refusals change nothing
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_b');
select throws_ok($$ select public.submit_quiz(current_setting('test.attempt')::uuid, '[]') $$, '42501', null,
  'learner B cannot submit learner A''s attempt');
select throws_ok($$ select public.save_quiz_answer(current_setting('test.attempt')::uuid,
                      (current_setting('test.t')::jsonb -> 'questions' -> 0 ->> 'question_id')::bigint, 'A') $$,
  '42501', null, 'learner B cannot save answers into it');
select is_empty($$ select id from public.quiz_attempts $$, 'learner B sees none of learner A''s attempts');
select is_empty($$ select attempt_id from public.quiz_attempt_items $$, 'nor their answers');
select ok(public.get_active_quiz('test-exam') is null, 'learner B has no quiz to resume');

select tests.authenticate_as('learner_a');
select throws_ok($$ select public.submit_quiz(gen_random_uuid(), '[]') $$, 'PT404', null, 'an unknown attempt is not found');
select throws_ok($$ select public.submit_quiz(current_setting('test.attempt')::uuid, '[{"question_id": -5, "answer": "A"}]') $$,
  '22023', null, 'answering a question not in the attempt is refused');
select throws_ok(format($$ select public.submit_quiz(%L, '[{"question_id": %s, "answer": "Z"}]') $$, current_setting('test.attempt'),
                        current_setting('test.t')::jsonb -> 'questions' -> 0 ->> 'question_id'),
  '22023', null, 'an answer outside A-D is refused');
select throws_ok(format($$ select public.submit_quiz(%L, '[{"question_id": %s, "answer": "A"}, {"question_id": %s, "answer": "B"}]') $$,
                        current_setting('test.attempt'), current_setting('test.t')::jsonb -> 'questions' -> 0 ->> 'question_id',
                        current_setting('test.t')::jsonb -> 'questions' -> 0 ->> 'question_id'),
  '22023', null, 'answering a question twice is refused');
select throws_ok($$ select public.submit_quiz(current_setting('test.attempt')::uuid, '{"answers": []}') $$, '22023', null,
  'p_answers must be an array');
select is((select (status::text, correct_count) from public.quiz_attempts where id = current_setting('test.attempt')::uuid),
  row('in_progress'::text, null::integer), 'after refused submissions the attempt is still in progress, ungraded');
select is((select (quizzes_completed, xp) from public.profiles where id = tests.get_user_id('learner_a')),
  row(0, 0::bigint), 'and the learner''s counters and XP are unchanged');

-- ---------------------------------------------------------------------------
-- Submission
-- ---------------------------------------------------------------------------
select set_config('test.result', public.submit_quiz(current_setting('test.attempt')::uuid,
  tests.answer_sheet(current_setting('test.attempt')::uuid, 4))::text, true);
select ok(current_setting('test.result')::jsonb ?& array['quiz_attempt_id', 'score', 'total_questions', 'score_percentage', 'xp_earned',
  'total_xp', 'level', 'previous_level', 'level_up', 'achievements_unlocked', 'streak', 'results'],
  'submit_quiz returns the seed''s response shape (plus streak and results)');
select is((current_setting('test.result')::jsonb ->> 'score')::int, 4, 'the server grades: 4 right');
select is((current_setting('test.result')::jsonb ->> 'score_percentage')::numeric, 80.00, 'score percentage 80');
select is((current_setting('test.result')::jsonb ->> 'xp_earned')::int, 50, '4 correct at 80%: 40 + 25% = 50 XP');
select ok((select bool_and(r ? 'correct_answer' and r ? 'explanations') from jsonb_array_elements(current_setting('test.result')::jsonb -> 'results') r),
  'once submitted, the result reveals correct answers and explanations');
select is((select sum(time_spent_seconds)::int from public.quiz_attempt_items where attempt_id = current_setting('test.attempt')::uuid), 100,
  'per-question time is recorded (5 x 20 s)');
select is((select time_taken_seconds from public.quiz_attempts where id = current_setting('test.attempt')::uuid), 100,
  'the attempt takes the server-measured time from start to submission');
select throws_ok($$ select public.submit_quiz(current_setting('test.attempt')::uuid, '[]') $$, 'PT409', null, 'submitting twice is refused');
select throws_ok($$ select public.save_quiz_answer(current_setting('test.attempt')::uuid,
                      (current_setting('test.t')::jsonb -> 'questions' -> 0 ->> 'question_id')::bigint, 'A') $$,
  'PT409', null, 'a submitted attempt takes no more answers');
select is((select questions_answered from public.profiles where id = tests.get_user_id('learner_a')), 5, 'the second submission changed nothing');

-- A client claiming its own correctness is ignored.
select set_config('test.cheat', public.start_quiz('test-exam', 3)::text, true);
select is((public.submit_quiz((current_setting('test.cheat')::jsonb ->> 'attempt_id')::uuid,
            (select jsonb_agg(jsonb_build_object('question_id', (q ->> 'question_id')::bigint, 'answer', null, 'is_correct', true, 'correct_answer', 'A'))
             from jsonb_array_elements(current_setting('test.cheat')::jsonb -> 'questions') q)) ->> 'score')::int, 0,
  'is_correct and correct_answer sent by the client are ignored');

-- ---------------------------------------------------------------------------
-- Deadlines
-- ---------------------------------------------------------------------------
select set_config('test.late', public.start_quiz('test-exam', 4, null, 'practice', 60)::text, true);
select public.save_quiz_answer(s.a, (e ->> 'question_id')::bigint, e ->> 'answer')
from (select (current_setting('test.late')::jsonb ->> 'attempt_id')::uuid as a) s,
     jsonb_array_elements(tests.answer_sheet(s.a, 4)) with ordinality x (e, n)
where x.n <= 2;
select tests.freeze_time('2026-05-04 10:03:20+00');
select throws_ok($$ select public.save_quiz_answer((current_setting('test.late')::jsonb ->> 'attempt_id')::uuid,
                      (current_setting('test.late')::jsonb -> 'questions' -> 3 ->> 'question_id')::bigint, 'A') $$,
  'PT410', null, 'saving after the deadline (plus 30 s grace) is refused: time is up');
select set_config('test.late_result', public.submit_quiz((current_setting('test.late')::jsonb ->> 'attempt_id')::uuid,
  tests.answer_sheet((current_setting('test.late')::jsonb ->> 'attempt_id')::uuid, 4))::text, true);
select is((current_setting('test.late_result')::jsonb ->> 'score')::int, 2,
  'a late submission grades only the answers saved before the deadline');
select is(current_setting('test.late_result')::jsonb -> 'late_submission', 'true'::jsonb, 'and says it was late');
select is((select time_taken_seconds from public.quiz_attempts where id = (current_setting('test.late')::jsonb ->> 'attempt_id')::uuid), 60,
  'time taken is capped at the limit');

select set_config('test.expiring', public.start_quiz('test-exam', 3, null, 'practice', 60) ->> 'attempt_id', true);
select tests.clear_authentication();
select tests.freeze_time('2026-05-04 10:05:00+00');
select is(private.expire_quiz_attempts(), 1, 'the deadline job grades the expired attempt');
select is((select (status::text, auto_submitted) from public.quiz_attempts where id = current_setting('test.expiring')::uuid),
  row('submitted'::text, true), 'it is submitted automatically with what was saved');

-- ---------------------------------------------------------------------------
-- Modes that depend on history
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select set_config('test.review', public.start_quiz('test-exam', 50, null, 'review')::text, true);
select ok((select bool_and(exists (
             select 1 from public.quiz_attempt_items i
             where i.user_id = tests.get_user_id('learner_a') and i.question_id = (q ->> 'question_id')::bigint and not i.is_correct))
           from jsonb_array_elements(current_setting('test.review')::jsonb -> 'questions') q),
  'review mode draws only questions the learner answered wrong');

select tests.authenticate_as('learner_b');
select public.submit_quiz((public.start_quiz('test-exam', 10, array['1.0']) ->> 'attempt_id')::uuid, '[]');
select set_config('test.b2', public.start_quiz('test-exam', 10, array['2.0']) ->> 'attempt_id', true);
select public.submit_quiz(current_setting('test.b2')::uuid, tests.answer_sheet(current_setting('test.b2')::uuid, 10));
select ok((select bool_and(q ->> 'domain_code' = '1.0')
           from jsonb_array_elements(public.start_quiz('test-exam', 5, null, 'weak_areas') -> 'questions') q),
  'weak-areas mode draws from the domain where the learner is below 70% first');

-- ---------------------------------------------------------------------------
-- History, review, per-exam stats
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select is((public.get_quiz_history() ->> 'total')::int, 4, 'history counts learner A''s submitted quizzes');
select is(jsonb_array_length(public.get_quiz_history(p_limit => 2) -> 'items'), 2, 'history is paginated');
select is(public.get_quiz_history(p_limit => 2, p_offset => 2) -> 'items' -> 0 ->> 'id',
          (select id::text from public.quiz_attempts where user_id = tests.get_user_id('learner_a') and status = 'submitted'
           order by submitted_at desc, id desc offset 2 limit 1), 'the offset moves through newest-first history');
select is((public.get_quiz_history(p_exam => 'security') ->> 'total')::int, 0, 'and filtered by exam');
select throws_ok($$ select public.get_quiz_history(p_limit => 0) $$, '22023', null, 'the page size is 1-100');
select is(jsonb_array_length(public.get_attempt_review(current_setting('test.attempt')::uuid) -> 'questions'), 5,
  'learner A reviews a submitted attempt with every question');
select throws_ok($$ select public.get_attempt_review((current_setting('test.review')::jsonb ->> 'attempt_id')::uuid) $$, 'PT409', null,
  'an attempt in progress cannot be reviewed (answers stay hidden)');
select is((select quizzes_completed from public.get_exam_stats() where exam_id = 'test-exam'), 4, 'per-exam stats count the quizzes');

select tests.authenticate_as('learner_b');
select throws_ok($$ select public.get_attempt_review(current_setting('test.attempt')::uuid) $$, 'PT404', null,
  'learner B cannot review learner A''s attempt');
select throws_ok(format($$ select * from public.get_exam_stats(%L) $$, tests.get_user_id('learner_a')), '42501', null,
  'learner B cannot read learner A''s stats');

-- ---------------------------------------------------------------------------
-- Who reads attempts
-- ---------------------------------------------------------------------------
select tests.authenticate_as('instructor_1');
select is((select count(*)::int from public.quiz_attempts where user_id = tests.get_user_id('learner_a') and status = 'submitted'), 4,
  'the instructor of org 1 reads learner A''s attempts');
select lives_ok($$ select public.get_attempt_review(current_setting('test.attempt')::uuid) $$, 'and reviews them');
select is((select quizzes_completed from public.learner_exam_stats where user_id = tests.get_user_id('learner_a') and exam_id = 'test-exam'), 4,
  'and their per-exam stats');
select tests.authenticate_as('admin_2');
select is_empty($$ select id from public.quiz_attempts $$, 'the admin of org 2 reads none of org 1''s attempts');
select is_empty($$ select user_id from public.learner_exam_stats $$, 'nor their per-exam stats');
select tests.authenticate_as('platform_admin');
select ok((select count(*) from public.quiz_attempt_items) > 0, 'the platform admin reads every attempt item');
select tests.authenticate_as('learner_a');
select throws_ok($$ update public.quiz_attempts set correct_count = 5 $$, '42501', null, 'learner A cannot rewrite an attempt');
select throws_ok($$ update public.quiz_attempt_items set is_correct = true $$, '42501', null, 'learner A cannot regrade answers');
select tests.authenticate_as_service_role();
select throws_ok($$ insert into public.quiz_attempts (user_id, exam_id, question_count) values (gen_random_uuid(), 'test-exam', 1) $$,
  '42501', null, 'not even service_role inserts attempts directly');

select * from finish();
rollback;
