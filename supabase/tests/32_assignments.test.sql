-- Assignments: staff assign a quiz or a lesson to a member, a team or a department with a due
-- date; recipients are expanded at once (and when someone joins the team), notified, and their
-- quiz assignments completed automatically by a submitted attempt that satisfies them. Status
-- pending / completed / overdue. One block per actor, allowed and denied.
begin;
select plan(56);

select tests.create_actors();
select tests.create_test_exam(50);
update public.achievements set is_active = false;
select tests.freeze_time('2026-06-10 12:00:00+00');
insert into public.departments (organization_id, name) values (tests.org_id('org-one'), 'Engineering');
insert into public.teams (organization_id, name, department_id)
select tests.org_id('org-one'), 'Cohort A', d.id from public.departments d where d.name = 'Engineering';
insert into public.team_members (team_id, organization_id, user_id)
select t.id, t.organization_id, u.id from public.teams t, (values (tests.get_user_id('learner_a')), (tests.get_user_id('learner_b'))) u (id)
where t.name = 'Cohort A';

create function pg_temp.team(name text) returns uuid language sql as $$ select id from public.teams t where t.name = team.name $$;
create function pg_temp.assignment(title text) returns uuid language sql as $$ select id from public.assignments a where a.title = assignment.title $$;

-- ---------------------------------------------------------------------------
-- instructor: assigns
-- ---------------------------------------------------------------------------
select tests.authenticate_as('instructor_1');
select lives_ok(format($$ insert into public.assignments (organization_id, title, exam_id, question_count, pass_mark, assignee_user_id, due_at)
                         values (%L, 'Warm-up', 'test-exam', 10, 70, %L, '2026-06-17 12:00+00') $$,
                       tests.org_id('org-one'), tests.get_user_id('learner_a')),
  'an instructor assigns a quiz to one learner');
select lives_ok(format($$ insert into public.assignments (organization_id, title, exam_id, question_count, pass_mark, team_id, due_at)
                         values (%L, 'Team quiz', 'test-exam', 10, 90, %L, '2026-06-12 12:00+00') $$,
                       tests.org_id('org-one'), pg_temp.team('Cohort A')),
  'to a team');
select lives_ok(format($$ insert into public.assignments (organization_id, title, exam_id, domain_codes, question_count, pass_mark, department_id, due_at)
                         values (%L, 'Domain one drill', 'test-exam', '{1.0}', 10, 70, (select id from public.departments where name = 'Engineering'), '2026-06-20 12:00+00') $$,
                       tests.org_id('org-one')),
  'to a department, restricted to a domain');
select lives_ok(format($$ insert into public.assignments (organization_id, kind, title, lesson_id, assignee_user_id, due_at)
                         values (%L, 'lesson', 'Read the intro', gen_random_uuid(), %L, '2026-06-20 12:00+00') $$,
                       tests.org_id('org-one'), tests.get_user_id('learner_b')),
  'or a lesson (lesson_id, no foreign key until lessons exist)');
select is((select created_by from public.assignments where title = 'Warm-up'), tests.get_user_id('instructor_1'), 'created_by is the caller');
select is((select count(*)::int from public.assignment_recipients), 1 + 2 + 2 + 1, 'recipients are expanded: 1 + team of 2 + department of 2 + 1');
select throws_ok(format($$ insert into public.assignments (organization_id, title, exam_id, domain_codes, question_count, pass_mark, assignee_user_id, due_at)
                          values (%L, 'Bad domain', 'test-exam', '{9.9}', 10, 70, %L, '2026-06-17 12:00+00') $$,
                        tests.org_id('org-one'), tests.get_user_id('learner_a')),
  '22023', null, 'an unknown domain is refused');
select throws_ok(format($$ insert into public.assignments (organization_id, title, exam_id, question_count, pass_mark, assignee_user_id, due_at)
                          values (%L, 'Too late', 'test-exam', 10, 70, %L, '2026-06-01 12:00+00') $$,
                        tests.org_id('org-one'), tests.get_user_id('learner_a')),
  '22023', null, 'a due date in the past is refused');
select throws_ok(format($$ insert into public.assignments (organization_id, title, exam_id, question_count, pass_mark, assignee_user_id, due_at)
                          values (%L, 'Stranger', 'test-exam', 10, 70, %L, '2026-06-17 12:00+00') $$,
                        tests.org_id('org-one'), tests.get_user_id('learner_d')),
  '23503', null, 'only members of the organisation can be assigned');
select throws_ok(format($$ insert into public.assignments (organization_id, title, team_id, assignee_user_id, exam_id, question_count, pass_mark, due_at)
                          values (%L, 'Two targets', %L, %L, 'test-exam', 10, 70, '2026-06-17 12:00+00') $$,
                        tests.org_id('org-one'), pg_temp.team('Cohort A'), tests.get_user_id('learner_a')),
  '23514', null, 'exactly one target');
select throws_ok(format($$ insert into public.assignments (organization_id, title, assignee_user_id, due_at) values (%L, 'No exam', %L, '2026-06-17 12:00+00') $$,
                        tests.org_id('org-one'), tests.get_user_id('learner_a')),
  '23514', null, 'a quiz assignment needs an exam, a size and a pass mark');
select lives_ok($$ update public.assignments set due_at = '2026-06-18 12:00+00' where title = 'Warm-up' $$, 'the instructor moves a due date');
select throws_ok($$ update public.assignments set pass_mark = 10 where title = 'Warm-up' $$, '42501', null, 'but cannot change what was assigned');
select is((select count(*)::int from public.get_assignment_progress(pg_temp.assignment('Team quiz'))), 2, 'the instructor follows a team''s progress');

-- ---------------------------------------------------------------------------
-- learners: notified, see theirs, complete by practising
-- ---------------------------------------------------------------------------
select tests.clear_authentication();
select is((select count(*)::int from public.notifications where user_id = tests.get_user_id('learner_a') and type = 'assignment_due'), 3,
  'learner A is notified of each assignment that reaches them');
select is((select count(*)::int from public.email_outbox where user_id = tests.get_user_id('learner_a') and kind = 'assignment'), 3,
  'with an assignment e-mail each (preferences default to yes)');

select tests.authenticate_as('learner_a');
select results_eq($$ select title, status from public.get_my_assignments() $$,
  $$ values ('Team quiz'::text, 'pending'::text), ('Warm-up', 'pending'), ('Domain one drill', 'pending') $$,
  'learner A sees their three assignments, pending, by due date');
select is((select count(*)::int from public.assignments), 3, 'and reads only the assignments that reach them');
select is((select count(*)::int from public.assignment_recipients), 3, 'and only their own progress');
select throws_ok(format($$ insert into public.assignments (organization_id, title, exam_id, question_count, pass_mark, assignee_user_id, due_at)
                          values (%L, 'Self', 'test-exam', 10, 70, %L, '2026-06-17 12:00+00') $$,
                        tests.org_id('org-one'), tests.get_user_id('learner_a')),
  '42501', null, 'a learner cannot assign');
select throws_ok($$ update public.assignment_recipients set completed_at = now() $$, '42501', null, 'nor mark their own assignment complete');
select is_empty($$ delete from public.assignments returning id $$, 'nor withdraw one');
select throws_ok(format($$ select * from public.get_assignment_progress(%L) $$, pg_temp.assignment('Team quiz')), 'PT404', null,
  'nor read the team''s progress');
select throws_ok($$ select * from public.get_my_assignments('done') $$, '22023', null, 'statuses are pending, completed or overdue');

-- An 80% quiz of the whole exam: completes Warm-up (pass 70), counts for Team quiz (pass 90), not for the domain drill.
select tests.take_quiz('learner_a', 10, 8);
select results_eq($$ select title, status, attempts, best_score from public.get_my_assignments() $$,
  $$ values ('Team quiz'::text, 'pending'::text, 1, 80.00::numeric), ('Domain one drill', 'pending', 0, null),
            ('Warm-up', 'completed', 1, 80.00) $$,
  'the submitted attempt completes the assignment it passes and counts for the one it does not');
select is((select r.attempt_id from public.assignment_recipients r where r.assignment_id = pg_temp.assignment('Warm-up')),
          (select a.id from public.quiz_attempts a where a.user_id = auth.uid()),
  'the completing attempt is recorded, in the submission''s transaction');
select set_config('test.attempt', (public.start_quiz('test-exam', 10, array['1.0']) ->> 'attempt_id'), true);
select is((public.submit_quiz(current_setting('test.attempt')::uuid, tests.answer_sheet(current_setting('test.attempt')::uuid, 10)) ->> 'score')::int, 10,
  'a perfect quiz of domain 1.0');
select results_eq($$ select title, status from public.get_my_assignments('completed') $$,
  $$ values ('Team quiz'::text, 'completed'::text), ('Warm-up', 'completed'), ('Domain one drill', 'completed') $$,
  'completes the domain drill and the team quiz');
select tests.take_quiz('learner_a', 5, 5);
select is((select attempts from public.assignment_recipients where assignment_id = pg_temp.assignment('Warm-up')), 1,
  'a completed assignment no longer counts attempts');

select tests.authenticate_as('learner_b');
select tests.take_quiz('learner_b', 5, 5);
select is((select sum(attempts)::int from public.assignment_recipients), 0, 'a quiz smaller than the assigned size does not count');
select is((select count(*)::int from public.assignments), 3, 'learner B reads the team and department assignments and their lesson');
select tests.clear_authentication();
select tests.freeze_time('2026-06-11 13:00:00+00');
select is(private.notify_assignments_due(), 1, 'the hourly job reminds learner B of the team quiz due within 24 hours');
select is(private.notify_assignments_due(), 0, 'once');
select tests.authenticate_as('learner_b');
select tests.freeze_time('2026-06-13 12:00:00+00');
select set_eq($$ select title, status from public.get_my_assignments() $$,
  $$ values ('Team quiz'::text, 'overdue'::text), ('Read the intro', 'pending'), ('Domain one drill', 'pending') $$,
  'past its due date, learner B''s team quiz is overdue');
select results_eq($$ select title from public.get_my_assignments('overdue') $$, array['Team quiz'], 'filtered by status');

-- Joining the team later brings its assignments that are not yet due.
select tests.authenticate_as('instructor_1');
select lives_ok(format($$ insert into public.team_members (team_id, organization_id, user_id) values (%L, %L, %L) $$,
                       pg_temp.team('Cohort A'), tests.org_id('org-one'), tests.get_user_id('owner_1')),
  'the owner joins Cohort A');
select is((select array_agg(a.title) from public.assignment_recipients r join public.assignments a on a.id = r.assignment_id
           where r.user_id = tests.get_user_id('owner_1')),
  array['Domain one drill'], 'and gets the department''s drill (the overdue team quiz stays behind)');

-- ---------------------------------------------------------------------------
-- Other actors
-- ---------------------------------------------------------------------------
select tests.authenticate_as('admin_1');
select is((select count(*)::int from public.assignments), 4, 'the admin of org 1 sees every assignment of org 1');
select results_eq($$ select username, status from public.get_assignment_progress(pg_temp.assignment('Team quiz')) $$,
  $$ values ('learner_b'::text, 'overdue'::text), ('learner_a', 'completed') $$, 'with each learner''s status');
select lives_ok($$ delete from public.assignments where title = 'Read the intro' $$, 'and withdraws one');
select lives_ok(format($$ insert into public.department_members (department_id, organization_id, user_id)
                         select d.id, d.organization_id, %L from public.departments d where d.name = 'Engineering' $$, tests.get_user_id('admin_1')),
  'the admin joins the Engineering department directly');
select is((select array_agg(a.title) from public.assignment_recipients r join public.assignments a on a.id = r.assignment_id
           where r.user_id = auth.uid()),
  array['Domain one drill'], 'and gets its open assignment');
select tests.authenticate_as('learner_d');
select is_empty($$ select id from public.assignments $$, 'learner D (org 2) sees none of org 1''s assignments');
select is_empty($$ select user_id from public.assignment_recipients $$, 'nor anyone''s progress');
select is_empty($$ select * from public.get_my_assignments() $$, 'and has none of them');
select tests.authenticate_as('admin_2');
select is_empty($$ select id from public.assignments $$, 'the admin of org 2 sees none of org 1''s assignments');
select throws_ok(format($$ insert into public.assignments (organization_id, title, exam_id, question_count, pass_mark, assignee_user_id, due_at)
                          values (%L, 'Hostile', 'test-exam', 10, 70, %L, '2026-06-17 12:00+00') $$,
                        tests.org_id('org-one'), tests.get_user_id('learner_a')),
  '42501', null, 'and cannot assign in org 1');
select throws_ok(format($$ select * from public.get_assignment_progress(%L) $$, pg_temp.assignment('Team quiz')), 'PT404', null,
  'nor read its progress');
select is_empty($$ update public.assignments set title = 'x' returning id $$, 'nor edit its assignments');
select lives_ok(format($$ insert into public.assignments (organization_id, title, exam_id, question_count, pass_mark, assignee_user_id, due_at)
                         values (%L, 'Org two quiz', 'test-exam', 10, 70, %L, '2026-06-17 12:00+00') $$,
                       tests.org_id('org-two'), tests.get_user_id('learner_d')),
  'but assigns in org 2');
select tests.authenticate_as('platform_admin');
select is((select count(*)::int from public.assignments), 4, 'a platform admin sees every assignment');
select is((select count(*)::int from public.assignment_recipients), 8, 'and all progress');
select tests.authenticate_as_anon();
select throws_ok($$ select * from public.assignments $$, '42501', null, 'anon cannot read assignments');
select throws_ok($$ select * from public.get_my_assignments() $$, '42501', null, 'nor has any');
select tests.authenticate_as_service_role();
select is((select count(*)::int from public.assignments), 4, 'the service role reads every assignment');
select is((select count(*)::int from public.get_assignment_progress(pg_temp.assignment('Org two quiz'))), 1, 'and any progress');

select * from finish();
rollback;
