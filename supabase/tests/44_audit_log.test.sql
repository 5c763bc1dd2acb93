-- Audit log: a Studio-style edit as postgres is on record with the database role as its actor;
-- API edits carry auth.uid() and the JWT role; before/after images with secrets redacted; the log
-- is append-only for everyone; org admins read their organisation's rows, platform admins all.
begin;
select plan(38);

select tests.create_actors();
select tests.create_test_exam(2);

-- ---------------------------------------------------------------------------
-- Studio: postgres edits rows directly, no JWT
-- ---------------------------------------------------------------------------
select tests.clear_authentication();
select set_config('test.before', (select coalesce(max(id), 0)::text from public.audit_log), true);
update public.organizations set name = 'Org One Renamed' where slug = 'org-one';
select results_eq($$
  select actor_id, actor_role, db_user, organization_id, table_name, record_id, action, changed_columns
  from public.audit_log where id > current_setting('test.before')::bigint
$$, $$ values (null::uuid, 'postgres'::text, 'postgres'::text, tests.org_id('org-one'), 'public.organizations'::text,
               tests.org_id('org-one')::text, 'UPDATE'::text, array['name']::text[]) $$,
  'a Studio edit as postgres is recorded: no user, actor_role and db_user postgres, the organisation, the table, the row, UPDATE, the changed column');
select results_eq($$
  select old_data ->> 'name', new_data ->> 'name' from public.audit_log where id > current_setting('test.before')::bigint
$$, $$ values ('Org One'::text, 'Org One Renamed'::text) $$, 'with the row before and after');
select ok((select occurred_at = now() from public.audit_log where id > current_setting('test.before')::bigint),
  'and when (the transaction''s time)');
select ok((select transaction_id = txid_current() from public.audit_log where id > current_setting('test.before')::bigint),
  'and in which transaction');

update public.organizations set name = 'Org One Renamed' where slug = 'org-one';
select is((select count(*)::int from public.audit_log where id > current_setting('test.before')::bigint), 1,
  'an update that changes nothing writes nothing');

delete from public.team_members;
insert into public.teams (organization_id, name) values (tests.org_id('org-one'), 'Blue team');
delete from public.teams where name = 'Blue team';
select results_eq($$ select action, old_data ->> 'name', new_data ->> 'name' from public.audit_log
                     where table_name = 'public.teams' order by id $$,
  $$ values ('INSERT'::text, null::text, 'Blue team'::text), ('DELETE', 'Blue team', null) $$,
  'Studio inserts and deletes are recorded with their images');
select results_eq($$ select actor_role, organization_id from public.audit_log where table_name = 'public.exams' and record_id = 'test-exam' $$,
  $$ values ('postgres'::text, null::uuid) $$, 'platform-wide content (exams) is recorded without an organisation');

-- Keys: their organisation comes from the question.
insert into public.questions (exam_id, domain_id, organization_id, stem, options, status)
select 'test-exam', d.id, tests.org_id('org-one'), 'Org question for the audit test?', '{"A": "a", "B": "b", "C": "c", "D": "d"}', 'published'
from public.exam_domains d where d.exam_id = 'test-exam' and d.code = '1.0';
insert into public.question_keys (question_id, correct_answer, explanations)
select q.id, 'A', '{"A": "a", "B": "b", "C": "c", "D": "d"}' from public.questions q where q.stem = 'Org question for the audit test?';
select is((select organization_id from public.audit_log where table_name = 'public.question_keys' order by id desc limit 1), tests.org_id('org-one'),
  'an answer key''s row belongs to its question''s organisation');

-- Secrets are redacted.
insert into public.organization_invitations (organization_id, token_hash, role, expires_at)
values (tests.org_id('org-one'), 'deadbeefdeadbeef', 'learner', now() + interval '7 days');
select is((select new_data ->> 'token_hash' from public.audit_log where table_name = 'public.organization_invitations' order by id desc limit 1),
  '[redacted]', 'an invitation link''s token hash is redacted');

-- ---------------------------------------------------------------------------
-- API edits: the user and their JWT role
-- ---------------------------------------------------------------------------
select tests.authenticate_as('admin_1');
update public.organizations set description = 'Edited through the API' where slug = 'org-one';
select tests.clear_authentication();
select results_eq($$ select actor_id, actor_role, changed_columns from public.audit_log where table_name = 'public.organizations' order by id desc limit 1 $$,
  $$ values (tests.get_user_id('admin_1'), 'authenticated'::text, array['description']::text[]) $$,
  'an API edit records auth.uid() and the JWT role');

select tests.authenticate_as_service_role();
update public.organizations set description = 'Edited by a backend' where slug = 'org-two';
select tests.clear_authentication();
select results_eq($$ select actor_id, actor_role, organization_id from public.audit_log where table_name = 'public.organizations' order by id desc limit 1 $$,
  $$ values (null::uuid, 'service_role'::text, tests.org_id('org-two')) $$, 'a service_role edit records the role, no user');

select tests.authenticate_as('learner_a');
update public.profiles set display_name = 'Alice A.' where id = auth.uid();
select tests.clear_authentication();
select results_eq($$ select actor_id, changed_columns from public.audit_log where table_name = 'public.profiles' $$,
  $$ values (tests.get_user_id('learner_a'), array['display_name']::text[]) $$, 'a profile''s identity edit is recorded');
select tests.take_quiz('learner_b', 4, 2);
select tests.clear_authentication();
select is((select count(*)::int from public.audit_log where table_name = 'public.profiles'), 1,
  'progress changes of a quiz (XP, streak, counters) are not audit rows');
select tests.authenticate_as('platform_admin');
select public.admin_adjust_xp(tests.get_user_id('learner_b'), 25, 'event prize');
select tests.clear_authentication();
select results_eq($$ select actor_id, new_data ->> 'amount', new_data ->> 'note' from public.audit_log where table_name = 'public.xp_events' $$,
  $$ values (tests.get_user_id('platform_admin'), '25'::text, 'event prize'::text) $$, 'an XP adjustment is recorded, quiz XP is not');

-- ---------------------------------------------------------------------------
-- Append-only, for everyone
-- ---------------------------------------------------------------------------
select throws_ok($$ update public.audit_log set actor_role = 'nobody' $$, '42501', null, 'not even postgres may change an audit row');
select throws_ok($$ delete from public.audit_log $$, '42501', null, 'nor delete one');
select throws_ok($$ truncate public.audit_log $$, '42501', null, 'nor truncate the log');
select tests.authenticate_as('admin_1');
select throws_ok($$ insert into public.audit_log (actor_role, table_name, action) values ('x', 'y', 'INSERT') $$, '42501', null,
  'API roles cannot write audit rows');
select throws_ok($$ update public.audit_log set actor_role = 'x' $$, '42501', null, 'nor change them');
select throws_ok($$ delete from public.audit_log $$, '42501', null, 'nor delete them');
select tests.authenticate_as_service_role();
select throws_ok($$ delete from public.audit_log $$, '42501', null, 'the service role neither');
select throws_ok($$ insert into public.audit_log (actor_role, table_name, action) values ('x', 'y', 'INSERT') $$, '42501', null,
  'nor forges rows');

-- ---------------------------------------------------------------------------
-- Who reads what
-- ---------------------------------------------------------------------------
select tests.authenticate_as('admin_1');
select ok((select count(*) > 0 from public.audit_log), 'admin_1 reads audit rows');
select is((select count(*)::int from public.audit_log where organization_id is distinct from tests.org_id('org-one')), 0,
  'only their organisation''s');
select tests.authenticate_as('owner_1');
select ok((select count(*) > 0 from public.audit_log where organization_id = tests.org_id('org-one')), 'owner_1 reads org-one''s rows');
select tests.authenticate_as('admin_2');
select ok((select count(*) > 0 from public.audit_log), 'admin_2 reads audit rows');
select is((select count(*)::int from public.audit_log where organization_id is distinct from tests.org_id('org-two')), 0,
  'only org-two''s');
select tests.authenticate_as('instructor_1');
select is_empty($$ select 1 from public.audit_log $$, 'instructors do not read the audit log');
select tests.authenticate_as('learner_a');
select is_empty($$ select 1 from public.audit_log $$, 'learners neither, not even rows about themselves');
select tests.authenticate_as('learner_b');
select is_empty($$ select 1 from public.audit_log $$, 'nor learner_b, whose XP was adjusted');
select tests.authenticate_as('learner_d');
select is_empty($$ select 1 from public.audit_log $$, 'nor learner_d');
select tests.authenticate_as('platform_admin');
select ok((select count(*) from public.audit_log where organization_id is null) > 0
          and exists (select 1 from public.audit_log where organization_id = tests.org_id('org-one'))
          and exists (select 1 from public.audit_log where organization_id = tests.org_id('org-two')),
  'platform admins read every row, platform-wide ones included');
select tests.authenticate_as_anon();
select throws_ok($$ select 1 from public.audit_log $$, '42501', null, 'anon cannot read the audit log');
select tests.authenticate_as_service_role();
select ok((select count(*) > 0 from public.audit_log where organization_id is null), 'service_role reads every row');

-- ---------------------------------------------------------------------------
-- Coverage
-- ---------------------------------------------------------------------------
select tests.clear_authentication();
select set_eq($$
  select distinct c.relname::text collate "default" from pg_trigger t join pg_class c on c.oid = t.tgrelid
  join pg_proc p on p.oid = t.tgfoid where p.proname = 'audit_row' and c.relnamespace = 'public'::regnamespace
$$, array['organizations', 'organization_members', 'organization_invitations', 'teams', 'team_members', 'exams', 'exam_domains',
          'questions', 'question_keys', 'question_reports', 'achievements', 'avatars', 'profiles', 'xp_events',
          'lessons', 'lesson_versions', 'lesson_comments', 'webhook_endpoints'],
  'every governing table has the audit trigger');
select is_empty($$
  select c.relname from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
  where p.proname = 'audit_row' and (t.tgtype & 1) = 0
$$, 'audit triggers are row-level');
select ok(has_table_privilege('authenticated', 'public.audit_log', 'select')
          and not has_table_privilege('authenticated', 'public.audit_log', 'insert')
          and not has_table_privilege('service_role', 'public.audit_log', 'update'),
  'API roles may only select');
select is((select count(*)::int from public.audit_log where table_name = 'public.organization_members' and actor_role = 'postgres'), 7,
  'the seven memberships create_actors inserted as postgres are on record');

select * from finish();
rollback;
