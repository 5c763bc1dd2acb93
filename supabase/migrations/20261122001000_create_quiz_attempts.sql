-- Quiz attempts and the questions drawn into them, graded by the server. Attempts are created by
-- start_quiz() and finished by submit_quiz(); clients only read them. Per-exam totals of each
-- learner live in learner_exam_stats.

create table public.quiz_attempts (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  exam_id text not null references public.exams (id) on update cascade,
  mode public.quiz_mode not null default 'practice',
  status public.attempt_status not null default 'in_progress',
  domain_codes text[],
  question_count integer not null,
  time_limit_seconds integer,
  started_at timestamptz not null default private.clock(),
  expires_at timestamptz,
  submitted_at timestamptz,
  correct_count integer,
  score_percentage numeric(5, 2),
  xp_earned integer,
  time_taken_seconds integer,
  auto_submitted boolean not null default false,
  constraint quiz_attempts_question_count_range check (question_count between 1 and 100),
  constraint quiz_attempts_time_limit_range check (time_limit_seconds is null or time_limit_seconds between 60 and 86400),
  constraint quiz_attempts_expiry_matches_limit check ((time_limit_seconds is null) = (expires_at is null)),
  constraint quiz_attempts_submitted_complete check (
    (status = 'submitted') = (submitted_at is not null)
    and (status <> 'submitted' or (correct_count is not null and score_percentage is not null and xp_earned is not null))
  ),
  constraint quiz_attempts_score_range check (
    correct_count is null or (correct_count between 0 and question_count and score_percentage between 0 and 100)
  )
);
comment on table public.quiz_attempts is
  'Quiz attempts: drawn by start_quiz(), graded by submit_quiz(). Learners read their own; instructors and admins read their organisation''s learners''. Never written by clients.';
comment on column public.quiz_attempts.user_id is 'The learner.';
comment on column public.quiz_attempts.exam_id is 'The exam practised.';
comment on column public.quiz_attempts.mode is 'practice, weak_areas or review.';
comment on column public.quiz_attempts.status is 'in_progress, submitted or abandoned.';
comment on column public.quiz_attempts.domain_codes is 'Domains the learner restricted the draw to (null: all).';
comment on column public.quiz_attempts.question_count is 'Questions drawn.';
comment on column public.quiz_attempts.time_limit_seconds is 'Time limit, or null for an untimed quiz.';
comment on column public.quiz_attempts.started_at is 'When it was drawn.';
comment on column public.quiz_attempts.expires_at is 'Deadline of a timed quiz; past it (plus 30 s grace) only saved answers count.';
comment on column public.quiz_attempts.submitted_at is 'When it was graded.';
comment on column public.quiz_attempts.correct_count is 'Correct answers (the score).';
comment on column public.quiz_attempts.score_percentage is 'correct_count / question_count * 100, 2 decimals.';
comment on column public.quiz_attempts.xp_earned is 'XP from the quiz: 10 per correct answer plus the accuracy bonus (achievement rewards excluded).';
comment on column public.quiz_attempts.time_taken_seconds is 'Seconds from start to submission (capped at the time limit).';
comment on column public.quiz_attempts.auto_submitted is 'Graded after its deadline with the answers saved in time.';

create index quiz_attempts_user_history_idx on public.quiz_attempts (user_id, submitted_at desc) where status = 'submitted';
create index quiz_attempts_user_exam_idx on public.quiz_attempts (user_id, exam_id, submitted_at);
create index quiz_attempts_in_progress_idx on public.quiz_attempts (user_id, exam_id) where status = 'in_progress';
create index quiz_attempts_deadline_idx on public.quiz_attempts (expires_at) where status = 'in_progress';
create index quiz_attempts_submitted_at_idx on public.quiz_attempts (submitted_at)
  include (user_id, exam_id, question_count, correct_count, xp_earned) where status = 'submitted';
create index quiz_attempts_exam_id_idx on public.quiz_attempts (exam_id);

create table public.quiz_attempt_items (
  attempt_id uuid not null references public.quiz_attempts (id) on delete cascade,
  position smallint not null,
  question_id bigint not null references public.questions (id),
  question_version integer not null,
  user_id uuid not null references public.profiles (id) on delete cascade,
  exam_id text not null,
  domain_id bigint not null references public.exam_domains (id),
  selected_answer text,
  is_correct boolean,
  time_spent_seconds integer,
  graded_at timestamptz,
  primary key (attempt_id, position),
  constraint quiz_attempt_items_question_once_key unique (attempt_id, question_id),
  constraint quiz_attempt_items_selected_answer_valid check (selected_answer is null or selected_answer in ('A', 'B', 'C', 'D')),
  constraint quiz_attempt_items_time_spent_range check (time_spent_seconds is null or time_spent_seconds between 0 and 86400),
  constraint quiz_attempt_items_graded_complete check ((graded_at is null) = (is_correct is null))
);
comment on table public.quiz_attempt_items is
  'The questions of an attempt, in order, with the learner''s answer, time spent and (after submission) whether it was correct.';
comment on column public.quiz_attempt_items.attempt_id is 'The attempt.';
comment on column public.quiz_attempt_items.position is '1-based order in the quiz.';
comment on column public.quiz_attempt_items.question_id is 'The question.';
comment on column public.quiz_attempt_items.question_version is 'Question version when drawn.';
comment on column public.quiz_attempt_items.user_id is 'The learner (copied from the attempt).';
comment on column public.quiz_attempt_items.exam_id is 'The exam (copied from the attempt).';
comment on column public.quiz_attempt_items.domain_id is 'The question''s domain when drawn.';
comment on column public.quiz_attempt_items.selected_answer is 'A-D, or null if unanswered (saved progress before submission).';
comment on column public.quiz_attempt_items.is_correct is 'Set at grading; null before.';
comment on column public.quiz_attempt_items.time_spent_seconds is 'Seconds the learner spent on it, as reported by the client.';
comment on column public.quiz_attempt_items.graded_at is 'When it was graded.';

create index quiz_attempt_items_answered_idx on public.quiz_attempt_items (user_id, question_id) where graded_at is not null;
create index quiz_attempt_items_domain_perf_idx on public.quiz_attempt_items (user_id, exam_id, domain_id)
  include (is_correct) where graded_at is not null;
create index quiz_attempt_items_question_id_idx on public.quiz_attempt_items (question_id);
create index quiz_attempt_items_domain_id_idx on public.quiz_attempt_items (domain_id);
create index quiz_attempt_items_graded_at_idx on public.quiz_attempt_items (graded_at) where graded_at is not null;

create table public.learner_exam_stats (
  user_id uuid not null references public.profiles (id) on delete cascade,
  exam_id text not null references public.exams (id) on update cascade on delete cascade,
  quizzes_completed integer not null default 0,
  questions_answered integer not null default 0,
  correct_answers integer not null default 0,
  xp_earned bigint not null default 0,
  best_score numeric(5, 2),
  score_sum numeric(12, 2) not null default 0,
  last_submitted_at timestamptz,
  primary key (user_id, exam_id)
);
comment on table public.learner_exam_stats is
  'Per-learner, per-exam totals maintained at each submission (quizzes, answers, XP, best and average score).';
comment on column public.learner_exam_stats.user_id is 'The learner.';
comment on column public.learner_exam_stats.exam_id is 'The exam.';
comment on column public.learner_exam_stats.quizzes_completed is 'Quizzes submitted for this exam.';
comment on column public.learner_exam_stats.questions_answered is 'Questions graded.';
comment on column public.learner_exam_stats.correct_answers is 'Correct answers.';
comment on column public.learner_exam_stats.xp_earned is 'Quiz XP earned on this exam (the exam leaderboard score).';
comment on column public.learner_exam_stats.best_score is 'Best score_percentage.';
comment on column public.learner_exam_stats.score_sum is 'Sum of score percentages (average = score_sum / quizzes_completed).';
comment on column public.learner_exam_stats.last_submitted_at is 'Last submission.';
create index learner_exam_stats_exam_id_idx on public.learner_exam_stats (exam_id);

alter table public.xp_events
  add constraint xp_events_attempt_id_fkey foreign key (attempt_id) references public.quiz_attempts (id) on delete cascade;

-- ---------------------------------------------------------------------------
-- Privileges and RLS
-- ---------------------------------------------------------------------------

alter table public.quiz_attempts enable row level security;
alter table public.quiz_attempt_items enable row level security;
alter table public.learner_exam_stats enable row level security;

revoke all on table public.quiz_attempts, public.quiz_attempt_items, public.learner_exam_stats
  from anon, authenticated, service_role;
grant select on table public.quiz_attempts, public.quiz_attempt_items, public.learner_exam_stats
  to authenticated, service_role;

create policy quiz_attempts_select_visible on public.quiz_attempts
  for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.is_platform_admin())
    or user_id in (select private.staff_learner_ids())
  );
comment on policy quiz_attempts_select_visible on public.quiz_attempts is
  'Learners read their attempts; instructors and admins read their organisation''s learners''.';

create policy quiz_attempt_items_select_visible on public.quiz_attempt_items
  for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.is_platform_admin())
    or user_id in (select private.staff_learner_ids())
  );
comment on policy quiz_attempt_items_select_visible on public.quiz_attempt_items is
  'Learners read their answers; instructors and admins read their organisation''s learners''.';

create policy learner_exam_stats_select_visible on public.learner_exam_stats
  for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.is_platform_admin())
    or user_id in (select private.staff_learner_ids())
  );
comment on policy learner_exam_stats_select_visible on public.learner_exam_stats is
  'Learners read their per-exam stats; instructors and admins read their organisation''s learners''.';

-- ---------------------------------------------------------------------------
-- A learner may read a question, and its key, once they have answered it in a graded quiz.
-- ---------------------------------------------------------------------------

create function private.has_answered(question bigint)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.quiz_attempt_items i
    where i.user_id = (select auth.uid()) and i.question_id = question and i.graded_at is not null
  )
$$;
comment on function private.has_answered(bigint) is 'True when the caller has answered this question in a submitted quiz.';
grant execute on function private.has_answered(bigint) to authenticated, service_role;

alter policy questions_select_visible on public.questions
  using (
    (status = 'published' and (organization_id is null or private.is_org_member(organization_id)))
    or private.can_manage_questions(organization_id)
    or private.has_answered(id)
  );
comment on policy questions_select_visible on public.questions is
  'Learners see published questions of the global bank and of their organisations, and every question they answered; authors see what they manage.';

alter policy question_keys_select_author on public.question_keys rename to question_keys_select_visible;
alter policy question_keys_select_visible on public.question_keys
  using (private.can_manage_question(question_id) or private.has_answered(question_id));
comment on policy question_keys_select_visible on public.question_keys is
  'Authors read the keys of questions they manage; learners read the key of a question only after answering it in a submitted quiz.';

revoke execute on all functions in schema private from public;
