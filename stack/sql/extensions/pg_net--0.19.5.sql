-- stack/sql/extensions/pg_net--0.19.5.sql
--
-- [LOCAL] emulation of pg_net (schema `net`, supabase/pg_net 0.19; platform
-- contract §7.1), installed by `create extension pg_net` like the real one.
-- pg_net is not packaged for Debian, so this is plain SQL with the same
-- signatures, tables and grants. Runs as the bootstrap superuser
-- (supabase_admin) because the control file marks it trusted.
--
-- Delivery contract for the local stack's HTTP worker (what the pg_net
-- background worker does on hosted):
--   * net.http_get/http_post/http_delete only INSERT into net.http_request_queue
--     and `pg_notify('pg_net', 'wake')`. NOTIFY is delivered at COMMIT, so a
--     rolled-back transaction neither queues nor wakes anything.
--   * The worker LISTENs on channel `pg_net`, connects with
--     application_name = 'pg_net_worker' (net.check_worker_is_up() looks for
--     it), takes rows with `delete from net.http_request_queue ... returning *`
--     (batch size: setting pg_net.batch_size, default 200), performs the
--     request with timeout_milliseconds, and inserts one row per request into
--     net._http_response (id = request id; timed_out / error_msg on failure).
--   * Rows of net._http_response older than pg_net.ttl (default 6 hours) are
--     deleted by the worker.

\echo Use "CREATE EXTENSION pg_net" to load this file. \quit

create schema net;
comment on schema net is 'pg_net: asynchronous HTTP requests from SQL ([LOCAL] emulated).';

-- ---------------------------------------------------------------------------
-- Types and tables
-- ---------------------------------------------------------------------------

create domain net.http_method as text
  check (value ilike 'get' or value ilike 'post' or value ilike 'delete');

create type net.request_status as enum ('PENDING', 'SUCCESS', 'ERROR');

create type net.http_response as (
  status_code integer,
  headers jsonb,
  body text
);

create type net.http_response_result as (
  status net.request_status,
  message text,
  response net.http_response
);

create unlogged table net.http_request_queue (
  id bigserial,
  method net.http_method not null,
  url text not null,
  headers jsonb,
  body bytea,
  timeout_milliseconds integer not null
);
comment on table net.http_request_queue is
  'pg_net: requests waiting for the HTTP worker (sent after the queuing transaction commits).';

create unlogged table net._http_response (
  id bigint,
  status_code integer,
  content_type text,
  headers jsonb,
  content text,
  timed_out boolean,
  error_msg text,
  created timestamptz not null default now()
);
comment on table net._http_response is
  'pg_net: responses by request id; purged after pg_net.ttl (6 hours).';
create index _http_response_created_idx on net._http_response (created);

-- ---------------------------------------------------------------------------
-- Internal helpers (C functions in pg_net)
-- ---------------------------------------------------------------------------

create function net._urlencode_string(string varchar)
returns text
language sql
immutable
set search_path = ''
as $$
  -- percent-encodes every byte but the RFC 3986 unreserved characters (curl_easy_escape)
  select case when string is null then null else coalesce((
    select pg_catalog.string_agg(
             case
               when b.v between 48 and 57 or b.v between 65 and 90 or b.v between 97 and 122
                    or b.v in (45, 46, 95, 126)
               then pg_catalog.chr(b.v)
               else '%' || pg_catalog.upper(pg_catalog.lpad(pg_catalog.to_hex(b.v), 2, '0'))
             end, '' order by b.i)
    from (
      select i, pg_catalog.get_byte(pg_catalog.convert_to(string, 'UTF8'), i) as v
      from pg_catalog.generate_series(0, pg_catalog.octet_length(pg_catalog.convert_to(string, 'UTF8')) - 1) as i
    ) b
  ), '') end
$$;
comment on function net._urlencode_string(varchar) is 'pg_net internal: URL-encodes a string.';

create function net._encode_url_with_params_array(url text, params_array text[])
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  base text;
  fragment text := '';
  query text;
begin
  if url is null or params_array is null then
    return null;
  end if;
  if url !~* '^[a-z][a-z0-9+.-]*://[^/?#\s]+' then
    raise exception 'pg_net: invalid url "%"', url using errcode = '22023';
  end if;
  base := url;
  if pg_catalog.strpos(base, '#') > 0 then
    fragment := pg_catalog.substr(base, pg_catalog.strpos(base, '#'));
    base := pg_catalog.left(base, pg_catalog.strpos(base, '#') - 1);
  end if;
  -- curl normalizes a bare origin to end with a slash
  if base ~* '^[a-z][a-z0-9+.-]*://[^/?#]+$' then
    base := base || '/';
  end if;
  select pg_catalog.string_agg(p, '&' order by n)
  into query
  from pg_catalog.unnest(params_array) with ordinality as a(p, n)
  where p is not null;
  if query is null or query = '' then
    return base || fragment;
  end if;
  return base || case when pg_catalog.strpos(base, '?') > 0 then '&' else '?' end || query || fragment;
end
$$;
comment on function net._encode_url_with_params_array(text, text[]) is
  'pg_net internal: appends already encoded key=value parameters to a URL.';

create function net.wake()
returns void
language sql
set search_path = ''
as $$ select pg_catalog.pg_notify('pg_net', 'wake') $$;
comment on function net.wake() is 'Wakes the HTTP worker (delivered when the transaction commits).';

create function net.worker_restart()
returns boolean
language plpgsql
set search_path = ''
as $$
begin
  perform pg_catalog.pg_notify('pg_net', 'restart');
  return true;
end
$$;
comment on function net.worker_restart() is 'Asks the HTTP worker to restart.';

create function net.check_worker_is_up()
returns void
language plpgsql
set search_path = ''
as $$
begin
  if not exists (
    select 1 from pg_catalog.pg_stat_activity where application_name = 'pg_net_worker'
  ) then
    raise exception using
      message = 'the pg_net background worker is not up',
      detail  = 'the pg_net background worker is down due to an internal error and cannot process requests',
      hint    = 'make sure that you didn''t modify any of pg_net internal tables';
  end if;
end
$$;
comment on function net.check_worker_is_up() is
  'raises an exception if the pg_net background worker is not up, otherwise it doesn''t return anything';

create function net.wait_until_running()
returns void
language plpgsql
set search_path = ''
as $$
begin
  for i in 1..100 loop
    if exists (select 1 from pg_catalog.pg_stat_activity where application_name = 'pg_net_worker') then
      return;
    end if;
    perform pg_catalog.pg_sleep(0.05);
  end loop;
  perform net.check_worker_is_up();
end
$$;
comment on function net.wait_until_running() is 'waits until the worker is running';

create function net._await_response(request_id bigint)
returns boolean
language plpgsql
parallel unsafe
set search_path = ''
as $$
declare
  rec net._http_response;
begin
  while rec is null loop
    select * into rec from net._http_response where id = request_id;
    if rec is null then
      perform pg_catalog.pg_sleep(0.05);
    end if;
  end loop;
  return true;
end;
$$;
comment on function net._await_response(bigint) is 'pg_net internal: blocks until the response of a request arrives.';

-- ---------------------------------------------------------------------------
-- Public API
-- ---------------------------------------------------------------------------

-- [LOCAL] The one queueing step of http_get/http_post/http_delete: params appended to the URL,
-- a row in the queue, the worker woken (NOTIFY, delivered at commit).
create function net._enqueue(
  method net.http_method,
  url text,
  params jsonb,
  headers jsonb,
  body bytea,
  timeout_milliseconds integer
)
returns bigint
language plpgsql
parallel unsafe
set search_path = ''
as $$
declare
  request_id bigint;
  params_array text[];
begin
  select coalesce(pg_catalog.array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)), '{}')
  into params_array
  from pg_catalog.jsonb_each_text(params);

  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values (method, net._encode_url_with_params_array(url, params_array), headers, body, timeout_milliseconds)
  returning id into request_id;

  perform net.wake();
  return request_id;
end
$$;
comment on function net._enqueue(net.http_method, text, jsonb, jsonb, bytea, integer) is
  '[LOCAL] Queues one request for the delivery worker; shared by http_get, http_post and http_delete.';

create function net.http_get(
  url text,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{}'::jsonb,
  timeout_milliseconds integer default 5000
)
returns bigint
language plpgsql
parallel unsafe
set search_path = ''
as $$
begin
  return net._enqueue('GET', url, params, headers, null, timeout_milliseconds);
end
$$;
comment on function net.http_get(text, jsonb, jsonb, integer) is
  'Queues a GET request; it is sent after the transaction commits. Returns the request id.';

create function net.http_post(
  url text,
  body jsonb default '{}'::jsonb,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds integer default 5000
)
returns bigint
language plpgsql
parallel unsafe
set search_path = ''
as $$
declare
  content_type text;
begin
  select r.header_value
  into content_type
  from pg_catalog.jsonb_each_text(coalesce(headers, '{}'::jsonb)) as r(header_name, header_value)
  where pg_catalog.lower(r.header_name) = 'content-type'
  limit 1;

  -- headers without a content type get the JSON one
  if content_type is null then
    headers := headers || '{"Content-Type": "application/json"}'::jsonb;
  end if;

  if content_type <> 'application/json' then
    raise exception 'Content-Type header must be "application/json"';
  end if;

  return net._enqueue('POST', url, params, headers, pg_catalog.convert_to(body::text, 'UTF8'), timeout_milliseconds);
end
$$;
comment on function net.http_post(text, jsonb, jsonb, jsonb, integer) is
  'Queues a JSON POST request (Content-Type must be application/json); sent after commit. Returns the request id.';

create function net.http_delete(
  url text,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{}'::jsonb,
  timeout_milliseconds integer default 5000,
  body jsonb default null
)
returns bigint
language plpgsql
parallel unsafe
set search_path = ''
as $$
begin
  return net._enqueue('DELETE', url, params, headers, pg_catalog.convert_to(body::text, 'UTF8'), timeout_milliseconds);
end
$$;
comment on function net.http_delete(text, jsonb, jsonb, integer, jsonb) is
  'Queues a DELETE request; sent after the transaction commits. Returns the request id.';

create function net._http_collect_response(request_id bigint, async boolean default true)
returns net.http_response_result
language plpgsql
parallel unsafe
set search_path = ''
as $$
declare
  rec net._http_response;
begin
  if not async then
    perform net._await_response(request_id);
  end if;

  select * into rec from net._http_response where id = request_id;

  if rec is null or rec.error_msg is not null then
    -- still queued, unknown, or failed
    return (
      'ERROR',
      coalesce(rec.error_msg, 'request matching request_id not found'),
      null
    )::net.http_response_result;
  end if;

  return (
    'SUCCESS',
    'ok',
    (rec.status_code, rec.headers, rec.content)::net.http_response
  )::net.http_response_result;
end;
$$;
comment on function net._http_collect_response(bigint, boolean) is
  'Response of a request as net.http_response_result (ERROR while it is still pending).';

create function net.http_collect_response(request_id bigint, async boolean default true)
returns net.http_response_result
language plpgsql
parallel unsafe
set search_path = ''
as $$
begin
  raise notice 'The net.http_collect_response function is deprecated.';
  return net._http_collect_response(request_id, async);
end;
$$;
comment on function net.http_collect_response(bigint, boolean) is 'Deprecated: use net._http_collect_response.';

-- ---------------------------------------------------------------------------
-- Grants, as pg_net >= 0.12 and the platform's grant_pg_net_access() leave
-- them: everything usable by PUBLIC, the functions are SECURITY INVOKER.
-- ---------------------------------------------------------------------------

grant usage on schema net to public;
grant usage on schema net to supabase_functions_admin, postgres, anon, authenticated, service_role;
grant all on all sequences in schema net to public;
grant all on all tables in schema net to public;
grant execute on all functions in schema net to public;
grant all on function net.http_get(text, jsonb, jsonb, integer) to public;
grant all on function net.http_post(text, jsonb, jsonb, jsonb, integer) to public;

