-- Identity and tenancy: profiles created on sign-up, who reads and edits them, organisations,
-- members and roles, teams/cohorts, platform admins, and the custom access token hook.
-- One block per actor; every denial is asserted as explicitly as every permission.
begin;
select plan(75);

select tests.create_actors();

-- ---------------------------------------------------------------------------
-- Sign-up trigger
-- ---------------------------------------------------------------------------
select is((select username from public.profiles where id = tests.get_user_id('learner_a')), 'learner_a',
  'sign-up creates the profile with the username from the metadata');
select is((select time_zone from public.profiles where id = tests.get_user_id('learner_b')), 'Asia/Tokyo',
  'the time zone comes from the sign-up metadata');
select is((select count(*)::int from public.user_avatars where user_id = tests.get_user_id('learner_a') and source = 'default'), 3,
  'three default avatars are granted on sign-up');
select is((select selected_avatar_id from public.profiles where id = tests.get_user_id('learner_a')),
          (select id from public.avatars where is_default order by position limit 1),
  'the first default avatar is equipped');
select is((select (xp, level, current_streak, quizzes_completed) from public.profiles where id = tests.get_user_id('learner_a')),
          row(0::bigint, 1, 0, 0), 'a new learner starts at 0 XP, level 1, no streak');

select tests.create_user('dup', 'Dup@Example.com', '{}', '{"username": "LEARNER_A", "time_zone": "Mars/Olympus"}');
select matches((select username from public.profiles where id = tests.get_user_id('dup')), '^LEARNER_A_[0-9a-f]{5}$',
  'a username taken in another case gets a suffix instead of failing the sign-up');
select is((select time_zone from public.profiles where id = tests.get_user_id('dup')), 'UTC',
  'an unknown time zone falls back to UTC');
select tests.create_user('noname', 'x@example.com');
select is((select username from public.profiles where id = tests.get_user_id('noname')), 'learnerx',
  'without metadata the username comes from the email, padded to 3 characters');

-- ---------------------------------------------------------------------------
-- anon
-- ---------------------------------------------------------------------------
select tests.authenticate_as_anon();
select throws_ok($$ select * from public.profiles $$, '42501', null, 'anon cannot read profiles');
select throws_ok($$ select * from public.organizations $$, '42501', null, 'anon cannot read organisations');
select throws_ok($$ select * from public.organization_members $$, '42501', null, 'anon cannot read memberships');
select throws_ok($$ select public.create_organization('Anon Org', 'anon-org') $$, '42501', null, 'anon cannot create an organisation');

-- ---------------------------------------------------------------------------
-- learner A
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select is((select count(*)::int from public.profiles where id = tests.get_user_id('learner_a')), 1, 'learner A reads their profile');
select is((select count(*)::int from public.profiles where id = tests.get_user_id('learner_b')), 1,
  'learner A reads a co-member''s profile (learner B, same organisation)');
select is_empty($$ select id from public.profiles where id in (tests.get_user_id('learner_d'), tests.get_user_id('outsider')) $$,
  'learner A does not see profiles outside their organisations');

select lives_ok($$ update public.profiles set display_name = 'Alice A', bio = 'Studying for Security+', show_on_leaderboards = false
                   where id = tests.get_user_id('learner_a') $$, 'learner A edits their identity columns');
select is((select display_name from public.profiles where id = tests.get_user_id('learner_a')), 'Alice A', 'the edit is stored');
select is_empty($$ update public.profiles set display_name = 'hacked' where id = tests.get_user_id('learner_b') returning id $$,
  'learner A cannot edit learner B''s profile');
select throws_ok($$ update public.profiles set xp = 99999 where id = tests.get_user_id('learner_a') $$, '42501', null,
  'learner A cannot write their XP');
select throws_ok($$ update public.profiles set level = 50, current_streak = 100 where id = tests.get_user_id('learner_a') $$, '42501', null,
  'learner A cannot write level or streak');
select throws_ok($$ update public.profiles set selected_avatar_id = (select max(id) from public.avatars) where id = tests.get_user_id('learner_a') $$,
  '42501', null, 'learner A cannot set the avatar column directly (equip_avatar checks ownership)');
select throws_ok($$ insert into public.profiles (id, username, display_name) values (gen_random_uuid(), 'ghost', 'Ghost') $$,
  '42501', null, 'learner A cannot insert profiles');
select throws_ok($$ delete from public.profiles where id = tests.get_user_id('learner_a') $$, '42501', null,
  'learner A cannot delete profiles (deleting the auth user does)');
select throws_ok($$ update public.profiles set username = 'LEARNER_B' where id = tests.get_user_id('learner_a') $$, '23505', null,
  'usernames are unique ignoring case');
select throws_ok($$ update public.profiles set username = 'a b' where id = tests.get_user_id('learner_a') $$, '23514', null,
  'usernames are 3-30 letters, digits, _ . -');
select throws_ok($$ update public.profiles set time_zone = 'Moon/Base' where id = tests.get_user_id('learner_a') $$, '23514', null,
  'the time zone must be one PostgreSQL knows');

select results_eq($$ select slug from public.organizations $$, array['org-one'], 'learner A sees only their organisation');
select results_eq($$ select user_id from public.organization_members $$, array[tests.get_user_id('learner_a')],
  'learner A sees only their own membership, not the roster');
select is_empty($$ update public.organizations set name = 'Mine now' where slug = 'org-one' returning id $$,
  'learner A cannot rename the organisation');
select throws_ok(format($$ insert into public.organization_members (organization_id, user_id, role) values (%L, %L, 'learner') $$,
                        tests.org_id('org-one'), tests.get_user_id('outsider')),
  '42501', null, 'learner A cannot add members');
select is_empty($$ update public.organization_members set role = 'admin' where user_id = tests.get_user_id('learner_a') returning user_id $$,
  'learner A cannot promote themselves');
select throws_ok(format($$ insert into public.teams (organization_id, name) values (%L, 'Rogue team') $$, tests.org_id('org-one')),
  '42501', null, 'learner A cannot create teams');
select throws_ok($$ select public.invite_to_organization(tests.org_id('org-one'), 'outsider@test.ascend.local') $$, '42501', null,
  'learner A cannot invite members either');
select ok(not private.is_platform_admin(), 'learner A is not a platform admin');

-- ---------------------------------------------------------------------------
-- admin of org 1 (admin role, not owner)
-- ---------------------------------------------------------------------------
select tests.authenticate_as('admin_1');
select is((select count(*)::int from public.organization_members where organization_id = tests.org_id('org-one')), 5,
  'the admin of org 1 sees the whole roster');
select lives_ok($$ update public.organizations set name = 'Org One Academy' where slug = 'org-one' $$, 'the admin renames the organisation');
select set_config('test.invite', public.invite_to_organization(tests.org_id('org-one'), 'OUTSIDER@test.ascend.local')::text, true);
select is(current_setting('test.invite')::jsonb - 'invitation_id' - 'expires_at',
  jsonb_build_object('organization_id', tests.org_id('org-one'), 'email', 'outsider@test.ascend.local', 'role', 'learner',
                     'status', 'pending', 'token', null),
  'the admin invites an e-mail address, as learner by default (a pending invitation, not a membership)');
select is(public.invite_to_organization(tests.org_id('org-one'), 'outsider@test.ascend.local') ->> 'invitation_id',
  current_setting('test.invite')::jsonb ->> 'invitation_id', 'inviting the same address again renews the same invitation');
select is(public.invite_to_organization(tests.org_id('org-one'), 'nobody@nowhere.test') - 'invitation_id' - 'expires_at' - 'email',
  current_setting('test.invite')::jsonb - 'invitation_id' - 'expires_at' - 'email',
  'an address no account uses gets the very same answer');
select throws_ok($$ select public.invite_to_organization(tests.org_id('org-one'), 'dup@example.com', 'owner') $$, '42501', null,
  'an admin cannot invite an owner');
select tests.authenticate_as('outsider');
select public.accept_invitation((current_setting('test.invite')::jsonb ->> 'invitation_id')::uuid);
select tests.authenticate_as('admin_1');
select lives_ok($$ update public.organization_members set role = 'instructor' where user_id = tests.get_user_id('outsider') $$,
  'once the invitee accepted, the admin changes their role');
select is_empty($$ update public.organization_members set role = 'learner' where user_id = tests.get_user_id('owner_1') returning user_id $$,
  'an admin cannot demote the owner');
select throws_ok($$ update public.organization_members set role = 'owner' where user_id = tests.get_user_id('admin_1') $$, '42501', null,
  'an admin cannot make themselves owner');
select is_empty($$ update public.organizations set name = 'Taken over' where slug = 'org-two' returning id $$,
  'the admin of org 1 cannot touch org 2');
select is_empty($$ delete from public.organizations where slug = 'org-one' returning id $$,
  'an admin (not owner) cannot delete the organisation');

-- ---------------------------------------------------------------------------
-- instructor of org 1: teams and cohorts
-- ---------------------------------------------------------------------------
select tests.authenticate_as('instructor_1');
select lives_ok(format($$ insert into public.teams (organization_id, name, kind) values (%L, 'Spring cohort', 'cohort') $$, tests.org_id('org-one')),
  'the instructor creates a cohort');
select lives_ok(format($$ insert into public.team_members (team_id, organization_id, user_id)
                          select id, organization_id, %L from public.teams where name = 'Spring cohort' $$, tests.get_user_id('learner_a')),
  'the instructor puts learner A in the cohort');
select throws_ok(format($$ insert into public.team_members (team_id, organization_id, user_id)
                           select id, organization_id, %L from public.teams where name = 'Spring cohort' $$, tests.get_user_id('learner_d')),
  '23503', null, 'only members of the organisation can join its cohorts');
select is((select count(*)::int from public.organization_members where organization_id = tests.org_id('org-one')), 6,
  'the instructor sees the roster');
select is_empty($$ update public.organizations set name = 'Instructor Org' where slug = 'org-one' returning id $$,
  'an instructor cannot rename the organisation');
select throws_ok(format($$ insert into public.organization_members (organization_id, user_id) values (%L, %L) $$,
                        tests.org_id('org-one'), tests.get_user_id('dup')),
  '42501', null, 'an instructor cannot add members');

select tests.authenticate_as('learner_a');
select is((select count(*)::int from public.teams), 1, 'learner A sees the cohort of their organisation');
select is((select count(*)::int from public.team_members), 1, 'learner A sees their cohort membership');
select tests.authenticate_as('learner_b');
select is_empty($$ select user_id from public.team_members $$, 'learner B does not see who is in cohorts');
select is_empty($$ delete from public.teams returning id $$, 'learner B cannot delete cohorts');

-- ---------------------------------------------------------------------------
-- admin of org 2
-- ---------------------------------------------------------------------------
select tests.authenticate_as('admin_2');
select results_eq($$ select slug from public.organizations $$, array['org-two'], 'the admin of org 2 sees only org 2');
select is_empty(format($$ select user_id from public.organization_members where organization_id = %L $$, tests.org_id('org-one')),
  'the admin of org 2 does not see org 1''s roster');
select is_empty($$ select id from public.teams $$, 'the admin of org 2 does not see org 1''s cohorts');
select is_empty($$ select id from public.profiles where id = tests.get_user_id('learner_a') $$,
  'the admin of org 2 does not see org 1''s learners');
select throws_ok($$ select public.invite_to_organization(tests.org_id('org-one'), 'dup@example.com') $$, '42501', null,
  'the admin of org 2 cannot invite members to org 1');

-- ---------------------------------------------------------------------------
-- owner of org 1
-- ---------------------------------------------------------------------------
select tests.authenticate_as('owner_1');
select throws_ok($$ delete from public.organization_members where user_id = tests.get_user_id('owner_1') $$, 'PT409', null,
  'the last owner cannot leave');
select set_config('test.owner_invite', public.invite_to_organization(tests.org_id('org-one'), 'dup@example.com', 'owner') ->> 'invitation_id', true);
select tests.authenticate_as('dup');
select lives_ok($$ select public.accept_invitation(current_setting('test.owner_invite')::uuid) $$,
  'an owner invites another owner, who accepts');
select tests.authenticate_as('owner_1');
select lives_ok($$ delete from public.organization_members where user_id = tests.get_user_id('owner_1') $$,
  'with another owner in place, the owner may leave');

-- ---------------------------------------------------------------------------
-- create_organization
-- ---------------------------------------------------------------------------
select tests.authenticate_as('outsider');
select is((public.create_organization('Outsider Labs', 'outsider-labs')).slug, 'outsider-labs', 'any user creates an organisation');
select is((select role::text from public.organization_members m join public.organizations o on o.id = m.organization_id
           where o.slug = 'outsider-labs' and m.user_id = tests.get_user_id('outsider')), 'owner',
  'the creator becomes its owner in the same transaction');
select throws_ok($$ select public.create_organization('Again', 'outsider-labs') $$, 'PT409', null, 'a taken slug is a conflict');
select throws_ok($$ select public.create_organization('Bad', 'Bad Slug!') $$, '22023', null, 'an invalid slug is refused');

-- ---------------------------------------------------------------------------
-- platform admin and service_role
-- ---------------------------------------------------------------------------
select tests.authenticate_as('platform_admin');
select ok(private.is_platform_admin(), 'app_metadata.platform_admin in the JWT makes a platform admin');
select is((select count(*)::int from public.organizations where slug in ('org-one', 'org-two', 'outsider-labs')), 3,
  'the platform admin sees every organisation');
select lives_ok($$ update public.profiles set display_name = 'Renamed by moderation' where id = tests.get_user_id('learner_d') $$,
  'the platform admin moderates any profile');

select tests.authenticate_as_service_role();
select ok((select count(*) from public.profiles) >= 11, 'service_role reads every profile');
select throws_ok($$ update public.profiles set xp = 1 where id = tests.get_user_id('learner_d') $$, '42501', null,
  'not even service_role writes XP');

-- ---------------------------------------------------------------------------
-- custom access token hook, called by its owner: hosted postgres cannot SET ROLE
-- supabase_auth_admin; 10_learning_schema proves that role may execute it,
-- and tests/auth/org-roles.test.ts has GoTrue's stand-in call it
-- ---------------------------------------------------------------------------
select tests.clear_authentication();
select set_config('test.learner_a', tests.get_user_id('learner_a')::text, true),
       set_config('test.org_one', tests.org_id('org-one')::text, true);
select is(public.custom_access_token_hook(jsonb_build_object(
            'user_id', current_setting('test.learner_a'),
            'claims', jsonb_build_object('sub', current_setting('test.learner_a'), 'role', 'authenticated', 'aud', 'authenticated'),
            'authentication_method', 'password')) -> 'claims' -> 'org_roles',
          jsonb_build_object(current_setting('test.org_one'), 'learner'),
  'the hook adds the organisation roles as the org_roles claim');
select is(public.custom_access_token_hook(jsonb_build_object(
            'user_id', current_setting('test.learner_a'),
            'claims', jsonb_build_object('sub', current_setting('test.learner_a'), 'role', 'authenticated', 'aud', 'authenticated')))
            -> 'claims' ->> 'role', 'authenticated', 'the hook keeps the other claims');
reset role;
select tests.authenticate_as('learner_a');
select throws_ok($$ select public.custom_access_token_hook('{}') $$, '42501', null, 'learners cannot call the hook');

select * from finish();
rollback;
