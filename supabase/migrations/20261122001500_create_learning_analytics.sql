-- Learning analytics, computed from graded answers: per-domain performance, weak areas, study
-- recommendations, readiness weighted by the exam's domain weights, weekly accuracy trend and
-- daily activity (both in the learner's time zone), and the instructor's cohort view.
-- Each learner function takes p_user (default: the caller); the caller must be that learner, an
-- owner/admin/instructor of one of their organisations, a platform admin or the service role.
--
-- Thresholds: a domain needs 10 answers before it is judged; weak = accuracy below 70%
-- (priority high below 50%); a domain counts fully in readiness from 20 answers on.

create function public.get_domain_performance(p_exam text, p_user uuid default null)
returns table (
  domain_id bigint,
  domain_code text,
  domain_name text,
  weight numeric,
  answered bigint,
  correct bigint,
  accuracy numeric
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user uuid := private.viewable_learner(p_user);
begin
  if not exists (select 1 from public.exams e where e.id = p_exam) then
    raise exception using errcode = 'PT404', message = format('unknown exam %L', p_exam);
  end if;
  return query
  select d.id, d.code, d.name, d.weight,
         coalesce(s.answered, 0), coalesce(s.correct, 0),
         case when s.answered > 0 then round(s.correct * 100.0 / s.answered, 1) end
  from public.exam_domains d
  left join (
    select i.domain_id, count(*) as answered, count(*) filter (where i.is_correct) as correct
    from public.quiz_attempt_items i
    where i.user_id = v_user and i.exam_id = p_exam and i.graded_at is not null
    group by i.domain_id
  ) s on s.domain_id = d.id
  where d.exam_id = p_exam
  order by d.position, d.code;
end;
$$;
comment on function public.get_domain_performance(text, uuid) is
  'Per-domain answers, correct answers and accuracy (%) of a learner on an exam, every domain listed (accuracy null when unpractised).';

create function public.get_weak_areas(p_exam text, p_user uuid default null)
returns table (
  domain_id bigint,
  domain_code text,
  domain_name text,
  weight numeric,
  answered bigint,
  accuracy numeric,
  priority text
)
language sql
stable
security definer
set search_path = ''
as $$
  select p.domain_id, p.domain_code, p.domain_name, p.weight, p.answered, p.accuracy,
         case when p.accuracy < 50 then 'high' else 'medium' end
  from public.get_domain_performance(p_exam, p_user) p
  where p.answered >= 10 and p.accuracy < 70
  order by p.accuracy, p.weight desc
$$;
comment on function public.get_weak_areas(text, uuid) is
  'Domains where the learner is below 70% with at least 10 answers, worst first; priority high below 50%, else medium.';

create function public.get_exam_readiness(p_exam text, p_user uuid default null)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  with perf as (
    select p.*, least(p.answered, 20) / 20.0 as confidence
    from public.get_domain_performance(p_exam, p_user) p
  ),
  total as (
    select round(coalesce(sum(p.weight * coalesce(p.accuracy, 0) * p.confidence) / nullif(sum(p.weight), 0), 0), 1) as score,
           round(coalesce(sum(p.weight * p.confidence) / nullif(sum(p.weight), 0) * 100, 0), 1) as coverage,
           sum(p.answered) as answered
    from perf p
  )
  select jsonb_build_object(
    'exam_id', p_exam,
    'score', t.score,
    'coverage_percent', t.coverage,
    'questions_answered', t.answered,
    'passing_percent', e.passing_percent,
    'ready', t.score >= e.passing_percent,
    'message', case
      when t.answered = 0 then 'No data yet: take a quiz to measure your readiness'
      when t.score >= 80 then 'Ready to take the exam!'
      when t.score >= 70 then 'Almost ready - practise your weak areas'
      when t.score >= 50 then 'Keep studying - you are making progress'
      else 'More practice needed'
    end,
    'domains', (select coalesce(jsonb_agg(jsonb_build_object(
                  'domain_code', p.domain_code, 'domain_name', p.domain_name, 'weight', p.weight,
                  'answered', p.answered, 'accuracy', p.accuracy, 'confidence', round(p.confidence, 2),
                  'contribution', round(p.weight * coalesce(p.accuracy, 0) * p.confidence / 100, 2))
                order by p.domain_code), '[]'::jsonb) from perf p))
  from total t
  cross join public.exams e
  where e.id = p_exam
$$;
comment on function public.get_exam_readiness(text, uuid) is
  'Readiness score 0-100: domain accuracies weighted by the exam''s domain weights, each domain counting fully from 20 answers (less before). Returns {score, coverage_percent, ready, message, domains[]}.';

create function public.get_study_recommendations(p_exam text, p_user uuid default null)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  with perf as (
    select * from public.get_domain_performance(p_exam, p_user)
  ),
  classified as (
    select p.*,
           case
             when p.answered < 10 then 'not_enough_data'
             when p.accuracy < 50 then 'focus'
             when p.accuracy < 70 then 'practice_more'
             else 'doing_well'
           end as bucket
    from perf p
  ),
  actions as (
    select a.priority, a.weight, a.text
    from (
      select 1 as priority, c.weight,
             format('Focus on %s %s: %s%% over %s answers. Take a weak-areas quiz and read every explanation.',
                    c.domain_code, c.domain_name, c.accuracy, c.answered) as text
      from classified c where c.bucket = 'focus'
      union all
      select 2, c.weight,
             format('Start practising %s %s (%s%% of the exam): %s answered so far.',
                    c.domain_code, c.domain_name, c.weight, c.answered)
      from classified c where c.bucket = 'not_enough_data'
      union all
      select 3, c.weight,
             format('Practise 20 more questions from %s %s (now %s%%) to get above 70%%.',
                    c.domain_code, c.domain_name, c.accuracy)
      from classified c where c.bucket = 'practice_more'
    ) a
    order by a.priority, a.weight desc
    limit 5
  )
  select jsonb_build_object(
    'exam_id', p_exam,
    'focus_domains', (select coalesce(jsonb_agg(c.domain_code order by c.accuracy), '[]'::jsonb) from classified c where c.bucket = 'focus'),
    'practice_more', (select coalesce(jsonb_agg(c.domain_code order by c.accuracy), '[]'::jsonb) from classified c where c.bucket = 'practice_more'),
    'doing_well', (select coalesce(jsonb_agg(c.domain_code order by c.accuracy desc), '[]'::jsonb) from classified c where c.bucket = 'doing_well'),
    'not_enough_data', (select coalesce(jsonb_agg(c.domain_code order by c.weight desc), '[]'::jsonb) from classified c where c.bucket = 'not_enough_data'),
    'suggested_actions', coalesce(
      (select jsonb_agg(a.text order by a.priority, a.weight desc) from actions a),
      '["Great job! Keep practising to maintain your performance."]'::jsonb),
    'overall_readiness', (
      select jsonb_build_object('score', r ->> 'score', 'message', r ->> 'message')
      from public.get_exam_readiness(p_exam, p_user) r))
$$;
comment on function public.get_study_recommendations(text, uuid) is
  'Study plan for an exam: focus_domains (<50%), practice_more (50-70%), doing_well (70%+), not_enough_data (<10 answers), up to 5 concrete suggested_actions, and overall_readiness.';

create function public.get_accuracy_trend(p_exam text default null, p_weeks integer default 12, p_user uuid default null)
returns table (
  week_start date,
  quizzes bigint,
  questions_answered bigint,
  correct_answers bigint,
  accuracy numeric
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user uuid := private.viewable_learner(p_user);
  v_tz text;
  v_this_week date;
begin
  if p_weeks is null or p_weeks not between 1 and 104 then
    raise exception using errcode = '22023', message = 'p_weeks must be between 1 and 104';
  end if;
  select p.time_zone into v_tz from public.profiles p where p.id = v_user;
  v_this_week := date_trunc('week', private.clock() at time zone v_tz)::date;
  return query
  select w.week::date, coalesce(s.quizzes, 0), coalesce(s.answered, 0), coalesce(s.correct, 0),
         case when s.answered > 0 then round(s.correct * 100.0 / s.answered, 1) end
  from generate_series(v_this_week - 7 * (p_weeks - 1), v_this_week, interval '7 days') w (week)
  left join (
    select date_trunc('week', a.submitted_at at time zone v_tz)::date as week,
           count(*) as quizzes, sum(a.question_count)::bigint as answered, sum(a.correct_count)::bigint as correct
    from public.quiz_attempts a
    where a.user_id = v_user and a.status = 'submitted'
      and (p_exam is null or a.exam_id = p_exam)
      and a.submitted_at >= ((v_this_week - 7 * (p_weeks - 1))::timestamp at time zone v_tz)
    group by 1
  ) s on s.week = w.week::date
  order by 1;
end;
$$;
comment on function public.get_accuracy_trend(text, integer, uuid) is
  'Weekly accuracy of a learner (weeks starting Monday in their time zone), the last p_weeks weeks, every week listed.';

create function public.get_daily_activity(p_days integer default 30, p_user uuid default null)
returns table (
  day date,
  quizzes bigint,
  questions_answered bigint,
  correct_answers bigint,
  seconds_studied bigint,
  xp_earned bigint
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user uuid := private.viewable_learner(p_user);
  v_tz text;
  v_today date;
begin
  if p_days is null or p_days not between 1 and 366 then
    raise exception using errcode = '22023', message = 'p_days must be between 1 and 366';
  end if;
  select p.time_zone into v_tz from public.profiles p where p.id = v_user;
  v_today := (private.clock() at time zone v_tz)::date;
  return query
  select d.day::date, coalesce(s.quizzes, 0), coalesce(s.answered, 0), coalesce(s.correct, 0),
         coalesce(s.seconds, 0), coalesce(x.xp, 0)
  from generate_series(v_today - (p_days - 1), v_today, interval '1 day') d (day)
  left join (
    select (a.submitted_at at time zone v_tz)::date as day, count(*) as quizzes,
           sum(a.question_count)::bigint as answered, sum(a.correct_count)::bigint as correct,
           sum(a.time_taken_seconds)::bigint as seconds
    from public.quiz_attempts a
    where a.user_id = v_user and a.status = 'submitted'
      and a.submitted_at >= ((v_today - (p_days - 1))::timestamp at time zone v_tz)
    group by 1
  ) s on s.day = d.day::date
  left join (
    select (e.created_at at time zone v_tz)::date as day, sum(e.amount)::bigint as xp
    from public.xp_events e
    where e.user_id = v_user and e.created_at >= ((v_today - (p_days - 1))::timestamp at time zone v_tz)
    group by 1
  ) x on x.day = d.day::date
  order by 1;
end;
$$;
comment on function public.get_daily_activity(integer, uuid) is
  'Per local day (learner''s time zone), the last p_days days: quizzes, questions answered, correct answers, seconds studied, XP earned.';

create function public.get_cohort_overview(p_organization uuid, p_team uuid default null, p_exam text default null)
returns table (
  user_id uuid,
  username text,
  display_name text,
  avatar_url text,
  level integer,
  xp bigint,
  current_streak integer,
  last_activity_date date,
  quizzes_last_30_days bigint,
  questions_last_30_days bigint,
  accuracy_last_30_days numeric,
  accuracy_previous_30_days numeric,
  readiness numeric,
  at_risk boolean,
  risk_reasons text[]
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock();
begin
  if not (private.is_org_staff(p_organization) or private.is_platform_admin() or private.is_service_role()) then
    raise exception using
      errcode = '42501',
      message = 'only instructors, admins and owners of this organisation see its cohort';
  end if;
  if p_team is not null and not exists (select 1 from public.teams t where t.id = p_team and t.organization_id = p_organization) then
    raise exception using errcode = 'PT404', message = format('team %s is not part of this organisation', p_team);
  end if;
  if p_exam is not null and not exists (select 1 from public.exams e where e.id = p_exam) then
    raise exception using errcode = 'PT404', message = format('unknown exam %L', p_exam);
  end if;
  return query
  with learners as (
    select m.user_id
    from public.organization_members m
    where m.organization_id = p_organization and m.role = 'learner'
      and (p_team is null or exists (select 1 from public.team_members tm where tm.team_id = p_team and tm.user_id = m.user_id))
  ),
  recent as (
    select a.user_id,
           count(*) filter (where a.submitted_at >= v_now - interval '30 days') as quizzes_30,
           sum(a.question_count) filter (where a.submitted_at >= v_now - interval '30 days') as answered_30,
           sum(a.correct_count) filter (where a.submitted_at >= v_now - interval '30 days') as correct_30,
           sum(a.question_count) filter (where a.submitted_at < v_now - interval '30 days') as answered_prev,
           sum(a.correct_count) filter (where a.submitted_at < v_now - interval '30 days') as correct_prev,
           max(a.submitted_at) as last_quiz
    from public.quiz_attempts a
    join learners l on l.user_id = a.user_id
    where a.status = 'submitted' and a.submitted_at >= v_now - interval '60 days'
      and (p_exam is null or a.exam_id = p_exam)
    group by a.user_id
  ),
  domain_perf as (
    select i.user_id, d.weight, count(*) as answered, avg(case when i.is_correct then 100.0 else 0 end) as accuracy
    from public.quiz_attempt_items i
    join learners l on l.user_id = i.user_id
    join public.exam_domains d on d.id = i.domain_id
    where p_exam is not null and i.exam_id = p_exam and i.graded_at is not null
    group by i.user_id, d.id, d.weight
  ),
  readiness as (
    select dp.user_id,
           round(sum(dp.weight * dp.accuracy * least(dp.answered, 20) / 20.0)
                 / (select sum(d.weight) from public.exam_domains d where d.exam_id = p_exam), 1) as score
    from domain_perf dp
    group by dp.user_id
  ),
  assembled as (
    select p.id, p.username, p.display_name, av.image_url, p.level, p.xp, p.current_streak, p.last_activity_date,
           coalesce(r.quizzes_30, 0) as quizzes_30, coalesce(r.answered_30, 0)::bigint as answered_30,
           case when r.answered_30 > 0 then round(r.correct_30 * 100.0 / r.answered_30, 1) end as accuracy_30,
           case when r.answered_prev > 0 then round(r.correct_prev * 100.0 / r.answered_prev, 1) end as accuracy_prev,
           case when p_exam is not null then coalesce(rd.score, 0) end as readiness,
           r.last_quiz
    from learners l
    join public.profiles p on p.id = l.user_id
    left join public.avatars av on av.id = p.selected_avatar_id
    left join recent r on r.user_id = l.user_id
    left join readiness rd on rd.user_id = l.user_id
  )
  select a.id, a.username, a.display_name, a.image_url, a.level, a.xp, a.current_streak, a.last_activity_date,
         a.quizzes_30, a.answered_30, a.accuracy_30, a.accuracy_prev, a.readiness,
         cardinality(x.reasons) > 0, x.reasons
  from assembled a
  cross join lateral (
    select array_remove(array[
      case when a.last_activity_date is null then 'never_started' end,
      case when a.last_activity_date is not null
                and a.last_activity_date < (v_now at time zone 'UTC')::date - 7 then 'inactive_7_days' end,
      case when a.answered_30 >= 20 and a.accuracy_30 < 50 then 'low_accuracy' end,
      case when a.accuracy_prev is not null and a.accuracy_30 is not null
                and a.accuracy_30 <= a.accuracy_prev - 15 then 'declining_accuracy' end
    ], null) as reasons
  ) x
  order by cardinality(x.reasons) desc, a.accuracy_30 nulls first, a.username;
end;
$$;
comment on function public.get_cohort_overview(uuid, uuid, text) is
  'Instructor view of an organisation''s learners (optionally one team, one exam): level, XP, streak, last 30 days'' quizzes and accuracy vs the 30 days before, readiness (with p_exam), and at_risk with reasons (never_started, inactive_7_days, low_accuracy, declining_accuracy). Owners, admins, instructors of the organisation and platform admins only.';

do $grants$
declare
  f text;
begin
  foreach f in array array[
    'public.get_domain_performance(text, uuid)',
    'public.get_weak_areas(text, uuid)',
    'public.get_exam_readiness(text, uuid)',
    'public.get_study_recommendations(text, uuid)',
    'public.get_accuracy_trend(text, integer, uuid)',
    'public.get_daily_activity(integer, uuid)',
    'public.get_cohort_overview(uuid, uuid, text)'
  ] loop
    execute format('revoke execute on function %s from public, anon', f);
    execute format('grant execute on function %s to authenticated, service_role', f);
  end loop;
end
$grants$;
