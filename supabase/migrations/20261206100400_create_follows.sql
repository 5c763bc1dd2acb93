-- Social (issue 9, item 10; seed 000): learners follow other learners whose profile they may see
-- (private.can_see_profile: public profiles, organisation profiles of co-members), see a public
-- profile page, and compare themselves on a "people I follow" leaderboard. A follow stays when
-- the followee later hides their profile, but hidden followees drop out of the board and pages.

create table public.follows (
  follower_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  followee_id uuid not null references public.profiles (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (follower_id, followee_id),
  constraint follows_not_self check (follower_id <> followee_id)
);
comment on table public.follows is
  'Who follows whom. A learner follows people whose profile they may see and unfollows at will; the followee sees and may remove their followers.';
comment on column public.follows.follower_id is 'Who follows (always the caller when inserted through the API).';
comment on column public.follows.followee_id is 'Who is followed.';
comment on column public.follows.created_at is 'Since when.';
create index follows_followee_idx on public.follows (followee_id, follower_id);

alter table public.follows enable row level security;
revoke all on table public.follows from anon, authenticated, service_role;
grant select, delete on table public.follows to authenticated;
grant insert (followee_id) on table public.follows to authenticated;
grant select, insert, update, delete on table public.follows to service_role;

create policy follows_select_involved on public.follows
  for select to authenticated
  using (
    follower_id = (select auth.uid())
    or followee_id = (select auth.uid())
    or (select private.is_platform_admin())
  );
comment on policy follows_select_involved on public.follows is 'A learner sees whom they follow and who follows them; platform admins see all.';

create policy follows_insert_visible on public.follows
  for insert to authenticated
  with check (follower_id = (select auth.uid()) and private.can_see_profile(followee_id));
comment on policy follows_insert_visible on public.follows is
  'A learner follows, as themselves, only someone whose profile they may see (public, or organisation profiles of co-members).';

create policy follows_delete_involved on public.follows
  for delete to authenticated
  using (follower_id = (select auth.uid()) or followee_id = (select auth.uid()));
comment on policy follows_delete_involved on public.follows is 'A learner unfollows, and removes their own followers.';

-- ---------------------------------------------------------------------------
-- RPCs
-- ---------------------------------------------------------------------------

-- The public face of a profile, for anyone the profile's visibility allows (PT404 otherwise, the
-- same answer as for a username nobody uses).
create function public.get_public_profile(p_username text)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_profile public.profiles;
begin
  select * into v_profile from public.profiles p where lower(p.username) = lower(btrim(p_username));
  if not found or not private.can_see_profile(v_profile.id) then
    raise exception using errcode = 'PT404', message = format('no visible profile named %L', p_username);
  end if;
  return jsonb_build_object(
    'user_id', v_profile.id, 'username', v_profile.username, 'display_name', v_profile.display_name,
    'bio', v_profile.bio, 'avatar_url', (select a.image_url from public.avatars a where a.id = v_profile.selected_avatar_id),
    'level', v_profile.level, 'xp', v_profile.xp, 'current_streak', v_profile.current_streak,
    'longest_streak', v_profile.longest_streak, 'quizzes_completed', v_profile.quizzes_completed,
    'profile_visibility', v_profile.profile_visibility,
    'achievements', coalesce((
      select jsonb_agg(jsonb_build_object('slug', a.slug, 'name', a.name, 'badge_icon', a.badge_icon, 'earned_at', ua.earned_at)
                       order by ua.earned_at desc)
      from public.user_achievements ua join public.achievements a on a.id = ua.achievement_id
      where ua.user_id = v_profile.id and a.is_active), '[]'::jsonb),
    'followers', (select count(*) from public.follows f where f.followee_id = v_profile.id),
    'following', (select count(*) from public.follows f where f.follower_id = v_profile.id),
    'is_followed_by_me', exists (select 1 from public.follows f where f.follower_id = auth.uid() and f.followee_id = v_profile.id));
end;
$$;

comment on function public.get_public_profile(text) is
  'The public face of a profile by username (case-insensitive): {user_id, username, display_name, bio, avatar_url, level, xp, streaks, quizzes_completed, profile_visibility, achievements, followers, following, is_followed_by_me}, for anyone its visibility allows (public profiles: anyone, even signed out). Errors: PT404 no such profile or not visible to the caller.';
revoke execute on function public.get_public_profile(text) from public;
grant execute on function public.get_public_profile(text) to anon, authenticated, service_role;

create function public.follow(p_username text)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_target uuid := (public.get_public_profile(p_username) ->> 'user_id')::uuid;
begin
  if v_target = v_uid then
    raise exception using errcode = '22023', message = 'you cannot follow yourself';
  end if;
  insert into public.follows (followee_id) values (v_target) on conflict do nothing;
  return public.get_public_profile(p_username);
end;
$$;
comment on function public.follow(text) is
  'Follows the learner with this username (idempotent) and returns their public profile. Errors: 42501, PT404 no visible profile, 22023 yourself.';
revoke execute on function public.follow(text) from public, anon;
grant execute on function public.follow(text) to authenticated;

-- Definer: the followee's profile may have become invisible to the caller, who must still be
-- able to unfollow; only the caller's own follow is deleted.
create function public.unfollow(p_username text)
returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_count integer;
begin
  delete from public.follows f
   using public.profiles p
   where f.follower_id = v_uid and f.followee_id = p.id and lower(p.username) = lower(btrim(p_username));
  get diagnostics v_count = row_count;
  return v_count > 0;
end;
$$;
comment on function public.unfollow(text) is 'Stops following the learner with this username; true if a follow was removed. Errors: 42501.';
revoke execute on function public.unfollow(text) from public, anon;
grant execute on function public.unfollow(text) to authenticated;

-- The people I follow, ranked with me: by XP (all_time: total global XP; monthly/weekly: global
-- XP earned in the calendar period, UTC) or current streak. Only followees whose profile the
-- caller may still see and who stay on leaderboards appear. Computed live (a few hundred rows).
create function public.get_following_leaderboard(
  p_board public.leaderboard_board default 'xp',
  p_period public.leaderboard_period default 'all_time'
)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_from timestamptz;
begin
  if p_board is null or p_board not in ('xp', 'streak') then
    raise exception using errcode = '22023', message = format('the following leaderboard ranks by xp or streak, not %s', p_board);
  end if;
  if p_period is null or (p_board = 'streak' and p_period <> 'all_time') then
    raise exception using errcode = '22023', message = 'the streak board has only the all_time period';
  end if;
  v_from := case when p_period = 'all_time' then null else private.period_start(p_period) end;
  return (
    with people as (
      select v_uid as user_id
      union
      select f.followee_id from public.follows f
      join public.profiles p on p.id = f.followee_id
      where f.follower_id = v_uid and p.show_on_leaderboards and private.can_see_profile(f.followee_id)
    ), scored as (
      select p.id as user_id, p.username, p.display_name, p.level,
             (select a.image_url from public.avatars a where a.id = p.selected_avatar_id) as avatar_url,
             case
               when p_board = 'streak' then p.current_streak::bigint
               when v_from is null then p.xp
               else coalesce((select sum(e.amount) from public.xp_events e
                              where e.user_id = p.id and e.organization_id is null and e.created_at >= v_from), 0)
             end as score
      from people x join public.profiles p on p.id = x.user_id
    )
    select jsonb_build_object(
      'board', p_board, 'period', p_period, 'total', count(*),
      'entries', coalesce(jsonb_agg(jsonb_build_object(
                   'rank', r.rank, 'user_id', r.user_id, 'username', r.username, 'display_name', r.display_name,
                   'avatar_url', r.avatar_url, 'level', r.level, 'score', r.score, 'is_current_user', r.user_id = v_uid)
                 order by r.rank, r.username), '[]'::jsonb))
    from (select s.*, rank() over (order by s.score desc) as rank from scored s) r
  );
end;
$$;
comment on function public.get_following_leaderboard(public.leaderboard_board, public.leaderboard_period) is
  'The caller and the people they follow, ranked by XP (p_period all_time, monthly or weekly, global XP) or current streak: {board, period, total, entries: [{rank, user_id, username, display_name, avatar_url, level, score, is_current_user}]}. Followees who opted out of leaderboards or whose profile the caller may no longer see are left out. Errors: 42501, 22023.';
revoke execute on function public.get_following_leaderboard(public.leaderboard_board, public.leaderboard_period) from public, anon;
grant execute on function public.get_following_leaderboard(public.leaderboard_board, public.leaderboard_period) to authenticated;

revoke execute on all functions in schema private from public;
