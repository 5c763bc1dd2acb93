-- The learning core, part 1: the non-exposed `private` schema, the clock every rule reads,
-- the platform-admin check, and the enum types shared by the tables that follow.
--
-- `private` is not in config.toml [api].schemas, so nothing here is a REST endpoint. The API
-- roles get USAGE only so that RLS policies can call the boolean helpers granted to them one
-- by one; every other function stays EXECUTE-revoked.

create schema if not exists private;
comment on schema private is
  'Ascend internals: RLS helpers, trigger functions, scoring engine, jobs and leaderboard materialized views. Not exposed by the API.';

revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;

-- PostgreSQL grants EXECUTE on every new function to PUBLIC, and per-schema default privileges
-- cannot take that back; so every migration that adds functions here ends with
-- `revoke execute on all functions in schema private from public` and grants what policies need.

-- ---------------------------------------------------------------------------
-- Clock
-- ---------------------------------------------------------------------------

-- Every time-dependent rule (streak days, deadlines, leaderboard periods) reads this clock.
-- A trusted session (the database owner: migrations, cron, pgTAP) may pin it with the
-- transaction-local setting `ascend.clock`; API requests (session user `authenticator`) and
-- GoTrue always get now().
create function private.clock()
returns timestamptz
language sql
stable
set search_path = ''
as $$
  select case
    when session_user::text in ('postgres', 'supabase_admin')
      then coalesce(nullif(current_setting('ascend.clock', true), '')::timestamptz, now())
    else now()
  end
$$;
comment on function private.clock() is
  'Current time for every Ascend rule: now(), or the transaction-local ascend.clock when the session user is the database owner (tests, jobs).';
grant execute on function private.clock() to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Caller identity
-- ---------------------------------------------------------------------------

create function private.is_platform_admin()
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce((auth.jwt() -> 'app_metadata' -> 'platform_admin') = 'true'::jsonb, false)
$$;
comment on function private.is_platform_admin() is
  'True when the caller''s JWT carries app_metadata.platform_admin = true (set only through the Auth admin API).';
grant execute on function private.is_platform_admin() to authenticated, service_role;

create function private.is_service_role()
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(auth.jwt() ->> 'role', '') = 'service_role'
$$;
comment on function private.is_service_role() is
  'True when the request carries the service_role key (trusted backends, edge functions).';
grant execute on function private.is_service_role() to authenticated, service_role;

-- Raises 42501 unless a user is signed in; returns the user id.
create function private.require_user()
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is null then
    raise exception using
      errcode = '42501',
      message = 'sign in required: this action needs a signed-in learner',
      hint = 'call it with the access token of a signed-in user, not the anon or service_role key';
  end if;
  return v_uid;
end;
$$;
comment on function private.require_user() is 'Returns auth.uid() or raises 42501 when nobody is signed in.';
grant execute on function private.require_user() to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Validation helpers
-- ---------------------------------------------------------------------------

create function private.is_valid_time_zone(tz text)
returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  if tz is null or tz !~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$' then
    return false;
  end if;
  perform now() at time zone tz;
  return true;
exception
  when invalid_parameter_value then
    return false;
end;
$$;
comment on function private.is_valid_time_zone(text) is
  'True for a time zone name PostgreSQL knows (IANA names such as Europe/Paris, or UTC).';
grant execute on function private.is_valid_time_zone(text) to authenticated, service_role;

-- Question options and per-option explanations are objects with exactly the keys A, B, C, D,
-- each a non-empty string.
create function private.is_valid_option_set(options jsonb)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select jsonb_typeof(options) = 'object'
    and (select array_agg(k order by k) from jsonb_object_keys(options) k) = array['A', 'B', 'C', 'D']
    and (select bool_and(jsonb_typeof(v) = 'string' and length(btrim(v #>> '{}')) > 0)
           from jsonb_each(options) e(k, v))
$$;
comment on function private.is_valid_option_set(jsonb) is
  'True when the value is {"A": text, "B": text, "C": text, "D": text} with non-empty texts.';
-- Used by CHECK constraints, which run with the writer's privileges.
grant execute on function private.is_valid_option_set(jsonb) to authenticated, service_role;

create function private.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
comment on function private.set_updated_at() is 'BEFORE UPDATE trigger: stamps updated_at.';

-- ---------------------------------------------------------------------------
-- Shared enum types (in public so the generated client types include them)
-- ---------------------------------------------------------------------------

create type public.org_role as enum ('owner', 'admin', 'instructor', 'learner');
comment on type public.org_role is
  'Role of a member in an organisation: owner and admin manage it, instructor teaches and authors content, learner practises.';

create type public.team_kind as enum ('team', 'cohort');
comment on type public.team_kind is 'A team (people working together) or a cohort (learners taught together).';

create type public.question_status as enum ('draft', 'published', 'retired');
comment on type public.question_status is 'Only published questions are drawn into quizzes; retired ones stay for history.';

create type public.quiz_mode as enum ('practice', 'weak_areas', 'review');
comment on type public.quiz_mode is
  'practice: random questions; weak_areas: questions from the learner''s weakest domains first; review: questions last answered wrong.';

create type public.attempt_status as enum ('in_progress', 'submitted', 'abandoned');
comment on type public.attempt_status is
  'in_progress until submitted (or auto-submitted at its deadline); abandoned when a newer quiz of the same exam is started.';

create type public.xp_source as enum ('quiz', 'accuracy_bonus', 'achievement', 'adjustment');
comment on type public.xp_source is
  'Why XP was granted: 10 per correct answer, the accuracy bonus, an achievement reward, or an admin adjustment.';

create type public.achievement_criteria as enum (
  'quiz_completed', 'perfect_quiz', 'high_score_quiz', 'correct_answers', 'study_streak', 'level_reached', 'exam_specific'
);
comment on type public.achievement_criteria is
  'What an achievement counts: quizzes completed, perfect quizzes, quizzes at 90%+, correct answers, streak days, level, quizzes of one exam.';

create type public.avatar_rarity as enum ('common', 'rare', 'epic', 'legendary');
comment on type public.avatar_rarity is 'Avatar rarity tier.';

create type public.report_reason as enum ('incorrect_answer', 'unclear', 'typo', 'outdated', 'other');
comment on type public.report_reason is 'Why a learner reported a question.';

create type public.report_status as enum ('open', 'accepted', 'rejected', 'resolved');
comment on type public.report_status is
  'Moderation state of a question report: open, accepted (needs a fix), rejected, resolved (fixed).';

create type public.leaderboard_board as enum ('xp', 'quiz_count', 'accuracy', 'streak', 'exam');
comment on type public.leaderboard_board is
  'xp: XP earned; quiz_count: quizzes completed; accuracy: % correct (10+ quizzes); streak: current streak; exam: quiz XP earned on one exam.';

create type public.leaderboard_period as enum ('all_time', 'monthly', 'weekly');
comment on type public.leaderboard_period is 'Leaderboard window; months and weeks are calendar periods in UTC (weeks start on Monday).';

revoke execute on all functions in schema private from public;
