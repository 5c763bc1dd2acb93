-- Leaderboards after fair scoring.
--
-- Global boards count global practice only (no organisation-scoped attempt or XP), and the
-- quiz-count and accuracy boards count only quizzes of 10+ questions. The streak board follows
-- the streak zone in effect (profiles.streak_time_zone / pending_time_zone).
--
-- Organisation boards (get_leaderboard(p_organization => X)) are served from their own
-- materialized view, private.leaderboard_org: for each member of X, their global activity plus
-- their practice of X's own questions, ranked among X's members. XP earned on X's questions is
-- therefore visible on X's boards and nowhere else.
--
-- Announcements of changed (global) boards now go out on the PRIVATE realtime topic
-- `leaderboards` (realtime.send(..., private => true)); the policy that lets signed-in users
-- receive them, and none that lets anyone broadcast there, is in the next migration.

drop view private.leaderboard_fingerprints;
drop view private.leaderboard_entries;
drop materialized view private.leaderboard_xp;
drop materialized view private.leaderboard_quiz_count;
drop materialized view private.leaderboard_accuracy;
drop materialized view private.leaderboard_streak;
drop materialized view private.leaderboard_exam;

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
  where e.created_at >= (select b.month_start from bounds b) and e.organization_id is null
  group by e.user_id
  union all
  select 'weekly', e.user_id, sum(e.amount)::numeric
  from public.xp_events e
  where e.created_at >= (select b.week_start from bounds b) and e.organization_id is null
  group by e.user_id
)
select s.period, ''::text as exam_id, s.user_id, s.score,
       rank() over (partition by s.period order by s.score desc) as rank,
       row_number() over (partition by s.period order by s.score desc, s.user_id) as position
from scores s
join public.profiles p on p.id = s.user_id
where p.show_on_leaderboards and s.score > 0;
comment on materialized view private.leaderboard_xp is 'Global XP leaderboard (all_time from profiles.xp, monthly/weekly from global xp_events).';
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
    and a.organization_id is null and a.question_count >= private.min_qualifying_quiz_size()
  group by a.user_id
  union all
  select 'weekly', a.user_id, count(*)::numeric
  from public.quiz_attempts a
  where a.status = 'submitted' and a.submitted_at >= (select b.week_start from bounds b)
    and a.organization_id is null and a.question_count >= private.min_qualifying_quiz_size()
  group by a.user_id
)
select s.period, ''::text as exam_id, s.user_id, s.score,
       rank() over (partition by s.period order by s.score desc) as rank,
       row_number() over (partition by s.period order by s.score desc, s.user_id) as position
from scores s
join public.profiles p on p.id = s.user_id
where p.show_on_leaderboards;
comment on materialized view private.leaderboard_quiz_count is 'Global quizzes-completed leaderboard (quizzes of 10+ questions).';
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
    and a.organization_id is null and a.question_count >= private.min_qualifying_quiz_size()
  group by a.user_id
  having count(*) >= 10
  union all
  select 'weekly', a.user_id, round(sum(a.correct_count) * 100.0 / sum(a.question_count), 2), sum(a.question_count)
  from public.quiz_attempts a
  where a.status = 'submitted' and a.submitted_at >= (select b.week_start from bounds b)
    and a.organization_id is null and a.question_count >= private.min_qualifying_quiz_size()
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
  'Global accuracy leaderboard: % of questions answered correctly, for learners with 10+ completed quizzes (10+ questions each) in the period.';
create unique index leaderboard_accuracy_user_key on private.leaderboard_accuracy (period, exam_id, user_id);
create unique index leaderboard_accuracy_position_key on private.leaderboard_accuracy (period, exam_id, position);

create materialized view private.leaderboard_streak as
with scores as (
  select 'all_time'::public.leaderboard_period as period, p.id as user_id, p.current_streak::numeric as score,
         p.longest_streak
  from public.profiles p
  cross join lateral (
    select private.effective_streak_zone(p.streak_time_zone, p.pending_time_zone, p.pending_time_zone_from, private.clock()) as zone
  ) z
  where p.current_streak > 0
    and p.show_on_leaderboards
    -- A streak is live until the end of the day after the last activity, in the streak zone.
    and coalesce((p.last_activity_at at time zone z.zone)::date, p.last_activity_date)
        >= (private.clock() at time zone z.zone)::date - 1
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
  where a.status = 'submitted' and a.submitted_at >= (select b.month_start from bounds b) and a.organization_id is null
  group by a.exam_id, a.user_id
  union all
  select 'weekly', a.exam_id, a.user_id, sum(a.xp_earned)::numeric
  from public.quiz_attempts a
  where a.status = 'submitted' and a.submitted_at >= (select b.week_start from bounds b) and a.organization_id is null
  group by a.exam_id, a.user_id
)
select s.period, s.exam_id, s.user_id, s.score,
       rank() over (partition by s.period, s.exam_id order by s.score desc) as rank,
       row_number() over (partition by s.period, s.exam_id order by s.score desc, s.user_id) as position
from scores s
join public.profiles p on p.id = s.user_id
where p.show_on_leaderboards and s.score > 0;
comment on materialized view private.leaderboard_exam is 'Global per-exam leaderboard: global quiz XP earned on the exam.';
create unique index leaderboard_exam_user_key on private.leaderboard_exam (period, exam_id, user_id);
create unique index leaderboard_exam_position_key on private.leaderboard_exam (period, exam_id, position);

-- Organisation boards: per membership, global activity plus practice of that organisation's questions.
create materialized view private.leaderboard_org as
with bounds as (
  select private.period_start('monthly') as month_start, private.period_start('weekly') as week_start
),
periods as (
  select 'all_time'::public.leaderboard_period as period, '-infinity'::timestamptz as since
  union all select 'monthly', (select b.month_start from bounds b)
  union all select 'weekly', (select b.week_start from bounds b)
),
members as (
  select m.organization_id, m.user_id from public.organization_members m
),
-- Submitted attempts that count on an organisation's boards: global ones and its own.
attempts as (
  select m.organization_id, a.user_id, a.exam_id, a.submitted_at, a.question_count, a.correct_count, a.xp_earned
  from members m
  join public.quiz_attempts a on a.user_id = m.user_id
  where a.status = 'submitted' and (a.organization_id is null or a.organization_id = m.organization_id)
),
scores as (
  -- xp: all_time is global XP plus the organisation's own XP; periods sum the ledger
  select m.organization_id, 'xp'::public.leaderboard_board as board, 'all_time'::public.leaderboard_period as period,
         ''::text as exam_id, m.user_id, (p.xp + coalesce(o.amount, 0))::numeric as score, 0::bigint as volume
  from members m
  join public.profiles p on p.id = m.user_id
  left join lateral (
    select sum(e.amount) as amount from public.xp_events e
    where e.user_id = m.user_id and e.organization_id = m.organization_id
  ) o on true
  union all
  select m.organization_id, 'xp', pr.period, '', m.user_id, sum(e.amount)::numeric, 0
  from members m
  cross join periods pr
  join public.xp_events e on e.user_id = m.user_id and e.created_at >= pr.since
    and (e.organization_id is null or e.organization_id = m.organization_id)
  where pr.period <> 'all_time'
  group by m.organization_id, pr.period, m.user_id
  union all
  select t.organization_id, 'quiz_count', pr.period, '', t.user_id, count(*)::numeric, 0
  from attempts t
  cross join periods pr
  where t.submitted_at >= pr.since and t.question_count >= private.min_qualifying_quiz_size()
  group by t.organization_id, pr.period, t.user_id
  union all
  select t.organization_id, 'accuracy', pr.period, '', t.user_id,
         round(sum(t.correct_count) * 100.0 / sum(t.question_count), 2), sum(t.question_count)
  from attempts t
  cross join periods pr
  where t.submitted_at >= pr.since and t.question_count >= private.min_qualifying_quiz_size()
  group by t.organization_id, pr.period, t.user_id
  having count(*) >= 10
  union all
  select m.organization_id, 'streak', 'all_time', '', m.user_id, p.current_streak::numeric, p.longest_streak::bigint
  from members m
  join public.profiles p on p.id = m.user_id
  cross join lateral (
    select private.effective_streak_zone(p.streak_time_zone, p.pending_time_zone, p.pending_time_zone_from, private.clock()) as zone
  ) z
  where p.current_streak > 0
    and coalesce((p.last_activity_at at time zone z.zone)::date, p.last_activity_date) >= (private.clock() at time zone z.zone)::date - 1
  union all
  select t.organization_id, 'exam', pr.period, t.exam_id, t.user_id, sum(t.xp_earned)::numeric, 0
  from attempts t
  cross join periods pr
  where t.submitted_at >= pr.since
  group by t.organization_id, pr.period, t.exam_id, t.user_id
)
select s.organization_id, s.board, s.period, s.exam_id, s.user_id, s.score,
       rank() over (partition by s.organization_id, s.board, s.period, s.exam_id order by s.score desc) as rank,
       row_number() over (partition by s.organization_id, s.board, s.period, s.exam_id
                          order by s.score desc, s.volume desc, s.user_id) as position
from scores s
join public.profiles p on p.id = s.user_id
where p.show_on_leaderboards and (s.score > 0 or s.board in ('quiz_count', 'accuracy'));
comment on materialized view private.leaderboard_org is
  'Organisation leaderboards: for each member, global activity plus practice of the organisation''s own questions, ranked among its members (same boards and periods as the global ones).';
create unique index leaderboard_org_user_key on private.leaderboard_org (organization_id, board, period, exam_id, user_id);
create unique index leaderboard_org_position_key on private.leaderboard_org (organization_id, board, period, exam_id, position);

revoke all on private.leaderboard_xp, private.leaderboard_quiz_count, private.leaderboard_accuracy,
  private.leaderboard_streak, private.leaderboard_exam, private.leaderboard_org from public, anon, authenticated;

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
  'Every global leaderboard entry (board, period, exam_id, user_id, score, rank, position), over the five materialized views.';

create view private.leaderboard_fingerprints as
select b.board, b.period, b.exam_id, count(*) as entries,
       md5(coalesce(string_agg(b.user_id::text || ':' || b.score::text, ',' order by b.position)
                    filter (where b.position <= 100), '')
           || '|' || count(*)::text || '|' || sum(b.score)::text) as fingerprint
from private.leaderboard_entries b
group by b.board, b.period, b.exam_id;
comment on view private.leaderboard_fingerprints is
  'One fingerprint per global board (top 100, entry count, score sum): a board "changed" when its fingerprint did.';

-- ---------------------------------------------------------------------------
-- Refresh: also the organisation boards; announcements on the private topic
-- ---------------------------------------------------------------------------

create or replace function private.refresh_leaderboards()
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
  refresh materialized view concurrently private.leaderboard_org;
  -- Fresh statistics so that the RPC's plans (page by position, entry by user) stay index scans.
  analyze private.leaderboard_xp, private.leaderboard_quiz_count, private.leaderboard_accuracy,
    private.leaderboard_streak, private.leaderboard_exam, private.leaderboard_org;

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
    -- Private topic: only the database writes it; signed-in users may receive (policy on realtime.messages).
    perform realtime.send(
      jsonb_build_object('boards', v_changed, 'refreshed_at', v_now),
      'leaderboard_changed',
      'leaderboards',
      true);
  end if;

  v_duration := round(extract(epoch from clock_timestamp() - v_started)::numeric * 1000, 1);
  insert into private.leaderboard_runs (refreshed_at, duration_ms, changed) values (v_now, v_duration, v_changed);
  delete from private.leaderboard_runs r where r.refreshed_at < v_now - interval '7 days';

  return jsonb_build_object('refreshed_at', v_now, 'duration_ms', v_duration, 'changed', v_changed);
end;
$$;
comment on function private.refresh_leaderboards() is
  'Refreshes every leaderboard view (global and organisation) concurrently, announces the global boards that changed on the private realtime topic leaderboards (event leaderboard_changed), logs the run; returns {refreshed_at, duration_ms, changed}.';

-- ---------------------------------------------------------------------------
-- get_leaderboard: organisation boards from their own view
-- ---------------------------------------------------------------------------

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
    select l.position into v_total
    from private.leaderboard_org l
    where l.organization_id = p_organization and l.board = p_board and l.period = p_period and l.exam_id = v_exam
    order by l.position desc
    limit 1;
    v_total := coalesce(v_total, 0);

    -- Members who left since the last refresh, or opted out, are left out at once.
    select coalesce(jsonb_agg(jsonb_build_object(
             'rank', e.rank, 'position', e.position, 'user_id', e.user_id, 'username', e.username,
             'display_name', e.display_name, 'avatar_url', e.avatar_url, 'level', e.level,
             'score', e.score, 'is_current_user', e.user_id is not distinct from v_uid) order by e.position), '[]'::jsonb)
      into v_entries
    from (
      select l.rank, l.position, l.user_id, l.score, p.username, p.display_name, p.level, av.image_url as avatar_url
      from private.leaderboard_org l
      join public.profiles p on p.id = l.user_id
      join public.organization_members m on m.organization_id = l.organization_id and m.user_id = l.user_id
      left join public.avatars av on av.id = p.selected_avatar_id
      where l.organization_id = p_organization and l.board = p_board and l.period = p_period and l.exam_id = v_exam
        and l.position > p_offset and p.show_on_leaderboards
      order by l.position
      limit p_limit
    ) e;

    select jsonb_build_object(
             'rank', l.rank, 'position', l.position, 'user_id', l.user_id, 'username', p.username,
             'display_name', p.display_name, 'avatar_url', av.image_url, 'level', p.level,
             'score', l.score, 'is_current_user', true)
      into v_me
    from private.leaderboard_org l
    join public.profiles p on p.id = l.user_id
    left join public.avatars av on av.id = p.selected_avatar_id
    where l.organization_id = p_organization and l.board = p_board and l.period = p_period and l.exam_id = v_exam
      and l.user_id = v_uid and p.show_on_leaderboards;
  end if;

  return jsonb_build_object(
    'board', p_board, 'period', p_period, 'exam_id', p_exam, 'organization_id', p_organization,
    'total', v_total, 'limit', p_limit, 'offset', p_offset, 'refreshed_at', v_refreshed_at,
    'entries', v_entries, 'current_user_entry', v_me, 'current_user_opted_out', coalesce(v_opted_out, false));
end;
$$;
comment on function public.get_leaderboard(public.leaderboard_board, public.leaderboard_period, text, uuid, integer, integer) is
  'A leaderboard page: {board, period, exam_id, organization_id, total, limit, offset, refreshed_at, entries: [{rank, position, user_id, username, display_name, avatar_url, level, score, is_current_user}], current_user_entry, current_user_opted_out}. Global (global practice only), or an organisation the caller belongs to (its members'' global practice plus practice of its own questions). Opted-out learners never appear.';

revoke execute on all functions in schema private from public;
