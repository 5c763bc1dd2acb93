-- More test helpers (after 00_test_helpers): freezing the clock Ascend's rules read, the cast of
-- actors every learning-core test uses, a small deterministic exam, and answer sheets.
-- Created outside the transaction below on purpose, like 00's, so later files can use them.

-- Pins private.clock() for the rest of the transaction (honoured for the database owner's session,
-- which is the session pg_prove opens, even while acting as another role).
create or replace function tests.freeze_time(at timestamptz) returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('ascend.clock', at::text, true);
end;
$$;

create or replace function tests.unfreeze_time() returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('ascend.clock', '', true);
end;
$$;

-- The actors: learner_a (New York) and learner_b (Tokyo), learners of org-one; instructor_1,
-- admin_1 (admin) and owner_1 (owner) of org-one; admin_2 (owner) and learner_d of org-two;
-- platform_admin (JWT app_metadata.platform_admin = true); outsider (no organisation).
create or replace function tests.create_actors() returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  org1 uuid := gen_random_uuid();
  org2 uuid := gen_random_uuid();
begin
  perform tests.create_user('learner_a', null, '{}', '{"username": "learner_a", "time_zone": "America/New_York"}');
  perform tests.create_user('learner_b', null, '{}', '{"username": "learner_b", "time_zone": "Asia/Tokyo"}');
  perform tests.create_user('instructor_1', null, '{}', '{"username": "instructor_1"}');
  perform tests.create_user('admin_1', null, '{}', '{"username": "admin_1"}');
  perform tests.create_user('owner_1', null, '{}', '{"username": "owner_1"}');
  perform tests.create_user('admin_2', null, '{}', '{"username": "admin_2"}');
  perform tests.create_user('learner_d', null, '{}', '{"username": "learner_d"}');
  perform tests.create_user('platform_admin', null, '{"platform_admin": true}', '{"username": "platform_admin"}');
  perform tests.create_user('outsider', null, '{}', '{"username": "outsider"}');

  insert into public.organizations (id, slug, name, created_by)
  values (org1, 'org-one', 'Org One', tests.get_user_id('owner_1')),
         (org2, 'org-two', 'Org Two', tests.get_user_id('admin_2'));
  insert into public.organization_members (organization_id, user_id, role) values
    (org1, tests.get_user_id('owner_1'), 'owner'),
    (org1, tests.get_user_id('admin_1'), 'admin'),
    (org1, tests.get_user_id('instructor_1'), 'instructor'),
    (org1, tests.get_user_id('learner_a'), 'learner'),
    (org1, tests.get_user_id('learner_b'), 'learner'),
    (org2, tests.get_user_id('admin_2'), 'owner'),
    (org2, tests.get_user_id('learner_d'), 'learner');
end;
$$;

create or replace function tests.org_id(slug text) returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select o.id from public.organizations o where o.slug = org_id.slug
$$;

-- A small exam 'test-exam' with two domains (1.0: 60%, 2.0: 40%) and n published questions per
-- domain, keyed A, B, C, D in turn. Deterministic content for exact scoring tests.
create or replace function tests.create_test_exam(per_domain integer default 10) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  d1 bigint;
  d2 bigint;
  qid bigint;
  i integer;
begin
  insert into public.exams (id, code, name, vendor, passing_percent, position)
  values ('test-exam', 'TEST-001', 'Test Exam', 'Ascend', 75, 99);
  insert into public.exam_domains (exam_id, code, name, weight, position)
  values ('test-exam', '1.0', 'Test Domain One', 60, 1) returning id into d1;
  insert into public.exam_domains (exam_id, code, name, weight, position)
  values ('test-exam', '2.0', 'Test Domain Two', 40, 2) returning id into d2;
  for i in 1 .. per_domain * 2 loop
    insert into public.questions (exam_id, domain_id, stem, options, status)
    values ('test-exam', case when i % 2 = 1 then d1 else d2 end,
            format('Test question number %s: which option is right?', i),
            '{"A": "Option A", "B": "Option B", "C": "Option C", "D": "Option D"}', 'published')
    returning id into qid;
    insert into public.question_keys (question_id, correct_answer, explanations)
    values (qid, (array['A', 'B', 'C', 'D'])[(i % 4) + 1],
            '{"A": "Why A", "B": "Why B", "C": "Why C", "D": "Why D"}');
  end loop;
end;
$$;

-- Answers for an attempt: the first `correct` questions (by position) right, the others wrong.
create or replace function tests.answer_sheet(attempt uuid, correct integer) returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'question_id', i.question_id,
           'answer', case when i.position <= answer_sheet.correct then k.correct_answer
                          else (array['B', 'C', 'D', 'A'])[ascii(k.correct_answer) - 64] end,
           'time_spent_seconds', 20)
         order by i.position), '[]'::jsonb)
  from public.quiz_attempt_items i
  join public.question_keys k on k.question_id = i.question_id
  where i.attempt_id = answer_sheet.attempt
$$;

-- Starts a quiz of `questions` questions as the given learner and submits it with `correct`
-- right answers; returns submit_quiz's result. Leaves the caller authenticated as the learner.
create or replace function tests.take_quiz(learner text, questions integer, correct integer, exam text default 'test-exam')
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_attempt uuid;
begin
  perform tests.authenticate_as(learner);
  v_attempt := (public.start_quiz(exam, questions) ->> 'attempt_id')::uuid;
  return public.submit_quiz(v_attempt, tests.answer_sheet(v_attempt, correct));
end;
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

begin;
select plan(6);

select tests.create_actors();
select tests.create_test_exam(10);

select tests.freeze_time('2026-03-10 12:00:00+00');
select is(private.clock(), '2026-03-10 12:00:00+00'::timestamptz, 'freeze_time pins private.clock()');
select tests.authenticate_as('learner_a');
select is(private.clock(), '2026-03-10 12:00:00+00'::timestamptz, 'the frozen clock holds while acting as a learner');
select tests.clear_authentication();
select tests.unfreeze_time();
select is(private.clock(), now(), 'unfreeze_time gives now() back');

select is((select count(*)::int from public.organization_members where organization_id = tests.org_id('org-one')), 5,
  'create_actors puts five members in org-one');
select is((select count(*)::int from public.questions where exam_id = 'test-exam'), 20,
  'create_test_exam(10) makes 20 questions');
select is(tests.take_quiz('learner_a', 10, 7) ->> 'score', '7', 'take_quiz submits with the requested number of right answers');

select * from finish();
rollback;
