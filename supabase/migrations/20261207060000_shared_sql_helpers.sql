-- Shared SQL helpers, used where the same rule was written several times (issue 14):
-- 1. private.can_manage_member(org, role): the one "may manage this member" predicate (owners and
--    admins manage members, only owners manage owners; platform admins and the service role may
--    too), used by the organization_members policies and the invitation functions.
-- 2. Explicit grants on the analytics functions, which 20261122001500 granted in a dynamic `do`
--    loop that neither grep nor review sees.
-- 3. private.learner_time_zone(user): the one time-zone lookup of the analytics functions.
-- Behaviour is unchanged: the functions are re-created with the same signatures and answers
-- (`create or replace` keeps their grants and comments), the policies with the same rule.

-- ---------------------------------------------------------------------------
-- 1. Who may manage a member
-- ---------------------------------------------------------------------------

-- Invoker: it only combines the definer membership helpers, so it needs no rights of its own.
create function private.can_manage_member(org uuid, member_role public.org_role default 'learner')
returns boolean
language sql
stable
set search_path = ''
as $$
  select private.is_platform_admin()
      or private.is_service_role()
      or (private.is_org_admin(org) and (member_role <> 'owner' or private.is_org_owner(org)))
$$;
comment on function private.can_manage_member(uuid, public.org_role) is
  'True when the caller may invite, change or remove a member of the organisation with the given role (any role but owner when left out): owners and admins manage members, only owners manage owners; platform admins and the service role manage all.';
revoke execute on function private.can_manage_member(uuid, public.org_role) from public, anon;
grant execute on function private.can_manage_member(uuid, public.org_role) to authenticated, service_role;

drop policy organization_members_update_admin on public.organization_members;
create policy organization_members_update_admin on public.organization_members
  for update to authenticated
  using (private.can_manage_member(organization_id, role))
  with check (private.can_manage_member(organization_id, role));
comment on policy organization_members_update_admin on public.organization_members is
  'Owners and admins change roles; only owners grant or revoke owner.';

drop policy organization_members_delete_admin_or_self on public.organization_members;
create policy organization_members_delete_admin_or_self on public.organization_members
  for delete to authenticated
  using (user_id = (select auth.uid()) or private.can_manage_member(organization_id, role));
comment on policy organization_members_delete_admin_or_self on public.organization_members is
  'Members leave; owners and admins remove members (only owners remove owners).';

create or replace function public.invite_to_organization(
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
  if not private.can_manage_member(p_organization) then
    raise exception using
      errcode = '42501',
      message = 'only owners and admins of this organisation invite members';
  end if;
  if p_role is null then
    raise exception using errcode = '22023', message = 'p_role must be owner, admin, instructor or learner';
  end if;
  if not private.can_manage_member(p_organization, p_role) then
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


create or replace function public.revoke_invitation(p_invitation uuid)
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
  if not found or not private.can_manage_member(v_inv.organization_id) then
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


create or replace function public.import_invitations(p_organization uuid, p_rows jsonb, p_dry_run boolean default true)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_row jsonb;
  v_line integer;
  v_email text;
  v_role text;
  v_errors jsonb := '[]'::jsonb;
  v_seen jsonb := '{}'::jsonb;
  v_renewals jsonb := '[]'::jsonb;
  v_invitations jsonb := '[]'::jsonb;
  v_total integer;
  v_owner boolean := private.can_manage_member(p_organization, 'owner');
begin
  if p_organization is null
     or not private.can_manage_member(p_organization) then
    raise exception using
      errcode = '42501',
      message = 'only owners and admins of this organisation invite members';
  end if;
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' or jsonb_array_length(p_rows) not between 1 and 1000 then
    raise exception using errcode = '22023', message = 'p_rows must be an array of 1 to 1000 people';
  end if;
  v_total := jsonb_array_length(p_rows);

  for v_row in select r from jsonb_array_elements(p_rows) r loop
    v_line := (v_row ->> 'line')::integer;
    v_email := lower(btrim(coalesce(v_row ->> 'email', '')));
    v_role := lower(btrim(coalesce(v_row ->> 'role', 'learner')));
    if v_email !~ '^[^@\s]+@[^@\s]+$' or char_length(v_email) > 320 then
      v_errors := v_errors || jsonb_build_object('line', v_line, 'reason', format('%L is not an e-mail address', v_row ->> 'email'));
      continue;
    end if;
    if v_role not in ('owner', 'admin', 'instructor', 'learner') then
      v_errors := v_errors || jsonb_build_object('line', v_line, 'reason',
        format('role %L must be learner, instructor, admin or owner', v_row ->> 'role'));
      continue;
    end if;
    if v_role = 'owner' and not v_owner then
      v_errors := v_errors || jsonb_build_object('line', v_line, 'reason', 'only owners invite owners');
      continue;
    end if;
    if v_seen ? v_email then
      v_errors := v_errors || jsonb_build_object('line', v_line, 'reason',
        format('duplicate: %s is already on line %s', v_email, v_seen ->> v_email));
      continue;
    end if;
    v_seen := v_seen || jsonb_build_object(v_email, v_line);
    -- Pending invitations are the organisation's own records (its admins list them), so saying
    -- one is renewed reveals nothing; whether an account or a membership exists is never read.
    if exists (select 1 from public.organization_invitations i
               where i.organization_id = p_organization and i.email = v_email and i.status = 'pending') then
      v_renewals := v_renewals || jsonb_build_object('line', v_line, 'email', v_email);
    end if;
  end loop;

  if p_dry_run or jsonb_array_length(v_errors) > 0 then
    return jsonb_build_object(
      'dry_run', p_dry_run, 'committed', false, 'total', v_total,
      'valid', v_total - jsonb_array_length(v_errors), 'invited', 0, 'invitations', '[]'::jsonb,
      'renewed', v_renewals, 'errors', v_errors);
  end if;

  for v_row in select r from jsonb_array_elements(p_rows) r loop
    v_invitations := v_invitations || (
      jsonb_build_object('line', (v_row ->> 'line')::integer)
      || (public.invite_to_organization(p_organization, lower(btrim(v_row ->> 'email')),
                                        lower(btrim(coalesce(v_row ->> 'role', 'learner')))::public.org_role, 7)
          - 'token'));
  end loop;
  return jsonb_build_object(
    'dry_run', false, 'committed', true, 'total', v_total, 'valid', v_total,
    'invited', jsonb_array_length(v_invitations), 'invitations', v_invitations,
    'renewed', v_renewals, 'errors', '[]'::jsonb);
end;
$$;


-- ---------------------------------------------------------------------------
-- 3. The learner's time zone, for the analytics functions
-- ---------------------------------------------------------------------------

-- Invoker and granted to no API role: the analytics functions (definer) call it as their owner
-- once they have checked that the caller may view the learner.
create function private.learner_time_zone(p_user uuid)
returns text
language sql
stable
set search_path = ''
as $$
  select p.time_zone from public.profiles p where p.id = p_user
$$;
comment on function private.learner_time_zone(uuid) is
  'The IANA time zone of a learner''s profile: the days and weeks of their analytics follow it.';
revoke execute on function private.learner_time_zone(uuid) from public, anon, authenticated;
grant execute on function private.learner_time_zone(uuid) to service_role;

create or replace function public.get_accuracy_trend(p_exam text default null, p_weeks integer default 12, p_user uuid default null)
returns table (
  week_start date,
  quizzes bigint,
  questions_answered bigint,
  correct_answers bigint,
  accuracy numeric
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user uuid := private.viewable_learner(p_user);
  v_tz text := private.learner_time_zone(v_user);
  v_this_week date;
begin
  if p_weeks is null or p_weeks not between 1 and 104 then
    raise exception using errcode = '22023', message = 'p_weeks must be between 1 and 104';
  end if;
  v_this_week := date_trunc('week', private.clock() at time zone v_tz)::date;
  return query
  select w.week::date, coalesce(s.quizzes, 0), coalesce(s.answered, 0), coalesce(s.correct, 0),
         case when s.answered > 0 then round(s.correct * 100.0 / s.answered, 1) end
  from generate_series(v_this_week - 7 * (p_weeks - 1), v_this_week, interval '7 days') w (week)
  left join (
    select date_trunc('week', a.submitted_at at time zone v_tz)::date as week,
           count(*) as quizzes, sum(a.question_count)::bigint as answered, sum(a.correct_count)::bigint as correct
    from public.quiz_attempts a
    where a.user_id = v_user and a.status = 'submitted'
      and (p_exam is null or a.exam_id = p_exam)
      and a.submitted_at >= ((v_this_week - 7 * (p_weeks - 1))::timestamp at time zone v_tz)
    group by 1
  ) s on s.week = w.week::date
  order by 1;
end;
$$;

create or replace function public.get_daily_activity(p_days integer default 30, p_user uuid default null)
returns table (
  day date,
  quizzes bigint,
  questions_answered bigint,
  correct_answers bigint,
  seconds_studied bigint,
  xp_earned bigint
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user uuid := private.viewable_learner(p_user);
  v_tz text := private.learner_time_zone(v_user);
  v_today date;
begin
  if p_days is null or p_days not between 1 and 366 then
    raise exception using errcode = '22023', message = 'p_days must be between 1 and 366';
  end if;
  v_today := (private.clock() at time zone v_tz)::date;
  return query
  select d.day::date, coalesce(s.quizzes, 0), coalesce(s.answered, 0), coalesce(s.correct, 0),
         coalesce(s.seconds, 0), coalesce(x.xp, 0)
  from generate_series(v_today - (p_days - 1), v_today, interval '1 day') d (day)
  left join (
    select (a.submitted_at at time zone v_tz)::date as day, count(*) as quizzes,
           sum(a.question_count)::bigint as answered, sum(a.correct_count)::bigint as correct,
           sum(a.time_taken_seconds)::bigint as seconds
    from public.quiz_attempts a
    where a.user_id = v_user and a.status = 'submitted'
      and a.submitted_at >= ((v_today - (p_days - 1))::timestamp at time zone v_tz)
    group by 1
  ) s on s.day = d.day::date
  left join (
    select (e.created_at at time zone v_tz)::date as day, sum(e.amount)::bigint as xp
    from public.xp_events e
    where e.user_id = v_user and e.created_at >= ((v_today - (p_days - 1))::timestamp at time zone v_tz)
    group by 1
  ) x on x.day = d.day::date
  order by 1;
end;
$$;

-- ---------------------------------------------------------------------------
-- 2. The analytics functions' grants, spelled out
-- ---------------------------------------------------------------------------

revoke execute on function public.get_domain_performance(text, uuid) from public, anon;
grant execute on function public.get_domain_performance(text, uuid) to authenticated, service_role;
revoke execute on function public.get_weak_areas(text, uuid) from public, anon;
grant execute on function public.get_weak_areas(text, uuid) to authenticated, service_role;
revoke execute on function public.get_exam_readiness(text, uuid) from public, anon;
grant execute on function public.get_exam_readiness(text, uuid) to authenticated, service_role;
revoke execute on function public.get_study_recommendations(text, uuid) from public, anon;
grant execute on function public.get_study_recommendations(text, uuid) to authenticated, service_role;
revoke execute on function public.get_accuracy_trend(text, integer, uuid) from public, anon;
grant execute on function public.get_accuracy_trend(text, integer, uuid) to authenticated, service_role;
revoke execute on function public.get_daily_activity(integer, uuid) from public, anon;
grant execute on function public.get_daily_activity(integer, uuid) to authenticated, service_role;
revoke execute on function public.get_cohort_overview(uuid, uuid, text) from public, anon;
grant execute on function public.get_cohort_overview(uuid, uuid, text) to authenticated, service_role;
