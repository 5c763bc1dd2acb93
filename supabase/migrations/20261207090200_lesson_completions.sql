-- Lesson completion without an assignment: complete_lesson() only stamped assignments, so a lesson
-- nobody assigned was not remembered as read. lesson_completions records every learner's "done"
-- (the version read and when); complete_lesson() writes it, and still completes open assignments.
-- Learners read their own rows; staff (owner, admin, instructor) of the lesson's organisation read
-- those of its current members. Nobody writes the table directly.

create table public.lesson_completions (
  user_id uuid not null references public.profiles (id) on delete cascade,
  lesson_id uuid not null,
  organization_id uuid not null,
  lesson_version integer not null,
  completed_at timestamptz not null default now(),
  primary key (user_id, lesson_id),
  constraint lesson_completions_lesson_fkey foreign key (lesson_id, organization_id)
    references public.lessons (id, organization_id) on delete cascade
);
comment on table public.lesson_completions is
  'Lessons a learner marked as done (with complete_lesson()), assigned or not: one row per learner and lesson.';
comment on column public.lesson_completions.user_id is 'The learner.';
comment on column public.lesson_completions.lesson_id is 'The lesson.';
comment on column public.lesson_completions.organization_id is 'The lesson''s organisation (its staff read the row).';
comment on column public.lesson_completions.lesson_version is 'The published version the learner read when last marking it done.';
comment on column public.lesson_completions.completed_at is 'When the learner last marked it done.';
create index lesson_completions_lesson_idx on public.lesson_completions (lesson_id, organization_id);
create index lesson_completions_organization_idx on public.lesson_completions (organization_id);

alter table public.lesson_completions enable row level security;
revoke all on table public.lesson_completions from anon, authenticated, service_role;
grant select on table public.lesson_completions to authenticated, service_role;

create policy lesson_completions_select_own_or_staff on public.lesson_completions
  for select to authenticated
  using (
    user_id = (select auth.uid())
    or (private.is_org_staff(organization_id)
        and exists (select 1 from public.organization_members m
                     where m.organization_id = lesson_completions.organization_id and m.user_id = lesson_completions.user_id))
  );
comment on policy lesson_completions_select_own_or_staff on public.lesson_completions is
  'Learners read their own completions; staff of the lesson''s organisation read those of its members.';

create or replace function public.complete_lesson(p_lesson uuid)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_org uuid;
  v_published integer;
  v_done integer;
begin
  if (select auth.uid()) is null then
    raise exception 'Sign in to complete a lesson.' using errcode = '42501';
  end if;
  select l.organization_id, l.published_version into v_org, v_published
  from public.lessons l where l.id = p_lesson;
  -- the same answer for a lesson that does not exist and one the caller may not read
  if v_org is null or not private.is_org_member(v_org) then
    raise exception 'No such lesson.' using errcode = 'PT404';
  end if;
  if v_published is null then
    raise exception 'This lesson is not published yet.' using errcode = 'PT409';
  end if;

  insert into public.lesson_completions (user_id, lesson_id, organization_id, lesson_version, completed_at)
  values ((select auth.uid()), p_lesson, v_org, v_published, private.clock())
  on conflict (user_id, lesson_id) do update
    set lesson_version = excluded.lesson_version, completed_at = excluded.completed_at;

  update public.assignment_recipients r
  set completed_at = private.clock()
  from public.assignments a
  where a.id = r.assignment_id
    and a.kind = 'lesson'
    and a.lesson_id = p_lesson
    and r.user_id = (select auth.uid())
    and r.completed_at is null;
  get diagnostics v_done = row_count;
  return v_done;
end;
$$;
comment on function public.complete_lesson(uuid) is
  'The caller has read a published lesson of one of their organisations: records it as done (lesson_completions, assigned or not) and completes their open assignments of it. Returns how many assignments it completed (0 when none was assigned or all were done). PT404 unknown or unreadable lesson, PT409 not published.';
