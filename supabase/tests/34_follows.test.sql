-- Follows: a learner follows people whose profile they may see (visibility respected), sees whom
-- they follow and who follows them, unfollows, removes followers; the "people I follow"
-- leaderboard ranks them with the caller and leaves out hidden and opted-out followees.
begin;
select plan(34);

select tests.create_actors();
select tests.create_test_exam(50);
update public.achievements set is_active = false;
select tests.freeze_time('2026-06-10 12:00:00+00');
select tests.take_quiz('learner_a', 10, 10);
select tests.take_quiz('learner_b', 10, 5);
select tests.take_quiz('learner_d', 10, 8);
select tests.clear_authentication();
update public.profiles set profile_visibility = 'organisation' where id = tests.get_user_id('learner_b');

-- ---------------------------------------------------------------------------
-- learner A follows
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select is(public.follow('learner_d') ->> 'is_followed_by_me', 'true', 'learner A follows learner D (public profile, another organisation)');
select is(public.follow('learner_d') ->> 'followers', '1', 'following twice changes nothing');
select lives_ok(format($$ insert into public.follows (followee_id) values (%L) $$, tests.get_user_id('learner_b')),
  'learner A follows learner B (organisation profile, same organisation) through the table');
select throws_ok($$ select public.follow('learner_a') $$, '22023', null, 'nobody follows themselves');
select throws_ok(format($$ insert into public.follows (follower_id, followee_id) values (%L, %L) $$,
                        tests.get_user_id('learner_b'), tests.get_user_id('learner_d')),
  '42501', null, 'a follow cannot be made in someone else''s name');
select is((select count(*)::int from public.follows), 2, 'learner A sees whom they follow');

select results_eq($$ select e ->> 'username', (e ->> 'rank')::int, (e ->> 'score')::int, (e ->> 'is_current_user')::boolean
                     from jsonb_array_elements(public.get_following_leaderboard() -> 'entries') e $$,
  $$ values ('learner_a'::text, 1, 150, true), ('learner_d', 2, 100, false), ('learner_b', 3, 50, false) $$,
  'the following leaderboard ranks learner A with the people they follow, by XP');
select is((public.get_following_leaderboard('streak') ->> 'total')::int, 3, 'there is a streak board too');
select tests.freeze_time('2026-06-22 12:00:00+00');
select is((select jsonb_agg((e ->> 'score')::int) from jsonb_array_elements(public.get_following_leaderboard('xp', 'weekly') -> 'entries') e),
  '[0, 0, 0]'::jsonb, 'the weekly board counts only this week''s XP');
select tests.freeze_time('2026-06-10 12:00:00+00');
select throws_ok($$ select public.get_following_leaderboard('accuracy') $$, '22023', null, 'ranked by xp or streak only');
select throws_ok($$ select public.get_following_leaderboard('streak', 'weekly') $$, '22023', null, 'the streak board is all_time only');

-- ---------------------------------------------------------------------------
-- Visibility is respected
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_d');
select throws_ok($$ select public.follow('learner_b') $$, 'PT404', null, 'learner D cannot follow learner B''s organisation profile');
select throws_ok(format($$ insert into public.follows (followee_id) values (%L) $$, tests.get_user_id('learner_b')),
  '42501', null, 'not even through the table');
select is((select count(*)::int from public.follows), 1, 'learner D sees their follower');
select is(public.get_public_profile('learner_a') ->> 'following', '2', 'and learner A''s public profile counts');
select tests.authenticate_as('learner_b');
select is((select follower_id from public.follows), tests.get_user_id('learner_a'), 'learner B sees that learner A follows them');
update public.profiles set profile_visibility = 'private' where id = auth.uid();
select tests.authenticate_as('learner_a');
select results_eq($$ select e ->> 'username' from jsonb_array_elements(public.get_following_leaderboard() -> 'entries') e $$,
  array['learner_a', 'learner_d'], 'a followee who turns private leaves the board');
select tests.authenticate_as('learner_d');
update public.profiles set show_on_leaderboards = false where id = auth.uid();
select tests.authenticate_as('learner_a');
select results_eq($$ select e ->> 'username' from jsonb_array_elements(public.get_following_leaderboard() -> 'entries') e $$,
  array['learner_a'], 'so does one who opts out of leaderboards');

-- ---------------------------------------------------------------------------
-- Unfollow, remove a follower, other actors
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_d');
select is_empty(format($$ delete from public.follows where follower_id = %L and followee_id = %L returning 1 $$,
                       tests.get_user_id('learner_a'), tests.get_user_id('learner_b')),
  'learner D cannot remove someone else''s follow');
select lives_ok($$ delete from public.follows where followee_id = auth.uid() $$, 'learner D removes their follower');
select tests.authenticate_as('learner_a');
select is(public.unfollow('learner_b'), true, 'learner A unfollows learner B');
select is(public.unfollow('learner_b'), false, 'unfollowing again removes nothing');
select is_empty($$ select 1 from public.follows $$, 'learner A follows nobody now');
select lives_ok($$ select public.follow('learner_d') $$, 'and follows learner D again');
select throws_ok($$ update public.follows set followee_id = followee_id $$, '42501', null, 'follows are not edited');

select tests.authenticate_as('instructor_1');
select is_empty($$ select 1 from public.follows $$, 'the instructor does not see learners'' follows');
select tests.authenticate_as('admin_1');
select is_empty($$ select 1 from public.follows $$, 'nor does the admin of org 1');
select tests.authenticate_as('admin_2');
select is_empty($$ delete from public.follows returning 1 $$, 'the admin of org 2 cannot delete the follow of their learner');
select tests.authenticate_as('platform_admin');
select is((select count(*)::int from public.follows), 1, 'a platform admin sees every follow');
select tests.authenticate_as('outsider');
select throws_ok($$ select public.follow('learner_b') $$, 'PT404', null, 'the outsider cannot follow a private profile');
select is(public.follow('learner_a') ->> 'username', 'learner_a', 'but follows a public one');
select tests.authenticate_as_anon();
select throws_ok($$ select * from public.follows $$, '42501', null, 'anon cannot read follows');
select throws_ok($$ select public.follow('learner_a') $$, '42501', null, 'nor follow');
select tests.authenticate_as_service_role();
select is((select count(*)::int from public.follows), 2, 'the service role reads every follow');

select * from finish();
rollback;
