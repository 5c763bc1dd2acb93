-- Two pg_cron jobs.
--
-- Streaks: a streak is broken once the learner's local date is more than one day after their
-- last activity. Local midnight happens at a different UTC instant in every zone (some at :30
-- and :45), so the job runs every 15 minutes and decides per row, in the row's own time zone;
-- whenever it runs it is right for every zone, at most 15 minutes late. Any zone's local date is
-- at most one day after the UTC date, so only rows with last_activity_date before the UTC date
-- can be broken: that bound uses the partial index profiles_live_streak_idx.
--
-- Difficulty: questions.answer_count/correct_count are incremented from the answers graded since
-- the last run (a watermark), set-based, five minutes behind to let in-flight submissions commit.

create function private.reset_broken_streaks()
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
  update public.profiles p
     set current_streak = 0
   where p.current_streak > 0
     and p.last_activity_date < (v_now at time zone 'UTC')::date
     and p.last_activity_date < (v_now at time zone p.time_zone)::date - 1;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function private.reset_broken_streaks() is
  'Job (every 15 minutes): sets current_streak to 0 for learners whose local today is more than a day after their last activity; returns how many.';

select cron.schedule('ascend-reset-broken-streaks', '*/15 * * * *', 'select private.reset_broken_streaks()');

create table private.job_watermarks (
  job text primary key,
  processed_until timestamptz not null
);
comment on table private.job_watermarks is 'Where incremental jobs stopped (e.g. graded answers already counted into question difficulty).';
-- Not exposed and granted to no API role; RLS with no policy as well, so a stray grant still shows nothing.
alter table private.job_watermarks enable row level security;

insert into private.job_watermarks (job, processed_until) values ('question_stats', '-infinity');

create function private.refresh_question_stats()
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_from timestamptz;
  v_until timestamptz := private.clock() - interval '5 minutes';
  v_count integer;
begin
  select w.processed_until into v_from from private.job_watermarks w where w.job = 'question_stats' for update;
  if v_from >= v_until then
    return 0;
  end if;
  update public.questions q
     set answer_count = q.answer_count + s.answered,
         correct_count = q.correct_count + s.correct
    from (
      select i.question_id, count(*)::integer as answered, count(*) filter (where i.is_correct)::integer as correct
      from public.quiz_attempt_items i
      where i.graded_at > v_from and i.graded_at <= v_until
      group by i.question_id
    ) s
   where q.id = s.question_id;
  get diagnostics v_count = row_count;
  update private.job_watermarks w set processed_until = v_until where w.job = 'question_stats';
  return v_count;
end;
$$;
comment on function private.refresh_question_stats() is
  'Job (every 10 minutes): adds answers graded since the last run to questions.answer_count/correct_count (difficulty); returns the questions touched.';

select cron.schedule('ascend-refresh-question-stats', '*/10 * * * *', 'select private.refresh_question_stats()');

revoke execute on all functions in schema private from public;
