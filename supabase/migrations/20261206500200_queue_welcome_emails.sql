-- Welcome e-mails (issue 10, item 1; seeds 000 and 003): one per account, queued in the outbox
-- when its e-mail address is confirmed, whichever way that happens: an account created confirmed
-- (admin API, autoconfirm, invitation) gets it with its profile; a sign-up that confirms later gets
-- it when email_confirmed_at is set. Idempotency key welcome:<user id>: never a second one, even
-- after an e-mail change. Anonymous accounts have no address and get none. Sent by send-email
-- (template welcome) after the learner's quiet hours, like every outbox e-mail.

create function private.queue_welcome_email(p_user uuid)
returns bigint
language sql
volatile
security definer
set search_path = ''
as $$
  select private.queue_email(
    'system', p.id, private.user_email(p.id), 'welcome',
    jsonb_build_object('display_name', p.display_name),
    'welcome:' || p.id::text)
  from public.profiles p
  where p.id = p_user
$$;
comment on function private.queue_welcome_email(uuid) is
  'Queues the welcome e-mail of an account with a confirmed address (once per account: key welcome:<user id>); nothing when unconfirmed. Returns the outbox id, or null.';

create function private.welcome_on_profile_created()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.queue_welcome_email(new.id);
  return null;
end;
$$;
comment on function private.welcome_on_profile_created() is
  'AFTER INSERT on profiles: an account whose address is already confirmed gets its welcome e-mail queued.';

create trigger profiles_queue_welcome_email
  after insert on public.profiles
  for each row execute function private.welcome_on_profile_created();

create function private.welcome_on_email_confirmed()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.queue_welcome_email(new.id);
  return null;
end;
$$;
comment on function private.welcome_on_email_confirmed() is
  'AFTER UPDATE OF email_confirmed_at on auth.users: a sign-up that has just confirmed its address gets its welcome e-mail queued.';

create trigger on_auth_user_email_confirmed
  after update of email_confirmed_at on auth.users
  for each row when (old.email_confirmed_at is null and new.email_confirmed_at is not null)
  execute function private.welcome_on_email_confirmed();

revoke execute on function private.queue_welcome_email(uuid) from public, anon, authenticated;
revoke execute on function private.welcome_on_profile_created() from public, anon, authenticated;
revoke execute on function private.welcome_on_email_confirmed() from public, anon, authenticated;
