-- stack/sql/bootstrap/50_vault.sql
--
-- Platform bootstrap, step 50: [LOCAL] emulation of Supabase Vault
-- (supabase_vault 0.3.x, schema `vault`; platform contract §8.2). The real
-- extension needs libsodium and a server-side root key; here the same
-- table, view, functions and grants use pgcrypto (AES-256-CBC with the row's
-- nonce as IV, plus an HMAC-SHA256 tag over ciphertext and row id, so a
-- secret copied to another row no longer decrypts). The root key is random
-- per database and lives in vault._local_root_key, readable by superusers only.
--
-- NOT a migration; applied as `supabase_admin` with --single-transaction.
-- Registered in pg_extension as `supabase_vault` so that
-- `create extension if not exists supabase_vault ...` is a no-op.

set check_function_bodies = on;
set client_min_messages = warning;

create schema vault authorization supabase_admin;
comment on schema vault is 'Supabase Vault: encrypted secrets ([LOCAL] pgcrypto emulation).';

set local search_path = '';

-- [LOCAL] root key: superuser only (no grants at all).
create table vault._local_root_key (
  id boolean primary key default true check (id),
  key bytea not null
);
comment on table vault._local_root_key is '[LOCAL] Vault root key (stands in for the server key file of supabase_vault).';
insert into vault._local_root_key (key) values (extensions.gen_random_bytes(64));

-- ---------------------------------------------------------------------------
-- Crypto primitives (C functions in supabase_vault; same signatures)
-- ---------------------------------------------------------------------------

create function vault._crypto_aead_det_noncegen()
returns bytea
language sql
volatile
set search_path = ''
as $$ select extensions.gen_random_bytes(16) $$;
comment on function vault._crypto_aead_det_noncegen() is 'Random 16-byte nonce for a secret.';

create function vault._crypto_aead_det_encrypt(
  message bytea,
  additional bytea,
  key_id bigint,
  context bytea default 'pgsodium'::bytea,
  nonce bytea default null
)
returns bytea
language plpgsql
immutable
security definer
set search_path = ''
as $$
declare
  root bytea := (select k.key from vault._local_root_key k);
  enc_key bytea := extensions.hmac(pg_catalog.substr(root, 1, 32), coalesce(context, ''::bytea) || pg_catalog.int8send(coalesce(key_id, 0)), 'sha256');
  mac_key bytea := pg_catalog.substr(root, 33, 32);
  iv bytea := coalesce(nonce, pg_catalog.decode(pg_catalog.repeat('00', 16), 'hex'));
  cipher bytea;
begin
  if message is null then
    return null;
  end if;
  cipher := extensions.encrypt_iv(message, enc_key, iv, 'aes-cbc/pad:pkcs');
  return extensions.hmac(cipher || coalesce(additional, ''::bytea), mac_key, 'sha256') || cipher;
end
$$;
comment on function vault._crypto_aead_det_encrypt(bytea, bytea, bigint, bytea, bytea) is
  '[LOCAL] Deterministic authenticated encryption with the vault root key.';

create function vault._crypto_aead_det_decrypt(
  message bytea,
  additional bytea,
  key_id bigint,
  context bytea default 'pgsodium'::bytea,
  nonce bytea default null
)
returns bytea
language plpgsql
immutable
security definer
set search_path = ''
as $$
declare
  root bytea := (select k.key from vault._local_root_key k);
  enc_key bytea := extensions.hmac(pg_catalog.substr(root, 1, 32), coalesce(context, ''::bytea) || pg_catalog.int8send(coalesce(key_id, 0)), 'sha256');
  mac_key bytea := pg_catalog.substr(root, 33, 32);
  iv bytea := coalesce(nonce, pg_catalog.decode(pg_catalog.repeat('00', 16), 'hex'));
  tag bytea;
  cipher bytea;
begin
  if message is null then
    return null;
  end if;
  tag := pg_catalog.substr(message, 1, 32);
  cipher := pg_catalog.substr(message, 33);
  if pg_catalog.length(message) < 48
     or extensions.hmac(cipher || coalesce(additional, ''::bytea), mac_key, 'sha256') <> tag then
    raise exception 'pgsodium_crypto_aead_det_decrypt_by_id: invalid ciphertext' using errcode = '22000';
  end if;
  return extensions.decrypt_iv(cipher, enc_key, iv, 'aes-cbc/pad:pkcs');
end
$$;
comment on function vault._crypto_aead_det_decrypt(bytea, bytea, bigint, bytea, bytea) is
  '[LOCAL] Verifies and decrypts what _crypto_aead_det_encrypt produced.';

-- ---------------------------------------------------------------------------
-- Secrets
-- ---------------------------------------------------------------------------

create table vault.secrets (
  id uuid not null default gen_random_uuid(),
  name text,
  description text not null default '',
  secret text not null,
  key_id uuid,
  nonce bytea default vault._crypto_aead_det_noncegen(),
  created_at timestamptz not null default current_timestamp,
  updated_at timestamptz not null default current_timestamp,
  constraint secrets_pkey primary key (id)
);
comment on table vault.secrets is 'Table with encrypted `secret` column for storing sensitive information on disk.';
create unique index secrets_name_idx on vault.secrets (name) where name is not null;

create view vault.decrypted_secrets as
select
  s.id,
  s.name,
  s.description,
  s.secret,
  pg_catalog.convert_from(
    vault._crypto_aead_det_decrypt(
      message := pg_catalog.decode(s.secret, 'base64'),
      additional := pg_catalog.convert_to(s.id::text, 'utf8'),
      key_id := 0,
      context := 'pgsodium'::bytea,
      nonce := s.nonce
    ),
    'utf8'
  ) as decrypted_secret,
  s.key_id,
  s.nonce,
  s.created_at,
  s.updated_at
from vault.secrets s;
comment on view vault.decrypted_secrets is 'vault.secrets with the plaintext in decrypted_secret.';

create function vault.create_secret(
  new_secret text,
  new_name text default null,
  new_description text default '',
  new_key_id uuid default null
)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  rec record;
begin
  insert into vault.secrets (secret, name, description)
  values (new_secret, new_name, new_description)
  returning * into rec;

  update vault.secrets s
  set secret = pg_catalog.encode(vault._crypto_aead_det_encrypt(
    message := pg_catalog.convert_to(rec.secret, 'utf8'),
    additional := pg_catalog.convert_to(s.id::text, 'utf8'),
    key_id := 0,
    context := 'pgsodium'::bytea,
    nonce := rec.nonce
  ), 'base64')
  where s.id = rec.id;

  return rec.id;
end
$$;
comment on function vault.create_secret(text, text, text, uuid) is
  'Stores an encrypted secret and returns its id (new_key_id is ignored).';

create function vault.update_secret(
  secret_id uuid,
  new_secret text default null,
  new_name text default null,
  new_description text default null,
  new_key_id uuid default null
)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  update vault.secrets s
  set
    secret = case when new_secret is null then s.secret
                  else pg_catalog.encode(vault._crypto_aead_det_encrypt(
                    message := pg_catalog.convert_to(new_secret, 'utf8'),
                    additional := pg_catalog.convert_to(s.id::text, 'utf8'),
                    key_id := 0,
                    context := 'pgsodium'::bytea,
                    nonce := s.nonce
                  ), 'base64') end,
    name = coalesce(new_name, s.name),
    description = coalesce(new_description, s.description),
    updated_at = pg_catalog.now()
  where s.id = secret_id;
end
$$;
comment on function vault.update_secret(uuid, text, text, text, uuid) is
  'Replaces the value, name and/or description of a secret (null keeps the old value).';

-- ---------------------------------------------------------------------------
-- Grants (supabase/postgres supabase_vault after-create script)
-- ---------------------------------------------------------------------------

revoke all on function
  vault._crypto_aead_det_encrypt(bytea, bytea, bigint, bytea, bytea),
  vault._crypto_aead_det_decrypt(bytea, bytea, bigint, bytea, bytea),
  vault._crypto_aead_det_noncegen(),
  vault.create_secret(text, text, text, uuid),
  vault.update_secret(uuid, text, text, text, uuid)
from public;
revoke all on table vault._local_root_key from public;

grant usage on schema vault to postgres with grant option;
grant select, delete on vault.secrets, vault.decrypted_secrets to postgres with grant option;
grant execute on function
  vault.create_secret(text, text, text, uuid),
  vault.update_secret(uuid, text, text, text, uuid),
  vault._crypto_aead_det_decrypt(bytea, bytea, bigint, bytea, bytea)
to postgres with grant option;

grant usage on schema vault to service_role;
grant select, delete on vault.secrets, vault.decrypted_secrets to service_role;
grant execute on function
  vault.create_secret(text, text, text, uuid),
  vault.update_secret(uuid, text, text, text, uuid),
  vault._crypto_aead_det_decrypt(bytea, bytea, bigint, bytea, bytea)
to service_role;

-- ---------------------------------------------------------------------------
-- [LOCAL] Register as extension `supabase_vault` (objects become members;
-- vault.secrets is a configuration table, as pg_extension_config_dump does).
-- ---------------------------------------------------------------------------

do $register$
declare
  ext_oid oid := (select pg_catalog.max(e.oid::bigint) + 1 from pg_catalog.pg_extension e)::oid;
begin
  insert into pg_catalog.pg_extension
    (oid, extname, extowner, extnamespace, extrelocatable, extversion, extconfig, extcondition)
  values
    (ext_oid, 'supabase_vault', 'supabase_admin'::regrole, 'vault'::regnamespace, false, '0.3.1',
     array['vault.secrets'::regclass::oid], array['']);

  insert into pg_catalog.pg_depend (classid, objid, objsubid, refclassid, refobjid, refobjsubid, deptype)
  select o.classid, o.objid, 0, 'pg_catalog.pg_extension'::regclass, ext_oid, 0, 'e'
  from (
    select 'pg_catalog.pg_proc'::regclass as classid, p.oid as objid
    from pg_catalog.pg_proc p where p.pronamespace = 'vault'::regnamespace
    union all
    select 'pg_catalog.pg_class'::regclass, c.oid
    from pg_catalog.pg_class c where c.relnamespace = 'vault'::regnamespace and c.relkind in ('r', 'v')
  ) o;
end
$register$;
comment on extension supabase_vault is 'Supabase Vault Extension ([LOCAL] pgcrypto emulation)';
