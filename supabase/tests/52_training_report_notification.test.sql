-- A stored training report notifies its learner in the same transaction, and nobody else.
begin;
select plan(3);

select tests.create_actors();
insert into public.training_sessions (user_id, category, difficulty, duration_minutes)
values (tests.get_user_id('learner_a'), 'sales-objections', 'basic', 5);
insert into public.training_reports (session_id, user_id, overall_score, summary, criteria, generated_by)
select s.id, s.user_id, 72.4, 'Handled the price objection well.',
       '[{"key": "discovery", "name": "Discovery", "score": 4, "evidence": [], "comment": "Good questions."}]'::jsonb, 'offline'
from public.training_sessions s where s.user_id = tests.get_user_id('learner_a');

select is((select count(*)::int from public.notifications
           where user_id = tests.get_user_id('learner_a') and type = 'report_ready'
             and data ->> 'session_id' = (select id::text from public.training_sessions where user_id = tests.get_user_id('learner_a'))),
          1, 'the learner has one report_ready notification naming the session');
select is((select body from public.notifications where user_id = tests.get_user_id('learner_a') and type = 'report_ready'),
          'Overall score 72 of 100.', 'it gives the overall score');
select is((select count(*)::int from public.notifications where user_id <> tests.get_user_id('learner_a') and type = 'report_ready'),
          0, 'nobody else is notified');

select * from finish();
rollback;
