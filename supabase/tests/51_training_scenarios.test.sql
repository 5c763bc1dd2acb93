-- Training scenarios (customer briefs): who writes and reads them, and which a session may use.
begin;
select plan(12);

select tests.create_actors();

select tests.authenticate_as('instructor_1');
select lives_ok(format($$
  insert into public.training_scenarios (organization_id, category, difficulty, title, customer_brief)
  values (%L, 'smp-sales', 'expert', 'The sceptical engineer', 'An engineer who wants numbers on durability and fading.')
$$, tests.org_id('org-one')), 'an instructor writes a scenario for their organisation');
select set_config('test.sc1', (select id::text from public.training_scenarios where title = 'The sceptical engineer'), true);
select throws_ok($$
  insert into public.training_scenarios (category, title, customer_brief) values ('smp-sales', 'Global one', 'A customer brief that is long enough.')
$$, '42501', null, 'but not a global one');
select throws_ok(format($$
  insert into public.training_scenarios (organization_id, category, title, customer_brief) values (%L, 'smp-sales', 'Theirs', 'A customer brief that is long enough.')
$$, tests.org_id('org-two')), '42501', null, 'nor one for another organisation');

select tests.authenticate_as('platform_admin');
select lives_ok($$
  insert into public.training_scenarios (category, title, customer_brief) values ('retail-sales', 'The bargain hunter', 'Compares every price with the supermarket.')
$$, 'platform admins write global scenarios');

select tests.authenticate_as('learner_a');
select set_eq($$ select title from public.training_scenarios $$, array['The sceptical engineer', 'The bargain hunter'],
  'a learner of org one reads its scenarios and the global ones');
select throws_ok($$
  insert into public.training_scenarios (category, title, customer_brief) values ('retail-sales', 'Mine', 'A customer brief that is long enough.')
$$, '42501', null, 'learners write no scenario');
select is_empty(format($$ update public.training_scenarios set title = 'hacked' where id = %L returning id $$, current_setting('test.sc1')),
  'nor edit one');
select lives_ok(format($$
  insert into public.training_sessions (organization_id, scenario_id, category, difficulty, duration_minutes)
  values (%L, %L, 'smp-sales', 'expert', 15)
$$, tests.org_id('org-one'), current_setting('test.sc1')), 'a session of org one plays its scenario');
select throws_ok(format($$
  insert into public.training_sessions (scenario_id, category, difficulty, duration_minutes) values (%L, 'smp-sales', 'basic', 5)
$$, current_setting('test.sc1')), '22023', null, 'an organisation''s scenario is not played in a personal session');
select throws_ok(format($$
  insert into public.training_sessions (organization_id, scenario_id, category, difficulty, duration_minutes) values (%L, %L, 'retail-sales', 'basic', 5)
$$, tests.org_id('org-one'), current_setting('test.sc1')), '22023', null, 'a scenario plays only its own category');

select tests.authenticate_as('learner_d');
select set_eq($$ select title from public.training_scenarios $$, array['The bargain hunter'], 'org two''s learner sees only the global scenario');

select tests.authenticate_as('instructor_1');
update public.training_scenarios set is_active = false where id = current_setting('test.sc1')::uuid;
select tests.authenticate_as('learner_b');
select throws_ok(format($$
  insert into public.training_sessions (organization_id, scenario_id, category, difficulty, duration_minutes) values (%L, %L, 'smp-sales', 'basic', 5)
$$, tests.org_id('org-one'), current_setting('test.sc1')), '22023', null, 'an inactive scenario cannot be played');

select * from finish();
rollback;
