-- Live leaderboards: after a random (seeded) sequence of submissions, organisation XP, opt-outs
-- and opt-ins, organisation joins and departures, account erasures and clock jumps across week
-- and month boundaries, the incrementally maintained boards (private.leaderboard_scores and its
-- histogram, synced by the deferred commit triggers) equal a full recomputation from scratch
-- (private.leaderboard_full_scores, set-based; the histogram is the compacted counts plus the
-- writers' shards, private.leaderboard_histogram_counts), and get_leaderboard's pages, totals, ranks and
-- positions equal window-function rankings of that recomputation, for every board, period,
-- exam and organisation.
begin;
select plan(18);

-- Deferred constraint triggers fire at the end of each statement instead of at commit: the same
-- code path as a commit, visible inside this test's transaction.
set constraints public.xp_events_leaderboard_sync, public.quiz_attempts_leaderboard_sync,
  public.quiz_attempts_leaderboard_sync_delete, public.learner_exam_stats_leaderboard_sync,
  public.organization_members_leaderboard_sync, public.profiles_leaderboard_sync immediate;

select tests.create_actors();
select tests.create_test_exam(50);
update public.achievements set is_active = false;
select tests.create_user('learner_' || i, null, '{}', jsonb_build_object('username', 'learner_' || i))
from unnest(array['e', 'f', 'g', 'h']) i;
select setseed(0.4242);

-- Mismatches between the live boards and a full recomputation (empty when they agree).
create function tests.lb_row_diff() returns table (side text, scope uuid, board text, period text, exam_id text, user_id uuid, score numeric, volume bigint)
language sql as $$
  (select 'live only', s.scope, s.board::text, s.period::text, s.exam_id, s.user_id, s.score, s.volume from private.leaderboard_scores s
   where s.period_start = private.period_start(s.period)
   except
   select 'live only', f.scope, f.board::text, f.period::text, f.exam_id, f.user_id, f.score, f.volume from private.leaderboard_full_scores f)
  union all
  (select 'full only', f.scope, f.board::text, f.period::text, f.exam_id, f.user_id, f.score, f.volume from private.leaderboard_full_scores f
   except
   select 'full only', s.scope, s.board::text, s.period::text, s.exam_id, s.user_id, s.score, s.volume from private.leaderboard_scores s
   where s.period_start = private.period_start(s.period))
$$;

create function tests.lb_histogram_diff() returns table (scope uuid, board text, period text, exam_id text, bucket integer, n bigint)
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

-- Every board of the full recomputation ranked with window functions, as the old views ranked them.
create function tests.lb_reference() returns table (scope uuid, board public.leaderboard_board, period public.leaderboard_period,
                                                    exam_id text, user_id uuid, score numeric, rank bigint, "position" bigint, total bigint)
language sql as $$
  select f.scope, f.board, f.period, f.exam_id, f.user_id, f.score,
         rank() over (w order by f.score desc), row_number() over (w order by f.score desc, f.volume desc, f.user_id), count(*) over w
  from private.leaderboard_full_scores f
  window w as (partition by f.scope, f.board, f.period, f.exam_id)
$$;

-- What get_leaderboard returns, for every board that has entries (plus empty ones), through the
-- service role (pages and totals) and as each learner on it (their own entry).
create function tests.lb_served_diff() returns setof text
language plpgsql as $$
declare
  b record;
  v_page jsonb;
  v_ref jsonb;
  u record;
begin
  for b in
    select distinct r.scope, r.board, r.period, r.exam_id from tests.lb_reference() r
    union select '00000000-0000-0000-0000-000000000000'::uuid, 'xp', 'weekly', ''
  loop
    select coalesce(jsonb_agg(jsonb_build_object('user_id', r.user_id, 'score', r.score, 'rank', r.rank, 'position', r.position) order by r.position), '[]')
      into v_ref from tests.lb_reference() r
      where r.scope = b.scope and r.board = b.board and r.period = b.period and r.exam_id = b.exam_id;
    perform tests.authenticate_as_service_role();
    v_page := public.get_leaderboard(b.board, b.period, nullif(b.exam_id, ''),
                nullif(b.scope, '00000000-0000-0000-0000-000000000000'::uuid), 100, 0);
    if (select coalesce(jsonb_agg(jsonb_build_object('user_id', e -> 'user_id', 'score', e -> 'score', 'rank', e -> 'rank', 'position', e -> 'position') order by o), '[]')
        from jsonb_array_elements(v_page -> 'entries') with ordinality x (e, o)) <> v_ref
       or (v_page ->> 'total')::bigint <> jsonb_array_length(v_ref) then
      return next format('page of %s %s %s %s: %s <> %s', b.scope, b.board, b.period, b.exam_id, v_page, v_ref);
    end if;
    -- A page that starts inside the board ranks from the histogram.
    if jsonb_array_length(v_ref) > 2 then
      v_page := public.get_leaderboard(b.board, b.period, nullif(b.exam_id, ''),
                  nullif(b.scope, '00000000-0000-0000-0000-000000000000'::uuid), 2, 1);
      if (select jsonb_agg(jsonb_build_object('user_id', e -> 'user_id', 'score', e -> 'score', 'rank', e -> 'rank', 'position', e -> 'position') order by o)
          from jsonb_array_elements(v_page -> 'entries') with ordinality x (e, o))
         <> (select jsonb_agg(e order by (e ->> 'position')::int) from jsonb_array_elements(v_ref) e where (e ->> 'position')::int in (2, 3)) then
        return next format('page 2-3 of %s %s %s %s: %s', b.scope, b.board, b.period, b.exam_id, v_page -> 'entries');
      end if;
    end if;
    perform tests.clear_authentication();
    reset role;
    for u in
      select r.user_id, r.rank, r.position, r.score from tests.lb_reference() r
      where r.scope = b.scope and r.board = b.board and r.period = b.period and r.exam_id = b.exam_id
    loop
      perform set_config('request.jwt.claims', jsonb_build_object('sub', u.user_id, 'role', 'authenticated')::text, true);
      perform set_config('role', 'authenticated', true);
      v_page := public.get_leaderboard(b.board, b.period, nullif(b.exam_id, ''),
                  nullif(b.scope, '00000000-0000-0000-0000-000000000000'::uuid), 1, 0);
      reset role;
      if (v_page -> 'current_user_entry' ->> 'rank')::bigint is distinct from u.rank
         or (v_page -> 'current_user_entry' ->> 'position')::bigint is distinct from u.position
         or (v_page -> 'current_user_entry' ->> 'score')::numeric is distinct from u.score then
        return next format('own entry of %s on %s %s %s %s: %s, expected rank %s position %s score %s',
                           u.user_id, b.scope, b.board, b.period, b.exam_id, v_page -> 'current_user_entry', u.rank, u.position, u.score);
      end if;
    end loop;
  end loop;
  perform tests.clear_authentication();
end;
$$;

-- One random step: mostly quizzes, also organisation XP, privacy toggles, membership changes,
-- erasures and clock jumps (hours to days; the sequence crosses week and month boundaries).
create function tests.lb_random_steps(p_steps integer) returns integer
language plpgsql as $$
declare
  v_learners text[] := array['learner_a', 'learner_b', 'learner_d', 'outsider', 'learner_e', 'learner_f', 'learner_g', 'learner_h'];
  v_learner text;
  v_uid uuid;
  v_org uuid;
  v_roll double precision;
  v_size integer;
  v_done integer := 0;
begin
  for i in 1 .. p_steps loop
    v_learner := v_learners[1 + floor(random() * array_length(v_learners, 1))::int];
    select u.id into v_uid from auth.users u where u.raw_user_meta_data ->> 'test_identifier' = v_learner;
    continue when v_uid is null or not exists (select 1 from public.profiles p where p.id = v_uid);
    v_roll := random();
    -- Each step a few minutes later (rate limits), sometimes hours or days.
    perform tests.freeze_time(private.clock() + case when v_roll > 0.9 then interval '1 day' * (1 + floor(random() * 4))
                                                      else interval '7 minutes' end);
    if v_roll < 0.6 then
      v_size := (array[3, 10, 10, 12])[1 + floor(random() * 4)::int];
      perform tests.take_quiz(v_learner, v_size, floor(random() * (v_size + 1))::int);
      perform tests.clear_authentication();
    elsif v_roll < 0.68 then
      select m.organization_id into v_org from public.organization_members m where m.user_id = v_uid order by random() limit 1;
      if v_org is not null then
        insert into public.xp_events (user_id, amount, source, note, organization_id)
        values (v_uid, (10 + floor(random() * 50))::int, 'adjustment', 'organisation practice', v_org);
      end if;
    elsif v_roll < 0.76 then
      update public.profiles set show_on_leaderboards = not show_on_leaderboards where id = v_uid;
    elsif v_roll < 0.84 then
      if exists (select 1 from public.organization_members m where m.user_id = v_uid and m.role = 'learner') then
        delete from public.organization_members m where m.user_id = v_uid and m.role = 'learner'
          and m.organization_id = (select x.organization_id from public.organization_members x
                                   where x.user_id = v_uid and x.role = 'learner' order by random() limit 1);
      else
        insert into public.organization_members (organization_id, user_id, role)
        select o.id, v_uid, 'learner' from public.organizations o order by random() limit 1
        on conflict do nothing;
      end if;
    elsif v_roll < 0.9 and v_learner in ('learner_g', 'learner_h') then
      delete from auth.users u where u.id = v_uid;
    end if;
    v_done := v_done + 1;
  end loop;
  return v_done;
end;
$$;

select tests.freeze_time('2026-05-27 09:00:00+00');

-- ---------------------------------------------------------------------------
-- Three checkpoints, each after a stretch of random steps
-- ---------------------------------------------------------------------------
select cmp_ok(tests.lb_random_steps(60), '>', 40, 'a first stretch of random steps');
select private.refresh_leaderboards();
select is_empty($$ select * from tests.lb_row_diff() $$, 'checkpoint 1: every live row equals the full recomputation');
select is_empty($$ select * from tests.lb_histogram_diff() $$, 'checkpoint 1: the histogram counts every board''s rows per bucket');
select is_empty($$ select * from tests.lb_served_diff() $$,
  'checkpoint 1: get_leaderboard pages, totals, ranks, positions and own entries equal window rankings of the recomputation');

-- Account erasure (the auth user goes; its profile and everything else cascade).
delete from auth.users where id = tests.get_user_id('learner_e');
select cmp_ok(tests.lb_random_steps(80), '>', 25, 'a second stretch (crossing into June), with learner_e erased before it');
select private.refresh_leaderboards();
select is_empty($$ select * from tests.lb_row_diff() $$, 'checkpoint 2: rows equal the recomputation');
select is_empty($$ select * from tests.lb_histogram_diff() $$, 'checkpoint 2: histogram exact');
select is_empty($$ select * from tests.lb_served_diff() $$, 'checkpoint 2: served boards equal the recomputation');

delete from auth.users where id = tests.get_user_id('learner_f');
select cmp_ok(tests.lb_random_steps(80), '>', 25, 'a third stretch, with learner_f erased before it');
-- No refresh this time: the commit path alone keeps the rows (streak expiry aside) exact.
select is_empty($$ select * from tests.lb_row_diff() where board <> 'streak' $$,
  'checkpoint 3, without any refresh: every non-streak row equals the recomputation');
-- Nor any fold: the compacted counts plus the writers' unfolded shards (20261207100500).
select is_empty($$ select * from tests.lb_histogram_diff() $$, 'checkpoint 3, before the minute job folds the shards: histogram exact');
select private.refresh_leaderboards();
select is_empty($$ select * from tests.lb_row_diff() $$, 'checkpoint 3 after the minute job: streak rows too');
select is_empty($$ select * from tests.lb_histogram_diff() $$, 'checkpoint 3: histogram exact');
select is_empty($$ select * from tests.lb_served_diff() $$, 'checkpoint 3: served boards equal the recomputation');

-- The sequence did exercise what it claims.
select ok((select count(*) from public.quiz_attempts where status = 'submitted') >= 30
          and exists (select 1 from private.leaderboard_scores where scope <> '00000000-0000-0000-0000-000000000000')
          and exists (select 1 from private.leaderboard_scores where board = 'accuracy'),
  'the sequence submitted quizzes and filled organisation and accuracy boards');
select ok(exists (select 1 from public.profiles where not show_on_leaderboards)
          and not exists (select 1 from private.leaderboard_scores s join public.profiles p on p.id = s.user_id where not p.show_on_leaderboards),
  'some learners are opted out, and none of them has a leaderboard row');

-- Past periods are purged by the minute job.
select tests.freeze_time(private.clock() + interval '40 days');
select private.refresh_leaderboards();
select is_empty($$ select 1 from private.leaderboard_scores s where s.period_start < private.period_start(s.period) $$,
  'a month later, the rows of past weeks and months are gone');
select is_empty($$ select * from tests.lb_served_diff() $$, 'and the boards still equal the recomputation (weekly and monthly ones empty)');

select * from finish();
rollback;
