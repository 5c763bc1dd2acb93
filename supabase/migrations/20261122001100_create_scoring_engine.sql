-- The scoring engine: grading an attempt and, in the same transaction, XP (10 per correct answer
-- plus +50% at 90%, +25% at 80%, +10% at 70%), level, streak (in the learner's time zone),
-- counters and achievements. Achievements are re-evaluated until nothing new unlocks, so an
-- achievement reward that raises the level also unlocks the level achievements.

-- Unlocks every active achievement whose counter reached its threshold and was not earned yet;
-- grants their XP and avatars. Returns the unlocked achievements as a JSON array.
create function private.evaluate_achievements(p_user uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock();
  v_ids bigint[];
  v_unlocked jsonb := '[]'::jsonb;
  v_round integer := 0;
begin
  loop
    v_round := v_round + 1;
    select coalesce(array_agg(a.id order by a.position, a.id), '{}')
      into v_ids
    from public.achievements a
    join public.profiles p on p.id = p_user
    left join public.learner_exam_stats s on s.user_id = p_user and s.exam_id = a.exam_id
    where a.is_active
      and not exists (
        select 1 from public.user_achievements ua where ua.user_id = p_user and ua.achievement_id = a.id
      )
      and (case a.criteria_type
             when 'quiz_completed' then p.quizzes_completed
             when 'perfect_quiz' then p.perfect_quizzes
             when 'high_score_quiz' then p.high_score_quizzes
             when 'correct_answers' then p.correct_answers
             when 'study_streak' then p.longest_streak
             when 'level_reached' then p.level
             when 'exam_specific' then coalesce(s.quizzes_completed, 0)
           end) >= a.criteria_value;

    exit when cardinality(v_ids) = 0 or v_round > 20;

    with earned as (
      insert into public.user_achievements (user_id, achievement_id, earned_at)
      select p_user, unnest(v_ids), v_now
      on conflict do nothing
      returning achievement_id
    )
    select coalesce(array_agg(achievement_id), '{}') into v_ids from earned;

    insert into public.xp_events (user_id, amount, source, achievement_id, created_at)
    select p_user, a.xp_reward, 'achievement', a.id, v_now
    from public.achievements a
    where a.id = any (v_ids) and a.xp_reward > 0;

    with granted as (
      insert into public.user_avatars (user_id, avatar_id, unlocked_at, source)
      select p_user, av.id, v_now, 'achievement'
      from public.avatars av
      where av.required_achievement_id = any (v_ids)
      on conflict do nothing
      returning avatar_id
    )
    select v_unlocked || coalesce(jsonb_agg(
             jsonb_build_object(
               'id', a.id, 'slug', a.slug, 'name', a.name, 'description', a.description,
               'badge_icon', a.badge_icon, 'criteria_type', a.criteria_type,
               'criteria_value', a.criteria_value, 'xp_reward', a.xp_reward, 'is_hidden', a.is_hidden,
               'avatars_unlocked', coalesce((
                 select jsonb_agg(jsonb_build_object('id', av.id, 'slug', av.slug, 'name', av.name,
                                                     'rarity', av.rarity, 'image_url', av.image_url)
                                  order by av.position, av.id)
                 from public.avatars av
                 where av.required_achievement_id = a.id and av.id in (select g.avatar_id from granted g)
               ), '[]'::jsonb)
             ) order by a.position, a.id), '[]'::jsonb)
      into v_unlocked
    from public.achievements a
    where a.id = any (v_ids);
  end loop;
  return v_unlocked;
end;
$$;
comment on function private.evaluate_achievements(uuid) is
  'Unlocks (once each) every achievement the learner now qualifies for, grants their XP rewards and avatars, repeats until stable; returns the unlocked ones.';

-- Grades an in-progress attempt and applies everything that follows from it. Callers validate
-- ownership and state; p_auto marks a submission after the deadline (only saved answers count).
create function private.finalize_attempt(p_attempt uuid, p_auto boolean default false)
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
  v_correct integer;
  v_total integer;
  v_pct numeric(5, 2);
  v_base integer;
  v_bonus_percent integer;
  v_bonus integer;
  v_time_taken integer;
  v_today date;
  v_streak integer;
  v_longest integer;
  v_last date;
  v_streak_status text;
  v_unlocked jsonb;
  v_results jsonb;
begin
  select * into v_attempt from public.quiz_attempts a where a.id = p_attempt for update;
  if not found or v_attempt.status <> 'in_progress' then
    raise exception using errcode = 'PT409', message = format('quiz attempt %s is not in progress', p_attempt);
  end if;
  select * into v_before from public.profiles p where p.id = v_attempt.user_id for update;

  -- Grade.
  update public.quiz_attempt_items i
     set is_correct = (i.selected_answer is not null and i.selected_answer = k.correct_answer),
         graded_at = v_now
    from public.question_keys k
   where i.attempt_id = p_attempt and k.question_id = i.question_id;
  update public.quiz_attempt_items i
     set is_correct = false, graded_at = v_now
   where i.attempt_id = p_attempt and i.graded_at is null;

  select count(*) filter (where i.is_correct), count(*)
    into v_correct, v_total
  from public.quiz_attempt_items i where i.attempt_id = p_attempt;

  v_pct := round(v_correct * 100.0 / v_total, 2);
  v_base := 10 * v_correct;
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

  -- Streak, in the learner's own time zone.
  v_today := (v_now at time zone v_before.time_zone)::date;
  v_last := v_before.last_activity_date;
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
     set quizzes_completed = p.quizzes_completed + 1,
         questions_answered = p.questions_answered + v_total,
         correct_answers = p.correct_answers + v_correct,
         perfect_quizzes = p.perfect_quizzes + (v_correct = v_total)::integer,
         high_score_quizzes = p.high_score_quizzes + (v_correct * 100 >= 90 * v_total)::integer,
         current_streak = v_streak,
         longest_streak = v_longest,
         last_activity_date = greatest(v_last, v_today)
   where p.id = v_attempt.user_id;

  insert into public.learner_exam_stats as s (
    user_id, exam_id, quizzes_completed, questions_answered, correct_answers, xp_earned,
    best_score, score_sum, last_submitted_at)
  values (v_attempt.user_id, v_attempt.exam_id, 1, v_total, v_correct, v_base + v_bonus, v_pct, v_pct, v_now)
  on conflict (user_id, exam_id) do update set
    quizzes_completed = s.quizzes_completed + 1,
    questions_answered = s.questions_answered + excluded.questions_answered,
    correct_answers = s.correct_answers + excluded.correct_answers,
    xp_earned = s.xp_earned + excluded.xp_earned,
    best_score = greatest(s.best_score, excluded.best_score),
    score_sum = s.score_sum + excluded.score_sum,
    last_submitted_at = excluded.last_submitted_at;

  insert into public.xp_events (user_id, amount, source, attempt_id, created_at)
  select v_attempt.user_id, x.amount, x.source, p_attempt, v_now
  from (values (v_base, 'quiz'::public.xp_source), (v_bonus, 'accuracy_bonus'::public.xp_source)) x (amount, source)
  where x.amount > 0;

  v_unlocked := private.evaluate_achievements(v_attempt.user_id);

  select * into v_after from public.profiles p where p.id = v_attempt.user_id;

  select jsonb_agg(jsonb_build_object(
           'position', i.position, 'question_id', i.question_id, 'domain_id', i.domain_id,
           'selected_answer', i.selected_answer, 'correct_answer', k.correct_answer,
           'is_correct', i.is_correct, 'time_spent_seconds', i.time_spent_seconds,
           'explanations', k.explanations)
         order by i.position)
    into v_results
  from public.quiz_attempt_items i
  left join public.question_keys k on k.question_id = i.question_id
  where i.attempt_id = p_attempt;

  return jsonb_build_object(
    'quiz_attempt_id', p_attempt,
    'exam_id', v_attempt.exam_id,
    'mode', v_attempt.mode,
    'score', v_correct,
    'total_questions', v_total,
    'score_percentage', v_pct,
    'xp_earned', v_base + v_bonus,
    'xp_breakdown', jsonb_build_object(
      'base', v_base, 'accuracy_bonus', v_bonus, 'bonus_percent', v_bonus_percent,
      'achievements', coalesce((select sum((u ->> 'xp_reward')::integer) from jsonb_array_elements(v_unlocked) u), 0)),
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
      'time_zone', v_after.time_zone),
    'time_taken_seconds', v_time_taken,
    'submitted_at', v_now,
    'auto_submitted', p_auto,
    'results', coalesce(v_results, '[]'::jsonb)
  );
end;
$$;
comment on function private.finalize_attempt(uuid, boolean) is
  'Grades an in-progress attempt and, atomically, updates XP ledger, level, streak, counters, per-exam stats and achievements; returns the submission result.';

-- ---------------------------------------------------------------------------
-- Admin XP adjustment (the only other way XP changes)
-- ---------------------------------------------------------------------------

create function public.admin_adjust_xp(p_user uuid, p_amount integer, p_note text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_before public.profiles;
  v_after public.profiles;
  v_unlocked jsonb;
begin
  if not (private.is_platform_admin() or private.is_service_role()) then
    raise exception using errcode = '42501', message = 'only platform admins adjust XP';
  end if;
  if p_amount is null or p_amount = 0 then
    raise exception using errcode = '22023', message = 'p_amount must be a non-zero number of XP';
  end if;
  if p_note is null or char_length(btrim(p_note)) < 3 then
    raise exception using errcode = '22023', message = 'p_note must say why XP is adjusted (3+ characters)';
  end if;
  select * into v_before from public.profiles p where p.id = p_user for update;
  if not found then
    raise exception using errcode = 'PT404', message = format('no learner %s', p_user);
  end if;
  if v_before.xp + p_amount < 0 then
    raise exception using
      errcode = '22023',
      message = format('the learner has %s XP; removing %s would make it negative', v_before.xp, -p_amount);
  end if;
  insert into public.xp_events (user_id, amount, source, note) values (p_user, p_amount, 'adjustment', btrim(p_note));
  v_unlocked := private.evaluate_achievements(p_user);
  select * into v_after from public.profiles p where p.id = p_user;
  return jsonb_build_object(
    'user_id', p_user, 'total_xp', v_after.xp, 'level', v_after.level,
    'previous_level', v_before.level, 'level_up', v_after.level > v_before.level,
    'achievements_unlocked', v_unlocked);
end;
$$;
comment on function public.admin_adjust_xp(uuid, integer, text) is
  'Platform admins (or the service role) append an XP adjustment with a reason; level and level achievements follow. Errors: 42501, 22023, PT404.';
revoke execute on function public.admin_adjust_xp(uuid, integer, text) from public, anon;
grant execute on function public.admin_adjust_xp(uuid, integer, text) to authenticated, service_role;

revoke execute on all functions in schema private from public;
