-- Learners report questions they think are wrong; whoever manages the question moderates the
-- report (accepted, rejected, resolved).

create table public.question_reports (
  id bigint generated always as identity primary key,
  question_id bigint not null references public.questions (id) on delete cascade,
  organization_id uuid,
  reporter_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  reason public.report_reason not null,
  details text,
  status public.report_status not null default 'open',
  moderator_id uuid references public.profiles (id) on delete set null,
  moderator_note text,
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  constraint question_reports_details_length check (details is null or char_length(details) <= 2000),
  constraint question_reports_note_length check (moderator_note is null or char_length(moderator_note) <= 2000)
);
comment on table public.question_reports is
  'Reports of wrong or unclear questions. Learners file and read their own; the question''s authors (platform admins for the global bank) moderate them.';
comment on column public.question_reports.question_id is 'The reported question.';
comment on column public.question_reports.organization_id is 'Owning organisation of the question (copied on insert; null: global bank).';
comment on column public.question_reports.reporter_id is 'The learner who reported it (always the caller).';
comment on column public.question_reports.reason is 'incorrect_answer, unclear, typo, outdated or other.';
comment on column public.question_reports.details is 'What is wrong, in the learner''s words.';
comment on column public.question_reports.status is 'open, accepted, rejected or resolved (moderators set it).';
comment on column public.question_reports.moderator_id is 'Who last moderated it.';
comment on column public.question_reports.moderator_note is 'Moderator''s answer to the reporter.';
comment on column public.question_reports.created_at is 'When it was filed.';
comment on column public.question_reports.resolved_at is 'When it left the open state.';

create unique index question_reports_one_open_per_reporter_key
  on public.question_reports (question_id, reporter_id) where status = 'open';
create index question_reports_question_id_idx on public.question_reports (question_id);
create index question_reports_reporter_id_idx on public.question_reports (reporter_id);
create index question_reports_moderator_id_idx on public.question_reports (moderator_id);
create index question_reports_queue_idx on public.question_reports (organization_id, status, created_at);

create function private.question_reports_before_write()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    select q.organization_id into new.organization_id from public.questions q where q.id = new.question_id;
    new.status := 'open';
    new.moderator_id := null;
    new.moderator_note := null;
    new.resolved_at := null;
    new.created_at := now();
  elsif new.status is distinct from old.status or new.moderator_note is distinct from old.moderator_note then
    new.moderator_id := auth.uid();
    new.resolved_at := case when new.status = 'open' then null else now() end;
  end if;
  return new;
end;
$$;
comment on function private.question_reports_before_write() is
  'BEFORE INSERT/UPDATE on question_reports: new reports start open with the question''s organisation; moderation stamps moderator and time.';

create trigger question_reports_before_write
  before insert or update on public.question_reports
  for each row execute function private.question_reports_before_write();

alter table public.question_reports enable row level security;

revoke all on table public.question_reports from anon, authenticated, service_role;
grant select, delete on table public.question_reports to authenticated, service_role;
grant insert (question_id, reason, details) on table public.question_reports to authenticated;
grant update (status, moderator_note) on table public.question_reports to authenticated, service_role;

create policy question_reports_select_visible on public.question_reports
  for select to authenticated
  using (reporter_id = (select auth.uid()) or private.can_manage_questions(organization_id));
comment on policy question_reports_select_visible on public.question_reports is
  'Reporters see their reports; the question''s authors see every report on it.';

create policy question_reports_insert_reporter on public.question_reports
  for insert to authenticated
  with check (
    reporter_id = (select auth.uid())
    and exists (select 1 from public.questions q where q.id = question_id)
  );
comment on policy question_reports_insert_reporter on public.question_reports is
  'Signed-in users report questions they can see, in their own name.';

create policy question_reports_update_moderator on public.question_reports
  for update to authenticated
  using (private.can_manage_questions(organization_id))
  with check (private.can_manage_questions(organization_id));
comment on policy question_reports_update_moderator on public.question_reports is
  'The question''s authors moderate reports (status, note).';

create policy question_reports_delete_reporter_or_moderator on public.question_reports
  for delete to authenticated
  using (
    (reporter_id = (select auth.uid()) and status = 'open')
    or private.can_manage_questions(organization_id)
  );
comment on policy question_reports_delete_reporter_or_moderator on public.question_reports is
  'Reporters withdraw their open reports; moderators delete reports.';

revoke execute on all functions in schema private from public;
