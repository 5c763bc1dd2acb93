-- Live leaderboards without commit-time waits on shared rows, and a faster full rebuild.
--
-- Measured (tests/bench/leaderboards, 16 concurrent submitters): every submission adjusts the
-- same histogram rows at commit (a learner moving from score k to k + 1 on a weekly quiz-count
-- board touches the rows every other learner touches), and re-inserts the same
-- leaderboard_dirty_boards keys right after each announcement emptied them; both make concurrent
-- submitters wait for each other's commit (wait_event transactionid / tuple).
--
-- * private.leaderboard_histogram_shards takes the histogram deltas of each committing
--   transaction in rows keyed also by a shard (the backend's pid modulo 64), so concurrent
--   submitters write different rows. Readers add the shards to the compacted counts in
--   private.leaderboard_histogram (one statement, one snapshot: the sum is exact at every
--   moment); the minute job folds the shards into the compacted counts, so a board's shard rows
--   stay few (the buckets its learners moved through in the last minute).
-- * private.leaderboard_dirty_boards is keyed by shard as well, and a board already queued by a
--   committed transaction is not inserted again.
-- * private.rebuild_leaderboards() (backfill, bulk loads) builds the rows without their indexes
--   and foreign key and adds them afterwards: one sorted build and one join instead of a random
--   index insertion and a foreign-key lookup per row.
-- * The minute job's purge of past periods computes the current periods' starts once instead of
--   once per histogram row (1.3 s of its 1.3 s a minute at 100k learners).
-- * The caller's position among tied entries is counted with two index ranges instead of one
--   range filtered by an "or" (which read the whole tie group).
-- Freshness is unchanged: a score and its rank are on every board at commit.

create table private.leaderboard_histogram_shards (
  scope uuid not null,
  board public.leaderboard_board not null,
  period public.leaderboard_period not null,
  period_start timestamptz not null,
  exam_id text not null,
  bucket integer not null,
  shard smallint not null,
  n bigint not null,
  primary key (scope, board, period, period_start, exam_id, bucket, shard)
);
comment on table private.leaderboard_histogram_shards is
  'Recent changes of the leaderboard histogram, one row per board, bucket and writer shard (backend pid % 64): concurrent submitters never update the same row. A bucket''s count is private.leaderboard_histogram.n plus the sum of its shards; private.fold_leaderboard_histogram() moves the shards into the compacted counts.';
alter table private.leaderboard_histogram_shards enable row level security;
revoke all on private.leaderboard_histogram_shards from public, anon, authenticated, service_role;

alter table private.leaderboard_dirty_boards add column shard smallint not null default 0;
alter table private.leaderboard_dirty_boards drop constraint leaderboard_dirty_boards_pkey;
alter table private.leaderboard_dirty_boards add primary key (board, period, exam_id, shard);
comment on column private.leaderboard_dirty_boards.shard is 'Writer shard (backend pid % 64): concurrent submitters queue the same board in different rows.';

create function private.leaderboard_shard()
returns smallint
language sql
volatile
parallel restricted
set search_path = ''
as $$
  select (pg_catalog.pg_backend_pid() % 64)::smallint
$$;
comment on function private.leaderboard_shard() is 'This backend''s histogram shard: pid % 64 (stable for a session, different for most concurrent sessions).';

-- Counts per bucket: compacted rows plus shards.
create view private.leaderboard_histogram_counts as
select h.scope, h.board, h.period, h.period_start, h.exam_id, h.bucket, sum(h.n)::bigint as n
from (
  select c.scope, c.board, c.period, c.period_start, c.exam_id, c.bucket, c.n from private.leaderboard_histogram c
  union all
  select s.scope, s.board, s.period, s.period_start, s.exam_id, s.bucket, s.n from private.leaderboard_histogram_shards s
) h
group by h.scope, h.board, h.period, h.period_start, h.exam_id, h.bucket;
comment on view private.leaderboard_histogram_counts is 'Leaderboard entries per board and score bucket (compacted counts plus recent shards).';
revoke all on private.leaderboard_histogram_counts from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Writing
-- ---------------------------------------------------------------------------

create or replace function private.leaderboard_sync(p_users uuid[], p_gone boolean default false)
returns void
language plpgsql
volatile
security definer
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_shard smallint := private.leaderboard_shard();
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
      -- Global boards to announce. A board some committed transaction already queued is not
      -- inserted again; a new one goes in this writer's shard row.
      insert into private.leaderboard_dirty_boards (board, period, exam_id, shard)
      select distinct d.board, d.period, d.exam_id, v_shard from deltas d
      where d.scope = '00000000-0000-0000-0000-000000000000'
        and not exists (select 1 from private.leaderboard_dirty_boards q
                        where q.board = d.board and q.period = d.period and q.exam_id = d.exam_id)
      order by 1, 2, 3
      on conflict do nothing
    )
    -- This writer's shard rows, in key order (two transactions in one shard never wait in a cycle).
    insert into private.leaderboard_histogram_shards as h (scope, board, period, period_start, exam_id, bucket, shard, n)
    select d.scope, d.board, d.period, d.period_start, d.exam_id, d.bucket, v_shard, sum(d.n)
    from deltas d
    group by d.scope, d.board, d.period, d.period_start, d.exam_id, d.bucket
    having sum(d.n) <> 0
    order by 1, 2, 3, 4, 5, 6
    on conflict (scope, board, period, period_start, exam_id, bucket, shard) do update set n = h.n + excluded.n;
end;
$$;
comment on function private.leaderboard_sync(uuid[], boolean) is
  'Brings these learners'' leaderboard rows (all boards, periods and scopes) up to date from their history, adding the histogram changes to this backend''s shard rows and queueing the changed global boards for announcement; p_gone removes them (account erasure).';

create function private.fold_leaderboard_histogram()
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_rows bigint;
begin
  -- Moves every shard row into the compacted counts in one statement (readers see the sum
  -- before or after, never half), in key order; buckets that reached zero are dropped.
  with moved as (
    delete from private.leaderboard_histogram_shards s
    returning s.scope, s.board, s.period, s.period_start, s.exam_id, s.bucket, s.n
  )
  insert into private.leaderboard_histogram as h (scope, board, period, period_start, exam_id, bucket, n)
  select m.scope, m.board, m.period, m.period_start, m.exam_id, m.bucket, sum(m.n)
  from moved m
  group by m.scope, m.board, m.period, m.period_start, m.exam_id, m.bucket
  order by 1, 2, 3, 4, 5, 6
  on conflict (scope, board, period, period_start, exam_id, bucket) do update set n = h.n + excluded.n;
  get diagnostics v_rows = row_count;
  delete from private.leaderboard_histogram h where h.n = 0;
  return v_rows;
end;
$$;
comment on function private.fold_leaderboard_histogram() is
  'Adds the histogram shard rows into private.leaderboard_histogram and deletes them (run by the minute job); returns the compacted rows written.';

create or replace function private.announce_leaderboards(p_throttle boolean)
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
    where d.ctid = any (array(select b.ctid from private.leaderboard_dirty_boards b for update skip locked))
    returning d.board, d.period, d.exam_id
  )
  select coalesce(jsonb_agg(jsonb_build_object('board', t.board, 'period', t.period, 'exam_id', nullif(t.exam_id, ''))
                            order by t.board, t.period, t.exam_id), '[]'::jsonb)
    into v_changed
  from (select distinct t.board, t.period, t.exam_id from taken t) t;

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
-- Upkeep
-- ---------------------------------------------------------------------------

create or replace function private.purge_leaderboard_periods(p_limit integer default 20000)
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
  v_week timestamptz := private.period_start('weekly');
  v_month timestamptz := private.period_start('monthly');
begin
  -- Boards of past weeks and months, found through the histogram; at most p_limit rows a run.
  -- Called after the shards were folded, so the compacted histogram lists every board. The
  -- current periods' starts are computed once: per histogram row (111k rows at 100k learners,
  -- one per organisation, board, period and bucket) period_start() cost 1.3 s a minute.
  for v_key in
    select distinct h.scope, h.board, h.period, h.period_start, h.exam_id
    from private.leaderboard_histogram h
    where (h.period = 'weekly' and h.period_start < v_week) or (h.period = 'monthly' and h.period_start < v_month)
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
    delete from private.leaderboard_histogram_shards h
    where h.scope = v_key.scope and h.board = v_key.board and h.period = v_key.period
      and h.period_start = v_key.period_start and h.exam_id = v_key.exam_id;
  end loop;
  return v_total;
end;
$$;

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

  perform private.fold_leaderboard_histogram();
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
  'Leaderboard upkeep (pg_cron every minute; boards are live without it): syncs the calling transaction''s changes, drops lapsed streaks, folds the histogram shards, purges past periods, announces the global boards changed since the last announcement on the private realtime topic leaderboards (event leaderboard_changed), logs runs that did something; returns {refreshed_at, duration_ms, changed}.';

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
  group by s.scope, s.board, s.period, s.period_start, s.exam_id, s.bucket;
  analyze private.leaderboard_scores, private.leaderboard_histogram;
  return v_rows;
end;
$$;
comment on function private.rebuild_leaderboards() is
  'Recomputes every leaderboard row and the histogram from scratch (private.leaderboard_full_scores), building indexes and the foreign key after the rows; returns the rows written. For backfills and bulk loads that bypass triggers.';

-- ---------------------------------------------------------------------------
-- Reading: the histogram is the compacted counts plus the shards
-- ---------------------------------------------------------------------------

create or replace function private.leaderboard_higher(p_scope uuid, p_board public.leaderboard_board, p_period public.leaderboard_period,
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
$$;

-- The board total, from the histogram (compacted counts and shards).
create function private.leaderboard_total(p_scope uuid, p_board public.leaderboard_board, p_period public.leaderboard_period,
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
$$;
comment on function private.leaderboard_total(uuid, public.leaderboard_board, public.leaderboard_period, timestamptz, text) is
  'How many entries a board has (sum of its histogram: compacted counts and shards).';

-- Unchanged but for the total (private.leaderboard_total) and the caller's position among ties.
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

  v_total := private.leaderboard_total(v_scope, p_board, p_period, v_start, v_exam);

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
$$;

revoke execute on all functions in schema private from public;
