-- Bulk imports: import_questions (into an organisation's bank, as drafts; dry run, then all or
-- nothing) and import_invitations (one invitation per row, never a membership; duplicates and
-- malformed rows named by line). One block per actor.
begin;
select plan(31);

select tests.create_actors();
select tests.create_test_exam(2);

create temporary table q_rows on commit drop as
select jsonb_build_array(
  jsonb_build_object('line', 2, 'exam', 'test-exam', 'domain_code', '1.0', 'stem', 'Imported question one: which is right?',
    'options', '{"A": "a", "B": "b", "C": "c", "D": "d"}'::jsonb, 'correct_answer', 'A',
    'explanations', '{"A": "yes", "B": "no", "C": "no", "D": "no"}'::jsonb),
  jsonb_build_object('line', 3, 'exam', 'TEST-001', 'domain_code', '2', 'stem', 'Imported question two: which is right?',
    'options', '{"A": "a", "B": "b", "C": "c", "D": "d"}'::jsonb, 'correct_answer', 'C',
    'explanations', '{"A": "no", "B": "no", "C": "yes", "D": "no"}'::jsonb, 'reference', 'Objective 2.1')) as good;
grant select on q_rows to authenticated, anon, service_role;

create or replace function pg_temp.bad_rows() returns jsonb language sql as $$
  select (select good from q_rows) || jsonb_build_array(
    jsonb_build_object('line', 4, 'exam', 'nope', 'domain_code', '1.0', 'stem', 'A question about an unknown exam?',
      'options', '{"A": "a", "B": "b", "C": "c", "D": "d"}'::jsonb, 'correct_answer', 'A',
      'explanations', '{"A": "a", "B": "b", "C": "c", "D": "d"}'::jsonb),
    jsonb_build_object('line', 5, 'exam', 'test-exam', 'domain_code', '9.9', 'stem', 'A question about an unknown domain?',
      'options', '{"A": "a", "B": "b", "C": "c", "D": "d"}'::jsonb, 'correct_answer', 'A',
      'explanations', '{"A": "a", "B": "b", "C": "c", "D": "d"}'::jsonb),
    jsonb_build_object('line', 6, 'exam', 'test-exam', 'domain_code', '1.0', 'stem', '  imported QUESTION one:   which is right?',
      'options', '{"A": "a", "B": "b", "C": "c", "D": "d"}'::jsonb, 'correct_answer', 'A',
      'explanations', '{"A": "a", "B": "b", "C": "c", "D": "d"}'::jsonb),
    jsonb_build_object('line', 7, 'exam', 'test-exam', 'domain_code', '1.0', 'stem', 'A question with a missing option?',
      'options', '{"A": "a", "B": "", "C": "c", "D": "d"}'::jsonb, 'correct_answer', 'E',
      'explanations', '{"A": "a", "B": "b", "C": "c", "D": "d"}'::jsonb))
$$;

-- ---------------------------------------------------------------------------
-- Questions: the instructor of org-one
-- ---------------------------------------------------------------------------
select tests.authenticate_as('instructor_1');
select set_config('test.dry', public.import_questions(tests.org_id('org-one'), pg_temp.bad_rows(), true)::text, true);
select is(current_setting('test.dry')::jsonb -> 'errors', jsonb_build_array(
    jsonb_build_object('line', 4, 'reason', 'unknown exam ''nope'' (known: security or SY0-701, network or N10-009, a1101 or 220-1101, a1102 or 220-1102, test-exam or TEST-001)'),
    jsonb_build_object('line', 5, 'reason', 'exam test-exam has no domain ''9.9'' (domains: 1.0, 2.0)'),
    jsonb_build_object('line', 6, 'reason', 'the same question as line 2'),
    jsonb_build_object('line', 7, 'reason', 'options A, B, C and D must all be filled in')),
  'the dry run names every bad row with its line and reason');
select is((current_setting('test.dry')::jsonb - 'errors'),
  '{"dry_run": true, "committed": false, "total": 6, "valid": 2, "imported": 0, "question_ids": []}'::jsonb, 'and counts the rows');
select is((select count(*)::int from public.questions where organization_id = tests.org_id('org-one')), 0, 'a dry run imports nothing');
select is((public.import_questions(tests.org_id('org-one'), pg_temp.bad_rows(), false)) -> 'committed', 'false'::jsonb,
  'a commit with bad rows is refused');
select is((select count(*)::int from public.questions where organization_id = tests.org_id('org-one')), 0, 'and imports nothing at all');
select is((public.import_questions(tests.org_id('org-one'), (select good from q_rows), true)) -> 'valid', '2'::jsonb, 'the good rows validate');
select set_config('test.commit', public.import_questions(tests.org_id('org-one'), (select good from q_rows), false)::text, true);
select is((current_setting('test.commit')::jsonb) -> 'imported', '2'::jsonb, 'a commit of good rows imports them all');
select results_eq($$ select q.status::text, q.exam_id, d.code, k.correct_answer, k.reference from public.questions q
                     join public.exam_domains d on d.id = q.domain_id join public.question_keys k on k.question_id = q.id
                     where q.organization_id = tests.org_id('org-one') order by q.id $$,
  $$ values ('draft', 'test-exam', '1.0', 'A', null::text), ('draft', 'test-exam', '2.0', 'C', 'Objective 2.1') $$,
  'as drafts of the organisation''s bank, exam by code, domain 2 as 2.0, with their keys');
select is((select count(*)::int from public.question_versions v join public.questions q on q.id = v.question_id
           where q.organization_id = tests.org_id('org-one')), 2, 'each with its first version');
select matches((public.import_questions(tests.org_id('org-one'), (select good from q_rows), true)) -> 'errors' -> 0 ->> 'reason',
  '^already in the organisation''s bank \(question \d+\)$', 'importing the same file again reports the duplicates');
select throws_ok($$ select public.import_questions(tests.org_id('org-one'), '[]'::jsonb) $$, '22023', null, 'an empty import is refused');
select throws_ok($$ select public.import_questions(tests.org_id('org-two'), (select good from q_rows)) $$,
  '42501', null, 'the instructor cannot import into another organisation');

-- learner, other organisation's owner, platform admin, service role, anon
select tests.authenticate_as('learner_a');
select throws_ok($$ select public.import_questions(tests.org_id('org-one'), (select good from q_rows)) $$,
  '42501', null, 'a learner cannot import questions (not even a dry run)');
select tests.authenticate_as('admin_2');
select throws_ok($$ select public.import_questions(tests.org_id('org-one'), (select good from q_rows)) $$,
  '42501', null, 'the owner of org-two cannot import into org-one');
select is((public.import_questions(tests.org_id('org-two'), (select good from q_rows), false)) -> 'imported', '2'::jsonb,
  'but imports into their own (duplicates are per organisation)');
select tests.authenticate_as('platform_admin');
select is((public.import_questions(tests.org_id('org-one'), (select good from q_rows), true)) -> 'valid', '0'::jsonb,
  'a platform admin may validate against any organisation''s bank');
select tests.authenticate_as_service_role();
select throws_ok($$ select public.import_questions(tests.org_id('org-one'), (select good from q_rows)) $$,
  '42501', null, 'the service role cannot import questions (no author)');
select tests.authenticate_as_anon();
select throws_ok($$ select public.import_questions(tests.org_id('org-one'), (select good from q_rows)) $$, '42501', null, 'anon cannot');

-- ---------------------------------------------------------------------------
-- Invitations: the admin of org-one
-- ---------------------------------------------------------------------------
select tests.authenticate_as('admin_1');
select set_config('test.people', '[
  {"line": 2, "email": "New.Person@Example.com", "role": "learner"},
  {"line": 3, "email": "coach@example.com", "role": "instructor"},
  {"line": 4, "email": "new.person@example.com", "role": "learner"},
  {"line": 5, "email": "not-an-address", "role": "learner"},
  {"line": 6, "email": "boss@example.com", "role": "owner"},
  {"line": 7, "email": "x@example.com", "role": "chief"}]', true);
select is((public.import_invitations(tests.org_id('org-one'), current_setting('test.people')::jsonb, true)) -> 'errors', jsonb_build_array(
    jsonb_build_object('line', 4, 'reason', 'duplicate: new.person@example.com is already on line 2'),
    jsonb_build_object('line', 5, 'reason', '''not-an-address'' is not an e-mail address'),
    jsonb_build_object('line', 6, 'reason', 'only owners invite owners'),
    jsonb_build_object('line', 7, 'reason', 'role ''chief'' must be learner, instructor, admin or owner')),
  'duplicates and malformed rows are named by line');
select is((public.import_invitations(tests.org_id('org-one'), current_setting('test.people')::jsonb, false)) -> 'invited', '0'::jsonb,
  'a commit with bad rows invites nobody');
select is((select count(*)::int from public.organization_invitations where organization_id = tests.org_id('org-one')), 0,
  'no invitation was created');
select set_config('test.invited', public.import_invitations(tests.org_id('org-one'),
  '[{"line": 2, "email": "new.person@example.com"}, {"line": 3, "email": "coach@example.com", "role": "instructor"}, {"line": 4, "email": "learner_b@test.ascend.local"}]'::jsonb, false)::text, true);
select is((select jsonb_agg(i - 'invitation_id' - 'expires_at' - 'organization_id' order by (i ->> 'line')::int)
           from jsonb_array_elements(current_setting('test.invited')::jsonb -> 'invitations') i),
  '[{"line": 2, "email": "new.person@example.com", "role": "learner", "status": "pending"},
    {"line": 3, "email": "coach@example.com", "role": "instructor", "status": "pending"},
    {"line": 4, "email": "learner_b@test.ascend.local", "role": "learner", "status": "pending"}]'::jsonb,
  'a good file becomes pending invitations, one per row (even for an existing member: nothing is revealed)');
select is((select count(*)::int from public.organization_invitations where organization_id = tests.org_id('org-one') and status = 'pending'), 3,
  'three invitations are pending');
select is((select count(*)::int from public.organization_members where organization_id = tests.org_id('org-one')), 5,
  'and nobody was added as a member');
select is((public.import_invitations(tests.org_id('org-one'), '[{"line": 2, "email": "coach@example.com"}]'::jsonb, true)) -> 'renewed',
  '[{"line": 2, "email": "coach@example.com"}]'::jsonb, 'an address already invited is reported as a renewal');

-- others
select tests.authenticate_as('instructor_1');
select throws_ok($$ select public.import_invitations(tests.org_id('org-one'), '[{"line": 2, "email": "a@example.com"}]'::jsonb) $$,
  '42501', null, 'an instructor cannot invite');
select tests.authenticate_as('learner_a');
select throws_ok($$ select public.import_invitations(tests.org_id('org-one'), '[{"line": 2, "email": "a@example.com"}]'::jsonb) $$,
  '42501', null, 'nor a learner');
select tests.authenticate_as('admin_2');
select throws_ok($$ select public.import_invitations(tests.org_id('org-one'), '[{"line": 2, "email": "a@example.com"}]'::jsonb) $$,
  '42501', null, 'nor the owner of another organisation');
select tests.authenticate_as('owner_1');
select is((public.import_invitations(tests.org_id('org-one'), '[{"line": 2, "email": "boss@example.com", "role": "owner"}]'::jsonb, false)) -> 'invited',
  '1'::jsonb, 'an owner invites an owner');
select tests.authenticate_as_service_role();
select is((public.import_invitations(tests.org_id('org-two'), '[{"line": 2, "email": "svc@example.com"}]'::jsonb, false)) -> 'invited',
  '1'::jsonb, 'the service role may invite (trusted backends)');
select tests.authenticate_as_anon();
select throws_ok($$ select public.import_invitations(tests.org_id('org-one'), '[{"line": 2, "email": "a@example.com"}]'::jsonb) $$,
  '42501', null, 'anon cannot');

select * from finish();
rollback;
