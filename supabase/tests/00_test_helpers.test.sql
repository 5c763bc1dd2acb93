-- Test helpers: run first (files run in name order), they install schema `tests`, which every
-- later file uses to create users and to act as each role exactly as a request would:
-- `role` plus `request.jwt.claims`, transaction-local, as PostgREST sets them.
-- Outside the transaction below on purpose, so the later files can use them.

create schema if not exists tests;
comment on schema tests is 'pgTAP helpers; exists only in the test database.';
grant usage on schema tests to anon, authenticated, service_role;

-- A confirmed email user with GoTrue's invariants (empty-string tokens, {} metadata, identity row).
create or replace function tests.create_user(
  identifier text,
  email text default null,
  app_metadata jsonb default '{}',
  user_metadata jsonb default '{}'
) returns uuid
language plpgsql
set search_path = ''
as $$
declare
  user_id uuid := gen_random_uuid();
  user_email text := lower(coalesce(email, identifier || '@test.ascend.local'));
begin
  insert into auth.users (
    instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
    confirmation_token, recovery_token, email_change_token_new, email_change,
    raw_app_meta_data, raw_user_meta_data, created_at, updated_at
  ) values (
    '00000000-0000-0000-0000-000000000000', user_id, 'authenticated', 'authenticated', user_email,
    extensions.crypt('password123', extensions.gen_salt('bf', 4)), now(),
    '', '', '', '',
    '{"provider": "email", "providers": ["email"]}'::jsonb || app_metadata,
    user_metadata || jsonb_build_object('test_identifier', identifier),
    now(), now()
  );
  insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
  values (user_id::text, user_id,
          jsonb_build_object('sub', user_id::text, 'email', user_email, 'email_verified', true, 'phone_verified', false),
          'email', now(), now(), now());
  return user_id;
end;
$$;

-- Definer: a test acting as `authenticated` may still look users up (it cannot read auth.users).
create or replace function tests.get_user_id(identifier text) returns uuid
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  found uuid;
begin
  select u.id into found from auth.users u where u.raw_user_meta_data ->> 'test_identifier' = identifier;
  if found is null then
    raise exception 'tests.get_user_id: no test user "%"; create it with tests.create_user', identifier;
  end if;
  return found;
end;
$$;

-- The claims GoTrue puts in a user's access token. Definer, for the same reason as get_user_id.
create or replace function tests.user_claims(identifier text) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  u auth.users;
begin
  select * into u from auth.users where id = tests.get_user_id(identifier);
  return jsonb_build_object(
    'sub', u.id::text, 'role', 'authenticated', 'aud', 'authenticated',
    'email', coalesce(u.email, ''), 'phone', coalesce(u.phone, ''),
    'app_metadata', coalesce(u.raw_app_meta_data, '{}'), 'user_metadata', coalesce(u.raw_user_meta_data, '{}'),
    'aal', 'aal1', 'amr', jsonb_build_array(jsonb_build_object('method', 'password', 'timestamp', extract(epoch from now())::bigint)),
    'session_id', gen_random_uuid()::text, 'is_anonymous', false,
    'iat', extract(epoch from now())::bigint, 'exp', extract(epoch from now())::bigint + 3600
  );
end;
$$;

-- Acts as the given test user: role `authenticated` and that user's claims. Invoker: a
-- definer function may not switch roles.
create or replace function tests.authenticate_as(identifier text) returns void
language plpgsql
set search_path = ''
as $$
declare
  claims jsonb := tests.user_claims(identifier);
begin
  perform set_config('role', 'authenticated', true);
  perform set_config('request.jwt.claim.sub', '', true);
  perform set_config('request.jwt.claims', claims::text, true);
end;
$$;

-- A request with no JWT: PostgREST still sets claims, with the role injected.
create or replace function tests.authenticate_as_anon() returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('role', 'anon', true);
  perform set_config('request.jwt.claim.sub', '', true);
  perform set_config('request.jwt.claims', '{"role": "anon"}', true);
end;
$$;

create or replace function tests.authenticate_as_service_role() returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('role', 'service_role', true);
  perform set_config('request.jwt.claim.sub', '', true);
  perform set_config('request.jwt.claims', '{"role": "service_role"}', true);
end;
$$;

-- Back to the session user (postgres), with no claims.
create or replace function tests.clear_authentication() returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('role', 'none', true);
  perform set_config('request.jwt.claim.sub', '', true);
  perform set_config('request.jwt.claims', '', true);
end;
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

begin;
select plan(10);

select tests.create_user('alice');
select tests.create_user('bob', 'Bob@Example.com');
select tests.create_user('carol');

select is((select email from auth.users where id = tests.get_user_id('bob')), 'bob@example.com', 'create_user stores the email lower-cased');
select is((select count(*)::int from auth.identities where user_id = tests.get_user_id('alice') and provider = 'email'), 1, 'create_user adds the email identity GoTrue expects');
select throws_ok($$ select tests.get_user_id('nobody') $$, 'P0001', null, 'get_user_id refuses an unknown identifier');

select tests.authenticate_as('alice');
select is(current_user::text, 'authenticated', 'authenticate_as switches to role authenticated');
select is(auth.uid(), tests.get_user_id('alice'), 'authenticate_as sets the claims auth.uid() reads');

select tests.authenticate_as('carol');
select is(auth.uid(), tests.get_user_id('carol'), 'authenticate_as switches from one user to another');

select tests.authenticate_as_anon();
select ok(current_user = 'anon' and auth.uid() is null, 'authenticate_as_anon: role anon, no user');

select tests.authenticate_as_service_role();
select is(auth.role(), 'service_role', 'authenticate_as_service_role sets the service_role claim');

select tests.clear_authentication();
select is(current_user::text, 'postgres', 'clear_authentication returns to the session user');
select ok(auth.jwt() is null, 'clear_authentication removes the claims');

select * from finish();
rollback;
