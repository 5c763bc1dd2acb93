-- Profile photos (seed 003). The image itself lives in the public storage bucket `avatars`, under
-- the owner's folder `avatars/<user id>/...` (policies in 20261206000500); the `upload-avatar`
-- edge function checks its bytes (PNG, JPEG or WebP magic numbers, 5 MB) and uploads it as the
-- caller, then records it here with set_profile_photo(). The profile keeps only the object path:
-- public URL `<SUPABASE_URL>/storage/v1/object/public/avatars/<photo_path>`, thumbnail
-- `<SUPABASE_URL>/storage/v1/render/image/public/avatars/<photo_path>?width=128&height=128`.
-- (Not to be confused with selected_avatar_id: the avatar earned in the game.)

alter table public.profiles
  add column photo_path text,
  add constraint profiles_photo_path_own_folder check (
    photo_path is null
    or (starts_with(photo_path, id::text || '/') and char_length(photo_path) <= 300 and photo_path !~ '(^|/)\.\.?(/|$)')
  );
comment on column public.profiles.photo_path is
  'Profile photo: object path in the public bucket avatars, always under the user''s own folder (<user id>/...); null: none. Set with set_profile_photo() (the upload-avatar function does it).';

-- Seed 003: at most 5 new profile photos per user per hour (clearing is not counted).
insert into private.rate_limit_rules (action, max_calls, per_seconds) values ('set_profile_photo', 5, 3600);

-- Not in the column grants of profiles: only set_profile_photo() writes it, after checking that the
-- object exists in the caller's own folder.
create function public.set_profile_photo(p_path text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_previous text;
begin
  if p_path is not null then
    perform private.enforce_rate_limit('set_profile_photo');
  end if;
  if p_path is not null and not exists (
    select 1 from storage.objects o
    where o.bucket_id = 'avatars' and o.name = p_path and (storage.foldername(o.name))[1] = v_uid::text
  ) then
    raise exception using
      errcode = 'PT404',
      message = format('cannot set the profile photo: there is no object %L in your folder of bucket avatars', p_path),
      hint = format('upload it first to avatars/%s/ (the upload-avatar function does both)', v_uid);
  end if;
  select p.photo_path into v_previous from public.profiles p where p.id = v_uid for update;
  update public.profiles p set photo_path = p_path where p.id = v_uid;
  return jsonb_build_object('photo_path', p_path, 'previous_path', v_previous);
end;
$$;
comment on function public.set_profile_photo(text) is
  'Sets (p_path: an object of bucket avatars in the caller''s own folder <user id>/...) or clears (null) the caller''s profile photo. Returns {photo_path, previous_path} so the caller can delete the old object. Errors: 42501 not signed in, PT404 no such object in the caller''s folder, PT429 more than 5 new photos in an hour.';
revoke execute on function public.set_profile_photo(text) from public, anon;
grant execute on function public.set_profile_photo(text) to authenticated;
