-- Spaced repetition: SM-2 intervals for a known answer sequence, cards made by wrong quiz
-- answers (and lapses), the review queue mixing due cards with weak-domain questions.
begin;
select plan(26);

select tests.create_actors();
select tests.create_test_exam(10);

-- ---------------------------------------------------------------------------
-- SM-2 itself: grades 5, 4, 3, 2, 4, 5, 5 from a new card (EF 2.5, n 0)
-- ---------------------------------------------------------------------------
create temporary table sm2_run (step integer, grade integer, easiness numeric, repetitions integer, interval_days integer) on commit drop;
do $$
declare
  grades integer[] := array[5, 4, 3, 2, 4, 5, 5];
  ef numeric := 2.5;
  n integer := 0;
  i integer := 1;
  r record;
begin
  for s in 1 .. array_length(grades, 1) loop
    select * into r from private.sm2(ef, n, i, grades[s]);
    ef := r.easiness; n := r.repetitions; i := r.interval_days;
    insert into sm2_run values (s, grades[s], ef, n, i);
  end loop;
end $$;
select results_eq($$ select step, easiness, repetitions, interval_days from sm2_run order by step $$,
  $$ values (1, 2.60, 1, 1), (2, 2.60, 2, 6), (3, 2.46, 3, 16), (4, 2.14, 0, 1), (5, 2.14, 1, 1), (6, 2.24, 2, 6), (7, 2.34, 3, 13) $$,
  'SM-2: 5,4,3,2,4,5,5 gives intervals 1, 6, 16 (6 x 2.6), 1 (forgotten), 1, 6, 13 (6 x 2.24) and EF 2.6, 2.6, 2.46, 2.14, 2.14, 2.24, 2.34');
select is((select easiness from private.sm2(1.4, 3, 20, 0)), 1.3::numeric, 'EF never drops below 1.3');
select is((select interval_days from private.sm2(1.3, 5, 100, 3)), 130, 'a long run keeps multiplying: round(100 x 1.3)');
select throws_ok($$ select private.sm2(2.5, 0, 1, 6) $$, '22023', null, 'grades are 0 to 5');

-- ---------------------------------------------------------------------------
-- Cards from wrong answers
-- ---------------------------------------------------------------------------
select tests.freeze_time('2026-03-02 10:00:00+00');
select tests.take_quiz('learner_a', 20, 5);
select tests.clear_authentication();
select is((select count(*)::int from public.review_cards where user_id = tests.get_user_id('learner_a')), 15,
  'every wrong answer of a submitted quiz made a card (20 questions, 5 right)');
select is((select count(*)::int from public.review_cards c
           join public.quiz_attempt_items i on i.user_id = c.user_id and i.question_id = c.question_id
           where c.user_id = tests.get_user_id('learner_a') and i.is_correct), 0,
  'no card for a question answered right');
select results_eq($$ select distinct easiness, repetitions, interval_days, due_at, lapses from public.review_cards where user_id = tests.get_user_id('learner_a') $$,
  $$ values (2.50::numeric, 0, 1, '2026-03-03 10:00:00+00'::timestamptz, 0) $$,
  'a new card starts at EF 2.5, n 0, due one day after the wrong answer');
select is((select count(*)::int from public.review_cards where user_id = tests.get_user_id('learner_b')), 0, 'learner_b answered nothing: no cards');

select set_config('test.card', (select min(question_id)::text from public.review_cards where user_id = tests.get_user_id('learner_a')), true);

-- ---------------------------------------------------------------------------
-- Reviewing with review_card(): the same sequence on a real card, with due dates
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select tests.freeze_time('2026-03-03 10:00:00+00');
select results_eq(format($$ select easiness, repetitions, interval_days, due_at from public.review_card(%s, 5) $$, current_setting('test.card')),
  $$ values (2.60::numeric, 1, 1, '2026-03-04 10:00:00+00'::timestamptz) $$, 'review 1 (grade 5): next in 1 day');
select tests.freeze_time('2026-03-04 10:00:00+00');
select results_eq(format($$ select easiness, repetitions, interval_days, due_at from public.review_card(%s, 4) $$, current_setting('test.card')),
  $$ values (2.60::numeric, 2, 6, '2026-03-10 10:00:00+00'::timestamptz) $$, 'review 2 (grade 4): next in 6 days');
select tests.freeze_time('2026-03-10 10:00:00+00');
select results_eq(format($$ select easiness, repetitions, interval_days, due_at from public.review_card(%s, 3) $$, current_setting('test.card')),
  $$ values (2.46::numeric, 3, 16, '2026-03-26 10:00:00+00'::timestamptz) $$, 'review 3 (grade 3): next in 16 days');
select tests.freeze_time('2026-03-26 10:00:00+00');
select results_eq(format($$ select easiness, repetitions, interval_days, due_at, lapses from public.review_card(%s, 2) $$, current_setting('test.card')),
  $$ values (2.14::numeric, 0, 1, '2026-03-27 10:00:00+00'::timestamptz, 1) $$, 'review 4 (grade 2, forgotten): back to 1 day, a lapse');
select is((select reviews from public.review_cards where question_id = current_setting('test.card')::bigint), 4, 'four reviews recorded');
select throws_ok(format($$ select public.review_card(%s, 7) $$, current_setting('test.card')), '22023', null, 'review_card refuses a grade above 5');
select throws_ok($$ select public.review_card(-1, 4) $$, 'PT404', null, 'review_card refuses a question without a card');

select tests.authenticate_as('learner_b');
select throws_ok(format($$ select public.review_card(%s, 5) $$, current_setting('test.card')), 'PT404', null,
  'learner_b cannot review learner_a''s card');

-- A wrong quiz answer on an existing card counts as a lapse (grade 1).
select tests.clear_authentication();
update public.review_cards set repetitions = 3, interval_days = 20, easiness = 2.5, lapses = 0
where user_id = tests.get_user_id('learner_a') and question_id = current_setting('test.card')::bigint;
select tests.freeze_time('2026-04-01 09:00:00+00');
select tests.take_quiz('learner_a', 20, 0);
select tests.clear_authentication();
select results_eq(format($$ select easiness, repetitions, interval_days, lapses, last_grade, due_at from public.review_cards
                            where user_id = tests.get_user_id('learner_a') and question_id = %s $$, current_setting('test.card')),
  $$ values (1.96::numeric, 0, 1, 1, 1::smallint, '2026-04-02 09:00:00+00'::timestamptz) $$,
  'answering a carded question wrong again restarts it: n 0, I 1, EF 2.5 - 0.54, one more lapse');
select is((select count(*)::int from public.review_cards where user_id = tests.get_user_id('learner_a')), 20,
  'the questions answered right the first time got cards when answered wrong');

-- ---------------------------------------------------------------------------
-- The review queue
-- ---------------------------------------------------------------------------
-- learner_b: 20 questions, 5 right, on 2026-05-01; queue a week and a day later.
select tests.freeze_time('2026-05-01 10:00:00+00');
select tests.take_quiz('learner_b', 20, 5);
select tests.freeze_time('2026-05-09 12:00:00+00');
select tests.authenticate_as('learner_b');
select results_eq($$ select kind from public.get_review_queue('test-exam', 8) $$,
  $$ values ('due_card'), ('due_card'), ('due_card'), ('due_card'), ('due_card'), ('due_card'), ('weak_domain'), ('weak_domain') $$,
  'a queue of 8: six due cards (three quarters) first, then two questions from weak domains');
select is((select count(*)::int from public.get_review_queue('test-exam', 100) where kind = 'due_card'), 15, 'all 15 due cards with room for them');
select is((select count(*)::int from public.get_review_queue('test-exam', 100) where kind = 'weak_domain'), 5,
  'and the 5 uncarded questions of the weak domains (answered right more than 7 days ago)');
select ok((select bool_and(q.due_at <= '2026-05-09 12:00:00+00') from public.get_review_queue('test-exam', 100) q where q.kind = 'due_card'),
  'only due cards are listed');
select is_empty($$ select * from public.get_review_queue('no-such-exam', 10) $$, 'another exam has nothing to review');
select tests.freeze_time('2026-05-01 12:00:00+00');
select is_empty($$ select * from public.get_review_queue('test-exam', 10) where kind = 'due_card' $$,
  'on the day of the quiz no card is due yet');

select tests.authenticate_as('learner_d');
select is_empty($$ select * from public.get_review_queue() $$, 'learner_d, who never answered, has an empty queue');

select tests.authenticate_as_service_role();
select throws_ok($$ select * from public.get_review_queue() $$, '42501', null, 'the queue is a signed-in learner''s');

select * from finish();
rollback;
