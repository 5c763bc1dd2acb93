-- Avatar uploads and private leaderboard announcements.
--
-- Storage: bucket `avatars` is public (anyone reads a profile picture by its public URL) and
-- takes PNG, JPEG or WebP images up to 5 MB (seed 003; the same limits are in config.toml for
-- the local stack and `supabase start`). A signed-in learner writes (uploads, replaces, deletes)
-- only under their own folder, `avatars/<their user id>/...`; reads follow the bucket's
-- visibility: public.
--
-- (Policies on platform tables cannot carry COMMENTs on hosted Supabase: each is explained above it.)
--
-- Realtime: leaderboard changes are broadcast by the database (realtime.send, private => true)
-- on the private topic `leaderboards`. Signed-in users may receive them (select on
-- realtime.messages for that topic); no policy lets anyone insert, so no client can broadcast
-- on it: a forged announcement is refused when the channel is joined or the message sent.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('avatars', 'avatars', true, 5242880, array['image/png', 'image/jpeg', 'image/webp'])
on conflict (id) do update set
  public = excluded.public,
  file_size_limit = excluded.file_size_limit,
  allowed_mime_types = excluded.allowed_mime_types;

-- Bucket avatars is public: anyone reads (and lists) profile pictures.
create policy objects_select_avatars_public on storage.objects
  for select to anon, authenticated
  using (bucket_id = 'avatars');

-- A signed-in user uploads avatars only under avatars/<their user id>/.
create policy objects_insert_avatars_own_folder on storage.objects
  for insert to authenticated
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);

-- A signed-in user replaces (or moves) only their own avatars, and only within avatars/<their user id>/.
create policy objects_update_avatars_own_folder on storage.objects
  for update to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);

-- A signed-in user deletes only their own avatars.
create policy objects_delete_avatars_own_folder on storage.objects
  for delete to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);

-- Signed-in users receive leaderboard announcements on the private topic leaderboards; nobody may broadcast there (no insert policy): only the database writes it.
create policy messages_select_leaderboards_authenticated on realtime.messages
  for select to authenticated
  using ((select realtime.topic()) = 'leaderboards' and extension = 'broadcast');
