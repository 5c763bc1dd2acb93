-- Lessons (seed 004): organisation lessons with versions and an approval workflow.
--
-- Each edit is a version (title, body, change summary). A version moves
--   draft --(staff: submit)--> in_review --(owner/admin, not its author: approve)--> approved
--   in_review --(owner/admin: request changes, with a comment)--> draft
--   approved --(owner/admin: publish)--> published   (the previously published version is archived)
--   published --(owner/admin: unpublish)--> archived
-- and nothing else (set_lesson_status refuses every other move). Reviewers comment on versions.
-- Rolling back makes a new draft with an earlier version's content, so history only grows.
-- Learners of the organisation read approved and published versions only; staff read all.
-- Every write goes through the RPCs below; the tables are read-only for the API roles.

create type public.lesson_status as enum ('draft', 'in_review', 'approved', 'published', 'archived');
comment on type public.lesson_status is
  'Workflow state of a lesson version: draft -> in_review -> approved -> published (-> archived); in_review -> draft when changes are requested.';

create table public.lessons (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  exam_id text references public.exams (id) on update cascade on delete set null,
  latest_version integer not null default 1,
  published_version integer,
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint lessons_id_organization_key unique (id, organization_id)
);
comment on table public.lessons is
  'A lesson of an organisation; its content lives in lesson_versions. Created with create_lesson(), changed only through the lesson RPCs.';
comment on column public.lessons.organization_id is 'Owning organisation.';
comment on column public.lessons.exam_id is 'Exam the lesson prepares for (optional).';
comment on column public.lessons.latest_version is 'Highest version number.';
comment on column public.lessons.published_version is 'The version learners see as current (null until one is published).';
comment on column public.lessons.created_by is 'Author of the first version.';
comment on column public.lessons.created_at is 'Creation time.';
comment on column public.lessons.updated_at is 'Last change of any version.';
create index lessons_organization_id_idx on public.lessons (organization_id);
create index lessons_exam_id_idx on public.lessons (exam_id) where exam_id is not null;
create index lessons_created_by_idx on public.lessons (created_by);
create trigger lessons_set_updated_at before update on public.lessons
  for each row execute function private.set_updated_at();

create table public.lesson_versions (
  lesson_id uuid not null,
  version integer not null,
  organization_id uuid not null,
  title text not null,
  body text not null,
  change_summary text,
  status public.lesson_status not null default 'draft',
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  submitted_at timestamptz,
  reviewed_by uuid references public.profiles (id) on delete set null,
  reviewed_at timestamptz,
  published_at timestamptz,
  primary key (lesson_id, version),
  constraint lesson_versions_lesson_fkey foreign key (lesson_id, organization_id)
    references public.lessons (id, organization_id) on delete cascade,
  constraint lesson_versions_title_length check (char_length(btrim(title)) between 1 and 200),
  constraint lesson_versions_body_length check (char_length(body) <= 200000),
  constraint lesson_versions_change_summary_length check (change_summary is null or char_length(change_summary) <= 500)
);
comment on table public.lesson_versions is
  'Every version of a lesson with its workflow state. Learners of the organisation read approved and published versions; its staff read all.';
comment on column public.lesson_versions.lesson_id is 'The lesson.';
comment on column public.lesson_versions.version is 'Version number, 1, 2, ...';
comment on column public.lesson_versions.organization_id is 'The lesson''s organisation (copied for RLS).';
comment on column public.lesson_versions.title is 'Title, 1-200 characters.';
comment on column public.lesson_versions.body is 'Content (Markdown), compared line by line by diff_lesson_versions().';
comment on column public.lesson_versions.change_summary is 'What changed in this version.';
comment on column public.lesson_versions.status is 'draft, in_review, approved, published or archived.';
comment on column public.lesson_versions.created_by is 'Author of the version.';
comment on column public.lesson_versions.created_at is 'Creation time.';
comment on column public.lesson_versions.updated_at is 'Last edit or status change.';
comment on column public.lesson_versions.submitted_at is 'When it was last submitted for review.';
comment on column public.lesson_versions.reviewed_by is 'Who approved it or requested changes.';
comment on column public.lesson_versions.reviewed_at is 'When.';
comment on column public.lesson_versions.published_at is 'When it was published.';
create index lesson_versions_organization_status_idx on public.lesson_versions (organization_id, status);
create index lesson_versions_lesson_organization_idx on public.lesson_versions (lesson_id, organization_id);
create index lesson_versions_created_by_idx on public.lesson_versions (created_by);
create index lesson_versions_reviewed_by_idx on public.lesson_versions (reviewed_by);
create trigger lesson_versions_set_updated_at before update on public.lesson_versions
  for each row execute function private.set_updated_at();

create table public.lesson_comments (
  id bigint generated always as identity primary key,
  lesson_id uuid not null,
  version integer not null,
  organization_id uuid not null,
  author_id uuid default auth.uid() references public.profiles (id) on delete set null,
  body text not null,
  created_at timestamptz not null default now(),
  constraint lesson_comments_version_fkey foreign key (lesson_id, version)
    references public.lesson_versions (lesson_id, version) on delete cascade,
  constraint lesson_comments_body_length check (char_length(btrim(body)) between 1 and 5000)
);
comment on table public.lesson_comments is
  'Reviewer and author comments on a lesson version; read and written by the organisation''s staff.';
comment on column public.lesson_comments.lesson_id is 'The lesson.';
comment on column public.lesson_comments.version is 'The version commented on.';
comment on column public.lesson_comments.organization_id is 'The lesson''s organisation (must match).';
comment on column public.lesson_comments.author_id is 'Who wrote it (the caller).';
comment on column public.lesson_comments.body is 'The comment, 1-5000 characters.';
comment on column public.lesson_comments.created_at is 'When.';
create index lesson_comments_version_idx on public.lesson_comments (lesson_id, version);
create index lesson_comments_organization_id_idx on public.lesson_comments (organization_id);
create index lesson_comments_author_id_idx on public.lesson_comments (author_id);

-- A comment belongs to the lesson's organisation.
create function private.lesson_comment_organization()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  select l.organization_id into new.organization_id from public.lessons l where l.id = new.lesson_id;
  new.author_id := coalesce(auth.uid(), new.author_id);
  return new;
end;
$$;
comment on function private.lesson_comment_organization() is 'BEFORE INSERT on lesson_comments: takes the organisation from the lesson and the author from the caller.';
create trigger lesson_comments_organization before insert on public.lesson_comments
  for each row execute function private.lesson_comment_organization();

-- ---------------------------------------------------------------------------
-- Privileges and RLS
-- ---------------------------------------------------------------------------

alter table public.lessons enable row level security;
alter table public.lesson_versions enable row level security;
alter table public.lesson_comments enable row level security;

revoke all on table public.lessons, public.lesson_versions, public.lesson_comments from anon, authenticated, service_role;
grant select on table public.lessons, public.lesson_versions to authenticated;
grant select, insert on table public.lesson_comments to authenticated;
grant select, insert, update, delete on table public.lessons, public.lesson_versions, public.lesson_comments to service_role;

create policy lessons_select_visible on public.lessons
  for select to authenticated
  using (
    (select private.is_platform_admin())
    or private.is_org_staff(organization_id)
    or (private.is_org_member(organization_id) and exists (
          select 1 from public.lesson_versions v
          where v.lesson_id = lessons.id and v.status in ('approved', 'published')))
  );
comment on policy lessons_select_visible on public.lessons is
  'Staff of the organisation see its lessons; its learners see lessons with an approved or published version; platform admins see all.';

create policy lesson_versions_select_visible on public.lesson_versions
  for select to authenticated
  using (
    (select private.is_platform_admin())
    or private.is_org_staff(organization_id)
    or (status in ('approved', 'published') and private.is_org_member(organization_id))
  );
comment on policy lesson_versions_select_visible on public.lesson_versions is
  'Learners of the organisation read approved and published versions only; its staff read every version.';

create policy lesson_comments_select_staff on public.lesson_comments
  for select to authenticated
  using ((select private.is_platform_admin()) or private.is_org_staff(organization_id));
comment on policy lesson_comments_select_staff on public.lesson_comments is 'Staff of the organisation read review comments.';

create policy lesson_comments_insert_staff on public.lesson_comments
  for insert to authenticated
  with check (author_id = (select auth.uid()) and ((select private.is_platform_admin()) or private.is_org_staff(organization_id)));
comment on policy lesson_comments_insert_staff on public.lesson_comments is 'Staff of the organisation comment on its lesson versions.';

-- ---------------------------------------------------------------------------
-- RPCs
-- ---------------------------------------------------------------------------

-- Raises unless the caller may author lessons of the organisation; returns the caller.
create function private.require_lesson_staff(p_organization uuid)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
begin
  if not (private.is_platform_admin() or private.is_org_staff(p_organization)) then
    raise exception using errcode = '42501',
      message = 'only owners, admins and instructors of this organisation write its lessons';
  end if;
  return v_uid;
end;
$$;
comment on function private.require_lesson_staff(uuid) is 'Raises 42501 unless the caller is staff of the organisation (or a platform admin); returns auth.uid().';

create function private.lock_lesson(p_lesson uuid)
returns public.lessons
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_lesson public.lessons;
begin
  select * into v_lesson from public.lessons l where l.id = p_lesson for update;
  if not found or not (private.is_platform_admin() or private.is_org_member(v_lesson.organization_id)) then
    raise exception using errcode = 'PT404', message = format('lesson %s not found', p_lesson);
  end if;
  return v_lesson;
end;
$$;
comment on function private.lock_lesson(uuid) is 'Locks a lesson the caller can see, or raises PT404.';

create function public.create_lesson(
  p_organization uuid,
  p_title text,
  p_body text,
  p_exam text default null,
  p_change_summary text default null
)
returns public.lesson_versions
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_lesson_staff(p_organization);
  v_lesson uuid;
  v_version public.lesson_versions;
begin
  insert into public.lessons (organization_id, exam_id, created_by)
  values (p_organization, p_exam, v_uid)
  returning id into v_lesson;
  insert into public.lesson_versions (lesson_id, version, organization_id, title, body, change_summary, created_by)
  values (v_lesson, 1, p_organization, btrim(p_title), coalesce(p_body, ''), coalesce(p_change_summary, 'First version'), v_uid)
  returning * into v_version;
  return v_version;
end;
$$;
comment on function public.create_lesson(uuid, text, text, text, text) is
  'Creates a lesson of the organisation with its first version as a draft (owners, admins, instructors). Errors: 42501, 22023/23514 invalid title.';

create function public.save_lesson_draft(p_lesson uuid, p_title text, p_body text, p_change_summary text default null)
returns public.lesson_versions
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_lesson public.lessons := private.lock_lesson(p_lesson);
  v_uid uuid := private.require_lesson_staff(v_lesson.organization_id);
  v_latest public.lesson_versions;
  v_version public.lesson_versions;
begin
  select * into v_latest from public.lesson_versions v
  where v.lesson_id = p_lesson and v.version = v_lesson.latest_version;
  if v_latest.status = 'draft' then
    update public.lesson_versions v
       set title = btrim(p_title), body = coalesce(p_body, ''), change_summary = coalesce(p_change_summary, v.change_summary)
     where v.lesson_id = p_lesson and v.version = v_latest.version
    returning * into v_version;
  else
    insert into public.lesson_versions (lesson_id, version, organization_id, title, body, change_summary, created_by)
    values (p_lesson, v_lesson.latest_version + 1, v_lesson.organization_id, btrim(p_title), coalesce(p_body, ''), p_change_summary, v_uid)
    returning * into v_version;
    update public.lessons l set latest_version = v_version.version where l.id = p_lesson;
  end if;
  return v_version;
end;
$$;
comment on function public.save_lesson_draft(uuid, text, text, text) is
  'Saves the lesson''s content: edits the latest version while it is a draft, otherwise starts a new draft version. Staff only. Errors: PT404, 42501.';

create function public.set_lesson_status(p_lesson uuid, p_version integer, p_status public.lesson_status, p_comment text default null)
returns public.lesson_versions
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_lesson public.lessons := private.lock_lesson(p_lesson);
  v_uid uuid := private.require_lesson_staff(v_lesson.organization_id);
  v_reviewer boolean := private.is_platform_admin() or private.is_org_admin(v_lesson.organization_id);
  v_now timestamptz := private.clock();
  v_version public.lesson_versions;
begin
  select * into v_version from public.lesson_versions v
  where v.lesson_id = p_lesson and v.version = p_version
  for update;
  if not found then
    raise exception using errcode = 'PT404', message = format('lesson %s has no version %s', p_lesson, p_version);
  end if;

  if (v_version.status, p_status) not in (
       ('draft'::public.lesson_status, 'in_review'::public.lesson_status),
       ('in_review', 'draft'), ('in_review', 'approved'), ('approved', 'published'), ('published', 'archived')) then
    raise exception using errcode = 'PT409',
      message = format('a lesson version cannot go from %s to %s', v_version.status, p_status),
      hint = 'draft -> in_review -> approved -> published -> archived; in_review -> draft to request changes';
  end if;
  if p_status <> 'in_review' and not v_reviewer then
    raise exception using errcode = '42501',
      message = format('only owners and admins of the organisation move a version to %s', p_status);
  end if;
  if p_status = 'approved' and v_version.created_by = v_uid and not private.is_platform_admin() then
    raise exception using errcode = '42501', message = 'a version is approved by someone other than its author',
      hint = 'ask another owner or admin to review it';
  end if;
  if v_version.status = 'in_review' and p_status = 'draft' and nullif(btrim(p_comment), '') is null then
    raise exception using errcode = '22023', message = 'say what to change: requesting changes needs a comment';
  end if;

  if p_status = 'published' then
    update public.lesson_versions v set status = 'archived'
     where v.lesson_id = p_lesson and v.status = 'published';
  end if;
  update public.lesson_versions v
     set status = p_status,
         submitted_at = case when p_status = 'in_review' then v_now else v.submitted_at end,
         reviewed_by = case when p_status in ('approved', 'draft') then v_uid else v.reviewed_by end,
         reviewed_at = case when p_status in ('approved', 'draft') then v_now else v.reviewed_at end,
         published_at = case when p_status = 'published' then v_now else v.published_at end
   where v.lesson_id = p_lesson and v.version = p_version
  returning * into v_version;
  update public.lessons l
     set published_version = case
           when p_status = 'published' then p_version
           when p_status = 'archived' and l.published_version = p_version then null
           else l.published_version end
   where l.id = p_lesson;
  if nullif(btrim(p_comment), '') is not null then
    insert into public.lesson_comments (lesson_id, version, organization_id, author_id, body)
    values (p_lesson, p_version, v_lesson.organization_id, v_uid, btrim(p_comment));
  end if;
  return v_version;
end;
$$;
comment on function public.set_lesson_status(uuid, integer, public.lesson_status, text) is
  'Moves a lesson version through the workflow: staff submit drafts (in_review); owners/admins approve (not their own version), request changes (back to draft, comment required), publish (the previous published version is archived) and unpublish (archived). p_comment is stored as a review comment. Errors: PT404, 42501, PT409 transition not allowed, 22023.';

create function public.rollback_lesson(p_lesson uuid, p_to_version integer)
returns public.lesson_versions
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_lesson public.lessons := private.lock_lesson(p_lesson);
  v_uid uuid := private.require_lesson_staff(v_lesson.organization_id);
  v_source public.lesson_versions;
  v_version public.lesson_versions;
begin
  select * into v_source from public.lesson_versions v where v.lesson_id = p_lesson and v.version = p_to_version;
  if not found then
    raise exception using errcode = 'PT404', message = format('lesson %s has no version %s', p_lesson, p_to_version);
  end if;
  if exists (select 1 from public.lesson_versions v where v.lesson_id = p_lesson and v.version = v_lesson.latest_version and v.status in ('draft', 'in_review')) then
    raise exception using errcode = 'PT409', message = 'the lesson has a draft or a version in review: finish or discard it before rolling back',
      hint = 'save_lesson_draft() edits the current draft';
  end if;
  insert into public.lesson_versions (lesson_id, version, organization_id, title, body, change_summary, created_by)
  values (p_lesson, v_lesson.latest_version + 1, v_lesson.organization_id, v_source.title, v_source.body,
          format('Rollback to version %s', p_to_version), v_uid)
  returning * into v_version;
  update public.lessons l set latest_version = v_version.version where l.id = p_lesson;
  return v_version;
end;
$$;
comment on function public.rollback_lesson(uuid, integer) is
  'Starts a new draft version with the content of an earlier version (history is never rewritten); it then goes through review like any draft. Staff only. Errors: PT404, 42501, PT409 a draft is open.';

-- Line diff of two versions the caller can read (LCS over lines), changed lines only.
create function public.diff_lesson_versions(p_lesson uuid, p_from integer, p_to integer)
returns table (op text, old_line integer, new_line integer, line text)
language plpgsql
stable
set search_path = ''
as $$
declare
  a text[];
  b text[];
  n integer;
  m integer;
  lcs integer[];
  i integer;
  j integer;
  w integer;
begin
  select string_to_array(replace(v.body, E'\r\n', E'\n'), E'\n') into a
  from public.lesson_versions v where v.lesson_id = p_lesson and v.version = p_from;
  if not found then
    raise exception using errcode = 'PT404', message = format('lesson %s has no version %s you can read', p_lesson, p_from);
  end if;
  select string_to_array(replace(v.body, E'\r\n', E'\n'), E'\n') into b
  from public.lesson_versions v where v.lesson_id = p_lesson and v.version = p_to;
  if not found then
    raise exception using errcode = 'PT404', message = format('lesson %s has no version %s you can read', p_lesson, p_to);
  end if;
  a := coalesce(a, '{}');
  b := coalesce(b, '{}');
  n := coalesce(array_length(a, 1), 0);
  m := coalesce(array_length(b, 1), 0);
  if n::bigint * m > 4000000 then
    raise exception using errcode = '54000', message = 'these versions are too long to compare line by line (over 4 million line pairs)';
  end if;
  -- lcs[(i) * w + j + 1] = LCS length of a[i+1..n] and b[j+1..m]
  w := m + 1;
  lcs := array_fill(0, array[(n + 1) * w]);
  for i in reverse n - 1 .. 0 loop
    for j in reverse m - 1 .. 0 loop
      if a[i + 1] = b[j + 1] then
        lcs[i * w + j + 1] := lcs[(i + 1) * w + j + 2] + 1;
      else
        lcs[i * w + j + 1] := greatest(lcs[(i + 1) * w + j + 1], lcs[i * w + j + 2]);
      end if;
    end loop;
  end loop;
  i := 0;
  j := 0;
  while i < n or j < m loop
    if i < n and j < m and a[i + 1] = b[j + 1] then
      i := i + 1;
      j := j + 1;
    elsif i < n and (j = m or lcs[(i + 1) * w + j + 1] >= lcs[i * w + j + 2]) then
      op := '-'; old_line := i + 1; new_line := null; line := a[i + 1];
      return next;
      i := i + 1;
    else
      op := '+'; old_line := null; new_line := j + 1; line := b[j + 1];
      return next;
      j := j + 1;
    end if;
  end loop;
end;
$$;
comment on function public.diff_lesson_versions(uuid, integer, integer) is
  'Changed lines between two versions of a lesson (longest common subsequence over lines): op ''-'' with old_line for removed lines, ''+'' with new_line for added ones, in document order. Reads with the caller''s RLS. Errors: PT404.';

revoke execute on function public.create_lesson(uuid, text, text, text, text) from public, anon;
revoke execute on function public.save_lesson_draft(uuid, text, text, text) from public, anon;
revoke execute on function public.set_lesson_status(uuid, integer, public.lesson_status, text) from public, anon;
revoke execute on function public.rollback_lesson(uuid, integer) from public, anon;
revoke execute on function public.diff_lesson_versions(uuid, integer, integer) from public, anon;
grant execute on function public.create_lesson(uuid, text, text, text, text) to authenticated;
grant execute on function public.save_lesson_draft(uuid, text, text, text) to authenticated;
grant execute on function public.set_lesson_status(uuid, integer, public.lesson_status, text) to authenticated;
grant execute on function public.rollback_lesson(uuid, integer) to authenticated;
grant execute on function public.diff_lesson_versions(uuid, integer, integer) to authenticated, service_role;

revoke execute on all functions in schema private from public;
