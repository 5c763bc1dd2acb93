-- The public profile page (/u/[username]) shows the equipped avatar as the app draws it (name and
-- rarity) and each achievement's description: get_public_profile() gains an `avatar` object and
-- achievement descriptions. Everything else, the visibility rules included, is unchanged.

create or replace function public.get_public_profile(p_username text)
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
    'avatar', (select jsonb_build_object('name', a.name, 'rarity', a.rarity, 'image_url', a.image_url)
                 from public.avatars a where a.id = v_profile.selected_avatar_id),
    'level', v_profile.level, 'xp', v_profile.xp, 'current_streak', v_profile.current_streak,
    'longest_streak', v_profile.longest_streak, 'quizzes_completed', v_profile.quizzes_completed,
    'profile_visibility', v_profile.profile_visibility,
    'achievements', coalesce((
      select jsonb_agg(jsonb_build_object('slug', a.slug, 'name', a.name, 'description', a.description, 'badge_icon', a.badge_icon, 'earned_at', ua.earned_at)
                       order by ua.earned_at desc)
      from public.user_achievements ua join public.achievements a on a.id = ua.achievement_id
      where ua.user_id = v_profile.id and a.is_active), '[]'::jsonb),
    'followers', (select count(*) from public.follows f where f.followee_id = v_profile.id),
    'following', (select count(*) from public.follows f where f.follower_id = v_profile.id),
    'is_followed_by_me', exists (select 1 from public.follows f where f.follower_id = auth.uid() and f.followee_id = v_profile.id));
end;
$$;
comment on function public.get_public_profile(text) is
  'The public face of a profile by username (case-insensitive): {user_id, username, display_name, bio, avatar_url, avatar {name, rarity, image_url}, level, xp, streaks, quizzes_completed, profile_visibility, achievements [{slug, name, description, badge_icon, earned_at}], followers, following, is_followed_by_me}, for anyone its visibility allows (public profiles: anyone, even signed out). Errors: PT404 no such profile or not visible to the caller.';
