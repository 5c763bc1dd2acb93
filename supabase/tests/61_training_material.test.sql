-- Training material: staff add documents (add_training_document, one transaction), members
-- search them (search_training_material, ranked full-text snippets), staff delete them; nobody
-- outside the organisation reads or writes them. One block per actor.
begin;
select plan(34);

select tests.create_actors();

select has_table('public', 'training_documents', 'training_documents exists');
select has_table('public', 'training_chunks', 'training_chunks exists');
select is((select a.attgenerated from pg_attribute a where a.attrelid = 'public.training_chunks'::regclass and a.attname = 'fts'), 's',
  'training_chunks.fts is a stored generated column');
select ok(exists (select 1 from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am am on am.oid = c.relam
                  where i.indrelid = 'public.training_chunks'::regclass and am.amname = 'gin'),
  'training_chunks.fts has a GIN index');

-- instructor of org-one adds a document
select tests.authenticate_as('instructor_1');
select set_config('test.doc', (public.add_training_document(tests.org_id('org-one'), 'Sales Objections', 'Price objections',
  'text', array['When the customer says the price is too high, acknowledge the concern and ask what value means to them.',
                'Never discount on the first objection; explain what the warranty and aftercare include.',
                'Follow up within two days with a written summary of the options discussed.'],
  'price.txt', 300)) ->> 'document_id', true);
select is((select chunk_count from public.training_documents where id = current_setting('test.doc')::uuid), 3,
  'the instructor adds a document with three chunks');
select is((select category from public.training_documents where id = current_setting('test.doc')::uuid), 'sales-objections',
  'the category is stored by its slug (the name was given), as training sessions store it');
select is((select array_agg(position order by position) from public.training_chunks where document_id = current_setting('test.doc')::uuid),
  array[1, 2, 3], 'chunks keep the document order');
select throws_ok($$ select public.add_training_document(tests.org_id('org-one'), 'Cooking', 'x', 'text', array['y']) $$,
  '22023', null, 'an unknown category is refused');
select throws_ok($$ select public.add_training_document(tests.org_id('org-one'), 'General Sales', 'x', 'text', array[]::text[]) $$,
  '22023', null, 'a document without text is refused');
select throws_ok($$ select public.add_training_document(tests.org_id('org-one'), 'General Sales', 'x', 'text', array[repeat('y', 4001)]) $$,
  '22023', null, 'a chunk over 4000 characters is refused');
select throws_ok($$ insert into public.training_chunks (document_id, organization_id, category, position, content)
                    values (current_setting('test.doc')::uuid, tests.org_id('org-one'), 'General Sales', 9, 'x') $$,
  '42501', null, 'nobody inserts chunks directly');

-- a learner of org-one searches
select tests.authenticate_as('learner_a');
select is((select count(*)::int from public.search_training_material(tests.org_id('org-one'), 'the customer thinks the price is too expensive')), 1,
  'a learner finds the passage about price (stemmed, stop words dropped)');
select matches((select snippet from public.search_training_material(tests.org_id('org-one'), 'price objection') where chunk_position = 1), '\*\*price\*\*',
  'the snippet marks the matched words');
select is((select array_agg(chunk_position) from public.search_training_material(tests.org_id('org-one'), 'discount warranty aftercare price')),
  array[2, 1], 'passages are ranked by how much of the query they match (any word may match)');
select is_empty($$ select * from public.search_training_material(tests.org_id('org-one'), 'price', 'retail-sales') $$,
  'the category filter applies');
select is((select category from public.search_training_material(tests.org_id('org-one'), 'price', 'Sales Objections')), 'sales-objections',
  'by slug or by name');
select is_empty($$ select * from public.search_training_material(tests.org_id('org-one'), 'the and of') $$,
  'a query of stop words finds nothing (and does not fail)');
select throws_ok($$ select * from public.search_training_material(tests.org_id('org-one'), '') $$, '22023', null, 'an empty query is refused');
select throws_ok($$ select * from public.search_training_material(tests.org_id('org-one'), 'price', null, 500) $$, '22023', null, 'so is a limit over 50');
select is((select count(*)::int from public.training_chunks), 3, 'a learner reads their organisation''s chunks');
select throws_ok($$ select public.add_training_document(tests.org_id('org-one'), 'General Sales', 'x', 'text', array['y']) $$,
  '42501', null, 'a learner cannot add material');
select is_empty($$ delete from public.training_documents returning id $$, 'nor delete it');

-- the owner of org-two and its learner
select tests.authenticate_as('admin_2');
select throws_ok($$ select * from public.search_training_material(tests.org_id('org-one'), 'price') $$,
  '42501', null, 'the owner of another organisation cannot search org-one''s material');
select is_empty($$ select id from public.training_chunks $$, 'nor read its chunks');
select throws_ok($$ select public.add_training_document(tests.org_id('org-one'), 'General Sales', 'x', 'text', array['y']) $$,
  '42501', null, 'nor add to it');
select tests.authenticate_as('learner_d');
select is_empty($$ select id from public.training_documents $$, 'a learner of org-two sees no org-one document');

-- platform admin, service role, anon
select tests.authenticate_as('platform_admin');
select is((select count(*)::int from public.search_training_material(tests.org_id('org-one'), 'price')), 1, 'a platform admin searches any organisation');
select tests.authenticate_as_service_role();
select is((public.add_training_document(tests.org_id('org-two'), 'Retail Sales', 'Shelf talk', 'markdown', array['Point at the care kit.'])) ->> 'chunk_count',
  '1', 'the service role adds material');
select tests.authenticate_as_anon();
select throws_ok($$ select * from public.search_training_material(tests.org_id('org-one'), 'price') $$, '42501', null, 'anon cannot search');

-- the instructor deletes; chunks go with the document
select tests.authenticate_as('admin_1');
select is((select count(*)::int from public.training_documents), 1, 'an admin of org-one sees only org-one''s document');
select results_eq($$ delete from public.training_documents returning title $$, array['Price objections'], 'an admin deletes it');
select tests.clear_authentication();
select is((select count(*)::int from public.training_chunks where document_id = current_setting('test.doc')::uuid), 0, 'its chunks are gone too');

-- uploads per hour (seed 002: 10)
select tests.authenticate_as('instructor_1');
select lives_ok($$ select public.add_training_document(tests.org_id('org-one'), 'General Sales', 'n', 'text', array['y']) from generate_series(1, 9) $$,
  'the instructor uploads ten documents in the hour');
select throws_ok($$ select public.add_training_document(tests.org_id('org-one'), 'General Sales', 'n', 'text', array['y']) $$,
  'PT429', null, 'the eleventh upload in an hour is refused');

select * from finish();
rollback;
