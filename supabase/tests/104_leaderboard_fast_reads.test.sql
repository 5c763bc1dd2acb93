-- Fast leaderboard reads (20261207110500): public.get_leaderboard, private.get_leaderboard_unmasked,
-- public.get_following_leaderboard, private.leaderboard_higher and private.leaderboard_total return
-- exactly what their previous definitions returned (copied below, verbatim but for their schema,
-- from 20261207100500, 20261207100700 and 20261206100400), on a fixture with ties, masked
-- profiles, an opted-out learner, organisation XP, unfolded histogram shards and follows, for
-- learners, staff, owners, a platform admin, the service role and anon, first pages and pages
-- inside the board, errors included. The new helpers are out of reach of every API role.
begin;
select plan(14);

set constraints public.xp_events_leaderboard_sync, public.quiz_attempts_leaderboard_sync,
  public.quiz_attempts_leaderboard_sync_delete, public.learner_exam_stats_leaderboard_sync,
  public.organization_members_leaderboard_sync, public.profiles_leaderboard_sync immediate;

-- ---------------------------------------------------------------------------
-- The previous definitions, in schema before_reads
-- ---------------------------------------------------------------------------
create schema before_reads;

create function before_reads.leaderboard_higher(p_scope uuid, p_board public.leaderboard_board, p_period public.leaderboard_period,
                                                      p_start timestamptz, p_exam text, p_score numeric)
returns bigint
language sql
stable
set search_path = ''
as $$
  -- Entries scoring more than p_score: whole buckets above from the histogram (compacted counts
  -- and shards), then an index count inside p_score's own bucket.
  select coalesce((select sum(h.n) from private.leaderboard_histogram h
                   where h.scope = p_scope and h.board = p_board and h.period = p_period and h.period_start = p_start
                     and h.exam_id = p_exam and h.bucket > private.leaderboard_bucket(p_score)), 0)::bigint
       + coalesce((select sum(h.n) from private.leaderboard_histogram_shards h
                   where h.scope = p_scope and h.board = p_board and h.period = p_period and h.period_start = p_start
                     and h.exam_id = p_exam and h.bucket > private.leaderboard_bucket(p_score)), 0)::bigint
       + (select count(*) from private.leaderboard_scores s
          where s.scope = p_scope and s.board = p_board and s.period = p_period and s.period_start = p_start
            and s.exam_id = p_exam and s.bucket = private.leaderboard_bucket(p_score) and s.score > p_score)
$$;;

create function before_reads.leaderboard_total(p_scope uuid, p_board public.leaderboard_board, p_period public.leaderboard_period,
                                          p_start timestamptz, p_exam text)
returns bigint
language sql
stable
set search_path = ''
as $$
  select coalesce((select sum(h.n) from private.leaderboard_histogram h
                   where h.scope = p_scope and h.board = p_board and h.period = p_period and h.period_start = p_start
                     and h.exam_id = p_exam), 0)::bigint
       + coalesce((select sum(h.n) from private.leaderboard_histogram_shards h
                   where h.scope = p_scope and h.board = p_board and h.period = p_period and h.period_start = p_start
                     and h.exam_id = p_exam), 0)::bigint
$$;;

create function before_reads.get_leaderboard_unmasked(
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

  v_total := before_reads.leaderboard_total(v_scope, p_board, p_period, v_start, v_exam);

  -- The page, in index order. Ranks: entries tied with the page's first share its rank (from the
  -- histogram); any other entry's rank is 1 + everything before the page + page entries above it.
  with page as (
    select s.user_id, s.score, pr.username, pr.display_name, pr.level, pr.selected_avatar_id,
           p_offset + row_number() over (order by s.bucket desc, s.score desc, s.volume desc, s.user_id) as position
    from (
      select x.user_id, x.score, x.bucket, x.volume
      from private.leaderboard_scores x
      join public.profiles p on p.id = x.user_id
      where x.scope = v_scope and x.board = p_board and x.period = p_period and x.period_start = v_start
        and x.exam_id = v_exam and p.show_on_leaderboards
      order by x.bucket desc, x.score desc, x.volume desc, x.user_id
      offset p_offset
      limit p_limit
    ) s
    join public.profiles pr on pr.id = s.user_id
  ),
  head as (
    select f.score,
           case when p_offset = 0 then 1
                else 1 + before_reads.leaderboard_higher(v_scope, p_board, p_period, v_start, v_exam, f.score) end as rank
    from page f order by f.position limit 1
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'rank', case when e.score = h.score then h.rank
                        else p_offset + 1 + (select count(*) from page q where q.score > e.score) end,
           'position', e.position, 'user_id', e.user_id, 'username', e.username,
           'display_name', e.display_name, 'avatar_url', av.image_url, 'level', e.level,
           'score', e.score, 'is_current_user', e.user_id is not distinct from v_uid) order by e.position), '[]'::jsonb)
    into v_entries
  from page e
  cross join head h
  left join public.avatars av on av.id = e.selected_avatar_id;

  select s.* into v_mine
  from private.leaderboard_scores s
  where s.user_id = v_uid and s.scope = v_scope and s.board = p_board and s.period = p_period
    and s.period_start = v_start and s.exam_id = v_exam;
  if v_mine.user_id is not null and not v_opted_out then
    v_higher := before_reads.leaderboard_higher(v_scope, p_board, p_period, v_start, v_exam, v_mine.score);
    select jsonb_build_object(
             'rank', v_higher + 1,
             -- Ties before the caller, as two index ranges (the "or" of one count was a filter
             -- over the whole tie group: 8,700 rows read for 2,800 counted at 100k learners).
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
$$;;

create function before_reads.visible_profile_ids(p_ids uuid[])
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
$$;;

create function before_reads.get_leaderboard(
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
      left join before_reads.visible_profile_ids(
                  array(select (y ->> 'user_id')::uuid from jsonb_array_elements(b -> 'entries') y)) v (id)
        on v.id = (e ->> 'user_id')::uuid), '[]'::jsonb))
  from (select before_reads.get_leaderboard_unmasked(p_board, p_period, p_exam, p_organization, p_limit, p_offset) as b) r
$$;;

create function before_reads.get_following_leaderboard(
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
$$;;

-- ---------------------------------------------------------------------------
-- Fixture
-- ---------------------------------------------------------------------------
select tests.create_actors();
select tests.create_test_exam(50);
update public.achievements set is_active = false;
select tests.create_user('learner_' || i, null, '{}', jsonb_build_object('username', 'learner_' || i))
from unnest(array['e', 'f']) i;
select tests.freeze_time('2026-06-03 09:00:00+00');
-- Last week: a and d; this week (from Monday 8 June) the rest, with ties (b, e and the outsider score the same).
select tests.take_quiz('learner_a', 10, 10);
select tests.freeze_time('2026-06-03 09:10:00+00');
select tests.take_quiz('learner_d', 12, 4);
select tests.freeze_time('2026-06-10 12:00:00+00');
select tests.take_quiz('learner_b', 10, 7);
select tests.freeze_time('2026-06-10 12:10:00+00');
select tests.take_quiz('outsider', 10, 7);
select tests.freeze_time('2026-06-10 12:20:00+00');
select tests.take_quiz('learner_e', 10, 7);
select tests.freeze_time('2026-06-10 12:30:00+00');
select tests.take_quiz('learner_f', 3, 3);
select tests.freeze_time('2026-06-10 12:40:00+00');
select tests.take_quiz('learner_a', 10, 5);
select tests.clear_authentication();
insert into public.xp_events (user_id, amount, source, note, organization_id)
values (tests.get_user_id('learner_b'), 40, 'adjustment', 'organisation practice', tests.org_id('org-one'));
update public.profiles set profile_visibility = 'private' where id in (tests.get_user_id('learner_b'), tests.get_user_id('learner_e'));
update public.profiles set profile_visibility = 'organisation' where id in (tests.get_user_id('learner_d'), tests.get_user_id('outsider'));
update public.profiles set show_on_leaderboards = false where id = tests.get_user_id('learner_f');
insert into public.follows (follower_id, followee_id)
select tests.get_user_id(f), tests.get_user_id(t)
from (values ('learner_a', 'learner_b'), ('learner_a', 'learner_d'), ('learner_a', 'learner_e'), ('learner_a', 'learner_f'),
             ('learner_a', 'outsider'), ('outsider', 'learner_a'), ('outsider', 'learner_b'), ('outsider', 'learner_d'),
             ('instructor_1', 'learner_a'), ('instructor_1', 'learner_b'), ('instructor_1', 'learner_d'),
             ('learner_f', 'learner_a')) x (f, t);

select ok((select count(*) from private.leaderboard_histogram_shards) > 0,
  'the fixture leaves histogram shards unfolded (readers add them to the compacted counts)');

-- ---------------------------------------------------------------------------
-- Comparison
-- ---------------------------------------------------------------------------
-- A call's result, or its error code.
create function tests.lb104_try(p_sql text) returns jsonb
language plpgsql as $$
declare
  v jsonb;
begin
  execute p_sql into v;
  return v;
exception when others then
  return jsonb_build_object('error', sqlstate);
end;
$$;

create table tests.lb104_calls (caller text, call text, now jsonb, before jsonb);

-- Every board with entries (and some empty or invalid ones), first page and a page inside the
-- board, as every caller; the followed board for every caller and period.
create function tests.lb104_compare() returns void
language plpgsql as $$
declare
  v_caller text;
  v_claims jsonb;
  b record;
  v_args text;
  v_call text;
begin
  for v_caller, v_claims in
    select a, tests.user_claims(a) from unnest(array['learner_a', 'learner_b', 'learner_d', 'learner_f', 'instructor_1',
                                                     'owner_1', 'admin_2', 'platform_admin', 'outsider']) a
    union all select 'service_role', '{"role": "service_role"}'::jsonb
    union all select 'anon', '{"role": "anon"}'::jsonb
  loop
    perform set_config('request.jwt.claims', v_claims::text, true);
    for b in
      select distinct s.scope, s.board, s.period, s.exam_id from private.leaderboard_scores s
      union select '00000000-0000-0000-0000-000000000000', 'accuracy', 'weekly', ''
      union select '00000000-0000-0000-0000-000000000000', 'exam', 'all_time', 'no-such-exam'
      union select '00000000-0000-0000-0000-000000000000', 'streak', 'weekly', ''
    loop
      foreach v_args in array array['100, 0', '2, 1', '1, 3'] loop
        v_call := format('(%L, %L, %L, %L, %s)', b.board, b.period, nullif(b.exam_id, ''),
                         nullif(b.scope, '00000000-0000-0000-0000-000000000000'::uuid), v_args);
        insert into tests.lb104_calls values
          (v_caller, 'get_leaderboard' || v_call,
           tests.lb104_try('select public.get_leaderboard' || v_call), tests.lb104_try('select before_reads.get_leaderboard' || v_call)),
          (v_caller, 'get_leaderboard_unmasked' || v_call,
           tests.lb104_try('select private.get_leaderboard_unmasked' || v_call),
           tests.lb104_try('select before_reads.get_leaderboard_unmasked' || v_call));
      end loop;
    end loop;
    for v_call in select format('(%L, %L)', x.board, x.period)
                  from (values ('xp', 'all_time'), ('xp', 'weekly'), ('xp', 'monthly'), ('streak', 'all_time'),
                               ('streak', 'weekly'), ('quiz_count', 'all_time')) x (board, period) loop
      insert into tests.lb104_calls values
        (v_caller, 'get_following_leaderboard' || v_call,
         tests.lb104_try('select public.get_following_leaderboard' || v_call),
         tests.lb104_try('select before_reads.get_following_leaderboard' || v_call));
    end loop;
  end loop;
  perform set_config('request.jwt.claims', '', true);
end;
$$;
select tests.lb104_compare();

select is_empty($$ select caller || ' ' || call || ': ' || now::text || ' <> ' || before::text
                   from tests.lb104_calls where call like 'get_leaderboard(%' and now is distinct from before $$,
  'get_leaderboard returns what it returned before, for every caller, board and page');
select is_empty($$ select caller || ' ' || call || ': ' || now::text || ' <> ' || before::text
                   from tests.lb104_calls where call like 'get_leaderboard_unmasked(%' and now is distinct from before $$,
  'get_leaderboard_unmasked returns what it returned before');
select is_empty($$ select caller || ' ' || call || ': ' || now::text || ' <> ' || before::text
                   from tests.lb104_calls where call like 'get_following_leaderboard(%' and now is distinct from before $$,
  'get_following_leaderboard returns what it returned before');

-- The comparison is not vacuous: pages with entries, masked entries, ranks shared by ties inside
-- a page that starts deep in the board, own entries, followed boards with masked-out followees, errors.
select ok((select count(*) from tests.lb104_calls c, jsonb_array_elements(c.now -> 'entries') e
           where c.call like 'get_leaderboard(%' and (e ->> 'anonymous')::boolean) > 0
          and (select count(*) from tests.lb104_calls c, jsonb_array_elements(c.now -> 'entries') e
               where c.call like 'get_leaderboard(%' and e ->> 'anonymous' is null) > 0,
  'the pages compared hold both visible and masked entries');
select ok(exists (select 1 from tests.lb104_calls c
                  where c.call like 'get_leaderboard(%, 1)' and jsonb_array_length(c.now -> 'entries') = 2
                    and (c.now -> 'entries' -> 0 ->> 'rank') = (c.now -> 'entries' -> 1 ->> 'rank')
                    and (c.now -> 'entries' -> 0 ->> 'rank')::int > 1),
  'some page starting inside the board has tied entries sharing a rank from the histogram');
select ok((select count(*) from tests.lb104_calls c where c.now -> 'current_user_entry' ? 'position') > 10
          and exists (select 1 from tests.lb104_calls c where (c.now ->> 'current_user_opted_out')::boolean),
  'own entries (and an opted-out caller) are compared');
select ok(exists (select 1 from tests.lb104_calls c where c.caller = 'outsider' and c.call like 'get_following_leaderboard(''xp'', ''all_time'')'
                  and jsonb_array_length(c.now -> 'entries') between 2 and 3),
  'the outsider''s followed board leaves out the followees it may not see (learner_b private, learner_d in an organisation it is not in)');
select ok((select count(distinct c.now ->> 'error') from tests.lb104_calls c where c.now ? 'error') >= 2,
  'errors are compared too (22023 invalid boards, 42501 anon and outsiders of an organisation)');

-- The rank and total helpers, for every board and scores on, between and beyond its entries.
select is_empty($$
  select format('%s %s %s %s %s', b.scope, b.board, b.period, b.exam_id, x.score)
  from (select distinct s.scope, s.board, s.period, s.period_start, s.exam_id from private.leaderboard_scores s) b
  cross join lateral (select s.score from private.leaderboard_scores s
                      where s.scope = b.scope and s.board = b.board and s.period = b.period and s.exam_id = b.exam_id
                      union select s.score + 0.5 from private.leaderboard_scores s
                      where s.scope = b.scope and s.board = b.board and s.period = b.period and s.exam_id = b.exam_id
                      union values (0::numeric), (1e9::numeric)) x (score)
  where private.leaderboard_higher(b.scope, b.board, b.period, b.period_start, b.exam_id, x.score)
          <> before_reads.leaderboard_higher(b.scope, b.board, b.period, b.period_start, b.exam_id, x.score)
     or private.leaderboard_total(b.scope, b.board, b.period, b.period_start, b.exam_id)
          <> before_reads.leaderboard_total(b.scope, b.board, b.period, b.period_start, b.exam_id) $$,
  'leaderboard_higher and leaderboard_total equal their previous definitions on every board');

-- The full recomputation (20261207110600) applies the streak-expiry rule as an expression instead
-- of calling private.leaderboard_streak_expiry: its streak rows equal the function applied to
-- every profile, at instants around the end of streaks in New York, Tokyo, a profile known only
-- by its activity date and one with a pending move to UTC+14.
update public.profiles set last_activity_at = null, last_activity_date = '2026-06-09', current_streak = 1
where id = tests.get_user_id('learner_d');
update public.profiles set pending_time_zone = 'Pacific/Kiritimati', pending_time_zone_from = '2026-06-11 10:00:00+00'
where id = tests.get_user_id('learner_e');
create function tests.lb104_streak_diff() returns setof text
language plpgsql as $$
declare
  v_at timestamptz;
begin
  foreach v_at in array array['2026-06-10 12:40:00+00', '2026-06-11 05:00:00+00', '2026-06-11 14:59:00+00', '2026-06-11 23:00:00+00',
                              '2026-06-12 03:59:00+00', '2026-06-12 11:00:00+00', '2026-06-12 23:30:00+00', '2026-06-13 12:00:00+00']::timestamptz[] loop
    perform tests.freeze_time(v_at);
    return query
      with now_rows as (
        select f.scope, f.user_id, f.score, f.volume, f.expires_at from private.leaderboard_full_scores f where f.board = 'streak'
      ), every_profile as (
        select sc.scope, p.id as user_id, p.current_streak::numeric as score, p.longest_streak::bigint as volume, x.expires_at
        from public.profiles p
        cross join lateral (select private.leaderboard_streak_expiry(p, private.clock()) as expires_at) x
        cross join lateral (select '00000000-0000-0000-0000-000000000000'::uuid as scope
                            union all select m.organization_id from public.organization_members m where m.user_id = p.id) sc
        where x.expires_at is not null and p.show_on_leaderboards
      )
      select format('%s: %s', v_at, d) from (
        (select 'view only ' || n::text as d from now_rows n except select 'view only ' || e::text from every_profile e)
        union all
        (select 'function only ' || e::text from every_profile e except select 'function only ' || n::text from now_rows n)) x;
  end loop;
  perform tests.freeze_time('2026-06-10 12:40:00+00');
end;
$$;
select is_empty($$ select * from tests.lb104_streak_diff() $$,
  'the full recomputation''s streak rows equal the expiry function applied to every profile, at 8 instants');

-- ---------------------------------------------------------------------------
-- Access
-- ---------------------------------------------------------------------------
select is_empty($$
  select r.rolname || ' ' || p.oid::regprocedure::text
  from (values ('anon'), ('authenticated'), ('service_role')) r (rolname)
  cross join pg_proc p
  where p.oid in ('private.leaderboard_page(public.leaderboard_board, public.leaderboard_period, text, uuid, integer, integer, boolean)'::regprocedure,
                  'private.leaderboard_count_above(uuid, public.leaderboard_board, public.leaderboard_period, timestamptz, text, integer, numeric)'::regprocedure,
                  'private.leaderboard_higher(uuid, public.leaderboard_board, public.leaderboard_period, timestamptz, text, numeric)'::regprocedure,
                  'private.get_leaderboard_unmasked(public.leaderboard_board, public.leaderboard_period, text, uuid, integer, integer)'::regprocedure,
                  'private.leaderboard_total(uuid, public.leaderboard_board, public.leaderboard_period, timestamptz, text)'::regprocedure,
                  'private.visible_profile_ids(uuid[])'::regprocedure)
    and has_function_privilege(r.rolname, p.oid, 'execute') $$,
  'no API role may run the unmasked page, its helpers or the unmasked wrapper');
select tests.authenticate_as('learner_a');
select throws_ok($$ select private.leaderboard_page('xp', 'all_time', null, null, 100, 0, false) $$, '42501', 'permission denied for function leaderboard_page',
  'a learner cannot call the page function directly (it could skip the mask)');
select tests.clear_authentication();
select ok(has_function_privilege('authenticated', 'public.get_leaderboard(public.leaderboard_board, public.leaderboard_period, text, uuid, integer, integer)', 'execute')
          and has_function_privilege('authenticated', 'public.get_following_leaderboard(public.leaderboard_board, public.leaderboard_period)', 'execute')
          and not has_function_privilege('anon', 'public.get_leaderboard(public.leaderboard_board, public.leaderboard_period, text, uuid, integer, integer)', 'execute')
          and not has_function_privilege('anon', 'public.get_following_leaderboard(public.leaderboard_board, public.leaderboard_period)', 'execute'),
  'signed-in users may still read the boards, anon may not');

select * from finish();
rollback;
