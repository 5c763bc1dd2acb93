-- Leaderboard reads in a few milliseconds: the same results, computed once each.
--
-- Measured at 10k generated learners (tests/bench/leaderboards, plpgsql_check's profiler and
-- auto_explain with nested statements):
-- * public.get_leaderboard ran the whole board read three times. It was a SQL function over
--   `(select private.get_leaderboard_unmasked(...) as b) r`; the planner pulls that subquery up
--   and copies the call into each of the three places that use b (the result, the entries to
--   mask and the ids to check). Now both are thin plpgsql wrappers of private.leaderboard_page,
--   which reads the board once and, for get_leaderboard, builds masked entries directly (same
--   JSON as merging the anonymous fields into the entry) instead of re-reading its own output.
-- * The page's ranks counted, for each of the 100 entries, the page entries scoring more
--   (a correlated subquery over the page, 10,000 comparisons: 5 of the page query's 7 ms). It is
--   rank() over the page now (the same number: 1 + entries of the page scoring more).
-- * The page joined profiles twice (the opt-out filter, then the identity); once now.
-- * The histogram sums and in-bucket counts were SQL functions with SET search_path, which
--   PostgreSQL plans again on every call (and leaderboard_bucket once more inside each); they are
--   plpgsql now (plans kept for the session) and take the bucket the row already stores.
-- * private.visible_profile_ids (the page mask) is plpgsql for the same reason, and
--   get_following_leaderboard masks its followees with it once instead of calling
--   private.can_see_profile (and its nested caller checks) for each of them, then reads the
--   profiles by key from an array.
-- Results are unchanged: pgTAP 104 compares every function with its previous definition on a
-- fixture, for learners, staff, a platform admin and the service role.

-- Entries of a board above a score: whole buckets above from the histogram (compacted counts and
-- shards), then an index count inside the score's own bucket. p_bucket is leaderboard_bucket(p_score).
create function private.leaderboard_count_above(p_scope uuid, p_board public.leaderboard_board,
                                                p_period public.leaderboard_period, p_start timestamptz, p_exam text,
                                                p_bucket integer, p_score numeric)
returns bigint
language plpgsql
stable
set search_path = ''
as $$
begin
  return (select coalesce(sum(h.n), 0)
          from (select c.n from private.leaderboard_histogram c
                where c.scope = p_scope and c.board = p_board and c.period = p_period and c.period_start = p_start
                  and c.exam_id = p_exam and c.bucket > p_bucket
                union all
                select s.n from private.leaderboard_histogram_shards s
                where s.scope = p_scope and s.board = p_board and s.period = p_period and s.period_start = p_start
                  and s.exam_id = p_exam and s.bucket > p_bucket) h)::bigint
       + (select count(*) from private.leaderboard_scores s
          where s.scope = p_scope and s.board = p_board and s.period = p_period and s.period_start = p_start
            and s.exam_id = p_exam and s.bucket = p_bucket and s.score > p_score);
end;
$$;
comment on function private.leaderboard_count_above(uuid, public.leaderboard_board, public.leaderboard_period, timestamptz, text, integer, numeric) is
  'How many entries of a board score higher than p_score, whose bucket is p_bucket (rank - 1): histogram buckets above plus an index count inside the bucket.';

-- The same rule, for callers that have only the score.
create or replace function private.leaderboard_higher(p_scope uuid, p_board public.leaderboard_board, p_period public.leaderboard_period,
                                                      p_start timestamptz, p_exam text, p_score numeric)
returns bigint
language plpgsql
stable
set search_path = ''
as $$
begin
  return private.leaderboard_count_above(p_scope, p_board, p_period, p_start, p_exam, private.leaderboard_bucket(p_score), p_score);
end;
$$;

create or replace function private.leaderboard_total(p_scope uuid, p_board public.leaderboard_board, p_period public.leaderboard_period,
                                                     p_start timestamptz, p_exam text)
returns bigint
language plpgsql
stable
set search_path = ''
as $$
begin
  return (select coalesce(sum(h.n), 0)
          from (select c.n from private.leaderboard_histogram c
                where c.scope = p_scope and c.board = p_board and c.period = p_period and c.period_start = p_start
                  and c.exam_id = p_exam
                union all
                select s.n from private.leaderboard_histogram_shards s
                where s.scope = p_scope and s.board = p_board and s.period = p_period and s.period_start = p_start
                  and s.exam_id = p_exam) h)::bigint;
end;
$$;

-- One page of a board, with the caller's own entry and the total; p_mask: entries whose profile
-- the caller may not see lose their identity (public.get_leaderboard), decided once for the page.
create function private.leaderboard_page(
  p_board public.leaderboard_board,
  p_period public.leaderboard_period,
  p_exam text,
  p_organization uuid,
  p_limit integer,
  p_offset integer,
  p_mask boolean
)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_exam text := coalesce(p_exam, '');
  v_scope uuid := coalesce(p_organization, '00000000-0000-0000-0000-000000000000'::uuid);
  v_start timestamptz;
  v_total bigint;
  v_entries jsonb;
  v_me jsonb;
  v_mine private.leaderboard_scores;
  v_higher bigint;
  v_opted_out boolean;
begin
  if v_uid is null and not private.is_service_role() then
    raise exception using errcode = '42501', message = 'sign in to see leaderboards';
  end if;
  if p_board is null or p_period is null then
    raise exception using errcode = '22023', message = 'p_board and p_period are required';
  end if;
  if p_limit is null or p_limit not between 1 and 100 then
    raise exception using errcode = '22023', message = 'p_limit must be between 1 and 100';
  end if;
  if p_offset is null or p_offset < 0 then
    raise exception using errcode = '22023', message = 'p_offset must be 0 or more';
  end if;
  if p_board = 'exam' and not exists (select 1 from public.exams e where e.id = p_exam) then
    raise exception using
      errcode = '22023',
      message = format('the exam leaderboard needs an exam id in p_exam (got %L)', p_exam);
  end if;
  if p_board <> 'exam' and p_exam is not null then
    raise exception using errcode = '22023', message = format('p_exam applies only to the exam leaderboard, not %s', p_board);
  end if;
  if p_board = 'streak' and p_period <> 'all_time' then
    raise exception using errcode = '22023', message = 'the streak leaderboard has only the all_time period';
  end if;
  if p_organization is not null
     and not (private.is_org_member(p_organization) or private.is_platform_admin() or private.is_service_role()) then
    raise exception using errcode = '42501', message = 'you can only see the leaderboards of organisations you belong to';
  end if;

  v_start := private.period_start(p_period);
  select coalesce(not p.show_on_leaderboards, false) into v_opted_out from public.profiles p where p.id = v_uid;

  v_total := private.leaderboard_total(v_scope, p_board, p_period, v_start, v_exam);

  -- The page, in index order, with each entry's profile read once. Ranks: entries tied with the
  -- page's first share its rank (from the histogram); any other entry's rank is 1 + everything
  -- before the page + page entries scoring more (rank() over the page).
  with page as (
    select s.*,
           p_offset + row_number() over (order by s.bucket desc, s.score desc, s.volume desc, s.user_id) as position,
           rank() over (order by s.score desc) as page_rank
    from (
      select x.user_id, x.score, x.bucket, x.volume, p.username, p.display_name, p.level, p.selected_avatar_id
      from private.leaderboard_scores x
      join public.profiles p on p.id = x.user_id
      where x.scope = v_scope and x.board = p_board and x.period = p_period and x.period_start = v_start
        and x.exam_id = v_exam and p.show_on_leaderboards
      order by x.bucket desc, x.score desc, x.volume desc, x.user_id
      offset p_offset
      limit p_limit
    ) s
  ),
  head as (
    select case when p_offset = 0 then 1
                else 1 + private.leaderboard_count_above(v_scope, p_board, p_period, v_start, v_exam, f.bucket, f.score) end
             as rank
    from page f order by f.position limit 1
  ),
  visible as (
    select v.id from private.visible_profile_ids(array(select f.user_id from page f)) v (id) where p_mask
  )
  select coalesce(jsonb_agg(
           case when not p_mask or e.user_id in (select v.id from visible v) then
             jsonb_build_object(
               'rank', case when e.page_rank = 1 then h.rank else p_offset + e.page_rank end,
               'position', e.position, 'user_id', e.user_id, 'username', e.username,
               'display_name', e.display_name, 'avatar_url', av.image_url, 'level', e.level,
               'score', e.score, 'is_current_user', e.user_id is not distinct from v_uid)
           else
             -- what mask_leaderboard_entry made of the entry: identity gone, marked anonymous
             jsonb_build_object(
               'rank', case when e.page_rank = 1 then h.rank else p_offset + e.page_rank end,
               'position', e.position, 'user_id', null, 'username', null,
               'display_name', 'Anonymous learner', 'avatar_url', null, 'level', e.level,
               'score', e.score, 'is_current_user', e.user_id is not distinct from v_uid, 'anonymous', true)
           end order by e.position), '[]'::jsonb)
    into v_entries
  from page e
  cross join head h
  left join public.avatars av on av.id = e.selected_avatar_id;

  select s.* into v_mine
  from private.leaderboard_scores s
  where s.user_id = v_uid and s.scope = v_scope and s.board = p_board and s.period = p_period
    and s.period_start = v_start and s.exam_id = v_exam;
  if v_mine.user_id is not null and not v_opted_out then
    -- Rank from the histogram and the caller's bucket (stored with the row); position adds the
    -- ties before the caller, as two index ranges.
    v_higher := private.leaderboard_count_above(v_scope, p_board, p_period, v_start, v_exam, v_mine.bucket, v_mine.score);
    select jsonb_build_object(
             'rank', v_higher + 1,
             'position', v_higher + 1 + (
               select count(*) from private.leaderboard_scores s
               where s.scope = v_scope and s.board = p_board and s.period = p_period and s.period_start = v_start
                 and s.exam_id = v_exam and s.bucket = v_mine.bucket and s.score = v_mine.score
                 and s.volume > v_mine.volume) + (
               select count(*) from private.leaderboard_scores s
               where s.scope = v_scope and s.board = p_board and s.period = p_period and s.period_start = v_start
                 and s.exam_id = v_exam and s.bucket = v_mine.bucket and s.score = v_mine.score
                 and s.volume = v_mine.volume and s.user_id < v_mine.user_id),
             'user_id', p.id, 'username', p.username, 'display_name', p.display_name, 'avatar_url', av.image_url,
             'level', p.level, 'score', v_mine.score, 'is_current_user', true)
      into v_me
    from public.profiles p
    left join public.avatars av on av.id = p.selected_avatar_id
    where p.id = v_uid;
  end if;

  return jsonb_build_object(
    'board', p_board, 'period', p_period, 'exam_id', p_exam, 'organization_id', p_organization,
    'total', v_total, 'limit', p_limit, 'offset', p_offset, 'refreshed_at', private.clock(),
    'entries', v_entries, 'current_user_entry', v_me, 'current_user_opted_out', coalesce(v_opted_out, false));
end;
$$;

comment on function private.leaderboard_page(public.leaderboard_board, public.leaderboard_period, text, uuid, integer, integer, boolean) is
  'A leaderboard page (top p_limit from p_offset, ranks and positions), the caller''s own entry and the board total, from the live boards; p_mask: entries whose profile the caller may not see are anonymous.';

create or replace function private.get_leaderboard_unmasked(
  p_board public.leaderboard_board,
  p_period public.leaderboard_period default 'all_time',
  p_exam text default null,
  p_organization uuid default null,
  p_limit integer default 100,
  p_offset integer default 0
)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return private.leaderboard_page(p_board, p_period, p_exam, p_organization, p_limit, p_offset, false);
end;
$$;

-- can_see_profile's rule for a whole page; plpgsql so its plan is kept for the session.
create or replace function private.visible_profile_ids(p_ids uuid[])
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  -- Themselves, platform admins, the service role, public profiles, organisation profiles of
  -- co-members, the learners of an organisation the caller staffs.
  return query
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
       or t.id in (select private.staff_learner_ids());
end;
$$;

create or replace function public.get_leaderboard(
  p_board public.leaderboard_board,
  p_period public.leaderboard_period default 'all_time',
  p_exam text default null,
  p_organization uuid default null,
  p_limit integer default 100,
  p_offset integer default 0
)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  -- Entries whose profile the caller may not see lose their identity, as mask_leaderboard_entry
  -- made them one entry at a time; the board is read once.
  return private.leaderboard_page(p_board, p_period, p_exam, p_organization, p_limit, p_offset, true);
end;
$$;

-- The people I follow, ranked with me (unchanged but for the mask: once for all followees).
create or replace function public.get_following_leaderboard(
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
  v_people uuid[];
begin
  if p_board is null or p_board not in ('xp', 'streak') then
    raise exception using errcode = '22023', message = format('the following leaderboard ranks by xp or streak, not %s', p_board);
  end if;
  if p_period is null or (p_board = 'streak' and p_period <> 'all_time') then
    raise exception using errcode = '22023', message = 'the streak board has only the all_time period';
  end if;
  v_from := case when p_period = 'all_time' then null else private.period_start(p_period) end;
  -- The caller and the followees on leaderboards whose profile the caller may see, as an array:
  -- the profiles are then read by key (a join with the set-returning mask, estimated at 1,000
  -- rows, read every profile at 100k learners).
  v_people := array(
    select v_uid
    union
    select v.id from private.visible_profile_ids(array(
      select f.followee_id from public.follows f
      join public.profiles p on p.id = f.followee_id
      where f.follower_id = v_uid and p.show_on_leaderboards)) v (id));
  return (
    with scored as (
      select p.id as user_id, p.username, p.display_name, p.level,
             (select a.image_url from public.avatars a where a.id = p.selected_avatar_id) as avatar_url,
             case
               when p_board = 'streak' then p.current_streak::bigint
               when v_from is null then p.xp
               else coalesce((select sum(e.amount) from public.xp_events e
                              where e.user_id = p.id and e.organization_id is null and e.created_at >= v_from), 0)
             end as score
      from public.profiles p where p.id = any (v_people)
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

revoke execute on all functions in schema private from public;
