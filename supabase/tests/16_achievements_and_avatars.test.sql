-- Achievements: each of the seven criteria types unlocks exactly once, in the submission that
-- reaches it (or when the level changes), grants its XP, unlocks its avatar, hidden ones stay
-- invisible until earned; progress; avatars: defaults, unlocks, equip only what you own.
begin;
select plan(42);

select tests.create_actors();
-- 100 questions: every quiz below draws questions never answered correctly before (full XP).
select tests.create_test_exam(50);

-- A controlled catalog: the seeded achievements are switched off, one per criteria type is added.
update public.achievements set is_active = false;
insert into public.achievements (slug, name, description, criteria_type, criteria_value, exam_id, xp_reward, is_hidden, position) values
  ('t-quiz-2', 'T Two Quizzes', 'Complete 2 quizzes', 'quiz_completed', 2, null, 10, false, 1),
  ('t-perfect-1', 'T Perfect', 'Score 100% once', 'perfect_quiz', 1, null, 20, false, 2),
  ('t-high-2', 'T High Twice', 'Score 90%+ twice', 'high_score_quiz', 2, null, 30, false, 3),
  ('t-correct-15', 'T Fifteen Right', 'Answer 15 correctly', 'correct_answers', 15, null, 40, false, 4),
  ('t-streak-2', 'T Two Days', 'Study 2 days in a row', 'study_streak', 2, null, 50, false, 5),
  ('t-level-2', 'T Level Two', 'Reach level 2', 'level_reached', 2, null, 60, false, 6),
  ('t-exam-3', 'T Exam Thrice', 'Complete 3 test-exam quizzes', 'exam_specific', 3, 'test-exam', 70, false, 7),
  ('t-hidden-first', 'T Secret', 'A secret first quiz', 'quiz_completed', 1, null, 5, true, 8);
insert into public.avatars (slug, name, image_url, rarity, required_achievement_id, position)
select 't-avatar', 'T Secret Avatar', '/avatars/t.png', 'legendary', id, 100 from public.achievements where slug = 't-hidden-first';
insert into public.avatars (slug, name, image_url, rarity, required_achievement_id, position)
select 't-locked', 'T Locked Avatar', '/avatars/t2.png', 'epic', id, 101 from public.achievements where slug = 't-perfect-1';

create temporary table unlocked (quiz integer, slug text, avatars jsonb) on commit drop;
create function pg_temp.quiz(n integer, at timestamptz, right_answers integer) returns jsonb language plpgsql as $$
declare
  r jsonb;
begin
  perform tests.freeze_time(at);
  r := tests.take_quiz('learner_a', 10, right_answers);
  perform tests.clear_authentication();
  insert into unlocked select n, u ->> 'slug', u -> 'avatars_unlocked' from jsonb_array_elements(r -> 'achievements_unlocked') u;
  return r;
end;
$$;

-- ---------------------------------------------------------------------------
-- Hidden before it is earned
-- ---------------------------------------------------------------------------
select tests.authenticate_as_anon();
select is_empty($$ select id from public.achievements where slug like 't-%' and is_hidden $$, 'anon does not see hidden achievements');
select tests.authenticate_as('learner_a');
select is_empty($$ select id from public.achievements where slug = 't-hidden-first' $$, 'learner A does not see it before earning it');
select is((select count(*)::int from public.get_my_achievements() where slug like 't-%'), 7,
  'get_my_achievements lists the 7 visible test achievements, not the hidden one');
select tests.clear_authentication();

-- ---------------------------------------------------------------------------
-- The learner's journey
-- ---------------------------------------------------------------------------
select pg_temp.quiz(1, '2026-04-01 16:00:00+00', 10);
select results_eq($$ select slug from unlocked where quiz = 1 order by slug $$,
  array['t-hidden-first', 't-level-2', 't-perfect-1'],
  'quiz 1 (10/10, 150 XP): perfect_quiz, quiz_completed(1, hidden) and level_reached(2) unlock');
select pg_temp.quiz(2, '2026-04-01 16:10:00+00', 5);
select results_eq($$ select slug from unlocked where quiz = 2 order by slug $$, array['t-correct-15', 't-quiz-2'],
  'quiz 2 (5/10): quiz_completed(2) and correct_answers(15) unlock');
select pg_temp.quiz(3, '2026-04-02 16:00:00+00', 9);
select results_eq($$ select slug from unlocked where quiz = 3 order by slug $$, array['t-exam-3', 't-high-2', 't-streak-2'],
  'quiz 3 the next day (9/10): high_score_quiz(2), study_streak(2) and exam_specific(3) unlock');
select pg_temp.quiz(4, '2026-04-03 16:00:00+00', 10);
select pg_temp.quiz(5, '2026-04-03 16:30:00+00', 10);
select is_empty($$ select slug from unlocked where quiz in (4, 5) $$, 'qualifying again unlocks nothing');

select is_empty($$ select slug from unlocked group by slug having count(*) <> 1 $$, 'every achievement was reported unlocked exactly once');
select is((select count(*)::int from public.user_achievements ua join public.achievements a on a.id = ua.achievement_id
           where ua.user_id = tests.get_user_id('learner_a') and a.slug like 't-%'), 8, 'learner A holds each of the 8 exactly once');
select set_eq($$ select distinct a.criteria_type::text from public.user_achievements ua join public.achievements a on a.id = ua.achievement_id
                 where ua.user_id = tests.get_user_id('learner_a') $$,
  array['quiz_completed', 'perfect_quiz', 'high_score_quiz', 'correct_answers', 'study_streak', 'level_reached', 'exam_specific'],
  'all seven criteria types were exercised');
select is_empty($$ select a.slug from public.user_achievements ua join public.achievements a on a.id = ua.achievement_id
                   where ua.user_id = tests.get_user_id('learner_a') and not a.is_active $$, 'inactive achievements are never awarded');
select is((select sum(amount)::int from public.xp_events where user_id = tests.get_user_id('learner_a') and source = 'achievement'), 285,
  'achievement rewards are in the ledger: 10+20+30+40+50+60+70+5 = 285 XP');
select is((select xp from public.profiles where id = tests.get_user_id('learner_a')), 920::bigint,
  'total XP = quizzes (150+50+135+150+150) + rewards (285) = 920');
select throws_ok(format($$ insert into public.user_achievements (user_id, achievement_id) select %L, id from public.achievements where slug = 't-quiz-2' $$,
                        tests.get_user_id('learner_a')), '23505', null, 'the primary key makes a second unlock impossible');

-- Level changes outside a quiz also unlock.
select tests.authenticate_as('platform_admin');
select is((select jsonb_agg(u ->> 'slug') from jsonb_array_elements(
            public.admin_adjust_xp(tests.get_user_id('learner_b'), 100, 'welcome bonus') -> 'achievements_unlocked') u),
          '["t-level-2"]'::jsonb, 'reaching level 2 through an XP adjustment unlocks level_reached(2)');

-- ---------------------------------------------------------------------------
-- Hidden after it is earned; progress
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select is((select count(*)::int from public.achievements where slug = 't-hidden-first'), 1, 'learner A now sees the hidden achievement');
select is((select count(*)::int from public.get_my_achievements() where slug like 't-%' and earned), 8, 'and it is listed as earned');
select tests.authenticate_as('learner_b');
select is_empty($$ select id from public.achievements where slug = 't-hidden-first' $$, 'learner B still does not see it');
select tests.clear_authentication();
select tests.freeze_time('2026-04-05 12:00:00+00');
select tests.take_quiz('learner_b', 10, 5);
select is((select (progress, progress_percent, earned) from public.get_my_achievements() where slug = 't-correct-15'),
  row(5, 33.3::numeric, false), 'progress toward correct_answers(15): 5 of 15, 33.3%');
select is((select (progress, earned) from public.get_my_achievements() where slug = 't-quiz-2'), row(1, false),
  'progress toward quiz_completed(2): 1');
select is((select (progress, earned) from public.get_my_achievements() where slug = 't-level-2'), row(2, true),
  'an earned achievement shows full progress');

-- ---------------------------------------------------------------------------
-- Who reads earned achievements
-- ---------------------------------------------------------------------------
select is_empty($$ select achievement_id from public.user_achievements where user_id = tests.get_user_id('learner_a') $$,
  'learner B does not read learner A''s achievements');
select throws_ok($$ insert into public.user_achievements (user_id, achievement_id) select auth.uid(), id from public.achievements limit 1 $$,
  '42501', null, 'learner B cannot award themselves an achievement');
select throws_ok($$ insert into public.achievements (slug, name, description, criteria_type, criteria_value) values ('mine', 'Mine', 'x', 'quiz_completed', 1) $$,
  '42501', null, 'learners cannot add achievements');
select tests.authenticate_as('instructor_1');
select is((select count(*)::int from public.user_achievements where user_id = tests.get_user_id('learner_a')), 8,
  'the instructor of org 1 reads learner A''s achievements');
select tests.authenticate_as('admin_2');
select is_empty($$ select achievement_id from public.user_achievements where user_id = tests.get_user_id('learner_a') $$,
  'the admin of org 2 does not');
select tests.authenticate_as('platform_admin');
select lives_ok($$ insert into public.achievements (slug, name, description, criteria_type, criteria_value, xp_reward)
                   values ('t-new', 'T New', 'A new one', 'quiz_completed', 500, 10) $$, 'the platform admin adds achievements');

-- ---------------------------------------------------------------------------
-- Avatars
-- ---------------------------------------------------------------------------
select tests.clear_authentication();
select is((select avatars -> 0 ->> 'slug' from unlocked where slug = 't-hidden-first'), 't-avatar',
  'the unlock reports the avatar it grants');
select tests.authenticate_as('learner_a');
select is((select source from public.user_avatars where user_id = auth.uid() and avatar_id = (select id from public.avatars where slug = 't-avatar')),
  'achievement', 'learner A owns the avatar unlocked by the achievement');
select is((public.equip_avatar((select id from public.avatars where slug = 't-avatar')) ->> 'name'), 'T Secret Avatar',
  'learner A equips an avatar they own');
select is((select selected_avatar_id from public.profiles where id = auth.uid()), (select id from public.avatars where slug = 't-avatar'),
  'the profile shows it');
select is((public.get_avatar_collection() ->> 'owned')::int, 5, 'collection: 3 defaults + 2 unlocked (t-avatar, t-locked)');
select is((public.get_avatar_collection() ->> 'total')::int, 20, 'out of 20 avatars (18 seeded + 2 test)');
select is((select (r ->> 'owned')::int from jsonb_array_elements(public.get_avatar_collection() -> 'by_rarity') r where r ->> 'rarity' = 'legendary'), 1,
  'per-rarity counts: one legendary owned');

select tests.authenticate_as('learner_b');
select throws_ok($$ select public.equip_avatar((select id from public.avatars where slug = 't-locked')) $$, '42501',
  'you have not unlocked the avatar ''T Locked Avatar'' yet', 'learner B cannot equip an avatar they do not own');
select tests.authenticate_as('learner_d');
select is((select a ->> 'unlock_achievement' from jsonb_array_elements(public.get_avatar_collection() -> 'avatars') a where a ->> 'slug' = 't-avatar'),
  '{"id": null, "name": "a hidden achievement"}', 'the collection hides which hidden achievement unlocks an avatar (learner D has not earned it)');
select throws_ok($$ select public.equip_avatar((select id from public.avatars where slug = 't-avatar')) $$, '42501', null,
  'and equipping it is refused, with a hint that does not name the hidden achievement');
select tests.authenticate_as('learner_b');
select throws_ok($$ select public.equip_avatar(-1) $$, 'PT404', null, 'an unknown avatar is not found');
select is((select count(*)::int from public.user_avatars where user_id = tests.get_user_id('learner_a')), 0,
  'learner B does not see learner A''s collection');
select throws_ok($$ insert into public.user_avatars (user_id, avatar_id) select auth.uid(), id from public.avatars where slug = 't-avatar' $$,
  '42501', null, 'learner B cannot grant themselves an avatar');
select tests.authenticate_as_anon();
select is((select count(*)::int from public.avatars), 20, 'anon reads the avatar catalog');
select throws_ok($$ select public.equip_avatar(1) $$, '42501', null, 'anon cannot equip avatars');

select * from finish();
rollback;
