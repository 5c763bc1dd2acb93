-- claim_email_outbox claimed more than p_limit e-mails now and then: it updated
-- `where id in (select … limit p_limit for update skip locked)`, and PostgreSQL may rescan
-- such a subquery (a nested-loop semi-join), each rescan skipping the rows the earlier one
-- locked and so taking the next ones. A materialized CTE runs the pick exactly once.
create or replace function public.claim_email_outbox(p_limit integer default 20)
returns setof public.email_outbox
language plpgsql
volatile
set search_path = ''
as $$
begin
  if not private.is_service_role() then
    raise exception using errcode = '42501', message = 'only the e-mail sender (service role) claims outbox e-mails';
  end if;
  if p_limit is null or p_limit not between 1 and 100 then
    raise exception using errcode = '22023', message = 'p_limit must be between 1 and 100';
  end if;
  return query
  with picked as materialized (
    select c.id from public.email_outbox c
    where c.status in ('queued', 'sending') and c.next_attempt_at <= private.clock() and c.attempts < c.max_attempts
    order by c.next_attempt_at, c.id
    limit p_limit
    for update skip locked
  )
  update public.email_outbox o
     set status = 'sending', attempts = o.attempts + 1,
         -- a claim left unanswered for 10 minutes is claimable again
         next_attempt_at = private.clock() + interval '10 minutes'
    from picked
   where o.id = picked.id
  returning o.*;
end;
$$;
comment on function public.claim_email_outbox(integer) is
  'The sender claims up to p_limit due e-mails (status sending, attempts + 1; reclaimable after 10 minutes without an answer) and gets them back. Service role only. Errors: 42501, 22023.';
