-- Personal tasks (issue 9, item 3; seed 003): a learner's own to-do list. Title, description,
-- priority, status, due date, tags; filters, full-text search and sorting (search_tasks); soft
-- delete and restore; bulk actions of up to 100 tasks per call. Only the owner sees and edits
-- their tasks (not staff, not platform admins); the service role (trusted backends) sees all.

create type public.task_priority as enum ('low', 'medium', 'high', 'urgent');
comment on type public.task_priority is 'Priority of a personal task, lowest to highest.';

create type public.task_status as enum ('todo', 'in_progress', 'done');
comment on type public.task_status is 'todo, in_progress or done.';

create function private.is_valid_tag_list(tags text[])
returns boolean
language sql
immutable
set search_path = ''
as $$
  select tags is not null and cardinality(tags) <= 20
    and coalesce((select bool_and(t ~ '^[a-z0-9][a-z0-9_-]{0,29}$') from unnest(tags) t), true)
$$;
comment on function private.is_valid_tag_list(text[]) is 'True for at most 20 tags, each 1-30 of a-z 0-9 _ - (lower case).';
grant execute on function private.is_valid_tag_list(text[]) to authenticated, service_role;

create table public.tasks (
  id bigint generated always as identity primary key,
  user_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  title text not null,
  description text,
  priority public.task_priority not null default 'medium',
  status public.task_status not null default 'todo',
  due_at timestamptz,
  tags text[] not null default '{}',
  completed_at timestamptz,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search tsvector generated always as (
    setweight(to_tsvector('simple', coalesce(title, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(description, '')), 'B')
  ) stored,
  constraint tasks_title_length check (char_length(btrim(title)) between 1 and 200),
  constraint tasks_description_length check (description is null or char_length(description) <= 1000),
  constraint tasks_tags_valid check (private.is_valid_tag_list(tags)),
  constraint tasks_completed_when_done check ((status = 'done') = (completed_at is not null))
);
comment on table public.tasks is
  'A learner''s personal tasks (seed 003): only their owner reads and edits them. Deleting sets deleted_at (restore clears it); search, filter and sort with search_tasks().';
comment on column public.tasks.user_id is 'The owner (always the caller).';
comment on column public.tasks.title is 'Title, 1-200 characters.';
comment on column public.tasks.description is 'Optional description (1000 characters).';
comment on column public.tasks.priority is 'low, medium, high or urgent.';
comment on column public.tasks.status is 'todo, in_progress or done.';
comment on column public.tasks.due_at is 'Optional due date.';
comment on column public.tasks.tags is 'Up to 20 lower-case tags.';
comment on column public.tasks.completed_at is 'When it was marked done (set by Ascend).';
comment on column public.tasks.deleted_at is 'Soft delete: when it went to the bin; null: live.';
comment on column public.tasks.created_at is 'Creation time.';
comment on column public.tasks.updated_at is 'Last change.';
comment on column public.tasks.search is 'Full-text index of title and description (simple configuration).';

create index tasks_user_live_idx on public.tasks (user_id, status, due_at) where deleted_at is null;
create index tasks_user_deleted_idx on public.tasks (user_id, deleted_at) where deleted_at is not null;
create index tasks_search_idx on public.tasks using gin (search);
create index tasks_tags_idx on public.tasks using gin (tags);

create function private.tasks_before_write()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and new.user_id is distinct from old.user_id then
    raise exception using errcode = '42501', message = 'a task cannot change owner';
  end if;
  new.tags := coalesce((select array_agg(distinct lower(btrim(t)) order by lower(btrim(t))) from unnest(new.tags) t), '{}');
  if new.status = 'done' and (tg_op = 'INSERT' or old.status <> 'done') then
    new.completed_at := now();
  elsif new.status <> 'done' then
    new.completed_at := null;
  else
    new.completed_at := old.completed_at;
  end if;
  new.updated_at := now();
  return new;
end;
$$;
comment on function private.tasks_before_write() is
  'BEFORE INSERT/UPDATE on tasks: keeps the owner, normalises tags (lower case, unique, sorted), stamps completed_at when done and updated_at.';

create trigger tasks_before_write
  before insert or update on public.tasks
  for each row execute function private.tasks_before_write();

alter table public.tasks enable row level security;
revoke all on table public.tasks from anon, authenticated, service_role;
grant select, delete on table public.tasks to authenticated;
grant insert (title, description, priority, status, due_at, tags) on table public.tasks to authenticated;
grant update (title, description, priority, status, due_at, tags, deleted_at) on table public.tasks to authenticated;
grant select, insert, update, delete on table public.tasks to service_role;

create policy tasks_select_own on public.tasks
  for select to authenticated
  using (user_id = (select auth.uid()));
comment on policy tasks_select_own on public.tasks is 'A learner reads only their own tasks.';

create policy tasks_insert_own on public.tasks
  for insert to authenticated
  with check (user_id = (select auth.uid()));
comment on policy tasks_insert_own on public.tasks is 'A learner creates tasks for themselves only.';

create policy tasks_update_own on public.tasks
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
comment on policy tasks_update_own on public.tasks is 'A learner edits, soft-deletes and restores only their own tasks.';

create policy tasks_delete_own on public.tasks
  for delete to authenticated
  using (user_id = (select auth.uid()));
comment on policy tasks_delete_own on public.tasks is 'A learner deletes their own tasks for good.';

-- ---------------------------------------------------------------------------
-- RPCs (invoker: RLS keeps each learner to their own tasks)
-- ---------------------------------------------------------------------------

create function public.search_tasks(
  p_query text default null,
  p_status public.task_status[] default null,
  p_priority public.task_priority[] default null,
  p_tags text[] default null,
  p_due_from timestamptz default null,
  p_due_to timestamptz default null,
  p_deleted boolean default false,
  p_sort text default 'due_at',
  p_descending boolean default false,
  p_limit integer default 50,
  p_offset integer default 0
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_query tsquery;
begin
  if p_sort is null or p_sort not in ('due_at', 'priority', 'created_at', 'updated_at', 'title', 'status', 'relevance') then
    raise exception using errcode = '22023', message = format('cannot sort by %L', p_sort),
      hint = 'due_at, priority, created_at, updated_at, title, status or relevance';
  end if;
  if p_limit is null or p_limit not between 1 and 100 then
    raise exception using errcode = '22023', message = 'p_limit must be between 1 and 100';
  end if;
  if p_offset is null or p_offset < 0 then
    raise exception using errcode = '22023', message = 'p_offset must be 0 or more';
  end if;
  if nullif(btrim(p_query), '') is not null then
    v_query := websearch_to_tsquery('simple', p_query);
  end if;
  return (
    with matching as (
      select t.*, case when v_query is null then 0 else ts_rank(t.search, v_query) end as relevance
      from public.tasks t
      where t.user_id = v_uid
        and (t.deleted_at is not null) = coalesce(p_deleted, false)
        and (v_query is null or t.search @@ v_query)
        and (p_status is null or t.status = any (p_status))
        and (p_priority is null or t.priority = any (p_priority))
        and (p_tags is null or t.tags @> (select array_agg(lower(btrim(x))) from unnest(p_tags) x))
        and (p_due_from is null or t.due_at >= p_due_from)
        and (p_due_to is null or t.due_at < p_due_to)
    ), page as (
      select m.* from matching m
      order by
        case when not p_descending then
          case p_sort when 'due_at' then to_char(m.due_at at time zone 'UTC', 'YYYYMMDDHH24MISSUS')
                      when 'created_at' then to_char(m.created_at at time zone 'UTC', 'YYYYMMDDHH24MISSUS')
                      when 'updated_at' then to_char(m.updated_at at time zone 'UTC', 'YYYYMMDDHH24MISSUS')
                      when 'title' then lower(m.title)
                      when 'priority' then array_position(enum_range(null::public.task_priority), m.priority)::text
                      when 'status' then array_position(enum_range(null::public.task_status), m.status)::text
                      when 'relevance' then to_char(1 - m.relevance, 'FM0.000000') end
        end asc nulls last,
        case when p_descending then
          case p_sort when 'due_at' then to_char(m.due_at at time zone 'UTC', 'YYYYMMDDHH24MISSUS')
                      when 'created_at' then to_char(m.created_at at time zone 'UTC', 'YYYYMMDDHH24MISSUS')
                      when 'updated_at' then to_char(m.updated_at at time zone 'UTC', 'YYYYMMDDHH24MISSUS')
                      when 'title' then lower(m.title)
                      when 'priority' then array_position(enum_range(null::public.task_priority), m.priority)::text
                      when 'status' then array_position(enum_range(null::public.task_status), m.status)::text
                      when 'relevance' then to_char(m.relevance, 'FM0.000000') end
        end desc nulls last,
        m.id
      limit p_limit offset p_offset
    )
    select jsonb_build_object(
      'total', (select count(*) from matching),
      'limit', p_limit, 'offset', p_offset,
      'items', coalesce((select jsonb_agg(to_jsonb(p) - 'search' - 'relevance' - 'user_id' order by n)
                         from (select pg.*, row_number() over () as n from page pg) p), '[]'::jsonb))
  );
end;
$$;
comment on function public.search_tasks(text, public.task_status[], public.task_priority[], text[], timestamptz, timestamptz, boolean, text, boolean, integer, integer) is
  'The caller''s tasks: full-text search (p_query, web-search syntax), filters (statuses, priorities, all of p_tags, due between p_due_from and p_due_to, p_deleted => true for the bin), sort by due_at, priority, created_at, updated_at, title, status or relevance (p_descending), page of 1-100: {total, limit, offset, items}. Errors: 42501, 22023.';
revoke execute on function public.search_tasks(text, public.task_status[], public.task_priority[], text[], timestamptz, timestamptz, boolean, text, boolean, integer, integer) from public, anon;
grant execute on function public.search_tasks(text, public.task_status[], public.task_priority[], text[], timestamptz, timestamptz, boolean, text, boolean, integer, integer) to authenticated;

create function public.delete_tasks(p_ids bigint[], p_permanent boolean default false)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_count integer;
begin
  perform private.check_bulk_ids(p_ids);
  if coalesce(p_permanent, false) then
    delete from public.tasks t where t.id = any (p_ids) and t.user_id = v_uid;
  else
    update public.tasks t set deleted_at = now() where t.id = any (p_ids) and t.user_id = v_uid and t.deleted_at is null;
  end if;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function public.delete_tasks(bigint[], boolean) is
  'Moves 1-100 of the caller''s tasks to the bin (p_permanent => true: deletes them for good); returns how many. Errors: 42501, 22023.';
revoke execute on function public.delete_tasks(bigint[], boolean) from public, anon;
grant execute on function public.delete_tasks(bigint[], boolean) to authenticated;

create function public.restore_tasks(p_ids bigint[])
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_count integer;
begin
  perform private.check_bulk_ids(p_ids);
  update public.tasks t set deleted_at = null where t.id = any (p_ids) and t.user_id = v_uid and t.deleted_at is not null;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function public.restore_tasks(bigint[]) is 'Restores 1-100 of the caller''s tasks from the bin; returns how many. Errors: 42501, 22023.';
revoke execute on function public.restore_tasks(bigint[]) from public, anon;
grant execute on function public.restore_tasks(bigint[]) to authenticated;

create function public.update_tasks(
  p_ids bigint[],
  p_status public.task_status default null,
  p_priority public.task_priority default null,
  p_due_at timestamptz default null,
  p_add_tags text[] default null,
  p_remove_tags text[] default null
)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_count integer;
begin
  perform private.check_bulk_ids(p_ids);
  if num_nonnulls(p_status, p_priority, p_due_at, p_add_tags, p_remove_tags) = 0 then
    raise exception using errcode = '22023', message = 'nothing to change: pass p_status, p_priority, p_due_at, p_add_tags or p_remove_tags';
  end if;
  update public.tasks t set
    status = coalesce(p_status, t.status),
    priority = coalesce(p_priority, t.priority),
    due_at = coalesce(p_due_at, t.due_at),
    tags = coalesce((select array_agg(x) from unnest(t.tags || coalesce(p_add_tags, '{}')) x
                     where lower(btrim(x)) <> all (coalesce((select array_agg(lower(btrim(r))) from unnest(p_remove_tags) r), '{}'))), '{}')
  where t.id = any (p_ids) and t.user_id = v_uid and t.deleted_at is null;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function public.update_tasks(bigint[], public.task_status, public.task_priority, timestamptz, text[], text[]) is
  'Bulk edit of 1-100 of the caller''s live tasks: status, priority, due date, tags to add and to remove; returns how many changed. Errors: 42501, 22023, 23514 (invalid tags).';
revoke execute on function public.update_tasks(bigint[], public.task_status, public.task_priority, timestamptz, text[], text[]) from public, anon;
grant execute on function public.update_tasks(bigint[], public.task_status, public.task_priority, timestamptz, text[], text[]) to authenticated;

revoke execute on all functions in schema private from public;
