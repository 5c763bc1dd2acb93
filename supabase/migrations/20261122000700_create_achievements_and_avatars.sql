-- Achievements (criteria, XP reward, hidden until earned) and avatars (rarity, three defaults
-- granted on sign-up, others unlocked by an achievement), with what each learner has earned.
-- Earned rows are written only by the scoring engine.

create table public.achievements (
  id bigint generated always as identity primary key,
  slug text not null,
  name text not null,
  description text not null,
  badge_icon text,
  criteria_type public.achievement_criteria not null,
  criteria_value integer not null,
  exam_id text references public.exams (id) on update cascade on delete cascade,
  xp_reward integer not null default 0,
  is_hidden boolean not null default false,
  is_active boolean not null default true,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  constraint achievements_slug_key unique (slug),
  constraint achievements_name_key unique (name),
  constraint achievements_slug_format check (slug ~ '^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$'),
  constraint achievements_criteria_value_positive check (criteria_value > 0),
  constraint achievements_xp_reward_range check (xp_reward between 0 and 100000),
  constraint achievements_exam_only_for_exam_specific check ((criteria_type = 'exam_specific') = (exam_id is not null))
);
comment on table public.achievements is
  'Achievements: unlocked once per learner when a counter reaches criteria_value; may grant XP and unlock an avatar. Hidden ones stay invisible until earned.';
comment on column public.achievements.slug is 'Stable key.';
comment on column public.achievements.name is 'Display name.';
comment on column public.achievements.description is 'What to do to earn it.';
comment on column public.achievements.badge_icon is 'Badge image path or URL.';
comment on column public.achievements.criteria_type is 'The counter it watches (see achievement_criteria).';
comment on column public.achievements.criteria_value is 'Threshold the counter must reach.';
comment on column public.achievements.exam_id is 'The exam counted by exam_specific achievements (null otherwise).';
comment on column public.achievements.xp_reward is 'XP granted when earned.';
comment on column public.achievements.is_hidden is 'Invisible to learners until they earn it.';
comment on column public.achievements.is_active is 'Inactive achievements are neither shown nor awarded.';
comment on column public.achievements.position is 'Display order.';
comment on column public.achievements.created_at is 'Creation time.';
create index achievements_exam_id_idx on public.achievements (exam_id);
create index achievements_criteria_idx on public.achievements (criteria_type, criteria_value) where is_active;

create table public.avatars (
  id bigint generated always as identity primary key,
  slug text not null,
  name text not null,
  description text,
  image_url text not null,
  rarity public.avatar_rarity not null,
  is_default boolean not null default false,
  required_achievement_id bigint references public.achievements (id) on delete set null,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  constraint avatars_slug_key unique (slug),
  constraint avatars_name_key unique (name),
  constraint avatars_default_not_locked check (not (is_default and required_achievement_id is not null))
);
comment on table public.avatars is
  'Avatars learners collect: defaults are granted on sign-up, others are unlocked by an achievement. Public catalog.';
comment on column public.avatars.slug is 'Stable key.';
comment on column public.avatars.name is 'Display name.';
comment on column public.avatars.description is 'Flavour text.';
comment on column public.avatars.image_url is 'Image path or URL.';
comment on column public.avatars.rarity is 'common, rare, epic or legendary.';
comment on column public.avatars.is_default is 'Granted to every new learner.';
comment on column public.avatars.required_achievement_id is 'Achievement that unlocks it (null for defaults).';
comment on column public.avatars.position is 'Display order.';
comment on column public.avatars.created_at is 'Creation time.';
create index avatars_required_achievement_id_idx on public.avatars (required_achievement_id);

create table public.user_achievements (
  user_id uuid not null references public.profiles (id) on delete cascade,
  achievement_id bigint not null references public.achievements (id) on delete cascade,
  earned_at timestamptz not null default now(),
  primary key (user_id, achievement_id)
);
comment on table public.user_achievements is
  'Achievements each learner has earned, at most once each (primary key). Written only by Ascend.';
comment on column public.user_achievements.user_id is 'The learner.';
comment on column public.user_achievements.achievement_id is 'The achievement.';
comment on column public.user_achievements.earned_at is 'When it was unlocked.';
create index user_achievements_achievement_id_idx on public.user_achievements (achievement_id);

create table public.user_avatars (
  user_id uuid not null references public.profiles (id) on delete cascade,
  avatar_id bigint not null references public.avatars (id) on delete cascade,
  unlocked_at timestamptz not null default now(),
  source text not null default 'default',
  primary key (user_id, avatar_id),
  constraint user_avatars_source_valid check (source in ('default', 'achievement', 'grant'))
);
comment on table public.user_avatars is 'Avatars each learner owns. Written only by Ascend (sign-up defaults, achievement unlocks).';
comment on column public.user_avatars.user_id is 'The learner.';
comment on column public.user_avatars.avatar_id is 'The avatar.';
comment on column public.user_avatars.unlocked_at is 'When it was unlocked.';
comment on column public.user_avatars.source is 'default (sign-up), achievement, or grant (by an admin).';
create index user_avatars_avatar_id_idx on public.user_avatars (avatar_id);

alter table public.profiles
  add constraint profiles_selected_avatar_id_fkey foreign key (selected_avatar_id)
  references public.avatars (id) on delete set null;

-- ---------------------------------------------------------------------------
-- Privileges and RLS
-- ---------------------------------------------------------------------------

create function private.has_earned(achievement bigint)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.user_achievements ua
    where ua.user_id = (select auth.uid()) and ua.achievement_id = achievement
  )
$$;
comment on function private.has_earned(bigint) is 'True when the caller has earned this achievement.';
grant execute on function private.has_earned(bigint) to authenticated, service_role;

alter table public.achievements enable row level security;
alter table public.avatars enable row level security;
alter table public.user_achievements enable row level security;
alter table public.user_avatars enable row level security;

revoke all on table public.achievements, public.avatars, public.user_achievements, public.user_avatars
  from anon, authenticated, service_role;
grant select on table public.achievements, public.avatars to anon;
grant select, insert, update, delete on table public.achievements, public.avatars to authenticated, service_role;
grant select on table public.user_achievements, public.user_avatars to authenticated, service_role;

create policy achievements_select_anon on public.achievements
  for select to anon
  using (is_active and not is_hidden);
comment on policy achievements_select_anon on public.achievements is 'Visitors see active, visible achievements.';

create policy achievements_select_authenticated on public.achievements
  for select to authenticated
  using ((is_active and not is_hidden) or private.has_earned(id) or (select private.is_platform_admin()));
comment on policy achievements_select_authenticated on public.achievements is
  'Users see visible achievements and the hidden ones they earned; platform admins see all.';

create policy achievements_insert_platform_admin on public.achievements
  for insert to authenticated
  with check ((select private.is_platform_admin()));
comment on policy achievements_insert_platform_admin on public.achievements is 'Platform admins add achievements.';

create policy achievements_update_platform_admin on public.achievements
  for update to authenticated
  using ((select private.is_platform_admin()))
  with check ((select private.is_platform_admin()));
comment on policy achievements_update_platform_admin on public.achievements is 'Platform admins edit achievements.';

create policy achievements_delete_platform_admin on public.achievements
  for delete to authenticated
  using ((select private.is_platform_admin()));
comment on policy achievements_delete_platform_admin on public.achievements is 'Platform admins delete achievements.';

create policy avatars_select_anon on public.avatars
  for select to anon
  using (true);
comment on policy avatars_select_anon on public.avatars is 'The avatar catalog is public.';

create policy avatars_select_authenticated on public.avatars
  for select to authenticated
  using (true);
comment on policy avatars_select_authenticated on public.avatars is 'The avatar catalog is public.';

create policy avatars_insert_platform_admin on public.avatars
  for insert to authenticated
  with check ((select private.is_platform_admin()));
comment on policy avatars_insert_platform_admin on public.avatars is 'Platform admins add avatars.';

create policy avatars_update_platform_admin on public.avatars
  for update to authenticated
  using ((select private.is_platform_admin()))
  with check ((select private.is_platform_admin()));
comment on policy avatars_update_platform_admin on public.avatars is 'Platform admins edit avatars.';

create policy avatars_delete_platform_admin on public.avatars
  for delete to authenticated
  using ((select private.is_platform_admin()));
comment on policy avatars_delete_platform_admin on public.avatars is 'Platform admins delete avatars.';

create policy user_achievements_select_visible on public.user_achievements
  for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.is_platform_admin())
    or user_id in (select private.staff_learner_ids())
  );
comment on policy user_achievements_select_visible on public.user_achievements is
  'Learners see their achievements; instructors and admins see their organisation''s learners''.';

create policy user_avatars_select_visible on public.user_avatars
  for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.is_platform_admin())
    or user_id in (select private.staff_learner_ids())
  );
comment on policy user_avatars_select_visible on public.user_avatars is
  'Learners see their collection; instructors and admins see their organisation''s learners''.';

revoke execute on all functions in schema private from public;
