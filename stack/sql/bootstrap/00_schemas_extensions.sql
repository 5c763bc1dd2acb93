-- stack/sql/bootstrap/00_schemas_extensions.sql
--
-- Platform bootstrap, step 00: database-level grants, the `extensions` schema
-- and the extensions every hosted project has, the privileged-extension
-- rules (pg_cron, pg_net, ... created by migrations), the empty
-- `supabase_realtime` publication, `public` grants and default privileges,
-- `graphql_public`, `pgbouncer`, and the PostgREST schema-reload event
-- triggers (platform contract §1.2, §1.3, §1.5, §2, §8.1).
--
-- NOT a migration. Applied by the local stack as the superuser
-- `supabase_admin` to a freshly created database `postgres` (owned by role
-- `postgres`):
--   psql -v ON_ERROR_STOP=1 --single-transaction -f 00_schemas_extensions.sql
-- Requires `shared_preload_libraries = 'pg_cron, pg_stat_statements'` and
-- `cron.database_name = 'postgres'` in postgresql.conf.

set check_function_bodies = on;
set client_min_messages = warning;

-- ---------------------------------------------------------------------------
-- Database
-- ---------------------------------------------------------------------------

grant all on database postgres to postgres, dashboard_user;
-- GoTrue (Nov 2025), Storage and Realtime may create schemas of their own.
grant create on database postgres
  to supabase_auth_admin, supabase_storage_admin, supabase_realtime_admin;

-- Publication for postgres_changes; owned by postgres like on hosted so that
-- `alter publication supabase_realtime add table public.x` works in migrations.
create publication supabase_realtime
  with (publish = 'insert, update, delete, truncate');
alter publication supabase_realtime owner to postgres;

-- ---------------------------------------------------------------------------
-- Schema extensions
-- ---------------------------------------------------------------------------

create schema extensions authorization supabase_admin;
comment on schema extensions is 'Supabase: extensions installed by the platform and by the project.';

-- postgres may create objects here (hosted: GRANT ALL ON SCHEMA extensions TO postgres).
grant usage, create on schema extensions to postgres;
grant usage on schema extensions to anon, authenticated, service_role;
grant usage on schema extensions
  to supabase_auth_admin, supabase_storage_admin, supabase_realtime_admin, supabase_functions_admin;
grant all on schema extensions to dashboard_user;

create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists pg_stat_statements with schema extensions;
-- Nothing else: pg_cron, pg_net, pgtap, plpgsql_check are not enabled on a new hosted project.
-- The migrations enable what the product uses (`create extension pg_cron`, ...), and the test
-- runner enables pgtap around pg_prove as `supabase test db` does.

-- postgres holds every privilege on what sits in `extensions`, with grant
-- option (20230224042246_grant_extensions_perms_for_postgres).
grant all on all tables in schema extensions to postgres with grant option;
grant all on all routines in schema extensions to postgres with grant option;
grant all on all sequences in schema extensions to postgres with grant option;
alter default privileges for role supabase_admin in schema extensions
  grant all on tables to postgres with grant option;
alter default privileges for role supabase_admin in schema extensions
  grant all on routines to postgres with grant option;
alter default privileges for role supabase_admin in schema extensions
  grant all on sequences to postgres with grant option;
grant all on all tables in schema extensions to dashboard_user;
grant all on all sequences in schema extensions to dashboard_user;
grant all on all routines in schema extensions to dashboard_user;

-- ---------------------------------------------------------------------------
-- Schema public (§1.2)
-- ---------------------------------------------------------------------------

grant usage on schema public to postgres, anon, authenticated, service_role;

-- Objects created by postgres (migrations) and by supabase_admin are granted to
-- every API role; RLS is the only barrier.
alter default privileges for role postgres in schema public
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public
  grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public
  grant all on sequences to postgres, anon, authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Schema graphql_public: pg_graphql is off by default on new images (Apr
-- 2026); only the placeholder resolver is left, which PostgREST exposes.
-- ---------------------------------------------------------------------------

create schema graphql_public authorization supabase_admin;
grant usage on schema graphql_public to postgres, anon, authenticated, service_role;
grant usage on schema graphql_public to postgres with grant option;
alter default privileges for role supabase_admin in schema graphql_public
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema graphql_public
  grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema graphql_public
  grant all on sequences to postgres, anon, authenticated, service_role;

create function graphql_public.graphql(
  "operationName" text default null,
  query text default null,
  variables jsonb default null,
  extensions jsonb default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  return pg_catalog.jsonb_build_object(
    'errors', pg_catalog.jsonb_build_array(
      pg_catalog.jsonb_build_object('message', 'pg_graphql extension is not enabled.')
    )
  );
end;
$$;
comment on function graphql_public.graphql(text, text, jsonb, jsonb) is
  'Placeholder for the pg_graphql resolver: pg_graphql is not installed.';

-- ---------------------------------------------------------------------------
-- Schema pgbouncer: auth_query function of the connection pooler.
-- ---------------------------------------------------------------------------

create schema pgbouncer authorization pgbouncer;

create function pgbouncer.get_auth(p_usename text)
returns table (username text, password text)
language plpgsql
security definer
set search_path = ''
as $$
begin
  raise debug 'PgBouncer auth request: %', p_usename;
  return query
    select s.usename::text, s.passwd::text
    from pg_catalog.pg_shadow s
    where s.usename = p_usename;
end;
$$;
alter function pgbouncer.get_auth(text) owner to supabase_admin;
revoke all on function pgbouncer.get_auth(text) from public;
grant execute on function pgbouncer.get_auth(text) to pgbouncer;
comment on function pgbouncer.get_auth(text) is
  'Pooler auth_query: password hash of a login role (superuser-owned, pgbouncer only).';

-- ---------------------------------------------------------------------------
-- Privileged extensions (§1.4, §8.1). Hosted lets `postgres` create and drop
-- them (supautils privileged_extensions) and runs the command as the
-- superuser, so the extension belongs to supabase_admin and pg_cron schedules
-- jobs through its owner. [LOCAL] The stack marks them trusted (their scripts
-- run as the bootstrap superuser, supabase_admin; stack/src/instance/system-install.ts); the
-- event triggers below hand the extension itself to supabase_admin after
-- CREATE, and to postgres for the length of a DROP.
-- ---------------------------------------------------------------------------

create function extensions.local_privileged_extensions()
returns text[]
language sql
immutable
set search_path = ''
as $$ select array['pg_cron', 'pg_net', 'plpgsql_check'] $$;
comment on function extensions.local_privileged_extensions() is
  '[LOCAL] Extensions postgres may create although their scripts need a superuser (hosted: supautils).';

create function extensions.local_calling_role()
returns name
language sql
stable
set search_path = ''
as $$
  -- Inside a security definer function current_user is its owner; the caller
  -- is the role the session switched to, or the session's own.
  select case
    when coalesce(pg_catalog.current_setting('role', true), 'none') = 'none' then session_user
    else pg_catalog.current_setting('role', true)::name
  end
$$;
comment on function extensions.local_calling_role() is
  '[LOCAL] The role running the statement that fired an event trigger.';

create function extensions.local_privileged_extensions_to_admin()
returns event_trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update pg_catalog.pg_extension e
  set extowner = 'supabase_admin'::regrole
  where e.extname = any (extensions.local_privileged_extensions())
    and e.extowner <> 'supabase_admin'::regrole;
end;
$$;
comment on function extensions.local_privileged_extensions_to_admin() is
  '[LOCAL] Event trigger: privileged extensions belong to supabase_admin, as when supautils creates them on hosted.';

create function extensions.local_privileged_extension_drop_start()
returns event_trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not pg_catalog.pg_has_role(extensions.local_calling_role(), 'postgres', 'USAGE') then
    return;
  end if;
  update pg_catalog.pg_extension e
  set extowner = 'postgres'::regrole
  where e.extname = any (extensions.local_privileged_extensions())
    and e.extowner = 'supabase_admin'::regrole;
end;
$$;
comment on function extensions.local_privileged_extension_drop_start() is
  '[LOCAL] Event trigger: lets postgres DROP a privileged extension (hosted: supautils).';

create event trigger local_privileged_extensions_to_admin
  on ddl_command_end
  when tag in ('CREATE EXTENSION', 'DROP EXTENSION')
  execute function extensions.local_privileged_extensions_to_admin();

create event trigger local_privileged_extension_drop_start
  on ddl_command_start
  when tag in ('DROP EXTENSION')
  execute function extensions.local_privileged_extension_drop_start();

-- Hosted applies these grants whenever pg_cron is created (security definer
-- here: postgres creates it, the grants are supabase_admin's to give).
create function extensions.grant_pg_cron_access()
returns event_trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (
    select
    from pg_catalog.pg_event_trigger_ddl_commands() as ev
    join pg_catalog.pg_extension as ext on ev.objid = ext.oid
    where ext.extname = 'pg_cron'
  ) then
    grant usage on schema cron to postgres with grant option;
    alter default privileges in schema cron grant all on tables to postgres with grant option;
    alter default privileges in schema cron grant all on functions to postgres with grant option;
    alter default privileges in schema cron grant all on sequences to postgres with grant option;
    alter default privileges for user supabase_admin in schema cron grant all
      on sequences to postgres with grant option;
    alter default privileges for user supabase_admin in schema cron grant all
      on tables to postgres with grant option;
    alter default privileges for user supabase_admin in schema cron grant all
      on functions to postgres with grant option;
    grant all on all functions in schema cron to postgres with grant option;
    grant all privileges on all tables in schema cron to postgres with grant option;
    -- writes to cron.job only through cron.schedule()/cron.unschedule() (Oct 2023),
    -- no triggers on the run log (Jul 2026)
    revoke all on table cron.job from postgres;
    grant select on table cron.job to postgres with grant option;
    revoke trigger on cron.job_run_details from postgres;
  end if;
end;
$$;
comment on function extensions.grant_pg_cron_access() is 'Grants access to pg_cron';
revoke all on function extensions.grant_pg_cron_access() from postgres;
revoke all on function extensions.local_privileged_extensions_to_admin() from postgres;
revoke all on function extensions.local_privileged_extension_drop_start() from postgres;

create event trigger issue_pg_cron_access
  on ddl_command_end
  when tag in ('CREATE EXTENSION')
  execute function extensions.grant_pg_cron_access();

-- ---------------------------------------------------------------------------
-- PostgREST schema cache reload (§1.5). Latest platform version: objects in
-- the Supabase-managed schemas do not trigger a reload.
-- ---------------------------------------------------------------------------

create function extensions.pgrst_ddl_watch()
returns event_trigger
language plpgsql
set search_path = ''
as $$
declare
  cmd record;
begin
  for cmd in select * from pg_catalog.pg_event_trigger_ddl_commands()
  loop
    if cmd.command_tag in (
         'CREATE SCHEMA', 'ALTER SCHEMA',
         'CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO', 'ALTER TABLE',
         'CREATE FOREIGN TABLE', 'ALTER FOREIGN TABLE',
         'CREATE VIEW', 'ALTER VIEW',
         'CREATE MATERIALIZED VIEW', 'ALTER MATERIALIZED VIEW',
         'CREATE FUNCTION', 'ALTER FUNCTION',
         'CREATE TYPE', 'ALTER TYPE',
         'CREATE RULE',
         'COMMENT')
       -- not for temporary objects nor for objects in Supabase schemas
       and coalesce(cmd.schema_name, '') not in ('pg_temp', 'auth', 'realtime', '_realtime', 'storage')
       -- triggers, except those on temporary tables
       or (cmd.command_tag = 'CREATE TRIGGER' and cmd.object_identity not like '% pg\_temp.%')
    then
      notify pgrst, 'reload schema';
    end if;
  end loop;
end;
$$;
comment on function extensions.pgrst_ddl_watch() is
  'Asks PostgREST to reload its schema cache after DDL (NOTIFY pgrst).';

create function extensions.pgrst_drop_watch()
returns event_trigger
language plpgsql
set search_path = ''
as $$
declare
  obj record;
begin
  for obj in select * from pg_catalog.pg_event_trigger_dropped_objects()
  loop
    if obj.object_type in (
         'schema', 'table', 'foreign table', 'view', 'materialized view',
         'function', 'type', 'rule')
       and obj.is_temporary is false
       and coalesce(obj.schema_name, '') not in ('auth', 'realtime', '_realtime', 'storage')
       or (obj.object_type = 'trigger' and obj.object_identity not like '% pg\_temp.%')
    then
      notify pgrst, 'reload schema';
    end if;
  end loop;
end;
$$;
comment on function extensions.pgrst_drop_watch() is
  'Asks PostgREST to reload its schema cache after a DROP (NOTIFY pgrst).';

-- The default privileges above would hand these to postgres with grant option.
revoke all on function extensions.pgrst_ddl_watch() from postgres;
revoke all on function extensions.pgrst_drop_watch() from postgres;

create event trigger pgrst_ddl_watch
  on ddl_command_end
  execute function extensions.pgrst_ddl_watch();

create event trigger pgrst_drop_watch
  on sql_drop
  execute function extensions.pgrst_drop_watch();
