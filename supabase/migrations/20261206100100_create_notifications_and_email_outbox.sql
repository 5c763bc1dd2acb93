-- Notifications (issue 9, item 2; seed 003) and the e-mail outbox.
--
-- * public.notifications: in-app notifications of one learner (types below), read/unread,
--   deleted by their owner. Rows are created only by Ascend, by triggers where the event happens
--   (private.notify): an achievement unlocked inside submit_quiz gets its notification in the same
--   transaction. Each new row is pushed live with realtime.send(..., private => true) on the
--   learner's own private topic `user:<user id>` (event `notification`): the policy at the end lets
--   a signed-in user receive only on their own topic, and no policy lets anyone broadcast there.
-- * public.email_outbox: e-mails waiting for the send-email edge function (service role). A row is
--   queued, in the same transaction, when the notification's kind is one the learner asked to get
--   by e-mail (user_preferences.email_*); its next_attempt_at is after the learner's quiet hours.
--   Invitation e-mails are transactional (always queued, to the invited address).

create type public.notification_type as enum (
  'achievement', 'level_up', 'streak_at_risk', 'assignment_due', 'invitation', 'report_ready', 'moderation_result', 'system'
);
comment on type public.notification_type is
  'achievement unlocked, level up, streak at risk, assignment (new or due soon), organisation invitation, AI training report ready, question report moderated, system message.';

create type public.email_kind as enum (
  'weekly_progress', 'streak_reminder', 'achievement', 'assignment', 'training_report', 'invitation', 'system'
);
comment on type public.email_kind is
  'What an outbox e-mail is about; the first five follow user_preferences.email_*, invitation and system are always sent.';

create type public.email_status as enum ('queued', 'sending', 'sent', 'failed', 'cancelled');
comment on type public.email_status is
  'queued (waiting for next_attempt_at), sending (claimed by the sender), sent, failed (gave up after max attempts), cancelled.';

-- ---------------------------------------------------------------------------
-- notifications
-- ---------------------------------------------------------------------------

create table public.notifications (
  id bigint generated always as identity primary key,
  user_id uuid not null references public.profiles (id) on delete cascade,
  type public.notification_type not null,
  title text not null,
  body text,
  data jsonb not null default '{}'::jsonb,
  dedupe_key text,
  read_at timestamptz,
  created_at timestamptz not null default private.clock(),
  constraint notifications_title_length check (char_length(title) between 1 and 200),
  constraint notifications_body_length check (body is null or char_length(body) <= 1000),
  constraint notifications_data_object check (jsonb_typeof(data) = 'object')
);
comment on table public.notifications is
  'In-app notifications of a learner, created by Ascend where the event happens and pushed live on the private realtime topic user:<user id>. The learner reads, marks read/unread and deletes their own.';
comment on column public.notifications.user_id is 'The learner notified.';
comment on column public.notifications.type is 'achievement, level_up, streak_at_risk, assignment_due, invitation, report_ready, moderation_result or system.';
comment on column public.notifications.title is 'Short title (200 characters).';
comment on column public.notifications.body is 'Optional text (1000 characters).';
comment on column public.notifications.data is 'What the client needs to link the notification (achievement_id, assignment_id, organization_id ...).';
comment on column public.notifications.dedupe_key is 'Set by scheduled notifications (streak at risk, due soon) so each is sent once.';
comment on column public.notifications.read_at is 'When it was marked read; null: unread.';
comment on column public.notifications.created_at is 'When it was created.';

create index notifications_user_created_idx on public.notifications (user_id, created_at desc, id desc);
create index notifications_user_unread_idx on public.notifications (user_id) where read_at is null;
create unique index notifications_dedupe_key on public.notifications (user_id, dedupe_key) where dedupe_key is not null;

alter table public.notifications enable row level security;
revoke all on table public.notifications from anon, authenticated, service_role;
grant select, delete on table public.notifications to authenticated;
grant update (read_at) on table public.notifications to authenticated;
grant select, insert, update, delete on table public.notifications to service_role;

create policy notifications_select_own on public.notifications
  for select to authenticated
  using (user_id = (select auth.uid()));
comment on policy notifications_select_own on public.notifications is 'A learner reads only their own notifications (nobody else, not even staff or platform admins).';

create policy notifications_update_own on public.notifications
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
comment on policy notifications_update_own on public.notifications is 'A learner marks their own notifications read or unread.';

create policy notifications_delete_own on public.notifications
  for delete to authenticated
  using (user_id = (select auth.uid()));
comment on policy notifications_delete_own on public.notifications is 'A learner deletes their own notifications.';

-- ---------------------------------------------------------------------------
-- email_outbox
-- ---------------------------------------------------------------------------

create table public.email_outbox (
  id bigint generated always as identity primary key,
  kind public.email_kind not null,
  user_id uuid references public.profiles (id) on delete cascade,
  recipient text not null,
  template text not null,
  template_data jsonb not null default '{}'::jsonb,
  notification_id bigint references public.notifications (id) on delete set null,
  status public.email_status not null default 'queued',
  attempts integer not null default 0,
  max_attempts integer not null default 5,
  next_attempt_at timestamptz not null default private.clock(),
  last_error text,
  provider_message_id text,
  idempotency_key text not null,
  created_at timestamptz not null default private.clock(),
  updated_at timestamptz not null default now(),
  sent_at timestamptz,
  constraint email_outbox_idempotency_key unique (idempotency_key),
  constraint email_outbox_recipient_format check (recipient ~ '^[^@\s]+@[^@\s]+$' and char_length(recipient) <= 320),
  constraint email_outbox_attempts_range check (attempts between 0 and max_attempts and max_attempts between 1 and 20),
  constraint email_outbox_sent_complete check ((status = 'sent') = (sent_at is not null)),
  constraint email_outbox_template_data_object check (jsonb_typeof(template_data) = 'object')
);
comment on table public.email_outbox is
  'E-mails to send, queued by Ascend in the transaction of their event; drained by the send-email edge function with the service role (claim_email_outbox, complete_email_outbox). Platform admins read it.';
comment on column public.email_outbox.kind is 'What the e-mail is about (see email_kind).';
comment on column public.email_outbox.user_id is 'The learner it is for, when known (null: an invitation to an address with no account).';
comment on column public.email_outbox.recipient is 'Address to send to.';
comment on column public.email_outbox.template is 'Template name the sender renders (the notification type, weekly_progress, invitation ...).';
comment on column public.email_outbox.template_data is 'Values for the template.';
comment on column public.email_outbox.notification_id is 'The notification it mirrors, if any.';
comment on column public.email_outbox.status is 'queued, sending, sent, failed or cancelled.';
comment on column public.email_outbox.attempts is 'Sending attempts so far.';
comment on column public.email_outbox.max_attempts is 'After this many failed attempts the row is failed.';
comment on column public.email_outbox.next_attempt_at is 'Not sent before this instant: after the learner''s quiet hours, then exponential backoff after failures.';
comment on column public.email_outbox.last_error is 'Why the last attempt failed.';
comment on column public.email_outbox.provider_message_id is 'The e-mail provider''s id of the sent message (Resend).';
comment on column public.email_outbox.idempotency_key is 'Unique key of the e-mail (also sent to the provider as Idempotency-Key): an event queues at most one e-mail.';
comment on column public.email_outbox.created_at is 'When it was queued.';
comment on column public.email_outbox.updated_at is 'Last change.';
comment on column public.email_outbox.sent_at is 'When the provider accepted it.';

create index email_outbox_due_idx on public.email_outbox (next_attempt_at) where status in ('queued', 'sending');
create index email_outbox_user_id_idx on public.email_outbox (user_id);
create index email_outbox_notification_id_idx on public.email_outbox (notification_id);
create trigger email_outbox_set_updated_at before update on public.email_outbox
  for each row execute function private.set_updated_at();

alter table public.email_outbox enable row level security;
revoke all on table public.email_outbox from anon, authenticated, service_role;
grant select on table public.email_outbox to authenticated;
grant select, insert, update, delete on table public.email_outbox to service_role;

create policy email_outbox_select_platform_admin on public.email_outbox
  for select to authenticated
  using ((select private.is_platform_admin()));
comment on policy email_outbox_select_platform_admin on public.email_outbox is 'Platform admins read the outbox (operations); learners and organisation staff do not.';

-- ---------------------------------------------------------------------------
-- Creating notifications
-- ---------------------------------------------------------------------------

-- The e-mail preference a notification type follows (null: in-app only).
create function private.email_kind_for(p_type public.notification_type)
returns public.email_kind
language sql
immutable
set search_path = ''
as $$
  select case p_type
    when 'achievement' then 'achievement'::public.email_kind
    when 'level_up' then 'achievement'
    when 'streak_at_risk' then 'streak_reminder'
    when 'assignment_due' then 'assignment'
    when 'report_ready' then 'training_report'
  end
$$;
comment on function private.email_kind_for(public.notification_type) is
  'The e-mail kind of a notification type (achievement and level_up: achievement; streak_at_risk: streak_reminder; assignment_due: assignment; report_ready: training_report); null for in-app only types.';

create function private.wants_email(p_user uuid, p_kind public.email_kind)
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce((
    select case p_kind
      when 'weekly_progress' then u.email_weekly_progress
      when 'streak_reminder' then u.email_streak_reminder
      when 'achievement' then u.email_achievements
      when 'assignment' then u.email_assignments
      when 'training_report' then u.email_training_reports
      else true
    end
    from public.user_preferences u where u.user_id = p_user), false)
$$;
comment on function private.wants_email(uuid, public.email_kind) is 'True when the learner''s preferences ask for e-mails of this kind.';

-- The confirmed address of a user (null when unconfirmed or deleted).
create function private.user_email(p_user uuid)
returns text
language sql
stable
set search_path = ''
as $$
  select lower(u.email) from auth.users u
  where u.id = p_user and u.email_confirmed_at is not null and u.deleted_at is null and u.email is not null
$$;
comment on function private.user_email(uuid) is 'The user''s confirmed e-mail address, lower case; null if none.';

-- Queues an e-mail (once per idempotency key), not before the learner's quiet hours end.
create function private.queue_email(
  p_kind public.email_kind,
  p_user uuid,
  p_recipient text,
  p_template text,
  p_data jsonb,
  p_idempotency_key text,
  p_notification bigint default null
)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_id bigint;
  v_now timestamptz := private.clock();
begin
  if p_recipient is null then
    return null;
  end if;
  insert into public.email_outbox (kind, user_id, recipient, template, template_data, notification_id, idempotency_key,
                                   next_attempt_at, created_at)
  values (p_kind, p_user, p_recipient, p_template, coalesce(p_data, '{}'::jsonb), p_notification, p_idempotency_key,
          case when p_user is null then v_now else private.after_quiet_hours(p_user, v_now) end, v_now)
  on conflict (idempotency_key) do nothing
  returning id into v_id;
  return v_id;
end;
$$;
comment on function private.queue_email(public.email_kind, uuid, text, text, jsonb, text, bigint) is
  'Queues one e-mail in email_outbox (nothing if its idempotency key was queued before), scheduled after the learner''s quiet hours. Returns its id.';

-- The one way Ascend creates a notification. Returns the id (null when the dedupe key was used).
create function private.notify(
  p_user uuid,
  p_type public.notification_type,
  p_title text,
  p_body text default null,
  p_data jsonb default '{}'::jsonb,
  p_dedupe_key text default null
)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_id bigint;
begin
  insert into public.notifications (user_id, type, title, body, data, dedupe_key, created_at)
  values (p_user, p_type, left(p_title, 200), left(p_body, 1000), coalesce(p_data, '{}'::jsonb), p_dedupe_key, private.clock())
  on conflict (user_id, dedupe_key) where dedupe_key is not null do nothing
  returning id into v_id;
  return v_id;
end;
$$;
comment on function private.notify(uuid, public.notification_type, text, text, jsonb, text) is
  'Creates a notification for a learner (at most once per dedupe key); the AFTER INSERT trigger pushes it on realtime and queues its e-mail. Returns its id, or null when deduplicated.';

-- Every new notification: pushed live on the owner's private topic, and mirrored to the outbox
-- when the learner's preferences ask for that kind by e-mail.
create function private.notifications_after_insert()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_kind public.email_kind := private.email_kind_for(new.type);
begin
  perform realtime.send(
    jsonb_build_object('id', new.id, 'type', new.type, 'title', new.title, 'body', new.body, 'data', new.data,
                       'read_at', new.read_at, 'created_at', new.created_at),
    'notification', 'user:' || new.user_id::text, true);
  if v_kind is not null and private.wants_email(new.user_id, v_kind) then
    perform private.queue_email(
      v_kind, new.user_id, private.user_email(new.user_id), new.type::text,
      jsonb_build_object('title', new.title, 'body', new.body, 'data', new.data,
                         'display_name', (select p.display_name from public.profiles p where p.id = new.user_id)),
      'notification:' || new.id::text, new.id);
  end if;
  return null;
end;
$$;
comment on function private.notifications_after_insert() is
  'AFTER INSERT on notifications: realtime.send on the private topic user:<user id> (event notification) and, when the learner wants that kind by e-mail, an email_outbox row in the same transaction.';

create trigger notifications_publish
  after insert on public.notifications
  for each row execute function private.notifications_after_insert();

-- A learner who turns a kind of e-mail off gets none of that kind still waiting in the outbox.
create function private.cancel_unwanted_emails()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.email_outbox o
     set status = 'cancelled', last_error = 'cancelled: the learner turned this kind of e-mail off'
   where o.user_id = new.user_id
     and o.status = 'queued'
     and o.kind = any (array_remove(array[
           case when old.email_weekly_progress and not new.email_weekly_progress then 'weekly_progress'::public.email_kind end,
           case when old.email_streak_reminder and not new.email_streak_reminder then 'streak_reminder'::public.email_kind end,
           case when old.email_achievements and not new.email_achievements then 'achievement'::public.email_kind end,
           case when old.email_assignments and not new.email_assignments then 'assignment'::public.email_kind end,
           case when old.email_training_reports and not new.email_training_reports then 'training_report'::public.email_kind end],
         null));
  return null;
end;
$$;
comment on function private.cancel_unwanted_emails() is
  'AFTER UPDATE on user_preferences: cancels the learner''s queued (not yet claimed) e-mails of the kinds they just turned off.';

create trigger user_preferences_cancel_unwanted_emails
  after update on public.user_preferences
  for each row execute function private.cancel_unwanted_emails();

-- ---------------------------------------------------------------------------
-- Triggers where the events happen
-- ---------------------------------------------------------------------------

-- Achievement unlocked (inside submit_quiz, or any other award).
create function private.notify_achievement_earned()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_a public.achievements;
begin
  select * into v_a from public.achievements a where a.id = new.achievement_id;
  perform private.notify(
    new.user_id, 'achievement', 'Achievement unlocked: ' || v_a.name, v_a.description,
    jsonb_build_object('achievement_id', v_a.id, 'slug', v_a.slug, 'badge_icon', v_a.badge_icon, 'xp_reward', v_a.xp_reward),
    'achievement:' || v_a.id::text);
  return null;
end;
$$;
comment on function private.notify_achievement_earned() is 'AFTER INSERT on user_achievements: notifies the learner (same transaction as the award).';

create trigger user_achievements_notify
  after insert on public.user_achievements
  for each row execute function private.notify_achievement_earned();

-- Level up (profiles.level rises when global XP is added).
create function private.notify_level_up()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.notify(
    new.id, 'level_up', format('Level %s reached', new.level),
    format('You reached level %s with %s XP.', new.level, new.xp),
    jsonb_build_object('level', new.level, 'previous_level', old.level, 'xp', new.xp),
    'level:' || new.level::text);
  return null;
end;
$$;
comment on function private.notify_level_up() is 'AFTER UPDATE OF level on profiles: notifies a learner whose level rose (once per level).';

create trigger profiles_notify_level_up
  after update of level on public.profiles
  for each row when (new.level > old.level)
  execute function private.notify_level_up();

-- Question report moderated: the reporter hears the outcome.
create function private.notify_report_moderated()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.notify(
    new.reporter_id, 'moderation_result', format('Your question report was %s', new.status), new.moderator_note,
    jsonb_build_object('report_id', new.id, 'question_id', new.question_id, 'status', new.status));
  return null;
end;
$$;
comment on function private.notify_report_moderated() is 'AFTER UPDATE OF status on question_reports: notifies the reporter when a moderator changes the status.';

create trigger question_reports_notify_moderated
  after update of status on public.question_reports
  for each row when (new.status is distinct from old.status)
  execute function private.notify_report_moderated();

-- Invitation created (or renewed): an e-mail to the invited address, always (transactional), and
-- an in-app notification when a confirmed account uses the address. Nothing is told to the inviter.
create function private.notify_invitation()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid;
  v_org public.organizations;
  v_data jsonb;
begin
  if new.email is null or new.status <> 'pending'
     or (tg_op = 'UPDATE' and new.created_at is not distinct from old.created_at) then
    return null;
  end if;
  select * into v_org from public.organizations o where o.id = new.organization_id;
  select u.id into v_user from auth.users u
  where lower(u.email) = new.email and u.email_confirmed_at is not null and u.deleted_at is null
    and exists (select 1 from public.profiles p where p.id = u.id);
  v_data := jsonb_build_object(
    'invitation_id', new.id, 'organization_id', v_org.id, 'organization_name', v_org.name, 'role', new.role,
    'expires_at', new.expires_at,
    'invited_by', (select p.display_name from public.profiles p where p.id = new.invited_by));
  perform private.queue_email('invitation', v_user, new.email, 'invitation', v_data,
                              format('invitation:%s:%s', new.id, extract(epoch from new.created_at)));
  if v_user is not null then
    perform private.notify(v_user, 'invitation', format('Invitation to join %s', v_org.name),
                           format('You are invited as %s; the invitation expires on %s.', new.role, to_char(new.expires_at, 'YYYY-MM-DD')),
                           v_data, format('invitation:%s:%s', new.id, extract(epoch from new.created_at)));
  end if;
  return null;
end;
$$;
comment on function private.notify_invitation() is
  'AFTER INSERT OR UPDATE on organization_invitations: for a new or renewed e-mail invitation, queues the invitation e-mail and notifies the account that uses the confirmed address, if any.';

create trigger organization_invitations_notify
  after insert or update on public.organization_invitations
  for each row execute function private.notify_invitation();

-- Streak at risk: learners with a live streak who have not practised today, from 18:00 local
-- time (streak zone), once per local day. Run hourly by pg_cron.
create function private.notify_streaks_at_risk()
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock();
  v_count integer := 0;
  r record;
begin
  for r in
    select p.id, p.current_streak, (v_now at time zone z.zone)::date as today
    from public.profiles p
    cross join lateral (
      select private.effective_streak_zone(p.streak_time_zone, p.pending_time_zone, p.pending_time_zone_from, v_now) as zone
    ) z
    where p.current_streak > 0
      and coalesce((p.last_activity_at at time zone z.zone)::date, p.last_activity_date) = (v_now at time zone z.zone)::date - 1
      and (v_now at time zone z.zone)::time >= time '18:00'
  loop
    if private.notify(r.id, 'streak_at_risk', format('Your %s-day streak ends at midnight', r.current_streak),
                      'Complete a quiz today to keep it.', jsonb_build_object('current_streak', r.current_streak, 'date', r.today),
                      'streak:' || r.today::text) is not null then
      v_count := v_count + 1;
    end if;
  end loop;
  return v_count;
end;
$$;
comment on function private.notify_streaks_at_risk() is
  'Job (hourly): notifies learners whose live streak ends tonight (no quiz today, 18:00 or later in their streak zone), once per local day. Returns how many were notified.';

select cron.schedule('ascend-notify-streaks-at-risk', '5 * * * *', 'select private.notify_streaks_at_risk()');

-- Weekly progress e-mails (Mondays): learners who want them and practised in the past week.
create function private.queue_weekly_progress_emails()
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock();
  v_week text := to_char(v_now, 'IYYY-"W"IW');
  v_count integer;
begin
  with active as (
    select e.user_id, sum(e.amount) as xp, count(distinct e.attempt_id) as quizzes
    from public.xp_events e
    where e.created_at >= v_now - interval '7 days' and e.organization_id is null
    group by e.user_id
  ), queued as (
    select private.queue_email(
             'weekly_progress', p.id, private.user_email(p.id), 'weekly_progress',
             jsonb_build_object('display_name', p.display_name, 'week', v_week, 'xp_earned', a.xp, 'quizzes', a.quizzes,
                                'level', p.level, 'total_xp', p.xp, 'current_streak', p.current_streak),
             format('weekly_progress:%s:%s', p.id, v_week)) as id
    from active a
    join public.profiles p on p.id = a.user_id
    where private.wants_email(p.id, 'weekly_progress')
  )
  select count(id) into v_count from queued;
  return v_count;
end;
$$;
comment on function private.queue_weekly_progress_emails() is
  'Job (Mondays 08:00 UTC): queues a weekly progress e-mail (XP, quizzes, level, streak) for each learner who wants it and earned XP in the past 7 days, once per ISO week.';

select cron.schedule('ascend-weekly-progress-emails', '0 8 * * 1', 'select private.queue_weekly_progress_emails()');

-- ---------------------------------------------------------------------------
-- RPCs: the learner's notifications
-- ---------------------------------------------------------------------------

create function public.get_notifications(
  p_limit integer default 20,
  p_offset integer default 0,
  p_unread_only boolean default false,
  p_type public.notification_type default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
begin
  if p_limit is null or p_limit not between 1 and 100 then
    raise exception using errcode = '22023', message = 'p_limit must be between 1 and 100';
  end if;
  if p_offset is null or p_offset < 0 then
    raise exception using errcode = '22023', message = 'p_offset must be 0 or more';
  end if;
  return jsonb_build_object(
    'total', (select count(*) from public.notifications n
              where n.user_id = v_uid and (not p_unread_only or n.read_at is null) and (p_type is null or n.type = p_type)),
    'unread', (select count(*) from public.notifications n where n.user_id = v_uid and n.read_at is null),
    'limit', p_limit, 'offset', p_offset,
    'items', coalesce((
      select jsonb_agg(to_jsonb(x) - 'user_id' - 'dedupe_key' order by x.created_at desc, x.id desc)
      from (select * from public.notifications n
            where n.user_id = v_uid and (not p_unread_only or n.read_at is null) and (p_type is null or n.type = p_type)
            order by n.created_at desc, n.id desc
            limit p_limit offset p_offset) x), '[]'::jsonb));
end;
$$;
comment on function public.get_notifications(integer, integer, boolean, public.notification_type) is
  'A page of the caller''s notifications, newest first: {total, unread, limit, offset, items: [{id, type, title, body, data, read_at, created_at}]}; filters: unread only, one type. Errors: 42501, 22023.';
revoke execute on function public.get_notifications(integer, integer, boolean, public.notification_type) from public, anon;
grant execute on function public.get_notifications(integer, integer, boolean, public.notification_type) to authenticated;

create function public.get_unread_notification_count()
returns integer
language sql
stable
set search_path = ''
as $$
  select count(*)::integer from public.notifications n where n.user_id = private.require_user() and n.read_at is null
$$;
comment on function public.get_unread_notification_count() is 'How many of the caller''s notifications are unread (for a badge). Errors: 42501.';
revoke execute on function public.get_unread_notification_count() from public, anon;
grant execute on function public.get_unread_notification_count() to authenticated;

create function private.check_bulk_ids(p_ids bigint[])
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_ids is null or cardinality(p_ids) = 0 then
    raise exception using errcode = '22023', message = 'pass at least one id';
  end if;
  if cardinality(p_ids) > 100 then
    raise exception using
      errcode = '22023',
      message = format('at most 100 ids per call (got %s)', cardinality(p_ids)),
      hint = 'split the ids into batches of 100';
  end if;
end;
$$;
comment on function private.check_bulk_ids(bigint[]) is 'Raises 22023 unless 1 to 100 ids are given (the limit of every bulk action).';
grant execute on function private.check_bulk_ids(bigint[]) to authenticated, service_role;

create function public.mark_notifications_read(p_ids bigint[], p_read boolean default true)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_count integer;
begin
  perform private.check_bulk_ids(p_ids);
  update public.notifications n
     set read_at = case when coalesce(p_read, true) then coalesce(n.read_at, private.clock()) end
   where n.id = any (p_ids) and n.user_id = v_uid;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function public.mark_notifications_read(bigint[], boolean) is
  'Marks 1 to 100 of the caller''s notifications read (p_read => false: unread again); ids of others are ignored. Returns how many rows matched. Errors: 42501, 22023 no ids or more than 100.';
revoke execute on function public.mark_notifications_read(bigint[], boolean) from public, anon;
grant execute on function public.mark_notifications_read(bigint[], boolean) to authenticated;

create function public.mark_all_notifications_read()
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_count integer;
begin
  update public.notifications n set read_at = private.clock()
   where n.user_id = v_uid and n.read_at is null;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function public.mark_all_notifications_read() is 'Marks every unread notification of the caller read; returns how many. Errors: 42501.';
revoke execute on function public.mark_all_notifications_read() from public, anon;
grant execute on function public.mark_all_notifications_read() to authenticated;

create function public.delete_notifications(p_ids bigint[])
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_count integer;
begin
  perform private.check_bulk_ids(p_ids);
  delete from public.notifications n where n.id = any (p_ids) and n.user_id = v_uid;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function public.delete_notifications(bigint[]) is
  'Deletes 1 to 100 of the caller''s notifications (ids of others are ignored); returns how many. Errors: 42501, 22023.';
revoke execute on function public.delete_notifications(bigint[]) from public, anon;
grant execute on function public.delete_notifications(bigint[]) to authenticated;

-- System messages: platform admins and the service role to any users (or a whole organisation);
-- owners and admins of an organisation to its members.
create function public.send_notification(
  p_title text,
  p_body text default null,
  p_users uuid[] default null,
  p_organization uuid default null,
  p_data jsonb default '{}'::jsonb
)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_trusted boolean := private.is_platform_admin() or private.is_service_role();
  v_count integer;
begin
  if not v_trusted and (p_organization is null or not private.is_org_admin(p_organization)) then
    raise exception using
      errcode = '42501',
      message = 'only platform admins (to anyone) and owners or admins of an organisation (to its members) send notifications';
  end if;
  if p_title is null or char_length(btrim(p_title)) not between 1 and 200 then
    raise exception using errcode = '22023', message = 'p_title must be 1 to 200 characters';
  end if;
  if p_body is not null and char_length(p_body) > 1000 then
    raise exception using errcode = '22023', message = 'p_body must be at most 1000 characters';
  end if;
  if p_data is null or jsonb_typeof(p_data) <> 'object' then
    raise exception using errcode = '22023', message = 'p_data must be a JSON object';
  end if;
  if p_users is null and p_organization is null then
    raise exception using errcode = '22023', message = 'pass p_users, p_organization, or both (those users, among that organisation''s members)';
  end if;
  if p_users is not null and cardinality(p_users) > 1000 then
    raise exception using errcode = '22023', message = 'at most 1000 users per call';
  end if;
  select count(private.notify(t.id, 'system', btrim(p_title), p_body, p_data || jsonb_build_object('organization_id', p_organization)))
    into v_count
  from (
    select p.id from public.profiles p
    where (p_users is null or p.id = any (p_users))
      and (p_organization is null or exists (
            select 1 from public.organization_members m where m.organization_id = p_organization and m.user_id = p.id))
  ) t;
  return v_count;
end;
$$;
comment on function public.send_notification(text, text, uuid[], uuid, jsonb) is
  'Sends a system notification: platform admins and the service role to p_users (up to 1000) and/or the members of p_organization; owners and admins only to members of their organisation. Returns how many learners were notified. Errors: 42501, 22023.';
revoke execute on function public.send_notification(text, text, uuid[], uuid, jsonb) from public, anon;
grant execute on function public.send_notification(text, text, uuid[], uuid, jsonb) to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- RPCs: the e-mail sender (send-email edge function, service role)
-- ---------------------------------------------------------------------------

create function public.claim_email_outbox(p_limit integer default 20)
returns setof public.email_outbox
language plpgsql
volatile
set search_path = ''
as $$
begin
  if not private.is_service_role() then
    raise exception using errcode = '42501', message = 'only the e-mail sender (service role) claims outbox e-mails';
  end if;
  if p_limit is null or p_limit not between 1 and 100 then
    raise exception using errcode = '22023', message = 'p_limit must be between 1 and 100';
  end if;
  return query
  update public.email_outbox o
     set status = 'sending', attempts = o.attempts + 1,
         -- a claim left unanswered for 10 minutes is claimable again
         next_attempt_at = private.clock() + interval '10 minutes'
   where o.id in (
     select c.id from public.email_outbox c
     where c.status in ('queued', 'sending') and c.next_attempt_at <= private.clock() and c.attempts < c.max_attempts
     order by c.next_attempt_at, c.id
     limit p_limit
     for update skip locked)
  returning o.*;
end;
$$;
comment on function public.claim_email_outbox(integer) is
  'The sender claims up to p_limit due e-mails (status sending, attempts + 1; reclaimable after 10 minutes without an answer) and gets them back. Service role only. Errors: 42501, 22023.';
revoke execute on function public.claim_email_outbox(integer) from public, anon, authenticated;
grant execute on function public.claim_email_outbox(integer) to service_role;

create function public.complete_email_outbox(p_id bigint, p_provider_message_id text default null, p_error text default null)
returns public.email_outbox
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_row public.email_outbox;
begin
  if not private.is_service_role() then
    raise exception using errcode = '42501', message = 'only the e-mail sender (service role) completes outbox e-mails';
  end if;
  select * into v_row from public.email_outbox o where o.id = p_id for update;
  if not found then
    raise exception using errcode = 'PT404', message = format('outbox e-mail %s not found', p_id);
  end if;
  if v_row.status <> 'sending' then
    raise exception using errcode = 'PT409', message = format('outbox e-mail %s is %s, not sending', p_id, v_row.status),
      hint = 'claim it with claim_email_outbox first';
  end if;
  if p_error is null then
    update public.email_outbox o
       set status = 'sent', sent_at = private.clock(), provider_message_id = p_provider_message_id, last_error = null
     where o.id = p_id returning * into v_row;
  else
    -- Exponential backoff: 1, 2, 4, 8 ... minutes after the n-th failure; failed after max_attempts.
    update public.email_outbox o
       set status = case when o.attempts >= o.max_attempts then 'failed'::public.email_status else 'queued' end,
           next_attempt_at = private.clock() + make_interval(mins => power(2, greatest(o.attempts - 1, 0))::integer),
           last_error = left(p_error, 2000)
     where o.id = p_id returning * into v_row;
  end if;
  return v_row;
end;
$$;
comment on function public.complete_email_outbox(bigint, text, text) is
  'The sender reports a claimed e-mail: sent (with the provider''s message id), or failed with p_error: queued again after 2^(attempts-1) minutes, failed for good after max_attempts. Service role only. Errors: 42501, PT404, PT409 not claimed.';
revoke execute on function public.complete_email_outbox(bigint, text, text) from public, anon, authenticated;
grant execute on function public.complete_email_outbox(bigint, text, text) to service_role;

revoke execute on all functions in schema private from public;

-- ---------------------------------------------------------------------------
-- Realtime: each learner receives on their own private topic; nobody broadcasts there
-- ---------------------------------------------------------------------------

-- (Policies on platform tables cannot carry COMMENTs on hosted Supabase.) One SELECT policy for
-- authenticated on realtime.messages: the leaderboard announcements (previous migration) and the
-- caller's own notification topic user:<their id>. No INSERT policy: only the database sends there.
drop policy messages_select_leaderboards_authenticated on realtime.messages;
create policy messages_select_own_topics_authenticated on realtime.messages
  for select to authenticated
  using (
    extension = 'broadcast'
    and ((select realtime.topic()) = 'leaderboards'
         or (select realtime.topic()) = 'user:' || (select auth.uid())::text)
  );
