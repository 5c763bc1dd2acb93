-- The shared SQL helpers (migration 20261207060000): private.can_manage_member, the one "may
-- manage this member" rule of the organisation policies and invitation functions, allowed and
-- denied for every actor; private.learner_time_zone, the analytics functions' time zone, callable
-- by no API role; the analytics functions' explicit grants.
begin;
select plan(40);

select tests.create_actors();
select tests.freeze_time('2026-07-01 20:00:00+00');

-- ---------------------------------------------------------------------------
-- can_manage_member: the helper itself
-- ---------------------------------------------------------------------------
select has_function('private', 'can_manage_member', array['uuid', 'org_role'], 'private.can_manage_member(org, role) exists');
select isnt_definer('private', 'can_manage_member', array['uuid', 'org_role']::name[], 'it is security invoker');
select function_privs_are('private', 'can_manage_member', array['uuid', 'org_role'], 'anon', '{}'::text[], 'anon may not call it');
select function_privs_are('private', 'can_manage_member', array['uuid', 'org_role'], 'authenticated', array['EXECUTE'],
  'authenticated may (the policies call it)');

select tests.authenticate_as('owner_1');
select ok(private.can_manage_member(tests.org_id('org-one')), 'an owner manages members');
select ok(private.can_manage_member(tests.org_id('org-one'), 'owner'), 'and owners');
select ok(not private.can_manage_member(tests.org_id('org-two')), 'but not in another organisation');

select tests.authenticate_as('admin_1');
select ok(private.can_manage_member(tests.org_id('org-one'), 'learner'), 'an admin manages learners');
select ok(private.can_manage_member(tests.org_id('org-one'), 'admin'), 'and admins');
select ok(not private.can_manage_member(tests.org_id('org-one'), 'owner'), 'not owners');
select ok(not private.can_manage_member(tests.org_id('org-two')), 'nor anyone in another organisation');

select tests.authenticate_as('instructor_1');
select ok(not private.can_manage_member(tests.org_id('org-one'), 'learner'), 'an instructor manages nobody');

select tests.authenticate_as('learner_a');
select ok(not private.can_manage_member(tests.org_id('org-one'), 'learner'), 'a learner manages nobody');

select tests.authenticate_as('outsider');
select ok(not private.can_manage_member(tests.org_id('org-one'), 'learner'), 'an outsider manages nobody');

select tests.authenticate_as('platform_admin');
select ok(private.can_manage_member(tests.org_id('org-one'), 'owner'), 'a platform admin manages everyone');

select tests.authenticate_as_service_role();
select ok(private.can_manage_member(tests.org_id('org-two'), 'owner'), 'so does the service role');

select tests.authenticate_as_anon();
select throws_ok($$ select private.can_manage_member(tests.org_id('org-one')) $$, '42501', null, 'anon cannot even ask');

-- ---------------------------------------------------------------------------
-- can_manage_member in the organization_members policies
-- ---------------------------------------------------------------------------
select tests.authenticate_as('admin_1');
with u as (update public.organization_members set role = 'instructor'
                      where organization_id = tests.org_id('org-one') and user_id = tests.get_user_id('learner_b') returning 1)
select is(count(*)::int, 1, 'an admin changes a learner''s role') from u;
with u as (update public.organization_members set role = 'admin'
                      where organization_id = tests.org_id('org-one') and user_id = tests.get_user_id('owner_1') returning 1)
select is(count(*)::int, 0, 'an admin cannot demote the owner') from u;
select throws_ok(format($$ update public.organization_members set role = 'owner'
                           where organization_id = %L and user_id = %L $$, tests.org_id('org-one'), tests.get_user_id('learner_b')),
  '42501', null, 'nor make someone an owner');
with d as (delete from public.organization_members
                      where organization_id = tests.org_id('org-one') and user_id = tests.get_user_id('owner_1') returning 1)
select is(count(*)::int, 0, 'nor remove the owner') from d;

select tests.authenticate_as('instructor_1');
with d as (delete from public.organization_members
                      where organization_id = tests.org_id('org-one') and user_id = tests.get_user_id('learner_a') returning 1)
select is(count(*)::int, 0, 'an instructor cannot remove a learner') from d;

select tests.authenticate_as('owner_1');
with u as (update public.organization_members set role = 'owner'
                      where organization_id = tests.org_id('org-one') and user_id = tests.get_user_id('admin_1') returning 1)
select is(count(*)::int, 1, 'an owner makes an admin an owner') from u;
with d as (delete from public.organization_members
                      where organization_id = tests.org_id('org-one') and user_id = tests.get_user_id('learner_b') returning 1)
select is(count(*)::int, 1, 'and removes a member') from d;

-- ---------------------------------------------------------------------------
-- can_manage_member in the invitation functions
-- ---------------------------------------------------------------------------
select tests.authenticate_as('admin_2');
select set_config('test.org_two_invitation',
  public.invite_to_organization(tests.org_id('org-two'), 'new-owner@test.ascend.local', 'owner') ->> 'invitation_id', true);
select isnt(current_setting('test.org_two_invitation'), '', 'the owner of org-two invites an owner');
select tests.authenticate_as('learner_d');
select throws_ok($$ select public.invite_to_organization(tests.org_id('org-two'), 'x@test.ascend.local') $$, '42501',
  'only owners and admins of this organisation invite members', 'a learner invites nobody');
select tests.authenticate_as('instructor_1');
select throws_ok($$ select public.import_invitations(tests.org_id('org-one'), '[{"line": 1, "email": "y@test.ascend.local"}]') $$, '42501',
  'only owners and admins of this organisation invite members', 'an instructor imports nobody');
-- admin_1 became an owner above; a fresh admin shows the owner rule.
select tests.clear_authentication();
select tests.create_user('admin_3', null, '{}', '{"username": "admin_3"}');
insert into public.organization_members (organization_id, user_id, role) values (tests.org_id('org-one'), tests.get_user_id('admin_3'), 'admin');
select tests.authenticate_as('admin_3');
select ok((public.invite_to_organization(tests.org_id('org-one'), 'z@test.ascend.local', 'learner')) ? 'invitation_id',
  'an admin invites a learner');
select throws_ok($$ select public.invite_to_organization(tests.org_id('org-one'), 'w@test.ascend.local', 'owner') $$, '42501',
  'only owners invite owners', 'but not an owner');
select is((public.import_invitations(tests.org_id('org-one'), '[{"line": 1, "email": "v@test.ascend.local", "role": "owner"}]') -> 'errors' -> 0 ->> 'line')::int,
  1, 'nor through an import');
select throws_ok(format($$ select public.revoke_invitation(%L) $$, current_setting('test.org_two_invitation')),
  'PT404', null, 'nor revoke another organisation''s invitation');

-- ---------------------------------------------------------------------------
-- learner_time_zone and the analytics functions
-- ---------------------------------------------------------------------------
select tests.clear_authentication();
select has_function('private', 'learner_time_zone', array['uuid'], 'private.learner_time_zone(user) exists');
select isnt_definer('private', 'learner_time_zone', array['uuid']::name[], 'it is security invoker');
select is(private.learner_time_zone(tests.get_user_id('learner_b')), 'Asia/Tokyo', 'it gives the profile''s time zone');
select tests.authenticate_as('learner_a');
select throws_ok(format($$ select private.learner_time_zone(%L) $$, tests.get_user_id('learner_b')), '42501', null,
  'a learner cannot read another''s time zone through it');
select tests.authenticate_as_anon();
select throws_ok(format($$ select private.learner_time_zone(%L) $$, tests.get_user_id('learner_b')), '42501', null, 'nor can anon');

-- At 20:00 UTC on 1 July (a Wednesday) Tokyo is on 2 July; New York is still on 1 July.
select tests.authenticate_as('learner_b');
select is((select max(day) from public.get_daily_activity(7)), '2026-07-02'::date, 'daily activity ends on the learner''s local today');
select tests.authenticate_as('learner_a');
select is((select max(day) from public.get_daily_activity(7)), '2026-07-01'::date, 'in each learner''s own zone');
select is((select max(week_start) from public.get_accuracy_trend(null, 4)), '2026-06-29'::date, 'weeks start on the local Monday');

-- ---------------------------------------------------------------------------
-- The analytics functions' grants
-- ---------------------------------------------------------------------------
select tests.clear_authentication();
select is(
  (select count(*)::int from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
   where n.nspname = 'public'
     and p.proname in ('get_domain_performance', 'get_weak_areas', 'get_exam_readiness', 'get_study_recommendations',
                       'get_accuracy_trend', 'get_daily_activity', 'get_cohort_overview')
     and pg_catalog.has_function_privilege('authenticated', p.oid, 'EXECUTE')
     and not pg_catalog.has_function_privilege('anon', p.oid, 'EXECUTE')),
  7, 'the seven analytics functions: authenticated may call them, anon may not');

select * from finish();
rollback;
