-- Preferences, privacy and departments (issue 9, item 1; seed 004).
--
-- * user_preferences: one row per learner (created with the profile): theme, language, date
--   format, e-mail preferences per kind (weekly progress, streak reminder, achievements,
--   assignments, training reports) and quiet hours (local time, in profiles.time_zone). The time
--   zone itself stays in profiles.time_zone (streaks and analytics read it there).
-- * profiles.profile_visibility: who may see the learner's profile.
--     public        anyone: the public profile RPC (even without signing in), leaderboards by name;
--     organisation  people in a common organisation (and its staff); others see an anonymous
--                   leaderboard entry and no public profile;
--     private       only the learner, the staff of their organisations and platform admins;
--                   co-members no longer read the profile row; every leaderboard shows them
--                   anonymously to everyone else.
--   The profiles table itself stays readable only inside common organisations (as before), minus
--   private profiles for non-staff; public surfaces (get_public_profile, leaderboards, follows)
--   go through private.can_see_profile(). Leaderboard opt-out is profiles.show_on_leaderboards.
-- * departments: above teams in an organisation; teams.department_id places a team in one, and
--   department_members holds people who belong to a department directly (without a team).

create type public.profile_visibility as enum ('public', 'organisation', 'private');
comment on type public.profile_visibility is
  'public: anyone sees the profile; organisation: people in a common organisation; private: only the learner, their organisations'' staff and platform admins.';

create type public.theme_preference as enum ('system', 'light', 'dark');
comment on type public.theme_preference is 'UI theme: follow the system, light or dark.';

create type public.date_format_preference as enum ('YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY');
comment on type public.date_format_preference is 'How dates are shown.';

alter table public.profiles
  add column profile_visibility public.profile_visibility not null default 'public';
comment on column public.profiles.profile_visibility is
  'Who sees this profile: public (anyone), organisation (common organisations), private (only the learner, their organisations'' staff and platform admins). Leaderboards show hidden profiles as anonymous entries.';
grant update (profile_visibility) on table public.profiles to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Who may see a profile
-- ---------------------------------------------------------------------------

create function private.can_see_profile(target uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(target = (select auth.uid()), false)
    or private.is_platform_admin()
    or private.is_service_role()
    or exists (
      select 1 from public.profiles p
      where p.id = target
        and (p.profile_visibility = 'public'
             or (p.profile_visibility = 'organisation' and private.shares_organization_with(target)))
    )
    or target in (select private.staff_learner_ids())
$$;
comment on function private.can_see_profile(uuid) is
  'True when the caller may see this user''s profile under its visibility: themselves, public profiles, organisation profiles of co-members, anyone for the staff of a common organisation, platform admins and the service role.';
grant execute on function private.can_see_profile(uuid) to authenticated, service_role;

alter policy profiles_select_visible on public.profiles
  using (
    id = (select auth.uid())
    or (select private.is_platform_admin())
    or (private.shares_organization_with(id)
        and (profile_visibility <> 'private' or id in (select private.staff_learner_ids())))
  );
comment on policy profiles_select_visible on public.profiles is
  'A user reads their own profile and those of people in a common organisation (private profiles: only that organisation''s staff); platform admins read all.';

-- ---------------------------------------------------------------------------
-- user_preferences
-- ---------------------------------------------------------------------------

create table public.user_preferences (
  user_id uuid primary key references public.profiles (id) on delete cascade,
  theme public.theme_preference not null default 'system',
  language text not null default 'en',
  date_format public.date_format_preference not null default 'YYYY-MM-DD',
  email_weekly_progress boolean not null default true,
  email_streak_reminder boolean not null default true,
  email_achievements boolean not null default true,
  email_assignments boolean not null default true,
  email_training_reports boolean not null default true,
  quiet_hours_start time,
  quiet_hours_end time,
  updated_at timestamptz not null default now(),
  constraint user_preferences_language_format check (language ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
  constraint user_preferences_quiet_hours_complete check ((quiet_hours_start is null) = (quiet_hours_end is null))
);
comment on table public.user_preferences is
  'Each learner''s preferences (created with their profile): theme, language, date format, which e-mails they want, quiet hours. The learner edits their own row; time zone and visibility live in profiles.';
comment on column public.user_preferences.user_id is 'The learner.';
comment on column public.user_preferences.theme is 'system, light or dark.';
comment on column public.user_preferences.language is 'Language tag: en, fr, pt-BR ...';
comment on column public.user_preferences.date_format is 'How dates are shown.';
comment on column public.user_preferences.email_weekly_progress is 'E-mail a weekly progress summary.';
comment on column public.user_preferences.email_streak_reminder is 'E-mail when a streak is at risk.';
comment on column public.user_preferences.email_achievements is 'E-mail achievements and level-ups.';
comment on column public.user_preferences.email_assignments is 'E-mail new assignments and due reminders.';
comment on column public.user_preferences.email_training_reports is 'E-mail when an AI training report is ready.';
comment on column public.user_preferences.quiet_hours_start is 'Local time (profiles.time_zone) from which no e-mail is sent; null: no quiet hours. May wrap midnight (22:00-07:00).';
comment on column public.user_preferences.quiet_hours_end is 'Local time at which quiet hours end; e-mails queued during them are scheduled for it.';
comment on column public.user_preferences.updated_at is 'Last change.';

create trigger user_preferences_set_updated_at before update on public.user_preferences
  for each row execute function private.set_updated_at();

create function private.create_user_preferences()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.user_preferences (user_id) values (new.id) on conflict do nothing;
  return null;
end;
$$;
comment on function private.create_user_preferences() is 'AFTER INSERT on profiles: creates the learner''s preferences with the defaults.';

create trigger profiles_create_preferences
  after insert on public.profiles
  for each row execute function private.create_user_preferences();

insert into public.user_preferences (user_id) select p.id from public.profiles p on conflict do nothing;

alter table public.user_preferences enable row level security;
revoke all on table public.user_preferences from anon, authenticated, service_role;
grant select on table public.user_preferences to authenticated, service_role;
grant update (theme, language, date_format, email_weekly_progress, email_streak_reminder, email_achievements,
              email_assignments, email_training_reports, quiet_hours_start, quiet_hours_end)
  on table public.user_preferences to authenticated, service_role;

create policy user_preferences_select_own on public.user_preferences
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));
comment on policy user_preferences_select_own on public.user_preferences is 'A learner reads their preferences; platform admins read all (support).';

create policy user_preferences_update_own on public.user_preferences
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
comment on policy user_preferences_update_own on public.user_preferences is 'A learner edits only their own preferences.';

-- Quiet hours: the first instant at or after p_at outside the learner's quiet hours.
create function private.after_quiet_hours(p_user uuid, p_at timestamptz)
returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
declare
  v_tz text;
  v_start time;
  v_end time;
  v_local timestamp;
  v_t time;
begin
  select p.time_zone, u.quiet_hours_start, u.quiet_hours_end into v_tz, v_start, v_end
  from public.profiles p left join public.user_preferences u on u.user_id = p.id
  where p.id = p_user;
  if v_start is null or v_end is null or v_start = v_end then
    return p_at;
  end if;
  v_local := p_at at time zone v_tz;
  v_t := v_local::time;
  if v_start < v_end then
    if v_t >= v_start and v_t < v_end then
      return (v_local::date + v_end) at time zone v_tz;
    end if;
  elsif v_t >= v_start then
    return (v_local::date + 1 + v_end) at time zone v_tz;
  elsif v_t < v_end then
    return (v_local::date + v_end) at time zone v_tz;
  end if;
  return p_at;
end;
$$;
comment on function private.after_quiet_hours(uuid, timestamptz) is
  'p_at, or the end of the learner''s quiet hours (local, profiles.time_zone) when p_at falls inside them: when a queued e-mail may be sent.';

-- ---------------------------------------------------------------------------
-- Settings RPCs
-- ---------------------------------------------------------------------------

create function public.get_my_settings()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'time_zone', p.time_zone,
    'profile_visibility', p.profile_visibility,
    'show_on_leaderboards', p.show_on_leaderboards)
    || (to_jsonb(u) - 'user_id')
  from public.profiles p
  join public.user_preferences u on u.user_id = p.id
  where p.id = private.require_user()
$$;
comment on function public.get_my_settings() is
  'The caller''s settings in one object: time_zone, profile_visibility, show_on_leaderboards and every user_preferences column. Errors: 42501 not signed in.';
revoke execute on function public.get_my_settings() from public, anon;
grant execute on function public.get_my_settings() to authenticated;

create function public.update_my_settings(p_settings jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_profile_keys text[] := array['time_zone', 'profile_visibility', 'show_on_leaderboards'];
  v_pref_keys text[] := array['theme', 'language', 'date_format', 'email_weekly_progress', 'email_streak_reminder',
                              'email_achievements', 'email_assignments', 'email_training_reports',
                              'quiet_hours_start', 'quiet_hours_end'];
  v_unknown text;
begin
  if p_settings is null or jsonb_typeof(p_settings) <> 'object' then
    raise exception using errcode = '22023', message = 'p_settings must be a JSON object of the settings to change';
  end if;
  select k into v_unknown from jsonb_object_keys(p_settings) k
  where not (k = any (v_profile_keys) or k = any (v_pref_keys)) limit 1;
  if v_unknown is not null then
    raise exception using
      errcode = '22023',
      message = format('unknown setting %L', v_unknown),
      hint = 'settings: ' || array_to_string(v_profile_keys || v_pref_keys, ', ');
  end if;
  if p_settings ?| v_profile_keys then
    update public.profiles p set
      time_zone = case when p_settings ? 'time_zone' then p_settings ->> 'time_zone' else p.time_zone end,
      profile_visibility = case when p_settings ? 'profile_visibility'
                                then (p_settings ->> 'profile_visibility')::public.profile_visibility else p.profile_visibility end,
      show_on_leaderboards = case when p_settings ? 'show_on_leaderboards'
                                  then (p_settings ->> 'show_on_leaderboards')::boolean else p.show_on_leaderboards end
    where p.id = v_uid;
  end if;
  if p_settings ?| v_pref_keys then
    update public.user_preferences u set
      theme = case when p_settings ? 'theme' then (p_settings ->> 'theme')::public.theme_preference else u.theme end,
      language = case when p_settings ? 'language' then p_settings ->> 'language' else u.language end,
      date_format = case when p_settings ? 'date_format' then (p_settings ->> 'date_format')::public.date_format_preference else u.date_format end,
      email_weekly_progress = coalesce((p_settings ->> 'email_weekly_progress')::boolean, u.email_weekly_progress),
      email_streak_reminder = coalesce((p_settings ->> 'email_streak_reminder')::boolean, u.email_streak_reminder),
      email_achievements = coalesce((p_settings ->> 'email_achievements')::boolean, u.email_achievements),
      email_assignments = coalesce((p_settings ->> 'email_assignments')::boolean, u.email_assignments),
      email_training_reports = coalesce((p_settings ->> 'email_training_reports')::boolean, u.email_training_reports),
      quiet_hours_start = case when p_settings ? 'quiet_hours_start' then (p_settings ->> 'quiet_hours_start')::time else u.quiet_hours_start end,
      quiet_hours_end = case when p_settings ? 'quiet_hours_end' then (p_settings ->> 'quiet_hours_end')::time else u.quiet_hours_end end
    where u.user_id = v_uid;
  end if;
  return public.get_my_settings();
exception
  when invalid_text_representation or invalid_datetime_format or datetime_field_overflow then
    raise exception using errcode = '22023', message = format('invalid setting value: %s', sqlerrm);
end;
$$;
comment on function public.update_my_settings(jsonb) is
  'Changes some of the caller''s settings ({"theme": "dark", "profile_visibility": "organisation", "quiet_hours_start": "22:00", ...}) and returns them all, as get_my_settings(). Errors: 42501, 22023 unknown setting or bad value, 23514 invalid time zone, language or incomplete quiet hours.';
revoke execute on function public.update_my_settings(jsonb) from public, anon;
grant execute on function public.update_my_settings(jsonb) to authenticated;

-- ---------------------------------------------------------------------------
-- Leaderboards honour visibility: entries whose profile the caller may not see are anonymous
-- ---------------------------------------------------------------------------

alter function public.get_leaderboard(public.leaderboard_board, public.leaderboard_period, text, uuid, integer, integer)
  rename to get_leaderboard_unmasked;
alter function public.get_leaderboard_unmasked(public.leaderboard_board, public.leaderboard_period, text, uuid, integer, integer)
  set schema private;
revoke execute on function private.get_leaderboard_unmasked(public.leaderboard_board, public.leaderboard_period, text, uuid, integer, integer)
  from public, anon, authenticated, service_role;
comment on function private.get_leaderboard_unmasked(public.leaderboard_board, public.leaderboard_period, text, uuid, integer, integer) is
  'A leaderboard page with every entry''s identity (see public.get_leaderboard, which masks the profiles the caller may not see).';

create function private.mask_leaderboard_entry(entry jsonb)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select case
    when entry is null or jsonb_typeof(entry) <> 'object' then entry
    when private.can_see_profile((entry ->> 'user_id')::uuid) then entry
    else entry || jsonb_build_object('user_id', null, 'username', null, 'display_name', 'Anonymous learner',
                                     'avatar_url', null, 'anonymous', true)
  end
$$;
comment on function private.mask_leaderboard_entry(jsonb) is
  'A leaderboard entry as the caller may see it: unchanged, or without identity (user_id, username, avatar; display_name "Anonymous learner", anonymous: true) when the profile''s visibility hides it from the caller.';

create function public.get_leaderboard(
  p_board public.leaderboard_board,
  p_period public.leaderboard_period default 'all_time',
  p_exam text default null,
  p_organization uuid default null,
  p_limit integer default 100,
  p_offset integer default 0
)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select b || jsonb_build_object(
    'entries', coalesce((select jsonb_agg(private.mask_leaderboard_entry(e) order by o)
                         from jsonb_array_elements(b -> 'entries') with ordinality x (e, o)), '[]'::jsonb))
  from (select private.get_leaderboard_unmasked(p_board, p_period, p_exam, p_organization, p_limit, p_offset) as b) r
$$;
comment on function public.get_leaderboard(public.leaderboard_board, public.leaderboard_period, text, uuid, integer, integer) is
  'A leaderboard page: {board, period, exam_id, organization_id, total, limit, offset, refreshed_at, entries: [{rank, position, user_id, username, display_name, avatar_url, level, score, is_current_user}], current_user_entry, current_user_opted_out}. Global (global practice only), or an organisation the caller belongs to. Opted-out learners never appear; learners whose profile visibility hides them from the caller appear as {"display_name": "Anonymous learner", "anonymous": true} without user_id, username or avatar.';
revoke execute on function public.get_leaderboard(public.leaderboard_board, public.leaderboard_period, text, uuid, integer, integer) from public, anon;
grant execute on function public.get_leaderboard(public.leaderboard_board, public.leaderboard_period, text, uuid, integer, integer)
  to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Departments: above teams
-- ---------------------------------------------------------------------------

create table public.departments (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  name text not null,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint departments_name_per_organization_key unique (organization_id, name),
  constraint departments_id_organization_key unique (id, organization_id),
  constraint departments_name_length check (char_length(btrim(name)) between 1 and 100),
  constraint departments_description_length check (description is null or char_length(description) <= 2000)
);
comment on table public.departments is
  'Departments of an organisation, above its teams (teams.department_id). Owners and admins manage them; members see them.';
comment on column public.departments.organization_id is 'Owning organisation.';
comment on column public.departments.name is 'Name, unique in the organisation.';
comment on column public.departments.description is 'Optional description.';
comment on column public.departments.created_at is 'Creation time.';
comment on column public.departments.updated_at is 'Last change.';
create trigger departments_set_updated_at before update on public.departments
  for each row execute function private.set_updated_at();

alter table public.teams
  add column department_id uuid,
  add constraint teams_department_fkey foreign key (department_id, organization_id)
    references public.departments (id, organization_id) on delete set null (department_id);
comment on column public.teams.department_id is 'The department the team belongs to (same organisation), or null.';
create index teams_department_idx on public.teams (department_id, organization_id) where department_id is not null;
grant update (department_id) on table public.teams to authenticated;

alter table public.departments enable row level security;
revoke all on table public.departments from anon, authenticated, service_role;
grant select, insert, delete on table public.departments to authenticated;
grant update (name, description) on table public.departments to authenticated;
grant select, insert, update, delete on table public.departments to service_role;

create policy departments_select_member on public.departments
  for select to authenticated
  using ((select private.is_platform_admin()) or private.is_org_member(organization_id));
comment on policy departments_select_member on public.departments is 'Members of the organisation see its departments; platform admins see all.';

create policy departments_insert_admin on public.departments
  for insert to authenticated
  with check ((select private.is_platform_admin()) or private.is_org_admin(organization_id));
comment on policy departments_insert_admin on public.departments is 'Owners, admins and platform admins create departments.';

create policy departments_update_admin on public.departments
  for update to authenticated
  using ((select private.is_platform_admin()) or private.is_org_admin(organization_id))
  with check ((select private.is_platform_admin()) or private.is_org_admin(organization_id));
comment on policy departments_update_admin on public.departments is 'Owners, admins and platform admins rename departments.';

create policy departments_delete_admin on public.departments
  for delete to authenticated
  using ((select private.is_platform_admin()) or private.is_org_admin(organization_id));
comment on policy departments_delete_admin on public.departments is 'Owners, admins and platform admins delete departments (their teams stay, without a department).';

-- People can belong to a department directly as well (managers, members without a team).
create table public.department_members (
  department_id uuid not null,
  organization_id uuid not null,
  user_id uuid not null,
  added_at timestamptz not null default now(),
  primary key (department_id, user_id),
  constraint department_members_department_fkey foreign key (department_id, organization_id)
    references public.departments (id, organization_id) on delete cascade,
  constraint department_members_member_fkey foreign key (organization_id, user_id)
    references public.organization_members (organization_id, user_id) on delete cascade
);
comment on table public.department_members is
  'Direct members of a department (besides the members of its teams); they must be members of its organisation and leave it with the organisation.';
comment on column public.department_members.department_id is 'The department.';
comment on column public.department_members.organization_id is 'The department''s organisation (must match).';
comment on column public.department_members.user_id is 'The member.';
comment on column public.department_members.added_at is 'When they were added.';
create index department_members_department_organization_idx on public.department_members (department_id, organization_id);
create index department_members_organization_user_idx on public.department_members (organization_id, user_id);

alter table public.department_members enable row level security;
revoke all on table public.department_members from anon, authenticated, service_role;
grant select, insert, delete on table public.department_members to authenticated;
grant select, insert, update, delete on table public.department_members to service_role;

create policy department_members_select_visible on public.department_members
  for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.is_platform_admin())
    or private.is_org_staff(organization_id)
  );
comment on policy department_members_select_visible on public.department_members is
  'Members see their own department memberships; staff of the organisation see all of them; platform admins see all.';

create policy department_members_insert_admin on public.department_members
  for insert to authenticated
  with check ((select private.is_platform_admin()) or private.is_org_admin(organization_id));
comment on policy department_members_insert_admin on public.department_members is 'Owners and admins put members in departments.';

create policy department_members_delete_admin on public.department_members
  for delete to authenticated
  using ((select private.is_platform_admin()) or private.is_org_admin(organization_id));
comment on policy department_members_delete_admin on public.department_members is 'Owners and admins take members out of departments.';

revoke execute on all functions in schema private from public;
