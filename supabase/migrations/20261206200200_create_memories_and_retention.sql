-- Memories (seed 004): what the AI trainer and the learner want remembered about the learner
-- (content, category, importance, expiry), private to the learner, with full-text search; and the
-- retention jobs on pg_cron.
--
-- Seed 004's windows: MEMORY_RETENTION_DAYS=365 (a memory expires a year after it is written
-- unless the learner sets another expiry, or none), ANALYTICS_RETENTION_DAYS=730 (raw access
-- events older than two years are folded into daily counts and deleted). The same daily job keeps
-- pg_cron's run log (cron.job_run_details) to 30 days.
--
-- Jobs (stable names, cron.schedule upserts by name):
--   ascend-purge-expired-memories   hourly   private.purge_expired_memories()
--   ascend-analytics-retention      daily    private.apply_analytics_retention()

create table public.memories (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  content text not null,
  category text not null default 'general',
  importance numeric(3, 2) not null default 0.5,
  source text not null default 'learner',
  context jsonb not null default '{}'::jsonb,
  expires_at timestamptz default (now() + interval '365 days'),
  access_count integer not null default 0,
  last_accessed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search tsvector generated always as (
    setweight(to_tsvector('english'::regconfig, coalesce(category, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(content, '')), 'A')
  ) stored,
  constraint memories_content_length check (char_length(btrim(content)) between 1 and 10000),
  constraint memories_category_format check (category ~ '^[a-z][a-z0-9_-]{0,39}$'),
  constraint memories_importance_range check (importance between 0 and 1),
  constraint memories_source_valid check (source in ('learner', 'ai_trainer', 'system')),
  constraint memories_context_object check (jsonb_typeof(context) = 'object' and pg_column_size(context) <= 16384)
);
comment on table public.memories is
  'What the AI trainer and the learner want remembered about the learner: private to them, searchable with search_memories(), purged after expires_at.';
comment on column public.memories.user_id is 'The learner (defaults to the caller).';
comment on column public.memories.content is 'What to remember, 1-10000 characters.';
comment on column public.memories.category is 'Lower-case category (goal, preference, weakness, ...), 1-40 of a-z 0-9 _ -.';
comment on column public.memories.importance is 'Importance 0-1; ranks search results.';
comment on column public.memories.source is 'Who wrote it: learner, ai_trainer or system.';
comment on column public.memories.context is 'Free JSON context (session, exam, ...), up to 16 kB.';
comment on column public.memories.expires_at is 'When it is forgotten (default a year after writing; null keeps it until deleted).';
comment on column public.memories.access_count is 'Times search_memories() returned it.';
comment on column public.memories.last_accessed_at is 'Last time search_memories() returned it.';
comment on column public.memories.created_at is 'Creation time.';
comment on column public.memories.updated_at is 'Last change.';
comment on column public.memories.search is 'Full-text vector (English) of category and content.';
create index memories_user_id_idx on public.memories (user_id, category);
create index memories_search_idx on public.memories using gin (search);
create index memories_expires_at_idx on public.memories (expires_at) where expires_at is not null;
create trigger memories_set_updated_at before update on public.memories
  for each row execute function private.set_updated_at();

-- Raw analytics: one row per memory returned by a search (seed 004's MemoryInteraction).
create table private.memory_access_events (
  id bigint generated always as identity primary key,
  user_id uuid not null references public.profiles (id) on delete cascade,
  memory_id uuid references public.memories (id) on delete set null,
  accessed_at timestamptz not null default private.clock()
);
comment on table private.memory_access_events is
  'Raw memory analytics: one row per memory a search returned. Folded into memory_access_daily after 730 days.';
create index memory_access_events_accessed_at_idx on private.memory_access_events (accessed_at);
create index memory_access_events_user_id_idx on private.memory_access_events (user_id);
create index memory_access_events_memory_id_idx on private.memory_access_events (memory_id);

create table private.memory_access_daily (
  user_id uuid not null references public.profiles (id) on delete cascade,
  day date not null,
  accesses integer not null,
  primary key (user_id, day)
);
comment on table private.memory_access_daily is 'Memory accesses per learner and UTC day, for raw events past the 730-day window.';

alter table private.memory_access_events enable row level security;
alter table private.memory_access_daily enable row level security;

alter table public.memories enable row level security;
revoke all on table public.memories from anon, authenticated, service_role;
grant select, insert, delete on table public.memories to authenticated;
grant update (content, category, importance, source, context, expires_at) on table public.memories to authenticated;
grant select, insert, update, delete on table public.memories to service_role;

create policy memories_select_own on public.memories
  for select to authenticated
  using (user_id = (select auth.uid()) and (expires_at is null or expires_at > (select private.clock())));
comment on policy memories_select_own on public.memories is 'Learners read their own memories that have not expired.';
create policy memories_insert_own on public.memories
  for insert to authenticated with check (user_id = (select auth.uid()));
comment on policy memories_insert_own on public.memories is 'Learners (and the AI trainer acting with their token) write their own memories.';
create policy memories_update_own on public.memories
  for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
comment on policy memories_update_own on public.memories is 'Learners edit their own memories.';
create policy memories_delete_own on public.memories
  for delete to authenticated using (user_id = (select auth.uid()));
comment on policy memories_delete_own on public.memories is 'Learners delete their own memories.';

create function public.search_memories(p_query text default null, p_category text default null, p_limit integer default 20)
returns table (
  id uuid,
  content text,
  category text,
  importance numeric,
  source text,
  context jsonb,
  expires_at timestamptz,
  created_at timestamptz,
  rank real
)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_now timestamptz := private.clock();
  v_query tsquery := case when nullif(btrim(p_query), '') is null then null
                          else websearch_to_tsquery('english'::regconfig, p_query) end;
begin
  return query
  with found as (
    select m.id, m.content, m.category, m.importance, m.source, m.context, m.expires_at, m.created_at,
           (case when v_query is null then 1 else ts_rank(m.search, v_query) end * (0.5 + m.importance))::real as rank
    from public.memories m
    where m.user_id = v_uid
      and (m.expires_at is null or m.expires_at > v_now)
      and (p_category is null or m.category = p_category)
      and (v_query is null or m.search @@ v_query)
    order by 9 desc, m.created_at desc
    limit least(greatest(coalesce(p_limit, 20), 1), 100)
  ),
  touched as (
    update public.memories m
       set access_count = m.access_count + 1, last_accessed_at = v_now
     where m.id in (select f.id from found f)
    returning m.id
  ),
  logged as (
    insert into private.memory_access_events (user_id, memory_id, accessed_at)
    select v_uid, t.id, v_now from touched t
    returning 1
  )
  select f.id, f.content, f.category, f.importance, f.source, f.context, f.expires_at, f.created_at, f.rank
  from found f
  where (select count(*) from logged) >= 0
  order by f.rank desc, f.created_at desc;
end;
$$;
comment on function public.search_memories(text, text, integer) is
  'The caller''s unexpired memories matching a web-style full-text query (English; null lists all), optionally of one category, ranked by relevance x importance; counts each returned memory as accessed. Errors: 42501.';
revoke execute on function public.search_memories(text, text, integer) from public, anon;
grant execute on function public.search_memories(text, text, integer) to authenticated;

-- ---------------------------------------------------------------------------
-- Retention jobs
-- ---------------------------------------------------------------------------

create function private.purge_expired_memories()
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_count integer;
begin
  delete from public.memories m where m.expires_at <= private.clock();
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function private.purge_expired_memories() is
  'Deletes memories past their expires_at; returns how many. Job ascend-purge-expired-memories (hourly).';

create function private.analytics_retention_window()
returns interval
language sql
immutable
set search_path = ''
as $$ select interval '730 days' $$;
comment on function private.analytics_retention_window() is 'How long raw analytics events are kept (seed 004: ANALYTICS_RETENTION_DAYS=730).';

create function private.apply_analytics_retention()
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_cutoff timestamptz := private.clock() - private.analytics_retention_window();
  v_folded integer;
  v_runs integer;
begin
  with old as (
    delete from private.memory_access_events e where e.accessed_at < v_cutoff
    returning e.user_id, (e.accessed_at at time zone 'UTC')::date as day
  ),
  per_day as (
    select o.user_id, o.day, count(*)::integer as accesses from old o group by o.user_id, o.day
  ),
  merged as (
    insert into private.memory_access_daily as d (user_id, day, accesses)
    select p.user_id, p.day, p.accesses from per_day p
    on conflict (user_id, day) do update set accesses = d.accesses + excluded.accesses
    returning 1
  )
  select coalesce((select sum(p.accesses) from per_day p), 0)::integer into v_folded
  from (select count(*) from merged) m;

  -- pg_cron's run log grows by a row per job run (thousands a day): a month is enough to debug.
  delete from cron.job_run_details d where d.end_time < private.clock() - interval '30 days';
  get diagnostics v_runs = row_count;

  return jsonb_build_object('memory_access_events_folded', v_folded, 'cron_runs_deleted', v_runs, 'cutoff', v_cutoff);
end;
$$;
comment on function private.apply_analytics_retention() is
  'Folds raw memory access events older than 730 days into private.memory_access_daily and deletes them, and pg_cron run details older than 30 days; returns {memory_access_events_folded, cron_runs_deleted, cutoff}. Job ascend-analytics-retention (daily).';

revoke execute on all functions in schema private from public;

select cron.schedule('ascend-purge-expired-memories', '17 * * * *', 'select private.purge_expired_memories()');
select cron.schedule('ascend-analytics-retention', '40 3 * * *', 'select private.apply_analytics_retention()');
