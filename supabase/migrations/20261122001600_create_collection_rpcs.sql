-- RPCs for the learner's collection: equip an owned avatar, achievements with progress, avatar
-- collection statistics.

create function public.equip_avatar(p_avatar_id bigint)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_avatar public.avatars;
  v_required text;
begin
  select * into v_avatar from public.avatars a where a.id = p_avatar_id;
  if not found then
    raise exception using errcode = 'PT404', message = format('avatar %s does not exist', p_avatar_id);
  end if;
  if not exists (select 1 from public.user_avatars ua where ua.user_id = v_uid and ua.avatar_id = p_avatar_id) then
    select case when ach.is_hidden then 'a hidden achievement' else format('the achievement %L', ach.name) end
      into v_required
    from public.achievements ach where ach.id = v_avatar.required_achievement_id;
    raise exception using
      errcode = '42501',
      message = format('you have not unlocked the avatar %L yet', v_avatar.name),
      hint = coalesce('earn ' || v_required || ' to unlock it', 'it is not unlockable right now');
  end if;
  update public.profiles p set selected_avatar_id = p_avatar_id where p.id = v_uid;
  return jsonb_build_object(
    'selected_avatar_id', v_avatar.id, 'name', v_avatar.name, 'image_url', v_avatar.image_url, 'rarity', v_avatar.rarity);
end;
$$;
comment on function public.equip_avatar(bigint) is
  'Equips an avatar the caller owns. Errors: PT404 unknown avatar, 42501 not unlocked (the hint names the achievement).';
revoke execute on function public.equip_avatar(bigint) from public, anon;
grant execute on function public.equip_avatar(bigint) to authenticated;

create function public.get_my_achievements()
returns table (
  id bigint,
  slug text,
  name text,
  description text,
  badge_icon text,
  criteria_type public.achievement_criteria,
  criteria_value integer,
  exam_id text,
  xp_reward integer,
  is_hidden boolean,
  earned boolean,
  earned_at timestamptz,
  progress integer,
  progress_percent numeric
)
language sql
stable
security definer
set search_path = ''
as $$
  select a.id, a.slug, a.name, a.description, a.badge_icon, a.criteria_type, a.criteria_value, a.exam_id,
         a.xp_reward, a.is_hidden, ua.earned_at is not null, ua.earned_at,
         v.progress, round(v.progress * 100.0 / a.criteria_value, 1)
  from public.achievements a
  join public.profiles p on p.id = private.require_user()
  left join public.user_achievements ua on ua.user_id = p.id and ua.achievement_id = a.id
  left join public.learner_exam_stats s on s.user_id = p.id and s.exam_id = a.exam_id
  cross join lateral (
    select case when ua.earned_at is not null then a.criteria_value
                else least(a.criteria_value, case a.criteria_type
                  when 'quiz_completed' then p.quizzes_completed
                  when 'perfect_quiz' then p.perfect_quizzes
                  when 'high_score_quiz' then p.high_score_quizzes
                  when 'correct_answers' then p.correct_answers
                  when 'study_streak' then p.longest_streak
                  when 'level_reached' then p.level
                  when 'exam_specific' then coalesce(s.quizzes_completed, 0)
                end) end as progress
  ) v
  where ua.earned_at is not null or (a.is_active and not a.is_hidden)
  order by a.position, a.id
$$;
comment on function public.get_my_achievements() is
  'Every visible achievement (hidden ones only once earned) with the caller''s progress toward it and when it was earned.';
revoke execute on function public.get_my_achievements() from public, anon;
grant execute on function public.get_my_achievements() to authenticated;

create function public.get_avatar_collection()
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  with me as (
    select p.id, p.selected_avatar_id from public.profiles p where p.id = private.require_user()
  ),
  catalog as (
    select av.*, ua.unlocked_at, ua.source,
           ach.id as achievement_id, ach.name as achievement_name, ach.is_hidden as achievement_hidden,
           exists (select 1 from public.user_achievements e, me where e.user_id = me.id and e.achievement_id = ach.id) as achievement_earned
    from public.avatars av
    cross join me
    left join public.user_avatars ua on ua.user_id = me.id and ua.avatar_id = av.id
    left join public.achievements ach on ach.id = av.required_achievement_id
  )
  select jsonb_build_object(
    'selected_avatar_id', (select me.selected_avatar_id from me),
    'owned', (select count(*) from catalog c where c.unlocked_at is not null),
    'total', (select count(*) from catalog),
    'completion_percentage', (select round(count(*) filter (where c.unlocked_at is not null) * 100.0 / nullif(count(*), 0), 1) from catalog c),
    'by_rarity', (select jsonb_agg(jsonb_build_object('rarity', r.rarity, 'owned', r.owned, 'total', r.total) order by r.rarity)
                  from (select c.rarity, count(*) filter (where c.unlocked_at is not null) as owned, count(*) as total
                        from catalog c group by c.rarity) r),
    'avatars', (select jsonb_agg(jsonb_build_object(
                  'id', c.id, 'slug', c.slug, 'name', c.name, 'description', c.description, 'image_url', c.image_url,
                  'rarity', c.rarity, 'is_default', c.is_default, 'owned', c.unlocked_at is not null,
                  'unlocked_at', c.unlocked_at, 'equipped', c.id = (select me.selected_avatar_id from me),
                  'unlock_achievement', case when c.achievement_id is null then null
                    when c.achievement_hidden and not c.achievement_earned then jsonb_build_object('id', null, 'name', 'a hidden achievement')
                    else jsonb_build_object('id', c.achievement_id, 'name', c.achievement_name) end)
                order by c.position, c.id) from catalog c))
$$;
comment on function public.get_avatar_collection() is
  'The caller''s avatar collection: owned/total, completion %, per-rarity counts, and every avatar with owned/equipped flags and the achievement that unlocks it (hidden ones masked).';
revoke execute on function public.get_avatar_collection() from public, anon;
grant execute on function public.get_avatar_collection() to authenticated;
