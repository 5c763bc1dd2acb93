-- Study tools: bookmarks, notes, study sets (private or shared in an organisation) and review
-- cards, one block per actor, allowed and denied.
begin;
select plan(77);

select tests.create_actors();
select tests.create_test_exam(10);

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

-- An organisation-one question (published), invisible to org-two.
insert into public.questions (exam_id, domain_id, organization_id, stem, options, status)
select 'test-exam', d.id, tests.org_id('org-one'), 'Org one only: which option is right?',
       '{"A": "a", "B": "b", "C": "c", "D": "d"}', 'published'
from public.exam_domains d where d.exam_id = 'test-exam' and d.code = '1.0';
select set_config('test.q1', (select min(id)::text from public.questions where exam_id = 'test-exam' and organization_id is null), true);
select set_config('test.q2', (select max(id)::text from public.questions where exam_id = 'test-exam' and organization_id is null), true);
select set_config('test.qorg', (select id::text from public.questions where organization_id = tests.org_id('org-one')), true);

-- learner_a answers 10 questions, 7 right: 3 review cards.
select tests.take_quiz('learner_a', 10, 7);

-- ---------------------------------------------------------------------------
-- learner_a: their own study tools
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select lives_ok(format($$ insert into public.bookmarks (question_id) values (%s), (%s) $$, current_setting('test.q1'), current_setting('test.qorg')),
  'learner_a bookmarks a global question and one of their organisation');
select results_eq($$ select count(*)::int from public.bookmarks $$, array[2], 'learner_a reads their two bookmarks');
select throws_ok(format($$ insert into public.bookmarks (user_id, question_id) values (%L, %s) $$, tests.get_user_id('learner_b'), current_setting('test.q2')),
  '42501', null, 'learner_a cannot bookmark for learner_b');
select lives_ok(format($$ insert into public.question_notes (question_id, body) values (%s, 'Remember: A is a trap') $$, current_setting('test.q1')),
  'learner_a writes a note on a question');
select throws_ok(format($$ insert into public.question_notes (question_id, body) values (%s, 'twice') $$, current_setting('test.q1')),
  '23505', null, 'one note per question');
select is(tests.affected(format($$ update public.question_notes set body = 'Edited' where question_id = %s $$, current_setting('test.q1'))), 1,
  'learner_a edits their note');
select throws_ok(format($$ insert into public.question_notes (question_id, body) values (%s, '   ') $$, current_setting('test.q2')),
  '23514', null, 'an empty note is refused');
select lives_ok($$ insert into public.study_sets (name) values ('My weak spots') $$, 'learner_a makes a personal study set');
select lives_ok(format($$ insert into public.study_sets (name, organization_id, shared) values ('Org one shared set', %L, true) $$, tests.org_id('org-one')),
  'learner_a shares a study set in their organisation');
select throws_ok($$ insert into public.study_sets (name, shared) values ('Shared with nobody', true) $$, '23514', null,
  'a shared set needs an organisation');
select throws_ok(format($$ insert into public.study_sets (name, organization_id) values ('Not mine', %L) $$, tests.org_id('org-two')),
  '42501', null, 'learner_a cannot make a set in an organisation they are not in');
select set_config('test.personal', (select id::text from public.study_sets where name = 'My weak spots'), true);
select set_config('test.shared', (select id::text from public.study_sets where name = 'Org one shared set'), true);
select lives_ok(format($$ insert into public.study_set_items (study_set_id, question_id, position) values (%L, %s, 1), (%L, %s, 2), (%L, %s, 1) $$,
                       current_setting('test.shared'), current_setting('test.q1'), current_setting('test.shared'), current_setting('test.qorg'),
                       current_setting('test.personal'), current_setting('test.q2')),
  'learner_a fills their sets');
select is(tests.affected(format($$ update public.study_set_items set position = 5 where study_set_id = %L $$, current_setting('test.personal'))), 1,
  'learner_a reorders their set');
select results_eq($$ select count(*)::int from public.review_cards $$, array[3], 'learner_a has a card for each of their 3 wrong answers');
select throws_ok(format($$ insert into public.review_cards (user_id, question_id, due_at) values (auth.uid(), %s, now()) $$, current_setting('test.q1')),
  '42501', null, 'learners do not write cards directly');
select throws_ok($$ update public.review_cards set easiness = 5 $$, '42501', null, 'nor change their schedule');
select is(tests.affected($$ delete from public.review_cards where question_id = (select min(question_id) from public.review_cards) $$), 1,
  'learner_a drops one card');

-- ---------------------------------------------------------------------------
-- learner_b (same organisation): the shared set only
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_b');
select is_empty($$ select 1 from public.bookmarks $$, 'learner_b sees none of learner_a''s bookmarks');
select is_empty($$ select 1 from public.question_notes $$, 'nor their notes');
select is_empty($$ select 1 from public.review_cards $$, 'nor their cards');
select results_eq($$ select name from public.study_sets $$, array['Org one shared set'], 'learner_b sees the set shared in org-one, not the personal one');
select results_eq($$ select count(*)::int from public.study_set_items $$, array[2], 'and its two questions');
select is(tests.affected($$ delete from public.bookmarks $$), 0, 'learner_b deletes none of learner_a''s bookmarks');
select is(tests.affected($$ update public.question_notes set body = 'hijacked' $$), 0, 'nor edits their notes');
select is(tests.affected($$ update public.study_sets set name = 'hijacked' $$), 0, 'nor renames the shared set');
select is(tests.affected($$ delete from public.study_sets $$), 0, 'nor deletes it');
select throws_ok(format($$ insert into public.study_set_items (study_set_id, question_id) values (%L, %s) $$, current_setting('test.shared'), current_setting('test.q2')),
  '42501', null, 'nor adds questions to it');
select is(tests.affected($$ delete from public.study_set_items $$), 0, 'nor removes its questions');
select is(tests.affected($$ delete from public.review_cards $$), 0, 'nor drops learner_a''s cards');
select lives_ok(format($$ insert into public.bookmarks (question_id) values (%s) $$, current_setting('test.q1')),
  'learner_b bookmarks the same question for themselves');

-- ---------------------------------------------------------------------------
-- instructor_1 and admin_1 (org-one staff): learners' study tools stay private
-- ---------------------------------------------------------------------------
select tests.authenticate_as('instructor_1');
select results_eq($$ select count(*)::int from public.bookmarks $$, array[0], 'instructor_1 reads no learner''s bookmarks');
select is_empty($$ select 1 from public.question_notes $$, 'nor notes');
select is_empty($$ select 1 from public.review_cards $$, 'nor cards');
select results_eq($$ select name from public.study_sets $$, array['Org one shared set'], 'instructor_1 reads the shared set of their organisation');
select is(tests.affected($$ delete from public.study_sets $$), 0, 'but an instructor does not delete a learner''s set');

select tests.authenticate_as('admin_1');
select is_empty($$ select 1 from public.question_notes $$, 'admin_1 reads no learner''s notes');
select is_empty($$ select 1 from public.review_cards $$, 'nor cards');
select is_empty($$ select 1 from public.bookmarks $$, 'nor bookmarks');
select is(tests.affected(format($$ delete from public.study_sets where id = %L $$, current_setting('test.personal'))), 0,
  'admin_1 cannot delete a personal set');
select throws_ok(format($$ insert into public.study_set_items (study_set_id, question_id) values (%L, %s) $$, current_setting('test.shared'), current_setting('test.q2')),
  '42501', null, 'nor add to a learner''s set');

-- ---------------------------------------------------------------------------
-- admin_2 and learner_d (org-two): nothing of org-one
-- ---------------------------------------------------------------------------
select tests.authenticate_as('admin_2');
select is_empty($$ select 1 from public.study_sets $$, 'admin_2 sees no set of org-one');
select is_empty($$ select 1 from public.study_set_items $$, 'nor their items');
select is_empty($$ select 1 from public.bookmarks $$, 'nor bookmarks');
select is_empty($$ select 1 from public.question_notes $$, 'nor notes');
select is_empty($$ select 1 from public.review_cards $$, 'nor cards');
select is(tests.affected($$ delete from public.study_sets $$), 0, 'and deletes none');

select tests.authenticate_as('learner_d');
select throws_ok(format($$ insert into public.bookmarks (question_id) values (%s) $$, current_setting('test.qorg')),
  '42501', null, 'learner_d cannot bookmark an org-one question they cannot read');
select throws_ok(format($$ insert into public.question_notes (question_id, body) values (%s, 'peek') $$, current_setting('test.qorg')),
  '42501', null, 'nor write a note on it');
select lives_ok(format($$ insert into public.study_sets (name, organization_id, shared) values ('Org two set', %L, true) $$, tests.org_id('org-two')),
  'learner_d shares a set in org-two');
select throws_ok(format($$ insert into public.study_set_items (study_set_id, question_id) select id, %s from public.study_sets where name = 'Org two set' $$,
                        current_setting('test.qorg')),
  '42501', null, 'but cannot put an org-one question in it');

-- ---------------------------------------------------------------------------
-- platform_admin
-- ---------------------------------------------------------------------------
select tests.authenticate_as('platform_admin');
select results_eq($$ select count(*)::int from public.study_sets $$, array[3], 'platform_admin reads every study set');
select results_eq($$ select count(*)::int from public.study_set_items $$, array[3], 'and their items');
select is_empty($$ select 1 from public.bookmarks $$, 'but not learners'' bookmarks');
select is_empty($$ select 1 from public.question_notes $$, 'nor their notes');
select is_empty($$ select 1 from public.review_cards $$, 'nor their cards');
select is(tests.affected(format($$ update public.study_sets set name = 'renamed' where id = %L $$, current_setting('test.shared'))), 0,
  'platform_admin does not rename a learner''s set');

-- ---------------------------------------------------------------------------
-- anon
-- ---------------------------------------------------------------------------
select tests.authenticate_as_anon();
select throws_ok($$ select 1 from public.bookmarks $$, '42501', null, 'anon cannot read bookmarks');
select throws_ok($$ select 1 from public.question_notes $$, '42501', null, 'nor notes');
select throws_ok($$ select 1 from public.study_sets $$, '42501', null, 'nor study sets');
select throws_ok($$ select 1 from public.study_set_items $$, '42501', null, 'nor their items');
select throws_ok($$ select 1 from public.review_cards $$, '42501', null, 'nor review cards');
select throws_ok(format($$ insert into public.bookmarks (user_id, question_id) values (%L, %s) $$, tests.get_user_id('learner_a'), current_setting('test.q2')),
  '42501', null, 'nor write a bookmark');
select throws_ok($$ select * from public.get_review_queue() $$, '42501', null, 'nor call get_review_queue');
select throws_ok($$ select public.review_card(1, 4) $$, '42501', null, 'nor review_card');

-- ---------------------------------------------------------------------------
-- service_role
-- ---------------------------------------------------------------------------
select tests.authenticate_as_service_role();
select results_eq($$ select count(*)::int from public.bookmarks $$, array[3], 'service_role reads every bookmark');
select results_eq($$ select count(*)::int from public.question_notes $$, array[1], 'every note');
select results_eq($$ select count(*)::int from public.study_sets $$, array[3], 'every study set');
select results_eq($$ select count(*)::int from public.review_cards $$, array[2], 'every card');
select is(tests.affected($$ delete from public.bookmarks where user_id = tests.get_user_id('learner_b') $$), 1, 'and may delete them');
select throws_ok($$ select public.review_card(1, 4) $$, '42501', null, 'review_card needs a signed-in learner');

-- ---------------------------------------------------------------------------
-- Owners keep control; moderation of shared sets
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select is(tests.affected(format($$ update public.study_sets set description = 'Domain 1 traps' where id = %L $$, current_setting('test.shared'))), 1,
  'learner_a edits their shared set');
select is(tests.affected(format($$ delete from public.study_set_items where study_set_id = %L and question_id = %s $$, current_setting('test.shared'), current_setting('test.q1'))), 1,
  'and removes a question from it');
select throws_ok(format($$ update public.study_sets set organization_id = %L where id = %L $$, tests.org_id('org-two'), current_setting('test.shared')),
  '42501', null, 'but cannot move it to an organisation they are not in');
select is(tests.affected($$ delete from public.question_notes $$), 1, 'learner_a deletes their note');
select is(tests.affected($$ delete from public.bookmarks $$), 2, 'and their bookmarks');

select tests.authenticate_as('admin_1');
select is(tests.affected(format($$ delete from public.study_sets where id = %L $$, current_setting('test.shared'))), 1,
  'admin_1 removes a set shared in their organisation (moderation)');
select tests.clear_authentication();
select is((select count(*)::int from public.study_set_items where study_set_id = current_setting('test.shared')::uuid), 0,
  'its items went with it');

select * from finish();
rollback;
