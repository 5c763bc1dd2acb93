-- The organisation staff's live topic org:<organisation id>: the database announces a learner's
-- submitted quiz (learner_activity) and assignment progress (assignment_progress) there; the
-- owners, admins and instructors of that organisation receive; its learners, other organisations'
-- staff and anon do not; nobody broadcasts. The cohort summary the page refetches is staff-only.
begin;
select plan(33);

select tests.create_actors();
select tests.create_test_exam(20);
update public.achievements set is_active = false;
select tests.freeze_time('2026-06-10 12:00:00+00');

create function pg_temp.org_topic(slug text) returns text language sql as $$ select 'org:' || tests.org_id(slug)::text $$;
-- What the caller receives on a topic, as Realtime checks it: realtime.topic() set, RLS on.
create function pg_temp.received(topic text, event text) returns bigint language plpgsql as $$
declare n bigint;
begin
  perform set_config('realtime.topic', topic, true);
  select count(*) into n from realtime.messages m where m.topic = received.topic and m.event = received.event;
  return n;
end;
$$;
grant execute on all functions in schema pg_temp to anon, authenticated;

-- ---------------------------------------------------------------------------
-- Structure
-- ---------------------------------------------------------------------------
select policies_are('realtime', 'messages', array['messages_select_own_topics_authenticated'],
  'realtime.messages keeps one policy (select, authenticated): no insert policy, so nobody broadcasts');
select is((select prosecdef from pg_proc where oid = 'private.can_receive_org_topic(text)'::regprocedure), false,
  'the topic check runs as the caller (invoker)');
select ok(not has_function_privilege('anon', 'private.can_receive_org_topic(text)', 'execute'), 'anon cannot call the topic check');

-- ---------------------------------------------------------------------------
-- What the database announces
-- ---------------------------------------------------------------------------
select tests.authenticate_as('instructor_1');
insert into public.assignments (organization_id, title, exam_id, question_count, pass_mark, assignee_user_id, due_at)
values (tests.org_id('org-one'), 'Warm-up', 'test-exam', 10, 70, tests.get_user_id('learner_a'), '2026-06-17 12:00+00');
select tests.clear_authentication();
select is((select payload - 'id' from realtime.messages where topic = pg_temp.org_topic('org-one') and event = 'assignment_progress' and private),
  jsonb_build_object('assignment_id', (select id from public.assignments where title = 'Warm-up'), 'user_id', tests.get_user_id('learner_a'), 'completed', false),
  'assigning announces the new recipient on org:<org one>, privately, with identifiers only (realtime.send adds the message id)');

select tests.take_quiz('learner_a', 10, 9);
select tests.clear_authentication();
select is((select payload - 'id' from realtime.messages where topic = pg_temp.org_topic('org-one') and event = 'learner_activity'),
  jsonb_build_object('user_id', tests.get_user_id('learner_a')), 'learner A''s submitted quiz is announced on org:<org one>');
select is((select count(*)::int from realtime.messages where topic = pg_temp.org_topic('org-two')), 0,
  'and not on org two''s topic, where learner A is not a member');
select ok((select bool_and(private) from realtime.messages where topic like 'org:%'), 'every org announcement is private');
select is((select array_agg(payload ->> 'completed' order by payload ->> 'completed') from realtime.messages
           where topic = pg_temp.org_topic('org-one') and event = 'assignment_progress'),
  array['false', 'true'], 'the quiz at 90% completes the assignment, and that is announced too');

select tests.take_quiz('learner_d', 10, 5);
select tests.clear_authentication();
select is((select count(*)::int from realtime.messages where topic = pg_temp.org_topic('org-two') and event = 'learner_activity'), 1,
  'learner D''s quiz is announced on org two''s topic');
select is((select count(*)::int from realtime.messages where topic = pg_temp.org_topic('org-one') and event = 'learner_activity'), 1,
  'and not on org one''s');

-- Staff who practise are not announced as learners.
select tests.take_quiz('instructor_1', 10, 5);
select tests.clear_authentication();
select is((select count(*)::int from realtime.messages where topic like 'org:%' and event = 'learner_activity'
           and payload ->> 'user_id' = tests.get_user_id('instructor_1')::text), 0,
  'an instructor''s own quiz is not announced as learner activity');

-- ---------------------------------------------------------------------------
-- Who receives (allowed)
-- ---------------------------------------------------------------------------
select tests.authenticate_as('instructor_1');
select is(pg_temp.received(pg_temp.org_topic('org-one'), 'learner_activity'), 1::bigint, 'org one''s instructor receives learner activity');
select is(pg_temp.received(pg_temp.org_topic('org-one'), 'assignment_progress'), 2::bigint, 'and assignment progress');
select tests.authenticate_as('admin_1');
select is(pg_temp.received(pg_temp.org_topic('org-one'), 'learner_activity'), 1::bigint, 'org one''s admin receives');
select tests.authenticate_as('owner_1');
select is(pg_temp.received(pg_temp.org_topic('org-one'), 'learner_activity'), 1::bigint, 'org one''s owner receives');
select tests.authenticate_as('admin_2');
select is(pg_temp.received(pg_temp.org_topic('org-two'), 'learner_activity'), 1::bigint, 'org two''s owner receives on org two''s topic');

-- ---------------------------------------------------------------------------
-- Who does not (denied)
-- ---------------------------------------------------------------------------
select is(pg_temp.received(pg_temp.org_topic('org-one'), 'learner_activity'), 0::bigint, 'org two''s owner does not receive org one''s topic');
select tests.authenticate_as('learner_a');
select is(pg_temp.received(pg_temp.org_topic('org-one'), 'learner_activity'), 0::bigint, 'a learner of org one does not receive its staff topic');
select is(pg_temp.received(pg_temp.org_topic('org-one'), 'assignment_progress'), 0::bigint, 'nor its assignment progress (not even their own)');
select throws_ok(format($$ insert into realtime.messages (topic, extension, event, payload, private)
                           values (%L, 'broadcast', 'learner_activity', '{}', true) $$, pg_temp.org_topic('org-one')),
  '42501', null, 'a learner cannot broadcast on the staff topic');
select tests.authenticate_as('outsider');
select is(pg_temp.received(pg_temp.org_topic('org-one'), 'learner_activity'), 0::bigint, 'an outsider does not receive');
select is(pg_temp.received('org:not-a-uuid', 'learner_activity'), 0::bigint, 'a malformed org topic is refused, not an error');
select tests.authenticate_as('instructor_1');
select throws_ok(format($$ insert into realtime.messages (topic, extension, event, payload, private)
                           values (%L, 'broadcast', 'learner_activity', '{}', true) $$, pg_temp.org_topic('org-one')),
  '42501', null, 'staff cannot broadcast there either: only the database does');
select is(pg_temp.received('org:' || upper(tests.org_id('org-one')::text), 'learner_activity'), 0::bigint,
  'only the canonical lower-case topic is recognised');
select tests.authenticate_as_anon();
select is(pg_temp.received(pg_temp.org_topic('org-one'), 'learner_activity'), 0::bigint, 'anon does not receive');

-- ---------------------------------------------------------------------------
-- The cohort summary the dashboard refetches: staff of that organisation only
-- ---------------------------------------------------------------------------
select throws_ok(format($$ select * from public.get_cohort_overview(%L) $$, tests.org_id('org-one')), '42501', null,
  'anon cannot read the cohort summary');
select tests.authenticate_as('learner_a');
select throws_ok(format($$ select * from public.get_cohort_overview(%L) $$, tests.org_id('org-one')), '42501', null,
  'a learner cannot read their organisation''s cohort summary');
select tests.authenticate_as('admin_2');
select throws_ok(format($$ select * from public.get_cohort_overview(%L) $$, tests.org_id('org-one')), '42501', null,
  'another organisation''s owner cannot read it');
select tests.authenticate_as('instructor_1');
select is((select array_agg(username order by username) from public.get_cohort_overview(tests.org_id('org-one'))),
  array['learner_a', 'learner_b'], 'the instructor reads their organisation''s learners (and only its learners)');
select is((select quizzes_last_30_days::int from public.get_cohort_overview(tests.org_id('org-one')) where username = 'learner_a'), 1,
  'with the quiz just submitted counted');
select is((select array_agg(status order by username) from public.get_assignment_progress((select id from public.assignments where title = 'Warm-up'))),
  array['completed'], 'and the assignment page''s progress: learner A completed it');
select tests.authenticate_as('learner_a');
select throws_ok(format($$ select * from public.get_assignment_progress(%L) $$, (select id from public.assignments where title = 'Warm-up')),
  'PT404', null, 'a learner cannot read an assignment''s progress, even one given to them');
select tests.authenticate_as('admin_2');
select throws_ok(format($$ select * from public.get_assignment_progress(%L) $$, (select id from public.assignments where title = 'Warm-up')),
  'PT404', null, 'nor another organisation''s owner');

select * from finish();
rollback;
