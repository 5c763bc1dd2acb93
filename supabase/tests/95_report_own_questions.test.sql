-- Question reports: a learner reports only questions met in one of their own quizzes, in their
-- own name; another learner's quiz, a published question never met, or a report filed in someone
-- else's name is refused.
begin;
select plan(7);

select tests.create_actors();
select tests.create_test_exam(10);
select tests.take_quiz('learner_a', 5, 3);
select tests.clear_authentication();

select set_config('test.met', (select min(question_id)::text from public.quiz_attempt_items
                               where user_id = tests.get_user_id('learner_a')), true);
select set_config('test.unmet', (select min(q.id)::text from public.questions q
                                 where q.exam_id = 'test-exam'
                                   and not exists (select 1 from public.quiz_attempt_items i
                                                   where i.question_id = q.id and i.user_id = tests.get_user_id('learner_a'))), true);
select isnt(current_setting('test.unmet', true), '', 'a published question learner A never met exists');

select tests.authenticate_as('learner_a');
select lives_ok($$ insert into public.question_reports (question_id, reason, details)
                   values (current_setting('test.met')::bigint, 'unclear', 'B and C read alike') $$,
  'learner A reports a question from her own quiz');
select is((select (reporter_id, status::text) from public.question_reports),
  row(tests.get_user_id('learner_a'), 'open'::text), 'filed open, in her name');
select throws_ok($$ insert into public.question_reports (question_id, reason)
                    values (current_setting('test.unmet')::bigint, 'typo') $$,
  '42501', null, 'a published question she never met in a quiz cannot be reported');
select throws_ok($$ insert into public.question_reports (question_id, reason, reporter_id)
                    values (current_setting('test.met')::bigint, 'typo', tests.get_user_id('learner_b')) $$,
  '42501', null, 'nor can she file a report in another learner''s name');

-- Learner B sees the same global question but never met it: denied.
select tests.authenticate_as('learner_b');
select throws_ok($$ insert into public.question_reports (question_id, reason)
                    values (current_setting('test.met')::bigint, 'typo') $$,
  '42501', null, 'learner B cannot report a question of learner A''s quiz');
select tests.clear_authentication();
select tests.take_quiz('learner_b', 20, 10);
select lives_ok($$ insert into public.question_reports (question_id, reason)
                   values (current_setting('test.met')::bigint, 'typo') $$,
  'once learner B met it in a quiz of her own, she may report it');

select * from finish();
rollback;
