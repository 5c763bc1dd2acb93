-- Custom Access Token hook: GoTrue calls it (as supabase_auth_admin) before issuing an access
-- token; it adds the user's organisation roles as the claim `org_roles`
-- ({"<organization id>": "<role>", ...}). Enable it in config.toml:
--   [auth.hook.custom_access_token]
--   enabled = true
--   uri = "pg-functions://postgres/public/custom_access_token_hook"
-- Policies never trust this claim (it is at most one token lifetime old); they read
-- organization_members. Clients use it to shape the UI without a query.

create function public.custom_access_token_hook(event jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_claims jsonb := coalesce(event -> 'claims', '{}'::jsonb);
  v_user uuid;
  v_roles jsonb;
begin
  begin
    v_user := (event ->> 'user_id')::uuid;
  exception when invalid_text_representation then
    v_user := null;
  end;
  select coalesce(jsonb_object_agg(m.organization_id::text, m.role::text order by m.organization_id), '{}'::jsonb)
    into v_roles
  from public.organization_members m
  where m.user_id = v_user;
  return jsonb_build_object('claims', jsonb_set(v_claims, '{org_roles}', coalesce(v_roles, '{}'::jsonb)));
end;
$$;
comment on function public.custom_access_token_hook(jsonb) is
  'Auth hook (custom_access_token): adds claim org_roles = {organization_id: role} to every access token. Executable only by supabase_auth_admin.';

grant usage on schema public to supabase_auth_admin;
revoke execute on function public.custom_access_token_hook(jsonb) from public, anon, authenticated, service_role;
grant execute on function public.custom_access_token_hook(jsonb) to supabase_auth_admin;

grant select on table public.organization_members to supabase_auth_admin;
create policy organization_members_select_auth_admin on public.organization_members
  for select to supabase_auth_admin
  using (true);
comment on policy organization_members_select_auth_admin on public.organization_members is
  'GoTrue (supabase_auth_admin) reads memberships to build the org_roles claim.';
