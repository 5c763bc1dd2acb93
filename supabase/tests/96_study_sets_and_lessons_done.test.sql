-- 1. start_study_set_quiz: a learner practises a study set she may read (her own, or one shared
--    in her organisation), in set order, under start_quiz's scoring rules; another learner's
--    private set, a set of another organisation and anonymous callers are refused.
-- 2. lesson_completions: complete_lesson() remembers a lesson as done without an assignment; a
--    learner reads her own rows, staff of the lesson's organisation read their members', nobody
--    else, and nobody writes the table directly.
-- 3. get_public_profile (the /u/[username] page): the equipped avatar for anyone allowed, PT404
--    once the profile is private.
begin;
select plan(33);

select tests.create_actors();
select tests.create_test_exam(10);
update public.achievements set is_active = false;

-- Learner A's private set: 12 of the 20 questions, positions in reverse id order.
select tests.authenticate_as('learner_a');
insert into public.study_sets (name) values ('Ports to remember');
select set_config('test.set', (select id::text from public.study_sets), true);
insert into public.study_set_items (study_set_id, question_id, position)
select current_setting('test.set')::uuid, q.id, 100 - row_number() over (order by q.id)
from (select id from public.questions where exam_id = 'test-exam' order by id limit 12) q;

-- Allowed: the owner.
select set_config('test.quiz', public.start_study_set_quiz(current_setting('test.set')::uuid)::text, true);
select set_config('test.attempt', current_setting('test.quiz')::jsonb ->> 'attempt_id', true);
select is((select (exam_id, organization_id, mode::text, question_count, status::text) from public.quiz_attempts where id = current_setting('test.attempt')::uuid),
  row('test-exam'::text, null::uuid, 'practice'::text, 12, 'in_progress'::text), 'the owner starts a 12-question global practice quiz of the set');
select is((select array_agg(i.question_id order by i.position) from public.quiz_attempt_items i where i.attempt_id = current_setting('test.attempt')::uuid),
  (select array_agg(s.question_id order by s.position) from public.study_set_items s where s.study_set_id = current_setting('test.set')::uuid),
  'in the set''s order, every question once');
select is((current_setting('test.quiz')::jsonb ->> 'skipped')::int, 0, 'nothing skipped');
select ok(not (current_setting('test.quiz')::jsonb::text ~ 'correct_answer'), 'no answer key in the payload');
select is((select count(*)::int from public.quiz_attempt_items where attempt_id = current_setting('test.attempt')::uuid and key_exposed), 0,
  'a learner does not know the keys: every answer may score');

-- Scoring: submit_quiz's rules hold. 12 right: 120 XP plus the 50% accuracy bonus, a completed quiz.
select is((public.submit_quiz(current_setting('test.attempt')::uuid, tests.answer_sheet(current_setting('test.attempt')::uuid, 12)) ->> 'xp_earned')::int, 180,
  'the set''s quiz is scored like any practice quiz');
select is((select quizzes_completed from public.profiles where id = auth.uid()), 1, 'and counts as a completed quiz (12 questions)');
-- The same set again at once: every correct answer is a repeat inside 30 days, 0 XP.
select set_config('test.attempt', public.start_study_set_quiz(current_setting('test.set')::uuid) ->> 'attempt_id', true);
select is((public.submit_quiz(current_setting('test.attempt')::uuid, tests.answer_sheet(current_setting('test.attempt')::uuid, 12)) ->> 'xp_earned')::int, 0,
  'practising the set again earns nothing for repeats: no XP farming through sets');
-- A short draw is not a completed quiz.
select set_config('test.quiz', public.start_study_set_quiz(current_setting('test.set')::uuid, 5)::text, true);
select is(((current_setting('test.quiz')::jsonb ->> 'skipped')::int, (select question_count from public.quiz_attempts where id = (current_setting('test.quiz')::jsonb ->> 'attempt_id')::uuid)),
  (7, 5), 'p_count draws the first 5 and reports 7 skipped');
select throws_ok($$ select public.start_study_set_quiz(current_setting('test.set')::uuid, 0) $$, '22023', null, 'p_count must be 1-100');

-- Denied: another learner's private set, an unknown set, anonymous callers.
select tests.authenticate_as('learner_b');
select throws_ok($$ select public.start_study_set_quiz(current_setting('test.set')::uuid) $$, 'PT404', null,
  'learner B cannot practise learner A''s private set (and does not learn it exists)');
select is_empty($$ select id from public.quiz_attempts where user_id = auth.uid() $$, 'and no attempt was created for her');
select throws_ok($$ select public.start_study_set_quiz(gen_random_uuid()) $$, 'PT404', null, 'an unknown set is not found');
select tests.authenticate_as_anon();
select throws_ok($$ select public.start_study_set_quiz(current_setting('test.set')::uuid) $$, '42501', null, 'anonymous callers cannot call it');

-- Shared in org-one: its members may practise it, a learner of org-two may not.
select tests.authenticate_as('learner_a');
update public.study_sets set organization_id = tests.org_id('org-one'), shared = true where id = current_setting('test.set')::uuid;
select tests.authenticate_as('learner_b');
select lives_ok($$ select public.start_study_set_quiz(current_setting('test.set')::uuid) $$, 'learner B (org-one) practises the shared set');
select tests.authenticate_as('learner_d');
select throws_ok($$ select public.start_study_set_quiz(current_setting('test.set')::uuid) $$, 'PT404', null, 'learner D (org-two) cannot');

-- An empty set has nothing to practise.
select tests.authenticate_as('learner_b');
insert into public.study_sets (name) values ('Empty');
select throws_ok(format($$ select public.start_study_set_quiz(%L) $$, (select id from public.study_sets where name = 'Empty')), 'PT404', null,
  'an empty set has nothing to practise');

-- ---------------------------------------------------------------------------
-- 2. Lesson completions
-- ---------------------------------------------------------------------------
select tests.authenticate_as('instructor_1');
select set_config('test.lesson', (public.create_lesson(tests.org_id('org-one'), 'Ports', 'Port 22 is SSH')).lesson_id::text, true);
select set_config('test.draft', (public.create_lesson(tests.org_id('org-one'), 'Draft', 'Not yet')).lesson_id::text, true);
select tests.clear_authentication();
-- Published as the review workflow would leave it (the workflow itself is 42_lessons' subject).
update public.lesson_versions set status = 'published', published_at = now() where lesson_id = current_setting('test.lesson')::uuid;
update public.lessons set published_version = 1 where id = current_setting('test.lesson')::uuid;

select tests.authenticate_as('learner_a');
select is(public.complete_lesson(current_setting('test.lesson')::uuid), 0, 'learner A marks an unassigned lesson as done (no assignment completed)');
select is((select (user_id, organization_id, lesson_version) from public.lesson_completions),
  row(tests.get_user_id('learner_a'), tests.org_id('org-one'), 1), 'and it is remembered, with the version she read');
select lives_ok($$ select public.complete_lesson(current_setting('test.lesson')::uuid) $$, 'marking it again is harmless');
select is((select count(*)::int from public.lesson_completions), 1, 'still one row');
select throws_ok($$ select public.complete_lesson(current_setting('test.draft')::uuid) $$, 'PT409', null, 'an unpublished lesson cannot be done');
select throws_ok(format($$ insert into public.lesson_completions (user_id, lesson_id, organization_id, lesson_version) values (%L, %L, %L, 1) $$,
                        tests.get_user_id('learner_b'), current_setting('test.lesson'), tests.org_id('org-one')),
  '42501', null, 'nobody writes completions directly (here: in another learner''s name)');
select throws_ok($$ delete from public.lesson_completions $$, '42501', null, 'nor deletes them');

select tests.authenticate_as('learner_b');
select is_empty($$ select 1 from public.lesson_completions $$, 'learner B does not see learner A''s completion');
select tests.authenticate_as('learner_d');
select throws_ok($$ select public.complete_lesson(current_setting('test.lesson')::uuid) $$, 'PT404', null, 'a learner of org-two cannot complete org-one''s lesson');
select tests.authenticate_as('instructor_1');
select is((select array_agg(user_id) from public.lesson_completions), array[tests.get_user_id('learner_a')], 'org-one''s instructor reads her learners'' completions');
select tests.authenticate_as('admin_2');
select is_empty($$ select 1 from public.lesson_completions $$, 'the admin of org-two does not');
select tests.authenticate_as_anon();
select throws_ok($$ select 1 from public.lesson_completions $$, '42501', null, 'anonymous callers cannot read the table');
-- A learner who leaves the organisation keeps her own row, hidden from its staff.
select tests.clear_authentication();
delete from public.organization_members where user_id = tests.get_user_id('learner_a') and organization_id = tests.org_id('org-one');
select tests.authenticate_as('instructor_1');
select is_empty($$ select 1 from public.lesson_completions $$, 'staff no longer read a former member''s completions');

-- ---------------------------------------------------------------------------
-- 3. Public profile: equipped avatar, and nothing once private
-- ---------------------------------------------------------------------------
select tests.clear_authentication();
update public.profiles set selected_avatar_id = (select id from public.avatars where is_default order by position limit 1)
 where id = tests.get_user_id('learner_b');
select tests.authenticate_as_anon();
select is(public.get_public_profile('learner_b') -> 'avatar' ->> 'name',
  (select name from public.avatars where is_default order by position limit 1), 'anyone sees a public profile''s equipped avatar');
select tests.authenticate_as('learner_b');
update public.profiles set profile_visibility = 'private' where id = auth.uid();
select tests.authenticate_as_anon();
select throws_ok($$ select public.get_public_profile('learner_b') $$, 'PT404', null, 'a private profile is not found by a visitor');
select tests.authenticate_as('learner_d');
select throws_ok($$ select public.get_public_profile('learner_b') $$, 'PT404', null, 'nor by a signed-in learner of another organisation');

select * from finish();
rollback;
