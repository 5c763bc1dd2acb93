-- A stored training report tells its learner, like every other event: an in-app notification
-- (pushed live on the learner's topic) and, when their preferences ask for it, an e-mail in the
-- outbox, in the transaction that stores the report (complete_training_session).

create function private.notify_training_report_ready()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.notify(
    new.user_id, 'report_ready', 'Your training report is ready',
    'Overall score ' || pg_catalog.round(new.overall_score)::text || ' of 100.',
    pg_catalog.jsonb_build_object('session_id', new.session_id, 'overall_score', new.overall_score),
    'report_ready:' || new.session_id::text
  );
  return new;
end;
$$;
comment on function private.notify_training_report_ready() is
  'Trigger: notifies the learner (and queues the e-mail their preferences ask for) when a training report is stored.';
revoke all on function private.notify_training_report_ready() from public, anon, authenticated, service_role;

create trigger training_reports_notify_ready
  after insert on public.training_reports
  for each row execute function private.notify_training_report_ready();
comment on trigger training_reports_notify_ready on public.training_reports is
  'A new report notifies its learner (report_ready).';
