-- supabase/tests/00_platform.test.sql
--
-- The platform the local stack bootstraps (stack/sql/) matches what hosted
-- Supabase provides before our migrations run: roles, schemas, the auth /
-- storage / realtime / net / vault surface, and the limits on `postgres`.
-- Runs as `postgres` (search_path "$user", public, extensions).

begin;
select plan(111);

-- ---------------------------------------------------------------------------
-- Roles (contract §1.1)
-- ---------------------------------------------------------------------------

select has_role(r, format('role %s exists', r))
from unnest(array['supabase_admin', 'postgres', 'authenticator', 'anon', 'authenticated',
                  'service_role', 'supabase_auth_admin', 'supabase_storage_admin',
                  'supabase_realtime_admin']) as r;

select isnt_superuser('postgres', 'postgres is not a superuser (demoted, as on hosted)');
select is_superuser('supabase_admin', 'supabase_admin is the superuser');
select ok((select rolbypassrls from pg_roles where rolname = 'postgres'), 'postgres bypasses RLS');
select ok((select rolcreaterole and rolcreatedb and rolreplication from pg_roles where rolname = 'postgres'),
          'postgres has CREATEROLE, CREATEDB and REPLICATION');
select ok((select not rolinherit and rolcanlogin from pg_roles where rolname = 'authenticator'),
          'authenticator is LOGIN NOINHERIT');
select ok((select not rolcanlogin from pg_roles where rolname = 'anon'), 'anon cannot log in');
select ok((select rolbypassrls from pg_roles where rolname = 'service_role'), 'service_role bypasses RLS');
select ok((select not rolbypassrls from pg_roles where rolname = 'authenticated'), 'authenticated does not bypass RLS');
select is_member_of('anon', array['authenticator', 'postgres'], 'anon is granted to authenticator and postgres');
select is_member_of('authenticated', array['authenticator', 'postgres'], 'authenticated is granted to authenticator and postgres');
select is_member_of('service_role', array['authenticator', 'postgres'], 'service_role is granted to authenticator and postgres');
select is_member_of('pg_read_all_data', array['postgres'], 'postgres is a member of pg_read_all_data');

select ok(exists (select 1 from pg_db_role_setting s
                  where s.setrole = 'anon'::regrole and s.setdatabase = 0
                    and 'statement_timeout=3s' = any (s.setconfig)),
          'anon has statement_timeout 3s');
select ok(exists (select 1 from pg_db_role_setting s
                  where s.setrole = 'authenticated'::regrole and s.setdatabase = 0
                    and 'statement_timeout=8s' = any (s.setconfig)),
          'authenticated has statement_timeout 8s');
select ok(exists (select 1 from pg_db_role_setting s
                  where s.setrole = 'authenticator'::regrole and s.setdatabase = 0
                    and s.setconfig @> array['statement_timeout=8s', 'lock_timeout=8s']),
          'authenticator has statement_timeout and lock_timeout 8s');

-- ---------------------------------------------------------------------------
-- Schemas, extensions, publication, event triggers (§1.5, §2)
-- ---------------------------------------------------------------------------

select has_schema(s, format('schema %s exists', s))
from unnest(array['extensions', 'auth', 'storage', 'realtime', 'net', 'vault', 'cron',
                  'graphql_public']) as s;

select ok(exists (select 1 from pg_extension e join pg_namespace n on n.oid = e.extnamespace
                  where e.extname = 'pgcrypto' and n.nspname = 'extensions'),
          'pgcrypto is installed in schema extensions');
select ok((select count(*) = 3 from pg_extension where extname in ('pg_cron', 'pg_net', 'supabase_vault')),
          'pg_cron, pg_net and supabase_vault are registered extensions');
select ok(exists (select 1 from pg_publication where pubname = 'supabase_realtime'
                  and pubinsert and pubupdate and pubdelete and pubtruncate),
          'publication supabase_realtime publishes insert, update, delete, truncate');
select ok((select count(*) = 2 from pg_event_trigger where evtname in ('pgrst_ddl_watch', 'pgrst_drop_watch')),
          'the PostgREST schema-reload event triggers exist');

-- ---------------------------------------------------------------------------
-- auth (§3)
-- ---------------------------------------------------------------------------

select has_table('auth', t, format('auth.%s exists', t))
from unnest(array['users', 'identities', 'sessions', 'refresh_tokens', 'audit_log_entries',
                  'flow_state', 'one_time_tokens', 'mfa_factors']) as t;
select has_column('auth', 'users', 'is_anonymous', 'auth.users has is_anonymous');
select is((select attgenerated::text from pg_attribute
           where attrelid = 'auth.users'::regclass and attname = 'confirmed_at'),
          's', 'auth.users.confirmed_at is a stored generated column');
select is((select attgenerated::text from pg_attribute
           where attrelid = 'auth.identities'::regclass and attname = 'email'),
          's', 'auth.identities.email is a stored generated column');
select ok((select relrowsecurity from pg_class where oid = 'auth.users'::regclass), 'RLS is enabled on auth.users');

-- helpers read request.jwt.claims ...
set local request.jwt.claims to
  '{"sub": "11111111-1111-1111-1111-111111111111", "role": "authenticated", "email": "a@example.com", "aal": "aal1"}';
select is(auth.uid(), '11111111-1111-1111-1111-111111111111'::uuid, 'auth.uid() reads sub from request.jwt.claims');
select is(auth.role(), 'authenticated', 'auth.role() reads role from request.jwt.claims');
select is(auth.email(), 'a@example.com', 'auth.email() reads email from request.jwt.claims');
select is(auth.jwt() ->> 'aal', 'aal1', 'auth.jwt() returns request.jwt.claims');
-- ... after the legacy per-claim settings
set local request.jwt.claim.sub to '22222222-2222-2222-2222-222222222222';
select is(auth.uid(), '22222222-2222-2222-2222-222222222222'::uuid, 'auth.uid() prefers request.jwt.claim.sub');
set local request.jwt.claim.sub to '';
select is(auth.uid(), '11111111-1111-1111-1111-111111111111'::uuid, 'an empty request.jwt.claim.sub is ignored');
set local request.jwt.claims to '{"role": "anon"}';
select is(auth.uid(), null, 'auth.uid() is null for an anon request');

set local role anon;
select throws_ok('select * from auth.users', '42501', null, 'anon cannot read auth.users');
reset role;
set local role authenticated;
select throws_ok('select * from auth.users', '42501', null, 'authenticated cannot read auth.users');
reset role;

-- ---------------------------------------------------------------------------
-- storage (§5)
-- ---------------------------------------------------------------------------

select has_table('storage', t, format('storage.%s exists', t))
from unnest(array['buckets', 'objects', 'migrations', 's3_multipart_uploads', 's3_multipart_uploads_parts']) as t;
select is((select attgenerated::text from pg_attribute
           where attrelid = 'storage.objects'::regclass and attname = 'path_tokens'),
          's', 'storage.objects.path_tokens is a stored generated column');
select ok((select relrowsecurity from pg_class where oid = 'storage.objects'::regclass), 'RLS is enabled on storage.objects');
select is(storage.extension('a/b.tar.gz'), 'gz', 'storage.extension() returns the last dot-suffix');
select is(storage.extension('a/README'), 'README', 'storage.extension() of a name without a dot is the name');
select is(storage.foldername('a/b/c.png'), array['a', 'b'], 'storage.foldername() returns the folders');
select is(storage.foldername('c.png'), '{}'::text[], 'storage.foldername() of a top-level file is empty');
select is(storage.filename('a/b/c.png'), 'c.png', 'storage.filename() returns the last segment');
set local storage.operation to 'storage.object.upload';
select ok(storage.allow_only_operation('object.upload'), 'storage.allow_only_operation() ignores the storage. prefix');

insert into storage.buckets (id, name) values ('platform-test', 'platform-test');
insert into storage.objects (bucket_id, name) values ('platform-test', 'u1/a.txt'), ('platform-test', 'u1/b/c.txt');
select is((select array_agg(s.name order by s.name) from storage.search('u1/', 'platform-test') s),
          array['a.txt', 'b'], 'storage.search() lists files and folders below a prefix');
select throws_ok($$delete from storage.objects where bucket_id = 'platform-test'$$,
                 '42501', 'Direct deletion from storage tables is not allowed. Use the Storage API instead.',
                 'direct DELETE from storage.objects is blocked');
set local storage.allow_delete_query to 'true';
select lives_ok($$delete from storage.objects where bucket_id = 'platform-test'$$,
                'DELETE from storage.objects works with storage.allow_delete_query');
set local storage.allow_delete_query to '';

-- ---------------------------------------------------------------------------
-- realtime (§6)
-- ---------------------------------------------------------------------------

select has_table('realtime', 'messages', 'realtime.messages exists');
select is((select relkind::text from pg_class where oid = 'realtime.messages'::regclass), 'p',
          'realtime.messages is partitioned');
select ok((select relrowsecurity from pg_class where oid = 'realtime.messages'::regclass), 'RLS is enabled on realtime.messages');
select lives_ok($$select realtime.send('{"n": 1}'::jsonb, 'ping', 'platform:test', true)$$, 'realtime.send() runs');
select is((select count(*)::int from realtime.messages
           where topic = 'platform:test' and event = 'ping' and private and extension = 'broadcast'
             and payload ? 'id'),
          1, 'realtime.send() stored one broadcast message with payload.id');
select is(realtime.topic(), 'platform:test', 'realtime.send() sets realtime.topic for the transaction');

-- ---------------------------------------------------------------------------
-- net (§7.1) and vault (§8.2)
-- ---------------------------------------------------------------------------

select ok(net.http_post('http://127.0.0.1:9/hook', '{"a": 1}'::jsonb) > 0, 'net.http_post() returns a request id');
select is((select method::text || ' ' || url || ' ' || (headers ->> 'Content-Type')
           from net.http_request_queue order by id desc limit 1),
          'POST http://127.0.0.1:9/hook application/json', 'net.http_post() queued the request');
select ok(net.http_get('http://127.0.0.1:9/x', params := '{"q": "a b"}'::jsonb) > 0, 'net.http_get() returns a request id');
select is((select url from net.http_request_queue order by id desc limit 1),
          'http://127.0.0.1:9/x?q=a%20b', 'net.http_get() URL-encodes params');
select throws_ok($$select net.http_post('http://127.0.0.1:9/hook', '{}'::jsonb,
                                        headers := '{"Content-Type": "text/plain"}'::jsonb)$$,
                 'P0001', 'Content-Type header must be "application/json"',
                 'net.http_post() rejects a non-JSON content type');
select is((net._http_collect_response(-1)).status::text, 'ERROR', 'an unknown request id collects as ERROR');

select ok(vault.create_secret('s3cr3t', 'platform_test_secret') is not null, 'vault.create_secret() returns an id');
select is((select decrypted_secret from vault.decrypted_secrets where name = 'platform_test_secret'),
          's3cr3t', 'vault.decrypted_secrets decrypts it');
select isnt((select secret from vault.secrets where name = 'platform_test_secret'),
            's3cr3t', 'vault.secrets stores ciphertext');

-- ---------------------------------------------------------------------------
-- What postgres may and may not do on Supabase-managed schemas (§1.4, §12)
-- ---------------------------------------------------------------------------

create function public._platform_test_noop() returns trigger
language plpgsql set search_path = '' as $$ begin return new; end $$;

select lives_ok($$create policy platform_test on storage.objects for select to authenticated using (false)$$,
                'postgres may create a policy on storage.objects');
select lives_ok($$create policy platform_test on auth.users for select to authenticated using (false)$$,
                'postgres may create a policy on auth.users');
select lives_ok($$create policy platform_test on realtime.messages for select to authenticated using (false)$$,
                'postgres may create a policy on realtime.messages');
select lives_ok($$create trigger platform_test after insert on auth.users
                  for each row execute function public._platform_test_noop()$$,
                'postgres may create a trigger on auth.users');
select lives_ok($$drop trigger platform_test on auth.users$$, 'postgres may drop its trigger on auth.users');
select throws_ok($$alter table auth.users add column platform_test int$$, '42501', null,
                 'postgres may not ALTER TABLE auth.users');
select throws_ok($$create function auth.platform_test() returns int language sql as 'select 1'$$, '42501', null,
                 'postgres may not create functions in auth');
select throws_ok($$create index on storage.objects (name)$$, '42501', null,
                 'postgres may not create indexes on storage.objects');
select throws_ok($$create policy platform_test on auth.mfa_factors for select using (false)$$, '42501', null,
                 'postgres may not create policies on tables outside policy_grants');
-- as PostgreSQL does for a grantor without grant option: a WARNING, and nothing granted
select lives_ok($$grant insert on auth.users to authenticated$$,
                'granting a privilege postgres holds no grant option for is not an error');
select ok(not has_table_privilege('authenticated', 'auth.users', 'insert'),
          '... and grants nothing');
select ok(not pg_has_role('postgres', r, 'member'), format('postgres is not a member of %s (revoked on hosted)', r))
from unnest(array['supabase_auth_admin', 'supabase_storage_admin', 'supabase_realtime_admin']) as r;
select throws_ok($$set role supabase_auth_admin$$, '42501', null, 'postgres may not SET ROLE supabase_auth_admin');
select throws_ok($$insert into cron.job (schedule, command) values ('* * * * *', 'select 1')$$, '42501', null,
                 'postgres may not write cron.job directly');
select lives_ok($$create extension if not exists pgcrypto with schema extensions$$,
                'create extension if not exists pgcrypto is a no-op');

-- Privileged extensions: the migrations create them as postgres; they belong to supabase_admin as
-- when supautils creates them on hosted, and postgres may drop and recreate them.
select is((select extowner::regrole::text from pg_extension where extname = e), 'supabase_admin',
          format('%s belongs to supabase_admin', e))
from unnest(array['pg_cron', 'pg_net']) as e;
select lives_ok($$drop extension pg_net$$, 'postgres may drop pg_net');
select hasnt_schema('net', '... which removes schema net');
select lives_ok($$create extension pg_net with schema extensions$$, 'postgres may create pg_net');
select has_function('net', 'http_post', array['text', 'jsonb', 'jsonb', 'jsonb', 'integer'],
                    '... which brings back net.http_post');

select * from finish();
rollback;
