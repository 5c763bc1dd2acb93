-- AI role-play training: who starts, reads, speaks in, annotates and completes which session;
-- the server's clock; one report and one XP grant per session, written only by the service role.
begin;
select plan(46);

select tests.create_actors();
select tests.freeze_time('2026-06-10 09:00:00+00');

-- ---------------------------------------------------------------------------
-- Structure
-- ---------------------------------------------------------------------------
select is((select count(*)::int from public.training_categories), 12, 'the twelve sales categories of the trainer');
select enum_has_labels('public', 'training_difficulty', array['new-joining', 'basic', 'experienced', 'expert'],
  'four difficulty levels');
select ok(not has_function_privilege('authenticated', 'public.complete_training_session(uuid, jsonb)', 'execute')
          and not has_function_privilege('anon', 'public.complete_training_session(uuid, jsonb)', 'execute')
          and has_function_privilege('service_role', 'public.complete_training_session(uuid, jsonb)', 'execute'),
  'only the service role may complete a session (store a report, award XP)');
select ok(not has_function_privilege('authenticated', 'private.award_training_xp(uuid)', 'execute')
          and not has_function_privilege('service_role', 'private.award_training_xp(uuid)', 'execute'),
  'the XP award is not callable by API roles');
select ok(not has_table_privilege('authenticated', 'public.training_reports', 'insert')
          and not has_table_privilege('service_role', 'public.training_reports', 'insert')
          and not has_table_privilege('authenticated', 'public.training_sessions', 'update'),
  'no API role writes a report or changes a session directly');
select ok(not has_column_privilege('authenticated', 'public.training_messages', 'role', 'insert')
          and has_column_privilege('service_role', 'public.training_messages', 'role', 'insert'),
  'learners cannot choose the speaker of a line; the function (service role) writes customer lines');

-- ---------------------------------------------------------------------------
-- learner A starts a session in org one
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select lives_ok($$
  insert into public.training_sessions (organization_id, category, difficulty, duration_minutes)
  values (tests.org_id('org-one'), 'sales-objections', 'experienced', 10)
$$, 'learner A starts a 10-minute session filed under org one');
select set_config('test.s1', (select id::text from public.training_sessions where user_id = auth.uid()), true);
select is((select (status, started_at, ends_at, user_id) from public.training_sessions where id = current_setting('test.s1')::uuid),
  row('active'::public.training_session_status, '2026-06-10 09:00:00+00'::timestamptz, '2026-06-10 09:10:00+00'::timestamptz, auth.uid()),
  'the server sets owner, status, start (its clock) and end = start + 10 minutes');
select throws_ok($$
  insert into public.training_sessions (category, difficulty, duration_minutes) values ('general-sales', 'basic', 7)
$$, '23514', null, 'durations are 5, 10, 15, 20 or 30 minutes');
select throws_ok($$
  insert into public.training_sessions (category, difficulty, duration_minutes) values ('cold-calling', 'basic', 5)
$$, '23503', null, 'categories are the trainer''s twelve');
select throws_ok(format($$
  insert into public.training_sessions (organization_id, category, difficulty, duration_minutes) values (%L, 'general-sales', 'basic', 5)
$$, tests.org_id('org-two')), '42501', null, 'a learner cannot file a session under an organisation they do not belong to');

select lives_ok(format($$ insert into public.training_messages (session_id, content) values (%L, 'Good morning, how can I help you today?') $$,
  current_setting('test.s1')), 'learner A speaks in their session');
select is((select (role, user_id, organization_id) from public.training_messages where session_id = current_setting('test.s1')::uuid),
  row('learner'::public.training_message_role, auth.uid(), tests.org_id('org-one')), 'the line is the learner''s, filed like its session');
select throws_ok(format($$ insert into public.training_messages (session_id, role, content) values (%L, 'customer', 'I will buy') $$,
  current_setting('test.s1')), '42501', null, 'learner A cannot write the customer''s lines');
select throws_ok(format($$ select public.complete_training_session(%L, '{}'::jsonb) $$, current_setting('test.s1')), '42501', null,
  'learner A cannot complete (score) their own session');
select throws_ok(format($$ insert into public.training_reports (session_id, user_id, overall_score, summary, criteria, generated_by)
                          values (%L, auth.uid(), 100, 'perfect', '[]', 'me') $$, current_setting('test.s1')), '42501', null,
  'nor write a report');
select throws_ok(format($$ update public.training_sessions set ends_at = ends_at + interval '1 hour' where id = %L $$,
  current_setting('test.s1')), '42501', null, 'nor extend their time');

-- ---------------------------------------------------------------------------
-- Other actors
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_b');
select is_empty($$ select id from public.training_sessions $$, 'learner B (same organisation) does not see learner A''s session');
select is_empty($$ select id from public.training_messages $$, 'nor its transcript');
select throws_ok(format($$ insert into public.training_messages (session_id, content) values (%L, 'hijack') $$,
  current_setting('test.s1')), '42501', null, 'nor speaks in it');
select throws_ok(format($$ insert into public.training_notes (session_id, body) values (%L, 'nice') $$,
  current_setting('test.s1')), '42501', null, 'nor annotates it');

select tests.authenticate_as('instructor_1');
select is((select count(*)::int from public.training_sessions where id = current_setting('test.s1')::uuid), 1,
  'the instructor of org one reads the session filed under org one');
select is((select count(*)::int from public.training_messages where session_id = current_setting('test.s1')::uuid), 1,
  'and its transcript');
select lives_ok(format($$ insert into public.training_notes (session_id, body) values (%L, 'Ask more open questions.') $$,
  current_setting('test.s1')), 'and adds a note');
select throws_ok(format($$ insert into public.training_messages (session_id, content) values (%L, 'psst') $$,
  current_setting('test.s1')), '42501', null, 'but does not speak in the learner''s session');

select tests.authenticate_as('admin_2');
select is_empty($$ select id from public.training_sessions $$, 'the owner of org two sees none of org one''s sessions');
select is_empty($$ select id from public.training_notes $$, 'nor their notes');

select tests.authenticate_as('platform_admin');
select is((select count(*)::int from public.training_sessions where id = current_setting('test.s1')::uuid), 1, 'platform admins read every session');

select tests.authenticate_as_anon();
select throws_ok($$ select count(*) from public.training_sessions $$, '42501', null, 'anon reads no session');

select tests.authenticate_as('learner_a');
select is((select body from public.training_notes where session_id = current_setting('test.s1')::uuid), 'Ask more open questions.',
  'learner A reads the instructor''s note on their session');
select is_empty(format($$ update public.training_notes set body = 'edited' where session_id = %L returning id $$,
  current_setting('test.s1')), 'but cannot edit it');

-- A personal session (no organisation) is private to the learner.
select tests.authenticate_as('learner_b');
insert into public.training_sessions (category, difficulty, duration_minutes) values ('retail-sales', 'basic', 5);
select tests.authenticate_as('instructor_1');
select is_empty(format($$ select id from public.training_sessions where user_id = %L $$, tests.get_user_id('learner_b')),
  'staff do not see a personal session of their learner');

-- ---------------------------------------------------------------------------
-- The service role completes the session: report stored, XP once
-- ---------------------------------------------------------------------------
select tests.authenticate_as_service_role();
insert into public.training_messages (session_id, role, content)
values (current_setting('test.s1')::uuid, 'customer', 'Your price is higher than the shop next door.');
select throws_ok(format($$ select public.complete_training_session(%L, '{"summary": 1}'::jsonb) $$, current_setting('test.s1')),
  '22023', null, 'a report without a numeric score is refused');
select throws_ok(format($$ select public.complete_training_session(%L, '{"overall_score": 50, "summary": "ok", "criteria": [{"key": "x"}], "generated_by": "t"}'::jsonb) $$,
  current_setting('test.s1')), '23514', null, 'a criterion without score, evidence and comment is refused');
select is(public.complete_training_session(current_setting('test.s1')::uuid,
  '{"overall_score": 75, "summary": "Handled the price objection calmly.", "generated_by": "offline",
    "criteria": [{"key": "objection_handling", "name": "Objection handling", "weight": 1, "score": 3.75,
                  "evidence": [{"quote": "how can I help you today", "message_id": 1}], "comment": "Calm."}],
    "strengths": ["calm"], "improvements": ["ask more"], "citations": []}'::jsonb) - 'session_id',
  '{"status": "completed", "overall_score": 75.00, "xp_awarded": 40, "already_completed": false}'::jsonb,
  'completing stores the report and awards 10 + 75% x 10 min x 4 = 40 XP');
select is(public.complete_training_session(current_setting('test.s1')::uuid,
  '{"overall_score": 100, "summary": "again", "generated_by": "offline", "criteria": [], "strengths": [], "improvements": [], "citations": []}'::jsonb) - 'session_id',
  '{"status": "completed", "overall_score": 75.00, "xp_awarded": 40, "already_completed": true}'::jsonb,
  'a second completion changes nothing and awards nothing');
select is((select count(*)::int from public.xp_events where training_session_id = current_setting('test.s1')::uuid), 1,
  'one ledger row for the session');
select is((select (amount, source::text) from public.xp_events where training_session_id = current_setting('test.s1')::uuid),
  row(40, 'training'::text), 'source training, 40 XP');
select is((select xp from public.profiles where id = tests.get_user_id('learner_a')), 40::bigint, 'learner A''s XP follows from the ledger');

select tests.authenticate_as('learner_a');
select is((select (overall_score, generated_by) from public.training_reports where session_id = current_setting('test.s1')::uuid),
  row(75.00::numeric, 'offline'::text), 'learner A reads their report');
select is((select session_id from public.search_training_sessions('price objection')), current_setting('test.s1')::uuid,
  'transcripts and reports are searchable by the learner');
select throws_ok(format($$ insert into public.training_messages (session_id, content) values (%L, 'one more thing') $$,
  current_setting('test.s1')), '42501', null, 'a completed session takes no more lines');

select tests.authenticate_as('learner_b');
select is_empty($$ select session_id from public.search_training_sessions('price objection') $$,
  'search never shows another learner''s transcript');

-- ---------------------------------------------------------------------------
-- Time is up; a new session abandons the active one
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
insert into public.training_sessions (category, difficulty, duration_minutes) values ('smp-sales', 'expert', 5);
select set_config('test.s2', (select id::text from public.training_sessions where user_id = auth.uid() and status = 'active'), true);
select tests.freeze_time('2026-06-10 09:05:31+00');
select throws_ok(format($$ insert into public.training_messages (session_id, content) values (%L, 'too late') $$,
  current_setting('test.s2')), '42501', null, 'after ends_at (+30 s grace) the learner can no longer speak');
insert into public.training_sessions (category, difficulty, duration_minutes) values ('smp-sales', 'expert', 5);
select is((select status from public.training_sessions where id = current_setting('test.s2')::uuid), 'abandoned'::public.training_session_status,
  'starting a new session abandons the active one');
select tests.authenticate_as_service_role();
select throws_ok(format($$ select public.complete_training_session(%L, '{"overall_score": 1, "summary": "x"}'::jsonb) $$,
  current_setting('test.s2')), 'PT409', null, 'an abandoned session cannot be completed');

select * from finish();
rollback;
