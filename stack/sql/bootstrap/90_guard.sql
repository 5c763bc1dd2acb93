-- stack/sql/bootstrap/90_guard.sql
--
-- Platform bootstrap, step 90 (must stay LAST): [LOCAL] stand-in for the
-- parts of supautils that limit what the non-superuser `postgres` may do
-- (platform contract §1.4, §12.1-2).
--
-- Why: hosted lets `postgres` CREATE/ALTER/DROP POLICY on a fixed list of
-- auth/storage/realtime tables it does not own (supautils.policy_grants) and
-- DROP TRIGGER on them (supautils.drop_trigger_grants). Plain PostgreSQL only
-- allows that to the owner, so locally `postgres` is a member of the owner
-- roles (cluster/roles.sql). Membership would also let it do what hosted
-- refuses (ALTER TABLE auth.users, CREATE INDEX on storage.objects, CREATE
-- FUNCTION auth.x, COMMENT, GRANTs it holds no grant option for, ...). The
-- event triggers below take that back: such a statement fails with SQLSTATE
-- 42501 and a message naming what hosted would refuse.
--
-- Who is checked: a current role that is not a superuser and holds the
-- privileges of a service role (supabase_auth_admin, supabase_storage_admin,
-- supabase_realtime_admin, supabase_functions_admin) through membership - in
-- practice `postgres`. A service role working in its own session (the local
-- GoTrue/Storage/Realtime replacements) or under a superuser session is not
-- checked; postgres doing `set role supabase_auth_admin` is. A superuser
-- session that does `set role postgres` is checked too. Commands run inside an
-- extension script are not checked.
--
-- NOT a migration; applied as `supabase_admin` with --single-transaction.

set check_function_bodies = on;
set client_min_messages = warning;

-- ---------------------------------------------------------------------------
-- Configuration
-- ---------------------------------------------------------------------------

create function extensions.local_guard_protected_schemas()
returns text[]
language sql
immutable
set search_path = ''
as $$
  select array['auth', 'storage', 'realtime', 'vault', 'net', 'cron',
               'supabase_functions', 'pgbouncer', 'graphql', 'graphql_public', '_realtime']
$$;
comment on function extensions.local_guard_protected_schemas() is
  '[LOCAL] Schemas managed by Supabase: no DDL from postgres except the grants below.';

create function extensions.local_guard_policy_tables()
returns text[]
language sql
immutable
set search_path = ''
as $$
  -- supautils.policy_grants for postgres on hosted
  select array['auth.audit_log_entries', 'auth.identities', 'auth.refresh_tokens',
               'auth.sessions', 'auth.users', 'realtime.messages', 'realtime.subscription',
               'storage.buckets', 'storage.migrations', 'storage.objects',
               'storage.s3_multipart_uploads', 'storage.s3_multipart_uploads_parts']
$$;
comment on function extensions.local_guard_policy_tables() is
  '[LOCAL] Tables on which postgres may CREATE/ALTER/DROP POLICY (hosted supautils.policy_grants).';

create function extensions.local_guard_drop_trigger_tables()
returns text[]
language sql
immutable
set search_path = ''
as $$
  -- supautils.drop_trigger_grants for postgres on hosted
  select array['auth.audit_log_entries', 'auth.identities', 'auth.refresh_tokens',
               'auth.sessions', 'auth.users', 'realtime.messages',
               'storage.buckets', 'storage.migrations', 'storage.objects',
               'storage.s3_multipart_uploads', 'storage.s3_multipart_uploads_parts']
$$;
comment on function extensions.local_guard_drop_trigger_tables() is
  '[LOCAL] Tables on which postgres may DROP TRIGGER (hosted supautils.drop_trigger_grants).';

-- ---------------------------------------------------------------------------
-- Who is subject to the guard
-- ---------------------------------------------------------------------------

create function extensions.local_guard_acting_role()
returns name
language sql
stable
set search_path = ''
as $$
  -- whose hosted permissions apply: the current role, or the session role when
  -- it switched into a service role (hosted postgres cannot SET ROLE to those)
  select case
    when current_user in ('supabase_auth_admin', 'supabase_storage_admin',
                          'supabase_realtime_admin', 'supabase_functions_admin')
      then session_user
    else current_user
  end
$$;
comment on function extensions.local_guard_acting_role() is
  '[LOCAL] Role whose hosted permissions the guard applies.';

create function extensions.local_guard_enforced()
returns boolean
language sql
stable
set search_path = ''
as $$
  -- same test as the prologue of the event trigger functions
  select not coalesce((select r.rolsuper from pg_catalog.pg_roles r where r.rolname = current_user), false)
     and exists (
       select 1 from pg_catalog.pg_roles s
       where s.rolname in ('supabase_auth_admin', 'supabase_storage_admin',
                           'supabase_realtime_admin', 'supabase_functions_admin')
         and pg_catalog.pg_has_role(current_user, s.oid, 'USAGE'))
     and not (current_user in ('supabase_auth_admin', 'supabase_storage_admin',
                               'supabase_realtime_admin', 'supabase_functions_admin')
              and (session_user = current_user
                   or coalesce((select r.rolsuper from pg_catalog.pg_roles r where r.rolname = session_user), false)))
$$;
comment on function extensions.local_guard_enforced() is
  '[LOCAL] True when the current statement must respect hosted restrictions.';

create function extensions.local_guard_reject(command text, object_identity text, schema_name text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'hosted Supabase does not allow role % to % % (schema % is managed by Supabase)',
      extensions.local_guard_acting_role(), command, object_identity, schema_name
    using errcode = '42501',
          hint = 'Policies on the supautils.policy_grants tables, CREATE TRIGGER where postgres holds the TRIGGER privilege '
                 'and DROP TRIGGER on the drop_trigger_grants tables are allowed; put other objects in public or a schema of your own.';
end;
$$;
comment on function extensions.local_guard_reject(text, text, text) is
  '[LOCAL] Raises the 42501 error of the guard.';

-- ---------------------------------------------------------------------------
-- DDL (CREATE/ALTER/COMMENT/...) on objects in managed schemas
-- ---------------------------------------------------------------------------

create function extensions.local_guard_ddl_command_end()
returns event_trigger
language plpgsql
set search_path = ''
as $$
declare
  cmd record;
  rel oid;
  nsp text;
  rel_name text;
  acting name;
begin
  -- Same test as extensions.local_guard_enforced(), written out so that
  -- roles without USAGE on schema extensions can still run DDL: only roles
  -- that hold a service role's privileges (postgres) are checked.
  if coalesce((select r.rolsuper from pg_catalog.pg_roles r where r.rolname = current_user), false)
     or not exists (
       select 1 from pg_catalog.pg_roles s
       where s.rolname in ('supabase_auth_admin', 'supabase_storage_admin',
                           'supabase_realtime_admin', 'supabase_functions_admin')
         and pg_catalog.pg_has_role(current_user, s.oid, 'USAGE'))
     or (current_user in ('supabase_auth_admin', 'supabase_storage_admin',
                          'supabase_realtime_admin', 'supabase_functions_admin')
         and (session_user = current_user
              or coalesce((select r.rolsuper from pg_catalog.pg_roles r where r.rolname = session_user), false)))
  then
    return;
  end if;
  acting := extensions.local_guard_acting_role();

  for cmd in select * from pg_catalog.pg_event_trigger_ddl_commands()
  loop
    continue when cmd.in_extension or cmd.objid is null;

    rel := case cmd.classid
      when 'pg_catalog.pg_policy'::regclass then
        (select p.polrelid from pg_catalog.pg_policy p where p.oid = cmd.objid)
      when 'pg_catalog.pg_trigger'::regclass then
        (select t.tgrelid from pg_catalog.pg_trigger t where t.oid = cmd.objid)
      when 'pg_catalog.pg_rewrite'::regclass then
        (select w.ev_class from pg_catalog.pg_rewrite w where w.oid = cmd.objid)
      when 'pg_catalog.pg_publication_rel'::regclass then
        (select pr.prrelid from pg_catalog.pg_publication_rel pr where pr.oid = cmd.objid)
      else null
    end;

    nsp := case
      when rel is not null then
        (select n.nspname from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
         where c.oid = rel)
      when cmd.classid = 'pg_catalog.pg_extension'::regclass then
        (select n.nspname from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace
         where e.oid = cmd.objid)
      when cmd.classid = 'pg_catalog.pg_namespace'::regclass then
        (select n.nspname from pg_catalog.pg_namespace n where n.oid = cmd.objid)
      else cmd.schema_name
    end;

    continue when nsp is null or not (nsp = any (extensions.local_guard_protected_schemas()));

    rel_name := case when rel is not null then rel::regclass::text end;

    -- what hosted allows postgres to do on objects it does not own
    continue when cmd.command_tag in ('CREATE POLICY', 'ALTER POLICY')
      and rel_name = any (extensions.local_guard_policy_tables());
    continue when cmd.command_tag = 'CREATE TRIGGER'
      and exists (
        select 1
        from pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) a
        where c.oid = rel
          and a.privilege_type = 'TRIGGER'
          and (a.grantee = 0 or a.grantee = (select r.oid from pg_catalog.pg_roles r where r.rolname = acting))
      );

    perform extensions.local_guard_reject(
      cmd.command_tag, coalesce(cmd.object_identity, rel_name, nsp), nsp);
  end loop;
end;
$$;
comment on function extensions.local_guard_ddl_command_end() is
  '[LOCAL] Event trigger: rejects DDL on Supabase-managed schemas that hosted would refuse to postgres.';

-- ---------------------------------------------------------------------------
-- DROP of objects in managed schemas (objects dropped by CASCADE from the
-- caller's own objects are allowed, as on hosted)
-- ---------------------------------------------------------------------------

create function extensions.local_guard_sql_drop()
returns event_trigger
language plpgsql
set search_path = ''
as $$
declare
  obj record;
  nsp text;
  rel_name text;
begin
  -- Same test as extensions.local_guard_enforced(), written out so that
  -- roles without USAGE on schema extensions can still run DDL: only roles
  -- that hold a service role's privileges (postgres) are checked.
  if coalesce((select r.rolsuper from pg_catalog.pg_roles r where r.rolname = current_user), false)
     or not exists (
       select 1 from pg_catalog.pg_roles s
       where s.rolname in ('supabase_auth_admin', 'supabase_storage_admin',
                           'supabase_realtime_admin', 'supabase_functions_admin')
         and pg_catalog.pg_has_role(current_user, s.oid, 'USAGE'))
     or (current_user in ('supabase_auth_admin', 'supabase_storage_admin',
                          'supabase_realtime_admin', 'supabase_functions_admin')
         and (session_user = current_user
              or coalesce((select r.rolsuper from pg_catalog.pg_roles r where r.rolname = session_user), false)))
  then
    return;
  end if;

  for obj in select * from pg_catalog.pg_event_trigger_dropped_objects()
  loop
    continue when not obj.original or obj.is_temporary;
    continue when obj.object_type = 'publication relation';

    nsp := coalesce(obj.schema_name, obj.address_names[1]);
    continue when nsp is null or not (nsp = any (extensions.local_guard_protected_schemas()));

    if obj.object_type in ('policy', 'trigger', 'rule') then
      rel_name := pg_catalog.quote_ident(obj.address_names[1]) || '.' || pg_catalog.quote_ident(obj.address_names[2]);
      continue when obj.object_type = 'policy'
        and rel_name = any (extensions.local_guard_policy_tables());
      continue when obj.object_type = 'trigger'
        and rel_name = any (extensions.local_guard_drop_trigger_tables());
    end if;

    perform extensions.local_guard_reject('DROP ' || pg_catalog.upper(obj.object_type), obj.object_identity, nsp);
  end loop;
end;
$$;
comment on function extensions.local_guard_sql_drop() is
  '[LOCAL] Event trigger: rejects DROPs in Supabase-managed schemas that hosted would refuse to postgres.';

-- ---------------------------------------------------------------------------
-- GRANT / REVOKE / ALTER DEFAULT PRIVILEGES
--
-- On hosted, postgres can only grant what it holds WITH GRANT OPTION on
-- platform objects and only revoke what it granted itself; anything else is
-- ignored there with a WARNING. Locally, membership in the owner role would
-- make it take effect. The ACLs of the managed schemas are compared before
-- and after the statement and a change hosted would not make is rejected.
-- ---------------------------------------------------------------------------

create function extensions.local_guard_acl_state()
returns text[]
language sql
stable
set search_path = ''
as $$
  -- one entry per privilege: kind:object:grantee:privilege:grantable
  with protected as (
    select n.oid
    from pg_catalog.pg_namespace n
    where n.nspname = any (extensions.local_guard_protected_schemas())
  ),
  objects as (
    select case when c.relkind = 'S' then 's' else 'r' end as kind, c.oid::text as id,
           c.relowner as owner, c.relacl as acl
    from pg_catalog.pg_class c
    where c.relnamespace in (select oid from protected) and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
    union all
    select 'c', a.attrelid::text || '.' || a.attnum::text, c.relowner, a.attacl
    from pg_catalog.pg_attribute a
    join pg_catalog.pg_class c on c.oid = a.attrelid
    where c.relnamespace in (select oid from protected) and a.attacl is not null
    union all
    select 'f', p.oid::text, p.proowner, p.proacl
    from pg_catalog.pg_proc p
    where p.pronamespace in (select oid from protected)
    union all
    select 'n', n.oid::text, n.nspowner, n.nspacl
    from pg_catalog.pg_namespace n
    where n.oid in (select oid from protected)
    union all
    select 'T', t.oid::text, t.typowner, t.typacl
    from pg_catalog.pg_type t
    where t.typnamespace in (select oid from protected) and t.typtype in ('d', 'e')
  ),
  defaults as (
    -- default privileges of the service roles (postgres may not change them on hosted)
    select 'd' as kind, d.defaclrole::text || '.' || d.defaclnamespace::text || '.' || d.defaclobjtype::text as id,
           d.defaclacl as acl
    from pg_catalog.pg_default_acl d
    where d.defaclrole in (select r.oid from pg_catalog.pg_roles r
                           where r.rolname in ('supabase_admin', 'supabase_auth_admin', 'supabase_storage_admin',
                                               'supabase_realtime_admin', 'supabase_functions_admin'))
  )
  select coalesce(pg_catalog.array_agg(e order by e), '{}')
  from (
    select o.kind || ':' || o.id || ':' || x.grantee::text || ':' || x.privilege_type || ':' || x.is_grantable::text as e
    from objects o
    cross join lateral pg_catalog.aclexplode(
      coalesce(o.acl, pg_catalog.acldefault(case o.kind when 'c' then 'c' else o.kind end::"char", o.owner))) x
    union all
    select d.kind || ':' || d.id || ':' || x.grantee::text || ':' || x.privilege_type || ':' || x.is_grantable::text
    from defaults d
    cross join lateral pg_catalog.aclexplode(d.acl) x
  ) s
$$;
comment on function extensions.local_guard_acl_state() is
  '[LOCAL] Privileges on objects of the managed schemas, as sortable text entries.';

create function extensions.local_guard_acl_object(kind text, id text)
returns text
language sql
stable
set search_path = ''
as $$
  select case kind
    when 'r' then pg_catalog.format('table %s', id::oid::regclass)
    when 's' then pg_catalog.format('sequence %s', id::oid::regclass)
    when 'c' then pg_catalog.format('column %s.%I',
                    pg_catalog.split_part(id, '.', 1)::oid::regclass,
                    (select a.attname from pg_catalog.pg_attribute a
                     where a.attrelid = pg_catalog.split_part(id, '.', 1)::oid
                       and a.attnum = pg_catalog.split_part(id, '.', 2)::smallint))
    when 'f' then pg_catalog.format('function %s', id::oid::regprocedure)
    when 'n' then pg_catalog.format('schema %s', id::oid::regnamespace)
    when 'T' then pg_catalog.format('type %s', id::oid::regtype)
    when 'd' then pg_catalog.format('default privileges of role %s',
                    pg_catalog.split_part(id, '.', 1)::oid::regrole)
    else id
  end
$$;
comment on function extensions.local_guard_acl_object(text, text) is
  '[LOCAL] Readable name of an entry of local_guard_acl_state().';

create function extensions.local_guard_acl_start()
returns event_trigger
language plpgsql
set search_path = ''
as $$
begin
  -- Same test as extensions.local_guard_enforced(), written out so that
  -- roles without USAGE on schema extensions can still run DDL: only roles
  -- that hold a service role's privileges (postgres) are checked.
  if coalesce((select r.rolsuper from pg_catalog.pg_roles r where r.rolname = current_user), false)
     or not exists (
       select 1 from pg_catalog.pg_roles s
       where s.rolname in ('supabase_auth_admin', 'supabase_storage_admin',
                           'supabase_realtime_admin', 'supabase_functions_admin')
         and pg_catalog.pg_has_role(current_user, s.oid, 'USAGE'))
     or (current_user in ('supabase_auth_admin', 'supabase_storage_admin',
                          'supabase_realtime_admin', 'supabase_functions_admin')
         and (session_user = current_user
              or coalesce((select r.rolsuper from pg_catalog.pg_roles r where r.rolname = session_user), false)))
  then
    return;
  end if;
  perform pg_catalog.set_config('supabase_local.acl_before',
                                pg_catalog.array_to_string(extensions.local_guard_acl_state(), ' '), true);
end;
$$;
comment on function extensions.local_guard_acl_start() is
  '[LOCAL] Event trigger: remembers the managed schemas'' privileges before a GRANT/REVOKE.';

-- Placeholder; the real list is generated at the end of this file.
create function extensions.local_guard_acl_baseline()
returns text[]
language sql
immutable
set search_path = ''
as $$ select '{}'::text[] $$;

create function extensions.local_guard_acl_end()
returns event_trigger
language plpgsql
set search_path = ''
as $$
declare
  before_state text[];
  after_state text[];
  baseline text[];
  acting_oid text;
  e text;
  parts text[];
  obj_key text;
  rel_key text;
  may_grant boolean;
begin
  -- Same test as extensions.local_guard_enforced(), written out so that
  -- roles without USAGE on schema extensions can still run DDL: only roles
  -- that hold a service role's privileges (postgres) are checked.
  if coalesce((select r.rolsuper from pg_catalog.pg_roles r where r.rolname = current_user), false)
     or not exists (
       select 1 from pg_catalog.pg_roles s
       where s.rolname in ('supabase_auth_admin', 'supabase_storage_admin',
                           'supabase_realtime_admin', 'supabase_functions_admin')
         and pg_catalog.pg_has_role(current_user, s.oid, 'USAGE'))
     or (current_user in ('supabase_auth_admin', 'supabase_storage_admin',
                          'supabase_realtime_admin', 'supabase_functions_admin')
         and (session_user = current_user
              or coalesce((select r.rolsuper from pg_catalog.pg_roles r where r.rolname = session_user), false)))
  then
    return;
  end if;
  before_state := pg_catalog.string_to_array(
    coalesce(pg_catalog.current_setting('supabase_local.acl_before', true), ''), ' ');
  perform pg_catalog.set_config('supabase_local.acl_before', '', true);
  after_state := extensions.local_guard_acl_state();
  baseline := extensions.local_guard_acl_baseline();
  acting_oid := (select r.oid::text from pg_catalog.pg_roles r
                 where r.rolname = extensions.local_guard_acting_role());

  -- privileges that appeared, then privileges that disappeared
  for e in
    select 'grant:' || x from pg_catalog.unnest(after_state) x
    except select 'grant:' || y from pg_catalog.unnest(before_state) y
    union all
    (select 'revoke:' || y from pg_catalog.unnest(before_state) y where y <> ''
     except select 'revoke:' || x from pg_catalog.unnest(after_state) x)
  loop
    parts := pg_catalog.string_to_array(e, ':');   -- {action, kind, id, grantee, privilege, grantable}
    obj_key := parts[2] || ':' || parts[3];
    rel_key := case when parts[2] = 'c' then 'r:' || pg_catalog.split_part(parts[3], '.', 1) end;

    -- hosted: allowed only where the acting role holds the privilege WITH GRANT OPTION
    may_grant := parts[2] <> 'd' and coalesce(
      (obj_key || ':' || acting_oid || ':' || parts[5] || ':true') = any (after_state || before_state)
      or (rel_key || ':' || acting_oid || ':' || parts[5] || ':true') = any (after_state || before_state),
      false);

    if parts[1] = 'revoke' and pg_catalog.substr(e, 8) = any (baseline) then
      -- granted by the platform, not by postgres: hosted would not revoke it
      may_grant := false;
    end if;

    if not may_grant then
      raise exception 'hosted Supabase would not % % on % % % (role % holds no grant option there; it is owned by a Supabase role)',
          pg_catalog.upper(parts[1]), parts[5],
          extensions.local_guard_acl_object(parts[2], parts[3]),
          case when parts[1] = 'grant' then 'to' else 'from' end,
          case when parts[4] = '0' then 'PUBLIC' else parts[4]::oid::regrole::text end,
          extensions.local_guard_acting_role()
        using errcode = '42501',
              hint = 'On hosted this statement only produces a WARNING and changes nothing; leave it out.';
    end if;
  end loop;
end;
$$;
comment on function extensions.local_guard_acl_end() is
  '[LOCAL] Event trigger: rejects GRANT/REVOKE/ALTER DEFAULT PRIVILEGES on managed schemas that hosted would ignore.';

-- ---------------------------------------------------------------------------
-- Event triggers. ENABLE ALWAYS: they also fire under
-- session_replication_role = replica (which postgres may set, as on hosted).
-- ---------------------------------------------------------------------------

create event trigger local_guard_ddl_command_end
  on ddl_command_end
  execute function extensions.local_guard_ddl_command_end();
alter event trigger local_guard_ddl_command_end enable always;

create event trigger local_guard_sql_drop
  on sql_drop
  execute function extensions.local_guard_sql_drop();
alter event trigger local_guard_sql_drop enable always;

create event trigger local_guard_acl_start
  on ddl_command_start
  when tag in ('GRANT', 'REVOKE', 'ALTER DEFAULT PRIVILEGES')
  execute function extensions.local_guard_acl_start();
alter event trigger local_guard_acl_start enable always;

create event trigger local_guard_acl_end
  on ddl_command_end
  when tag in ('GRANT', 'REVOKE', 'ALTER DEFAULT PRIVILEGES')
  execute function extensions.local_guard_acl_end();
alter event trigger local_guard_acl_end enable always;

-- The default privileges of `extensions` would hand these to postgres.
do $revoke$
declare
  f regprocedure;
begin
  for f in
    select p.oid::regprocedure
    from pg_catalog.pg_proc p
    where p.pronamespace = 'extensions'::regnamespace and p.proname like 'local\_guard\_%'
  loop
    execute pg_catalog.format('revoke all on function %s from postgres', f);
  end loop;
end
$revoke$;

-- ---------------------------------------------------------------------------
-- Baseline: the privileges the bootstrap granted. postgres may not revoke
-- them (hosted would ignore such a REVOKE). Generated last, so every file
-- before this one is covered.
-- ---------------------------------------------------------------------------

do $baseline$
begin
  execute pg_catalog.format(
    $f$create or replace function extensions.local_guard_acl_baseline()
       returns text[] language sql immutable set search_path = ''
       as $body$ select %L::text[] $body$$f$,
    extensions.local_guard_acl_state());
end
$baseline$;
comment on function extensions.local_guard_acl_baseline() is
  '[LOCAL] Privileges on the managed schemas right after the bootstrap (generated).';
revoke all on function extensions.local_guard_acl_baseline() from postgres;
