-- Live leaderboards: maintained incrementally in the submitting transaction instead of
-- materialized views re-ranked every five minutes.
--
-- * private.leaderboard_scores holds one row per (scope, board, period, period_start, exam_id,
--   user): scope is the organisation for organisation boards, the nil uuid for global ones. Rows
--   exist only for learners on leaderboards (opted-out learners have none) and only with the
--   same inclusion rules as the old views (score > 0, 10+ qualifying quizzes for accuracy, ...).
-- * Every change that can move a score marks its learner "dirty" for the transaction (row
--   triggers on xp_events, quiz_attempts, learner_exam_stats, profiles, organization_members);
--   a deferred constraint trigger recomputes the dirty learners' rows once, at commit, from their
--   own history (private.leaderboard_user_scores: a few index probes), and writes only the rows
--   that changed. So a score is on every board and period the moment its quiz commits.
-- * Ranks come from an index and a score histogram: entries are ordered by (bucket desc, score
--   desc, volume desc, user_id) where bucket is a logarithmic bucket of the score (32 per
--   doubling). private.leaderboard_histogram counts entries per board and bucket, so a rank is
--   the sum of the (few hundred) buckets above plus an index count inside one bucket, and the
--   total is the sum of all buckets. The histogram is updated in the same statement as the rows,
--   in key order (no deadlocks), at commit (row locks held for the commit only).
-- * Periods roll over by themselves: rows carry their period_start and readers ask for the
--   current one; rows of past periods are purged in the background.
-- * Streaks lapse without any write: streak rows carry expires_at, and the minute job recomputes
--   learners whose streak row expired.
-- * Announcements: the boards changed since the last announcement are queued in
--   private.leaderboard_dirty_boards; a committing submission announces them on the private
--   realtime topic `leaderboards` (event leaderboard_changed, payload unchanged: {boards:
--   [{board, period, exam_id}], refreshed_at}) when the last announcement is 1 s old or more, and
--   the minute job announces what is left (pg_cron 1.4 has no sub-minute schedules).
-- private.refresh_leaderboards() keeps its name and result ({refreshed_at, duration_ms, changed}):
-- it now flushes the calling transaction's own changes, expires lapsed streaks, purges past
-- periods and announces; it costs milliseconds instead of minutes.

-- ---------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------

create function private.leaderboard_bucket(p_score numeric)
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  -- 0 below 1, then 32 buckets per doubling (each about 2.2% wide): monotonic in the score.
  select case when p_score < 1 then 0 else 1 + floor(ln(p_score::double precision) * 46.16624130844683)::integer end
$$;
comment on function private.leaderboard_bucket(numeric) is
  'Histogram bucket of a leaderboard score: 0 below 1, then 32 logarithmic buckets per doubling; monotonic, so ordering by (bucket, score) is ordering by score.';

create table private.leaderboard_scores (
  scope uuid not null,
  board public.leaderboard_board not null,
  period public.leaderboard_period not null,
  period_start timestamptz not null,
  exam_id text not null,
  user_id uuid not null references public.profiles (id) on delete cascade,
  score numeric not null,
  volume bigint not null,
  expires_at timestamptz,
  bucket integer not null generated always as (private.leaderboard_bucket(score)) stored,
  primary key (user_id, scope, board, period, period_start, exam_id)
);
comment on table private.leaderboard_scores is
  'Live leaderboard entries: scope (organisation, or the nil uuid for global boards), board, period and its start, exam_id ('''' except exam), user, score, volume (tie-break), expires_at (streaks), bucket. Ordered by (bucket desc, score desc, volume desc, user_id).';
create index leaderboard_scores_rank_idx on private.leaderboard_scores
  (scope, board, period, period_start, exam_id, bucket desc, score desc, volume desc, user_id);
create index leaderboard_scores_expires_at_idx on private.leaderboard_scores (expires_at) where expires_at is not null;

create table private.leaderboard_histogram (
  scope uuid not null,
  board public.leaderboard_board not null,
  period public.leaderboard_period not null,
  period_start timestamptz not null,
  exam_id text not null,
  bucket integer not null,
  n bigint not null,
  primary key (scope, board, period, period_start, exam_id, bucket)
);
comment on table private.leaderboard_histogram is 'Number of leaderboard_scores rows per board and score bucket (ranks and totals without counting rows).';

create table private.leaderboard_dirty_boards (
  board public.leaderboard_board not null,
  period public.leaderboard_period not null,
  exam_id text not null,
  primary key (board, period, exam_id)
);
comment on table private.leaderboard_dirty_boards is 'Global boards changed since the last leaderboard_changed announcement.';

create table private.leaderboard_announcements (
  id boolean primary key default true check (id),
  announced_at timestamptz not null
);
comment on table private.leaderboard_announcements is 'When the last leaderboard_changed announcement went out (one row; throttles announcements to one a second).';
insert into private.leaderboard_announcements (announced_at) values ('-infinity');

-- Not exposed and granted to no API role; RLS with no policy as well, so a stray grant still shows nothing.
alter table private.leaderboard_scores enable row level security;
alter table private.leaderboard_histogram enable row level security;
alter table private.leaderboard_dirty_boards enable row level security;
alter table private.leaderboard_announcements enable row level security;
revoke all on private.leaderboard_scores, private.leaderboard_histogram, private.leaderboard_dirty_boards,
  private.leaderboard_announcements from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------------------
-- One learner's scores, from their own history (the incremental path)
-- ---------------------------------------------------------------------------

create function private.leaderboard_streak_expiry(p public.profiles, p_now timestamptz)
returns timestamptz
language sql
stable
set search_path = ''
as $$
  -- A streak is live until the end of the day after the last activity, in the streak zone in
  -- effect; a scheduled zone change re-evaluates it when it takes effect. Null: not live now.
  select case
    when p.current_streak > 0
     and coalesce((p.last_activity_at at time zone z.zone)::date, p.last_activity_date) >= (p_now at time zone z.zone)::date - 1
    then least(((coalesce((p.last_activity_at at time zone z.zone)::date, p.last_activity_date) + 2)::timestamp at time zone z.zone),
               case when p.pending_time_zone is not null and p.pending_time_zone_from > p_now then p.pending_time_zone_from end)
  end
  from (select private.effective_streak_zone(p.streak_time_zone, p.pending_time_zone, p.pending_time_zone_from, p_now) as zone) z
$$;
comment on function private.leaderboard_streak_expiry(public.profiles, timestamptz) is
  'When a learner''s live streak stops counting on the streak board (or a pending zone change re-evaluates it); null when the streak is not live.';

create function private.leaderboard_user_scores(p_user uuid)
returns table (scope uuid, board public.leaderboard_board, period public.leaderboard_period, period_start timestamptz,
               exam_id text, score numeric, volume bigint, expires_at timestamptz)
language plpgsql
stable
set search_path = ''
-- plpgsql keeps the plan for the session (a SQL function with SET is planned on every call)
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
begin
  return query
    with p as (
      select pr.* from public.profiles pr where pr.id = p_user and pr.show_on_leaderboards
    ),
    periods as (
      select 'all_time'::public.leaderboard_period as period, '-infinity'::timestamptz as since
      union all select 'monthly', private.period_start('monthly')
      union all select 'weekly', private.period_start('weekly')
    ),
    scopes as (
      select '00000000-0000-0000-0000-000000000000'::uuid as scope, null::uuid as org from p
      union all
      select m.organization_id, m.organization_id from public.organization_members m join p on p.id = m.user_id
    ),
    -- Submitted attempts counting on a scope: global ones everywhere, an organisation's own on its boards.
    att as (
      select s.scope, s.org, a.exam_id, a.submitted_at, a.question_count, a.correct_count, a.xp_earned
      from scopes s
      join public.quiz_attempts a on a.user_id = p_user and a.status = 'submitted'
        and (a.organization_id is null or a.organization_id = s.org)
    ),
    -- (scope, period) pairs computed from attempts: global all_time comes from the profile counters.
    att_periods as (
      select t.*, pr.period, pr.since
      from att t cross join periods pr
      where t.submitted_at >= pr.since and (t.org is not null or pr.period <> 'all_time')
    )
    -- xp, all time: global XP, plus the organisation's own XP on its boards
    select s.scope, 'xp'::public.leaderboard_board, 'all_time'::public.leaderboard_period, '-infinity'::timestamptz, '',
           (p.xp + coalesce((select sum(e.amount) from public.xp_events e where e.user_id = p_user and e.organization_id = s.org), 0))::numeric,
           0::bigint, null::timestamptz
    from p cross join scopes s
    where p.xp + coalesce((select sum(e.amount) from public.xp_events e where e.user_id = p_user and e.organization_id = s.org), 0) > 0
    union all
    -- xp, monthly and weekly: the ledger
    select s.scope, 'xp', pr.period, pr.since, '', sum(e.amount)::numeric, 0, null
    from scopes s cross join periods pr
    join public.xp_events e on e.user_id = p_user and e.created_at >= pr.since
      and (e.organization_id is null or e.organization_id = s.org)
    where pr.period <> 'all_time'
    group by s.scope, pr.period, pr.since
    having sum(e.amount) > 0
    union all
    -- quiz_count and accuracy, global all time: the profile counters
    select '00000000-0000-0000-0000-000000000000', 'quiz_count', 'all_time', '-infinity', '', p.quizzes_completed::numeric, 0, null
    from p where p.quizzes_completed > 0
    union all
    select '00000000-0000-0000-0000-000000000000', 'accuracy', 'all_time', '-infinity', '',
           round(p.correct_answers * 100.0 / p.questions_answered, 2), p.questions_answered::bigint, null
    from p where p.quizzes_completed >= 10 and p.questions_answered > 0
    union all
    -- quiz_count and accuracy from qualifying attempts
    select t.scope, 'quiz_count', t.period, t.since, '', count(*)::numeric, 0, null
    from att_periods t
    where t.question_count >= private.min_qualifying_quiz_size()
    group by t.scope, t.period, t.since
    union all
    select t.scope, 'accuracy', t.period, t.since, '', round(sum(t.correct_count) * 100.0 / sum(t.question_count), 2),
           sum(t.question_count)::bigint, null
    from att_periods t
    where t.question_count >= private.min_qualifying_quiz_size()
    group by t.scope, t.period, t.since
    having count(*) >= 10
    union all
    -- streak: live streaks, every scope
    select s.scope, 'streak', 'all_time', '-infinity', '', p.current_streak::numeric, p.longest_streak::bigint, x.expires_at
    from p cross join scopes s
    cross join lateral (select private.leaderboard_streak_expiry(p, private.clock()) as expires_at) x
    where x.expires_at is not null
    union all
    -- exam: global all time from the per-exam stats, the rest from attempts
    select '00000000-0000-0000-0000-000000000000', 'exam', 'all_time', '-infinity', st.exam_id, st.xp_earned::numeric, 0, null
    from p join public.learner_exam_stats st on st.user_id = p.id
    where st.xp_earned > 0
    union all
    select t.scope, 'exam', t.period, t.since, t.exam_id, sum(t.xp_earned)::numeric, 0, null
    from att_periods t
    group by t.scope, t.period, t.since, t.exam_id
    having sum(t.xp_earned) > 0;
end;
$$;
comment on function private.leaderboard_user_scores(uuid) is
  'Every leaderboard row of one learner for the current periods (global and each organisation they belong to), computed from their own history; none when they opted out.';

-- ---------------------------------------------------------------------------
-- The same rows for everyone at once (full recomputation: backfill, rebuild, and the reference
-- the pgTAP tests compare the incremental boards with). Set-based, as the old views were.
-- ---------------------------------------------------------------------------

create view private.leaderboard_full_scores as
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
  select sc.scope, 'streak', 'all_time', '-infinity', '', p.id, p.current_streak::numeric, p.longest_streak::bigint, x.expires_at
  from public.profiles p
  cross join lateral (select private.leaderboard_streak_expiry(p, private.clock()) as expires_at) x
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
revoke all on private.leaderboard_full_scores from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Writing: sync some learners' rows and the histogram in one statement
-- ---------------------------------------------------------------------------

create function private.leaderboard_sync(p_users uuid[], p_gone boolean default false)
returns void
language plpgsql
volatile
security definer
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
begin
  -- One sync per learner at a time, each from a snapshot taken after the previous one committed
  -- (a submission already holds its learner's row; this matters for membership changes and the
  -- like racing with it). In id order, so two multi-learner syncs never wait for each other in a cycle.
  perform 1 from public.profiles p where p.id = any (p_users) order by p.id for update;

    with fresh as (
      select u.user_id, f.*
      from unnest(p_users) u (user_id)
      cross join lateral private.leaderboard_user_scores(u.user_id) f
      where not p_gone
    ),
    current_rows as (
      select s.* from private.leaderboard_scores s where s.user_id = any (p_users)
    ),
    removed as (
      delete from private.leaderboard_scores s
      where s.user_id = any (p_users)
        and not exists (select 1 from fresh f
                        where f.user_id = s.user_id and f.scope = s.scope and f.board = s.board and f.period = s.period
                          and f.period_start = s.period_start and f.exam_id = s.exam_id)
      returning s.scope, s.board, s.period, s.period_start, s.exam_id, s.bucket, -1 as n
    ),
    changed as (
      update private.leaderboard_scores s
         set score = f.score, volume = f.volume, expires_at = f.expires_at
        from fresh f
       where s.user_id = any (p_users) -- the primary key, never a scan of every board
         and f.user_id = s.user_id and f.scope = s.scope and f.board = s.board and f.period = s.period
         and f.period_start = s.period_start and f.exam_id = s.exam_id
         and (f.score, f.volume, f.expires_at) is distinct from (s.score, s.volume, s.expires_at)
      returning s.user_id, s.scope, s.board, s.period, s.period_start, s.exam_id, s.bucket
    ),
    added as (
      insert into private.leaderboard_scores (scope, board, period, period_start, exam_id, user_id, score, volume, expires_at)
      select f.scope, f.board, f.period, f.period_start, f.exam_id, f.user_id, f.score, f.volume, f.expires_at
      from fresh f
      where not exists (select 1 from current_rows c
                        where c.user_id = f.user_id and c.scope = f.scope and c.board = f.board and c.period = f.period
                          and c.period_start = f.period_start and c.exam_id = f.exam_id)
      returning scope, board, period, period_start, exam_id, bucket, 1 as n
    ),
    deltas as (
      select r.scope, r.board, r.period, r.period_start, r.exam_id, r.bucket, r.n from removed r
      union all
      select a.scope, a.board, a.period, a.period_start, a.exam_id, a.bucket, a.n from added a
      union all
      select c.scope, c.board, c.period, c.period_start, c.exam_id, c.bucket, 1 from changed c
      union all
      -- the bucket a changed row left (the statement's snapshot still shows the old row)
      select o.scope, o.board, o.period, o.period_start, o.exam_id, o.bucket, -1
      from changed c join current_rows o on o.user_id = c.user_id and o.scope = c.scope and o.board = c.board
        and o.period = c.period and o.period_start = c.period_start and o.exam_id = c.exam_id
    ),
    dirty as (
      insert into private.leaderboard_dirty_boards (board, period, exam_id)
      select distinct d.board, d.period, d.exam_id from deltas d
      where d.scope = '00000000-0000-0000-0000-000000000000'
      order by 1, 2, 3
      on conflict do nothing
    )
    -- Key order: two transactions never wait for each other's histogram rows in opposite orders.
    insert into private.leaderboard_histogram as h (scope, board, period, period_start, exam_id, bucket, n)
    select d.scope, d.board, d.period, d.period_start, d.exam_id, d.bucket, sum(d.n)
    from deltas d
    group by d.scope, d.board, d.period, d.period_start, d.exam_id, d.bucket
    having sum(d.n) <> 0
    order by 1, 2, 3, 4, 5, 6
    on conflict (scope, board, period, period_start, exam_id, bucket) do update set n = h.n + excluded.n;
end;
$$;
comment on function private.leaderboard_sync(uuid[], boolean) is
  'Brings these learners'' leaderboard rows (all boards, periods and scopes) up to date from their history, adjusting the histogram and queueing the changed global boards for announcement; p_gone removes them (account erasure).';

-- ---------------------------------------------------------------------------
-- Announcing changed boards
-- ---------------------------------------------------------------------------

create function private.announce_leaderboards(p_throttle boolean)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_changed jsonb;
begin
  if p_throttle then
    -- At most one announcement a second; a transaction that finds another announcing skips.
    perform 1 from private.leaderboard_announcements a
    where a.announced_at < clock_timestamp() - interval '1 second'
    for update skip locked;
    if not found then
      return '[]'::jsonb;
    end if;
  end if;

  with taken as (
    delete from private.leaderboard_dirty_boards d
    where (d.board, d.period, d.exam_id) in (
      select b.board, b.period, b.exam_id from private.leaderboard_dirty_boards b for update skip locked)
    returning d.board, d.period, d.exam_id
  )
  select coalesce(jsonb_agg(jsonb_build_object('board', t.board, 'period', t.period, 'exam_id', nullif(t.exam_id, ''))
                            order by t.board, t.period, t.exam_id), '[]'::jsonb)
    into v_changed
  from taken t;

  if jsonb_array_length(v_changed) > 0 then
    -- Private topic: only the database writes it; signed-in users may receive (policy on realtime.messages).
    perform realtime.send(
      jsonb_build_object('boards', v_changed, 'refreshed_at', private.clock()),
      'leaderboard_changed',
      'leaderboards',
      true);
    update private.leaderboard_announcements set announced_at = clock_timestamp();
  end if;
  return v_changed;
end;
$$;
comment on function private.announce_leaderboards(boolean) is
  'Announces the global boards changed since the last announcement on the private realtime topic leaderboards (event leaderboard_changed); p_throttle: not if the last one is under a second old. Returns the boards announced.';

-- ---------------------------------------------------------------------------
-- Marking learners dirty, and the flush at commit
-- ---------------------------------------------------------------------------

create function private.leaderboard_mark(p_user uuid)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_dirty text := coalesce(current_setting('ascend.leaderboard_dirty', true), '');
begin
  if p_user is not null and position(p_user::text in v_dirty) = 0 then
    perform set_config('ascend.leaderboard_dirty', v_dirty || p_user::text || ',', true);
  end if;
end;
$$;
comment on function private.leaderboard_mark(uuid) is 'Notes that this transaction changed something of the learner''s leaderboard scores (synced at commit).';

create function private.leaderboard_flush(p_announce boolean default true)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_dirty text := coalesce(current_setting('ascend.leaderboard_dirty', true), '');
begin
  if v_dirty = '' then
    return;
  end if;
  perform set_config('ascend.leaderboard_dirty', '', true);
  perform private.leaderboard_sync(string_to_array(rtrim(v_dirty, ','), ',')::uuid[]);
  if p_announce then
    perform private.announce_leaderboards(true);
  end if;
end;
$$;
comment on function private.leaderboard_flush(boolean) is
  'Syncs the leaderboard rows of the learners this transaction changed (see leaderboard_mark), then announces changed boards at most once a second.';

create function private.leaderboard_mark_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform private.leaderboard_mark(old.user_id);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform private.leaderboard_mark(new.user_id);
  end if;
  return null;
end;
$$;
comment on function private.leaderboard_mark_user() is 'Row trigger: the row''s learner (user_id) needs their leaderboard rows synced at commit.';

create function private.leaderboard_mark_profile()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.leaderboard_mark(new.id);
  return null;
end;
$$;
comment on function private.leaderboard_mark_profile() is 'Row trigger: a profile change that moves scores (XP, counters, streak, opt-out) syncs the learner at commit.';

create function private.leaderboard_flush_at_commit()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- The first of these deferred events syncs every dirty learner; the others find nothing to do.
  perform private.leaderboard_flush(true);
  return null;
end;
$$;
comment on function private.leaderboard_flush_at_commit() is 'Deferred constraint trigger: syncs this transaction''s dirty learners once, at commit.';

create function private.leaderboard_forget_profile()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- The rows would go by the foreign key's cascade; removing them here keeps the histogram exact.
  perform private.leaderboard_sync(array[old.id], true);
  return old;
end;
$$;
comment on function private.leaderboard_forget_profile() is 'Before a profile is deleted: its leaderboard rows leave the boards and the histogram.';

-- Each table: a *_leaderboard_mark row trigger notes the learner, and a deferred *_leaderboard_sync
-- constraint trigger syncs at commit (the names sort mark before sync, for callers who make the
-- constraints immediate).
create trigger xp_events_leaderboard_mark after insert or update or delete on public.xp_events
  for each row execute function private.leaderboard_mark_user();
create constraint trigger xp_events_leaderboard_sync after insert or update or delete on public.xp_events
  deferrable initially deferred for each row execute function private.leaderboard_flush_at_commit();


create trigger quiz_attempts_leaderboard_mark after update on public.quiz_attempts
  for each row when (old.status = 'submitted' or new.status = 'submitted') execute function private.leaderboard_mark_user();
create constraint trigger quiz_attempts_leaderboard_sync after update on public.quiz_attempts
  deferrable initially deferred
  for each row when (old.status = 'submitted' or new.status = 'submitted') execute function private.leaderboard_flush_at_commit();
create trigger quiz_attempts_leaderboard_mark_delete after delete on public.quiz_attempts
  for each row when (old.status = 'submitted') execute function private.leaderboard_mark_user();
create constraint trigger quiz_attempts_leaderboard_sync_delete after delete on public.quiz_attempts
  deferrable initially deferred
  for each row when (old.status = 'submitted') execute function private.leaderboard_flush_at_commit();

create trigger learner_exam_stats_leaderboard_mark after insert or update or delete on public.learner_exam_stats
  for each row execute function private.leaderboard_mark_user();
create constraint trigger learner_exam_stats_leaderboard_sync after insert or update or delete on public.learner_exam_stats
  deferrable initially deferred for each row execute function private.leaderboard_flush_at_commit();

create trigger organization_members_leaderboard_mark after insert or update or delete on public.organization_members
  for each row execute function private.leaderboard_mark_user();
create constraint trigger organization_members_leaderboard_sync after insert or update or delete on public.organization_members
  deferrable initially deferred for each row execute function private.leaderboard_flush_at_commit();

create trigger profiles_leaderboard_mark
  after update of xp, quizzes_completed, correct_answers, questions_answered, current_streak, longest_streak,
    last_activity_at, last_activity_date, streak_time_zone, pending_time_zone, pending_time_zone_from, show_on_leaderboards
  on public.profiles
  for each row execute function private.leaderboard_mark_profile();
create constraint trigger profiles_leaderboard_sync
  after update of xp, quizzes_completed, correct_answers, questions_answered, current_streak, longest_streak,
    last_activity_at, last_activity_date, streak_time_zone, pending_time_zone, pending_time_zone_from, show_on_leaderboards
  on public.profiles
  deferrable initially deferred for each row execute function private.leaderboard_flush_at_commit();
create trigger profiles_leaderboard_forget before delete on public.profiles
  for each row execute function private.leaderboard_forget_profile();

-- ---------------------------------------------------------------------------
-- Background upkeep: lapsed streaks, past periods, announcements
-- ---------------------------------------------------------------------------

create function private.purge_leaderboard_periods(p_limit integer default 20000)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_key record;
  v_deleted bigint;
  v_total bigint := 0;
begin
  -- Boards of past weeks and months, found through the (small) histogram; at most p_limit rows a run.
  for v_key in
    select distinct h.scope, h.board, h.period, h.period_start, h.exam_id
    from private.leaderboard_histogram h
    where h.period <> 'all_time' and h.period_start < private.period_start(h.period)
  loop
    delete from private.leaderboard_scores s
    where s.ctid = any (array(
      select x.ctid from private.leaderboard_scores x
      where x.scope = v_key.scope and x.board = v_key.board and x.period = v_key.period
        and x.period_start = v_key.period_start and x.exam_id = v_key.exam_id
      limit p_limit - v_total));
    get diagnostics v_deleted = row_count;
    v_total := v_total + v_deleted;
    if v_total >= p_limit then
      exit;
    end if;
    delete from private.leaderboard_histogram h
    where h.scope = v_key.scope and h.board = v_key.board and h.period = v_key.period
      and h.period_start = v_key.period_start and h.exam_id = v_key.exam_id;
  end loop;
  return v_total;
end;
$$;
comment on function private.purge_leaderboard_periods(integer) is
  'Deletes the entries of past weekly and monthly boards (at most p_limit a run) and then their histogram; returns the rows deleted.';

drop view private.leaderboard_fingerprints;
drop view private.leaderboard_entries;
drop table private.leaderboard_state;
drop materialized view private.leaderboard_xp;
drop materialized view private.leaderboard_quiz_count;
drop materialized view private.leaderboard_accuracy;
drop materialized view private.leaderboard_streak;
drop materialized view private.leaderboard_exam;
drop materialized view private.leaderboard_org;

create or replace function private.refresh_leaderboards()
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_started timestamptz := clock_timestamp();
  v_now timestamptz := private.clock();
  v_expired uuid[];
  v_purged bigint;
  v_changed jsonb;
  v_duration numeric;
begin
  -- One run at a time.
  perform pg_advisory_xact_lock(hashtext('ascend.refresh_leaderboards'));

  -- The calling transaction's own changes (other transactions synced theirs at commit).
  perform private.leaderboard_flush(false);

  -- Streaks that lapsed since their row was written.
  select array_agg(distinct s.user_id) into v_expired
  from private.leaderboard_scores s where s.expires_at <= v_now;
  if v_expired is not null then
    perform private.leaderboard_sync(v_expired);
  end if;

  v_purged := private.purge_leaderboard_periods();
  v_changed := private.announce_leaderboards(false);

  v_duration := round(extract(epoch from clock_timestamp() - v_started)::numeric * 1000, 1);
  if jsonb_array_length(v_changed) > 0 or v_purged > 0 or v_expired is not null then
    insert into private.leaderboard_runs (refreshed_at, duration_ms, changed) values (v_now, v_duration, v_changed);
  end if;
  delete from private.leaderboard_runs r where r.refreshed_at < v_now - interval '7 days';

  return jsonb_build_object('refreshed_at', v_now, 'duration_ms', v_duration, 'changed', v_changed);
end;
$$;
comment on function private.refresh_leaderboards() is
  'Leaderboard upkeep (pg_cron every minute; boards are live without it): syncs the calling transaction''s changes, drops lapsed streaks, purges past periods, announces the global boards changed since the last announcement on the private realtime topic leaderboards (event leaderboard_changed), logs runs that did something; returns {refreshed_at, duration_ms, changed}.';

select cron.unschedule('ascend-refresh-leaderboards');
select cron.schedule('ascend-refresh-leaderboards', '* * * * *', 'select private.refresh_leaderboards()');

-- Rebuild everything from scratch (backfill; after bulk loads that bypass triggers).
create function private.rebuild_leaderboards()
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_rows bigint;
begin
  perform pg_advisory_xact_lock(hashtext('ascend.refresh_leaderboards'));
  lock table private.leaderboard_scores, private.leaderboard_histogram in exclusive mode;
  truncate private.leaderboard_scores, private.leaderboard_histogram;
  insert into private.leaderboard_scores (scope, board, period, period_start, exam_id, user_id, score, volume, expires_at)
  select f.scope, f.board, f.period, f.period_start, f.exam_id, f.user_id, f.score, f.volume, f.expires_at
  from private.leaderboard_full_scores f;
  get diagnostics v_rows = row_count;
  insert into private.leaderboard_histogram (scope, board, period, period_start, exam_id, bucket, n)
  select s.scope, s.board, s.period, s.period_start, s.exam_id, s.bucket, count(*)
  from private.leaderboard_scores s
  group by s.scope, s.board, s.period, s.period_start, s.exam_id, s.bucket;
  analyze private.leaderboard_scores, private.leaderboard_histogram;
  return v_rows;
end;
$$;
comment on function private.rebuild_leaderboards() is
  'Recomputes every leaderboard row and the histogram from scratch (private.leaderboard_full_scores); returns the rows written. For backfills and bulk loads that bypass triggers.';

select private.rebuild_leaderboards();

-- ---------------------------------------------------------------------------
-- Reading
-- ---------------------------------------------------------------------------

create function private.leaderboard_higher(p_scope uuid, p_board public.leaderboard_board, p_period public.leaderboard_period,
                                           p_start timestamptz, p_exam text, p_score numeric)
returns bigint
language sql
stable
set search_path = ''
as $$
  -- Entries scoring more than p_score: whole buckets above from the histogram, then an index
  -- count inside p_score's own bucket.
  select coalesce((select sum(h.n) from private.leaderboard_histogram h
                   where h.scope = p_scope and h.board = p_board and h.period = p_period and h.period_start = p_start
                     and h.exam_id = p_exam and h.bucket > private.leaderboard_bucket(p_score)), 0)::bigint
       + (select count(*) from private.leaderboard_scores s
          where s.scope = p_scope and s.board = p_board and s.period = p_period and s.period_start = p_start
            and s.exam_id = p_exam and s.bucket = private.leaderboard_bucket(p_score) and s.score > p_score)
$$;
comment on function private.leaderboard_higher(uuid, public.leaderboard_board, public.leaderboard_period, timestamptz, text, numeric) is
  'How many entries of a board score higher than p_score (rank - 1).';

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

  select coalesce(sum(h.n), 0) into v_total
  from private.leaderboard_histogram h
  where h.scope = v_scope and h.board = p_board and h.period = p_period and h.period_start = v_start and h.exam_id = v_exam;

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
                else 1 + private.leaderboard_higher(v_scope, p_board, p_period, v_start, v_exam, f.score) end as rank
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
    v_higher := private.leaderboard_higher(v_scope, p_board, p_period, v_start, v_exam, v_mine.score);
    select jsonb_build_object(
             'rank', v_higher + 1,
             'position', v_higher + 1 + (
               select count(*) from private.leaderboard_scores s
               where s.scope = v_scope and s.board = p_board and s.period = p_period and s.period_start = v_start
                 and s.exam_id = v_exam and s.bucket = v_mine.bucket and s.score = v_mine.score
                 and (s.volume > v_mine.volume or (s.volume = v_mine.volume and s.user_id < v_mine.user_id))),
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
comment on function private.get_leaderboard_unmasked(public.leaderboard_board, public.leaderboard_period, text, uuid, integer, integer) is
  'A leaderboard page with every entry''s identity, from the live boards (see public.get_leaderboard, which masks the profiles the caller may not see). refreshed_at is now: the boards are live.';

-- The boards as the old views showed them (current periods, with rank and position), for
-- inspection and tests; window functions over a whole board, never used by the RPC.
create view private.leaderboard_entries as
select s.board, s.period, s.exam_id, s.user_id, s.score,
       rank() over (partition by s.board, s.period, s.exam_id order by s.score desc) as rank,
       row_number() over (partition by s.board, s.period, s.exam_id order by s.score desc, s.volume desc, s.user_id) as position
from private.leaderboard_scores s
where s.scope = '00000000-0000-0000-0000-000000000000' and s.period_start = private.period_start(s.period);
comment on view private.leaderboard_entries is
  'Every global leaderboard entry of the current periods (board, period, exam_id, user_id, score, rank, position), ranked on the fly.';

create view private.leaderboard_org as
select s.scope as organization_id, s.board, s.period, s.exam_id, s.user_id, s.score,
       rank() over (partition by s.scope, s.board, s.period, s.exam_id order by s.score desc) as rank,
       row_number() over (partition by s.scope, s.board, s.period, s.exam_id order by s.score desc, s.volume desc, s.user_id) as position
from private.leaderboard_scores s
where s.scope <> '00000000-0000-0000-0000-000000000000' and s.period_start = private.period_start(s.period);
comment on view private.leaderboard_org is 'Every organisation leaderboard entry of the current periods, ranked on the fly.';

create view private.leaderboard_xp as
select e.period, e.exam_id, e.user_id, e.score, e.rank, e.position from private.leaderboard_entries e where e.board = 'xp';
create view private.leaderboard_quiz_count as
select e.period, e.exam_id, e.user_id, e.score, e.rank, e.position from private.leaderboard_entries e where e.board = 'quiz_count';
create view private.leaderboard_accuracy as
select e.period, e.exam_id, e.user_id, e.score, e.rank, e.position from private.leaderboard_entries e where e.board = 'accuracy';
create view private.leaderboard_streak as
select e.period, e.exam_id, e.user_id, e.score, e.rank, e.position from private.leaderboard_entries e where e.board = 'streak';
create view private.leaderboard_exam as
select e.period, e.exam_id, e.user_id, e.score, e.rank, e.position from private.leaderboard_entries e where e.board = 'exam';
comment on view private.leaderboard_xp is 'Global XP board of the current periods (live).';
comment on view private.leaderboard_quiz_count is 'Global quiz-count board of the current periods (live).';
comment on view private.leaderboard_accuracy is 'Global accuracy board of the current periods (live).';
comment on view private.leaderboard_streak is 'Global streak board (live).';
comment on view private.leaderboard_exam is 'Global per-exam boards of the current periods (live).';

revoke all on private.leaderboard_entries, private.leaderboard_org, private.leaderboard_xp, private.leaderboard_quiz_count,
  private.leaderboard_accuracy, private.leaderboard_streak, private.leaderboard_exam from public, anon, authenticated, service_role;

revoke execute on all functions in schema private from public;
