-- Quiz RPCs for learners: start (draw), resume, save progress, submit (grade), history, review
-- and per-exam stats. Every write is one function, one transaction; every refusal raises a
-- SQLSTATE with a message the learner can act on and changes nothing.
--
-- Errors: 42501 not signed in / not yours, PT404 unknown exam / attempt / nothing to draw,
-- PT409 attempt already submitted or abandoned, PT410 time is up (saving), 22023 invalid input.

-- The questions of an attempt as a learner may see them before submission: no key, no explanation.
create function private.attempt_payload(p_attempt uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'attempt_id', a.id,
    'exam_id', a.exam_id,
    'mode', a.mode,
    'status', a.status,
    'domain_codes', a.domain_codes,
    'question_count', a.question_count,
    'started_at', a.started_at,
    'time_limit_seconds', a.time_limit_seconds,
    'expires_at', a.expires_at,
    'remaining_seconds', case when a.expires_at is not null
      then greatest(0, floor(extract(epoch from a.expires_at - private.clock())))::integer end,
    'answered_count', (select count(*) from public.quiz_attempt_items i
                       where i.attempt_id = a.id and i.selected_answer is not null),
    'questions', (
      select jsonb_agg(jsonb_build_object(
               'position', i.position, 'question_id', q.id, 'domain_code', d.code, 'domain_name', d.name,
               'stem', q.stem, 'options', q.options,
               'selected_answer', i.selected_answer, 'time_spent_seconds', i.time_spent_seconds)
             order by i.position)
      from public.quiz_attempt_items i
      join public.questions q on q.id = i.question_id
      join public.exam_domains d on d.id = i.domain_id
      where i.attempt_id = a.id)
  )
  from public.quiz_attempts a
  where a.id = p_attempt
$$;
comment on function private.attempt_payload(uuid) is
  'An attempt with its questions (stem, options, saved answer) and remaining time, without answer keys.';

-- Locks an attempt for a write by its learner; raises unless it exists, is theirs and is in progress.
create function private.lock_own_attempt(p_attempt uuid)
returns public.quiz_attempts
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_attempt public.quiz_attempts;
begin
  select * into v_attempt from public.quiz_attempts a where a.id = p_attempt for update;
  if not found then
    raise exception using
      errcode = 'PT404',
      message = format('quiz attempt %s does not exist', p_attempt),
      hint = 'start a quiz with start_quiz(), or resume one with get_active_quiz()';
  end if;
  if v_attempt.user_id <> v_uid then
    raise exception using
      errcode = '42501',
      message = format('quiz attempt %s belongs to another learner', p_attempt);
  end if;
  if v_attempt.status = 'submitted' then
    raise exception using
      errcode = 'PT409',
      message = format('quiz attempt %s was already submitted at %s', p_attempt, v_attempt.submitted_at),
      hint = 'see the result with get_attempt_review(), or start a new quiz';
  end if;
  if v_attempt.status = 'abandoned' then
    raise exception using
      errcode = 'PT409',
      message = format('quiz attempt %s was abandoned when a newer %s quiz was started', p_attempt, v_attempt.exam_id),
      hint = 'resume the newer quiz with get_active_quiz()';
  end if;
  return v_attempt;
end;
$$;
comment on function private.lock_own_attempt(uuid) is
  'Locks the caller''s in-progress attempt; raises PT404, 42501 or PT409 otherwise.';

create function private.attempt_is_late(p_attempt public.quiz_attempts)
returns boolean
language sql
stable
set search_path = ''
as $$
  select p_attempt.expires_at is not null and private.clock() > p_attempt.expires_at + interval '30 seconds'
$$;
comment on function private.attempt_is_late(public.quiz_attempts) is 'True once a timed attempt is past its deadline plus 30 seconds of grace.';

-- ---------------------------------------------------------------------------
-- start_quiz
-- ---------------------------------------------------------------------------

create function public.start_quiz(
  p_exam text,
  p_count integer default 10,
  p_domains text[] default null,
  p_mode public.quiz_mode default 'practice',
  p_time_limit_seconds integer default null
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
  v_orgs uuid[];
  v_review bigint[];
  v_attempt uuid;
  v_drawn integer;
begin
  if not exists (select 1 from public.exams e where e.id = p_exam and e.is_active) then
    raise exception using
      errcode = 'PT404',
      message = format('unknown exam %L', p_exam),
      hint = 'choose an exam id from the exams table (security, network, a1101, a1102, ...)';
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

  select coalesce(array_agg(m.organization_id), '{}') into v_orgs
  from public.organization_members m where m.user_id = v_uid;

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

  insert into public.quiz_attempts (user_id, exam_id, mode, domain_codes, question_count, time_limit_seconds, started_at, expires_at)
  values (v_uid, p_exam, p_mode, p_domains, p_count, p_time_limit_seconds, v_now,
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
           coalesce(perf.accuracy, 1) as accuracy,
           random() as r
    from public.questions q
    left join perf on perf.domain_id = q.domain_id
    where q.exam_id = p_exam
      and q.status = 'published'
      and (q.organization_id is null or q.organization_id = any (v_orgs))
      and (v_domain_ids is null or q.domain_id = any (v_domain_ids))
      and (p_mode <> 'review' or q.id = any (v_review))
      and exists (select 1 from public.question_keys k where k.question_id = q.id)
    order by tier, r
    limit p_count
  )
  insert into public.quiz_attempt_items (attempt_id, position, question_id, question_version, user_id, exam_id, domain_id)
  select v_attempt, row_number() over (order by d.tier, d.r), d.id, d.version, v_uid, p_exam, d.domain_id
  from drawn d;
  get diagnostics v_drawn = row_count;

  if v_drawn = 0 then
    raise exception using
      errcode = 'PT404',
      message = format('no published question of exam %L matches this quiz%s', p_exam,
                       case when v_domain_ids is not null then ' (domains ' || array_to_string(p_domains, ', ') || ')' else '' end),
      hint = 'choose other domains, or ask an instructor to publish questions';
  end if;
  if v_drawn < p_count then
    update public.quiz_attempts a set question_count = v_drawn where a.id = v_attempt;
  end if;

  return private.attempt_payload(v_attempt);
end;
$$;
comment on function public.start_quiz(text, integer, text[], public.quiz_mode, integer) is
  'Draws up to p_count (1-100) random published questions of the exam (optionally of some domain codes) without repeats, in practice, weak_areas or review mode, optionally timed; abandons the learner''s previous in-progress quiz of that exam; returns the attempt with its questions and no answers.';
revoke execute on function public.start_quiz(text, integer, text[], public.quiz_mode, integer) from public, anon;
grant execute on function public.start_quiz(text, integer, text[], public.quiz_mode, integer) to authenticated;

-- ---------------------------------------------------------------------------
-- Resume and save progress
-- ---------------------------------------------------------------------------

create function public.get_active_quiz(p_exam text default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_attempt uuid;
begin
  select a.id into v_attempt
  from public.quiz_attempts a
  where a.user_id = v_uid and a.status = 'in_progress' and (p_exam is null or a.exam_id = p_exam)
  order by a.started_at desc
  limit 1;
  if v_attempt is null then
    return null;
  end if;
  return private.attempt_payload(v_attempt);
end;
$$;
comment on function public.get_active_quiz(text) is
  'The caller''s latest in-progress quiz (of an exam, or any), with its questions, saved answers and remaining seconds, to resume after a closed tab; null when there is none.';
revoke execute on function public.get_active_quiz(text) from public, anon;
grant execute on function public.get_active_quiz(text) to authenticated;

create function public.save_quiz_answer(
  p_attempt uuid,
  p_question_id bigint,
  p_answer text,
  p_time_spent_seconds integer default null
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_attempt public.quiz_attempts := private.lock_own_attempt(p_attempt);
  v_answer text := upper(btrim(p_answer));
begin
  if private.attempt_is_late(v_attempt) then
    raise exception using
      errcode = 'PT410',
      message = format('time is up for quiz attempt %s (deadline %s)', p_attempt, v_attempt.expires_at),
      hint = 'submit it: the answers saved before the deadline are graded';
  end if;
  if v_answer is not null and v_answer not in ('A', 'B', 'C', 'D') then
    raise exception using errcode = '22023', message = format('answer %L is not one of A, B, C, D (or null to clear it)', p_answer);
  end if;
  if p_time_spent_seconds is not null and p_time_spent_seconds not between 0 and 86400 then
    raise exception using errcode = '22023', message = 'p_time_spent_seconds must be between 0 and 86400';
  end if;
  update public.quiz_attempt_items i
     set selected_answer = v_answer,
         time_spent_seconds = coalesce(p_time_spent_seconds, i.time_spent_seconds)
   where i.attempt_id = p_attempt and i.question_id = p_question_id;
  if not found then
    raise exception using
      errcode = '22023',
      message = format('question %s is not part of quiz attempt %s', p_question_id, p_attempt);
  end if;
  return jsonb_build_object(
    'attempt_id', p_attempt, 'question_id', p_question_id, 'selected_answer', v_answer,
    'answered_count', (select count(*) from public.quiz_attempt_items i
                       where i.attempt_id = p_attempt and i.selected_answer is not null),
    'remaining_seconds', case when v_attempt.expires_at is not null
      then greatest(0, floor(extract(epoch from v_attempt.expires_at - private.clock())))::integer end);
end;
$$;
comment on function public.save_quiz_answer(uuid, bigint, text, integer) is
  'Saves (or clears, with null) the answer to one question of the caller''s in-progress quiz, so it survives a closed tab. Nothing is graded until submit_quiz().';
revoke execute on function public.save_quiz_answer(uuid, bigint, text, integer) from public, anon;
grant execute on function public.save_quiz_answer(uuid, bigint, text, integer) to authenticated;

-- ---------------------------------------------------------------------------
-- submit_quiz
-- ---------------------------------------------------------------------------

create function public.submit_quiz(p_attempt uuid, p_answers jsonb default '[]'::jsonb)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_attempt public.quiz_attempts := private.lock_own_attempt(p_attempt);
  v_late boolean := private.attempt_is_late(v_attempt);
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
  'Grades the caller''s in-progress quiz with p_answers ([{question_id, answer: A-D|null, time_spent_seconds}], merged over saved answers) and, in the same transaction, updates XP, level, streak, counters and achievements. Returns {quiz_attempt_id, score, total_questions, score_percentage, xp_earned, xp_breakdown, total_xp, level, previous_level, level_up, achievements_unlocked, streak, results, ...}. Past the deadline only saved answers count (late_submission true). Errors: PT404, 42501, PT409, 22023.';
revoke execute on function public.submit_quiz(uuid, jsonb) from public, anon;
grant execute on function public.submit_quiz(uuid, jsonb) to authenticated;

-- ---------------------------------------------------------------------------
-- History, review, per-exam stats
-- ---------------------------------------------------------------------------

create function public.get_quiz_history(
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
  select coalesce(jsonb_agg(to_jsonb(h) order by h.submitted_at desc), '[]'::jsonb) into v_items
  from (
    select a.id, a.exam_id, a.mode, a.question_count, a.correct_count, a.score_percentage, a.xp_earned,
           a.time_taken_seconds, a.started_at, a.submitted_at, a.auto_submitted
    from public.quiz_attempts a
    where a.user_id = v_uid and a.status = 'submitted'
      and (p_exam is null or a.exam_id = p_exam) and (p_mode is null or a.mode = p_mode)
      and (p_from is null or a.submitted_at >= p_from) and (p_to is null or a.submitted_at < p_to)
    order by a.submitted_at desc
    limit p_limit offset p_offset
  ) h;
  return jsonb_build_object('total', v_total, 'limit', p_limit, 'offset', p_offset, 'items', v_items);
end;
$$;
comment on function public.get_quiz_history(text, public.quiz_mode, timestamptz, timestamptz, integer, integer) is
  'The caller''s submitted quizzes, newest first, filtered by exam, mode and submission time, paginated: {total, limit, offset, items}.';
revoke execute on function public.get_quiz_history(text, public.quiz_mode, timestamptz, timestamptz, integer, integer) from public, anon;
grant execute on function public.get_quiz_history(text, public.quiz_mode, timestamptz, timestamptz, integer, integer) to authenticated;

create function public.get_attempt_review(p_attempt uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_attempt public.quiz_attempts;
begin
  select * into v_attempt from public.quiz_attempts a where a.id = p_attempt;
  if not found or not private.can_view_learner(v_attempt.user_id) then
    raise exception using errcode = 'PT404', message = format('quiz attempt %s not found', p_attempt);
  end if;
  if v_attempt.status <> 'submitted' then
    raise exception using
      errcode = 'PT409',
      message = format('quiz attempt %s is %s: answers are revealed once it is submitted', p_attempt, v_attempt.status);
  end if;
  return jsonb_build_object(
    'attempt', to_jsonb(v_attempt),
    'questions', (
      select jsonb_agg(jsonb_build_object(
               'position', i.position, 'question_id', q.id, 'domain_code', d.code, 'domain_name', d.name,
               'stem', q.stem, 'options', q.options, 'selected_answer', i.selected_answer,
               'correct_answer', k.correct_answer, 'is_correct', i.is_correct,
               'explanations', k.explanations, 'reference', k.reference,
               'time_spent_seconds', i.time_spent_seconds)
             order by i.position)
      from public.quiz_attempt_items i
      join public.questions q on q.id = i.question_id
      join public.exam_domains d on d.id = i.domain_id
      left join public.question_keys k on k.question_id = i.question_id
      where i.attempt_id = p_attempt));
end;
$$;
comment on function public.get_attempt_review(uuid) is
  'A submitted attempt with every question, the answer given, the correct answer and the explanations; for the learner, their instructors/admins and platform admins. Errors: PT404, PT409 not yet submitted.';
revoke execute on function public.get_attempt_review(uuid) from public, anon;
grant execute on function public.get_attempt_review(uuid) to authenticated, service_role;

create function public.get_exam_stats(p_user uuid default null)
returns table (
  exam_id text,
  exam_name text,
  quizzes_completed integer,
  questions_answered integer,
  correct_answers integer,
  accuracy numeric,
  average_score numeric,
  best_score numeric,
  xp_earned bigint,
  last_submitted_at timestamptz
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user uuid := private.viewable_learner(p_user);
begin
  return query
  select s.exam_id, e.name, s.quizzes_completed, s.questions_answered, s.correct_answers,
         round(s.correct_answers * 100.0 / nullif(s.questions_answered, 0), 2),
         round(s.score_sum / nullif(s.quizzes_completed, 0), 2),
         s.best_score, s.xp_earned, s.last_submitted_at
  from public.learner_exam_stats s
  join public.exams e on e.id = s.exam_id
  where s.user_id = v_user
  order by e.position, e.id;
end;
$$;
comment on function public.get_exam_stats(uuid) is
  'Per-exam totals of a learner (default: the caller): quizzes, answers, accuracy, average and best score, XP, last quiz.';
revoke execute on function public.get_exam_stats(uuid) from public, anon;
grant execute on function public.get_exam_stats(uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Deadlines: timed attempts past their deadline are graded with the answers saved in time.
-- ---------------------------------------------------------------------------

create function private.expire_quiz_attempts()
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_attempt uuid;
  v_count integer := 0;
begin
  for v_attempt in
    select a.id from public.quiz_attempts a
    where a.status = 'in_progress' and a.expires_at < private.clock() - interval '30 seconds'
    order by a.expires_at
    limit 1000
    for update skip locked
  loop
    perform private.finalize_attempt(v_attempt, true);
    v_count := v_count + 1;
  end loop;
  -- Untimed attempts left open for a week are abandoned.
  update public.quiz_attempts a set status = 'abandoned'
   where a.status = 'in_progress' and a.expires_at is null and a.started_at < private.clock() - interval '7 days';
  return v_count;
end;
$$;
comment on function private.expire_quiz_attempts() is
  'Job: auto-submits timed attempts past their deadline (saved answers only) and abandons untimed ones older than 7 days; returns how many were graded.';

select cron.schedule('ascend-expire-quiz-attempts', '*/5 * * * *', 'select private.expire_quiz_attempts()');

revoke execute on all functions in schema private from public;
