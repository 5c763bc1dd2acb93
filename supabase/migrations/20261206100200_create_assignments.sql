-- Assignments (issue 9, item 3): owners, admins and instructors of an organisation assign a quiz
-- (exam, optional domains, size, pass mark) or a lesson to one member, a team or a department,
-- with a due date. The assignment is expanded into one assignment_recipients row per learner at
-- once (and for people who join the team later, while it is not yet due); each recipient gets an
-- assignment_due notification. Completion is recorded automatically: when a quiz attempt is
-- submitted, every open quiz assignment of that learner it satisfies (same exam, at least the
-- assigned size, within the assigned domains, started after the assignment, global practice or
-- the assigning organisation's practice) records the attempt; the first one at or above the pass
-- mark completes it. Status: completed, overdue (due date passed) or pending.
--
-- Lessons are built in parallel: a lesson assignment stores lesson_id without a foreign key until
-- the lessons table exists; its completion is to be recorded by the lessons work.

create type public.assignment_kind as enum ('quiz', 'lesson');
comment on type public.assignment_kind is 'What is assigned: a quiz (exam, domains, size, pass mark) or a lesson.';

create table public.assignments (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  created_by uuid default auth.uid() references public.profiles (id) on delete set null,
  kind public.assignment_kind not null default 'quiz',
  title text not null,
  instructions text,
  exam_id text references public.exams (id) on update cascade,
  domain_codes text[],
  question_count integer,
  pass_mark integer,
  lesson_id uuid,
  assignee_user_id uuid,
  team_id uuid,
  department_id uuid,
  due_at timestamptz not null,
  created_at timestamptz not null default private.clock(),
  updated_at timestamptz not null default now(),
  constraint assignments_assignee_fkey foreign key (organization_id, assignee_user_id)
    references public.organization_members (organization_id, user_id) on delete cascade,
  constraint assignments_team_fkey foreign key (team_id, organization_id)
    references public.teams (id, organization_id) on delete cascade,
  constraint assignments_department_fkey foreign key (department_id, organization_id)
    references public.departments (id, organization_id) on delete cascade,
  constraint assignments_one_target check (num_nonnulls(assignee_user_id, team_id, department_id) = 1),
  constraint assignments_title_length check (char_length(btrim(title)) between 1 and 200),
  constraint assignments_instructions_length check (instructions is null or char_length(instructions) <= 2000),
  constraint assignments_quiz_complete check (
    kind <> 'quiz' or (exam_id is not null and question_count between 1 and 100 and pass_mark between 0 and 100 and lesson_id is null)),
  constraint assignments_lesson_complete check (
    kind <> 'lesson' or (lesson_id is not null and exam_id is null and domain_codes is null and question_count is null and pass_mark is null)),
  constraint assignments_due_after_creation check (due_at > created_at)
);
comment on table public.assignments is
  'Work assigned by an organisation''s owners, admins or instructors to a member, a team or a department, with a due date: a quiz (completed automatically by a submitted attempt at or above the pass mark) or a lesson.';
comment on column public.assignments.organization_id is 'The assigning organisation.';
comment on column public.assignments.created_by is 'Who assigned it (the caller).';
comment on column public.assignments.kind is 'quiz or lesson.';
comment on column public.assignments.title is 'Title shown to learners (200 characters).';
comment on column public.assignments.instructions is 'Optional instructions (2000 characters).';
comment on column public.assignments.exam_id is 'Quiz: the exam.';
comment on column public.assignments.domain_codes is 'Quiz: the domains the attempt must stay within (null: any).';
comment on column public.assignments.question_count is 'Quiz: minimum number of questions of the attempt (1-100).';
comment on column public.assignments.pass_mark is 'Quiz: score percentage needed to complete it (0-100).';
comment on column public.assignments.lesson_id is 'Lesson: the lesson (no foreign key until the lessons table exists).';
comment on column public.assignments.assignee_user_id is 'Target: one member of the organisation (exactly one target).';
comment on column public.assignments.team_id is 'Target: every member of this team (and those who join it before the due date).';
comment on column public.assignments.department_id is 'Target: every direct member of the department and every member of its teams.';
comment on column public.assignments.due_at is 'Due date; after it, an incomplete assignment is overdue.';
comment on column public.assignments.created_at is 'When it was assigned.';
comment on column public.assignments.updated_at is 'Last change.';

create index assignments_organization_idx on public.assignments (organization_id, due_at);
create index assignments_created_by_idx on public.assignments (created_by);
create index assignments_exam_id_idx on public.assignments (exam_id);
create index assignments_assignee_idx on public.assignments (organization_id, assignee_user_id) where assignee_user_id is not null;
create index assignments_team_idx on public.assignments (team_id, organization_id) where team_id is not null;
create index assignments_department_idx on public.assignments (department_id, organization_id) where department_id is not null;

create table public.assignment_recipients (
  assignment_id uuid not null references public.assignments (id) on delete cascade,
  organization_id uuid not null,
  user_id uuid not null,
  assigned_at timestamptz not null default private.clock(),
  attempts integer not null default 0,
  best_score numeric(5, 2),
  completed_at timestamptz,
  attempt_id uuid references public.quiz_attempts (id) on delete set null,
  primary key (assignment_id, user_id),
  constraint assignment_recipients_member_fkey foreign key (organization_id, user_id)
    references public.organization_members (organization_id, user_id) on delete cascade,
  constraint assignment_recipients_attempts_non_negative check (attempts >= 0)
);
comment on table public.assignment_recipients is
  'One row per learner an assignment reaches, with their progress: attempts counted, best score, completion. Written only by Ascend (expansion and completion triggers).';
comment on column public.assignment_recipients.assignment_id is 'The assignment.';
comment on column public.assignment_recipients.organization_id is 'The assigning organisation (copied).';
comment on column public.assignment_recipients.user_id is 'The learner.';
comment on column public.assignment_recipients.assigned_at is 'When it reached the learner.';
comment on column public.assignment_recipients.attempts is 'Submitted attempts that matched the assignment.';
comment on column public.assignment_recipients.best_score is 'Best score percentage among them.';
comment on column public.assignment_recipients.completed_at is 'When it was completed (the first matching attempt at or above the pass mark); null: not yet.';
comment on column public.assignment_recipients.attempt_id is 'The attempt that completed it.';

create index assignment_recipients_user_idx on public.assignment_recipients (user_id, completed_at);
create index assignment_recipients_member_idx on public.assignment_recipients (organization_id, user_id);
create index assignment_recipients_attempt_id_idx on public.assignment_recipients (attempt_id);

create trigger assignments_set_updated_at before update on public.assignments
  for each row execute function private.set_updated_at();

-- ---------------------------------------------------------------------------
-- Validation and expansion
-- ---------------------------------------------------------------------------

create function private.assignments_before_insert()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_unknown text;
begin
  new.created_at := private.clock();
  if auth.uid() is not null then
    new.created_by := auth.uid();
  end if;
  if new.due_at <= new.created_at then
    raise exception using errcode = '22023', message = 'due_at must be in the future';
  end if;
  if new.domain_codes is not null then
    select c into v_unknown from unnest(new.domain_codes) c
    where not exists (select 1 from public.exam_domains d where d.exam_id = new.exam_id and d.code = c) limit 1;
    if cardinality(new.domain_codes) = 0 or v_unknown is not null then
      raise exception using
        errcode = '22023',
        message = format('exam %s has no domain %L', new.exam_id, coalesce(v_unknown, '(empty list)')),
        hint = 'use the codes of exam_domains, e.g. {1.0,2.0}, or null for every domain';
    end if;
  end if;
  return new;
end;
$$;
comment on function private.assignments_before_insert() is
  'BEFORE INSERT on assignments: stamps created_at and created_by (the caller), refuses a past due date and unknown domains (22023).';

create trigger assignments_validate
  before insert on public.assignments
  for each row execute function private.assignments_before_insert();

create function private.expand_assignment()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.assignment_recipients (assignment_id, organization_id, user_id, assigned_at)
  select distinct new.id, new.organization_id, t.user_id, private.clock()
  from (
    select new.assignee_user_id as user_id where new.assignee_user_id is not null
    union
    select tm.user_id from public.team_members tm
    where tm.team_id = new.team_id and tm.organization_id = new.organization_id
    union
    select tm.user_id from public.team_members tm
    join public.teams t on t.id = tm.team_id
    where new.department_id is not null and t.department_id = new.department_id and t.organization_id = new.organization_id
    union
    select dm.user_id from public.department_members dm
    where dm.department_id = new.department_id and dm.organization_id = new.organization_id
  ) t
  on conflict do nothing;
  return null;
end;
$$;
comment on function private.expand_assignment() is 'AFTER INSERT on assignments: one assignment_recipients row per targeted learner (the member; the team''s members; the department''s direct members and its teams'' members).';

create trigger assignments_expand
  after insert on public.assignments
  for each row execute function private.expand_assignment();

-- Someone who joins a team later gets its (and its department's) assignments that are not yet due.
create function private.assign_new_team_member()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.assignment_recipients (assignment_id, organization_id, user_id, assigned_at)
  select a.id, a.organization_id, new.user_id, private.clock()
  from public.assignments a
  where a.organization_id = new.organization_id
    and a.due_at > private.clock()
    and (a.team_id = new.team_id
         or a.department_id = (select t.department_id from public.teams t where t.id = new.team_id))
  on conflict do nothing;
  return null;
end;
$$;
comment on function private.assign_new_team_member() is 'AFTER INSERT on team_members: gives the new member the team''s and its department''s assignments that are not yet due.';

create trigger team_members_assign
  after insert on public.team_members
  for each row execute function private.assign_new_team_member();

create function private.assign_new_department_member()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.assignment_recipients (assignment_id, organization_id, user_id, assigned_at)
  select a.id, a.organization_id, new.user_id, private.clock()
  from public.assignments a
  where a.organization_id = new.organization_id and a.department_id = new.department_id and a.due_at > private.clock()
  on conflict do nothing;
  return null;
end;
$$;
comment on function private.assign_new_department_member() is 'AFTER INSERT on department_members: gives the new member the department''s assignments that are not yet due.';

create trigger department_members_assign
  after insert on public.department_members
  for each row execute function private.assign_new_department_member();

create function private.notify_assignment()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_a public.assignments;
begin
  select * into v_a from public.assignments a where a.id = new.assignment_id;
  perform private.notify(
    new.user_id, 'assignment_due', 'New assignment: ' || v_a.title,
    format('Due %s.', to_char(v_a.due_at at time zone coalesce((select p.time_zone from public.profiles p where p.id = new.user_id), 'UTC'),
                              'YYYY-MM-DD HH24:MI')),
    jsonb_build_object('assignment_id', v_a.id, 'organization_id', v_a.organization_id, 'kind', v_a.kind,
                       'due_at', v_a.due_at, 'reason', 'assigned'),
    'assignment:' || v_a.id::text || ':assigned');
  return null;
end;
$$;
comment on function private.notify_assignment() is 'AFTER INSERT on assignment_recipients: notifies the learner of the new assignment (assignment_due, reason assigned).';

create trigger assignment_recipients_notify
  after insert on public.assignment_recipients
  for each row execute function private.notify_assignment();

-- Due-soon reminders (hourly): open assignments due within 24 hours, once each.
create function private.notify_assignments_due()
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
  select count(private.notify(
           r.user_id, 'assignment_due', 'Due soon: ' || a.title, 'Due within 24 hours.',
           jsonb_build_object('assignment_id', a.id, 'organization_id', a.organization_id, 'kind', a.kind,
                              'due_at', a.due_at, 'reason', 'due_soon'),
           'assignment:' || a.id::text || ':due_soon'))
    into v_count
  from public.assignment_recipients r
  join public.assignments a on a.id = r.assignment_id
  where r.completed_at is null and a.due_at > v_now and a.due_at <= v_now + interval '24 hours';
  return v_count;
end;
$$;
comment on function private.notify_assignments_due() is 'Job (hourly): reminds learners of incomplete assignments due within 24 hours (once per assignment). Returns how many reminders were created.';

select cron.schedule('ascend-notify-assignments-due', '15 * * * *', 'select private.notify_assignments_due()');

-- ---------------------------------------------------------------------------
-- Completion from submitted attempts
-- ---------------------------------------------------------------------------

create function private.record_assignment_attempt()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.assignment_recipients r
     set attempts = r.attempts + 1,
         best_score = greatest(r.best_score, new.score_percentage),
         completed_at = case when new.score_percentage >= a.pass_mark then new.submitted_at end,
         attempt_id = case when new.score_percentage >= a.pass_mark then new.id end
    from public.assignments a
   where a.id = r.assignment_id
     and r.user_id = new.user_id
     and r.completed_at is null
     and a.kind = 'quiz'
     and a.exam_id = new.exam_id
     and new.question_count >= a.question_count
     and (a.domain_codes is null or (new.domain_codes is not null and new.domain_codes <@ a.domain_codes))
     and (new.organization_id is null or new.organization_id = a.organization_id)
     and new.started_at >= a.created_at;
  return null;
end;
$$;
comment on function private.record_assignment_attempt() is
  'AFTER UPDATE OF status on quiz_attempts (submitted): records the attempt on each open quiz assignment of the learner it satisfies (exam, size, domains, scope, started after assigning) and completes those whose pass mark it reaches.';

create trigger quiz_attempts_record_assignments
  after update of status on public.quiz_attempts
  for each row when (new.status = 'submitted' and old.status is distinct from 'submitted')
  execute function private.record_assignment_attempt();

-- ---------------------------------------------------------------------------
-- Privileges and RLS
-- ---------------------------------------------------------------------------

create function private.is_assignment_recipient(p_assignment uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.assignment_recipients r where r.assignment_id = p_assignment and r.user_id = (select auth.uid())
  )
$$;
comment on function private.is_assignment_recipient(uuid) is 'True when the assignment reaches the caller.';
grant execute on function private.is_assignment_recipient(uuid) to authenticated, service_role;

alter table public.assignments enable row level security;
alter table public.assignment_recipients enable row level security;
revoke all on table public.assignments, public.assignment_recipients from anon, authenticated, service_role;
grant select, delete on table public.assignments to authenticated;
grant insert (organization_id, kind, title, instructions, exam_id, domain_codes, question_count, pass_mark, lesson_id,
              assignee_user_id, team_id, department_id, due_at)
  on table public.assignments to authenticated;
grant update (title, instructions, due_at) on table public.assignments to authenticated;
grant select, insert, update, delete on table public.assignments to service_role;
grant select on table public.assignment_recipients to authenticated;
grant select, insert, update, delete on table public.assignment_recipients to service_role;

create policy assignments_select_visible on public.assignments
  for select to authenticated
  using (
    private.is_org_staff(organization_id)
    or (select private.is_platform_admin())
    or private.is_assignment_recipient(id)
  );
comment on policy assignments_select_visible on public.assignments is
  'Staff (owner, admin, instructor) see their organisation''s assignments; learners see those that reach them; platform admins see all.';

create policy assignments_insert_staff on public.assignments
  for insert to authenticated
  with check (private.is_org_staff(organization_id) or (select private.is_platform_admin()));
comment on policy assignments_insert_staff on public.assignments is 'Owners, admins and instructors assign work in their organisation.';

create policy assignments_update_staff on public.assignments
  for update to authenticated
  using (private.is_org_staff(organization_id) or (select private.is_platform_admin()))
  with check (private.is_org_staff(organization_id) or (select private.is_platform_admin()));
comment on policy assignments_update_staff on public.assignments is 'Staff of the organisation change title, instructions and due date.';

create policy assignments_delete_staff on public.assignments
  for delete to authenticated
  using (private.is_org_staff(organization_id) or (select private.is_platform_admin()));
comment on policy assignments_delete_staff on public.assignments is 'Staff of the organisation withdraw assignments.';

create policy assignment_recipients_select_visible on public.assignment_recipients
  for select to authenticated
  using (
    user_id = (select auth.uid())
    or private.is_org_staff(organization_id)
    or (select private.is_platform_admin())
  );
comment on policy assignment_recipients_select_visible on public.assignment_recipients is
  'Learners see their own progress; staff of the organisation see everyone''s; platform admins see all.';

-- ---------------------------------------------------------------------------
-- RPCs
-- ---------------------------------------------------------------------------

create function private.assignment_status(p_completed_at timestamptz, p_due_at timestamptz)
returns text
language sql
stable
set search_path = ''
as $$
  select case when p_completed_at is not null then 'completed'
              when p_due_at <= private.clock() then 'overdue'
              else 'pending' end
$$;
comment on function private.assignment_status(timestamptz, timestamptz) is 'completed, overdue (due date passed) or pending.';
grant execute on function private.assignment_status(timestamptz, timestamptz) to authenticated, service_role;

create function public.get_my_assignments(p_status text default null)
returns table (
  assignment_id uuid,
  organization_id uuid,
  kind public.assignment_kind,
  title text,
  instructions text,
  exam_id text,
  domain_codes text[],
  question_count integer,
  pass_mark integer,
  lesson_id uuid,
  due_at timestamptz,
  assigned_at timestamptz,
  status text,
  attempts integer,
  best_score numeric,
  completed_at timestamptz,
  completed_late boolean
)
language plpgsql
stable
set search_path = ''
as $$
begin
  perform private.require_user();
  if p_status is not null and p_status not in ('pending', 'completed', 'overdue') then
    raise exception using errcode = '22023', message = format('unknown status %L', p_status), hint = 'pending, completed or overdue';
  end if;
  return query
  select a.id, a.organization_id, a.kind, a.title, a.instructions, a.exam_id, a.domain_codes, a.question_count, a.pass_mark,
         a.lesson_id, a.due_at, r.assigned_at, private.assignment_status(r.completed_at, a.due_at), r.attempts, r.best_score,
         r.completed_at, r.completed_at > a.due_at
  from public.assignment_recipients r
  join public.assignments a on a.id = r.assignment_id
  where r.user_id = auth.uid()
    and (p_status is null or private.assignment_status(r.completed_at, a.due_at) = p_status)
  order by (r.completed_at is not null), a.due_at, a.id;
end;
$$;
comment on function public.get_my_assignments(text) is
  'The caller''s assignments with their status (pending, completed, overdue), attempts and best score; open ones first by due date. Filter with p_status. Errors: 42501, 22023.';
revoke execute on function public.get_my_assignments(text) from public, anon;
grant execute on function public.get_my_assignments(text) to authenticated;

create function public.get_assignment_progress(p_assignment uuid)
returns table (
  user_id uuid,
  username text,
  display_name text,
  status text,
  attempts integer,
  best_score numeric,
  completed_at timestamptz
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_a public.assignments;
begin
  select * into v_a from public.assignments a where a.id = p_assignment;
  if not found or not (private.is_org_staff(v_a.organization_id) or private.is_platform_admin() or private.is_service_role()) then
    raise exception using errcode = 'PT404', message = format('assignment %s not found', p_assignment),
      hint = 'only the staff of the assigning organisation follow its progress';
  end if;
  return query
  select r.user_id, p.username, p.display_name, private.assignment_status(r.completed_at, v_a.due_at), r.attempts,
         r.best_score, r.completed_at
  from public.assignment_recipients r
  join public.profiles p on p.id = r.user_id
  where r.assignment_id = p_assignment
  order by (r.completed_at is not null), p.username;
end;
$$;
comment on function public.get_assignment_progress(uuid) is
  'Staff of the assigning organisation: each recipient of an assignment with status, attempts, best score and completion. Errors: PT404 unknown or not theirs.';
revoke execute on function public.get_assignment_progress(uuid) from public, anon;
grant execute on function public.get_assignment_progress(uuid) to authenticated, service_role;

revoke execute on all functions in schema private from public;
