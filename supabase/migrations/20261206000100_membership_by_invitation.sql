-- Membership by consent. Nobody becomes a member of an organisation without accepting: owners and
-- admins create invitations (to an e-mail address, or as a link carrying a secret token), with a
-- role and an expiry; the invitee accepts or declines; owners and admins may revoke a pending one.
-- organization_members rows are therefore only ever written by create_organization() (the
-- creator, as owner) and accept_invitation(): the old add_organization_member() path is gone and
-- no API role may insert memberships any more.
--
-- Staff (owner, admin, instructor) read a learner's attempts, answers, analytics and profile
-- through the membership helpers, which read organization_members: since a row exists only once
-- the learner accepted (and disappears when they leave), staff see a learner only while they are
-- an accepted member, and the staff of a new organisation see nobody until someone accepts.
--
-- No enumeration oracle: inviting an address answers the same (same shape, same fields, no error)
-- whether or not an account uses it, and whether or not that account is already a member.

create type public.invitation_status as enum ('pending', 'accepted', 'declined', 'revoked');
comment on type public.invitation_status is
  'pending until the invitee accepts or declines it, or an owner/admin revokes it; expiry is read from expires_at.';

create table public.organization_invitations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  email text,
  token_hash text,
  role public.org_role not null default 'learner',
  status public.invitation_status not null default 'pending',
  invited_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  responded_at timestamptz,
  responded_by uuid references public.profiles (id) on delete set null,
  constraint organization_invitations_email_or_link check ((email is null) <> (token_hash is null)),
  constraint organization_invitations_email_format check (email is null or (email = lower(email) and email ~ '^[^@\s]+@[^@\s]+$' and char_length(email) <= 320)),
  constraint organization_invitations_expiry_after_creation check (expires_at > created_at),
  constraint organization_invitations_response_complete check ((status = 'pending') = (responded_at is null))
);
comment on table public.organization_invitations is
  'Invitations to join an organisation with a role, by e-mail or by link; the invitee accepts (becoming a member) or declines; owners and admins create, list and revoke them. Only the hash of a link token is stored.';
comment on column public.organization_invitations.organization_id is 'The organisation the invitee would join.';
comment on column public.organization_invitations.email is 'Invited address (lower case) for an e-mail invitation; null for a link invitation.';
comment on column public.organization_invitations.token_hash is 'SHA-256 (hex) of the secret link token of a link invitation; null for an e-mail invitation. The token itself is returned once, to the inviter.';
comment on column public.organization_invitations.role is 'Role the invitee gets on accepting (only owners invite owners).';
comment on column public.organization_invitations.status is 'pending, accepted, declined or revoked.';
comment on column public.organization_invitations.invited_by is 'The owner or admin who created it.';
comment on column public.organization_invitations.created_at is 'Creation time.';
comment on column public.organization_invitations.expires_at is 'After this instant it can no longer be accepted.';
comment on column public.organization_invitations.responded_at is 'When it was accepted, declined or revoked.';
comment on column public.organization_invitations.responded_by is 'Who accepted, declined or revoked it.';

create unique index organization_invitations_one_pending_per_email_key
  on public.organization_invitations (organization_id, email) where status = 'pending' and email is not null;
create unique index organization_invitations_token_hash_key on public.organization_invitations (token_hash) where token_hash is not null;
create index organization_invitations_organization_idx on public.organization_invitations (organization_id, status, created_at desc);
create index organization_invitations_email_idx on public.organization_invitations (email, status) where email is not null;
create index organization_invitations_invited_by_idx on public.organization_invitations (invited_by);
create index organization_invitations_responded_by_idx on public.organization_invitations (responded_by);

-- ---------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------

-- The caller's confirmed e-mail address (lower case), read from auth.users: an unconfirmed
-- address proves nothing, so it matches no invitation.
create function private.caller_confirmed_email()
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select lower(u.email)
  from auth.users u
  where u.id = (select auth.uid()) and u.email_confirmed_at is not null and u.deleted_at is null
$$;
comment on function private.caller_confirmed_email() is
  'The signed-in user''s e-mail address, lower case, when it is confirmed; null otherwise.';
grant execute on function private.caller_confirmed_email() to authenticated, service_role;

create function private.invitation_token_hash(token text)
returns text
language sql
immutable
set search_path = ''
as $$
  select encode(extensions.digest(convert_to(token, 'UTF8'), 'sha256'), 'hex')
$$;
comment on function private.invitation_token_hash(text) is 'SHA-256 (hex) of a link invitation token, as stored in organization_invitations.token_hash.';

-- The answer every invitation RPC gives about an invitation: nothing about whether an account
-- exists for its e-mail, or whether that account is a member.
create function private.invitation_payload(inv public.organization_invitations)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'invitation_id', inv.id,
    'organization_id', inv.organization_id,
    'email', inv.email,
    'role', inv.role,
    'status', inv.status,
    'expires_at', inv.expires_at)
$$;
comment on function private.invitation_payload(public.organization_invitations) is
  'The public view of an invitation: id, organisation, e-mail, role, status, expiry (never who holds an account).';

-- Locks a pending, unexpired invitation the caller may answer: the one addressed to their
-- confirmed e-mail (by id), or the link invitation whose token they hold. Every other case raises
-- the same PT404, so the answer reveals nothing about invitations meant for someone else.
create function private.lock_invitation_for_invitee(p_invitation uuid, p_token text)
returns public.organization_invitations
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_email text := private.caller_confirmed_email();
  v_inv public.organization_invitations;
begin
  perform private.require_user();
  if (p_invitation is null) = (p_token is null) then
    raise exception using
      errcode = '22023',
      message = 'pass either p_invitation (an invitation sent to your e-mail) or p_token (from an invitation link)';
  end if;
  if p_token is not null then
    select * into v_inv from public.organization_invitations i
    where i.token_hash = private.invitation_token_hash(p_token)
    for update;
  else
    select * into v_inv from public.organization_invitations i
    where i.id = p_invitation and i.email is not null and i.email = v_email
    for update;
  end if;
  if not found or v_inv.status <> 'pending' or v_inv.expires_at <= private.clock() then
    raise exception using
      errcode = 'PT404',
      message = 'no pending invitation matches: it does not exist, is not addressed to your confirmed e-mail, or was already answered, revoked or has expired',
      hint = 'ask the organisation for a new invitation';
  end if;
  return v_inv;
end;
$$;
comment on function private.lock_invitation_for_invitee(uuid, text) is
  'Locks the pending, unexpired invitation the caller may answer (by id for their confirmed e-mail, or by link token); raises PT404 otherwise.';

-- ---------------------------------------------------------------------------
-- Privileges and RLS
-- ---------------------------------------------------------------------------

alter table public.organization_invitations enable row level security;
revoke all on table public.organization_invitations from anon, authenticated, service_role;
grant select on table public.organization_invitations to authenticated, service_role;

create policy organization_invitations_select_visible on public.organization_invitations
  for select to authenticated
  using (
    private.is_org_admin(organization_id)
    or (select private.is_platform_admin())
    or (email is not null and email = (select private.caller_confirmed_email()))
  );
comment on policy organization_invitations_select_visible on public.organization_invitations is
  'Owners and admins see their organisation''s invitations; invitees see those addressed to their confirmed e-mail; platform admins see all.';

-- Memberships are written only by create_organization() and accept_invitation(): no API role
-- inserts them directly any more, not even a platform admin.
drop policy organization_members_insert_admin on public.organization_members;
revoke insert on table public.organization_members from authenticated;
comment on table public.organization_members is
  'Who belongs to which organisation, with which role. Rows appear only when a user creates an organisation (owner) or accepts an invitation; owners and admins change roles and remove members; anyone may leave; the last owner cannot leave or be demoted.';
comment on column public.organization_members.joined_at is 'When the member accepted the invitation (or created the organisation).';

drop function public.add_organization_member(uuid, text, public.org_role);

-- ---------------------------------------------------------------------------
-- RPCs
-- ---------------------------------------------------------------------------

create function public.invite_to_organization(
  p_organization uuid,
  p_email text default null,
  p_role public.org_role default 'learner',
  p_expires_in_days integer default 7
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_now timestamptz := private.clock();
  v_email text := lower(btrim(p_email));
  v_token text;
  v_inv public.organization_invitations;
begin
  if not (private.is_org_admin(p_organization) or private.is_platform_admin() or private.is_service_role()) then
    raise exception using
      errcode = '42501',
      message = 'only owners and admins of this organisation invite members';
  end if;
  if p_role is null then
    raise exception using errcode = '22023', message = 'p_role must be owner, admin, instructor or learner';
  end if;
  if p_role = 'owner' and not (private.is_org_owner(p_organization) or private.is_platform_admin() or private.is_service_role()) then
    raise exception using errcode = '42501', message = 'only owners invite owners';
  end if;
  if p_expires_in_days is null or p_expires_in_days not between 1 and 30 then
    raise exception using errcode = '22023', message = 'p_expires_in_days must be between 1 and 30';
  end if;
  if p_email is not null and (v_email !~ '^[^@\s]+@[^@\s]+$' or char_length(v_email) > 320) then
    raise exception using errcode = '22023', message = format('%L is not an e-mail address', p_email);
  end if;

  if v_email is not null then
    -- One pending invitation per address and organisation: inviting again renews it. Whether an
    -- account uses the address, or is already a member, is never looked at here.
    update public.organization_invitations i
       set role = p_role, expires_at = v_now + make_interval(days => p_expires_in_days), invited_by = v_uid,
           created_at = v_now
     where i.organization_id = p_organization and i.email = v_email and i.status = 'pending'
    returning * into v_inv;
    if not found then
      insert into public.organization_invitations (organization_id, email, role, invited_by, created_at, expires_at)
      values (p_organization, v_email, p_role, v_uid, v_now, v_now + make_interval(days => p_expires_in_days))
      returning * into v_inv;
    end if;
    return private.invitation_payload(v_inv) || jsonb_build_object('token', null);
  end if;

  v_token := encode(extensions.gen_random_bytes(24), 'hex');
  insert into public.organization_invitations (organization_id, token_hash, role, invited_by, created_at, expires_at)
  values (p_organization, private.invitation_token_hash(v_token), p_role, v_uid, v_now,
          v_now + make_interval(days => p_expires_in_days))
  returning * into v_inv;
  return private.invitation_payload(v_inv) || jsonb_build_object('token', v_token);
end;
$$;
comment on function public.invite_to_organization(uuid, text, public.org_role, integer) is
  'Owners and admins invite someone to join with a role (only owners invite owners), valid 1-30 days (default 7). With p_email: an invitation to that address (inviting again renews it); the answer is the same whether or not an account uses the address. Without: a link invitation; the secret token is returned once, in "token". Returns {invitation_id, organization_id, email, role, status, expires_at, token}. Errors: 42501, 22023.';
revoke execute on function public.invite_to_organization(uuid, text, public.org_role, integer) from public, anon;
grant execute on function public.invite_to_organization(uuid, text, public.org_role, integer) to authenticated, service_role;

create function public.accept_invitation(p_invitation uuid default null, p_token text default null)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_inv public.organization_invitations := private.lock_invitation_for_invitee(p_invitation, p_token);
  v_member public.organization_members;
begin
  update public.organization_invitations i
     set status = 'accepted', responded_at = private.clock(), responded_by = v_uid
   where i.id = v_inv.id
  returning * into v_inv;
  -- Already a member: the membership (and its role) stays as it is.
  insert into public.organization_members (organization_id, user_id, role, joined_at)
  values (v_inv.organization_id, v_uid, v_inv.role, private.clock())
  on conflict (organization_id, user_id) do nothing;
  select * into v_member from public.organization_members m
  where m.organization_id = v_inv.organization_id and m.user_id = v_uid;
  return private.invitation_payload(v_inv)
    || jsonb_build_object('member', jsonb_build_object('organization_id', v_member.organization_id, 'user_id', v_member.user_id,
                                                        'role', v_member.role, 'joined_at', v_member.joined_at));
end;
$$;
comment on function public.accept_invitation(uuid, text) is
  'The invitee accepts: an invitation addressed to their confirmed e-mail (p_invitation) or a link invitation (p_token); they become a member with its role (an existing membership is kept as is). Errors: 42501 not signed in, 22023, PT404 no pending invitation matches.';
revoke execute on function public.accept_invitation(uuid, text) from public, anon;
grant execute on function public.accept_invitation(uuid, text) to authenticated;

create function public.decline_invitation(p_invitation uuid default null, p_token text default null)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_inv public.organization_invitations := private.lock_invitation_for_invitee(p_invitation, p_token);
begin
  update public.organization_invitations i
     set status = 'declined', responded_at = private.clock(), responded_by = v_uid
   where i.id = v_inv.id
  returning * into v_inv;
  return private.invitation_payload(v_inv);
end;
$$;
comment on function public.decline_invitation(uuid, text) is
  'The invitee declines an invitation addressed to their confirmed e-mail (p_invitation) or a link invitation (p_token). Errors: 42501, 22023, PT404.';
revoke execute on function public.decline_invitation(uuid, text) from public, anon;
grant execute on function public.decline_invitation(uuid, text) to authenticated;

create function public.revoke_invitation(p_invitation uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_inv public.organization_invitations;
begin
  select * into v_inv from public.organization_invitations i where i.id = p_invitation for update;
  if not found or not (private.is_org_admin(v_inv.organization_id) or private.is_platform_admin() or private.is_service_role()) then
    raise exception using errcode = 'PT404', message = format('invitation %s not found', p_invitation);
  end if;
  if v_inv.status <> 'pending' then
    raise exception using
      errcode = 'PT409',
      message = format('invitation %s is already %s', p_invitation, v_inv.status),
      hint = 'to remove an accepted member, delete their organization_members row';
  end if;
  update public.organization_invitations i
     set status = 'revoked', responded_at = private.clock(), responded_by = auth.uid()
   where i.id = v_inv.id
  returning * into v_inv;
  return private.invitation_payload(v_inv);
end;
$$;
comment on function public.revoke_invitation(uuid) is
  'Owners and admins of the organisation revoke a pending invitation. Errors: PT404 unknown (or not theirs), PT409 already answered.';
revoke execute on function public.revoke_invitation(uuid) from public, anon;
grant execute on function public.revoke_invitation(uuid) to authenticated, service_role;

create function public.get_my_invitations()
returns table (
  invitation_id uuid,
  organization_id uuid,
  organization_name text,
  organization_slug text,
  role public.org_role,
  invited_by_display_name text,
  created_at timestamptz,
  expires_at timestamptz
)
language sql
stable
security definer
set search_path = ''
as $$
  select i.id, i.organization_id, o.name, o.slug, i.role, p.display_name, i.created_at, i.expires_at
  from public.organization_invitations i
  join public.organizations o on o.id = i.organization_id
  left join public.profiles p on p.id = i.invited_by
  where i.email = private.caller_confirmed_email()
    and i.status = 'pending'
    and i.expires_at > private.clock()
  order by i.created_at desc
$$;
comment on function public.get_my_invitations() is
  'Pending, unexpired invitations addressed to the caller''s confirmed e-mail, with the organisation''s name and who invited them (to accept or decline).';
revoke execute on function public.get_my_invitations() from public, anon;
grant execute on function public.get_my_invitations() to authenticated;

revoke execute on all functions in schema private from public;
