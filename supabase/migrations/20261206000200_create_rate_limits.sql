-- Per-user rate limits for quiz actions, enforced in the database so that they hold behind
-- hosted PostgREST exactly as behind the local stack (seed 000's limits: quiz start 30 per minute,
-- quiz submission 10 per minute, per user).
--
-- Fixed windows: a counter per (user, action, window start). A call over the limit raises
-- SQLSTATE PT429, which PostgREST (hosted and local) answers as HTTP 429 with its usual body
-- {code: "PT429", message, details, hint}. The refused call's transaction rolls back, so only
-- calls that went through are counted. Calls without a signed-in user (service role, jobs) are
-- not limited here.

create table private.rate_limit_rules (
  action text primary key,
  max_calls integer not null,
  per_seconds integer not null,
  constraint rate_limit_rules_max_calls_positive check (max_calls > 0),
  constraint rate_limit_rules_per_seconds_range check (per_seconds between 1 and 86400)
);
comment on table private.rate_limit_rules is
  'Per-user limits of RPCs: at most max_calls calls of action per fixed window of per_seconds seconds.';

insert into private.rate_limit_rules (action, max_calls, per_seconds) values
  ('start_quiz', 30, 60),
  ('submit_quiz', 10, 60);

create table private.rate_limit_counters (
  user_id uuid not null references public.profiles (id) on delete cascade,
  action text not null references private.rate_limit_rules (action) on delete cascade,
  window_start timestamptz not null,
  calls integer not null,
  primary key (user_id, action, window_start)
);
comment on table private.rate_limit_counters is 'Calls per user, action and window (windows older than an hour are purged as new ones open).';
create index rate_limit_counters_action_idx on private.rate_limit_counters (action);

-- Not exposed and granted to no API role; RLS with no policy as well, so a stray grant still shows nothing.
alter table private.rate_limit_rules enable row level security;
alter table private.rate_limit_counters enable row level security;

create function private.enforce_rate_limit(p_action text)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_now timestamptz := private.clock();
  v_rule private.rate_limit_rules;
  v_window timestamptz;
  v_calls integer;
begin
  if v_uid is null then
    return;
  end if;
  select * into v_rule from private.rate_limit_rules r where r.action = p_action;
  if not found then
    return;
  end if;
  v_window := to_timestamp(floor(extract(epoch from v_now) / v_rule.per_seconds) * v_rule.per_seconds);
  insert into private.rate_limit_counters as c (user_id, action, window_start, calls)
  values (v_uid, p_action, v_window, 1)
  on conflict (user_id, action, window_start) do update set calls = c.calls + 1
  returning c.calls into v_calls;
  if v_calls = 1 then
    delete from private.rate_limit_counters c
    where c.user_id = v_uid and c.action = p_action and c.window_start < v_window - interval '1 hour';
  end if;
  if v_calls > v_rule.max_calls then
    raise exception using
      errcode = 'PT429',
      message = format('rate limit exceeded: at most %s %s calls per %s seconds', v_rule.max_calls, p_action, v_rule.per_seconds),
      detail = format('limit %s per %s s; window started at %s', v_rule.max_calls, v_rule.per_seconds, v_window),
      hint = format('try again in %s seconds',
                    greatest(1, ceil(extract(epoch from v_window + make_interval(secs => v_rule.per_seconds) - v_now)))::integer);
  end if;
end;
$$;
comment on function private.enforce_rate_limit(text) is
  'Counts a call of the action for the signed-in user in the current fixed window and raises PT429 (HTTP 429) beyond the rule''s limit; no-op without a user or a rule.';

revoke execute on all functions in schema private from public;
