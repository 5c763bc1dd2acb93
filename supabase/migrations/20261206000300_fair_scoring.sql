-- Fair scoring: the rules that close the ways a learner could farm XP, achievements and boards.
--
-- 1. Organisation content stays in its organisation. start_quiz(p_organization => null) is global
--    practice and draws only global questions; start_quiz(p_organization => X) is X's practice,
--    for X's members, and draws only X's own questions. An organisation-scoped attempt is graded
--    and recorded as usual and its XP goes to the ledger tagged with X (xp_events.organization_id):
--    it counts on X's boards only. It never changes the learner's global XP, level, counters,
--    per-exam stats or achievements, and never counts on a global board.
-- 2. No XP for known keys. An answer to a question whose key the learner could read before
--    answering is recorded and graded but unscored (0 XP): the question's author or an editor of
--    one of its versions, a moderator of one of its reports, an owner/admin/instructor of the
--    organisation that owns it, and (for the global bank) a platform admin. Checked when the
--    question is drawn and again when the quiz is graded.
-- 3. First correct answer only. A correct answer earns 10 XP only if the learner had not already
--    answered the same question correctly in the 30 days before; a correct repeat inside that
--    window earns 0 XP (it still counts for accuracy and analytics). Practice draws the
--    questions not answered correctly in the window first.
--    The accuracy bonus (+10% from 70%, +25% from 80%, +50% from 90%, floored) applies to the
--    XP actually earned, so a quiz of repeats earns nothing.
--    Correct-answer achievements count only such scored answers (profiles.first_correct_answers).
-- 4. Minimum quiz size. Only quizzes of at least 10 questions count as completed quizzes:
--    quizzes_completed, perfect_quizzes, high_score_quizzes (and so the quiz-count, perfect-score,
--    high-score and per-exam achievements), and the quiz-count and accuracy boards.
-- 5. Streaks that time-zone hopping cannot game. The streak follows profiles.streak_time_zone. A
--    change of profiles.time_zone is scheduled for streaks from the next local midnight (in the
--    zone in effect); further changes before that only replace the scheduled zone, so the streak
--    zone changes at most once per local day. Days are computed from the instant of the last
--    counted quiz (last_activity_at) in the zone in effect, so both ends of a comparison always
--    use the same zone.
-- 6. Rate limits (private.enforce_rate_limit): start_quiz 30 and submit_quiz 10 calls per minute.

-- ---------------------------------------------------------------------------
-- Rule constants
-- ---------------------------------------------------------------------------

create function private.min_qualifying_quiz_size()
returns integer
language sql
immutable
set search_path = ''
as $$ select 10 $$;
comment on function private.min_qualifying_quiz_size() is
  'Quizzes of at least this many questions count as completed quizzes (achievements, quiz-count and accuracy boards): 10.';

create function private.repeat_xp_window()
returns interval
language sql
immutable
set search_path = ''
as $$ select interval '30 days' $$;
comment on function private.repeat_xp_window() is
  'A correct answer earns XP only if the same question was not answered correctly within this window before: 30 days.';

create function private.xp_per_correct_answer()
returns integer
language sql
immutable
set search_path = ''
as $$ select 10 $$;
comment on function private.xp_per_correct_answer() is 'XP for a scored correct answer: 10.';

-- ---------------------------------------------------------------------------
-- Columns
-- ---------------------------------------------------------------------------

alter table public.quiz_attempts
  add column organization_id uuid references public.organizations (id) on delete cascade;
comment on column public.quiz_attempts.organization_id is
  'Null: global practice (global questions, global XP, boards and achievements). Otherwise the organisation whose own questions were practised; the XP counts only on its boards.';
create index quiz_attempts_organization_id_idx on public.quiz_attempts (organization_id) where organization_id is not null;

alter table public.quiz_attempt_items
  add column key_exposed boolean not null default false,
  add column xp_rule text,
  add column xp_awarded integer,
  add constraint quiz_attempt_items_xp_rule_valid
    check (xp_rule is null or xp_rule in ('first_correct', 'repeat', 'key_known', 'incorrect')),
  add constraint quiz_attempt_items_xp_awarded_range check (xp_awarded is null or xp_awarded >= 0);
comment on column public.quiz_attempt_items.key_exposed is
  'True when the learner could read this question''s key before answering (author, editor, report moderator, staff of the owning organisation, platform admin for the global bank): the answer is unscored.';
comment on column public.quiz_attempt_items.xp_rule is
  'How the answer was scored: first_correct (10 XP), repeat (correct again within 30 days: 0 XP), key_known (0 XP), incorrect (0 XP). Null until graded.';
comment on column public.quiz_attempt_items.xp_awarded is 'Base XP this answer earned (before the accuracy bonus). Null until graded.';

alter table public.xp_events
  add column organization_id uuid references public.organizations (id) on delete cascade;
comment on column public.xp_events.organization_id is
  'Null: global XP (profiles.xp, global boards). Otherwise XP earned practising that organisation''s own questions, counted only on its boards.';
create index xp_events_organization_id_idx on public.xp_events (organization_id, created_at) where organization_id is not null;

alter table public.learner_exam_stats
  add column qualifying_quizzes integer not null default 0;
comment on column public.learner_exam_stats.qualifying_quizzes is
  'Global quizzes of this exam with at least 10 questions (what the per-exam achievements count).';
update public.learner_exam_stats set qualifying_quizzes = quizzes_completed;

alter table public.profiles
  add column streak_time_zone text not null default 'UTC',
  add column pending_time_zone text,
  add column pending_time_zone_from timestamptz,
  add column last_activity_at timestamptz,
  add column first_correct_answers integer not null default 0,
  add constraint profiles_streak_time_zone_valid check (private.is_valid_time_zone(streak_time_zone)),
  add constraint profiles_pending_time_zone_complete check ((pending_time_zone is null) = (pending_time_zone_from is null)),
  add constraint profiles_first_correct_answers_range check (first_correct_answers between 0 and correct_answers);
comment on column public.profiles.first_correct_answers is
  'Correct answers in global quizzes that earned XP (first correct answer to the question in 30 days, key not known): what correct-answer achievements count.';
comment on column public.profiles.streak_time_zone is
  'Time zone the streak follows. A change of time_zone reaches it only from the next local midnight, at most once per local day.';
comment on column public.profiles.pending_time_zone is 'A time_zone change waiting to apply to streaks (from pending_time_zone_from).';
comment on column public.profiles.pending_time_zone_from is 'When pending_time_zone starts to apply to streaks: the next local midnight after the change.';
comment on column public.profiles.last_activity_at is 'Instant of the last quiz that counted for the streak.';
comment on column public.profiles.quizzes_completed is 'Global quizzes of 10+ questions submitted.';
comment on column public.profiles.questions_answered is 'Questions graded in submitted global quizzes (unanswered ones count).';
comment on column public.profiles.correct_answers is 'Questions answered correctly in global quizzes.';
comment on column public.profiles.perfect_quizzes is 'Global quizzes of 10+ questions submitted at 100%.';
comment on column public.profiles.high_score_quizzes is 'Global quizzes of 10+ questions submitted at 90% or more.';
comment on column public.profiles.xp is 'Total global XP: the sum of the learner''s xp_events without an organisation.';
comment on column public.profiles.time_zone is 'IANA time zone for display and daily analytics; streaks follow it from the next local day (see streak_time_zone).';
update public.profiles set streak_time_zone = time_zone, last_activity_at = null, first_correct_answers = correct_answers;

-- ---------------------------------------------------------------------------
-- Time-zone changes reach streaks from the next local day
-- ---------------------------------------------------------------------------

create function private.effective_streak_zone(streak_zone text, pending_zone text, pending_from timestamptz, at timestamptz)
returns text
language sql
immutable
set search_path = ''
as $$
  select case when pending_zone is not null and pending_from <= at then pending_zone else streak_zone end
$$;
comment on function private.effective_streak_zone(text, text, timestamptz, timestamptz) is
  'The time zone streaks use at an instant: the scheduled zone once its start has passed, else the current streak zone.';

create function private.schedule_streak_time_zone()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock();
begin
  if tg_op = 'INSERT' then
    new.streak_time_zone := new.time_zone;
    new.pending_time_zone := null;
    new.pending_time_zone_from := null;
    return new;
  end if;
  if new.time_zone is not distinct from old.time_zone then
    return new;
  end if;
  -- A scheduled zone whose day has come is the streak zone now.
  if old.pending_time_zone is not null and old.pending_time_zone_from <= v_now then
    new.streak_time_zone := old.pending_time_zone;
    new.pending_time_zone := null;
    new.pending_time_zone_from := null;
  end if;
  if new.time_zone = new.streak_time_zone then
    new.pending_time_zone := null;
    new.pending_time_zone_from := null;
  else
    new.pending_time_zone_from := coalesce(
      new.pending_time_zone_from,
      (((v_now at time zone new.streak_time_zone)::date + 1)::timestamp at time zone new.streak_time_zone));
    new.pending_time_zone := new.time_zone;
  end if;
  return new;
end;
$$;
comment on function private.schedule_streak_time_zone() is
  'BEFORE INSERT/UPDATE on profiles: a new profile''s streak follows its time zone; a changed time_zone reaches streaks only from the next local midnight of the zone in effect (later changes that day replace it, without moving that start).';

create trigger profiles_schedule_streak_time_zone
  before insert or update on public.profiles
  for each row execute function private.schedule_streak_time_zone();

-- ---------------------------------------------------------------------------
-- Who could read a question's key
-- ---------------------------------------------------------------------------

create function private.key_readable_by(p_user uuid, p_question bigint)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
      select 1 from public.questions q
      where q.id = p_question
        and (q.created_by = p_user
             or q.updated_by = p_user
             or (q.organization_id is not null and exists (
                   select 1 from public.organization_members m
                   where m.organization_id = q.organization_id and m.user_id = p_user
                     and m.role in ('owner', 'admin', 'instructor')))
             or (q.organization_id is null and exists (
                   select 1 from auth.users u
                   where u.id = p_user and coalesce(u.raw_app_meta_data -> 'platform_admin' = 'true'::jsonb, false)))))
    or exists (select 1 from public.question_versions v where v.question_id = p_question and v.edited_by = p_user)
    or exists (select 1 from public.question_reports r where r.question_id = p_question and r.moderator_id = p_user)
$$;
comment on function private.key_readable_by(uuid, bigint) is
  'True when the user can read (or could have read) the question''s key other than by answering it: author, editor, report moderator, staff of the owning organisation, platform admin for the global bank.';

-- ---------------------------------------------------------------------------
-- Global XP only in profiles
-- ---------------------------------------------------------------------------

create or replace function private.apply_xp_events()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.profiles p
     set xp = p.xp + s.amount,
         level = private.level_for_xp(p.xp + s.amount)
    from (select n.user_id, sum(n.amount) as amount from new_events n where n.organization_id is null group by n.user_id) s
   where p.id = s.user_id;
  return null;
end;
$$;
comment on function private.apply_xp_events() is
  'AFTER INSERT (statement) on xp_events: adds the new global XP (events without an organisation) to profiles.xp and recomputes the level.';

-- ---------------------------------------------------------------------------
-- Achievements: per-exam achievements count qualifying quizzes
-- ---------------------------------------------------------------------------

create or replace function private.evaluate_achievements(p_user uuid)
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
             when 'correct_answers' then p.first_correct_answers
             when 'study_streak' then p.longest_streak
             when 'level_reached' then p.level
             when 'exam_specific' then coalesce(s.qualifying_quizzes, 0)
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
  'Unlocks (once each) every achievement the learner now qualifies for (quiz counts: global quizzes of 10+ questions), grants their XP rewards and avatars, repeats until stable; returns the unlocked ones.';

create or replace function public.get_my_achievements()
returns table (
  id bigint,
  slug text,
  name text,
  description text,
  badge_icon text,
  criteria_type public.achievement_criteria,
  criteria_value integer,
  exam_id text,
  xp_reward integer,
  is_hidden boolean,
  earned boolean,
  earned_at timestamptz,
  progress integer,
  progress_percent numeric
)
language sql
stable
security definer
set search_path = ''
as $$
  select a.id, a.slug, a.name, a.description, a.badge_icon, a.criteria_type, a.criteria_value, a.exam_id,
         a.xp_reward, a.is_hidden, ua.earned_at is not null, ua.earned_at,
         v.progress, round(v.progress * 100.0 / a.criteria_value, 1)
  from public.achievements a
  join public.profiles p on p.id = private.require_user()
  left join public.user_achievements ua on ua.user_id = p.id and ua.achievement_id = a.id
  left join public.learner_exam_stats s on s.user_id = p.id and s.exam_id = a.exam_id
  cross join lateral (
    select case when ua.earned_at is not null then a.criteria_value
                else least(a.criteria_value, case a.criteria_type
                  when 'quiz_completed' then p.quizzes_completed
                  when 'perfect_quiz' then p.perfect_quizzes
                  when 'high_score_quiz' then p.high_score_quizzes
                  when 'correct_answers' then p.first_correct_answers
                  when 'study_streak' then p.longest_streak
                  when 'level_reached' then p.level
                  when 'exam_specific' then coalesce(s.qualifying_quizzes, 0)
                end) end as progress
  ) v
  where ua.earned_at is not null or (a.is_active and not a.is_hidden)
  order by a.position, a.id
$$;
comment on function public.get_my_achievements() is
  'Every visible achievement (hidden ones only once earned) with the caller''s progress toward it (quiz counts: global quizzes of 10+ questions) and when it was earned.';

-- ---------------------------------------------------------------------------
-- Grading
-- ---------------------------------------------------------------------------

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
begin
  select * into v_attempt from public.quiz_attempts a where a.id = p_attempt for update;
  if not found or v_attempt.status <> 'in_progress' then
    raise exception using errcode = 'PT409', message = format('quiz attempt %s is not in progress', p_attempt);
  end if;
  select * into v_before from public.profiles p where p.id = v_attempt.user_id for update;
  v_global := v_attempt.organization_id is null;

  -- Grade.
  update public.quiz_attempt_items i
     set is_correct = (i.selected_answer is not null and i.selected_answer = k.correct_answer),
         graded_at = v_now
    from public.question_keys k
   where i.attempt_id = p_attempt and k.question_id = i.question_id;
  update public.quiz_attempt_items i
     set is_correct = false, graded_at = v_now
   where i.attempt_id = p_attempt and i.graded_at is null;

  -- Score: known keys and correct repeats inside the window earn nothing.
  update public.quiz_attempt_items i
     set key_exposed = i.key_exposed or private.key_readable_by(i.user_id, i.question_id)
   where i.attempt_id = p_attempt;
  update public.quiz_attempt_items i
     set xp_rule = r.rule,
         xp_awarded = case when r.rule = 'first_correct' then private.xp_per_correct_answer() else 0 end
    from (
      select x.position,
             case
               when not x.is_correct then 'incorrect'
               when x.key_exposed then 'key_known'
               when exists (
                 select 1 from public.quiz_attempt_items p
                 where p.user_id = x.user_id and p.question_id = x.question_id and p.graded_at is not null
                   and p.is_correct and p.attempt_id <> x.attempt_id
                   and p.graded_at > v_now - private.repeat_xp_window() and p.graded_at <= v_now) then 'repeat'
               else 'first_correct'
             end as rule
      from public.quiz_attempt_items x
      where x.attempt_id = p_attempt
    ) r
   where i.attempt_id = p_attempt and i.position = r.position;

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
comment on function private.finalize_attempt(uuid, boolean) is
  'Grades an in-progress attempt and, atomically, scores it (10 XP per first correct answer in 30 days, 0 for repeats and known keys, accuracy bonus on that), updates the XP ledger and, for global practice, level, counters (quizzes of 10+ questions), per-exam stats and achievements; the streak in the zone in effect. Returns the submission result.';

-- ---------------------------------------------------------------------------
-- start_quiz: scope, fresh questions first, known keys flagged, rate limited
-- ---------------------------------------------------------------------------

drop function public.start_quiz(text, integer, text[], public.quiz_mode, integer);

create function public.start_quiz(
  p_exam text,
  p_count integer default 10,
  p_domains text[] default null,
  p_mode public.quiz_mode default 'practice',
  p_time_limit_seconds integer default null,
  p_organization uuid default null
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_now timestamptz := private.clock();
  v_domain_ids bigint[];
  v_unknown text[];
  v_review bigint[];
  v_attempt uuid;
  v_drawn integer;
begin
  perform private.enforce_rate_limit('start_quiz');
  if not exists (select 1 from public.exams e where e.id = p_exam and e.is_active) then
    raise exception using
      errcode = 'PT404',
      message = format('unknown exam %L', p_exam),
      hint = 'choose an exam id from the exams table (security, network, a1101, a1102, ...)';
  end if;
  if p_organization is not null and not private.is_org_member(p_organization) then
    raise exception using
      errcode = '42501',
      message = 'you can only practise the questions of organisations you belong to',
      hint = 'leave p_organization null to practise the global question bank';
  end if;
  if p_count is null or p_count not between 1 and 100 then
    raise exception using errcode = '22023', message = format('p_count must be between 1 and 100, not %s', p_count);
  end if;
  if p_mode is null then
    raise exception using errcode = '22023', message = 'p_mode must be practice, weak_areas or review';
  end if;
  if p_time_limit_seconds is not null and p_time_limit_seconds not between 60 and 86400 then
    raise exception using
      errcode = '22023',
      message = format('p_time_limit_seconds must be between 60 and 86400, not %s', p_time_limit_seconds),
      hint = 'pass null for an untimed quiz';
  end if;
  if p_domains is not null and cardinality(p_domains) > 0 then
    select array_agg(d.id) filter (where d.id is not null), array_agg(c) filter (where d.id is null)
      into v_domain_ids, v_unknown
    from unnest(p_domains) c
    left join public.exam_domains d on d.exam_id = p_exam and d.code = c;
    if v_unknown is not null then
      raise exception using
        errcode = '22023',
        message = format('exam %L has no domain %s', p_exam, array_to_string(v_unknown, ', ')),
        hint = 'use the codes of exam_domains (e.g. 1.0, 2.0)';
    end if;
  end if;

  if p_mode = 'review' then
    select coalesce(array_agg(l.question_id), '{}') into v_review
    from (
      select distinct on (i.question_id) i.question_id, i.is_correct
      from public.quiz_attempt_items i
      where i.user_id = v_uid and i.exam_id = p_exam and i.graded_at is not null
      order by i.question_id, i.graded_at desc
    ) l
    where not l.is_correct;
    if cardinality(v_review) = 0 then
      raise exception using
        errcode = 'PT404',
        message = format('nothing to review in %s: you have not answered any question of it wrong', p_exam),
        hint = 'take a practice quiz first';
    end if;
  end if;

  -- One quiz in progress per exam: starting a new one abandons the previous.
  update public.quiz_attempts a set status = 'abandoned'
   where a.user_id = v_uid and a.exam_id = p_exam and a.status = 'in_progress';

  insert into public.quiz_attempts (user_id, exam_id, organization_id, mode, domain_codes, question_count,
                                    time_limit_seconds, started_at, expires_at)
  values (v_uid, p_exam, p_organization, p_mode, p_domains, p_count, p_time_limit_seconds, v_now,
          v_now + make_interval(secs => p_time_limit_seconds))
  returning id into v_attempt;

  with perf as (
    select i.domain_id, count(*) as answered, avg(case when i.is_correct then 1.0 else 0.0 end) as accuracy
    from public.quiz_attempt_items i
    where p_mode = 'weak_areas' and i.user_id = v_uid and i.exam_id = p_exam and i.graded_at is not null
    group by i.domain_id
  ),
  drawn as (
    select q.id, q.version, q.domain_id,
           case
             when p_mode <> 'weak_areas' then 0
             when perf.answered >= 10 and perf.accuracy < 0.7 then 0
             when perf.answered is null or perf.answered < 10 then 1
             else 2
           end as tier,
           exists (
             select 1 from public.quiz_attempt_items p
             where p.user_id = v_uid and p.question_id = q.id and p.graded_at is not null and p.is_correct
               and p.graded_at > v_now - private.repeat_xp_window()
           ) as recently_correct,
           coalesce(perf.accuracy, 1) as accuracy,
           random() as r
    from public.questions q
    left join perf on perf.domain_id = q.domain_id
    where q.exam_id = p_exam
      and q.status = 'published'
      and q.organization_id is not distinct from p_organization
      and (v_domain_ids is null or q.domain_id = any (v_domain_ids))
      and (p_mode <> 'review' or q.id = any (v_review))
      and exists (select 1 from public.question_keys k where k.question_id = q.id)
    order by tier, recently_correct, r
    limit p_count
  )
  insert into public.quiz_attempt_items (attempt_id, position, question_id, question_version, user_id, exam_id, domain_id, key_exposed)
  select v_attempt, row_number() over (order by d.tier, d.recently_correct, d.r), d.id, d.version, v_uid, p_exam, d.domain_id,
         private.key_readable_by(v_uid, d.id)
  from drawn d;
  get diagnostics v_drawn = row_count;

  if v_drawn = 0 then
    raise exception using
      errcode = 'PT404',
      message = format('no published question of exam %L matches this quiz%s%s', p_exam,
                       case when v_domain_ids is not null then ' (domains ' || array_to_string(p_domains, ', ') || ')' else '' end,
                       case when p_organization is not null then ' in this organisation''s own questions' else '' end),
      hint = 'choose other domains, or ask an instructor to publish questions';
  end if;
  if v_drawn < p_count then
    update public.quiz_attempts a set question_count = v_drawn where a.id = v_attempt;
  end if;

  return private.attempt_payload(v_attempt) || jsonb_build_object('organization_id', p_organization);
end;
$$;
comment on function public.start_quiz(text, integer, text[], public.quiz_mode, integer, uuid) is
  'Draws up to p_count (1-100) random published questions of the exam (optionally of some domain codes) without repeats, questions not answered correctly in the last 30 days first, in practice, weak_areas or review mode, optionally timed. p_organization null: the global bank; an organisation the caller belongs to: only its own questions (XP counted on its boards only). Abandons the learner''s previous in-progress quiz of that exam; returns the attempt with its questions and no answers. Limited to 30 calls per minute (PT429). Errors: 42501, PT404, 22023, PT429.';
revoke execute on function public.start_quiz(text, integer, text[], public.quiz_mode, integer, uuid) from public, anon;
grant execute on function public.start_quiz(text, integer, text[], public.quiz_mode, integer, uuid) to authenticated;

-- ---------------------------------------------------------------------------
-- submit_quiz: rate limited
-- ---------------------------------------------------------------------------

create or replace function public.submit_quiz(p_attempt uuid, p_answers jsonb default '[]'::jsonb)
returns jsonb
language plpgsql
volatile
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
  if not v_late and cardinality(v_qids) > 0 then
    update public.quiz_attempt_items i
       set selected_answer = u.answer,
           time_spent_seconds = coalesce(u.time_spent, i.time_spent_seconds)
      from unnest(v_qids, v_answers, v_times) u (question_id, answer, time_spent)
     where i.attempt_id = p_attempt and i.question_id = u.question_id;
  end if;

  v_result := private.finalize_attempt(p_attempt, v_late);
  return v_result || jsonb_build_object('late_submission', v_late);
end;
$$;
comment on function public.submit_quiz(uuid, jsonb) is
  'Grades the caller''s in-progress quiz with p_answers ([{question_id, answer: A-D|null, time_spent_seconds}], merged over saved answers) and, in the same transaction, scores it and updates XP, level, streak, counters and achievements. Returns {quiz_attempt_id, organization_id, score, total_questions, score_percentage, xp_earned, xp_breakdown, counts_as_completed_quiz, total_xp, level, previous_level, level_up, achievements_unlocked, streak, results: [{..., xp_rule, xp_awarded}], ...}. Past the deadline only saved answers count (late_submission true). Limited to 10 calls per minute. Errors: PT404, 42501, PT409, 22023, PT429.';

-- ---------------------------------------------------------------------------
-- The streak-reset job follows the zone in effect
-- ---------------------------------------------------------------------------

create or replace function private.reset_broken_streaks()
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock();
  v_count integer;
begin
  -- Zones are at most 26 hours apart, so a broken streak's stored last day is before UTC today + 2.
  update public.profiles p
     set current_streak = 0
   where p.current_streak > 0
     and p.last_activity_date < (v_now at time zone 'UTC')::date + 2
     and coalesce(
           (p.last_activity_at at time zone private.effective_streak_zone(p.streak_time_zone, p.pending_time_zone, p.pending_time_zone_from, v_now))::date,
           p.last_activity_date)
         < (v_now at time zone private.effective_streak_zone(p.streak_time_zone, p.pending_time_zone, p.pending_time_zone_from, v_now))::date - 1;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function private.reset_broken_streaks() is
  'Job (every 15 minutes): sets current_streak to 0 for learners whose local today (in the streak zone in effect) is more than a day after their last counted quiz; returns how many.';

revoke execute on all functions in schema private from public;

-- ---------------------------------------------------------------------------
-- History: a stable order for quizzes submitted at the same instant
-- ---------------------------------------------------------------------------

create or replace function public.get_quiz_history(
  p_exam text default null,
  p_mode public.quiz_mode default null,
  p_from timestamptz default null,
  p_to timestamptz default null,
  p_limit integer default 20,
  p_offset integer default 0
)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_total bigint;
  v_items jsonb;
begin
  if p_limit is null or p_limit not between 1 and 100 then
    raise exception using errcode = '22023', message = 'p_limit must be between 1 and 100';
  end if;
  if p_offset is null or p_offset < 0 then
    raise exception using errcode = '22023', message = 'p_offset must be 0 or more';
  end if;
  select count(*) into v_total
  from public.quiz_attempts a
  where a.user_id = v_uid and a.status = 'submitted'
    and (p_exam is null or a.exam_id = p_exam) and (p_mode is null or a.mode = p_mode)
    and (p_from is null or a.submitted_at >= p_from) and (p_to is null or a.submitted_at < p_to);
  select coalesce(jsonb_agg(to_jsonb(h) order by h.submitted_at desc, h.id desc), '[]'::jsonb) into v_items
  from (
    select a.id, a.exam_id, a.organization_id, a.mode, a.question_count, a.correct_count, a.score_percentage, a.xp_earned,
           a.time_taken_seconds, a.started_at, a.submitted_at, a.auto_submitted
    from public.quiz_attempts a
    where a.user_id = v_uid and a.status = 'submitted'
      and (p_exam is null or a.exam_id = p_exam) and (p_mode is null or a.mode = p_mode)
      and (p_from is null or a.submitted_at >= p_from) and (p_to is null or a.submitted_at < p_to)
    order by a.submitted_at desc, a.id desc
    limit p_limit offset p_offset
  ) h;
  return jsonb_build_object('total', v_total, 'limit', p_limit, 'offset', p_offset, 'items', v_items);
end;
$$;
comment on function public.get_quiz_history(text, public.quiz_mode, timestamptz, timestamptz, integer, integer) is
  'The caller''s submitted quizzes (with organization_id for organisation practice), newest first (ties by id), filtered by exam, mode and submission time, paginated: {total, limit, offset, items}.';
