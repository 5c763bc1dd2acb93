-- History with outcomes: each quiz of get_quiz_history says whether it passed (its score reached the
-- exam's passing_percent, the same rule the results page uses), and p_outcome filters on it
-- ('passed' or 'failed'), so the history page filters and paginates in the database.
--
-- The new parameter comes last with a default, so every existing call keeps working; the old
-- signature is dropped rather than overloaded (PostgREST cannot choose between overloads that
-- differ by a defaulted parameter).

drop function public.get_quiz_history(text, public.quiz_mode, timestamptz, timestamptz, integer, integer);

create function public.get_quiz_history(
  p_exam text default null,
  p_mode public.quiz_mode default null,
  p_from timestamptz default null,
  p_to timestamptz default null,
  p_limit integer default 20,
  p_offset integer default 0,
  p_outcome text default null
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
  if p_outcome is not null and p_outcome not in ('passed', 'failed') then
    raise exception using errcode = '22023', message = format('p_outcome is passed or failed, not %L', p_outcome);
  end if;
  with mine as (
    select a.id, a.exam_id, a.organization_id, a.mode, a.question_count, a.correct_count, a.score_percentage, a.xp_earned,
           a.time_taken_seconds, a.started_at, a.submitted_at, a.auto_submitted,
           e.passing_percent, a.score_percentage >= e.passing_percent as passed
    from public.quiz_attempts a
    join public.exams e on e.id = a.exam_id
    where a.user_id = v_uid and a.status = 'submitted'
      and (p_exam is null or a.exam_id = p_exam) and (p_mode is null or a.mode = p_mode)
      and (p_from is null or a.submitted_at >= p_from) and (p_to is null or a.submitted_at < p_to)
  ),
  filtered as (
    select m.* from mine m
    where p_outcome is null or m.passed = (p_outcome = 'passed')
  )
  select (select count(*) from filtered),
         (select coalesce(jsonb_agg(to_jsonb(h) order by h.submitted_at desc, h.id desc), '[]'::jsonb)
          from (select f.* from filtered f order by f.submitted_at desc, f.id desc limit p_limit offset p_offset) h)
    into v_total, v_items;
  return jsonb_build_object('total', v_total, 'limit', p_limit, 'offset', p_offset, 'items', v_items);
end;
$$;
comment on function public.get_quiz_history(text, public.quiz_mode, timestamptz, timestamptz, integer, integer, text) is
  'The caller''s submitted quizzes (with organization_id for organisation practice, passing_percent and passed: score >= the exam''s passing_percent), newest first (ties by id), filtered by exam, mode, submission time [p_from, p_to) and outcome (p_outcome: passed or failed), paginated: {total, limit, offset, items}. Errors: 22023 bad limit, offset or outcome.';
revoke execute on function public.get_quiz_history(text, public.quiz_mode, timestamptz, timestamptz, integer, integer, text) from public, anon;
grant execute on function public.get_quiz_history(text, public.quiz_mode, timestamptz, timestamptz, integer, integer, text) to authenticated;
