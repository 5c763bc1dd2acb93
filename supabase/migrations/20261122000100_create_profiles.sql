-- Learner profiles: one per auth user (created by a trigger on auth.users in a later migration),
-- holding identity (username, display name, bio, time zone, avatar, leaderboard opt-out) and the
-- progress Ascend maintains (XP, level, streaks, counters). Learners edit only the identity
-- columns; progress is written by the scoring engine alone.

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  username text not null,
  display_name text not null,
  bio text,
  time_zone text not null default 'UTC',
  selected_avatar_id bigint,
  show_on_leaderboards boolean not null default true,
  xp bigint not null default 0,
  level integer not null default 1,
  current_streak integer not null default 0,
  longest_streak integer not null default 0,
  last_activity_date date,
  quizzes_completed integer not null default 0,
  questions_answered integer not null default 0,
  correct_answers integer not null default 0,
  perfect_quizzes integer not null default 0,
  high_score_quizzes integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint profiles_username_format check (username ~ '^[A-Za-z0-9_.-]{3,30}$'),
  constraint profiles_display_name_length check (char_length(btrim(display_name)) between 1 and 80),
  constraint profiles_bio_length check (bio is null or char_length(bio) <= 500),
  constraint profiles_time_zone_valid check (private.is_valid_time_zone(time_zone)),
  constraint profiles_xp_non_negative check (xp >= 0),
  constraint profiles_level_positive check (level >= 1),
  constraint profiles_streaks_valid check (current_streak >= 0 and longest_streak >= current_streak),
  constraint profiles_counters_non_negative check (
    quizzes_completed >= 0 and questions_answered >= correct_answers and correct_answers >= 0
    and perfect_quizzes >= 0 and high_score_quizzes >= perfect_quizzes
  )
);

comment on table public.profiles is
  'One profile per user: identity the learner edits (username, display_name, bio, time_zone, show_on_leaderboards) and progress maintained by Ascend (xp, level, streaks, counters). Created on sign-up.';
comment on column public.profiles.id is 'The auth.users id.';
comment on column public.profiles.username is 'Public handle, 3-30 of A-Z a-z 0-9 _ . -, unique ignoring case.';
comment on column public.profiles.display_name is 'Name shown in the app and on leaderboards (1-80 characters).';
comment on column public.profiles.bio is 'Optional short bio (500 characters).';
comment on column public.profiles.time_zone is 'IANA time zone; streak days and daily analytics follow it.';
comment on column public.profiles.selected_avatar_id is 'Equipped avatar; change it with equip_avatar(), only to an owned avatar.';
comment on column public.profiles.show_on_leaderboards is 'False hides the learner from every leaderboard.';
comment on column public.profiles.xp is 'Total XP: the sum of the learner''s xp_events.';
comment on column public.profiles.level is 'floor(sqrt(xp / 100)) + 1.';
comment on column public.profiles.current_streak is 'Consecutive local days with a completed quiz, ending today or yesterday.';
comment on column public.profiles.longest_streak is 'Best streak ever.';
comment on column public.profiles.last_activity_date is 'Local date (profile time zone) of the last completed quiz.';
comment on column public.profiles.quizzes_completed is 'Quizzes submitted.';
comment on column public.profiles.questions_answered is 'Questions graded in submitted quizzes (unanswered ones count).';
comment on column public.profiles.correct_answers is 'Questions answered correctly.';
comment on column public.profiles.perfect_quizzes is 'Quizzes submitted at 100%.';
comment on column public.profiles.high_score_quizzes is 'Quizzes submitted at 90% or more.';
comment on column public.profiles.created_at is 'When the profile was created (sign-up).';
comment on column public.profiles.updated_at is 'Last change.';

create unique index profiles_username_lower_key on public.profiles (lower(username));
create index profiles_selected_avatar_id_idx on public.profiles (selected_avatar_id);
-- The streak-reset job scans only learners with a live streak.
create index profiles_live_streak_idx on public.profiles (last_activity_date) where current_streak > 0;

-- Progress columns change only inside Ascend's own functions (owned by the database owner).
create function private.guard_profile_progress()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.id is distinct from old.id then
    raise exception using errcode = '42501', message = 'a profile id cannot change';
  end if;
  if (new.xp, new.level, new.current_streak, new.longest_streak, new.last_activity_date,
      new.quizzes_completed, new.questions_answered, new.correct_answers, new.perfect_quizzes,
      new.high_score_quizzes, new.selected_avatar_id)
     is distinct from
     (old.xp, old.level, old.current_streak, old.longest_streak, old.last_activity_date,
      old.quizzes_completed, old.questions_answered, old.correct_answers, old.perfect_quizzes,
      old.high_score_quizzes, old.selected_avatar_id)
     and current_user::text not in ('postgres', 'supabase_admin') then
    raise exception using
      errcode = '42501',
      message = 'XP, level, streaks, counters and the equipped avatar are maintained by Ascend and cannot be written',
      hint = 'they change when a quiz is submitted; change the avatar with equip_avatar()';
  end if;
  new.updated_at := now();
  return new;
end;
$$;
comment on function private.guard_profile_progress() is
  'BEFORE UPDATE on profiles: rejects changes to progress columns unless made by Ascend''s own functions; stamps updated_at.';

create trigger profiles_guard_progress
  before update on public.profiles
  for each row execute function private.guard_profile_progress();

-- ---------------------------------------------------------------------------
-- Privileges and RLS. Rows are created only by the sign-up trigger and deleted with the auth user.
-- ---------------------------------------------------------------------------

alter table public.profiles enable row level security;

revoke all on table public.profiles from anon, authenticated, service_role;
grant select on table public.profiles to authenticated, service_role;
grant update (username, display_name, bio, time_zone, show_on_leaderboards)
  on table public.profiles to authenticated, service_role;

-- Widened to co-members of an organisation by the organisations migration.
create policy profiles_select_visible on public.profiles
  for select to authenticated
  using (id = (select auth.uid()) or (select private.is_platform_admin()));
comment on policy profiles_select_visible on public.profiles is
  'A user reads their own profile; platform admins read all.';

create policy profiles_update_self on public.profiles
  for update to authenticated
  using (id = (select auth.uid()) or (select private.is_platform_admin()))
  with check (id = (select auth.uid()) or (select private.is_platform_admin()));
comment on policy profiles_update_self on public.profiles is
  'A user edits their own identity columns; platform admins may edit any (moderation).';

revoke execute on all functions in schema private from public;
