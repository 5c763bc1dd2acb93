-- stack/sql/bootstrap/20_storage.sql
--
-- Platform bootstrap, step 20: the `storage` schema in the state the Storage
-- API's tenant migrations leave it (supabase/storage migrations 0001-0063;
-- platform contract §5) and its grants (§1.3).
--
-- NOT a migration; applied as `supabase_admin` with --single-transaction.
-- Schema owned by supabase_admin, every object by supabase_storage_admin
-- (the role the local Storage replacement connects as, search_path = storage).
--
-- Left out (internal to the Storage API, not called by applications):
-- search_v2, search_by_timestamp, list_objects_with_delimiter,
-- list_multipart_uploads_with_delimiter.

set check_function_bodies = on;
set client_min_messages = warning;

create schema storage authorization supabase_admin;
comment on schema storage is 'Supabase Storage: buckets and object metadata. Managed by Supabase.';

grant all on schema storage to supabase_storage_admin with grant option;
grant usage on schema storage to postgres with grant option;
grant usage on schema storage to anon, authenticated, service_role;
grant all on schema storage to dashboard_user;

-- Whatever the Storage API creates is granted to postgres and the API roles;
-- RLS is what protects the rows.
alter default privileges for role supabase_storage_admin in schema storage
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_storage_admin in schema storage
  grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_storage_admin in schema storage
  grant all on sequences to postgres, anon, authenticated, service_role;

set local role supabase_storage_admin;
set local search_path = '';

-- ---------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------

create type storage.buckettype as enum ('STANDARD', 'ANALYTICS', 'VECTOR');

create table storage.migrations (
  id integer not null,
  name varchar(100) not null,
  hash varchar(40) not null,
  executed_at timestamp default current_timestamp,
  constraint migrations_pkey primary key (id),
  constraint migrations_name_key unique (name)
);
comment on table storage.migrations is 'Storage: migrations applied by the Storage API (empty locally).';

create table storage.buckets (
  id text not null,
  name text not null,
  owner uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  owner_id text,
  type storage.buckettype not null default 'STANDARD'::storage.buckettype,
  versioning_status text not null default 'DISABLED'::text,
  constraint buckets_pkey primary key (id),
  constraint buckets_versioning_dark_check check (versioning_status = 'DISABLED'::text),
  constraint buckets_versioning_standard_only_check
    check (type = 'STANDARD'::storage.buckettype or versioning_status = 'DISABLED'::text),
  constraint buckets_versioning_status_check
    check (versioning_status = any (array['DISABLED'::text, 'ENABLED'::text, 'SUSPENDED'::text]))
);
comment on table storage.buckets is 'Storage: buckets. Create them in migrations with insert ... on conflict (id) do nothing.';
comment on column storage.buckets.owner is 'Field is deprecated, use owner_id instead';
create unique index bname on storage.buckets (name);

create table storage.objects (
  id uuid not null default gen_random_uuid(),
  bucket_id text,
  name text,
  owner uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  metadata jsonb,
  path_tokens text[] generated always as (string_to_array(name, '/'::text)) stored,
  version text,
  owner_id text,
  user_metadata jsonb,
  archived_at timestamptz,
  is_delete_marker boolean not null default false,
  is_versioned boolean not null default false,
  constraint objects_pkey primary key (id),
  constraint "objects_bucketId_fkey" foreign key (bucket_id) references storage.buckets (id)
);
comment on table storage.objects is 'Storage: one row per stored object; name is the path inside the bucket.';
comment on column storage.objects.owner is 'Field is deprecated, use owner_id instead';
create unique index bucketid_objname on storage.objects (bucket_id, name);
create index name_prefix_search on storage.objects (name text_pattern_ops);
create index idx_objects_bucket_id_name on storage.objects (bucket_id, name collate "C");
create index idx_objects_bucket_id_name_lower on storage.objects (bucket_id, (lower(name) collate "C"));

create table storage.s3_multipart_uploads (
  id text not null,
  in_progress_size bigint not null default 0,
  upload_signature text not null,
  bucket_id text not null,
  key text collate "C" not null,
  version text not null,
  owner_id text,
  created_at timestamptz not null default now(),
  user_metadata jsonb,
  metadata jsonb,
  constraint s3_multipart_uploads_pkey primary key (id),
  constraint s3_multipart_uploads_bucket_id_fkey foreign key (bucket_id) references storage.buckets (id)
);
comment on table storage.s3_multipart_uploads is 'Storage: S3 multipart uploads in progress.';
create index idx_multipart_uploads_list on storage.s3_multipart_uploads (bucket_id, key, created_at);

create table storage.s3_multipart_uploads_parts (
  id uuid not null default gen_random_uuid(),
  upload_id text not null,
  size bigint not null default 0,
  part_number integer not null,
  bucket_id text not null,
  key text collate "C" not null,
  etag text not null,
  owner_id text,
  version text not null,
  created_at timestamptz not null default now(),
  constraint s3_multipart_uploads_parts_pkey primary key (id),
  constraint s3_multipart_uploads_parts_bucket_id_fkey foreign key (bucket_id) references storage.buckets (id),
  constraint s3_multipart_uploads_parts_upload_id_fkey foreign key (upload_id)
    references storage.s3_multipart_uploads (id) on delete cascade
);
comment on table storage.s3_multipart_uploads_parts is 'Storage: uploaded parts of S3 multipart uploads.';

create table storage.buckets_analytics (
  name text not null,
  type storage.buckettype not null default 'ANALYTICS'::storage.buckettype,
  format text not null default 'ICEBERG'::text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  id uuid not null default gen_random_uuid(),
  deleted_at timestamptz,
  constraint buckets_analytics_pkey primary key (id)
);
comment on table storage.buckets_analytics is 'Storage: analytics (Iceberg) buckets.';
create unique index buckets_analytics_unique_name_idx on storage.buckets_analytics (name) where (deleted_at is null);

create table storage.buckets_vectors (
  id text not null,
  type storage.buckettype not null default 'VECTOR'::storage.buckettype,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint buckets_vectors_pkey primary key (id)
);
comment on table storage.buckets_vectors is 'Storage: vector buckets.';

create table storage.vector_indexes (
  id text not null default gen_random_uuid(),
  name text collate "C" not null,
  bucket_id text not null,
  data_type text not null,
  dimension integer not null,
  distance_metric text not null,
  metadata_configuration jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint vector_indexes_pkey primary key (id),
  constraint vector_indexes_bucket_id_fkey foreign key (bucket_id) references storage.buckets_vectors (id)
);
comment on table storage.vector_indexes is 'Storage: indexes of vector buckets.';
create unique index vector_indexes_name_bucket_id_idx on storage.vector_indexes (name, bucket_id);

create table storage.iceberg_namespaces (
  id uuid not null default gen_random_uuid(),
  bucket_name text not null,
  name text collate "C" not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  metadata jsonb not null default '{}'::jsonb,
  catalog_id uuid not null,
  constraint iceberg_namespaces_pkey primary key (id),
  constraint iceberg_namespaces_catalog_id_fkey foreign key (catalog_id)
    references storage.buckets_analytics (id) on delete cascade
);
comment on table storage.iceberg_namespaces is 'Storage: Iceberg catalog namespaces.';
create unique index idx_iceberg_namespaces_bucket_id on storage.iceberg_namespaces (catalog_id, name);

create table storage.iceberg_tables (
  id uuid not null default gen_random_uuid(),
  namespace_id uuid not null,
  bucket_name text not null,
  name text collate "C" not null,
  location text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  remote_table_id text,
  shard_key text,
  shard_id text,
  catalog_id uuid not null,
  constraint iceberg_tables_pkey primary key (id),
  constraint iceberg_tables_catalog_id_fkey foreign key (catalog_id)
    references storage.buckets_analytics (id) on delete cascade,
  constraint iceberg_tables_namespace_id_fkey foreign key (namespace_id)
    references storage.iceberg_namespaces (id) on delete cascade
);
comment on table storage.iceberg_tables is 'Storage: Iceberg catalog tables.';
create unique index idx_iceberg_tables_namespace_id on storage.iceberg_tables (catalog_id, namespace_id, name);
create unique index idx_iceberg_tables_location on storage.iceberg_tables (location);

do $rls$
declare
  t regclass;
begin
  for t in
    select c.oid::regclass
    from pg_catalog.pg_class c
    where c.relnamespace = 'storage'::regnamespace and c.relkind = 'r'
  loop
    execute pg_catalog.format('alter table %s enable row level security', t);
  end loop;
end
$rls$;

-- ---------------------------------------------------------------------------
-- Path helpers used in policies (§5.3)
-- ---------------------------------------------------------------------------

create function storage.foldername(name text)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  _parts text[];
begin
  _parts := pg_catalog.string_to_array(name, '/');
  -- every segment but the last one ('a/b/c.png' -> {a,b}; 'c.png' -> {})
  return _parts[1 : pg_catalog.array_length(_parts, 1) - 1];
end
$$;
comment on function storage.foldername(text) is
  'Folders of an object path: every segment but the last (''a/b/c.png'' -> {a,b}).';

create function storage.filename(name text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  _parts text[];
begin
  _parts := pg_catalog.string_to_array(name, '/');
  return _parts[pg_catalog.array_length(_parts, 1)];
end
$$;
comment on function storage.filename(text) is 'Last segment of an object path.';

create function storage.extension(name text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  _parts text[];
  _filename text;
begin
  _parts := pg_catalog.string_to_array(name, '/');
  _filename := _parts[pg_catalog.array_length(_parts, 1)];
  -- text after the LAST dot of the file name ('a/b.tar.gz' -> 'gz'; no dot -> whole name)
  return pg_catalog.reverse(pg_catalog.split_part(pg_catalog.reverse(_filename), '.', 1));
end
$$;
comment on function storage.extension(text) is
  'Text after the last dot of the file name (''a/b.tar.gz'' -> ''gz'').';

create function storage.get_common_prefix(p_key text, p_prefix text, p_delimiter text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when pg_catalog.strpos(pg_catalog.substr(p_key, pg_catalog.length(p_prefix) + 1), p_delimiter) > 0
    then pg_catalog.left(
      p_key,
      pg_catalog.length(p_prefix)
        + pg_catalog.strpos(pg_catalog.substr(p_key, pg_catalog.length(p_prefix) + 1), p_delimiter))
    else null
  end
$$;
comment on function storage.get_common_prefix(text, text, text) is
  'Folder part of p_key below p_prefix, up to and including the next delimiter; null for a file.';

-- ---------------------------------------------------------------------------
-- Listing and size helpers (run under the caller's RLS)
-- ---------------------------------------------------------------------------

create function storage.search(
  prefix text,
  bucketname text,
  limits integer default 100,
  levels integer default 1,
  offsets integer default 0,
  search text default ''::text,
  sortcolumn text default 'name'::text,
  sortorder text default 'asc'::text
)
returns table (
  name text,
  id uuid,
  updated_at timestamptz,
  created_at timestamptz,
  last_accessed_at timestamptz,
  metadata jsonb
)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_limit integer := least(coalesce(limits, 100), 1500);
  v_prefix text := coalesce(prefix, '') || coalesce(search, '');
  v_prefix_len integer := pg_catalog.length(coalesce(prefix, ''));
  v_prefix_start integer :=
    coalesce(pg_catalog.array_length(pg_catalog.string_to_array(coalesce(prefix, ''), '/'), 1), 1);
  v_levels integer :=
    coalesce(pg_catalog.array_length(pg_catalog.string_to_array(v_prefix, '/'), 1), 1);
  v_is_asc boolean := pg_catalog.lower(coalesce(sortorder, 'asc')) = 'asc';
  v_order text := case when v_is_asc then 'asc' else 'desc' end;
  v_sort text;
  v_like text;
begin
  v_sort := case pg_catalog.lower(coalesce(sortcolumn, 'name'))
    when 'updated_at' then 'updated_at'
    when 'created_at' then 'created_at'
    when 'last_accessed_at' then 'last_accessed_at'
    else 'name'
  end;

  if v_sort <> 'name' then
    -- folders first, then the files of the requested level
    return query execute pg_catalog.format(
      $sql$
      with folders as (
        select pg_catalog.array_to_string(o.path_tokens[$1:$2], '/') as folder
        from storage.objects o
        where o.name ilike $3 || '%%'
          and o.bucket_id = $4
          and pg_catalog.array_length(o.path_tokens, 1) <> $2
        group by 1
        order by 1 %s
      )
      (select f.folder, null::uuid, null::timestamptz, null::timestamptz, null::timestamptz, null::jsonb
       from folders f)
      union all
      (select pg_catalog.array_to_string(o.path_tokens[$1:$2], '/'),
              o.id, o.updated_at, o.created_at, o.last_accessed_at, o.metadata
       from storage.objects o
       where o.name ilike $3 || '%%'
         and o.bucket_id = $4
         and pg_catalog.array_length(o.path_tokens, 1) = $2
       order by %I %s)
      limit $5 offset $6
      $sql$, v_order, v_sort, v_order)
    using v_prefix_start, v_levels, v_prefix, bucketname, v_limit, offsets;
    return;
  end if;

  -- Sort by name: case-insensitive prefix match; names are returned relative
  -- to `prefix`, folders once each (without trailing slash, null id).
  v_like := pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
    pg_catalog.lower(v_prefix), '\', '\\'), '%', '\%'), '_', '\_') || '%';

  return query
    with matched as (
      select o.*,
             storage.get_common_prefix(pg_catalog.lower(o.name), pg_catalog.lower(v_prefix), '/') as folder_key,
             storage.get_common_prefix(o.name, v_prefix, '/') as folder
      from storage.objects o
      where o.bucket_id = bucketname
        and pg_catalog.lower(o.name) collate "C" like v_like
    ),
    entries as (
      (select distinct on (m.folder_key)
             m.folder_key as sort_key,
             pg_catalog.substr(pg_catalog.rtrim(m.folder, '/'), v_prefix_len + 1) as e_name,
             null::uuid as e_id, null::timestamptz as e_updated_at, null::timestamptz as e_created_at,
             null::timestamptz as e_last_accessed_at, null::jsonb as e_metadata
      from matched m
      where m.folder_key is not null
      order by m.folder_key, m.name collate "C")
      union all
      select pg_catalog.lower(m.name), pg_catalog.substr(m.name, v_prefix_len + 1),
             m.id, m.updated_at, m.created_at, m.last_accessed_at, m.metadata
      from matched m
      where m.folder_key is null
    )
    select e.e_name, e.e_id, e.e_updated_at, e.e_created_at, e.e_last_accessed_at, e.e_metadata
    from entries e
    order by
      case when v_is_asc then e.sort_key collate "C" end asc,
      case when not v_is_asc then e.sort_key collate "C" end desc
    offset greatest(coalesce(offsets, 0), 0)
    limit v_limit;
end
$$;
comment on function storage.search(text, text, integer, integer, integer, text, text, text) is
  'Lists the folders and files below a prefix of a bucket, under the caller''s RLS.';

create function storage.get_size_by_bucket()
returns table (size bigint, bucket_id text)
language plpgsql
stable
set search_path = ''
as $$
begin
  return query
    select pg_catalog.sum((obj.metadata ->> 'size')::bigint)::bigint as size, obj.bucket_id
    from storage.objects as obj
    group by obj.bucket_id;
end
$$;
comment on function storage.get_size_by_bucket() is 'Total size of the objects of each bucket (visible to the caller).';

create function storage.can_insert_object(bucketid text, name text, owner uuid, metadata jsonb)
returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into storage.objects (bucket_id, name, owner, metadata)
  values (bucketid, name, owner, metadata);
  -- probe only: undo the successful insert
  raise sqlstate 'PT200' using
    message = 'ROLLBACK',
    detail = 'rollback successful insert';
end
$$;
comment on function storage.can_insert_object(text, text, uuid, jsonb) is
  'Legacy permission probe: raises PT200 when the caller may insert the object.';

-- ---------------------------------------------------------------------------
-- Operation helpers for policies (§5.3, 2026 ergonomics)
-- ---------------------------------------------------------------------------

create function storage.operation()
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  return pg_catalog.current_setting('storage.operation', true);
end;
$$;
comment on function storage.operation() is
  'Storage API operation of the current request (e.g. storage.object.upload).';

create function storage.allow_only_operation(expected_operation text)
returns boolean
language sql
stable
set search_path = ''
as $$
  with normalized as (
    select
      case when op like 'storage.%' then pg_catalog.substr(op, 9) else op end as current_operation,
      case when expected_operation like 'storage.%' then pg_catalog.substr(expected_operation, 9)
           else expected_operation end as requested_operation
    from (select storage.operation() as op) s
  )
  select case
    when requested_operation is null or requested_operation = '' then false
    else coalesce(current_operation = requested_operation, false)
  end
  from normalized
$$;
comment on function storage.allow_only_operation(text) is
  'True when the current Storage operation is the given one (with or without the storage. prefix).';

create function storage.allow_any_operation(expected_operations text[])
returns boolean
language sql
stable
set search_path = ''
as $$
  with normalized as (
    select case when op like 'storage.%' then pg_catalog.substr(op, 9) else op end as current_operation
    from (select storage.operation() as op) s
  )
  select exists (
    select 1
    from normalized n
    cross join lateral pg_catalog.unnest(expected_operations) as expected_operation
    where expected_operation is not null
      and expected_operation <> ''
      and n.current_operation = case
        when expected_operation like 'storage.%' then pg_catalog.substr(expected_operation, 9)
        else expected_operation
      end
  )
$$;
comment on function storage.allow_any_operation(text[]) is
  'True when the current Storage operation is one of the given ones.';

-- ---------------------------------------------------------------------------
-- Triggers
-- ---------------------------------------------------------------------------

create function storage.update_updated_at_column()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at = pg_catalog.now();
  return new;
end;
$$;
comment on function storage.update_updated_at_column() is 'Keeps updated_at current on UPDATE.';

create trigger update_objects_updated_at
  before update on storage.objects
  for each row execute function storage.update_updated_at_column();

create function storage.enforce_bucket_name_length()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if pg_catalog.length(new.name) > 100 then
    raise exception 'bucket name "%" is too long (% characters). Max is 100.',
      new.name, pg_catalog.length(new.name);
  end if;
  return new;
end;
$$;
comment on function storage.enforce_bucket_name_length() is 'Rejects bucket names longer than 100 characters.';

create trigger enforce_bucket_name_length_trigger
  before insert or update of name on storage.buckets
  for each row execute function storage.enforce_bucket_name_length();

create function storage.protect_delete()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if coalesce(pg_catalog.current_setting('storage.allow_delete_query', true), 'false') <> 'true' then
    raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
      using hint = 'This prevents accidental data loss from orphaned objects.',
            errcode = '42501';
  end if;
  return null;
end;
$$;
comment on function storage.protect_delete() is
  'Blocks DELETE on storage tables unless storage.allow_delete_query = ''true'' (set by the Storage API).';

create trigger protect_objects_delete
  before delete on storage.objects
  for each statement execute function storage.protect_delete();

create trigger protect_buckets_delete
  before delete on storage.buckets
  for each statement execute function storage.protect_delete();

reset role;

-- ---------------------------------------------------------------------------
-- Grants that differ from the defaults above (as left by the Storage API and
-- the platform migrations).
-- ---------------------------------------------------------------------------

grant all on table storage.buckets, storage.objects to postgres with grant option;

revoke all on table storage.migrations from postgres, anon, authenticated, service_role;

revoke all on table storage.s3_multipart_uploads, storage.s3_multipart_uploads_parts,
                    storage.iceberg_namespaces, storage.iceberg_tables
  from anon, authenticated;
grant select on table storage.s3_multipart_uploads, storage.s3_multipart_uploads_parts,
                      storage.iceberg_namespaces, storage.iceberg_tables
  to anon, authenticated;

grant all on all sequences in schema storage to dashboard_user;
grant all on all routines in schema storage to dashboard_user;
