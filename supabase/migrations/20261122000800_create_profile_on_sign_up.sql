-- Sign-up: a trigger on auth.users creates the profile, grants the default avatars and equips
-- the first one. GoTrue fires it as supabase_auth_admin with search_path = auth, hence security
-- definer, an empty search_path and qualified names everywhere.
--
-- Sign-up metadata (options.data in supabase-js) may carry username, display_name (or
-- full_name) and time_zone; invalid or taken values fall back to safe defaults instead of
-- failing the sign-up.

create function private.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_meta jsonb := coalesce(new.raw_user_meta_data, '{}'::jsonb);
  v_base text;
  v_username text;
  v_display text;
  v_time_zone text;
  v_avatar bigint;
  v_attempt integer := 0;
begin
  v_base := regexp_replace(
    coalesce(nullif(btrim(v_meta ->> 'username'), ''), split_part(coalesce(new.email, ''), '@', 1), ''),
    '[^A-Za-z0-9_.-]', '', 'g');
  v_base := left(v_base, 24);
  if char_length(v_base) < 3 then
    v_base := 'learner' || v_base;
  end if;
  v_username := v_base;

  v_display := left(btrim(coalesce(nullif(btrim(v_meta ->> 'display_name'), ''),
                                   nullif(btrim(v_meta ->> 'full_name'), ''),
                                   v_base)), 80);
  v_time_zone := case when private.is_valid_time_zone(v_meta ->> 'time_zone') then v_meta ->> 'time_zone' else 'UTC' end;

  loop
    begin
      insert into public.profiles (id, username, display_name, time_zone)
      values (new.id, v_username, v_display, v_time_zone);
      exit;
    exception when unique_violation then
      v_attempt := v_attempt + 1;
      if v_attempt > 20 then
        raise;
      end if;
      v_username := left(v_base, 24) || '_' || substr(md5(random()::text || clock_timestamp()::text), 1, 5);
    end;
  end loop;

  insert into public.user_avatars (user_id, avatar_id, source)
  select new.id, a.id, 'default' from public.avatars a where a.is_default
  on conflict do nothing;

  select a.id into v_avatar from public.avatars a where a.is_default order by a.position, a.id limit 1;
  if v_avatar is not null then
    update public.profiles set selected_avatar_id = v_avatar where id = new.id;
  end if;
  return new;
end;
$$;
comment on function private.handle_new_user() is
  'AFTER INSERT on auth.users: creates the profile (unique username from metadata or email), grants the default avatars and equips the first.';

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function private.handle_new_user();

revoke execute on all functions in schema private from public;
