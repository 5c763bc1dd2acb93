-- The organisation staff's live topic (issue 11, cohort screens): the instructor's cohort
-- dashboard and assignment pages update as learners finish quizzes, without reloading.
--
-- The database announces on the PRIVATE realtime topic `org:<organisation id>`:
--   * learner_activity     {user_id}                              a learner of the organisation
--                                                                 submitted a quiz;
--   * assignment_progress  {assignment_id, user_id, completed}    a recipient row of one of its
--                                                                 assignments was created or
--                                                                 changed (attempt counted,
--                                                                 completed).
-- The payloads carry identifiers only: the page refetches what it shows through RLS (cohort
-- overview, assignment progress), so the topic reveals nothing the staff could not read anyway,
-- and a dropped message costs nothing but a refetch on rejoin.
--
-- Who receives: owners, admins and instructors of that organisation (and nobody else: not its
-- learners, not other organisations' staff, not anon). Nobody broadcasts: there is no INSERT
-- policy on realtime.messages, so only the database (realtime.send) writes there.

create function private.can_receive_org_topic(p_topic text)
returns boolean
language sql
stable
set search_path = ''
as $$
  -- case, not and: the uuid cast must only run on a well-formed topic.
  select case
    when p_topic ~ '^org:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      then private.is_org_staff(substr(p_topic, 5)::uuid)
    else false
  end
$$;
comment on function private.can_receive_org_topic(text) is
  'True when the topic is org:<organisation id> and the caller is owner, admin or instructor of that organisation (realtime.messages policy).';
revoke execute on function private.can_receive_org_topic(text) from public;
grant execute on function private.can_receive_org_topic(text) to authenticated;

-- One SELECT policy for authenticated on realtime.messages (one permissive policy per role and
-- command): the leaderboard announcements, the caller's own notification topic, and the staff
-- topic of the organisations they run. (Policies on platform tables cannot carry COMMENTs on
-- hosted Supabase.)
drop policy messages_select_own_topics_authenticated on realtime.messages;
create policy messages_select_own_topics_authenticated on realtime.messages
  for select to authenticated
  using (
    extension = 'broadcast'
    and ((select realtime.topic()) = 'leaderboards'
         or (select realtime.topic()) = 'user:' || (select auth.uid())::text
         or (select private.can_receive_org_topic((select realtime.topic()))))
  );

-- ---------------------------------------------------------------------------
-- Announcements
-- ---------------------------------------------------------------------------

create function private.announce_learner_activity()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.send(jsonb_build_object('user_id', new.user_id), 'learner_activity', 'org:' || m.organization_id::text, true)
  from public.organization_members m
  where m.user_id = new.user_id and m.role = 'learner';
  return null;
end;
$$;
comment on function private.announce_learner_activity() is
  'AFTER UPDATE OF status on quiz_attempts (submitted): announces learner_activity {user_id} on the private topic org:<id> of each organisation where the learner is a learner.';

create trigger quiz_attempts_announce_to_org_staff
  after update of status on public.quiz_attempts
  for each row when (new.status = 'submitted' and old.status is distinct from 'submitted')
  execute function private.announce_learner_activity();

create function private.announce_assignment_progress()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.send(
    jsonb_build_object('assignment_id', new.assignment_id, 'user_id', new.user_id, 'completed', new.completed_at is not null),
    'assignment_progress', 'org:' || new.organization_id::text, true);
  return null;
end;
$$;
comment on function private.announce_assignment_progress() is
  'AFTER INSERT or UPDATE on assignment_recipients: announces assignment_progress {assignment_id, user_id, completed} on the private topic org:<id> of the assigning organisation.';

create trigger assignment_recipients_announce_to_org_staff
  after insert or update of attempts, best_score, completed_at on public.assignment_recipients
  for each row execute function private.announce_assignment_progress();

revoke execute on all functions in schema private from public;
