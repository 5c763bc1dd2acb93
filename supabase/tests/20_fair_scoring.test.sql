-- Fair scoring, with exact numbers: organisation questions stay in their organisation (drawn only
-- in its practice, counted only on its boards); no XP for answers whose key the learner could read
-- (authors, staff of the owning organisation, platform admins for the global bank), checked at
-- draw and at grading; 10 XP only for the first correct answer to a question in 30 days (repeats
-- 0 XP, the accuracy bonus applies to what was earned); quizzes under 10 questions do not count as
-- completed quizzes; a time-zone change reaches streaks only from the next local day.
begin;
select plan(45);

select tests.create_actors();
select tests.create_test_exam(50);
update public.achievements set is_active = false;
select tests.create_user('learner_c', null, '{}', '{"username": "learner_c"}');
select tests.create_user('learner_f', null, '{}', '{"username": "learner_f"}');
select tests.create_user('hopper', null, '{}', '{"username": "hopper", "time_zone": "Etc/GMT+12"}');
select tests.freeze_time('2026-09-01 12:00:00+00');

-- Org 1's instructor publishes 12 questions of the global exam for org 1; org 2's owner publishes 3 for org 2.
create function pg_temp.publish(author text, org text, n integer) returns void language plpgsql as $$
begin
  perform tests.authenticate_as(author);
  for i in 1 .. n loop
    perform public.save_question(jsonb_build_object(
      'exam_id', 'test-exam', 'domain_code', '1.0', 'organization_id', tests.org_id(org), 'status', 'published',
      'stem', format('Organisation %s question %s: which option is right?', org, i),
      'options', jsonb_build_object('A', 'a', 'B', 'b', 'C', 'c', 'D', 'd'), 'correct_answer', 'C',
      'explanations', jsonb_build_object('A', 'no', 'B', 'no', 'C', 'yes', 'D', 'no')));
  end loop;
  perform tests.clear_authentication();
end;
$$;
select pg_temp.publish('instructor_1', 'org-one', 12);
select pg_temp.publish('admin_2', 'org-two', 3);

-- Answers: every question right, with the key read as the database owner.
create function pg_temp.all_right(attempt uuid) returns jsonb language sql as $$
  select tests.answer_sheet(attempt, 100)
$$;
create function pg_temp.take(who text, n integer, org text default null) returns jsonb language plpgsql as $$
declare
  v_attempt uuid;
begin
  perform tests.authenticate_as(who);
  v_attempt := (public.start_quiz('test-exam', n, p_organization => tests.org_id(org)) ->> 'attempt_id')::uuid;
  return public.submit_quiz(v_attempt, pg_temp.all_right(v_attempt));
end;
$$;

-- ---------------------------------------------------------------------------
-- Organisation questions are drawn only in their organisation's practice
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select is_empty($$ select q ->> 'question_id' from jsonb_array_elements(public.start_quiz('test-exam', 100) -> 'questions') q
                   join public.questions x on x.id = (q ->> 'question_id')::bigint where x.organization_id is not null $$,
  'global practice of a global exam draws no organisation question (learner A, a member of org 1)');
select set_config('test.orgquiz', public.start_quiz('test-exam', 50, p_organization => tests.org_id('org-one'))::text, true);
select is((current_setting('test.orgquiz')::jsonb ->> 'question_count')::int, 12, 'org 1''s practice draws its 12 questions');
select ok((select bool_and(x.organization_id = tests.org_id('org-one'))
           from jsonb_array_elements(current_setting('test.orgquiz')::jsonb -> 'questions') q
           join public.questions x on x.id = (q ->> 'question_id')::bigint), 'and only org 1''s questions');
select throws_ok($$ select public.start_quiz('test-exam', 5, p_organization => tests.org_id('org-two')) $$, '42501', null,
  'nobody practises the questions of an organisation they do not belong to');

-- ---------------------------------------------------------------------------
-- The attack: an owner answers their own organisation's questions with the keys
-- ---------------------------------------------------------------------------
select tests.authenticate_as('owner_1');
select isnt_empty(format($$ select question_id from public.question_keys k join public.questions q on q.id = k.question_id
                            where q.organization_id = %L $$, tests.org_id('org-one')), 'owner 1 can read the keys of org 1''s questions');
select set_config('test.owner', pg_temp.take('owner_1', 12, 'org-one')::text, true);
select is((current_setting('test.owner')::jsonb ->> 'score')::int, 12, 'owner 1 answers all 12 right');
select is((current_setting('test.owner')::jsonb ->> 'xp_earned')::int, 0, 'and earns 0 XP: every answer is recorded but unscored');
select is((select count(*)::int from jsonb_array_elements(current_setting('test.owner')::jsonb -> 'results') r
           where r ->> 'xp_rule' = 'key_known' and (r ->> 'xp_awarded')::int = 0), 12, 'each answer says why (key_known)');
select set_config('test.author', pg_temp.take('instructor_1', 12, 'org-one')::text, true);
select is((current_setting('test.author')::jsonb ->> 'xp_earned')::int, 0, 'their author (org 1''s instructor) earns 0 XP too');
select tests.authenticate_as('platform_admin');
select is((pg_temp.take('platform_admin', 10) ->> 'xp_earned')::int, 0,
  'a platform admin (who manages the global bank) earns 0 XP on global questions');
select tests.clear_authentication();
select is((select xp from public.profiles where id = tests.get_user_id('owner_1')), 0::bigint, 'owner 1''s global XP is still 0');

-- Key access gained or lost between draw and submission still counts.
select tests.authenticate_as('learner_b');
select set_config('test.promoted', public.start_quiz('test-exam', 12, p_organization => tests.org_id('org-one')) ->> 'attempt_id', true);
select tests.authenticate_as('owner_1');
update public.organization_members set role = 'instructor' where user_id = tests.get_user_id('learner_b');
select tests.authenticate_as('learner_b');
select is((public.submit_quiz(current_setting('test.promoted')::uuid, pg_temp.all_right(current_setting('test.promoted')::uuid)) ->> 'xp_earned')::int, 0,
  'a learner made instructor before submitting earns 0 XP (keys readable at grading)');
select set_config('test.demoted', public.start_quiz('test-exam', 12, p_organization => tests.org_id('org-one')) ->> 'attempt_id', true);
select tests.authenticate_as('owner_1');
update public.organization_members set role = 'learner' where user_id = tests.get_user_id('learner_b');
select tests.authenticate_as('learner_b');
select is((public.submit_quiz(current_setting('test.demoted')::uuid, pg_temp.all_right(current_setting('test.demoted')::uuid)) ->> 'xp_earned')::int, 0,
  'an instructor demoted after drawing earns 0 XP too (keys readable at draw)');

-- ---------------------------------------------------------------------------
-- Organisation XP counts only on its boards
-- ---------------------------------------------------------------------------
select set_config('test.orgxp', pg_temp.take('learner_a', 12, 'org-one')::text, true);
select is((current_setting('test.orgxp')::jsonb ->> 'xp_earned')::int, 180, 'learner A earns 12 x 10 + 50% = 180 XP on org 1''s questions');
select is(current_setting('test.orgxp')::jsonb -> 'counts_as_completed_quiz', 'false'::jsonb, 'the quiz is not a global completed quiz');
select tests.clear_authentication();
select is((select (xp, quizzes_completed, questions_answered) from public.profiles where id = tests.get_user_id('learner_a')),
  row(0::bigint, 0, 0), 'learner A''s global XP and counters are unchanged');
select is((select sum(amount)::int from public.xp_events where user_id = tests.get_user_id('learner_a') and organization_id = tests.org_id('org-one')),
  180, 'the ledger keeps the 180 XP, tagged with org 1');
select is_empty($$ select exam_id from public.learner_exam_stats where user_id = tests.get_user_id('learner_a') $$,
  'global per-exam stats ignore it');
select private.refresh_leaderboards();
select tests.authenticate_as('learner_a');
select is(public.get_leaderboard('xp') -> 'current_user_entry', 'null'::jsonb, 'learner A is not on the global XP board');
select is(public.get_leaderboard('exam', 'all_time', 'test-exam') -> 'current_user_entry', 'null'::jsonb, 'nor on the global exam board');
select is((public.get_leaderboard('xp', p_organization => tests.org_id('org-one')) -> 'current_user_entry' ->> 'score')::int, 180,
  'org 1''s XP board counts the 180 XP');
select is((public.get_leaderboard('exam', 'weekly', 'test-exam', tests.org_id('org-one')) -> 'current_user_entry' ->> 'score')::int, 180,
  'and so does org 1''s exam board');
select tests.authenticate_as('learner_d');
select is_empty($$ select e from jsonb_array_elements(public.get_leaderboard('xp', p_organization => tests.org_id('org-two')) -> 'entries') e
                   where e ->> 'username' = 'learner_a' $$, 'org 2''s board does not');

-- ---------------------------------------------------------------------------
-- First correct answer in 30 days: 10 XP; repeats 0 XP
-- ---------------------------------------------------------------------------
select is((pg_temp.take('learner_c', 100) ->> 'xp_earned')::int, 1500, 'learner C answers all 100 global questions right: 1000 + 50% = 1500 XP');
select set_config('test.repeat', pg_temp.take('learner_c', 10)::text, true);
select is((current_setting('test.repeat')::jsonb ->> 'score')::int, 10, 'the same day, 10 of them again, all right');
select is((current_setting('test.repeat')::jsonb ->> 'xp_earned')::int, 0, 'earn 0 XP: correct repeats within 30 days are unscored');
select is((current_setting('test.repeat')::jsonb -> 'xp_breakdown') - 'achievements'::text,
  '{"base": 0, "accuracy_bonus": 0, "bonus_percent": 50, "unscored_repeats": 10, "unscored_known_keys": 0}'::jsonb,
  'and no accuracy bonus on nothing');
select is((current_setting('test.repeat')::jsonb -> 'results' -> 0 ->> 'xp_rule'), 'repeat', 'each answer says why (repeat)');
select is((select (correct_answers, first_correct_answers) from public.profiles where id = tests.get_user_id('learner_c')), row(110, 100),
  'repeats count for accuracy (110 correct) but not toward correct-answer achievements (100)');
select tests.freeze_time('2026-09-30 11:59:00+00');
select is((pg_temp.take('learner_c', 10) ->> 'xp_earned')::int, 0, '29 days later they still earn nothing');
select tests.freeze_time('2026-12-05 12:00:00+00');
select is((pg_temp.take('learner_c', 10) ->> 'xp_earned')::int, 150, 'after 30 days without a correct answer to them: 100 + 50% = 150 XP');
select tests.freeze_time('2026-09-01 12:00:00+00');

-- A question answered wrong and then right earns its 10 XP once.
select tests.authenticate_as('learner_f');
select set_config('test.wrong', public.start_quiz('test-exam', 10) ->> 'attempt_id', true);
select public.submit_quiz(current_setting('test.wrong')::uuid, tests.answer_sheet(current_setting('test.wrong')::uuid, 0));
select set_config('test.review', public.start_quiz('test-exam', 10, null, 'review') ->> 'attempt_id', true);
select is((public.submit_quiz(current_setting('test.review')::uuid, pg_temp.all_right(current_setting('test.review')::uuid)) ->> 'xp_earned')::int, 150,
  'the 10 questions answered wrong, now answered right in review mode: 150 XP (first correct answers)');

-- ---------------------------------------------------------------------------
-- Quizzes under 10 questions are not completed quizzes
-- ---------------------------------------------------------------------------
select tests.clear_authentication();
insert into public.achievements (slug, name, description, criteria_type, criteria_value, exam_id, xp_reward, position) values
  ('f-quiz-3', 'F Three Quizzes', 'Complete 3 quizzes', 'quiz_completed', 3, null, 0, 1),
  ('f-perfect-2', 'F Two Perfect', 'Two perfect quizzes', 'perfect_quiz', 2, null, 0, 2),
  ('f-exam-3', 'F Exam Three', 'Three test-exam quizzes', 'exam_specific', 3, 'test-exam', 0, 3);
select tests.freeze_time('2026-09-02 12:00:00+00');
select set_config('test.small', pg_temp.take('learner_f', 9)::text, true);
select is((current_setting('test.small')::jsonb ->> 'xp_earned')::int, 135, 'a 9-question quiz, all right, earns its XP (90 + 50%)');
select is(current_setting('test.small')::jsonb -> 'counts_as_completed_quiz', 'false'::jsonb, 'but is not a completed quiz');
select is(current_setting('test.small')::jsonb -> 'achievements_unlocked', '[]'::jsonb, 'and unlocks nothing');
select tests.clear_authentication();
select is((select (quizzes_completed, perfect_quizzes, high_score_quizzes) from public.profiles where id = tests.get_user_id('learner_f')),
  row(2, 1, 1), 'learner F: 2 completed quizzes (the 10-question ones), 1 perfect (the review), the 9-question one not counted');
select set_config('test.third', pg_temp.take('learner_f', 10)::text, true);
select results_eq($$ select u ->> 'slug' from jsonb_array_elements(current_setting('test.third')::jsonb -> 'achievements_unlocked') u order by 1 $$,
  array['f-exam-3', 'f-perfect-2', 'f-quiz-3'], 'a third 10-question quiz (perfect) unlocks the quiz-count, perfect and per-exam achievements');

-- ---------------------------------------------------------------------------
-- Streaks: the time-zone hop
-- ---------------------------------------------------------------------------
select tests.freeze_time('2026-03-10 20:00:00+00');
select is(pg_temp.take('hopper', 3) -> 'streak' ->> 'current', '1', 'in Etc/GMT+12 (08:00 on the 10th) a quiz starts a streak of 1');
select tests.authenticate_as('hopper');
update public.profiles set time_zone = 'Pacific/Kiritimati' where id = auth.uid();
select tests.clear_authentication();
select is((select (time_zone, streak_time_zone, pending_time_zone, pending_time_zone_from) from public.profiles where id = tests.get_user_id('hopper')),
  row('Pacific/Kiritimati'::text, 'Etc/GMT+12'::text, 'Pacific/Kiritimati'::text, '2026-03-11 12:00:00+00'::timestamptz),
  'moving to Pacific/Kiritimati (already the 11th there) reaches streaks only from the next local midnight in Etc/GMT+12');
select tests.freeze_time('2026-03-10 20:00:05+00');
select set_config('test.hop', pg_temp.take('hopper', 3)::text, true);
select is((current_setting('test.hop')::jsonb -> 'streak' ->> 'current')::int, 1, 'a quiz seconds later no longer moves the streak 1 -> 2');
select is(current_setting('test.hop')::jsonb -> 'streak' ->> 'status', 'unchanged', 'it is the same day');
select tests.authenticate_as('hopper');
update public.profiles set time_zone = 'Asia/Tokyo' where id = auth.uid();
select tests.clear_authentication();
select is((select (pending_time_zone, pending_time_zone_from) from public.profiles where id = tests.get_user_id('hopper')),
  row('Asia/Tokyo'::text, '2026-03-11 12:00:00+00'::timestamptz),
  'changing again the same day replaces the pending zone without moving its start: one change per local day');
select tests.freeze_time('2026-03-11 13:00:00+00');
select is(pg_temp.take('hopper', 3) -> 'streak' ->> 'time_zone', 'Asia/Tokyo', 'from that midnight on, the streak follows Tokyo');
select tests.freeze_time('2026-03-12 03:00:00+00');
select is((pg_temp.take('hopper', 3) -> 'streak' ->> 'current')::int, 2, 'and the next Tokyo day extends it to 2');
select tests.authenticate_as('hopper');
select throws_ok($$ update public.profiles set streak_time_zone = 'Pacific/Kiritimati' where id = auth.uid() $$, '42501', null,
  'nobody sets the streak zone directly');

select * from finish();
rollback;
