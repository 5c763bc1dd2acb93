-- A faster full recomputation of the leaderboards (backfill, rebuild after bulk loads, the
-- reference pgTAP 90 compares the live boards with): the same rows.
--
-- Measured (EXPLAIN ANALYZE of private.leaderboard_full_scores): the streak rows took 535 of
-- ~1,000 ms at 10k learners and 17 of 40 s at 100k, calling private.leaderboard_streak_expiry
-- (a SQL function with SET search_path, never inlined, with another inside) for every profile,
-- ~130 µs a call. The view now applies the same rule as an expression, to profiles with a streak.
-- private.rebuild_leaderboards() writes the histogram in key order, so a board's buckets share a
-- few heap pages (a board's total read 154 rows from 83 pages after a rebuild at 10k).

create or replace view private.leaderboard_full_scores as
with bounds as (
  select private.period_start('monthly') as month_start, private.period_start('weekly') as week_start, private.clock() as now
),
periods as (
  select 'all_time'::public.leaderboard_period as period, '-infinity'::timestamptz as since
  union all select 'monthly', (select b.month_start from bounds b)
  union all select 'weekly', (select b.week_start from bounds b)
),
members as (
  select m.organization_id, m.user_id from public.organization_members m
),
org_attempts as (
  select m.organization_id, a.user_id, a.exam_id, a.submitted_at, a.question_count, a.correct_count, a.xp_earned
  from members m
  join public.quiz_attempts a on a.user_id = m.user_id
  where a.status = 'submitted' and (a.organization_id is null or a.organization_id = m.organization_id)
),
global_attempts as (
  select a.user_id, a.exam_id, a.submitted_at, a.question_count, a.correct_count, a.xp_earned
  from public.quiz_attempts a
  where a.status = 'submitted' and a.organization_id is null and a.submitted_at >= least((select b.month_start from bounds b), (select b.week_start from bounds b))
),
scores as (
  -- global boards
  select '00000000-0000-0000-0000-000000000000'::uuid as scope, 'xp'::public.leaderboard_board as board,
         'all_time'::public.leaderboard_period as period, '-infinity'::timestamptz as period_start, ''::text as exam_id,
         p.id as user_id, p.xp::numeric as score, 0::bigint as volume, null::timestamptz as expires_at
  from public.profiles p where p.xp > 0
  union all
  select '00000000-0000-0000-0000-000000000000', 'xp', pr.period, pr.since, '', e.user_id, sum(e.amount)::numeric, 0, null
  from periods pr join public.xp_events e on e.created_at >= pr.since and e.organization_id is null
  where pr.period <> 'all_time'
  group by pr.period, pr.since, e.user_id
  having sum(e.amount) > 0
  union all
  select '00000000-0000-0000-0000-000000000000', 'quiz_count', 'all_time', '-infinity', '', p.id, p.quizzes_completed::numeric, 0, null
  from public.profiles p where p.quizzes_completed > 0
  union all
  select '00000000-0000-0000-0000-000000000000', 'quiz_count', pr.period, pr.since, '', a.user_id, count(*)::numeric, 0, null
  from periods pr join global_attempts a on a.submitted_at >= pr.since
  where pr.period <> 'all_time' and a.question_count >= private.min_qualifying_quiz_size()
  group by pr.period, pr.since, a.user_id
  union all
  select '00000000-0000-0000-0000-000000000000', 'accuracy', 'all_time', '-infinity', '', p.id,
         round(p.correct_answers * 100.0 / p.questions_answered, 2), p.questions_answered::bigint, null
  from public.profiles p where p.quizzes_completed >= 10 and p.questions_answered > 0
  union all
  select '00000000-0000-0000-0000-000000000000', 'accuracy', pr.period, pr.since, '', a.user_id,
         round(sum(a.correct_count) * 100.0 / sum(a.question_count), 2), sum(a.question_count)::bigint, null
  from periods pr join global_attempts a on a.submitted_at >= pr.since
  where pr.period <> 'all_time' and a.question_count >= private.min_qualifying_quiz_size()
  group by pr.period, pr.since, a.user_id
  having count(*) >= 10
  union all
  select '00000000-0000-0000-0000-000000000000', 'exam', 'all_time', '-infinity', s.exam_id, s.user_id, s.xp_earned::numeric, 0, null
  from public.learner_exam_stats s where s.xp_earned > 0
  union all
  select '00000000-0000-0000-0000-000000000000', 'exam', pr.period, pr.since, a.exam_id, a.user_id, sum(a.xp_earned)::numeric, 0, null
  from periods pr join global_attempts a on a.submitted_at >= pr.since
  where pr.period <> 'all_time'
  group by pr.period, pr.since, a.exam_id, a.user_id
  having sum(a.xp_earned) > 0
  union all
  -- organisation boards
  select m.organization_id, 'xp', 'all_time', '-infinity', '', m.user_id, (p.xp + coalesce(o.amount, 0))::numeric, 0, null
  from members m
  join public.profiles p on p.id = m.user_id
  left join lateral (
    select sum(e.amount) as amount from public.xp_events e
    where e.user_id = m.user_id and e.organization_id = m.organization_id
  ) o on true
  where p.xp + coalesce(o.amount, 0) > 0
  union all
  select m.organization_id, 'xp', pr.period, pr.since, '', m.user_id, sum(e.amount)::numeric, 0, null
  from members m
  cross join periods pr
  join public.xp_events e on e.user_id = m.user_id and e.created_at >= pr.since
    and (e.organization_id is null or e.organization_id = m.organization_id)
  where pr.period <> 'all_time'
  group by m.organization_id, pr.period, pr.since, m.user_id
  having sum(e.amount) > 0
  union all
  select t.organization_id, 'quiz_count', pr.period, pr.since, '', t.user_id, count(*)::numeric, 0, null
  from org_attempts t cross join periods pr
  where t.submitted_at >= pr.since and t.question_count >= private.min_qualifying_quiz_size()
  group by t.organization_id, pr.period, pr.since, t.user_id
  union all
  select t.organization_id, 'accuracy', pr.period, pr.since, '', t.user_id,
         round(sum(t.correct_count) * 100.0 / sum(t.question_count), 2), sum(t.question_count)::bigint, null
  from org_attempts t cross join periods pr
  where t.submitted_at >= pr.since and t.question_count >= private.min_qualifying_quiz_size()
  group by t.organization_id, pr.period, pr.since, t.user_id
  having count(*) >= 10
  union all
  select t.organization_id, 'exam', pr.period, pr.since, t.exam_id, t.user_id, sum(t.xp_earned)::numeric, 0, null
  from org_attempts t cross join periods pr
  where t.submitted_at >= pr.since
  group by t.organization_id, pr.period, pr.since, t.exam_id, t.user_id
  having sum(t.xp_earned) > 0
  union all
  -- streak boards, global and per organisation
  -- private.leaderboard_streak_expiry's rule written out for every profile at once: the function
  -- (with private.effective_streak_zone inside, both SQL functions with SET search_path, never
  -- inlined) cost ~130 µs a profile, 17 of the 40 s of this view at 100k learners; the
  -- expression costs ~2 µs. pgTAP 104 proves both give the same rows (time zones, date-only
  -- activity, pending zone changes) and pgTAP 90 that they equal the incremental boards, which
  -- keep calling the function.
  select sc.scope, 'streak', 'all_time', '-infinity', '', p.id, p.current_streak::numeric, p.longest_streak::bigint, x.expires_at
  from bounds b
  join public.profiles p on p.current_streak > 0
  cross join lateral (
    select case when p.pending_time_zone is not null and p.pending_time_zone_from <= b.now then p.pending_time_zone
                else p.streak_time_zone end as zone) z
  cross join lateral (select coalesce((p.last_activity_at at time zone z.zone)::date, p.last_activity_date) as last_day) d
  cross join lateral (
    select case when d.last_day >= (b.now at time zone z.zone)::date - 1
                then least(((d.last_day + 2)::timestamp at time zone z.zone),
                           case when p.pending_time_zone is not null and p.pending_time_zone_from > b.now then p.pending_time_zone_from end)
           end as expires_at) x
  cross join lateral (
    select '00000000-0000-0000-0000-000000000000'::uuid as scope
    union all select m.organization_id from public.organization_members m where m.user_id = p.id
  ) sc
  where x.expires_at is not null
)
select s.scope, s.board, s.period, s.period_start, s.exam_id, s.user_id, s.score, s.volume, s.expires_at
from scores s
join public.profiles p on p.id = s.user_id
where p.show_on_leaderboards;
comment on view private.leaderboard_full_scores is
  'Every leaderboard row recomputed from scratch (set-based): what private.leaderboard_scores must equal. For backfills, private.rebuild_leaderboards() and tests.';

create or replace function private.rebuild_leaderboards()
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
set maintenance_work_mem = '256MB'
as $$
declare
  v_rows bigint;
begin
  perform pg_advisory_xact_lock(hashtext('ascend.refresh_leaderboards'));
  lock table private.leaderboard_scores, private.leaderboard_histogram, private.leaderboard_histogram_shards in exclusive mode;
  truncate private.leaderboard_scores, private.leaderboard_histogram, private.leaderboard_histogram_shards;
  -- Bulk load: rows first, then one sorted build per index and one join for the foreign key
  -- (instead of an index insertion and a lookup per row). All in this transaction.
  alter table private.leaderboard_scores drop constraint leaderboard_scores_user_id_fkey;
  drop index private.leaderboard_scores_rank_idx;
  drop index private.leaderboard_scores_expires_at_idx;
  alter table private.leaderboard_scores drop constraint leaderboard_scores_pkey;
  insert into private.leaderboard_scores (scope, board, period, period_start, exam_id, user_id, score, volume, expires_at)
  select f.scope, f.board, f.period, f.period_start, f.exam_id, f.user_id, f.score, f.volume, f.expires_at
  from private.leaderboard_full_scores f;
  get diagnostics v_rows = row_count;
  alter table private.leaderboard_scores add constraint leaderboard_scores_pkey
    primary key (user_id, scope, board, period, period_start, exam_id);
  create index leaderboard_scores_rank_idx on private.leaderboard_scores
    (scope, board, period, period_start, exam_id, bucket desc, score desc, volume desc, user_id);
  create index leaderboard_scores_expires_at_idx on private.leaderboard_scores (expires_at) where expires_at is not null;
  alter table private.leaderboard_scores add constraint leaderboard_scores_user_id_fkey
    foreign key (user_id) references public.profiles (id) on delete cascade;
  insert into private.leaderboard_histogram (scope, board, period, period_start, exam_id, bucket, n)
  select s.scope, s.board, s.period, s.period_start, s.exam_id, s.bucket, count(*)
  from private.leaderboard_scores s
  group by s.scope, s.board, s.period, s.period_start, s.exam_id, s.bucket
  order by 1, 2, 3, 4, 5, 6; -- key order: a board's buckets on few pages
  analyze private.leaderboard_scores, private.leaderboard_histogram;
  return v_rows;
end;
$$;

revoke execute on all functions in schema private from public;
