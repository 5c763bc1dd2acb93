-- Lessons: the approval workflow's transitions allowed and refused per role, what learners see
-- (approved and published versions only), review comments, rollback, the diff of two versions.
begin;
select plan(64);

select tests.create_actors();

create or replace function tests.affected(q text) returns integer
language plpgsql
set search_path = ''
as $$
declare
  n integer;
begin
  execute q;
  get diagnostics n = row_count;
  return n;
end;
$$;
grant execute on function tests.affected(text) to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Authoring: staff only
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select throws_ok(format($$ select public.create_lesson(%L, 'Subnetting', 'body') $$, tests.org_id('org-one')), '42501', null,
  'a learner cannot create a lesson');
select tests.authenticate_as('admin_2');
select throws_ok(format($$ select public.create_lesson(%L, 'Subnetting', 'body') $$, tests.org_id('org-one')), '42501', null,
  'the admin of another organisation cannot create one in org-one');

select tests.authenticate_as('instructor_1');
select set_config('test.lesson', (public.create_lesson(tests.org_id('org-one'), 'Subnetting', E'line one\nline two\nline three')).lesson_id::text, true);
select results_eq($$ select version, status::text from public.lesson_versions where lesson_id = current_setting('test.lesson')::uuid $$,
  $$ values (1, 'draft') $$, 'an instructor creates a lesson: version 1, a draft');
select is((public.save_lesson_draft(current_setting('test.lesson')::uuid, 'Subnetting basics', E'line one\nline two\nline three')).version, 1,
  'saving while the latest version is a draft edits it in place');
select throws_ok($$ update public.lesson_versions set status = 'published' $$, '42501', null, 'versions are not written directly');
select throws_ok(format($$ insert into public.lessons (organization_id) values (%L) $$, tests.org_id('org-one')), '42501', null,
  'nor lessons');

-- ---------------------------------------------------------------------------
-- Transitions
-- ---------------------------------------------------------------------------
select throws_ok($$ select public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'approved') $$, 'PT409', null,
  'draft -> approved is refused: it goes through review');
select throws_ok($$ select public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'published') $$, 'PT409', null,
  'draft -> published is refused');
select is((public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'in_review')).status::text, 'in_review',
  'the instructor submits the draft for review');
select throws_ok($$ select public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'approved') $$, '42501', null,
  'an instructor cannot approve');
select throws_ok($$ select public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'draft', 'never mind') $$, '42501', null,
  'nor send back for changes');
select throws_ok($$ select public.set_lesson_status(current_setting('test.lesson')::uuid, 9, 'in_review') $$, 'PT404', null,
  'an unknown version is PT404');

select tests.authenticate_as('learner_a');
select throws_ok($$ select public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'approved') $$, '42501', null,
  'a learner cannot approve');
select is_empty($$ select 1 from public.lessons $$, 'learners do not see a lesson with nothing approved');
select is_empty($$ select 1 from public.lesson_versions $$, 'nor its draft or in-review versions');

select tests.authenticate_as('admin_2');
select throws_ok($$ select public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'approved') $$, 'PT404', null,
  'another organisation''s admin cannot even find it');

select tests.authenticate_as('owner_1');
select throws_ok($$ select public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'draft') $$, '22023', null,
  'requesting changes needs a comment');
select is((public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'draft', 'Add an example for /26')).status::text, 'draft',
  'the owner requests changes: back to draft');
select results_eq($$ select body from public.lesson_comments where lesson_id = current_setting('test.lesson')::uuid $$,
  array['Add an example for /26'], 'the request is a review comment on the version');

select tests.authenticate_as('instructor_1');
select results_eq($$ select body from public.lesson_comments $$, array['Add an example for /26'], 'the author reads it');
select lives_ok($$ insert into public.lesson_comments (lesson_id, version, body) values (current_setting('test.lesson')::uuid, 1, 'Done, added') $$,
  'the author answers with a comment');
select lives_ok($$ select public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'in_review') $$, 'and resubmits');

select tests.authenticate_as('admin_1');
select is((public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'approved')).status::text, 'approved',
  'an admin (not the author) approves');
select throws_ok($$ select public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'in_review') $$, 'PT409', null,
  'approved -> in_review is refused');

select tests.authenticate_as('learner_a');
select results_eq($$ select version, status::text from public.lesson_versions $$, $$ values (1, 'approved') $$,
  'learners of the organisation read the approved version');
select is((select count(*)::int from public.lessons), 1, 'and see the lesson');
select is_empty($$ select 1 from public.lesson_comments $$, 'but not the review comments');
select throws_ok($$ insert into public.lesson_comments (lesson_id, version, body) values (current_setting('test.lesson')::uuid, 1, 'nice') $$,
  '42501', null, 'nor write one');
select tests.authenticate_as('learner_b');
select results_eq($$ select version from public.lesson_versions $$, array[1], 'learner_b, of the same organisation, reads it too');
select throws_ok($$ select public.save_lesson_draft(current_setting('test.lesson')::uuid, 'Mine now', 'x') $$, '42501', null,
  'but cannot edit it');
select tests.authenticate_as('learner_d');
select is_empty($$ select 1 from public.lesson_versions $$, 'learners of another organisation see nothing');

select tests.authenticate_as('instructor_1');
select throws_ok($$ select public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'published') $$, '42501', null,
  'an instructor cannot publish');
select tests.authenticate_as('admin_1');
select is((public.set_lesson_status(current_setting('test.lesson')::uuid, 1, 'published')).status::text, 'published', 'an admin publishes');
select is((select published_version from public.lessons where id = current_setting('test.lesson')::uuid), 1, 'the lesson points at it');

-- Self-approval is refused, even for an admin.
select set_config('test.lesson2', (public.create_lesson(tests.org_id('org-one'), 'Ports', 'Port 22 is SSH')).lesson_id::text, true);
select lives_ok($$ select public.set_lesson_status(current_setting('test.lesson2')::uuid, 1, 'in_review') $$, 'admin_1 submits their own lesson');
select throws_ok($$ select public.set_lesson_status(current_setting('test.lesson2')::uuid, 1, 'approved') $$, '42501', null,
  'but cannot approve their own version');
select tests.authenticate_as('platform_admin');
select is((public.set_lesson_status(current_setting('test.lesson2')::uuid, 1, 'approved')).status::text, 'approved',
  'a platform admin may review any organisation''s lesson');

-- ---------------------------------------------------------------------------
-- A second version, the diff, publishing it
-- ---------------------------------------------------------------------------
select tests.authenticate_as('instructor_1');
select is((public.save_lesson_draft(current_setting('test.lesson')::uuid, 'Subnetting basics', E'line one\nline 2\nline three\nline four', 'Examples')).version, 2,
  'saving after publication starts version 2');
select results_eq($$ select op, old_line, new_line, line from public.diff_lesson_versions(current_setting('test.lesson')::uuid, 1, 2) $$,
  $$ values ('-', 2, null::integer, 'line two'), ('+', null::integer, 2, 'line 2'), ('+', null::integer, 4, 'line four') $$,
  'the diff of versions 1 and 2 lists the changed lines only, with their line numbers');
select is_empty($$ select * from public.diff_lesson_versions(current_setting('test.lesson')::uuid, 1, 1) $$, 'a version does not differ from itself');

select tests.authenticate_as('learner_a');
select results_eq($$ select version from public.lesson_versions where lesson_id = current_setting('test.lesson')::uuid order by version $$, array[1], 'learners do not see the new draft');
select throws_ok($$ select * from public.diff_lesson_versions(current_setting('test.lesson')::uuid, 1, 2) $$, 'PT404', null,
  'and cannot diff against it');

select tests.authenticate_as('instructor_1');
select lives_ok($$ select public.set_lesson_status(current_setting('test.lesson')::uuid, 2, 'in_review') $$, 'version 2 is submitted');
select tests.authenticate_as('owner_1');
select lives_ok($$ select public.set_lesson_status(current_setting('test.lesson')::uuid, 2, 'approved') $$, 'approved by the owner');
select lives_ok($$ select public.set_lesson_status(current_setting('test.lesson')::uuid, 2, 'published') $$, 'and published');
select results_eq($$ select version, status::text from public.lesson_versions where lesson_id = current_setting('test.lesson')::uuid order by version $$,
  $$ values (1, 'archived'), (2, 'published') $$, 'publishing version 2 archived version 1');

select tests.authenticate_as('learner_a');
select results_eq($$ select version from public.lesson_versions where lesson_id = current_setting('test.lesson')::uuid $$, array[2],
  'learners now read version 2 only');

-- ---------------------------------------------------------------------------
-- Rollback
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select throws_ok($$ select public.rollback_lesson(current_setting('test.lesson')::uuid, 1) $$, '42501', null, 'a learner cannot roll back');
select tests.authenticate_as('instructor_1');
select results_eq($$ select version, status::text, change_summary, body from public.rollback_lesson(current_setting('test.lesson')::uuid, 1) $$,
  $$ values (3, 'draft', 'Rollback to version 1', E'line one\nline two\nline three') $$,
  'rolling back to version 1 makes version 3, a draft with version 1''s content');
select throws_ok($$ select public.rollback_lesson(current_setting('test.lesson')::uuid, 1) $$, 'PT409', null,
  'not twice while that draft is open');
select results_eq($$ select op, line from public.diff_lesson_versions(current_setting('test.lesson')::uuid, 2, 3) $$,
  $$ values ('-', 'line 2'), ('+', 'line two'), ('-', 'line four') $$, 'the rollback undoes version 2''s changes');

-- ---------------------------------------------------------------------------
-- Unpublishing
-- ---------------------------------------------------------------------------
select tests.authenticate_as('admin_1');
select lives_ok($$ select public.set_lesson_status(current_setting('test.lesson')::uuid, 2, 'archived') $$, 'an admin unpublishes version 2');
select is((select published_version from public.lessons where id = current_setting('test.lesson')::uuid), null::integer, 'nothing is published now');
select throws_ok($$ select public.set_lesson_status(current_setting('test.lesson')::uuid, 2, 'published') $$, 'PT409', null,
  'archived -> published is refused (roll back instead)');
select tests.authenticate_as('learner_a');
select is_empty($$ select 1 from public.lesson_versions where lesson_id = current_setting('test.lesson')::uuid $$,
  'learners see no version of an unpublished lesson');

-- ---------------------------------------------------------------------------
-- Other actors
-- ---------------------------------------------------------------------------
select tests.authenticate_as('admin_2');
select is_empty($$ select 1 from public.lessons $$, 'admin_2 sees no lesson of org-one');
select is_empty($$ select 1 from public.lesson_comments $$, 'nor their comments');

select tests.authenticate_as('platform_admin');
select is((select count(*)::int from public.lesson_versions), 4, 'platform admins read every version');

select tests.authenticate_as_anon();
select throws_ok($$ select 1 from public.lessons $$, '42501', null, 'anon cannot read lessons');
select throws_ok($$ select 1 from public.lesson_versions $$, '42501', null, 'nor versions');
select throws_ok($$ select 1 from public.lesson_comments $$, '42501', null, 'nor comments');
select throws_ok(format($$ select public.create_lesson(%L, 'x', 'y') $$, tests.org_id('org-one')), '42501', null, 'nor create a lesson');

select tests.authenticate_as_service_role();
select is((select count(*)::int from public.lesson_comments), 2, 'service_role reads every comment');
select throws_ok(format($$ select public.create_lesson(%L, 'x', 'y') $$, tests.org_id('org-one')), '42501', null,
  'lesson RPCs act for a signed-in author, not the service role');

select * from finish();
rollback;
