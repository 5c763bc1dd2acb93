-- stack/sql/bootstrap/90_guard.sql
--
-- Platform bootstrap, step 90: [LOCAL] the part of supautils that lets the
-- non-superuser `postgres` change policies and triggers on tables it does not
-- own (platform contract §1.4, §12.1-2).
--
-- Hosted lets `postgres` CREATE/ALTER/DROP POLICY on a fixed list of auth,
-- storage and realtime tables (supautils.policy_grants) and DROP TRIGGER on
-- them (supautils.drop_trigger_grants). Plain PostgreSQL allows both only to
-- the table's owner. `postgres` is not a member of the owner roles (as on
-- hosted), so everything else hosted refuses is refused by PostgreSQL itself,
-- with its own errors and warnings: ALTER TABLE auth.users, CREATE INDEX on
-- storage.objects, CREATE FUNCTION auth.x (no CREATE on the schema), and a
-- GRANT of a privilege `postgres` holds no grant option for ("WARNING: no
-- privileges were granted").
--
-- How: for the length of one CREATE/ALTER/DROP POLICY or DROP TRIGGER by
-- `postgres`, a ddl_command_start event trigger makes it a member of the
-- owner roles; ddl_command_end (and sql_drop) refuse the statement unless it
-- touched only listed tables, then take the membership back. Memberships are
-- transactional: a statement that fails takes its grant back with it.
--
-- NOT a migration; applied as `supabase_admin` with --single-transaction.

set check_function_bodies = on;
set client_min_messages = warning;

create function extensions.local_policy_grant_tables()
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
comment on function extensions.local_policy_grant_tables() is
  '[LOCAL] Tables on which postgres may CREATE/ALTER/DROP POLICY (hosted supautils.policy_grants).';

create function extensions.local_drop_trigger_grant_tables()
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
comment on function extensions.local_drop_trigger_grant_tables() is
  '[LOCAL] Tables on which postgres may DROP TRIGGER (hosted supautils.drop_trigger_grants).';

create function extensions.local_owner_roles()
returns name[]
language sql
immutable
set search_path = ''
as $$ select array['supabase_auth_admin', 'supabase_storage_admin', 'supabase_realtime_admin']::name[] $$;
comment on function extensions.local_owner_roles() is
  '[LOCAL] Roles owning the policy_grants tables; postgres is their member for one statement at a time.';

create function extensions.local_policy_grant_start()
returns event_trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  owner_role name;
begin
  if extensions.local_calling_role() <> 'postgres' then
    return;
  end if;
  foreach owner_role in array extensions.local_owner_roles()
  loop
    if not exists (
      select 1 from pg_catalog.pg_auth_members m
      where m.roleid = owner_role::regrole and m.member = 'postgres'::regrole
    ) then
      execute pg_catalog.format('grant %I to postgres', owner_role);
      perform pg_catalog.set_config('supabase_local.policy_grant', 'on', true);
    end if;
  end loop;
end;
$$;
comment on function extensions.local_policy_grant_start() is
  '[LOCAL] Event trigger: postgres may act as the owner of the policy_grants tables for this statement.';

create function extensions.local_policy_grant_revoke()
returns void
language plpgsql
set search_path = ''
as $$
declare
  owner_role name;
begin
  if coalesce(pg_catalog.current_setting('supabase_local.policy_grant', true), '') <> 'on' then
    return;
  end if;
  foreach owner_role in array extensions.local_owner_roles()
  loop
    execute pg_catalog.format('revoke %I from postgres', owner_role);
  end loop;
  perform pg_catalog.set_config('supabase_local.policy_grant', '', true);
end;
$$;
comment on function extensions.local_policy_grant_revoke() is
  '[LOCAL] Takes back the memberships local_policy_grant_start gave.';

create function extensions.local_refuse_not_owner(relation text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  -- PostgreSQL's own words for what hosted answers
  raise exception 'must be owner of table %', pg_catalog.split_part(relation, '.', 2)
    using errcode = '42501',
          hint = 'postgres may change policies only on the supautils.policy_grants tables, '
                 'and drop triggers only on the drop_trigger_grants tables.';
end;
$$;
comment on function extensions.local_refuse_not_owner(text) is
  '[LOCAL] Raises the 42501 error PostgreSQL gives a non-owner.';

create function extensions.local_policy_grant_end()
returns event_trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  cmd record;
  relation text;
begin
  if coalesce(pg_catalog.current_setting('supabase_local.policy_grant', true), '') <> 'on' then
    return;
  end if;
  for cmd in select * from pg_catalog.pg_event_trigger_ddl_commands()
  loop
    continue when cmd.classid <> 'pg_catalog.pg_policy'::regclass;
    select n.nspname || '.' || c.relname into relation
    from pg_catalog.pg_policy p
    join pg_catalog.pg_class c on c.oid = p.polrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where p.oid = cmd.objid;
    if pg_catalog.split_part(relation, '.', 1) in ('auth', 'storage', 'realtime')
       and not (relation = any (extensions.local_policy_grant_tables())) then
      perform extensions.local_refuse_not_owner(relation);
    end if;
  end loop;
  perform extensions.local_policy_grant_revoke();
end;
$$;
comment on function extensions.local_policy_grant_end() is
  '[LOCAL] Event trigger: refuses policies on unlisted platform tables, then ends the membership.';

create function extensions.local_policy_grant_drop()
returns event_trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  obj record;
  relation text;
begin
  if coalesce(pg_catalog.current_setting('supabase_local.policy_grant', true), '') <> 'on' then
    return;
  end if;
  for obj in select * from pg_catalog.pg_event_trigger_dropped_objects()
  loop
    continue when not obj.original or obj.object_type not in ('policy', 'trigger');
    continue when obj.address_names[1] not in ('auth', 'storage', 'realtime');
    relation := obj.address_names[1] || '.' || obj.address_names[2];
    if obj.object_type = 'policy' and not (relation = any (extensions.local_policy_grant_tables()))
       or obj.object_type = 'trigger' and not (relation = any (extensions.local_drop_trigger_grant_tables())) then
      perform extensions.local_refuse_not_owner(relation);
    end if;
  end loop;
end;
$$;
comment on function extensions.local_policy_grant_drop() is
  '[LOCAL] Event trigger: refuses dropping policies or triggers of unlisted platform tables.';

-- ENABLE ALWAYS: they also fire under session_replication_role = replica
-- (which postgres may set, as on hosted).
create event trigger local_policy_grant_start
  on ddl_command_start
  when tag in ('CREATE POLICY', 'ALTER POLICY', 'DROP POLICY', 'DROP TRIGGER')
  execute function extensions.local_policy_grant_start();
alter event trigger local_policy_grant_start enable always;

create event trigger local_policy_grant_drop
  on sql_drop
  when tag in ('DROP POLICY', 'DROP TRIGGER')
  execute function extensions.local_policy_grant_drop();
alter event trigger local_policy_grant_drop enable always;

create event trigger local_policy_grant_end
  on ddl_command_end
  when tag in ('CREATE POLICY', 'ALTER POLICY', 'DROP POLICY', 'DROP TRIGGER')
  execute function extensions.local_policy_grant_end();
alter event trigger local_policy_grant_end enable always;

-- The default privileges of `extensions` would hand these to postgres; the
-- revoke helper must stay out of its reach.
do $revoke$
declare
  f regprocedure;
begin
  for f in
    select p.oid::regprocedure
    from pg_catalog.pg_proc p
    where p.pronamespace = 'extensions'::regnamespace
      and (p.proname like 'local\_policy\_grant\_%' or p.proname like 'local\_refuse\_%')
  loop
    execute pg_catalog.format('revoke all on function %s from public, postgres', f);
  end loop;
end
$revoke$;
