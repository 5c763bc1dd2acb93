-- The sender hands back claimed e-mails it did not try (issue 10, item 1): when Resend answers
-- 429 or fails mid-batch, the rest of the batch is not sent, and should not lose an attempt for
-- it (claim_email_outbox counted one). They go back to queued, their attempt uncounted, due again
-- in a minute.
create function public.release_email_outbox(p_ids bigint[])
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_count integer;
begin
  if not private.is_service_role() then
    raise exception using errcode = '42501', message = 'only the e-mail sender (service role) releases outbox e-mails';
  end if;
  perform private.check_bulk_ids(p_ids);
  update public.email_outbox o
     set status = 'queued', attempts = greatest(o.attempts - 1, 0), next_attempt_at = private.clock() + interval '1 minute'
   where o.id = any (p_ids) and o.status = 'sending';
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function public.release_email_outbox(bigint[]) is
  'The sender gives back 1 to 100 claimed e-mails it did not try (the provider was rate limiting or failing): queued again in a minute, the claim''s attempt not counted. Rows not sending are ignored. Returns how many were released. Service role only. Errors: 42501, 22023.';
revoke execute on function public.release_email_outbox(bigint[]) from public, anon, authenticated;
grant execute on function public.release_email_outbox(bigint[]) to service_role;
