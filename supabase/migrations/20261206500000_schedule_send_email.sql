-- The e-mail sender's schedule (issue 10, item 1): pg_cron job `ascend-send-email`, every minute,
-- posts to the send-email edge function with net.http_post when the outbox has something due.
-- The function claims, sends through Resend and completes each row (claim_email_outbox,
-- complete_email_outbox); this job only wakes it up.
--
-- Where to post, and with which key, comes from two Vault secrets, the way Supabase documents
-- scheduling edge functions:
--   project_url       https://<project ref>.supabase.co (locally the gateway, e.g. http://127.0.0.1:54321)
--   service_role_key  the project's service_role key (the function accepts only that role)
-- A hosted project creates them once (README, "send-email"):
--   select vault.create_secret('https://<ref>.supabase.co', 'project_url');
--   select vault.create_secret('<service_role key>', 'service_role_key');
-- The local stack writes its own values whenever its gateway starts. Without them the job does
-- nothing but say so (a warning in the job's run log).

-- Calls an edge function from the database (after commit, by pg_net): POST <project_url>/functions/v1/<name>.
create function private.invoke_edge_function(p_name text, p_body jsonb default '{}'::jsonb, p_timeout_ms integer default 60000)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_url text := (select d.decrypted_secret from vault.decrypted_secrets d where d.name = 'project_url');
  v_key text := (select d.decrypted_secret from vault.decrypted_secrets d where d.name = 'service_role_key');
begin
  if p_name is null or p_name !~ '^[a-z0-9][a-z0-9_-]*$' then
    raise exception using errcode = '22023', message = format('invalid edge function name %L', p_name);
  end if;
  if v_url is null or v_key is null then
    raise warning 'cannot call edge function %: set the Vault secrets project_url and service_role_key (README, "send-email")', p_name;
    return null;
  end if;
  return net.http_post(
    url := rtrim(v_url, '/') || '/functions/v1/' || p_name,
    body := coalesce(p_body, '{}'::jsonb),
    headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || v_key),
    timeout_milliseconds := p_timeout_ms);
end;
$$;
comment on function private.invoke_edge_function(text, jsonb, integer) is
  'POSTs p_body to the edge function p_name with the service role key (net.http_post, sent after commit), from the Vault secrets project_url and service_role_key; returns the pg_net request id, or null (with a warning) when the secrets are missing.';

-- The job: wake the sender when an e-mail is due; give up on claims that never came back.
create function private.send_queued_emails()
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock();
begin
  -- A row claimed on its last attempt whose sender never answered (crashed, timed out) can be
  -- claimed no more: it fails, saying it may or may not have gone out.
  update public.email_outbox o
     set status = 'failed',
         last_error = left(coalesce(o.last_error || '; ', '') || 'the sender did not report its last attempt (it may have been sent)', 2000)
   where o.status = 'sending' and o.attempts >= o.max_attempts and o.next_attempt_at <= v_now;
  if not exists (
    select 1 from public.email_outbox o
    where o.status in ('queued', 'sending') and o.next_attempt_at <= v_now and o.attempts < o.max_attempts
  ) then
    return null;
  end if;
  return private.invoke_edge_function('send-email', '{}'::jsonb, 60000);
end;
$$;
comment on function private.send_queued_emails() is
  'Job ascend-send-email (every minute): when the outbox has a due e-mail, calls the send-email edge function (private.invoke_edge_function); fails rows whose last claimed attempt was never reported. Returns the pg_net request id, or null when nothing was due.';

revoke execute on function private.invoke_edge_function(text, jsonb, integer) from public, anon, authenticated;
revoke execute on function private.send_queued_emails() from public, anon, authenticated;

select cron.schedule('ascend-send-email', '* * * * *', 'select private.send_queued_emails()');
