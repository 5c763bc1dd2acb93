-- Membership by consent: nobody joins an organisation without accepting an invitation; inviting
-- answers the same whether or not an account uses the address; staff see a learner only while the
-- learner is an accepted member; a new organisation's staff see nobody until someone accepts.
-- The attack first (the hostile owner of a brand-new organisation), then one block per actor.
begin;
select plan(57);

select tests.create_actors();
select tests.create_test_exam(10);
select tests.freeze_time('2026-07-01 12:00:00+00');
-- The outsider (in no organisation) has progress a hostile owner would like to read.
select tests.take_quiz('outsider', 10, 7);
select tests.clear_authentication();
select tests.create_user('unconfirmed', 'unconfirmed@test.ascend.local');
update auth.users set email_confirmed_at = null where id = tests.get_user_id('unconfirmed');

-- ---------------------------------------------------------------------------
-- The attack: create an organisation, add a stranger by e-mail, read their data
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_d');
select is((public.create_organization('Hostile Org', 'hostile-org')).slug, 'hostile-org', 'anyone may still create an organisation');
select hasnt_function('public', 'add_organization_member', 'the add-a-member-by-e-mail RPC is gone');
select throws_ok(format($$ insert into public.organization_members (organization_id, user_id, role) values (%L, %L, 'learner') $$,
                        tests.org_id('hostile-org'), tests.get_user_id('outsider')),
  '42501', null, 'its owner cannot insert a membership for someone else');
select is_empty($$ select id from public.profiles where id = tests.get_user_id('outsider') $$,
  'the new organisation''s owner sees nobody''s profile');
select is_empty($$ select id from public.quiz_attempts where user_id <> auth.uid() $$, 'nor anybody''s attempts');
select is_empty($$ select attempt_id from public.quiz_attempt_items where user_id <> auth.uid() $$, 'nor their answers');
select is_empty($$ select user_id from public.xp_events where user_id <> auth.uid() $$, 'nor their XP');
select throws_ok(format($$ select * from public.get_exam_stats(%L) $$, tests.get_user_id('outsider')), '42501', null,
  'nor their per-exam stats');
select throws_ok(format($$ select * from public.get_domain_performance('test-exam', %L) $$, tests.get_user_id('outsider')), '42501', null,
  'nor their analytics');

-- No enumeration oracle: the same answer with and without an account.
select set_config('test.known', public.invite_to_organization(tests.org_id('hostile-org'), 'Outsider@test.ascend.local')::text, true);
select set_config('test.unknown', public.invite_to_organization(tests.org_id('hostile-org'), 'no-such-person@test.ascend.local')::text, true);
select is(current_setting('test.known')::jsonb - 'invitation_id' - 'email' - 'expires_at',
          current_setting('test.unknown')::jsonb - 'invitation_id' - 'email' - 'expires_at',
  'inviting an address with an account and one without gives the same answer');
select is((select array_agg(k order by k) from jsonb_object_keys(current_setting('test.known')::jsonb) k),
          (select array_agg(k order by k) from jsonb_object_keys(current_setting('test.unknown')::jsonb) k),
  'with the same fields');
select is(current_setting('test.known')::jsonb ->> 'expires_at', current_setting('test.unknown')::jsonb ->> 'expires_at',
  'and the same expiry');
select is(public.invite_to_organization(tests.org_id('hostile-org'), 'learner_d@test.ascend.local') - 'invitation_id' - 'email' - 'expires_at',
          current_setting('test.unknown')::jsonb - 'invitation_id' - 'email' - 'expires_at',
  'inviting someone who is already a member answers the same too');
select is_empty($$ select id from public.profiles where id = tests.get_user_id('outsider') $$,
  'a pending invitation shows the owner nothing');

-- ---------------------------------------------------------------------------
-- The invitee decides
-- ---------------------------------------------------------------------------
select tests.authenticate_as('outsider');
select results_eq($$ select organization_slug, role::text from public.get_my_invitations() $$,
  $$ values ('hostile-org'::text, 'learner'::text) $$, 'the invitee lists the invitation addressed to them');
select is((select count(*)::int from public.organization_invitations), 1, 'and reads only that invitation row');
select throws_ok(format($$ select public.accept_invitation(%L) $$, current_setting('test.unknown')::jsonb ->> 'invitation_id'),
  'PT404', null, 'nobody accepts an invitation addressed to another e-mail');
select lives_ok(format($$ select public.decline_invitation(%L) $$, current_setting('test.known')::jsonb ->> 'invitation_id'),
  'the invitee declines');
select throws_ok(format($$ select public.accept_invitation(%L) $$, current_setting('test.known')::jsonb ->> 'invitation_id'),
  'PT404', null, 'a declined invitation cannot be accepted afterwards');
select is_empty($$ select * from public.get_my_invitations() $$, 'and it is no longer listed');

select tests.authenticate_as('learner_d');
select is((select status::text from public.organization_invitations where id = (current_setting('test.known')::jsonb ->> 'invitation_id')::uuid),
  'declined', 'the owner sees the invitation was declined');
select is_empty($$ select id from public.quiz_attempts where user_id = tests.get_user_id('outsider') $$,
  'and still sees nothing of the invitee');

select set_config('test.again', public.invite_to_organization(tests.org_id('hostile-org'), 'outsider@test.ascend.local') ->> 'invitation_id', true);
select tests.authenticate_as('outsider');
select is(public.accept_invitation(current_setting('test.again')::uuid) -> 'member' ->> 'role', 'learner',
  'invited again, the invitee accepts and becomes a learner');
select throws_ok($$ select public.accept_invitation(current_setting('test.again')::uuid) $$, 'PT404', null,
  'an invitation is accepted once');

select tests.authenticate_as('learner_d');
select isnt_empty($$ select id from public.quiz_attempts where user_id = tests.get_user_id('outsider') $$,
  'once the learner accepted, the owner reads their attempts');
select lives_ok(format($$ select * from public.get_exam_stats(%L) $$, tests.get_user_id('outsider')), 'and their stats');

select tests.authenticate_as('outsider');
select lives_ok(format($$ delete from public.organization_members where organization_id = %L and user_id = auth.uid() $$,
                       tests.org_id('hostile-org')), 'the learner leaves');
select tests.authenticate_as('learner_d');
select is_empty($$ select id from public.quiz_attempts where user_id = tests.get_user_id('outsider') $$,
  'from then on the owner sees none of their attempts');
select is_empty($$ select id from public.profiles where id = tests.get_user_id('outsider') $$, 'nor their profile');
select throws_ok(format($$ select * from public.get_exam_stats(%L) $$, tests.get_user_id('outsider')), '42501', null,
  'nor their stats');

-- ---------------------------------------------------------------------------
-- Link invitations
-- ---------------------------------------------------------------------------
select tests.authenticate_as('owner_1');
select set_config('test.link', public.invite_to_organization(tests.org_id('org-one'), null, 'instructor', 3)::text, true);
select ok(current_setting('test.link')::jsonb ->> 'token' is not null and current_setting('test.link')::jsonb -> 'email' = 'null'::jsonb,
  'a link invitation (no e-mail) returns its secret token once');
select is((select count(*)::int from public.organization_invitations
           where token_hash = current_setting('test.link')::jsonb ->> 'token'), 0, 'only a hash of the token is stored');
select tests.authenticate_as('learner_b');
select is_empty($$ select id from public.organization_invitations $$, 'a learner cannot see the link invitations of their organisation');
select tests.authenticate_as('outsider');
select throws_ok($$ select public.accept_invitation(p_token => 'not-the-token') $$, 'PT404', null, 'a wrong token matches nothing');
select throws_ok($$ select public.accept_invitation() $$, '22023', null, 'an invitation id or a token is needed');
select is(public.accept_invitation(p_token => current_setting('test.link')::jsonb ->> 'token') -> 'member' ->> 'role', 'instructor',
  'the holder of the link joins with its role');
select throws_ok($$ select public.accept_invitation(p_token => current_setting('test.link')::jsonb ->> 'token') $$, 'PT404', null,
  'a link invitation is used once');

-- ---------------------------------------------------------------------------
-- Expiry, revocation, unconfirmed addresses
-- ---------------------------------------------------------------------------
select tests.authenticate_as('admin_1');
select set_config('test.expiring', public.invite_to_organization(tests.org_id('org-one'), 'learner_d@test.ascend.local', 'learner', 1) ->> 'invitation_id', true);
select set_config('test.revoked', public.invite_to_organization(tests.org_id('org-one'), 'platform_admin@test.ascend.local') ->> 'invitation_id', true);
select set_config('test.unconfirmed', public.invite_to_organization(tests.org_id('org-one'), 'unconfirmed@test.ascend.local') ->> 'invitation_id', true);
select throws_ok($$ select public.invite_to_organization(tests.org_id('org-one'), 'not an address') $$, '22023', null,
  'an invalid e-mail address is refused');
select throws_ok($$ select public.invite_to_organization(tests.org_id('org-one'), 'x@test.ascend.local', 'learner', 31) $$, '22023', null,
  'an invitation lasts 30 days at most');
select is((public.revoke_invitation(current_setting('test.revoked')::uuid)) ->> 'status', 'revoked', 'an admin revokes a pending invitation');
select throws_ok($$ select public.revoke_invitation(current_setting('test.revoked')::uuid) $$, 'PT409', null, 'revoking twice is a conflict');
select tests.authenticate_as('platform_admin');
select throws_ok($$ select public.accept_invitation(current_setting('test.revoked')::uuid) $$, 'PT404', null,
  'a revoked invitation cannot be accepted');
select tests.freeze_time('2026-07-02 12:00:01+00');
select tests.authenticate_as('learner_d');
select is_empty($$ select * from public.get_my_invitations() where organization_slug = 'org-one' $$, 'an expired invitation is not listed');
select throws_ok($$ select public.accept_invitation(current_setting('test.expiring')::uuid) $$, 'PT404', null,
  'nor can it be accepted');
select tests.freeze_time('2026-07-01 12:00:00+00');
select tests.authenticate_as('unconfirmed');
select is_empty($$ select * from public.get_my_invitations() $$, 'an unconfirmed e-mail address sees no invitation');
select throws_ok($$ select public.accept_invitation(current_setting('test.unconfirmed')::uuid) $$, 'PT404', null,
  'and cannot accept one: an unconfirmed address proves nothing');

-- ---------------------------------------------------------------------------
-- Who manages invitations
-- ---------------------------------------------------------------------------
select tests.authenticate_as('instructor_1');
select throws_ok($$ select public.invite_to_organization(tests.org_id('org-one'), 'someone@test.ascend.local') $$, '42501', null,
  'an instructor cannot invite');
select is_empty($$ select id from public.organization_invitations $$, 'nor see the organisation''s invitations');
select tests.authenticate_as('learner_a');
select throws_ok($$ select public.revoke_invitation(current_setting('test.expiring')::uuid) $$, 'PT404', null,
  'a learner cannot revoke invitations');
select throws_ok(format($$ insert into public.organization_invitations (organization_id, email, expires_at) values (%L, 'me@x.test', now() + interval '1 day') $$,
                        tests.org_id('org-one')), '42501', null, 'nobody writes invitations directly');
select tests.authenticate_as('admin_2');
select is_empty(format($$ select id from public.organization_invitations where organization_id = %L $$, tests.org_id('org-one')),
  'the admin of org 2 sees none of org 1''s invitations');
select throws_ok($$ select public.revoke_invitation(current_setting('test.expiring')::uuid) $$, 'PT404', null,
  'and cannot revoke them');
select tests.authenticate_as('admin_1');
select is((select count(*)::int from public.organization_invitations where organization_id = tests.org_id('org-one')), 4,
  'the admin of org 1 sees its invitations (link, expiring, revoked, unconfirmed)');
select throws_ok($$ update public.organization_invitations set status = 'accepted', responded_at = now() $$, '42501', null,
  'and cannot rewrite them');
select tests.authenticate_as('platform_admin');
select ok((select count(*) from public.organization_invitations) >= 7, 'the platform admin sees every invitation');
select tests.authenticate_as_anon();
select throws_ok($$ select * from public.organization_invitations $$, '42501', null, 'anon reads no invitations');
select throws_ok($$ select public.accept_invitation(p_token => 'x') $$, '42501', null, 'anon accepts nothing');

select * from finish();
rollback;
