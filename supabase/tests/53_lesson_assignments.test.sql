-- Lesson assignments: only the organisation's own lessons, completed by the learner with
-- complete_lesson() once the lesson is published; nobody completes what was not assigned to them.
begin;
select plan(8);

select tests.create_actors();
select tests.authenticate_as('admin_2');
select set_config('test.other', (public.create_lesson(tests.org_id('org-two'), 'Other', 'x')).lesson_id::text, true);
select tests.authenticate_as('instructor_1');
select set_config('test.lesson', (public.create_lesson(tests.org_id('org-one'), 'Intro', 'Welcome')).lesson_id::text, true);
insert into public.assignments (organization_id, kind, title, lesson_id, assignee_user_id, due_at)
values (tests.org_id('org-one'), 'lesson', 'Read the intro', current_setting('test.lesson')::uuid,
        tests.get_user_id('learner_b'), now() + interval '7 days');

select throws_ok(format($$ insert into public.assignments (organization_id, kind, title, lesson_id, assignee_user_id, due_at)
                          values (%L, 'lesson', 'Foreign', %L, %L, now() + interval '7 days') $$,
                        tests.org_id('org-one'), current_setting('test.other'), tests.get_user_id('learner_b')),
                 '23503', null, 'an organisation assigns only its own lessons');

select tests.authenticate_as('learner_b');
select throws_ok($$ select public.complete_lesson(current_setting('test.lesson')::uuid) $$, 'PT409', null,
                 'a lesson is completed only once published');

-- the instructor submits, an admin approves and publishes
select tests.authenticate_as('instructor_1');
select public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'in_review');
select tests.authenticate_as('admin_1');
select public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'approved');
select public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'published');

select tests.authenticate_as('learner_b');
select is(public.complete_lesson(current_setting('test.lesson')::uuid), 1, 'learner B completes their lesson assignment');
select is((select status from public.get_my_assignments() where title = 'Read the intro'), 'completed',
          '... and sees it completed');
select is(public.complete_lesson(current_setting('test.lesson')::uuid), 0, 'completing it again changes nothing');

select tests.authenticate_as('learner_a');
select is(public.complete_lesson(current_setting('test.lesson')::uuid), 0, 'learner A, not assigned, completes nothing');

select tests.authenticate_as('learner_d');
select throws_ok($$ select public.complete_lesson(current_setting('test.lesson')::uuid) $$, 'PT404', null,
                 'a learner of another organisation cannot even see the lesson');

select tests.authenticate_as_anon();
select throws_ok($$ select public.complete_lesson(gen_random_uuid()) $$, '42501', null, 'anon cannot call it');

select * from finish();
rollback;
