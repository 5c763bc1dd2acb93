-- stack/sql/cluster/roles.sql
--
-- Cluster-global roles of a hosted Supabase project (platform contract §1.1).
-- NOT a migration: the local stack runs it as the superuser `supabase_admin`
-- against database `template1` on every `reset`, before the database
-- `postgres` is (re)created. It must stay idempotent: every role is created
-- when missing and then forced to the wanted attributes, memberships and
-- role-level settings.
--
-- Every LOGIN role gets the password `postgres`, like `supabase start`.
--
-- `postgres` is a member of none of supabase_auth_admin,
-- supabase_storage_admin, supabase_realtime_admin, as on hosted since 2024-2026
-- (a cluster made by an older stack converges: step 3 revokes them).
--
-- Deliberate local deviations from hosted (see stack/sql/README.md):
--   * No `session_preload_libraries` (supautils / pg-safeupdate are not
--     packaged for Debian).

\set ON_ERROR_STOP on

begin;

-- 1. Create missing roles (attributes are forced in step 2).
do $roles$
declare
  r text;
begin
  foreach r in array array[
    'supabase_admin', 'postgres', 'authenticator', 'anon', 'authenticated',
    'service_role', 'supabase_auth_admin', 'supabase_storage_admin',
    'supabase_realtime_admin', 'supabase_functions_admin',
    'supabase_replication_admin', 'supabase_etl_admin',
    'supabase_read_only_user', 'supabase_superuser', 'dashboard_user',
    'pgbouncer'
  ]
  loop
    if not exists (select 1 from pg_catalog.pg_roles where rolname = r) then
      execute format('create role %I', r);
    end if;
  end loop;
end
$roles$;

-- 2. Attributes. Written in full so a re-run repairs any drift.
alter role supabase_admin
  superuser createdb createrole replication bypassrls login inherit
  password 'postgres';

alter role postgres
  nosuperuser createdb createrole replication bypassrls login inherit
  password 'postgres';

alter role authenticator
  nosuperuser nocreatedb nocreaterole noreplication nobypassrls login noinherit
  password 'postgres';

alter role anon
  nosuperuser nocreatedb nocreaterole noreplication nobypassrls nologin inherit;
alter role authenticated
  nosuperuser nocreatedb nocreaterole noreplication nobypassrls nologin inherit;
alter role service_role
  nosuperuser nocreatedb nocreaterole noreplication bypassrls nologin inherit;

alter role supabase_auth_admin
  nosuperuser nocreatedb nocreaterole noreplication nobypassrls login noinherit
  password 'postgres';
alter role supabase_storage_admin
  nosuperuser nocreatedb createrole noreplication nobypassrls login noinherit
  password 'postgres';
alter role supabase_realtime_admin
  nosuperuser nocreatedb createrole replication nobypassrls login noinherit
  password 'postgres';
alter role supabase_functions_admin
  nosuperuser nocreatedb createrole noreplication nobypassrls login noinherit
  password 'postgres';

alter role supabase_replication_admin
  nosuperuser nocreatedb nocreaterole replication nobypassrls login inherit
  password 'postgres';
alter role supabase_etl_admin
  nosuperuser nocreatedb nocreaterole replication nobypassrls login inherit
  password 'postgres';
alter role supabase_read_only_user
  nosuperuser nocreatedb nocreaterole noreplication bypassrls login inherit
  password 'postgres';
alter role supabase_superuser
  nosuperuser nocreatedb nocreaterole noreplication nobypassrls nologin inherit;
alter role dashboard_user
  nosuperuser createdb createrole replication nobypassrls nologin inherit;
alter role pgbouncer
  nosuperuser nocreatedb nocreaterole noreplication nobypassrls login inherit
  password 'postgres';

-- 3. Memberships: granted when missing (keeps re-runs quiet), and the ones
--    hosted removed over time are revoked so an old cluster converges.
do $members$
declare
  m record;
begin
  for m in
    select g.granted, g.member
    from (values
      ('anon', 'authenticator'),
      ('authenticated', 'authenticator'),
      ('service_role', 'authenticator'),
      ('anon', 'postgres'),
      ('authenticated', 'postgres'),
      ('service_role', 'postgres'),
      ('pg_monitor', 'postgres'),
      ('pg_read_all_data', 'postgres'),
      ('pg_signal_backend', 'postgres'),
      ('supabase_superuser', 'postgres'),
      ('supabase_functions_admin', 'postgres'),
      ('authenticator', 'supabase_storage_admin'),
      ('anon', 'supabase_realtime_admin'),
      ('authenticated', 'supabase_realtime_admin'),
      ('service_role', 'supabase_realtime_admin'),
      ('pg_read_all_data', 'supabase_read_only_user'),
      ('supabase_superuser', 'supabase_etl_admin')
    ) as g(granted, member)
    where not exists (
      select 1 from pg_catalog.pg_auth_members am
      where am.roleid = g.granted::regrole and am.member = g.member::regrole)
  loop
    execute format('grant %I to %I', m.granted, m.member);
  end loop;

  for m in
    select g.granted, g.member
    from (values
      ('supabase_admin', 'authenticator'),        -- revoked Nov 2022
      ('supabase_auth_admin', 'postgres'),        -- revoked 2024-2026; policies on their
      ('supabase_storage_admin', 'postgres'),     -- tables come from supautils policy_grants
      ('supabase_realtime_admin', 'postgres'),    -- (emulated by bootstrap/90_guard.sql)
      ('anon', 'supabase_storage_admin'),         -- replaced by authenticator, Oct 2023
      ('authenticated', 'supabase_storage_admin'),
      ('service_role', 'supabase_storage_admin')
    ) as g(granted, member)
    where exists (
      select 1 from pg_catalog.pg_auth_members am
      where am.roleid = g.granted::regrole and am.member = g.member::regrole)
  loop
    execute format('revoke %I from %I', m.granted, m.member);
  end loop;
end
$members$;

-- realtime.list_changes does `set log_min_messages = 'fatal'` (PG15 GRANT SET).
grant set on parameter log_min_messages to supabase_realtime_admin;
-- Superuser-only settings hosted lets postgres change
-- (supautils.privileged_role_allowed_configs), e.g. data-only dumps restored
-- with `set session_replication_role = replica`.
grant set on parameter session_replication_role, track_io_timing, log_min_messages to postgres;
-- PostgREST's in-database configuration (`alter role authenticator set pgrst.db_plan_enabled = true`),
-- which hosted lets postgres run (supautils). A placeholder (custom) setting needs superuser or, since
-- PG15, GRANT SET on that name: these are PostgREST's in-database names (Config/Database.hs).
grant set on parameter
  pgrst.db_aggregates_enabled, pgrst.client_error_verbosity, pgrst.db_anon_role, pgrst.db_pre_config,
  pgrst.db_extra_search_path, pgrst.db_max_rows, pgrst.db_plan_enabled, pgrst.db_pre_request,
  pgrst.db_prepared_statements, pgrst.db_root_spec, pgrst.db_schemas, pgrst.db_tx_end,
  pgrst.db_hoisted_tx_settings, pgrst.jwt_aud, pgrst.jwt_role_claim_key, pgrst.jwt_secret,
  pgrst.jwt_secret_is_base64, pgrst.jwt_cache_max_lifetime, pgrst.openapi_mode,
  pgrst.openapi_security_active, pgrst.openapi_server_proxy_uri, pgrst.server_cors_allowed_origins,
  pgrst.server_trace_header, pgrst.server_timing_enabled, pgrst.url_use_legacy_target_names
  to postgres;

-- 4. Role-level settings (cluster-wide, i.e. not per database).
alter role supabase_admin set search_path to "$user", public, auth, extensions;
alter role postgres set search_path to "$user", public, extensions;

alter role anon set statement_timeout to '3s';
alter role authenticated set statement_timeout to '8s';
alter role authenticator set statement_timeout to '8s';
alter role authenticator set lock_timeout to '8s';

alter role supabase_auth_admin set search_path to auth;
alter role supabase_auth_admin set idle_in_transaction_session_timeout to 60000;
alter role supabase_storage_admin set search_path to storage;
alter role supabase_realtime_admin set search_path to public, extensions, realtime;
alter role supabase_functions_admin set search_path to supabase_functions;

commit;
