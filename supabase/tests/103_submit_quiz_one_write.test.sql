-- Quiz submission writes each item once (20261207110000_submit_quiz_one_write.sql): the submitted
-- answers are merged into the grading UPDATE with the rule submit_quiz always had (a submitted
-- answer, null included, replaces the saved one; a submitted time replaces the saved time unless
-- null; past the deadline only saved answers count), the result is what was written, wrong
-- answers still make review cards, the deadline job and finalize_attempt still grade the saved
-- answers, and the new function is closed to every API role.
begin;
select plan(20);

select tests.create_actors();
select tests.create_test_exam(10);
select tests.create_user('learner_c', null, '{}', '{"username": "learner_c"}');
select tests.freeze_time('2026-10-01 12:00:00+00');

-- The attempt's questions by position with their key and a wrong option, read as the owner.
create function pg_temp.sheet(p_attempt uuid) returns jsonb language sql as $$
  select jsonb_object_agg(i.position, jsonb_build_object(
           'q', i.question_id, 'right', k.correct_answer,
           'wrong', (array['B', 'C', 'D', 'A'])[ascii(k.correct_answer) - 64]))
  from public.quiz_attempt_items i join public.question_keys k on k.question_id = i.question_id
  where i.attempt_id = p_attempt
$$;
create function pg_temp.q(p_pos integer) returns bigint language sql as $$
  select (current_setting('t.sheet')::jsonb -> p_pos::text ->> 'q')::bigint
$$;
create function pg_temp.key(p_pos integer, p_which text) returns text language sql as $$
  select current_setting('t.sheet')::jsonb -> p_pos::text ->> p_which
$$;
create function pg_temp.item_updates() returns bigint language sql as $$
  select n_tup_upd from pg_stat_xact_user_tables where relid = 'public.quiz_attempt_items'::regclass
$$;

-- ---------------------------------------------------------------------------
-- Submitted answers over saved ones, in one write per item
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select set_config('t.a', public.start_quiz('test-exam', 10) ->> 'attempt_id', true);
select tests.clear_authentication();
select set_config('t.sheet', pg_temp.sheet(current_setting('t.a')::uuid)::text, true);
select tests.authenticate_as('learner_a');
select public.save_quiz_answer(current_setting('t.a')::uuid, pg_temp.q(1), pg_temp.key(1, 'right'), 11);
select public.save_quiz_answer(current_setting('t.a')::uuid, pg_temp.q(2), pg_temp.key(2, 'wrong'), 12);
select public.save_quiz_answer(current_setting('t.a')::uuid, pg_temp.q(3), pg_temp.key(3, 'right'), 13);
select public.save_quiz_answer(current_setting('t.a')::uuid, pg_temp.q(4), pg_temp.key(4, 'wrong'), 14);
select tests.clear_authentication();
select set_config('t.upd', pg_temp.item_updates()::text, true);
select tests.authenticate_as('learner_a');
-- 1: cleared by an explicit null (new time); 2: corrected (no time sent: the saved one stays);
-- 3: untouched; 4: sent with a null time (saved time stays); 5: answered only now; 6-10: never.
select set_config('t.res', public.submit_quiz(current_setting('t.a')::uuid, jsonb_build_array(
  jsonb_build_object('question_id', pg_temp.q(1), 'answer', null, 'time_spent_seconds', 21),
  jsonb_build_object('question_id', pg_temp.q(2), 'answer', lower(pg_temp.key(2, 'right'))),
  jsonb_build_object('question_id', pg_temp.q(4), 'answer', pg_temp.key(4, 'right'), 'time_spent_seconds', null),
  jsonb_build_object('question_id', pg_temp.q(5), 'user_answer', ' ' || pg_temp.key(5, 'right') || ' ', 'time_spent_seconds', 24.6)))::text, true);
select tests.clear_authentication();

select is(pg_temp.item_updates() - current_setting('t.upd')::bigint, 10::bigint,
  'submitting a 10-question quiz writes each item once (answers and grade in one UPDATE: 10 row updates, not 4 + 10)');
select results_eq(
  $$ select i.position::int, i.selected_answer, i.time_spent_seconds, i.is_correct
     from public.quiz_attempt_items i where i.attempt_id = current_setting('t.a')::uuid order by i.position $$,
  $$ values (1, null::text, 21, false), (2, pg_temp.key(2, 'right'), 12, true), (3, pg_temp.key(3, 'right'), 13, true),
            (4, pg_temp.key(4, 'right'), 14, true), (5, pg_temp.key(5, 'right'), 25, true),
            (6, null, null, false), (7, null, null, false), (8, null, null, false), (9, null, null, false), (10, null, null, false) $$,
  'a submitted answer replaces the saved one (null clears it), a missing or null time keeps the saved time, unsent answers stay saved');
select ok((select bool_and(i.graded_at = '2026-10-01 12:00:00+00' and i.xp_rule = case when i.is_correct then 'first_correct' else 'incorrect' end
                          and i.xp_awarded = case when i.is_correct then 10 else 0 end and not i.key_exposed)
           from public.quiz_attempt_items i where i.attempt_id = current_setting('t.a')::uuid),
  'every item is graded at submission with its XP rule and award');
select is(current_setting('t.res')::jsonb -> 'results',
  (select jsonb_agg(jsonb_build_object(
            'position', i.position, 'question_id', i.question_id, 'domain_id', i.domain_id,
            'selected_answer', i.selected_answer, 'correct_answer', k.correct_answer,
            'is_correct', i.is_correct, 'time_spent_seconds', i.time_spent_seconds,
            'xp_rule', i.xp_rule, 'xp_awarded', i.xp_awarded, 'explanations', k.explanations) order by i.position)
   from public.quiz_attempt_items i join public.question_keys k on k.question_id = i.question_id
   where i.attempt_id = current_setting('t.a')::uuid),
  'the result''s rows are the items as written, with key and explanations, in position order');
select is((select jsonb_build_object('score', r -> 'score', 'total', r -> 'total_questions', 'pct', r -> 'score_percentage',
                                     'xp', r -> 'xp_earned', 'base', r -> 'xp_breakdown' -> 'base', 'late', r -> 'late_submission',
                                     'auto', r -> 'auto_submitted')
           from (select current_setting('t.res')::jsonb as r) x),
  '{"score": 4, "total": 10, "pct": 40.00, "xp": 40, "base": 40, "late": false, "auto": false}'::jsonb,
  'score, percentage and XP are counted from the written rows');
select is((select row(a.status::text, a.correct_count, a.score_percentage, a.xp_earned) from public.quiz_attempts a
           where a.id = current_setting('t.a')::uuid),
  row('submitted'::text, 4, 40.00::numeric(5, 2), 40), 'the attempt is submitted with those numbers');
select is((select count(*)::int from public.review_cards c where c.user_id = tests.get_user_id('learner_a')
             and c.due_at = '2026-10-02 12:00:00+00'
             and c.question_id in (pg_temp.q(1), pg_temp.q(6), pg_temp.q(7), pg_temp.q(8), pg_temp.q(9), pg_temp.q(10))),
  6, 'the six answers graded wrong (one cleared, five never answered) each made a review card due a day later');
select is((select count(*)::int from public.review_cards c where c.user_id = tests.get_user_id('learner_a')), 6,
  'and the right ones made none');

-- ---------------------------------------------------------------------------
-- Past the deadline only saved answers count
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_b');
select set_config('t.b', public.start_quiz('test-exam', 10, p_time_limit_seconds => 60) ->> 'attempt_id', true);
select tests.clear_authentication();
select set_config('t.sheet', pg_temp.sheet(current_setting('t.b')::uuid)::text, true);
select tests.authenticate_as('learner_b');
select public.save_quiz_answer(current_setting('t.b')::uuid, pg_temp.q(1), pg_temp.key(1, 'right'), 30);
select tests.freeze_time('2026-10-01 12:01:31+00');
select set_config('t.res', public.submit_quiz(current_setting('t.b')::uuid, jsonb_build_array(
  jsonb_build_object('question_id', pg_temp.q(1), 'answer', pg_temp.key(1, 'wrong'), 'time_spent_seconds', 40),
  jsonb_build_object('question_id', pg_temp.q(2), 'answer', pg_temp.key(2, 'right'))))::text, true);
select tests.clear_authentication();
select is((select jsonb_build_object('late', r -> 'late_submission', 'auto', r -> 'auto_submitted', 'score', r -> 'score')
           from (select current_setting('t.res')::jsonb as r) x),
  '{"late": true, "auto": true, "score": 1}'::jsonb, 'a late submission is graded on the saved answers only');
select results_eq(
  $$ select i.position::int, i.selected_answer, i.time_spent_seconds from public.quiz_attempt_items i
     where i.attempt_id = current_setting('t.b')::uuid and i.position <= 2 order by i.position $$,
  $$ values (1, pg_temp.key(1, 'right'), 30), (2, null::text, null::integer) $$,
  'the late answers were not written');
select tests.authenticate_as('learner_b');
select throws_ok(
  format($$ select public.submit_quiz(%L::uuid, '[{"question_id": %s, "answer": "A"}]'::jsonb) $$,
         current_setting('t.b'), pg_temp.q(3)),
  'PT409', null, 'a submitted attempt cannot be submitted again');
select tests.clear_authentication();

-- ---------------------------------------------------------------------------
-- The deadline job and finalize_attempt grade the saved answers
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_c');
select set_config('t.c', public.start_quiz('test-exam', 10, p_time_limit_seconds => 60) ->> 'attempt_id', true);
select tests.clear_authentication();
select set_config('t.sheet', pg_temp.sheet(current_setting('t.c')::uuid)::text, true);
select tests.authenticate_as('learner_c');
select public.save_quiz_answer(current_setting('t.c')::uuid, pg_temp.q(1), pg_temp.key(1, 'right'), 30);
select public.save_quiz_answer(current_setting('t.c')::uuid, pg_temp.q(2), pg_temp.key(2, 'wrong'), 31);
select tests.clear_authentication();
select tests.freeze_time('2026-10-01 12:05:00+00');
select ok(private.expire_quiz_attempts() >= 1, 'the deadline job finalizes the expired attempt');
select is((select row(a.status::text, a.auto_submitted, a.correct_count) from public.quiz_attempts a where a.id = current_setting('t.c')::uuid),
  row('submitted'::text, true, 1), 'auto-submitted with its one right saved answer');
select results_eq(
  $$ select i.position::int, i.selected_answer, i.time_spent_seconds, i.is_correct, i.graded_at is not null
     from public.quiz_attempt_items i where i.attempt_id = current_setting('t.c')::uuid and i.position <= 3 order by i.position $$,
  $$ values (1, pg_temp.key(1, 'right'), 30, true, true), (2, pg_temp.key(2, 'wrong'), 31, false, true), (3, null::text, null::integer, false, true) $$,
  'the saved answers are graded as they were saved');

select tests.authenticate_as('learner_d');
select set_config('t.d', public.start_quiz('test-exam', 10) ->> 'attempt_id', true);
select tests.clear_authentication();
select set_config('t.sheet', pg_temp.sheet(current_setting('t.d')::uuid)::text, true);
select tests.authenticate_as('learner_d');
select public.save_quiz_answer(current_setting('t.d')::uuid, pg_temp.q(3), pg_temp.key(3, 'right'), 5);
select tests.clear_authentication();
select set_config('t.res', private.finalize_attempt(current_setting('t.d')::uuid)::text, true);
select is((select jsonb_build_object('score', r -> 'score', 'auto', r -> 'auto_submitted', 'rows', jsonb_array_length(r -> 'results'),
                                     'has_late', r ? 'late_submission')
           from (select current_setting('t.res')::jsonb as r) x),
  '{"score": 1, "auto": false, "rows": 10, "has_late": false}'::jsonb,
  'finalize_attempt grades the saved answers and returns the result as before (no late_submission key)');

-- ---------------------------------------------------------------------------
-- The known-key rule (now PL/pgSQL) and the new function's access
-- ---------------------------------------------------------------------------
update public.questions set created_by = tests.get_user_id('learner_c') where id = pg_temp.q(4);
select is(array(select private.keys_readable_by(tests.get_user_id('learner_c'), array[pg_temp.q(4), pg_temp.q(5)])),
  array[pg_temp.q(4)], 'keys_readable_by: the author reads the key of the question they wrote, not of another');
select is(array(select private.keys_readable_by(tests.get_user_id('learner_c'), '{}'::bigint[])), '{}'::bigint[],
  'keys_readable_by: no questions, no keys');
select ok(not has_function_privilege('anon', 'private.finalize_attempt_with_answers(uuid, boolean, bigint[], text[], integer[])', 'execute')
          and not has_function_privilege('authenticated', 'private.finalize_attempt_with_answers(uuid, boolean, bigint[], text[], integer[])', 'execute')
          and not has_function_privilege('service_role', 'private.finalize_attempt_with_answers(uuid, boolean, bigint[], text[], integer[])', 'execute'),
  'finalize_attempt_with_answers is not executable by anon, authenticated or service_role');
select ok((select p.prosecdef and p.proconfig = array['search_path=""'] from pg_proc p
           where p.oid = 'private.finalize_attempt_with_answers(uuid, boolean, bigint[], text[], integer[])'::regprocedure),
  'finalize_attempt_with_answers is security definer with an empty search_path (it writes tables RLS closes to the learner)');
select ok((select bool_and(p.proconfig = array['search_path=""']) from pg_proc p
           where p.oid in ('private.keys_readable_by(uuid, bigint[])'::regprocedure, 'private.finalize_attempt(uuid, boolean)'::regprocedure,
                           'public.submit_quiz(uuid, jsonb)'::regprocedure)),
  'keys_readable_by, finalize_attempt and submit_quiz keep an empty search_path');

select * from finish();
rollback;
