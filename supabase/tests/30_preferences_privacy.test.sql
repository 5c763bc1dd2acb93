-- Preferences, privacy and departments: each learner's preferences row (theirs alone), profile
-- visibility honoured by profile reads, the public profile RPC and leaderboards, and departments
-- above teams managed by owners and admins. One block per actor, allowed and denied.
begin;
select plan(77);

select tests.create_actors();
select tests.create_test_exam(50);
update public.achievements set is_active = false;
select tests.freeze_time('2026-06-10 12:00:00+00');
select tests.take_quiz('learner_a', 10, 10);
select tests.take_quiz('learner_b', 10, 5);
select tests.take_quiz('learner_d', 10, 8);
select tests.clear_authentication();
select private.refresh_leaderboards();

-- ---------------------------------------------------------------------------
-- Structure
-- ---------------------------------------------------------------------------
select is_empty($$
  select c.relname from pg_class c
  where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and not c.relrowsecurity
    and c.relname in ('user_preferences', 'departments', 'notifications', 'email_outbox', 'assignments',
                      'assignment_recipients', 'tasks', 'follows')
$$, 'RLS is on for every engagement table');
select is((select count(*)::int from public.user_preferences where user_id in (select id from public.profiles)),
          (select count(*)::int from public.profiles), 'every profile has its preferences row (created on sign-up)');
select col_default_is('public', 'profiles', 'profile_visibility', 'public'::public.profile_visibility, 'profiles are public by default');

-- ---------------------------------------------------------------------------
-- anon
-- ---------------------------------------------------------------------------
select tests.authenticate_as_anon();
select throws_ok($$ select * from public.user_preferences $$, '42501', null, 'anon cannot read preferences');
select throws_ok($$ select * from public.departments $$, '42501', null, 'anon cannot read departments');
select throws_ok($$ select public.get_my_settings() $$, '42501', null, 'anon has no settings');
select is(public.get_public_profile('learner_a') ->> 'display_name', 'learner_a', 'anon reads a public profile');
select ok(not (public.get_public_profile('learner_a') ? 'time_zone'), 'the public profile carries no time zone or e-mail');

-- ---------------------------------------------------------------------------
-- learner A: own preferences and settings
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select is((select count(*)::int from public.user_preferences), 1, 'learner A reads only their own preferences');
select lives_ok($$ update public.user_preferences set theme = 'dark', language = 'pt-BR', email_achievements = false where user_id = auth.uid() $$,
  'learner A edits their preferences');
select is((select (theme::text, language, email_achievements) from public.user_preferences), ('dark'::text, 'pt-BR'::text, false),
  'the edit is stored');
select is_empty(format($$ update public.user_preferences set theme = 'light' where user_id = %L returning user_id $$, tests.get_user_id('learner_b')),
  'learner A cannot edit learner B''s preferences');
select throws_ok($$ update public.user_preferences set language = 'English' where user_id = auth.uid() $$, '23514', null,
  'a language must be a tag such as en or pt-BR');
select throws_ok($$ update public.user_preferences set quiet_hours_start = '22:00' where user_id = auth.uid() $$, '23514', null,
  'quiet hours need a start and an end');
select throws_ok($$ insert into public.user_preferences (user_id) values (gen_random_uuid()) $$, '42501', null,
  'nobody inserts preferences (they come with the profile)');
select throws_ok($$ update public.user_preferences set user_id = gen_random_uuid() where user_id = auth.uid() $$, '42501', null,
  'the owner of a preferences row cannot change');
select is(public.update_my_settings('{"quiet_hours_start": "22:00", "quiet_hours_end": "07:00", "time_zone": "Europe/Paris", "date_format": "DD/MM/YYYY"}')
          - 'updated_at' - 'email_weekly_progress' - 'email_streak_reminder' - 'email_assignments' - 'email_training_reports' - 'theme' - 'language' - 'email_achievements',
  '{"time_zone": "Europe/Paris", "profile_visibility": "public", "show_on_leaderboards": true, "date_format": "DD/MM/YYYY", "quiet_hours_start": "22:00:00", "quiet_hours_end": "07:00:00", "ai_uses_memories": false}'::jsonb,
  'update_my_settings changes profile and preference settings together and returns them all');
select throws_ok($$ select public.update_my_settings('{"colour": "red"}') $$, '22023', null, 'an unknown setting is refused');
select throws_ok($$ select public.update_my_settings('{"theme": "neon"}') $$, '22023', null, 'so is an invalid value');
select throws_ok($$ select public.update_my_settings('{"time_zone": "Moon/Base"}') $$, '23514', null, 'and an unknown time zone');
select tests.clear_authentication();
select is(private.after_quiet_hours(tests.get_user_id('learner_a'), '2026-06-10 21:30:00+00'), '2026-06-11 05:00:00+00'::timestamptz,
  'quiet hours 22:00-07:00 Paris: 23:30 local waits until 07:00 local the next day');
select is(private.after_quiet_hours(tests.get_user_id('learner_a'), '2026-06-10 12:00:00+00'), '2026-06-10 12:00:00+00'::timestamptz,
  'outside quiet hours nothing waits');

select tests.authenticate_as('learner_b');
select is((select user_id from public.user_preferences), tests.get_user_id('learner_b'), 'learner B reads only their own preferences');
select tests.authenticate_as('instructor_1');
select is((select count(*)::int from public.user_preferences), 1, 'the instructor reads no learner''s preferences');
select tests.authenticate_as('admin_1');
select is_empty(format($$ update public.user_preferences set theme = 'light' where user_id = %L returning user_id $$, tests.get_user_id('learner_a')),
  'the admin of org 1 cannot change a learner''s preferences');
select tests.authenticate_as('admin_2');
select is((select count(*)::int from public.user_preferences), 1, 'the admin of org 2 reads only their own');

-- ---------------------------------------------------------------------------
-- Visibility: organisation
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select lives_ok($$ select public.update_my_settings('{"profile_visibility": "organisation"}') $$, 'learner A limits their profile to their organisation');
select tests.authenticate_as('learner_b');
select is(public.get_public_profile('LEARNER_A') ->> 'username', 'learner_a', 'a co-member reads it (username is case-insensitive)');
select is((select e ->> 'username' from jsonb_array_elements(public.get_leaderboard('xp') -> 'entries') e where e ->> 'username' = 'learner_a'),
  'learner_a', 'and sees learner A by name on the global board');
select tests.authenticate_as('learner_d');
select throws_ok($$ select public.get_public_profile('learner_a') $$, 'PT404', null, 'someone of another organisation gets PT404');
select throws_ok($$ select public.get_public_profile('nobody-at-all') $$, 'PT404', null, 'the same answer as for a name nobody uses');
select is((select jsonb_agg(e -> 'anonymous' order by (e ->> 'position')::int) from jsonb_array_elements(public.get_leaderboard('xp') -> 'entries') e),
  '[true, null, null]'::jsonb, 'on the global board learner A is anonymous to learner D (rank kept)');
select is((select e from jsonb_array_elements(public.get_leaderboard('xp') -> 'entries') e where (e ->> 'position')::int = 1) - 'level',
  '{"rank": 1, "position": 1, "score": 150, "user_id": null, "username": null, "avatar_url": null, "display_name": "Anonymous learner", "anonymous": true, "is_current_user": false}'::jsonb,
  'an anonymous entry keeps rank and score, nothing that identifies the learner');
select tests.authenticate_as_anon();
select throws_ok($$ select public.get_public_profile('learner_a') $$, 'PT404', null, 'anon gets PT404 for an organisation profile');

-- ---------------------------------------------------------------------------
-- Visibility: private
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
update public.profiles set profile_visibility = 'private' where id = auth.uid();
select is(public.get_public_profile('learner_a') ->> 'profile_visibility', 'private', 'learner A still reads their own private profile');
select is((public.get_leaderboard('xp') -> 'current_user_entry' ->> 'username'), 'learner_a', 'and their own leaderboard entry');
select tests.authenticate_as('learner_b');
select is_empty(format($$ select id from public.profiles where id = %L $$, tests.get_user_id('learner_a')),
  'a co-learner no longer reads learner A''s profile row');
select throws_ok($$ select public.get_public_profile('learner_a') $$, 'PT404', null, 'nor the profile page');
select ok((select bool_and(e ->> 'username' is distinct from 'learner_a') from jsonb_array_elements(public.get_leaderboard('xp') -> 'entries') e),
  'and sees learner A only anonymously on the global board');
select ok((select bool_or((e ->> 'anonymous')::boolean) from jsonb_array_elements(public.get_leaderboard('xp', p_organization => tests.org_id('org-one')) -> 'entries') e),
  'and on the organisation board');
select tests.authenticate_as('instructor_1');
select is((select count(*)::int from public.profiles where id = tests.get_user_id('learner_a')), 1, 'the instructor of org 1 still reads the private profile');
select is((select e ->> 'username' from jsonb_array_elements(public.get_leaderboard('xp', p_organization => tests.org_id('org-one')) -> 'entries') e
           where e ->> 'username' = 'learner_a'), 'learner_a', 'and sees learner A by name on the board');
select tests.authenticate_as('admin_1');
select is(public.get_public_profile('learner_a') ->> 'username', 'learner_a', 'so does the admin of org 1');
select tests.authenticate_as('admin_2');
select throws_ok($$ select public.get_public_profile('learner_a') $$, 'PT404', null, 'the admin of org 2 does not');
select tests.authenticate_as('platform_admin');
select is(public.get_public_profile('learner_a') ->> 'username', 'learner_a', 'a platform admin does');
select is((select count(*)::int from public.user_preferences), (select count(*)::int from public.profiles),
  'a platform admin reads every preferences row (support)');
select is_empty($$ update public.user_preferences set theme = 'light' where user_id <> auth.uid() returning user_id $$, 'but edits nobody else''s');
select tests.authenticate_as_service_role();
select is(public.get_public_profile('learner_a') ->> 'username', 'learner_a', 'the service role reads every profile');
select lives_ok(format($$ update public.user_preferences set email_weekly_progress = false where user_id = %L $$, tests.get_user_id('learner_b')),
  'the service role edits preferences');

-- ---------------------------------------------------------------------------
-- Departments
-- ---------------------------------------------------------------------------
select tests.authenticate_as('admin_1');
select lives_ok(format($$ insert into public.departments (organization_id, name) values (%L, 'Engineering') $$, tests.org_id('org-one')),
  'an org admin creates a department');
select tests.authenticate_as('owner_1');
select lives_ok(format($$ insert into public.departments (organization_id, name) values (%L, 'Sales') $$, tests.org_id('org-one')),
  'so does the owner');
select lives_ok(format($$ insert into public.department_members (department_id, organization_id, user_id)
                         select d.id, d.organization_id, %L from public.departments d where d.name = 'Sales' $$, tests.get_user_id('learner_b')),
  'the owner puts learner B in the Sales department directly');
select tests.authenticate_as('instructor_1');
select is((select count(*)::int from public.department_members), 1, 'the instructor sees the department memberships of org 1');
select throws_ok(format($$ insert into public.department_members (department_id, organization_id, user_id)
                          select d.id, d.organization_id, %L from public.departments d where d.name = 'Sales' $$, tests.get_user_id('learner_a')),
  '42501', null, 'but only owners and admins change them');
select throws_ok(format($$ insert into public.departments (organization_id, name) values (%L, 'Rogue') $$, tests.org_id('org-one')),
  '42501', null, 'an instructor cannot create departments');
select lives_ok(format($$ insert into public.teams (organization_id, name, department_id)
                         select %L, 'Platform team', d.id from public.departments d where d.name = 'Engineering' $$, tests.org_id('org-one')),
  'but places a new team in one');
select is((select d.name from public.teams t join public.departments d on d.id = t.department_id where t.name = 'Platform team'), 'Engineering',
  'teams sit under their department');
select tests.authenticate_as('learner_a');
select is((select count(*)::int from public.departments), 2, 'a member reads their organisation''s departments');
select throws_ok(format($$ insert into public.departments (organization_id, name) values (%L, 'Mine') $$, tests.org_id('org-one')),
  '42501', null, 'a learner cannot create one');
select is_empty($$ update public.departments set name = 'Renamed' returning id $$, 'nor rename one');
select is_empty($$ select user_id from public.department_members $$, 'learner A does not see learner B''s department membership');
select throws_ok(format($$ insert into public.department_members (department_id, organization_id, user_id)
                          select d.id, d.organization_id, %L from public.departments d where d.name = 'Sales' $$, tests.get_user_id('learner_a')),
  '42501', null, 'nor joins a department by themselves');
select tests.authenticate_as('learner_b');
select is((select count(*)::int from public.departments), 2, 'so does learner B');
select is((select count(*)::int from public.department_members), 1, 'and learner B sees their own department membership');
select tests.authenticate_as('learner_d');
select is_empty($$ select id from public.departments $$, 'a member of org 2 sees none of org 1''s departments');
select tests.authenticate_as('admin_2');
select throws_ok(format($$ insert into public.departments (organization_id, name) values (%L, 'Hostile') $$, tests.org_id('org-one')),
  '42501', null, 'the admin of org 2 cannot create a department in org 1');
select is_empty($$ delete from public.departments returning id $$, 'nor delete org 1''s');
select is_empty($$ delete from public.department_members returning user_id $$, 'nor remove org 1''s department members');
select lives_ok(format($$ insert into public.departments (organization_id, name) values (%L, 'Org two dept') $$, tests.org_id('org-two')),
  'but creates one in their own organisation');
select tests.clear_authentication();
select throws_ok(format($$ insert into public.department_members (department_id, organization_id, user_id)
                          select d.id, d.organization_id, %L from public.departments d where d.name = 'Sales' $$, tests.get_user_id('learner_d')),
  '23503', null, 'only members of the organisation join its departments');
select throws_ok(format($$ update public.teams set department_id = (select d.id from public.departments d where d.name = 'Org two dept')
                          where name = 'Platform team' $$),
  '23503', null, 'a team cannot sit under another organisation''s department');
select tests.authenticate_as('platform_admin');
select is((select count(*)::int from public.departments), 3, 'a platform admin reads every department');
select is((select count(*)::int from public.department_members), 1, 'and every department membership');
select tests.authenticate_as('admin_1');
select lives_ok($$ delete from public.departments where name = 'Engineering' $$, 'an admin deletes a department');
select is((select department_id from public.teams where name = 'Platform team'), null::uuid, 'its teams stay, without a department');
select tests.authenticate_as_service_role();
select is((select count(*)::int from public.departments), 2, 'the service role reads every department');
select is((select count(*)::int from public.department_members), 1, 'and every department membership');

select * from finish();
rollback;
