-- The question bank: exam catalog, question visibility per scope and status, answer secrecy,
-- versioning on every edit, reports and moderation, difficulty from real answers.
begin;
select plan(52);

select tests.create_actors();
select tests.create_test_exam(10);
select set_config('test.security_published',
  (select count(*)::text from public.questions where exam_id = 'security' and status = 'published' and organization_id is null), true);

-- ---------------------------------------------------------------------------
-- anon: the catalog only
-- ---------------------------------------------------------------------------
select tests.authenticate_as_anon();
select set_eq($$ select id from public.exams where id in ('security', 'network', 'a1101', 'a1102') $$,
  array['security', 'network', 'a1101', 'a1102'], 'anon reads the four seeded CompTIA exams');
select is((select sum(weight) from public.exam_domains where exam_id = 'security'), 100.00::numeric,
  'anon reads the domains; an exam''s weights add up to 100');
select throws_ok($$ select * from public.questions $$, '42501', null, 'anon cannot read questions');
select throws_ok($$ select * from public.question_keys $$, '42501', null, 'anon cannot read answer keys');
select throws_ok($$ insert into public.exams (id, code, name) values ('hack', 'H-1', 'Hack') $$, '42501', null, 'anon cannot add exams');

-- ---------------------------------------------------------------------------
-- learner A
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select is((select count(*)::int from public.questions where exam_id = 'test-exam'), 20, 'learner A reads the published global questions');
select is((select count(*)::int from public.questions where exam_id = 'security'), current_setting('test.security_published')::int,
  'learner A reads every published Security+ question of the seed');
select is_empty($$ select question_id from public.question_keys $$, 'learner A reads no answer key before answering');
select is_empty($$ select question_id from public.question_versions $$, 'learner A reads no question history (it holds keys)');
select throws_ok($$ insert into public.exams (id, code, name) values ('mine', 'M-1', 'Mine') $$, '42501', null, 'learner A cannot add exams');
select is_empty($$ update public.exams set name = 'Renamed' where id = 'security' returning id $$, 'learner A cannot edit exams');
select throws_ok($$ select public.save_question(jsonb_build_object('exam_id', 'test-exam', 'domain_code', '1.0',
                      'stem', 'A learner-authored question?', 'options', '{"A":"a","B":"b","C":"c","D":"d"}'::jsonb,
                      'correct_answer', 'A', 'explanations', '{"A":"a","B":"b","C":"c","D":"d"}'::jsonb)) $$,
  '42501', null, 'learner A cannot author global questions');
select is_empty($$ update public.questions set stem = 'Vandalised question stem' where exam_id = 'test-exam' returning id $$,
  'learner A cannot edit questions');
select throws_ok($$ update public.questions set answer_count = 0 where exam_id = 'test-exam' $$, '42501', null,
  'nobody writes the difficulty counters through the API');

-- Answer secrecy through a quiz.
select set_config('test.attempt', (public.start_quiz('test-exam', 5) ->> 'attempt_id'), true);
select unalike(public.get_active_quiz('test-exam')::text, '%correct_answer%', 'a drawn quiz carries no correct answer');
select unalike(public.get_active_quiz('test-exam')::text, '%explanations%', 'a drawn quiz carries no explanation');
select is_empty($$ select question_id from public.question_keys $$, 'drawing questions does not reveal their keys');
select lives_ok($$ select public.submit_quiz(current_setting('test.attempt')::uuid, tests.answer_sheet(current_setting('test.attempt')::uuid, 3)) $$,
  'learner A submits the quiz');
select set_eq($$ select question_id from public.question_keys $$,
  $$ select question_id from public.quiz_attempt_items where attempt_id = current_setting('test.attempt')::uuid $$,
  'after submitting, learner A reads exactly the keys of the questions answered');

select tests.authenticate_as('learner_b');
select is_empty($$ select question_id from public.question_keys $$, 'learner B still reads no key');

-- ---------------------------------------------------------------------------
-- instructor of org 1: the organisation's bank
-- ---------------------------------------------------------------------------
select tests.authenticate_as('instructor_1');
select set_config('test.org_question', (public.save_question(jsonb_build_object(
  'exam_id', 'test-exam', 'domain_code', '2.0', 'organization_id', tests.org_id('org-one'),
  'stem', 'Which port does our internal wiki use?', 'options', '{"A":"80","B":"8080","C":"443","D":"22"}'::jsonb,
  'correct_answer', 'B', 'explanations', '{"A":"No","B":"Yes, 8080","C":"No","D":"No"}'::jsonb))).id::text, true);
select is((select status::text from public.questions where id = current_setting('test.org_question')::bigint), 'draft',
  'an instructor authors an organisation question (draft by default)');
select throws_ok($$ select public.save_question(jsonb_build_object('exam_id', 'test-exam', 'domain_code', '9.9',
                      'organization_id', tests.org_id('org-one'), 'stem', 'Wrong domain question?',
                      'options', '{"A":"a","B":"b","C":"c","D":"d"}'::jsonb, 'correct_answer', 'A',
                      'explanations', '{"A":"a","B":"b","C":"c","D":"d"}'::jsonb)) $$,
  '22023', null, 'an unknown domain code is refused with the exam''s codes in mind');
select throws_ok($$ insert into public.questions (exam_id, domain_id, stem, options)
                    select 'test-exam', id, 'Global question from an instructor?', '{"A":"a","B":"b","C":"c","D":"d"}'::jsonb
                    from public.exam_domains where exam_id = 'test-exam' and code = '1.0' $$,
  '42501', null, 'an instructor cannot add to the global bank');
select throws_ok($$ select public.save_question(jsonb_build_object('id', current_setting('test.org_question')::bigint,
                      'options', '{"A":"a","B":"b"}'::jsonb)) $$,
  '23514', null, 'options must be exactly A-D');

select tests.authenticate_as('learner_a');
select is_empty($$ select id from public.questions where id = current_setting('test.org_question')::bigint $$,
  'learners do not see draft questions');

select tests.authenticate_as('instructor_1');
select lives_ok($$ select public.save_question(jsonb_build_object('id', current_setting('test.org_question')::bigint,
                     'stem', 'Which port does our internal wiki listen on?', 'status', 'published')) $$,
  'the instructor edits and publishes it');
select is((select version from public.questions where id = current_setting('test.org_question')::bigint), 2,
  'editing the question makes version 2');
select lives_ok($$ update public.question_keys set correct_answer = 'C' where question_id = current_setting('test.org_question')::bigint $$,
  'the instructor corrects the key');
select is((select version from public.questions where id = current_setting('test.org_question')::bigint), 3,
  'editing the key makes version 3');
select results_eq($$ select version, snapshot ->> 'correct_answer', snapshot ->> 'status' from public.question_versions
                     where question_id = current_setting('test.org_question')::bigint order by version $$,
  $$ values (1, 'B', 'draft'), (2, 'B', 'published'), (3, 'C', 'published') $$,
  'every version keeps its snapshot, key included');

select tests.authenticate_as('learner_a');
select is((select count(*)::int from public.questions where id = current_setting('test.org_question')::bigint), 1,
  'learners of org 1 see the published organisation question');
select is_empty($$ select question_id from public.question_keys where question_id = current_setting('test.org_question')::bigint $$,
  'but not its key');
select is_empty($$ select question_id from public.question_versions where question_id = current_setting('test.org_question')::bigint $$,
  'nor its history');

select tests.authenticate_as('learner_d');
select is_empty($$ select id from public.questions where id = current_setting('test.org_question')::bigint $$,
  'learners of org 2 do not see org 1''s questions');
select tests.authenticate_as('admin_2');
select is_empty($$ update public.questions set status = 'retired' where id = current_setting('test.org_question')::bigint returning id $$,
  'the admin of org 2 cannot edit org 1''s questions');
select is_empty($$ select question_id from public.question_keys where question_id = current_setting('test.org_question')::bigint $$,
  'the admin of org 2 cannot read org 1''s keys');

-- ---------------------------------------------------------------------------
-- platform admin: the global bank
-- ---------------------------------------------------------------------------
select tests.authenticate_as('platform_admin');
select lives_ok($$ select public.save_question(jsonb_build_object('exam_id', 'security', 'domain_code', '1.0',
                     'stem', 'Which control type is a fence around a data center?', 'options', '{"A":"Physical","B":"Technical","C":"Managerial","D":"Operational"}'::jsonb,
                     'correct_answer', 'A', 'explanations', '{"A":"Yes","B":"No","C":"No","D":"No"}'::jsonb, 'status', 'published')) $$,
  'the platform admin adds a global question');
select is((select count(*)::int from public.question_keys where question_id = current_setting('test.org_question')::bigint), 1,
  'the platform admin reads every key');
select lives_ok($$ update public.exams set description = 'Updated by the platform admin' where id = 'network' $$,
  'the platform admin edits the exam catalog');

-- ---------------------------------------------------------------------------
-- Reports and moderation
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select set_config('test.reported', (select question_id::text from public.quiz_attempt_items
                                    where attempt_id = current_setting('test.attempt')::uuid and position = 1), true);
select lives_ok($$ insert into public.question_reports (question_id, reason, details)
                   values (current_setting('test.reported')::bigint, 'incorrect_answer', 'I think B is also right') $$,
  'learner A reports a question');
select is((select (status::text, reporter_id) from public.question_reports), row('open'::text, tests.get_user_id('learner_a')),
  'the report is open and filed in learner A''s name');
select throws_ok($$ insert into public.question_reports (question_id, reason) values (current_setting('test.reported')::bigint, 'typo') $$,
  '23505', null, 'one open report per question and learner');
select is_empty($$ update public.question_reports set status = 'accepted' returning id $$, 'a reporter cannot moderate');

select tests.authenticate_as('learner_d');
select throws_ok(format($$ insert into public.question_reports (question_id, reason) values (%s, 'typo') $$,
                        current_setting('test.org_question')),
  '42501', null, 'learners cannot report questions they cannot see (org 1''s, for a learner of org 2)');

select tests.authenticate_as('learner_b');
select is_empty($$ select id from public.question_reports $$, 'learner B does not see learner A''s report');
select tests.authenticate_as('instructor_1');
select is_empty($$ update public.question_reports set status = 'rejected' returning id $$,
  'an instructor cannot moderate reports on the global bank');
select tests.authenticate_as('platform_admin');
select lives_ok($$ update public.question_reports set status = 'accepted', moderator_note = 'Good catch, fixing it' $$,
  'the platform admin moderates the report');
select is((select (moderator_id, resolved_at is not null) from public.question_reports),
  row(tests.get_user_id('platform_admin'), true), 'moderation stamps the moderator and the time');

-- ---------------------------------------------------------------------------
-- Difficulty from real answers, and catalog integrity (as the job and the owner)
-- ---------------------------------------------------------------------------
select tests.clear_authentication();
select tests.freeze_time(now() + interval '10 minutes');
select ok(private.refresh_question_stats() = 5, 'the difficulty job counts the 5 graded answers');
select is((select sum(answer_count)::int from public.questions where exam_id = 'test-exam'), 5, 'answer counts are stored');
select is(private.refresh_question_stats(), 0, 'the next run counts nothing twice');
select throws_ok($$ insert into public.exam_domains (exam_id, code, name, weight) values ('test-exam', '3.0', 'Extra', 10);
                    set constraints exam_domains_weights_total_100 immediate $$,
  '23514', null, 'domain weights that no longer total 100 are refused at commit');

select * from finish();
rollback;
