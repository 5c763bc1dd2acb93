-- Data rights: the export holds the user's rows and nobody else's; deleting an account leaves
-- no row anywhere that references the user, hands organisations over, keeps the XP ledger and
-- the leaderboards adding up, and works the same through the Auth admin path (auth.users delete).
begin;
select plan(40);

select tests.create_actors();
select tests.create_test_exam(10);
select tests.freeze_time('2026-08-03 10:00:00+00');

-- Every row of a table, materialized view or pg_net queue that mentions a text, per relation.
create or replace function tests.rows_mentioning(needle text)
returns table (relation text, n bigint)
language plpgsql
set search_path = ''
as $$
declare
  r record;
begin
  for r in
    select c.oid::regclass::text as rel from pg_class c
    where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace, 'net'::regnamespace)
      and c.relkind in ('r', 'p', 'm')
  loop
    relation := r.rel;
    execute format('select count(*) from %s t where t::text like %L', r.rel, '%' || needle || '%') into n;
    if n > 0 then
      return next;
    end if;
  end loop;
end;
$$;

-- A webhook endpoint in org-one, so learner_a's quiz becomes a queued delivery naming them.
select tests.authenticate_as('admin_1');
select public.create_webhook_endpoint(tests.org_id('org-one'), 'http://127.0.0.1:9/x', array['quiz.submitted', 'member.left']);

-- learner_a and learner_b both practise and use the study tools.
select tests.take_quiz('learner_a', 10, 9);
insert into public.bookmarks (question_id) select min(id) from public.questions where exam_id = 'test-exam';
insert into public.question_notes (question_id, body) select min(id), 'Alice''s private note' from public.questions where exam_id = 'test-exam';
insert into public.memories (content, category) values ('Alice wants to pass in March', 'goal');
insert into public.study_sets (name) values ('Alice''s set');
-- (a learner reports only questions of her own quizzes: one of the quiz she just took)
insert into public.question_reports (question_id, reason, details) select min(question_id), 'typo', 'Alice saw a typo' from public.quiz_attempt_items where user_id = auth.uid();
update public.profiles set display_name = 'Alice' where id = auth.uid();
select tests.take_quiz('learner_b', 10, 6);
insert into public.bookmarks (question_id) select max(id) from public.questions where exam_id = 'test-exam';
insert into public.memories (content, category) values ('Bob prefers mornings', 'preference');
insert into public.study_sets (name, organization_id, shared) values ('Bob''s shared set', tests.org_id('org-one'), true);
select tests.take_quiz('learner_d', 10, 3);
select tests.clear_authentication();
select private.refresh_leaderboards();

-- ---------------------------------------------------------------------------
-- Export
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select set_config('test.export', public.export_user_data()::text, true);
select is((current_setting('test.export')::jsonb ->> 'user_id')::uuid, tests.get_user_id('learner_a'), 'learner_a exports their own data');
select results_eq($$ select jsonb_array_length(e -> 'quiz_attempts'), jsonb_array_length(e -> 'quiz_answers'), jsonb_array_length(e -> 'bookmarks'),
                            jsonb_array_length(e -> 'question_notes'), jsonb_array_length(e -> 'memories'), jsonb_array_length(e -> 'study_sets'),
                            jsonb_array_length(e -> 'question_reports'), jsonb_array_length(e -> 'organization_memberships'),
                            jsonb_array_length(e -> 'review_cards')
                     from (select current_setting('test.export')::jsonb e) s $$,
  $$ values (1, 10, 1, 1, 1, 1, 1, 1, 1) $$,
  'it holds their attempt, 10 answers, bookmark, note, memory, study set, report, membership and review card');
select is((current_setting('test.export')::jsonb -> 'profile' ->> 'xp')::bigint,
          (select sum((x ->> 'amount')::bigint) from jsonb_array_elements(current_setting('test.export')::jsonb -> 'xp_events') x
           where x ->> 'organization_id' is null)::bigint,
  'their XP ledger adds up to their profile''s XP');
select is(current_setting('test.export')::jsonb -> 'account' ->> 'email', 'learner_a@test.ascend.local', 'and their account''s e-mail');
select ok(position(tests.get_user_id('learner_b')::text in current_setting('test.export')) = 0
          and position(tests.get_user_id('admin_1')::text in current_setting('test.export')) = 0
          and position(tests.get_user_id('owner_1')::text in current_setting('test.export')) = 0,
  'no other user''s id appears anywhere in it');
select ok(position('Bob' in current_setting('test.export')) = 0, 'nor another learner''s memories or sets');
select is((select count(*)::int from jsonb_array_elements(current_setting('test.export')::jsonb -> 'quiz_answers') a
           where (a ->> 'user_id')::uuid <> tests.get_user_id('learner_a')), 0, 'every answer in it is theirs');

select tests.authenticate_as('learner_b');
select throws_ok(format($$ select public.export_user_data(%L) $$, tests.get_user_id('learner_a')), '42501', null,
  'learner_b cannot export learner_a''s data');
select tests.authenticate_as('admin_1');
select throws_ok(format($$ select public.export_user_data(%L) $$, tests.get_user_id('learner_a')), '42501', null,
  'nor can an organisation admin');
select tests.authenticate_as('platform_admin');
select is((public.export_user_data(tests.get_user_id('learner_a')) ->> 'user_id')::uuid, tests.get_user_id('learner_a'),
  'a platform admin exports any user');
select throws_ok($$ select public.export_user_data('00000000-0000-0000-0000-000000000001') $$, 'PT404', null, 'an unknown user is PT404');
select tests.authenticate_as_service_role();
select is(jsonb_array_length(public.export_user_data(tests.get_user_id('learner_a')) -> 'bookmarks'), 1, 'the service role exports with p_user');
select throws_ok($$ select public.export_user_data() $$, '42501', null, 'but must name the user');
select tests.authenticate_as_anon();
select throws_ok(format($$ select public.export_user_data(%L) $$, tests.get_user_id('learner_a')), '42501', null, 'anon cannot export');

-- ---------------------------------------------------------------------------
-- Deletion: who may
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select throws_ok($$ select public.delete_account() $$, '22023', null, 'deleting one''s own account needs the confirmation');
select tests.authenticate_as('learner_b');
select throws_ok(format($$ select public.delete_account(%L, 'DELETE') $$, tests.get_user_id('learner_a')), '42501', null,
  'learner_b cannot delete learner_a');
select tests.authenticate_as('admin_1');
select throws_ok(format($$ select public.delete_account(%L, 'DELETE') $$, tests.get_user_id('learner_a')), '42501', null,
  'nor can an organisation admin');
select tests.authenticate_as_anon();
select throws_ok($$ select public.delete_account(null, 'DELETE') $$, '42501', null, 'nor anon');

-- ---------------------------------------------------------------------------
-- learner_a deletes their account
-- ---------------------------------------------------------------------------
select tests.clear_authentication();
select set_config('test.a', tests.get_user_id('learner_a')::text, true);
select set_config('test.audit_before', (select count(*)::text from public.audit_log), true);
select set_config('test.b_export', (select jsonb_build_object('bookmarks', e -> 'bookmarks', 'memories', e -> 'memories', 'study_sets', e -> 'study_sets')
  from (select public.export_user_data(tests.get_user_id('learner_b')) e) s)::text, true);
select ok(exists (select 1 from private.leaderboard_xp where user_id = current_setting('test.a')::uuid), 'before: learner_a is on the XP board');
select ok(exists (select 1 from public.webhook_deliveries where payload::text like '%' || current_setting('test.a') || '%'),
  'before: a queued webhook delivery names learner_a');

select tests.authenticate_as('learner_a');
select is(public.delete_account(null, 'DELETE') ->> 'deleted', 'true', 'learner_a deletes their account');
select tests.clear_authentication();

select is_empty($$ select id from auth.users where id = current_setting('test.a')::uuid $$, 'the auth user is gone');
select is_empty($$ select user_id from auth.identities where user_id = current_setting('test.a')::uuid $$, 'with their identities');
select is_empty($$ select * from tests.rows_mentioning(current_setting('test.a')) $$,
  'no row of any public, private or pg_net table or leaderboard view mentions learner_a''s id');
select is_empty($$ select * from tests.rows_mentioning('learner_a@test.ascend.local') $$, 'nor their e-mail');
select is_empty($$ select * from tests.rows_mentioning('Alice') $$, 'nor anything they wrote');
select ok((select count(*) from public.audit_log)::bigint > current_setting('test.audit_before')::bigint,
  'the audit log lost no row (it was pseudonymised, not trimmed)');
select results_eq($$ select action, record_id, actor_id from public.audit_log where action = 'ERASE' $$,
  $$ values ('ERASE'::text, 'erased-user'::text, null::uuid) $$, 'the erasure itself is on record, anonymously');
select ok(exists (select 1 from public.webhook_deliveries where payload ->> 'user_id' = 'erased-user'),
  'the queued delivery now names an erased user');

-- Totals still add up.
select is((select sum(xp)::bigint from public.profiles), (select sum(amount)::bigint from public.xp_events where organization_id is null),
  'profiles'' XP is still the sum of the global XP ledger');
select is((select sum(score) from private.leaderboard_xp where period = 'all_time'),
          (select sum(xp)::numeric from public.profiles where show_on_leaderboards and xp > 0),
  'the all-time XP board adds up to the remaining learners'' XP');
select is((select count(*)::int from private.leaderboard_quiz_count where period = 'all_time'), 2, 'the quiz-count board lists the two remaining learners');
select results_eq($$ select position from private.leaderboard_xp where period = 'all_time' order by position $$, array[1::bigint, 2::bigint],
  'board positions stay contiguous');
select is((select sum(quizzes_completed)::bigint from public.learner_exam_stats), (select count(*) from public.quiz_attempts where status = 'submitted'),
  'per-exam stats still match the attempts');
select is((select jsonb_build_object('bookmarks', e -> 'bookmarks', 'memories', e -> 'memories', 'study_sets', e -> 'study_sets')
           from (select public.export_user_data(tests.get_user_id('learner_b')) e) s),
  current_setting('test.b_export')::jsonb, 'learner_b''s bookmarks, memories and study sets are untouched');

-- ---------------------------------------------------------------------------
-- Organisations are handed over, not orphaned
-- ---------------------------------------------------------------------------
select tests.authenticate_as('platform_admin');
select lives_ok(format($$ select public.delete_account(%L) $$, tests.get_user_id('owner_1')), 'a platform admin deletes org-one''s only owner');
select tests.clear_authentication();
select results_eq($$ select user_id from public.organization_members where organization_id = tests.org_id('org-one') and role = 'owner' $$,
  array[tests.get_user_id('admin_1')], 'org-one''s admin became its owner');

-- The Auth admin / Studio path: deleting the auth user directly erases the same way.
select tests.authenticate_as('learner_d');
select public.create_organization('Solo Org', 'solo-org');
select tests.clear_authentication();
select set_config('test.d', tests.get_user_id('learner_d')::text, true);
delete from auth.users where id = current_setting('test.d')::uuid;
select is_empty($$ select * from tests.rows_mentioning(current_setting('test.d')) $$,
  'deleting the auth user directly (Auth admin API, Studio) leaves no row mentioning them either');
select is_empty($$ select 1 from public.organizations where slug = 'solo-org' $$, 'an organisation they were alone in is gone');
select results_eq($$ select user_id from public.organization_members where organization_id = tests.org_id('org-two') $$,
  array[tests.get_user_id('admin_2')], 'org-two keeps its owner');

select * from finish();
rollback;
