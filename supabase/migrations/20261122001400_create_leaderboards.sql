-- Leaderboards, served from materialized views in `private` (never exposed) that pg_cron refreshes
-- concurrently every five minutes through private.refresh_leaderboards(), and on demand through
-- refresh_leaderboards(). One stable RPC, get_leaderboard(), reads them: a page of entries, the
-- total, and the caller's own entry even when it is outside the page; global or per organisation.
-- Learners who opted out (profiles.show_on_leaderboards = false) never appear. After each refresh
-- the boards whose content changed are announced with realtime.send on the public topic
-- `leaderboards` (event `leaderboard_changed`, payload {boards: [{board, period, exam_id}], refreshed_at}).
--
-- Boards: xp (XP earned), quiz_count (quizzes submitted), accuracy (% correct, 10+ quizzes in the
-- period), streak (current streak, all_time only), exam (quiz XP earned on one exam). Periods:
-- all_time, monthly and weekly calendar periods in UTC. Every view has the same columns:
-- period, exam_id ('' except for the exam board), user_id, score, rank (ties share a rank) and
-- position (1..n, unique, for paging; the board's total is its largest position). No column
-- depends on the number of entries, so a refresh rewrites only the rows whose rank moved.

create function private.period_start(p_period public.leaderboard_period)
returns timestamptz
language sql
stable
set search_path = ''
as $$
  select case p_period
    when 'weekly' then date_trunc('week', private.clock() at time zone 'UTC') at time zone 'UTC'
    when 'monthly' then date_trunc('month', private.clock() at time zone 'UTC') at time zone 'UTC'
    else '-infinity'::timestamptz
  end
$$;
comment on function private.period_start(public.leaderboard_period) is
  'Start of the current leaderboard period: Monday 00:00 UTC (weekly), the 1st 00:00 UTC (monthly), -infinity (all_time).';

create materialized view private.leaderboard_xp as
with bounds as (
  select private.period_start('monthly') as month_start, private.period_start('weekly') as week_start
),
scores as (
  select 'all_time'::public.leaderboard_period as period, p.id as user_id, p.xp::numeric as score
  from public.profiles p
  where p.xp > 0
  union all
  select 'monthly', e.user_id, sum(e.amount)::numeric
  from public.xp_events e
  where e.created_at >= (select b.month_start from bounds b)
  group by e.user_id
  union all
  select 'weekly', e.user_id, sum(e.amount)::numeric
  from public.xp_events e
  where e.created_at >= (select b.week_start from bounds b)
  group by e.user_id
)
select s.period, ''::text as exam_id, s.user_id, s.score,
       rank() over (partition by s.period order by s.score desc) as rank,
       row_number() over (partition by s.period order by s.score desc, s.user_id) as position
from scores s
join public.profiles p on p.id = s.user_id
where p.show_on_leaderboards and s.score > 0;
comment on materialized view private.leaderboard_xp is 'XP leaderboard (all_time from profiles.xp, monthly/weekly from xp_events).';
create unique index leaderboard_xp_user_key on private.leaderboard_xp (period, exam_id, user_id);
create unique index leaderboard_xp_position_key on private.leaderboard_xp (period, exam_id, position);

create materialized view private.leaderboard_quiz_count as
with bounds as (
  select private.period_start('monthly') as month_start, private.period_start('weekly') as week_start
),
scores as (
  select 'all_time'::public.leaderboard_period as period, p.id as user_id, p.quizzes_completed::numeric as score
  from public.profiles p
  where p.quizzes_completed > 0
  union all
  select 'monthly', a.user_id, count(*)::numeric
  from public.quiz_attempts a
  where a.status = 'submitted' and a.submitted_at >= (select b.month_start from bounds b)
  group by a.user_id
  union all
  select 'weekly', a.user_id, count(*)::numeric
  from public.quiz_attempts a
  where a.status = 'submitted' and a.submitted_at >= (select b.week_start from bounds b)
  group by a.user_id
)
select s.period, ''::text as exam_id, s.user_id, s.score,
       rank() over (partition by s.period order by s.score desc) as rank,
       row_number() over (partition by s.period order by s.score desc, s.user_id) as position
from scores s
join public.profiles p on p.id = s.user_id
where p.show_on_leaderboards;
comment on materialized view private.leaderboard_quiz_count is 'Quizzes-completed leaderboard.';
create unique index leaderboard_quiz_count_user_key on private.leaderboard_quiz_count (period, exam_id, user_id);
create unique index leaderboard_quiz_count_position_key on private.leaderboard_quiz_count (period, exam_id, position);

create materialized view private.leaderboard_accuracy as
with bounds as (
  select private.period_start('monthly') as month_start, private.period_start('weekly') as week_start
),
scores as (
  select 'all_time'::public.leaderboard_period as period, p.id as user_id,
         round(p.correct_answers * 100.0 / p.questions_answered, 2) as score, p.questions_answered::bigint as volume
  from public.profiles p
  where p.quizzes_completed >= 10 and p.questions_answered > 0
  union all
  select 'monthly', a.user_id, round(sum(a.correct_count) * 100.0 / sum(a.question_count), 2), sum(a.question_count)
  from public.quiz_attempts a
  where a.status = 'submitted' and a.submitted_at >= (select b.month_start from bounds b)
  group by a.user_id
  having count(*) >= 10
  union all
  select 'weekly', a.user_id, round(sum(a.correct_count) * 100.0 / sum(a.question_count), 2), sum(a.question_count)
  from public.quiz_attempts a
  where a.status = 'submitted' and a.submitted_at >= (select b.week_start from bounds b)
  group by a.user_id
  having count(*) >= 10
)
select s.period, ''::text as exam_id, s.user_id, s.score,
       rank() over (partition by s.period order by s.score desc) as rank,
       row_number() over (partition by s.period order by s.score desc, s.volume desc, s.user_id) as position
from scores s
join public.profiles p on p.id = s.user_id
where p.show_on_leaderboards;
comment on materialized view private.leaderboard_accuracy is
  'Accuracy leaderboard: % of questions answered correctly, for learners with 10+ quizzes in the period.';
create unique index leaderboard_accuracy_user_key on private.leaderboard_accuracy (period, exam_id, user_id);
create unique index leaderboard_accuracy_position_key on private.leaderboard_accuracy (period, exam_id, position);

create materialized view private.leaderboard_streak as
with scores as (
  select 'all_time'::public.leaderboard_period as period, p.id as user_id, p.current_streak::numeric as score,
         p.longest_streak
  from public.profiles p
  where p.current_streak > 0
    and p.show_on_leaderboards
    -- A streak is live until the end of the day after the last activity, in the learner's zone.
    and p.last_activity_date >= ((select private.clock()) at time zone p.time_zone)::date - 1
)
select s.period, ''::text as exam_id, s.user_id, s.score,
       rank() over (partition by s.period order by s.score desc) as rank,
       row_number() over (partition by s.period order by s.score desc, s.longest_streak desc, s.user_id) as position
from scores s;
comment on materialized view private.leaderboard_streak is 'Current-streak leaderboard (live streaks only; all_time period).';
create unique index leaderboard_streak_user_key on private.leaderboard_streak (period, exam_id, user_id);
create unique index leaderboard_streak_position_key on private.leaderboard_streak (period, exam_id, position);

create materialized view private.leaderboard_exam as
with bounds as (
  select private.period_start('monthly') as month_start, private.period_start('weekly') as week_start
),
scores as (
  select 'all_time'::public.leaderboard_period as period, s.exam_id, s.user_id, s.xp_earned::numeric as score
  from public.learner_exam_stats s
  where s.xp_earned > 0
  union all
  select 'monthly', a.exam_id, a.user_id, sum(a.xp_earned)::numeric
  from public.quiz_attempts a
  where a.status = 'submitted' and a.submitted_at >= (select b.month_start from bounds b)
  group by a.exam_id, a.user_id
  union all
  select 'weekly', a.exam_id, a.user_id, sum(a.xp_earned)::numeric
  from public.quiz_attempts a
  where a.status = 'submitted' and a.submitted_at >= (select b.week_start from bounds b)
  group by a.exam_id, a.user_id
)
select s.period, s.exam_id, s.user_id, s.score,
       rank() over (partition by s.period, s.exam_id order by s.score desc) as rank,
       row_number() over (partition by s.period, s.exam_id order by s.score desc, s.user_id) as position
from scores s
join public.profiles p on p.id = s.user_id
where p.show_on_leaderboards and s.score > 0;
comment on materialized view private.leaderboard_exam is 'Per-exam leaderboard: quiz XP earned on the exam.';
create unique index leaderboard_exam_user_key on private.leaderboard_exam (period, exam_id, user_id);
create unique index leaderboard_exam_position_key on private.leaderboard_exam (period, exam_id, position);

revoke all on private.leaderboard_xp, private.leaderboard_quiz_count, private.leaderboard_accuracy,
  private.leaderboard_streak, private.leaderboard_exam from public, anon, authenticated;

-- ---------------------------------------------------------------------------
-- Refresh and change announcements
-- ---------------------------------------------------------------------------

-- All boards as one relation, for the RPC and the fingerprints: a query filtering on a constant
-- board touches only that board's view (the other branches are pruned or skipped at run time).
create view private.leaderboard_entries as
select 'xp'::public.leaderboard_board as board, l.* from private.leaderboard_xp l
union all
select 'quiz_count'::public.leaderboard_board, l.* from private.leaderboard_quiz_count l
union all
select 'accuracy'::public.leaderboard_board, l.* from private.leaderboard_accuracy l
union all
select 'streak'::public.leaderboard_board, l.* from private.leaderboard_streak l
union all
select 'exam'::public.leaderboard_board, l.* from private.leaderboard_exam l;
comment on view private.leaderboard_entries is
  'Every leaderboard entry (board, period, exam_id, user_id, score, rank, position), over the five materialized views.';

create view private.leaderboard_fingerprints as
select b.board, b.period, b.exam_id, count(*) as entries,
       md5(coalesce(string_agg(b.user_id::text || ':' || b.score::text, ',' order by b.position)
                    filter (where b.position <= 100), '')
           || '|' || count(*)::text || '|' || sum(b.score)::text) as fingerprint
from private.leaderboard_entries b
group by b.board, b.period, b.exam_id;
comment on view private.leaderboard_fingerprints is
  'One fingerprint per board (top 100, entry count, score sum): a board "changed" when its fingerprint did.';

create table private.leaderboard_state (
  board public.leaderboard_board not null,
  period public.leaderboard_period not null,
  exam_id text not null,
  entries bigint not null,
  fingerprint text not null,
  primary key (board, period, exam_id)
);
comment on table private.leaderboard_state is 'Fingerprint of each board after the last refresh.';

create table private.leaderboard_runs (
  id bigint generated always as identity primary key,
  refreshed_at timestamptz not null,
  duration_ms numeric not null,
  changed jsonb not null
);
comment on table private.leaderboard_runs is 'Log of leaderboard refreshes (kept 7 days).';
create index leaderboard_runs_refreshed_at_idx on private.leaderboard_runs (refreshed_at desc);
-- Not exposed and granted to no API role; RLS with no policy as well, so a stray grant still shows nothing.
alter table private.leaderboard_state enable row level security;
alter table private.leaderboard_runs enable row level security;

create function private.refresh_leaderboards()
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
set work_mem = '64MB'
as $$
declare
  v_started timestamptz := clock_timestamp();
  v_now timestamptz := private.clock();
  v_fingerprints jsonb;
  v_changed jsonb;
  v_duration numeric;
begin
  -- One refresh at a time; a second caller waits and then refreshes again.
  perform pg_advisory_xact_lock(hashtext('ascend.refresh_leaderboards'));

  refresh materialized view concurrently private.leaderboard_xp;
  refresh materialized view concurrently private.leaderboard_quiz_count;
  refresh materialized view concurrently private.leaderboard_accuracy;
  refresh materialized view concurrently private.leaderboard_streak;
  refresh materialized view concurrently private.leaderboard_exam;
  -- Fresh statistics so that the RPC's plans (page by position, entry by user) stay index scans.
  analyze private.leaderboard_xp, private.leaderboard_quiz_count, private.leaderboard_accuracy,
    private.leaderboard_streak, private.leaderboard_exam;

  select coalesce(jsonb_agg(to_jsonb(f)), '[]'::jsonb) into v_fingerprints from private.leaderboard_fingerprints f;

  select coalesce(jsonb_agg(jsonb_build_object('board', coalesce(f.board, s.board), 'period', coalesce(f.period, s.period),
                                               'exam_id', nullif(coalesce(f.exam_id, s.exam_id), ''))
                            order by coalesce(f.board, s.board), coalesce(f.period, s.period), coalesce(f.exam_id, s.exam_id)), '[]'::jsonb)
    into v_changed
  from jsonb_to_recordset(v_fingerprints) f (board public.leaderboard_board, period public.leaderboard_period, exam_id text, entries bigint, fingerprint text)
  full join private.leaderboard_state s on s.board = f.board and s.period = f.period and s.exam_id = f.exam_id
  where f.fingerprint is distinct from s.fingerprint;

  delete from private.leaderboard_state;
  insert into private.leaderboard_state (board, period, exam_id, entries, fingerprint)
  select f.board, f.period, f.exam_id, f.entries, f.fingerprint
  from jsonb_to_recordset(v_fingerprints) f (board public.leaderboard_board, period public.leaderboard_period, exam_id text, entries bigint, fingerprint text);

  if jsonb_array_length(v_changed) > 0 then
    perform realtime.send(
      jsonb_build_object('boards', v_changed, 'refreshed_at', v_now),
      'leaderboard_changed',
      'leaderboards',
      false);
  end if;

  v_duration := round(extract(epoch from clock_timestamp() - v_started)::numeric * 1000, 1);
  insert into private.leaderboard_runs (refreshed_at, duration_ms, changed) values (v_now, v_duration, v_changed);
  delete from private.leaderboard_runs r where r.refreshed_at < v_now - interval '7 days';

  return jsonb_build_object('refreshed_at', v_now, 'duration_ms', v_duration, 'changed', v_changed);
end;
$$;
comment on function private.refresh_leaderboards() is
  'Refreshes every leaderboard view concurrently, announces the boards that changed on realtime topic leaderboards (event leaderboard_changed), logs the run; returns {refreshed_at, duration_ms, changed}.';

select cron.schedule('ascend-refresh-leaderboards', '*/5 * * * *', 'select private.refresh_leaderboards()');

create function public.refresh_leaderboards()
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  if not (private.is_platform_admin() or private.is_service_role()) then
    raise exception using
      errcode = '42501',
      message = 'only platform admins (or the service role) refresh leaderboards on demand',
      hint = 'leaderboards refresh by themselves every five minutes';
  end if;
  return private.refresh_leaderboards();
end;
$$;
comment on function public.refresh_leaderboards() is
  'On-demand refresh of every leaderboard (platform admins, service role). Returns {refreshed_at, duration_ms, changed}.';
revoke execute on function public.refresh_leaderboards() from public, anon;
grant execute on function public.refresh_leaderboards() to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- get_leaderboard
-- ---------------------------------------------------------------------------

create function public.get_leaderboard(
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
  v_total bigint;
  v_entries jsonb;
  v_me jsonb;
  v_opted_out boolean;
  v_refreshed_at timestamptz;
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

  select coalesce(not p.show_on_leaderboards, false) into v_opted_out from public.profiles p where p.id = v_uid;
  select max(r.refreshed_at) into v_refreshed_at from private.leaderboard_runs r;

  if p_organization is null then
    select l.position into v_total
    from private.leaderboard_entries l
    where l.board = p_board and l.period = p_period and l.exam_id = v_exam
    order by l.position desc
    limit 1;
    v_total := coalesce(v_total, 0);

    select coalesce(jsonb_agg(jsonb_build_object(
             'rank', e.rank, 'position', e.position, 'user_id', e.user_id, 'username', e.username,
             'display_name', e.display_name, 'avatar_url', e.avatar_url, 'level', e.level,
             'score', e.score, 'is_current_user', e.user_id is not distinct from v_uid) order by e.position), '[]'::jsonb)
      into v_entries
    from (
      select l.rank, l.position, l.user_id, l.score, p.username, p.display_name, p.level, av.image_url as avatar_url
      from private.leaderboard_entries l
      join public.profiles p on p.id = l.user_id
      left join public.avatars av on av.id = p.selected_avatar_id
      where l.board = p_board and l.period = p_period and l.exam_id = v_exam
        and l.position > p_offset and p.show_on_leaderboards
      order by l.position
      limit p_limit
    ) e;

    select jsonb_build_object(
             'rank', l.rank, 'position', l.position, 'user_id', l.user_id, 'username', p.username,
             'display_name', p.display_name, 'avatar_url', av.image_url, 'level', p.level,
             'score', l.score, 'is_current_user', true)
      into v_me
    from private.leaderboard_entries l
    join public.profiles p on p.id = l.user_id
    left join public.avatars av on av.id = p.selected_avatar_id
    where l.board = p_board and l.period = p_period and l.exam_id = v_exam
      and l.user_id = v_uid and p.show_on_leaderboards;
  else
    with ranked as (
      select l.user_id, l.score,
             rank() over (order by l.score desc) as rank,
             row_number() over (order by l.position) as position,
             count(*) over () as total,
             p.username, p.display_name, p.level, av.image_url as avatar_url
      from public.organization_members m
      -- lateral lookups: per member one probe of the board's user index and one of profiles_pkey,
      -- never a scan of the whole board or of every profile
      cross join lateral (
        select e.user_id, e.score, e.position from private.leaderboard_entries e
        where e.board = p_board and e.period = p_period and e.exam_id = v_exam and e.user_id = m.user_id
        limit 1
      ) l
      cross join lateral (
        select pr.username, pr.display_name, pr.level, pr.selected_avatar_id
        from public.profiles pr where pr.id = m.user_id and pr.show_on_leaderboards
        limit 1
      ) p
      left join public.avatars av on av.id = p.selected_avatar_id
      where m.organization_id = p_organization
    )
    select coalesce((select max(r.total) from ranked r), 0),
           coalesce((select jsonb_agg(jsonb_build_object(
                      'rank', r.rank, 'position', r.position, 'user_id', r.user_id, 'username', r.username,
                      'display_name', r.display_name, 'avatar_url', r.avatar_url, 'level', r.level,
                      'score', r.score, 'is_current_user', r.user_id is not distinct from v_uid) order by r.position)
                     from (select * from ranked r where r.position > p_offset order by r.position limit p_limit) r), '[]'::jsonb),
           (select jsonb_build_object(
                     'rank', r.rank, 'position', r.position, 'user_id', r.user_id, 'username', r.username,
                     'display_name', r.display_name, 'avatar_url', r.avatar_url, 'level', r.level,
                     'score', r.score, 'is_current_user', true)
            from ranked r where r.user_id = v_uid)
      into v_total, v_entries, v_me;
  end if;

  return jsonb_build_object(
    'board', p_board, 'period', p_period, 'exam_id', p_exam, 'organization_id', p_organization,
    'total', v_total, 'limit', p_limit, 'offset', p_offset, 'refreshed_at', v_refreshed_at,
    'entries', v_entries, 'current_user_entry', v_me, 'current_user_opted_out', coalesce(v_opted_out, false));
end;
$$;
comment on function public.get_leaderboard(public.leaderboard_board, public.leaderboard_period, text, uuid, integer, integer) is
  'A leaderboard page: {board, period, exam_id, organization_id, total, limit, offset, refreshed_at, entries: [{rank, position, user_id, username, display_name, avatar_url, level, score, is_current_user}], current_user_entry, current_user_opted_out}. Global, or ranked within an organisation the caller belongs to. Opted-out learners never appear.';
revoke execute on function public.get_leaderboard(public.leaderboard_board, public.leaderboard_period, text, uuid, integer, integer) from public, anon;
grant execute on function public.get_leaderboard(public.leaderboard_board, public.leaderboard_period, text, uuid, integer, integer) to authenticated, service_role;

revoke execute on all functions in schema private from public;
