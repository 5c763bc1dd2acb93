-- Quiz submission: the known-key rule checked once per attempt instead of once per question.
--
-- Profiled at 100k generated learners (plpgsql_check's profiler, pg_stat_statements with
-- track = all, auto_explain with log_nested_statements; tests/bench/leaderboards/README.md):
-- the grading UPDATE is the largest statement of submit_quiz, and about 40% of it was 30 calls
-- of private.key_readable_by (a SECURITY DEFINER SQL function with SET search_path, so never
-- inlined: each call pays a function-manager and executor setup). The rule is now one
-- set-based function, private.keys_readable_by(user, questions[]), called once per grading;
-- private.key_readable_by(user, question) is defined through it, so the rule exists once.
-- Items belong to their attempt's learner (quiz_attempt_items.user_id = quiz_attempts.user_id),
-- so checking for the attempt's learner is the per-item check. Results are unchanged.

create function private.keys_readable_by(p_user uuid, p_questions bigint[])
returns setof bigint
language sql
stable
security definer
set search_path = ''
as $$
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
  select r.question_id from public.question_reports r where r.question_id = any (p_questions) and r.moderator_id = p_user
$$;
comment on function private.keys_readable_by(uuid, bigint[]) is
  'Those of p_questions whose key the user can read (or could have read) other than by answering: author, editor, report moderator, staff of the owning organisation, platform admin for the global bank. The one definition of the rule (see key_readable_by).';

create or replace function private.key_readable_by(p_user uuid, p_question bigint)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from private.keys_readable_by(p_user, array[p_question]))
$$;
comment on function private.key_readable_by(uuid, bigint) is
  'True when the user can read (or could have read) the question''s key other than by answering it (private.keys_readable_by for one question).';

create or replace function private.finalize_attempt(p_attempt uuid, p_auto boolean default false)
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

  -- The questions whose key the learner could read other than by answering: one set-based query
  -- for the whole attempt (30 calls of key_readable_by cost about 40% of this UPDATE).
  v_known_keys := array(select private.keys_readable_by(v_attempt.user_id,
                          array(select i.question_id from public.quiz_attempt_items i where i.attempt_id = p_attempt)));

  -- Grade and score in one pass: correctness, keys the learner could read, and the XP rule
  -- (known keys and correct repeats inside the window earn nothing). One UPDATE writes each row
  -- once; four successive ones wrote four versions of every row (with their index entries) and
  -- re-ran the foreign-key checks of rows this transaction had already updated.
  update public.quiz_attempt_items i
     set is_correct = g.is_correct,
         graded_at = v_now,
         key_exposed = g.key_exposed,
         xp_rule = g.rule,
         xp_awarded = case when g.rule = 'first_correct' then private.xp_per_correct_answer() else 0 end
    from (
      select s.position, s.is_correct, s.key_exposed,
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
        select x.position, x.user_id, x.question_id, x.attempt_id,
               coalesce(x.selected_answer is not null and x.selected_answer = k.correct_answer, false) as is_correct,
               x.key_exposed or x.question_id = any (v_known_keys) as key_exposed
        from public.quiz_attempt_items x
        left join public.question_keys k on k.question_id = x.question_id
        where x.attempt_id = p_attempt
      ) s
    ) g
   where i.attempt_id = p_attempt and i.position = g.position;

  select count(*) filter (where i.is_correct), count(*), coalesce(sum(i.xp_awarded), 0),
         count(*) filter (where i.xp_rule = 'repeat'), count(*) filter (where i.xp_rule = 'key_known'),
         count(*) filter (where i.xp_rule = 'first_correct')
    into v_correct, v_total, v_base, v_repeats, v_key_known, v_first_correct
  from public.quiz_attempt_items i where i.attempt_id = p_attempt;

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

  select jsonb_agg(jsonb_build_object(
           'position', i.position, 'question_id', i.question_id, 'domain_id', i.domain_id,
           'selected_answer', i.selected_answer, 'correct_answer', k.correct_answer,
           'is_correct', i.is_correct, 'time_spent_seconds', i.time_spent_seconds,
           'xp_rule', i.xp_rule, 'xp_awarded', i.xp_awarded,
           'explanations', k.explanations)
         order by i.position)
    into v_results
  from public.quiz_attempt_items i
  left join public.question_keys k on k.question_id = i.question_id
  where i.attempt_id = p_attempt;

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

revoke execute on all functions in schema private from public;
