-- Leaderboard pages: the profile-visibility mask decided once per page instead of once per entry.
--
-- Measured (tests/bench/leaderboards, 10k learners): public.get_leaderboard took about five times
-- as long as the board it masks (private.get_leaderboard_unmasked), for the live boards and the
-- old views alike: private.mask_leaderboard_entry called private.can_see_profile for each of the
-- 100 entries, and each call ran its caller-level checks (platform admin, service role, the
-- learners the caller teaches) again through nested SECURITY DEFINER functions that are never
-- inlined. private.visible_profile_ids applies the same rule to a whole page: the caller-level
-- parts once, the per-profile part (visibility, shared organisation) per entry. pgTAP 102 proves
-- it equals can_see_profile for every caller and target of its fixture. Results are unchanged.

create function private.visible_profile_ids(p_ids uuid[])
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  -- private.can_see_profile(t) for every t of p_ids, as a set: themselves, platform admins, the
  -- service role, public profiles, organisation profiles of co-members, the learners of an
  -- organisation the caller staffs.
  select distinct t.id
  from unnest(p_ids) t (id)
  where t.id = (select auth.uid())
     or (select private.is_platform_admin())
     or (select private.is_service_role())
     or exists (
       select 1 from public.profiles p
       where p.id = t.id
         and (p.profile_visibility = 'public'
              or (p.profile_visibility = 'organisation' and private.shares_organization_with(t.id))))
     or t.id in (select private.staff_learner_ids())
$$;
comment on function private.visible_profile_ids(uuid[]) is
  'Those of p_ids whose profile the caller may see (private.can_see_profile''s rule for many profiles at once, caller-level checks evaluated once).';

create or replace function public.get_leaderboard(
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
  -- Entries whose profile the caller may not see lose their identity (as mask_leaderboard_entry
  -- does one entry at a time).
  select b || jsonb_build_object(
    'entries', coalesce((
      select jsonb_agg(case when v.id is not null then e
                            else e || jsonb_build_object('user_id', null, 'username', null, 'display_name', 'Anonymous learner',
                                                         'avatar_url', null, 'anonymous', true)
                       end order by o)
      from jsonb_array_elements(b -> 'entries') with ordinality x (e, o)
      left join private.visible_profile_ids(
                  array(select (y ->> 'user_id')::uuid from jsonb_array_elements(b -> 'entries') y)) v (id)
        on v.id = (e ->> 'user_id')::uuid), '[]'::jsonb))
  from (select private.get_leaderboard_unmasked(p_board, p_period, p_exam, p_organization, p_limit, p_offset) as b) r
$$;

revoke execute on all functions in schema private from public;
