-- Leaderboard histogram shards (20261207100500): a committing transaction writes its histogram
-- changes into its own shard rows (backend pid % 64), never the compacted counts other writers
-- share; readers add the shards, so totals, ranks and positions are exact whether or not the
-- shards were folded, with any split of the counts over shards (negative ones included); the
-- minute job folds them; past periods' shards are purged; and after a random sequence of
-- submissions, erasures and opt-outs with folds at random points, the rows equal a full
-- recomputation and the histogram (compacted + shards) counts them.
begin;
select plan(15);

set constraints public.xp_events_leaderboard_sync, public.quiz_attempts_leaderboard_sync,
  public.quiz_attempts_leaderboard_sync_delete, public.learner_exam_stats_leaderboard_sync,
  public.organization_members_leaderboard_sync, public.profiles_leaderboard_sync immediate;

select tests.create_actors();
select tests.create_test_exam(50);
update public.achievements set is_active = false;
select tests.create_user('learner_' || i, null, '{}', jsonb_build_object('username', 'learner_' || i))
from unnest(array['e', 'f', 'g']) i;
select setseed(0.1017);
select tests.freeze_time('2026-06-10 12:00:00+00');
select private.fold_leaderboard_histogram();

-- Histogram counts (compacted + shards) that differ from the rows they count (empty when exact).
create function tests.sh_histogram_diff() returns table (scope uuid, board text, period text, exam_id text, bucket integer, n bigint)
language sql as $$
  (select h.scope, h.board::text, h.period::text, h.exam_id, h.bucket, h.n from private.leaderboard_histogram_counts h
   where h.period_start = private.period_start(h.period) and h.n <> 0
   except
   select s.scope, s.board::text, s.period::text, s.exam_id, s.bucket, count(*) from private.leaderboard_scores s
   where s.period_start = private.period_start(s.period) group by 1, 2, 3, 4, 5)
  union all
  (select s.scope, s.board::text, s.period::text, s.exam_id, s.bucket, count(*) from private.leaderboard_scores s
   where s.period_start = private.period_start(s.period) group by 1, 2, 3, 4, 5
   except
   select h.scope, h.board::text, h.period::text, h.exam_id, h.bucket, h.n from private.leaderboard_histogram_counts h
   where h.period_start = private.period_start(h.period) and h.n <> 0)
$$;

create function tests.sh_row_diff() returns table (scope uuid, board text, period text, exam_id text, user_id uuid, score numeric)
language sql as $$
  (select s.scope, s.board::text, s.period::text, s.exam_id, s.user_id, s.score from private.leaderboard_scores s
   where s.period_start = private.period_start(s.period)
   except
   select f.scope, f.board::text, f.period::text, f.exam_id, f.user_id, f.score from private.leaderboard_full_scores f)
  union all
  (select f.scope, f.board::text, f.period::text, f.exam_id, f.user_id, f.score from private.leaderboard_full_scores f
   except
   select s.scope, s.board::text, s.period::text, s.exam_id, s.user_id, s.score from private.leaderboard_scores s
   where s.period_start = private.period_start(s.period))
$$;

-- What get_leaderboard serves on every board with entries: the service role's page from rank 2
-- (ranked from the histogram) and total, and every learner's own rank and position.
create function tests.sh_served() returns jsonb
language plpgsql as $$
declare
  b record;
  u record;
  v_out jsonb := '[]';
  v_page jsonb;
begin
  for b in select distinct s.scope, s.board, s.period, s.exam_id from private.leaderboard_scores s
           where s.period_start = private.period_start(s.period) order by 1, 2, 3, 4 loop
    perform tests.authenticate_as_service_role();
    v_page := public.get_leaderboard(b.board, b.period, nullif(b.exam_id, ''),
                nullif(b.scope, '00000000-0000-0000-0000-000000000000'::uuid), 3, 1);
    v_out := v_out || jsonb_build_array(jsonb_build_object('board', b, 'total', v_page -> 'total',
               'ranks', (select jsonb_agg(jsonb_build_array(e -> 'user_id', e -> 'rank', e -> 'position')) from jsonb_array_elements(v_page -> 'entries') e)));
    perform tests.clear_authentication();
    reset role;
    for u in select s.user_id from private.leaderboard_scores s
             where s.scope = b.scope and s.board = b.board and s.period = b.period and s.exam_id = b.exam_id
               and s.period_start = private.period_start(s.period) order by 1 loop
      perform set_config('request.jwt.claims', jsonb_build_object('sub', u.user_id, 'role', 'authenticated')::text, true);
      perform set_config('role', 'authenticated', true);
      v_page := public.get_leaderboard(b.board, b.period, nullif(b.exam_id, ''),
                  nullif(b.scope, '00000000-0000-0000-0000-000000000000'::uuid), 1, 0);
      reset role;
      v_out := v_out || jsonb_build_array(jsonb_build_array(u.user_id, v_page -> 'current_user_entry' -> 'rank',
                                                            v_page -> 'current_user_entry' -> 'position', v_page -> 'total'));
    end loop;
  end loop;
  perform tests.clear_authentication();
  return v_out;
end;
$$;

-- ---------------------------------------------------------------------------
-- A submission writes its own shard rows only
-- ---------------------------------------------------------------------------
select tests.take_quiz('learner_a', 10, 9);
select tests.take_quiz('learner_b', 10, 6);
select tests.take_quiz('learner_d', 10, 3);
select tests.clear_authentication();
select ok(exists (select 1 from private.leaderboard_histogram_shards)
          and not exists (select 1 from private.leaderboard_histogram_shards where shard <> pg_backend_pid() % 64),
  'submissions wrote their histogram changes into this backend''s shard rows');
select is_empty($$ select 1 from private.leaderboard_histogram $$, 'and not into the compacted counts other writers share');
select ok(exists (select 1 from private.leaderboard_dirty_boards where shard = pg_backend_pid() % 64),
  'the changed boards are queued in this writer''s shard');
select is_empty($$ select * from tests.sh_histogram_diff() $$, 'compacted counts plus shards count every board''s rows per bucket');

-- ---------------------------------------------------------------------------
-- Readers are exact for any split over shards, and across a fold
-- ---------------------------------------------------------------------------
create temporary table served_before as select tests.sh_served() as v;
select private.fold_leaderboard_histogram();
select is_empty($$ select 1 from private.leaderboard_histogram_shards $$, 'the fold empties the shards');
select is_empty($$ select * from tests.sh_histogram_diff() $$, 'into exact compacted counts');
select is((select tests.sh_served()), (select v from served_before), 'boards served after the fold equal those before it');

-- Every count split over three shards, one negative (what concurrent writers leave behind).
with moved as (
  update private.leaderboard_histogram h set n = h.n - 2 returning h.*
)
insert into private.leaderboard_histogram_shards (scope, board, period, period_start, exam_id, bucket, shard, n)
select m.scope, m.board, m.period, m.period_start, m.exam_id, m.bucket, x.shard, x.n
from moved m cross join (values (3::smallint, 5::bigint), (40, -4), (63, 1)) x (shard, n);
select ok(exists (select 1 from private.leaderboard_histogram where n < 0), 'some compacted counts are now negative');
select is((select tests.sh_served()), (select v from served_before),
  'with counts split over shards (some negative), totals, ranks and positions are unchanged');
select private.fold_leaderboard_histogram();
select is_empty($$ select 1 from private.leaderboard_histogram where n <= 0 $$, 'the fold leaves no zero or negative bucket');

-- ---------------------------------------------------------------------------
-- Random submissions, organisation XP, opt-outs, erasures; folds at random points
-- ---------------------------------------------------------------------------
create function tests.sh_random_steps(p_steps integer) returns integer
language plpgsql as $$
declare
  v_learners text[] := array['learner_a', 'learner_b', 'learner_d', 'outsider', 'learner_e', 'learner_f', 'learner_g'];
  v_learner text;
  v_uid uuid;
  v_roll double precision;
  v_done integer := 0;
begin
  for i in 1 .. p_steps loop
    v_learner := v_learners[1 + floor(random() * array_length(v_learners, 1))::int];
    select u.id into v_uid from auth.users u where u.raw_user_meta_data ->> 'test_identifier' = v_learner;
    continue when v_uid is null or not exists (select 1 from public.profiles p where p.id = v_uid);
    v_roll := random();
    perform tests.freeze_time(private.clock() + case when v_roll > 0.92 then interval '2 days' else interval '7 minutes' end);
    if v_roll < 0.65 then
      perform tests.take_quiz(v_learner, (array[3, 10, 12])[1 + floor(random() * 3)::int], floor(random() * 11)::int % 11);
      perform tests.clear_authentication();
    elsif v_roll < 0.75 then
      update public.profiles set show_on_leaderboards = not show_on_leaderboards where id = v_uid;
    elsif v_roll < 0.8 and v_learner in ('learner_f', 'learner_g') then
      delete from auth.users u where u.id = v_uid;
    elsif v_roll < 0.9 then
      perform private.fold_leaderboard_histogram();
    end if;
    v_done := v_done + 1;
  end loop;
  return v_done;
end;
$$;

select cmp_ok(tests.sh_random_steps(90), '>', 50, 'a stretch of random steps with folds in between');
select is_empty($$ select * from tests.sh_row_diff() where board <> 'streak' $$,
  'without the minute job, every non-streak row equals the full recomputation');
select is_empty($$ select * from tests.sh_histogram_diff() $$, 'and compacted counts plus unfolded shards count the rows exactly');
select private.refresh_leaderboards();
select is_empty($$ select 1 from private.leaderboard_histogram_shards $$, 'the minute job folds the shards');

-- Past periods: their shard rows go with their boards.
select tests.take_quiz('learner_a', 10, 10);
select tests.clear_authentication();
select tests.freeze_time(private.clock() + interval '40 days');
select private.refresh_leaderboards();
select is_empty($$ select 1 from private.leaderboard_histogram_shards h where h.period_start < private.period_start(h.period)
                  union all select 1 from private.leaderboard_histogram h where h.period_start < private.period_start(h.period) $$,
  'a month later, no histogram row or shard of a past week or month is left');

select * from finish();
rollback;
