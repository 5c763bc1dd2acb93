-- Practise a study set: start_study_set_quiz(p_set) starts a quiz from the set's questions, under
-- the same fairness rules as start_quiz (see 20261206000300_fair_scoring.sql):
--   * only a set the caller may read (owner, members of its organisation when shared, platform
--     admins); any other set answers PT404, so its existence is not revealed;
--   * only published questions the caller may see, with a key;
--   * one attempt has one exam and one scope: the (exam, organisation) group of the set with the
--     most such questions is drawn (global questions are global practice; an organisation's own
--     questions are that organisation's practice and count on its boards only); the rest is
--     reported as skipped;
--   * keys the caller could read are flagged (key_exposed, 0 XP), repeats inside 30 days earn 0 XP
--     and quizzes under 10 questions do not count as completed: submit_quiz applies these rules;
--   * the start_quiz rate limit (30 a minute) is shared, and starting abandons the caller's quiz
--     in progress of that exam, as start_quiz does.

create function public.start_study_set_quiz(p_set uuid, p_count integer default null)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_now timestamptz := private.clock();
  v_exam text;
  v_org uuid;
  v_available integer;
  v_total integer;
  v_attempt uuid;
  v_drawn integer;
begin
  perform private.enforce_rate_limit('start_quiz');
  if p_count is not null and p_count not between 1 and 100 then
    raise exception using errcode = '22023', message = format('p_count must be between 1 and 100, not %s', p_count);
  end if;
  if p_set is null or not private.can_read_study_set(p_set) then
    raise exception using errcode = 'PT404', message = 'there is no such study set', hint = 'practise one of your own study sets or one shared in your organisation';
  end if;

  -- The set's practisable questions, grouped by exam and scope; the largest group is drawn.
  select q.exam_id, q.organization_id, count(*)::integer, sum(count(*)) over ()::integer
    into v_exam, v_org, v_available, v_total
  from public.study_set_items s
  join public.questions q on q.id = s.question_id
  join public.exams e on e.id = q.exam_id and e.is_active
  where s.study_set_id = p_set
    and q.status = 'published'
    and (q.organization_id is null or private.is_org_member(q.organization_id))
    and exists (select 1 from public.question_keys k where k.question_id = q.id)
  group by q.exam_id, q.organization_id
  order by count(*) desc, (q.organization_id is null) desc, q.exam_id
  limit 1;
  if v_exam is null then
    raise exception using errcode = 'PT404', message = 'this study set has no question to practise', hint = 'add published questions to the set';
  end if;

  update public.quiz_attempts a set status = 'abandoned'
   where a.user_id = v_uid and a.exam_id = v_exam and a.status = 'in_progress';

  insert into public.quiz_attempts (user_id, exam_id, organization_id, mode, question_count, started_at)
  values (v_uid, v_exam, v_org, 'practice', least(v_available, coalesce(p_count, 100)), v_now)
  returning id into v_attempt;

  insert into public.quiz_attempt_items (attempt_id, position, question_id, question_version, user_id, exam_id, domain_id, key_exposed)
  select v_attempt, row_number() over (order by d.position, d.id), d.id, d.version, v_uid, v_exam, d.domain_id,
         private.key_readable_by(v_uid, d.id)
  from (
    select q.id, q.version, q.domain_id, s.position
    from public.study_set_items s
    join public.questions q on q.id = s.question_id
    where s.study_set_id = p_set
      and q.exam_id = v_exam
      and q.organization_id is not distinct from v_org
      and q.status = 'published'
      and exists (select 1 from public.question_keys k where k.question_id = q.id)
    order by s.position, q.id
    limit least(v_available, coalesce(p_count, 100))
  ) d;
  get diagnostics v_drawn = row_count;
  update public.quiz_attempts a set question_count = v_drawn where a.id = v_attempt and a.question_count <> v_drawn;

  return private.attempt_payload(v_attempt)
         || jsonb_build_object('organization_id', v_org, 'study_set_id', p_set, 'skipped', v_total - v_drawn);
end;
$$;
comment on function public.start_study_set_quiz(uuid, integer) is
  'Starts a practice quiz from a study set the caller may read: its published questions of one exam and one scope (the largest group; global or one organisation''s own), in set order, up to p_count (1-100, default all up to 100), under start_quiz''s scoring rules and rate limit. Returns the attempt with its questions and no answers, plus skipped (questions of the set left out). Errors: PT404 (no readable set, nothing to practise), 22023, PT429.';
revoke execute on function public.start_study_set_quiz(uuid, integer) from public, anon;
grant execute on function public.start_study_set_quiz(uuid, integer) to authenticated;
