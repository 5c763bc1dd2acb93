-- Personal tasks: only their owner reads and edits them; tags normalised, completion stamped;
-- search, filters and sorting; soft delete, restore, permanent delete; bulk actions of up to 100.
begin;
select plan(38);

select tests.create_actors();

-- ---------------------------------------------------------------------------
-- learner A
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select lives_ok($$ insert into public.tasks (title, description, priority, due_at, tags) values
  ('Read chapter 3', 'Network security basics and the firewall chapter', 'high', '2026-06-12 12:00+00', '{Study, security}'),
  ('Book the exam', 'Pick a test centre', 'urgent', '2026-06-11 12:00+00', '{admin}'),
  ('Buy a notebook', null, 'low', null, '{}') $$, 'learner A creates tasks');
select is((select tags from public.tasks where title = 'Read chapter 3'), array['security', 'study'], 'tags are lower-cased, unique and sorted');
select is((select user_id from public.tasks limit 1), tests.get_user_id('learner_a'), 'the owner is the caller');
select throws_ok(format($$ insert into public.tasks (user_id, title) values (%L, 'For B') $$, tests.get_user_id('learner_b')), '42501', null,
  'a task cannot be created for someone else');
select throws_ok($$ insert into public.tasks (title, tags) values ('Bad tags', '{"two words"}') $$, '23514', null, 'tags are single words');
select throws_ok($$ insert into public.tasks (title) values ('   ') $$, '23514', null, 'a title is required');
select throws_ok($$ insert into public.tasks (title, priority) values ('x', 'asap') $$, '22P02', null, 'priorities are low, medium, high, urgent');

update public.tasks set status = 'done' where title = 'Buy a notebook';
select ok((select completed_at is not null from public.tasks where title = 'Buy a notebook'), 'marking a task done stamps completed_at');
update public.tasks set status = 'todo' where title = 'Buy a notebook';
select ok((select completed_at is null from public.tasks where title = 'Buy a notebook'), 'and reopening it clears it');

select is((select jsonb_agg(i ->> 'title') from jsonb_array_elements(public.search_tasks('firewall') -> 'items') i), '["Read chapter 3"]'::jsonb,
  'full-text search finds a word of the description');
select is((public.search_tasks(p_priority => '{urgent,high}') ->> 'total')::int, 2, 'filter by priorities');
select is((select jsonb_agg(i ->> 'title') from jsonb_array_elements(public.search_tasks(p_tags => '{STUDY}') -> 'items') i), '["Read chapter 3"]'::jsonb,
  'filter by tags (case-insensitive)');
select is((public.search_tasks(p_due_to => '2026-06-12 00:00+00') -> 'items' -> 0 ->> 'title'), 'Book the exam', 'filter by due date');
select is((select jsonb_agg(i ->> 'title') from jsonb_array_elements(public.search_tasks() -> 'items') i),
  '["Book the exam", "Read chapter 3", "Buy a notebook"]'::jsonb, 'sorted by due date by default, undated last');
select is((select jsonb_agg(i ->> 'priority') from jsonb_array_elements(public.search_tasks(p_sort => 'priority', p_descending => true) -> 'items') i),
  '["urgent", "high", "low"]'::jsonb, 'sorted by priority, highest first');
select is((select jsonb_agg(i ->> 'title') from jsonb_array_elements(public.search_tasks(p_sort => 'title', p_limit => 2, p_offset => 1) -> 'items') i),
  '["Buy a notebook", "Read chapter 3"]'::jsonb, 'sorted by title and paged');
select throws_ok($$ select public.search_tasks(p_sort => 'colour') $$, '22023', null, 'an unknown sort is refused');

select is(public.update_tasks((select array_agg(id) from public.tasks where priority <> 'low'), p_status => 'in_progress', p_add_tags => '{Q2}'), 2,
  'bulk update: two tasks in progress, tagged q2');
select is((select array_agg(title order by title) from public.tasks where 'q2' = any (tags) and status = 'in_progress'),
  array['Book the exam', 'Read chapter 3'], 'both changed');
select is(public.update_tasks((select array_agg(id) from public.tasks), p_remove_tags => '{q2}'), 3, 'bulk tag removal');
select throws_ok($$ select public.update_tasks((select array_agg(id) from public.tasks)) $$, '22023', null, 'a bulk update needs something to change');
select throws_ok($$ select public.delete_tasks((select array_agg(g)::bigint[] from generate_series(1, 101) g)) $$, '22023', null,
  'bulk actions take at most 100 ids');

select is(public.delete_tasks((select array_agg(id) from public.tasks where title like 'B%')), 2, 'two tasks go to the bin');
select is((public.search_tasks() ->> 'total')::int, 1, 'binned tasks leave the list');
select is((public.search_tasks(p_deleted => true) ->> 'total')::int, 2, 'and show in the bin');
select is(public.restore_tasks((select array_agg(id) from public.tasks where title = 'Book the exam')), 1, 'one is restored');
select is(public.delete_tasks((select array_agg(id) from public.tasks where title = 'Buy a notebook'), p_permanent => true), 1,
  'the other is deleted for good');
select is((select count(*)::int from public.tasks), 2, 'two tasks remain');

-- ---------------------------------------------------------------------------
-- Everybody else
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_b');
select is_empty($$ select id from public.tasks $$, 'learner B sees none of learner A''s tasks');
select is_empty($$ update public.tasks set title = 'hacked' returning id $$, 'nor edits them');
select is(public.restore_tasks(array[1::bigint, 2, 3, 4, 5]), 0, 'nor restores them');
select is(public.delete_tasks(array[1::bigint, 2, 3, 4, 5], true), 0, 'nor deletes them');
select tests.authenticate_as('instructor_1');
select is_empty($$ select id from public.tasks $$, 'the instructor does not read learners'' personal tasks');
select tests.authenticate_as('admin_1');
select is_empty($$ select id from public.tasks $$, 'nor does the admin of org 1');
select tests.authenticate_as('admin_2');
select is_empty($$ delete from public.tasks returning id $$, 'nor can the admin of org 2 delete them');
select tests.authenticate_as('platform_admin');
select is_empty($$ select id from public.tasks $$, 'personal tasks are private even from platform admins');
select tests.authenticate_as_anon();
select throws_ok($$ select * from public.tasks $$, '42501', null, 'anon cannot read tasks');
select tests.authenticate_as_service_role();
select is((select count(*)::int from public.tasks), 2, 'the service role reads every task');

select * from finish();
rollback;
