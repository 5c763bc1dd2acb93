-- Lesson assignments, now that lessons exist: the assigned lesson must be one of the assigning
-- organisation's own lessons (a foreign key on both columns), and a learner completes a lesson
-- assignment by marking the published lesson as done with complete_lesson().

alter table public.assignments
  add constraint assignments_lesson_fkey foreign key (lesson_id, organization_id)
    references public.lessons (id, organization_id) on delete cascade;
create index assignments_lesson_idx on public.assignments (lesson_id, organization_id) where lesson_id is not null;
comment on column public.assignments.lesson_id is 'Lesson: one of the organisation''s lessons (completed with complete_lesson()).';

create function public.complete_lesson(p_lesson uuid)
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
  'The caller has read a published lesson of one of their organisations: completes their open assignments of it. Returns how many it completed (0 when none was assigned or all were done). PT404 unknown or unreadable lesson, PT409 not published.';
revoke all on function public.complete_lesson(uuid) from public, anon;
grant execute on function public.complete_lesson(uuid) to authenticated;
