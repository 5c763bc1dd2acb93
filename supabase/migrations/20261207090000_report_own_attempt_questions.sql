-- A learner reports only questions that were in one of their own quizzes: the report button lives
-- on the per-question review of a result. Before, any question the caller could read was
-- reportable, so a learner could flood the moderation queue with reports on questions never seen.

drop policy question_reports_insert_reporter on public.question_reports;

create policy question_reports_insert_reporter on public.question_reports
  for insert to authenticated
  with check (
    reporter_id = (select auth.uid())
    and exists (select 1 from public.questions q where q.id = question_id)
    and exists (select 1 from public.quiz_attempt_items i
                 where i.question_id = question_reports.question_id and i.user_id = (select auth.uid()))
  );
comment on policy question_reports_insert_reporter on public.question_reports is
  'Signed-in users report, in their own name, questions they can see and met in one of their own quizzes.';
