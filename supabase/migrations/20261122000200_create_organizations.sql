-- Tenancy: organisations, their members with a role (owner, admin, instructor, learner), and
-- teams/cohorts inside them. The membership helpers below are what every policy uses.

create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  slug text not null,
  name text not null,
  description text,
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint organizations_slug_key unique (slug),
  constraint organizations_slug_format check (slug ~ '^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$'),
  constraint organizations_name_length check (char_length(btrim(name)) between 2 and 100),
  constraint organizations_description_length check (description is null or char_length(description) <= 2000)
);
comment on table public.organizations is
  'A school, company or training provider. Members see it; owners and admins manage it. Create one with create_organization().';
comment on column public.organizations.slug is 'URL name, lower-case letters, digits and dashes, unique.';
comment on column public.organizations.name is 'Display name.';
comment on column public.organizations.description is 'Optional description.';
comment on column public.organizations.created_by is 'The user who created it (its first owner).';
comment on column public.organizations.created_at is 'Creation time.';
comment on column public.organizations.updated_at is 'Last change.';
create index organizations_created_by_idx on public.organizations (created_by);
create trigger organizations_set_updated_at before update on public.organizations
  for each row execute function private.set_updated_at();

create table public.organization_members (
  organization_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  role public.org_role not null default 'learner',
  joined_at timestamptz not null default now(),
  primary key (organization_id, user_id)
);
comment on table public.organization_members is
  'Who belongs to which organisation, with which role. Owners and admins add, change and remove members; anyone may leave; the last owner cannot leave or be demoted.';
comment on column public.organization_members.organization_id is 'The organisation.';
comment on column public.organization_members.user_id is 'The member (profiles.id).';
comment on column public.organization_members.role is 'owner, admin, instructor or learner. Only owners grant or revoke owner.';
comment on column public.organization_members.joined_at is 'When the member was added.';
create index organization_members_user_id_idx on public.organization_members (user_id, organization_id) include (role);

create table public.teams (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  name text not null,
  kind public.team_kind not null default 'cohort',
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint teams_name_per_organization_key unique (organization_id, name),
  constraint teams_id_organization_key unique (id, organization_id),
  constraint teams_name_length check (char_length(btrim(name)) between 1 and 100)
);
comment on table public.teams is
  'Teams and cohorts inside an organisation; instructors and admins manage them, members see them.';
comment on column public.teams.organization_id is 'Owning organisation.';
comment on column public.teams.name is 'Name, unique in the organisation.';
comment on column public.teams.kind is 'team or cohort.';
comment on column public.teams.description is 'Optional description.';
comment on column public.teams.created_at is 'Creation time.';
comment on column public.teams.updated_at is 'Last change.';
create trigger teams_set_updated_at before update on public.teams
  for each row execute function private.set_updated_at();

create table public.team_members (
  team_id uuid not null,
  organization_id uuid not null,
  user_id uuid not null,
  added_at timestamptz not null default now(),
  primary key (team_id, user_id),
  constraint team_members_team_fkey foreign key (team_id, organization_id)
    references public.teams (id, organization_id) on delete cascade,
  constraint team_members_member_fkey foreign key (organization_id, user_id)
    references public.organization_members (organization_id, user_id) on delete cascade
);
comment on table public.team_members is
  'Members of a team or cohort; they must be members of the team''s organisation and leave the team when they leave it.';
comment on column public.team_members.team_id is 'The team or cohort.';
comment on column public.team_members.organization_id is 'The team''s organisation (must match the team).';
comment on column public.team_members.user_id is 'The member.';
comment on column public.team_members.added_at is 'When they were added.';
create index team_members_team_organization_idx on public.team_members (team_id, organization_id);
create index team_members_organization_user_idx on public.team_members (organization_id, user_id);

-- ---------------------------------------------------------------------------
-- Membership helpers (security definer: they read organization_members without re-entering its RLS)
-- ---------------------------------------------------------------------------

create function private.has_org_role(org uuid, roles public.org_role[])
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.organization_members m
    where m.organization_id = org and m.user_id = (select auth.uid()) and m.role = any (roles)
  )
$$;
comment on function private.has_org_role(uuid, public.org_role[]) is
  'True when the caller is a member of the organisation with one of the given roles.';

create function private.is_org_member(org uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.organization_members m
    where m.organization_id = org and m.user_id = (select auth.uid())
  )
$$;
comment on function private.is_org_member(uuid) is 'True when the caller belongs to the organisation.';

create function private.is_org_staff(org uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.has_org_role(org, array['owner', 'admin', 'instructor']::public.org_role[])
$$;
comment on function private.is_org_staff(uuid) is 'True when the caller is owner, admin or instructor of the organisation.';

create function private.is_org_admin(org uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.has_org_role(org, array['owner', 'admin']::public.org_role[])
$$;
comment on function private.is_org_admin(uuid) is 'True when the caller is owner or admin of the organisation.';

create function private.is_org_owner(org uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.has_org_role(org, array['owner']::public.org_role[])
$$;
comment on function private.is_org_owner(uuid) is 'True when the caller owns the organisation.';

create function private.shares_organization_with(other uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.organization_members mine
    join public.organization_members theirs on theirs.organization_id = mine.organization_id
    where mine.user_id = (select auth.uid()) and theirs.user_id = other
  )
$$;
comment on function private.shares_organization_with(uuid) is 'True when the caller and the given user belong to a common organisation.';

-- Learners whose progress the caller may read as owner, admin or instructor of their organisation.
create function private.staff_learner_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select distinct theirs.user_id
  from public.organization_members mine
  join public.organization_members theirs on theirs.organization_id = mine.organization_id
  where mine.user_id = (select auth.uid())
    and mine.role in ('owner', 'admin', 'instructor')
$$;
comment on function private.staff_learner_ids() is
  'Members of every organisation where the caller is owner, admin or instructor (whose progress the caller may read).';

create function private.can_view_learner(learner uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select learner = (select auth.uid())
    or private.is_platform_admin()
    or private.is_service_role()
    or exists (
      select 1
      from public.organization_members mine
      join public.organization_members theirs on theirs.organization_id = mine.organization_id
      where mine.user_id = (select auth.uid())
        and mine.role in ('owner', 'admin', 'instructor')
        and theirs.user_id = learner
    )
$$;
comment on function private.can_view_learner(uuid) is
  'True when the caller may read this learner''s progress: themselves, an owner/admin/instructor of a common organisation, a platform admin, or the service role.';

-- Raises 42501 unless the caller may read the learner; returns the learner id (default: the caller).
create function private.viewable_learner(learner uuid)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_target uuid := coalesce(learner, auth.uid());
begin
  if v_target is null then
    raise exception using
      errcode = '42501',
      message = 'sign in required: analytics are computed for a signed-in learner',
      hint = 'pass p_user when calling with the service_role key';
  end if;
  if not private.can_view_learner(v_target) then
    raise exception using
      errcode = '42501',
      message = 'you may only read your own progress, or that of learners in an organisation where you are instructor, admin or owner';
  end if;
  return v_target;
end;
$$;
comment on function private.viewable_learner(uuid) is
  'Resolves the learner an RPC reports on (default: the caller) and raises 42501 if the caller may not read them.';

grant execute on function private.has_org_role(uuid, public.org_role[]) to authenticated, service_role;
grant execute on function private.is_org_member(uuid) to authenticated, service_role;
grant execute on function private.is_org_staff(uuid) to authenticated, service_role;
grant execute on function private.is_org_admin(uuid) to authenticated, service_role;
grant execute on function private.is_org_owner(uuid) to authenticated, service_role;
grant execute on function private.shares_organization_with(uuid) to authenticated, service_role;
grant execute on function private.staff_learner_ids() to authenticated, service_role;
grant execute on function private.can_view_learner(uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- The last owner stays
-- ---------------------------------------------------------------------------

create function private.keep_last_owner()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.role <> 'owner' or (tg_op = 'UPDATE' and new.role = 'owner') then
    return coalesce(new, old);
  end if;
  -- Cascades from a deleted organisation or a deleted user are fine.
  if not exists (select 1 from public.organizations o where o.id = old.organization_id)
     or not exists (select 1 from public.profiles p where p.id = old.user_id) then
    return coalesce(new, old);
  end if;
  if not exists (
    select 1 from public.organization_members m
    where m.organization_id = old.organization_id and m.role = 'owner' and m.user_id <> old.user_id
  ) then
    raise exception using
      errcode = 'PT409',
      message = 'an organisation keeps at least one owner: this member is its last owner',
      hint = 'make another member owner first, or delete the organisation';
  end if;
  return coalesce(new, old);
end;
$$;
comment on function private.keep_last_owner() is
  'BEFORE UPDATE/DELETE on organization_members: refuses to demote or remove the last owner.';

create trigger organization_members_keep_last_owner
  before update or delete on public.organization_members
  for each row execute function private.keep_last_owner();

-- ---------------------------------------------------------------------------
-- Privileges and RLS
-- ---------------------------------------------------------------------------

alter table public.organizations enable row level security;
alter table public.organization_members enable row level security;
alter table public.teams enable row level security;
alter table public.team_members enable row level security;

revoke all on table public.organizations, public.organization_members, public.teams, public.team_members
  from anon, authenticated, service_role;
grant select, delete on table public.organizations to authenticated;
grant update (name, description) on table public.organizations to authenticated;
grant select, insert, update, delete on table public.organizations to service_role;
grant select, insert, delete on table public.organization_members to authenticated;
grant update (role) on table public.organization_members to authenticated;
grant select, insert, update, delete on table public.organization_members to service_role;
grant select, insert, delete on table public.teams to authenticated;
grant update (name, kind, description) on table public.teams to authenticated;
grant select, insert, update, delete on table public.teams to service_role;
grant select, insert, delete on table public.team_members to authenticated;
grant select, insert, update, delete on table public.team_members to service_role;

create policy organizations_select_member on public.organizations
  for select to authenticated
  using ((select private.is_platform_admin()) or private.is_org_member(id));
comment on policy organizations_select_member on public.organizations is 'Members see their organisations; platform admins see all.';

create policy organizations_update_admin on public.organizations
  for update to authenticated
  using ((select private.is_platform_admin()) or private.is_org_admin(id))
  with check ((select private.is_platform_admin()) or private.is_org_admin(id));
comment on policy organizations_update_admin on public.organizations is 'Owners, admins and platform admins edit name and description.';

create policy organizations_delete_owner on public.organizations
  for delete to authenticated
  using ((select private.is_platform_admin()) or private.is_org_owner(id));
comment on policy organizations_delete_owner on public.organizations is 'Owners and platform admins delete an organisation.';

create policy organization_members_select_visible on public.organization_members
  for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.is_platform_admin())
    or private.is_org_staff(organization_id)
  );
comment on policy organization_members_select_visible on public.organization_members is
  'Members see their own memberships; owners, admins and instructors see the roster; platform admins see all.';

create policy organization_members_insert_admin on public.organization_members
  for insert to authenticated
  with check (
    (select private.is_platform_admin())
    or (private.is_org_admin(organization_id) and (role <> 'owner' or private.is_org_owner(organization_id)))
  );
comment on policy organization_members_insert_admin on public.organization_members is
  'Owners and admins add members; only owners add owners.';

create policy organization_members_update_admin on public.organization_members
  for update to authenticated
  using (
    (select private.is_platform_admin())
    or (private.is_org_admin(organization_id) and (role <> 'owner' or private.is_org_owner(organization_id)))
  )
  with check (
    (select private.is_platform_admin())
    or (private.is_org_admin(organization_id) and (role <> 'owner' or private.is_org_owner(organization_id)))
  );
comment on policy organization_members_update_admin on public.organization_members is
  'Owners and admins change roles; only owners grant or revoke owner.';

create policy organization_members_delete_admin_or_self on public.organization_members
  for delete to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.is_platform_admin())
    or (private.is_org_admin(organization_id) and (role <> 'owner' or private.is_org_owner(organization_id)))
  );
comment on policy organization_members_delete_admin_or_self on public.organization_members is
  'Members leave; owners and admins remove members (only owners remove owners).';

create policy teams_select_member on public.teams
  for select to authenticated
  using ((select private.is_platform_admin()) or private.is_org_member(organization_id));
comment on policy teams_select_member on public.teams is 'Members of the organisation see its teams and cohorts.';

create policy teams_insert_staff on public.teams
  for insert to authenticated
  with check ((select private.is_platform_admin()) or private.is_org_staff(organization_id));
comment on policy teams_insert_staff on public.teams is 'Owners, admins and instructors create teams and cohorts.';

create policy teams_update_staff on public.teams
  for update to authenticated
  using ((select private.is_platform_admin()) or private.is_org_staff(organization_id))
  with check ((select private.is_platform_admin()) or private.is_org_staff(organization_id));
comment on policy teams_update_staff on public.teams is 'Owners, admins and instructors edit teams and cohorts.';

create policy teams_delete_staff on public.teams
  for delete to authenticated
  using ((select private.is_platform_admin()) or private.is_org_staff(organization_id));
comment on policy teams_delete_staff on public.teams is 'Owners, admins and instructors delete teams and cohorts.';

create policy team_members_select_visible on public.team_members
  for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.is_platform_admin())
    or private.is_org_staff(organization_id)
  );
comment on policy team_members_select_visible on public.team_members is
  'Members see their own team memberships; staff of the organisation see all of its teams'' members.';

create policy team_members_insert_staff on public.team_members
  for insert to authenticated
  with check ((select private.is_platform_admin()) or private.is_org_staff(organization_id));
comment on policy team_members_insert_staff on public.team_members is 'Owners, admins and instructors put members in teams.';

create policy team_members_delete_staff on public.team_members
  for delete to authenticated
  using ((select private.is_platform_admin()) or private.is_org_staff(organization_id));
comment on policy team_members_delete_staff on public.team_members is 'Owners, admins and instructors take members out of teams.';

-- Co-members of an organisation see each other's profiles (rosters, org leaderboards).
alter policy profiles_select_visible on public.profiles
  using (
    id = (select auth.uid())
    or (select private.is_platform_admin())
    or private.shares_organization_with(id)
  );
comment on policy profiles_select_visible on public.profiles is
  'A user reads their own profile and those of people in a common organisation; platform admins read all.';

-- ---------------------------------------------------------------------------
-- RPCs
-- ---------------------------------------------------------------------------

create function public.create_organization(p_name text, p_slug text, p_description text default null)
returns public.organizations
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_org public.organizations;
begin
  if p_slug is null or p_slug !~ '^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$' then
    raise exception using
      errcode = '22023',
      message = format('invalid organisation slug %L', p_slug),
      hint = '3 to 50 lower-case letters, digits and dashes, not starting or ending with a dash';
  end if;
  if exists (select 1 from public.organizations o where o.slug = p_slug) then
    raise exception using
      errcode = 'PT409',
      message = format('the organisation slug %L is taken', p_slug),
      hint = 'choose another slug';
  end if;
  insert into public.organizations (slug, name, description, created_by)
  values (p_slug, btrim(p_name), p_description, v_uid)
  returning * into v_org;
  insert into public.organization_members (organization_id, user_id, role)
  values (v_org.id, v_uid, 'owner');
  return v_org;
end;
$$;
comment on function public.create_organization(text, text, text) is
  'Creates an organisation and makes the caller its owner, in one transaction. Errors: 22023 bad slug, PT409 slug taken.';
revoke execute on function public.create_organization(text, text, text) from public, anon;
grant execute on function public.create_organization(text, text, text) to authenticated;

create function public.add_organization_member(p_organization uuid, p_email text, p_role public.org_role default 'learner')
returns public.organization_members
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_user uuid;
  v_member public.organization_members;
  v_existing public.org_role;
begin
  if not (private.is_platform_admin() or private.is_service_role() or private.is_org_admin(p_organization)) then
    raise exception using
      errcode = '42501',
      message = 'only owners and admins of this organisation add members';
  end if;
  if p_role = 'owner' and not (private.is_platform_admin() or private.is_service_role() or private.is_org_owner(p_organization)) then
    raise exception using errcode = '42501', message = 'only owners make someone an owner';
  end if;
  select u.id into v_user from auth.users u where lower(u.email) = lower(btrim(p_email)) and u.deleted_at is null;
  if v_user is null or not exists (select 1 from public.profiles p where p.id = v_user) then
    raise exception using
      errcode = 'PT404',
      message = format('no Ascend account uses the email %L', p_email),
      hint = 'ask them to sign up first, then add them again';
  end if;
  select m.role into v_existing from public.organization_members m
  where m.organization_id = p_organization and m.user_id = v_user;
  if found then
    raise exception using
      errcode = 'PT409',
      message = format('%s is already a member (role %s)', p_email, v_existing),
      hint = 'change the role by updating organization_members.role';
  end if;
  insert into public.organization_members (organization_id, user_id, role)
  values (p_organization, v_user, p_role)
  returning * into v_member;
  return v_member;
end;
$$;
comment on function public.add_organization_member(uuid, text, public.org_role) is
  'Adds the user with this email to the organisation (owners/admins; only owners add owners). Errors: 42501, PT404 no such account, PT409 already a member.';
revoke execute on function public.add_organization_member(uuid, text, public.org_role) from public, anon;
grant execute on function public.add_organization_member(uuid, text, public.org_role) to authenticated, service_role;

revoke execute on all functions in schema private from public;
