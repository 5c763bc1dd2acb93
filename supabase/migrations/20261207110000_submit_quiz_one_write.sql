-- Quiz submission: the answers, the grade and the XP rule written to each item in ONE UPDATE,
-- the counts and the result read from that UPDATE.
--
-- Profiled at 10k generated learners (pg_stat_statements with track = all, plpgsql_check's
-- profiler; tests/bench/leaderboards/README.md, "Third pass"): submit_quiz wrote each of the 30
-- items twice (the answers, then the grade: two new row versions, each with its 7 index
-- entries), and because the grading UPDATE touched rows this transaction had already updated,
-- PostgreSQL re-ran their foreign-key checks (120 lookups in quiz_attempts, profiles,
-- questions, exam_domains); the items were then read twice more (the counts, and the result
-- JSON joined again with question_keys); and private.keys_readable_by, a SQL function that is
-- never inlined (it has SET search_path), was planned afresh on every call (0.5-0.7 ms a call
-- against 0.08 ms as PL/pgSQL, 500 calls each in one session).
--
-- Now:
-- - private.finalize_attempt_with_answers(attempt, late, questions[], answers[], times[]) merges
--   the submitted answers into the grading UPDATE (same rule as before: a submitted answer,
--   null included, replaces the saved one; a submitted time replaces the saved time unless it
--   is null) and takes the counts and the result rows from its RETURNING;
-- - submit_quiz validates the answers as before (measured: one set-based query instead of the
--   loop was not faster) and hands them to that function instead of updating the items itself;
-- - private.keys_readable_by is PL/pgSQL (same query), so its plan is cached per session.
-- private.finalize_attempt(attempt, auto) (the deadline job) is that function without answers.
-- Results are unchanged: nothing between the two former UPDATEs read the items, and the
-- review-card trigger found nothing to do for the answers UPDATE (no item is graded by it).

create or replace function private.keys_readable_by(p_user uuid, p_questions bigint[])
returns setof bigint
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  -- PL/pgSQL rather than SQL: a SQL function with SET is never inlined and was planned on every call.
  return query
    -- Author or last editor; staff of the owning organisation; platform admin for the global bank.
    select q.id from public.questions q
    where q.id = any (p_questions)
      and (q.created_by = p_user
           or q.updated_by = p_user
           or (q.organization_id is not null and exists (
                 select 1 from public.organization_members m
                 where m.organization_id = q.organization_id and m.user_id = p_user
                   and m.role in ('owner', 'admin', 'instructor')))
           or (q.organization_id is null and exists (
                 select 1 from auth.users u
                 where u.id = p_user and coalesce(u.raw_app_meta_data -> 'platform_admin' = 'true'::jsonb, false))))
    union
    -- Any earlier editor, any moderator of a report on it.
    select v.question_id from public.question_versions v where v.question_id = any (p_questions) and v.edited_by = p_user
    union
    select r.question_id from public.question_reports r where r.question_id = any (p_questions) and r.moderator_id = p_user;
end;
$$;

create or replace function private.finalize_attempt_with_answers(
  p_attempt uuid,
  p_auto boolean,
  p_questions bigint[],
  p_answers text[],
  p_times integer[]
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock();
  v_attempt public.quiz_attempts;
  v_before public.profiles;
  v_after public.profiles;
  v_global boolean;
  v_qualifying boolean;
  v_correct integer;
  v_total integer;
  v_repeats integer;
  v_key_known integer;
  v_first_correct integer;
  v_pct numeric(5, 2);
  v_base integer;
  v_bonus_percent integer;
  v_bonus integer;
  v_time_taken integer;
  v_tz text;
  v_today date;
  v_streak integer;
  v_longest integer;
  v_last date;
  v_streak_status text;
  v_unlocked jsonb := '[]'::jsonb;
  v_results jsonb;
  v_known_keys bigint[];
begin
  select * into v_attempt from public.quiz_attempts a where a.id = p_attempt for update;
  if not found or v_attempt.status <> 'in_progress' then
    raise exception using errcode = 'PT409', message = format('quiz attempt %s is not in progress', p_attempt);
  end if;
  select * into v_before from public.profiles p where p.id = v_attempt.user_id for update;
  v_global := v_attempt.organization_id is null;

  -- The questions whose key the learner could read other than by answering: one set-based query.
  v_known_keys := array(select private.keys_readable_by(v_attempt.user_id,
                          array(select i.question_id from public.quiz_attempt_items i where i.attempt_id = p_attempt)));

  -- Answers, grade and XP rule in one UPDATE (each row written once, no foreign-key re-checks),
  -- counts and result rows from what it wrote. A submitted answer (null included) replaces the
  -- saved one; a submitted time replaces the saved time unless it is null.
  with graded as (
    update public.quiz_attempt_items i
       set selected_answer = g.selected_answer,
           time_spent_seconds = g.time_spent_seconds,
           is_correct = g.is_correct,
           graded_at = v_now,
           key_exposed = g.key_exposed,
           xp_rule = g.rule,
           xp_awarded = case when g.rule = 'first_correct' then private.xp_per_correct_answer() else 0 end
      from (
        select s.*,
               case
                 when not s.is_correct then 'incorrect'
                 when s.key_exposed then 'key_known'
                 when exists (
                   select 1 from public.quiz_attempt_items p
                   where p.user_id = s.user_id and p.question_id = s.question_id and p.graded_at is not null
                     and p.is_correct and p.attempt_id <> s.attempt_id
                     and p.graded_at > v_now - private.repeat_xp_window() and p.graded_at <= v_now) then 'repeat'
                 else 'first_correct'
               end as rule
        from (
          select t.*, coalesce(t.selected_answer is not null and t.selected_answer = t.correct_answer, false) as is_correct
          from (
            select x.position, x.user_id, x.question_id, x.attempt_id,
                   case when u.question_id is null then x.selected_answer else u.answer end as selected_answer,
                   case when u.question_id is null then x.time_spent_seconds
                        else coalesce(u.time_spent, x.time_spent_seconds) end as time_spent_seconds,
                   x.key_exposed or x.question_id = any (v_known_keys) as key_exposed,
                   k.correct_answer, k.explanations
            from public.quiz_attempt_items x
            left join unnest(p_questions, p_answers, p_times) u (question_id, answer, time_spent)
              on u.question_id = x.question_id
            left join public.question_keys k on k.question_id = x.question_id
            where x.attempt_id = p_attempt
          ) t
        ) s
      ) g
     where i.attempt_id = p_attempt and i.position = g.position
    returning i.position, i.question_id, i.domain_id, i.selected_answer, g.correct_answer, i.is_correct,
              i.time_spent_seconds, i.xp_rule, i.xp_awarded, g.explanations
  )
  select count(*) filter (where r.is_correct), count(*), coalesce(sum(r.xp_awarded), 0),
         count(*) filter (where r.xp_rule = 'repeat'), count(*) filter (where r.xp_rule = 'key_known'),
         count(*) filter (where r.xp_rule = 'first_correct'),
         jsonb_agg(jsonb_build_object(
           'position', r.position, 'question_id', r.question_id, 'domain_id', r.domain_id,
           'selected_answer', r.selected_answer, 'correct_answer', r.correct_answer,
           'is_correct', r.is_correct, 'time_spent_seconds', r.time_spent_seconds,
           'xp_rule', r.xp_rule, 'xp_awarded', r.xp_awarded,
           'explanations', r.explanations)
         order by r.position)
    into v_correct, v_total, v_base, v_repeats, v_key_known, v_first_correct, v_results
  from graded r;

  v_qualifying := v_global and v_total >= private.min_qualifying_quiz_size();
  v_pct := round(v_correct * 100.0 / v_total, 2);
  v_bonus_percent := case
    when v_correct * 100 >= 90 * v_total then 50
    when v_correct * 100 >= 80 * v_total then 25
    when v_correct * 100 >= 70 * v_total then 10
    else 0
  end;
  v_bonus := (v_base * v_bonus_percent) / 100;
  v_time_taken := greatest(0, least(
    floor(extract(epoch from v_now - v_attempt.started_at)),
    coalesce(v_attempt.time_limit_seconds, 2147483647)))::integer;

  update public.quiz_attempts a
     set status = 'submitted', submitted_at = v_now, correct_count = v_correct,
         score_percentage = v_pct, xp_earned = v_base + v_bonus,
         time_taken_seconds = v_time_taken, auto_submitted = p_auto
   where a.id = p_attempt;

  -- Streak, in the zone in effect now; both days from instants in that same zone.
  v_tz := private.effective_streak_zone(v_before.streak_time_zone, v_before.pending_time_zone,
                                        v_before.pending_time_zone_from, v_now);
  v_today := (v_now at time zone v_tz)::date;
  v_last := case when v_before.last_activity_at is not null
                 then (v_before.last_activity_at at time zone v_tz)::date
                 else v_before.last_activity_date end;
  if v_last is null then
    v_streak := 1;
    v_streak_status := 'started';
  elsif v_last < v_today - 1 then
    v_streak := 1;
    v_streak_status := 'restarted';
  elsif v_last = v_today - 1 then
    v_streak := v_before.current_streak + 1;
    v_streak_status := 'extended';
  else
    v_streak := greatest(v_before.current_streak, 1);
    v_streak_status := 'unchanged';
  end if;
  v_longest := greatest(v_before.longest_streak, v_streak);

  update public.profiles p
     set quizzes_completed = p.quizzes_completed + v_qualifying::integer,
         questions_answered = p.questions_answered + case when v_global then v_total else 0 end,
         correct_answers = p.correct_answers + case when v_global then v_correct else 0 end,
         first_correct_answers = p.first_correct_answers + case when v_global then v_first_correct else 0 end,
         perfect_quizzes = p.perfect_quizzes + (v_qualifying and v_correct = v_total)::integer,
         high_score_quizzes = p.high_score_quizzes + (v_qualifying and v_correct * 100 >= 90 * v_total)::integer,
         current_streak = v_streak,
         longest_streak = v_longest,
         last_activity_date = greatest(v_last, v_today),
         last_activity_at = greatest(p.last_activity_at, v_now),
         streak_time_zone = v_tz,
         pending_time_zone = case when v_tz = p.streak_time_zone then p.pending_time_zone end,
         pending_time_zone_from = case when v_tz = p.streak_time_zone then p.pending_time_zone_from end
   where p.id = v_attempt.user_id;

  if v_global then
    insert into public.learner_exam_stats as s (
      user_id, exam_id, quizzes_completed, qualifying_quizzes, questions_answered, correct_answers, xp_earned,
      best_score, score_sum, last_submitted_at)
    values (v_attempt.user_id, v_attempt.exam_id, 1, v_qualifying::integer, v_total, v_correct, v_base + v_bonus,
            v_pct, v_pct, v_now)
    on conflict (user_id, exam_id) do update set
      quizzes_completed = s.quizzes_completed + 1,
      qualifying_quizzes = s.qualifying_quizzes + excluded.qualifying_quizzes,
      questions_answered = s.questions_answered + excluded.questions_answered,
      correct_answers = s.correct_answers + excluded.correct_answers,
      xp_earned = s.xp_earned + excluded.xp_earned,
      best_score = greatest(s.best_score, excluded.best_score),
      score_sum = s.score_sum + excluded.score_sum,
      last_submitted_at = excluded.last_submitted_at;
  end if;

  insert into public.xp_events (user_id, amount, source, attempt_id, organization_id, created_at)
  select v_attempt.user_id, x.amount, x.source, p_attempt, v_attempt.organization_id, v_now
  from (values (v_base, 'quiz'::public.xp_source), (v_bonus, 'accuracy_bonus'::public.xp_source)) x (amount, source)
  where x.amount > 0;

  if v_global then
    v_unlocked := private.evaluate_achievements(v_attempt.user_id);
  end if;

  select * into v_after from public.profiles p where p.id = v_attempt.user_id;

  return jsonb_build_object(
    'quiz_attempt_id', p_attempt,
    'exam_id', v_attempt.exam_id,
    'organization_id', v_attempt.organization_id,
    'mode', v_attempt.mode,
    'score', v_correct,
    'total_questions', v_total,
    'score_percentage', v_pct,
    'xp_earned', v_base + v_bonus,
    'xp_breakdown', jsonb_build_object(
      'base', v_base, 'accuracy_bonus', v_bonus, 'bonus_percent', v_bonus_percent,
      'unscored_repeats', v_repeats, 'unscored_known_keys', v_key_known,
      'achievements', coalesce((select sum((u ->> 'xp_reward')::integer) from jsonb_array_elements(v_unlocked) u), 0)),
    'counts_as_completed_quiz', v_qualifying,
    'total_xp', v_after.xp,
    'level', v_after.level,
    'current_level', v_after.level,
    'previous_level', v_before.level,
    'level_up', v_after.level > v_before.level,
    'next_level_xp', public.xp_for_level(v_after.level + 1),
    'achievements_unlocked', v_unlocked,
    'streak', jsonb_build_object(
      'current', v_after.current_streak, 'longest', v_after.longest_streak,
      'last_activity_date', v_after.last_activity_date, 'status', v_streak_status,
      'time_zone', v_tz),
    'time_taken_seconds', v_time_taken,
    'submitted_at', v_now,
    'auto_submitted', p_auto,
    'results', coalesce(v_results, '[]'::jsonb)
  );
end;
$$;
comment on function private.finalize_attempt_with_answers(uuid, boolean, bigint[], text[], integer[]) is
  'private.finalize_attempt with the submitted answers (question ids, answers, times; null arrays: none) merged into the grading UPDATE: each item written once. Grades an in-progress attempt and, atomically, scores it and updates XP ledger, level, counters, per-exam stats, achievements and streak. Returns the submission result.';
revoke execute on function private.finalize_attempt_with_answers(uuid, boolean, bigint[], text[], integer[]) from public;

create or replace function private.finalize_attempt(p_attempt uuid, p_auto boolean default false)
returns jsonb
language sql
volatile
security definer
set search_path = ''
as $$
  -- The deadline job's path: the saved answers only.
  select private.finalize_attempt_with_answers(p_attempt, p_auto, null, null, null)
$$;

create or replace function public.submit_quiz(p_attempt uuid, p_answers jsonb default '[]'::jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_attempt public.quiz_attempts;
  v_late boolean;
  v_elem jsonb;
  v_ord bigint;
  v_qid bigint;
  v_answer text;
  v_time integer;
  v_qids bigint[] := '{}';
  v_answers text[] := '{}';
  v_times integer[] := '{}';
  v_result jsonb;
begin
  perform private.enforce_rate_limit('submit_quiz');
  v_attempt := private.lock_own_attempt(p_attempt);
  v_late := private.attempt_is_late(v_attempt);
  p_answers := coalesce(p_answers, '[]'::jsonb);
  if jsonb_typeof(p_answers) <> 'array' then
    raise exception using
      errcode = '22023',
      message = 'p_answers must be a JSON array of {question_id, answer, time_spent_seconds}';
  end if;
  if jsonb_array_length(p_answers) > v_attempt.question_count then
    raise exception using
      errcode = '22023',
      message = format('%s answers sent for a quiz of %s questions', jsonb_array_length(p_answers), v_attempt.question_count);
  end if;

  for v_elem, v_ord in select e, o from jsonb_array_elements(p_answers) with ordinality t (e, o) loop
    if jsonb_typeof(v_elem) <> 'object' or jsonb_typeof(v_elem -> 'question_id') is distinct from 'number' then
      raise exception using
        errcode = '22023',
        message = format('answer #%s must be an object with a numeric question_id', v_ord);
    end if;
    v_qid := (v_elem ->> 'question_id')::bigint;
    v_answer := upper(btrim(coalesce(v_elem ->> 'answer', v_elem ->> 'user_answer')));
    if v_answer is not null and v_answer not in ('A', 'B', 'C', 'D') then
      raise exception using
        errcode = '22023',
        message = format('answer #%s (question %s): %L is not one of A, B, C, D or null', v_ord, v_qid, v_answer);
    end if;
    v_time := null;
    if jsonb_typeof(v_elem -> 'time_spent_seconds') = 'number' then
      v_time := round((v_elem ->> 'time_spent_seconds')::numeric)::integer;
      if v_time not between 0 and 86400 then
        raise exception using
          errcode = '22023',
          message = format('answer #%s (question %s): time_spent_seconds must be between 0 and 86400', v_ord, v_qid);
      end if;
    end if;
    if v_qid = any (v_qids) then
      raise exception using errcode = '22023', message = format('question %s is answered twice', v_qid);
    end if;
    if not exists (select 1 from public.quiz_attempt_items i where i.attempt_id = p_attempt and i.question_id = v_qid) then
      raise exception using
        errcode = '22023',
        message = format('question %s is not part of quiz attempt %s', v_qid, p_attempt),
        hint = 'answer only the questions start_quiz() returned for this attempt';
    end if;
    v_qids := v_qids || v_qid;
    v_answers := v_answers || v_answer;
    v_times := v_times || v_time;
  end loop;

  -- Past the deadline only the answers saved in time count.
  if v_late or cardinality(v_qids) = 0 then
    v_result := private.finalize_attempt_with_answers(p_attempt, v_late, null, null, null);
  else
    v_result := private.finalize_attempt_with_answers(p_attempt, v_late, v_qids, v_answers, v_times);
  end if;
  return v_result || jsonb_build_object('late_submission', v_late);
end;
$$;

revoke execute on all functions in schema private from public;
