-- Live leaderboards, commit-time sync: the streak's expiry computed once per learner, not once
-- per scope (global + each organisation) in private.leaderboard_user_scores.
--
-- private.leaderboard_streak_expiry is a SQL function with SET search_path, so it is never
-- inlined and is planned afresh on every call: 125-200 us a call against 15-36 us for the same
-- body in PL/pgSQL (1,000 calls, one session, load ~8), and the recompute called it once per
-- scope. It depends only on the profile and the clock, so one call gives the same rows. The
-- function itself is shared with the full recompute (private.leaderboard_full_scores) and is
-- left as it is. Results are unchanged (pgTAP 90 compares the live boards with the full
-- recompute after random submissions, erasures, opt-outs and rollovers).

create or replace function private.leaderboard_user_scores(p_user uuid)
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
    -- The streak's expiry once per learner (it does not depend on the scope): a SQL function with
    -- SET is planned on every call, and it was called once per scope.
    streak as materialized (
      select p.current_streak, p.longest_streak, private.leaderboard_streak_expiry(p, private.clock()) as expires_at from p
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
    select s.scope, 'streak', 'all_time', '-infinity', '', x.current_streak::numeric, x.longest_streak::bigint, x.expires_at
    from streak x cross join scopes s
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

