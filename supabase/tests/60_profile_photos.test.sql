-- Profile photos: profiles.photo_path points at an object of bucket avatars in the user's own
-- folder, written only by set_profile_photo() (after checking the object exists there).
-- Per actor: learner A sets, replaces and clears their photo; nobody points at someone else's
-- object or writes the column directly; anon executes nothing.
begin;
select plan(18);

select tests.create_actors();
select set_config('test.a', tests.get_user_id('learner_a')::text, true),
       set_config('test.b', tests.get_user_id('learner_b')::text, true);

select has_column('public', 'profiles', 'photo_path', 'profiles.photo_path exists');
select ok(not has_column_privilege('authenticated', 'public.profiles', 'photo_path', 'update')
          and not has_column_privilege('service_role', 'public.profiles', 'photo_path', 'update'),
  'no API role writes photo_path directly');

-- learner A
select tests.authenticate_as('learner_a');
insert into storage.objects (bucket_id, name, owner_id) values ('avatars', current_setting('test.a') || '/one.png', current_setting('test.a'));
insert into storage.objects (bucket_id, name, owner_id) values ('avatars', current_setting('test.a') || '/two.webp', current_setting('test.a'));
select is(public.set_profile_photo(current_setting('test.a') || '/one.png'),
  jsonb_build_object('photo_path', current_setting('test.a') || '/one.png', 'previous_path', null),
  'learner A sets their photo to an object in their folder');
select is((select photo_path from public.profiles where id = auth.uid()), current_setting('test.a') || '/one.png',
  'the profile points at it');
select is(public.set_profile_photo(current_setting('test.a') || '/two.webp') ->> 'previous_path', current_setting('test.a') || '/one.png',
  'replacing it answers the previous path (for the caller to delete)');
select throws_ok(format($$ select public.set_profile_photo(%L) $$, current_setting('test.a') || '/missing.png'),
  'PT404', null, 'an object that does not exist is refused');
select throws_ok($$ update public.profiles set photo_path = null where id = auth.uid() $$,
  '42501', null, 'learner A cannot write photo_path directly');

-- learner B's object, pointed at by A
select tests.authenticate_as('learner_b');
insert into storage.objects (bucket_id, name, owner_id) values ('avatars', current_setting('test.b') || '/b.png', current_setting('test.b'));
select is((select photo_path from public.profiles where id = current_setting('test.a')::uuid), current_setting('test.a') || '/two.webp',
  'learner B (same organisation) sees learner A''s photo path');
select tests.authenticate_as('learner_a');
select throws_ok(format($$ select public.set_profile_photo(%L) $$, current_setting('test.b') || '/b.png'),
  'PT404', null, 'learner A cannot use learner B''s object as their photo');
select throws_ok($$ select public.set_profile_photo('avatars/../x.png') $$, 'PT404', null, 'nor a made-up path');
select is(public.set_profile_photo(null) ->> 'photo_path', null, 'learner A clears their photo');
select is((select photo_path from public.profiles where id = auth.uid()), null, 'and the profile has none');
select lives_ok(format($$ select public.set_profile_photo(%L) from generate_series(1, 3) $$, current_setting('test.a') || '/one.png'),
  'learner A sets a photo five times in the hour (clearing is not counted)');
select throws_ok(format($$ select public.set_profile_photo(%L) $$, current_setting('test.a') || '/one.png'),
  'PT429', null, 'the sixth new photo in an hour is refused (seed 003: 5 per hour)');

-- the database itself keeps the rule
select tests.clear_authentication();
select throws_ok(format($$ update public.profiles set photo_path = %L where id = %L $$, current_setting('test.b') || '/b.png', current_setting('test.a')),
  '23514', null, 'even the owner role cannot point a profile outside its own folder');

-- anon, service_role
select tests.authenticate_as_anon();
select throws_ok($$ select public.set_profile_photo(null) $$, '42501', null, 'anon cannot execute set_profile_photo');
select tests.authenticate_as_service_role();
select throws_ok($$ select public.set_profile_photo(null) $$, '42501', null, 'nor the service role (it has no profile)');
select tests.clear_authentication();
select ok(not has_function_privilege('anon', 'public.set_profile_photo(text)', 'execute'), 'anon holds no EXECUTE on it');

select * from finish();
rollback;
