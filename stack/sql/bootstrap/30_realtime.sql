-- stack/sql/bootstrap/30_realtime.sql
--
-- Platform bootstrap, step 30: the `realtime` schema in the state the Realtime
-- server's tenant migrations leave it (supabase/realtime migrations up to
-- 20260709120000; platform contract §6) and its grants (§1.3).
--
-- NOT a migration; applied as `supabase_admin` with --single-transaction.
-- Schema owned by supabase_admin, objects by supabase_realtime_admin.
--
-- [LOCAL] realtime.messages gets a DEFAULT partition instead of the daily
-- partitions the Realtime server maintains, so inserts (realtime.send,
-- broadcast_changes, the authorization probes) never fail locally.
-- Left out: apply_rls, list_changes, check_equality_op, is_visible_through_filters,
-- build_prepared_statement_sql, quote_wal2json (the postgres_changes WAL
-- pipeline of the Realtime server).

set check_function_bodies = on;
set client_min_messages = warning;

create schema realtime authorization supabase_admin;
comment on schema realtime is 'Supabase Realtime: broadcast messages and postgres_changes subscriptions. Managed by Supabase.';

grant all on schema realtime to supabase_realtime_admin with grant option;
grant usage on schema realtime to postgres with grant option;
grant usage on schema realtime to anon, authenticated, service_role;
grant usage on schema realtime to dashboard_user;

set local role supabase_realtime_admin;
set local search_path = '';

-- ---------------------------------------------------------------------------
-- Types
-- ---------------------------------------------------------------------------

create type realtime.equality_op as enum (
  'eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in',
  'like', 'ilike', 'is', 'match', 'imatch', 'isdistinct'
);
create type realtime.action as enum ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'ERROR');
create type realtime.user_defined_filter as (
  column_name text,
  op realtime.equality_op,
  value text
);
create type realtime.wal_column as (
  name text,
  type_name text,
  type_oid oid,
  value jsonb,
  is_pkey boolean,
  is_selectable boolean
);
create type realtime.wal_rls as (
  wal jsonb,
  is_rls_enabled boolean,
  subscription_ids uuid[],
  errors text[]
);

-- ---------------------------------------------------------------------------
-- Ecto bookkeeping of the Realtime server (off limits to everyone)
-- ---------------------------------------------------------------------------

create table realtime.schema_migrations (
  version bigint not null,
  inserted_at timestamp(0),
  constraint schema_migrations_pkey primary key (version)
);
comment on table realtime.schema_migrations is 'Realtime: migrations applied by the Realtime server (empty locally).';

-- ---------------------------------------------------------------------------
-- Broadcast / Presence messages (§6.1)
-- ---------------------------------------------------------------------------

create table realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp not null default now(),
  inserted_at timestamp not null default now(),
  id uuid not null default gen_random_uuid(),
  binary_payload bytea,
  constraint messages_pkey primary key (id, inserted_at),
  constraint messages_payload_exclusive check (payload is null or binary_payload is null)
) partition by range (inserted_at);
comment on table realtime.messages is
  'Realtime: broadcast/presence messages; RLS policies here authorize private channels (realtime.topic()).';

create index messages_inserted_at_topic_index on realtime.messages (inserted_at desc, topic)
  where (extension = 'broadcast' and private is true);

-- [LOCAL] catch-all partition (hosted: daily messages_YYYY_MM_DD partitions).
create table realtime.messages_default partition of realtime.messages default;
comment on table realtime.messages_default is
  '[LOCAL] catch-all partition of realtime.messages; hosted uses daily partitions.';

alter table realtime.messages enable row level security;

-- ---------------------------------------------------------------------------
-- postgres_changes subscriptions (§6.4)
-- ---------------------------------------------------------------------------

create function realtime.to_regrole(role_name text)
returns regrole
language sql
immutable
set search_path = ''
as $$ select role_name::regrole $$;
comment on function realtime.to_regrole(text) is 'Casts a role name to regrole (usable in a generated column).';

create function realtime."cast"(val text, type_ regtype)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  res jsonb;
begin
  if type_::text = 'bytea' then
    return pg_catalog.to_jsonb(val);
  end if;
  execute pg_catalog.format('select pg_catalog.to_jsonb(%L::' || type_::text || ')', val) into res;
  return res;
end
$$;
comment on function realtime."cast"(text, regtype) is 'Casts a text value to the given type and returns it as jsonb.';

create table realtime.subscription (
  id bigint generated always as identity,
  subscription_id uuid not null,
  entity regclass not null,
  filters realtime.user_defined_filter[] not null default '{}',
  claims jsonb not null,
  claims_role regrole not null generated always as (realtime.to_regrole(claims ->> 'role')) stored,
  created_at timestamp not null default timezone('utc', now()),
  action_filter text default '*',
  selected_columns text[] default null,
  constraint pk_subscription primary key (id),
  constraint subscription_action_filter_check
    check (action_filter = any (array['*'::text, 'INSERT'::text, 'UPDATE'::text, 'DELETE'::text]))
);
comment on table realtime.subscription is 'Realtime: postgres_changes subscriptions with the subscriber''s JWT claims.';
create index ix_realtime_subscription_entity on realtime.subscription (entity);
create unique index subscription_subscription_id_entity_filters_action_filter_selected_columns_key
  on realtime.subscription (subscription_id, entity, filters, action_filter, coalesce(selected_columns, '{}'));

create function realtime.subscription_check_filters()
returns trigger
language plpgsql
set search_path = ''
as $$
/*
  Validates the user defined filters of a subscription: they must name
  columns the claimed role may select, with values castable to the column
  type. Filters and selected columns are stored in a canonical order.
*/
declare
  col_names text[] = coalesce(pg_catalog.array_agg(a.attname::text order by a.attnum), '{}'::text[])
    from pg_catalog.pg_attribute a
    where a.attrelid = new.entity
      and a.attnum > 0
      and not a.attisdropped
      and pg_catalog.has_column_privilege((new.claims ->> 'role'), a.attrelid, a.attnum, 'SELECT');
  filter realtime.user_defined_filter;
  col_type regtype;
  in_val jsonb;
  selected_col text;
begin
  for filter in select * from pg_catalog.unnest(new.filters) loop
    if not filter.column_name = any(col_names) then
      raise exception 'invalid column for filter %', filter.column_name;
    end if;

    col_type = (
      select a.atttypid::regtype
      from pg_catalog.pg_attribute a
      where a.attrelid = new.entity and a.attname = filter.column_name
    );
    if col_type is null then
      raise exception 'failed to lookup type for column %', filter.column_name;
    end if;

    if filter.op = 'in'::realtime.equality_op then
      in_val = realtime."cast"(filter.value, (col_type::text || '[]')::regtype);
      if coalesce(pg_catalog.jsonb_array_length(in_val), 0) > 100 then
        raise exception 'too many values for `in` filter. Maximum 100';
      end if;
    else
      perform realtime."cast"(filter.value, col_type);
    end if;
  end loop;

  if new.selected_columns is not null then
    for selected_col in select * from pg_catalog.unnest(new.selected_columns) loop
      if not selected_col = any(col_names) then
        raise exception 'invalid column for select %', selected_col;
      end if;
    end loop;
  end if;

  new.filters = coalesce(pg_catalog.array_agg(f order by f.column_name, f.op, f.value), '{}')
    from pg_catalog.unnest(new.filters) f;
  new.selected_columns = (select pg_catalog.array_agg(c order by c) from pg_catalog.unnest(new.selected_columns) c);
  return new;
end;
$$;
comment on function realtime.subscription_check_filters() is
  'Trigger: validates and normalizes the filters of a realtime.subscription row.';

create trigger tr_check_filters
  before insert or update on realtime.subscription
  for each row execute function realtime.subscription_check_filters();

-- ---------------------------------------------------------------------------
-- Functions applications call (§6.2)
-- ---------------------------------------------------------------------------

create function realtime.topic()
returns text
language sql
stable
set search_path = ''
as $$ select nullif(pg_catalog.current_setting('realtime.topic', true), '')::text $$;
comment on function realtime.topic() is
  'Topic of the channel being authorized; use it in policies on realtime.messages.';

create function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void
language plpgsql
set search_path = ''
as $$
declare
  generated_id uuid;
  final_payload jsonb;
begin
  begin
    generated_id := pg_catalog.gen_random_uuid();
    -- payload.id is added when absent
    if payload ? 'id' then
      final_payload := payload;
    else
      final_payload := pg_catalog.jsonb_set(payload, '{id}', pg_catalog.to_jsonb(generated_id));
    end if;

    execute pg_catalog.format('set local realtime.topic to %L', topic);

    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (generated_id, final_payload, event, topic, private, 'broadcast');
  exception
    when others then
      -- never fails the caller: the error is only reported
      raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
  end;
end;
$$;
comment on function realtime.send(jsonb, text, text, boolean) is
  'Broadcasts payload as event on topic (private channel by default). Errors become a WARNING.';

create function realtime.send_binary(payload bytea, event text, topic text, private boolean default true)
returns void
language plpgsql
set search_path = ''
as $$
declare
  generated_id uuid;
begin
  begin
    generated_id := pg_catalog.gen_random_uuid();
    execute pg_catalog.format('set local realtime.topic to %L', topic);
    insert into realtime.messages (id, binary_payload, event, topic, private, extension)
    values (generated_id, payload, event, topic, private, 'broadcast');
  exception
    when others then
      raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
  end;
end;
$$;
comment on function realtime.send_binary(bytea, text, text, boolean) is
  'Broadcasts a binary payload as event on topic. Errors become a WARNING.';

create function realtime.broadcast_changes(
  topic_name text,
  event_name text,
  operation text,
  table_name text,
  table_schema text,
  new record,
  old record,
  level text default 'ROW'
)
returns void
language plpgsql
set search_path = ''
as $$
declare
  row_data jsonb := '{}'::jsonb;
begin
  if level = 'STATEMENT' then
    raise exception 'function can only be triggered for each row, not for each statement';
  end if;
  if operation = 'INSERT' or operation = 'UPDATE' or operation = 'DELETE' then
    row_data := pg_catalog.jsonb_build_object(
      'old_record', old,
      'record', new,
      'operation', operation,
      'table', table_name,
      'schema', table_schema);
    perform realtime.send(row_data, event_name, topic_name);
  else
    raise exception 'Unexpected operation type: %', operation;
  end if;
exception
  when others then
    raise exception 'Failed to process the row: %', sqlerrm;
end;
$$;
comment on function realtime.broadcast_changes(text, text, text, text, text, record, record, text) is
  'For row triggers: broadcasts {record, old_record, operation, table, schema} to topic_name (private).';

reset role;

-- ---------------------------------------------------------------------------
-- Grants
-- ---------------------------------------------------------------------------

grant all on table realtime.messages, realtime.subscription to postgres, dashboard_user;
grant select, insert, update on table realtime.messages to anon, authenticated, service_role;
grant select on table realtime.subscription to anon, authenticated, service_role;
grant usage on all sequences in schema realtime to postgres, anon, authenticated, service_role;
grant execute on all functions in schema realtime to postgres, anon, authenticated, service_role;
revoke all on table realtime.schema_migrations
  from postgres, dashboard_user, anon, authenticated, service_role;
