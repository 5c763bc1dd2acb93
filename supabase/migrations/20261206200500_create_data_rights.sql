-- Data rights: export everything of one user as JSON, and erase an account.
--
-- Erasure happens in a BEFORE DELETE trigger on auth.users, so it is the same whichever way the
-- account goes: delete_account() below, the Auth admin API (auth.admin.deleteUser), or Studio's
-- "Delete user". It
--   * hands every organisation the user is the last owner of to its next admin (else instructor,
--     else learner, longest-standing first), and deletes organisations they were alone in;
--   * deletes the invitations sent to their e-mail address;
--   * scrubs the append-only audit log (rows about the user keep who/what/when but lose their
--     before/after images; rows where the user was only the actor lose the actor), pseudonymises
--     webhook payloads and requests pg_net has not sent yet (their id becomes 'erased-user'),
--     drops pg_net answers that echo the id, and records one ERASE row;
--   * deletes the profile, which cascades to everything personal (attempts, answers, the XP ledger
--     rows, achievements, avatars, bookmarks, notes, study sets, cards, memories, reports) and
--     clears authorship columns (on delete set null);
--   * refreshes the leaderboards, so no board lists the user and every total still adds up:
--     profiles.xp stays the sum of each remaining learner's global ledger rows.
-- Files in Storage (avatars under <user id>/) are not rows Postgres may delete (the Storage API
-- owns them): delete_account() returns their paths for the caller to remove.

create function private.erase_user_data(p_user uuid)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid text := p_user::text;
  v_email text;
  v_actor uuid := auth.uid();
  v_org record;
  v_heir uuid;
begin
  select lower(u.email) into v_email from auth.users u where u.id = p_user;
  perform set_config('ascend.erasing_user', v_uid, true);

  -- Organisations: nobody is left without an owner, and none is left without members.
  for v_org in
    select m.organization_id from public.organization_members m
    where m.user_id = p_user and m.role = 'owner'
      and not exists (
        select 1 from public.organization_members o
        where o.organization_id = m.organization_id and o.role = 'owner' and o.user_id <> p_user)
  loop
    select o.user_id into v_heir
    from public.organization_members o
    where o.organization_id = v_org.organization_id and o.user_id <> p_user
    order by array_position(array['admin', 'instructor', 'learner']::public.org_role[], o.role), o.joined_at, o.user_id
    limit 1;
    if v_heir is null then
      delete from public.organizations o where o.id = v_org.organization_id;
    else
      update public.organization_members o set role = 'owner'
      where o.organization_id = v_org.organization_id and o.user_id = v_heir;
    end if;
  end loop;

  if v_email is not null then
    delete from public.organization_invitations i where i.email = v_email;
  end if;

  -- Rows about the user (their id or e-mail in the row images) lose the images; rows where they
  -- were only the actor lose the actor.
  update public.audit_log a
     set actor_id = case when a.actor_id = p_user then null else a.actor_id end,
         old_data = case when a.old_data::text like '%' || v_uid || '%' or a.old_data::text like '%' || coalesce(v_email, v_uid) || '%'
                         then '{"erased": true}'::jsonb else a.old_data end,
         new_data = case when a.new_data::text like '%' || v_uid || '%' or a.new_data::text like '%' || coalesce(v_email, v_uid) || '%'
                         then '{"erased": true}'::jsonb else a.new_data end,
         record_id = replace(a.record_id, v_uid, 'erased-user')
   where a.actor_id = p_user
      or a.record_id like '%' || v_uid || '%'
      or a.old_data::text like '%' || v_uid || '%'
      or a.new_data::text like '%' || v_uid || '%'
      or (v_email is not null and (a.old_data::text like '%' || v_email || '%' or a.new_data::text like '%' || v_email || '%'));

  update public.webhook_deliveries d
     set payload = replace(d.payload::text, v_uid, 'erased-user')::jsonb
   where d.payload::text like '%' || v_uid || '%';

  -- Requests pg_net has not sent yet, and answers that echo the user, carry no trace either.
  update net.http_request_queue q
     set body = convert_to(replace(convert_from(q.body, 'UTF8'), v_uid, 'erased-user'), 'UTF8')
   where q.body is not null and position(convert_to(v_uid, 'UTF8') in q.body) > 0;
  delete from net._http_response r where r.content like '%' || v_uid || '%';

  delete from public.profiles p where p.id = p_user;

  insert into public.audit_log (actor_id, actor_role, table_name, record_id, action, new_data)
  values (case when v_actor = p_user then null else v_actor end, private.audit_actor_role(), 'auth.users', 'erased-user', 'ERASE',
          jsonb_build_object('erased_at', private.clock(), 'by', case when v_actor = p_user then 'the user' else 'an administrator' end));

  perform private.refresh_leaderboards();
  perform set_config('ascend.erasing_user', '', true);
end;
$$;
comment on function private.erase_user_data(uuid) is
  'Erases everything of a user outside auth (see the migration header): ownership handed over, invitations deleted, audit log and webhook payloads pseudonymised, profile deleted with its cascades, leaderboards refreshed.';

create function private.erase_user_on_auth_delete()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.erase_user_data(old.id);
  return old;
end;
$$;
comment on function private.erase_user_on_auth_delete() is
  'BEFORE DELETE on auth.users: erases the user''s data first (private.erase_user_data), whoever deletes the account.';

create trigger ascend_erase_user_data
  before delete on auth.users
  for each row execute function private.erase_user_on_auth_delete();

-- Raises unless the caller may act on this user's data; returns the user.
create function private.data_rights_subject(p_user uuid)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_target uuid := coalesce(p_user, auth.uid());
begin
  if v_target is null then
    raise exception using errcode = '42501', message = 'sign in required: data rights act on a signed-in user',
      hint = 'pass p_user when calling with the service_role key';
  end if;
  if not (v_target = auth.uid() or private.is_platform_admin() or private.is_service_role()) then
    raise exception using errcode = '42501', message = 'you may only export or delete your own account';
  end if;
  if not exists (select 1 from auth.users u where u.id = v_target) then
    raise exception using errcode = 'PT404', message = format('no account %s', v_target);
  end if;
  return v_target;
end;
$$;
comment on function private.data_rights_subject(uuid) is
  'The user an export or deletion is about (default: the caller); raises 42501 unless it is the caller, or the caller is a platform admin or the service role; PT404 when there is no such account.';

create function public.export_user_data(p_user uuid default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user uuid := private.data_rights_subject(p_user);
begin
  return jsonb_build_object(
    'format', 'ascend-export/1',
    'exported_at', now(),
    'user_id', v_user,
    'account', (select jsonb_build_object('email', u.email, 'phone', u.phone, 'created_at', u.created_at,
                                          'last_sign_in_at', u.last_sign_in_at, 'user_metadata', u.raw_user_meta_data)
                from auth.users u where u.id = v_user),
    'profile', (select to_jsonb(p) from public.profiles p where p.id = v_user),
    'organization_memberships', coalesce((
      select jsonb_agg(jsonb_build_object('organization_id', m.organization_id, 'organization', o.name,
                                          'role', m.role, 'joined_at', m.joined_at) order by m.joined_at)
      from public.organization_members m join public.organizations o on o.id = m.organization_id
      where m.user_id = v_user), '[]'),
    'team_memberships', coalesce((
      select jsonb_agg(jsonb_build_object('team_id', t.team_id, 'team', tm.name, 'organization_id', t.organization_id,
                                          'added_at', t.added_at) order by t.added_at)
      from public.team_members t join public.teams tm on tm.id = t.team_id
      where t.user_id = v_user), '[]'),
    'invitations_received', coalesce((
      select jsonb_agg(jsonb_build_object('organization_id', i.organization_id, 'role', i.role, 'status', i.status,
                                          'created_at', i.created_at, 'expires_at', i.expires_at, 'responded_at', i.responded_at)
                       order by i.created_at)
      from public.organization_invitations i
      where i.email = (select lower(u.email) from auth.users u where u.id = v_user)), '[]'),
    'quiz_attempts', coalesce((select jsonb_agg(to_jsonb(a) order by a.started_at) from public.quiz_attempts a where a.user_id = v_user), '[]'),
    'quiz_answers', coalesce((select jsonb_agg(to_jsonb(i) order by i.attempt_id, i.position) from public.quiz_attempt_items i where i.user_id = v_user), '[]'),
    'exam_stats', coalesce((select jsonb_agg(to_jsonb(s) order by s.exam_id) from public.learner_exam_stats s where s.user_id = v_user), '[]'),
    'xp_events', coalesce((select jsonb_agg(to_jsonb(e) order by e.id) from public.xp_events e where e.user_id = v_user), '[]'),
    'achievements', coalesce((select jsonb_agg(to_jsonb(a)) from public.user_achievements a where a.user_id = v_user), '[]'),
    'avatars', coalesce((select jsonb_agg(to_jsonb(a)) from public.user_avatars a where a.user_id = v_user), '[]'),
    'question_reports', coalesce((
      select jsonb_agg(jsonb_build_object('id', r.id, 'question_id', r.question_id, 'reason', r.reason, 'details', r.details,
                                          'status', r.status, 'created_at', r.created_at) order by r.created_at)
      from public.question_reports r where r.reporter_id = v_user), '[]'),
    'bookmarks', coalesce((select jsonb_agg(to_jsonb(b) order by b.created_at) from public.bookmarks b where b.user_id = v_user), '[]'),
    'question_notes', coalesce((select jsonb_agg(to_jsonb(n) order by n.created_at) from public.question_notes n where n.user_id = v_user), '[]'),
    'study_sets', coalesce((
      select jsonb_agg(to_jsonb(s) || jsonb_build_object('questions', coalesce((
               select jsonb_agg(i.question_id order by i.position, i.question_id) from public.study_set_items i where i.study_set_id = s.id), '[]'))
             order by s.created_at)
      from public.study_sets s where s.owner_id = v_user), '[]'),
    'review_cards', coalesce((select jsonb_agg(to_jsonb(c) order by c.created_at) from public.review_cards c where c.user_id = v_user), '[]'),
    'memories', coalesce((
      select jsonb_agg(to_jsonb(m) - 'search' order by m.created_at) from public.memories m where m.user_id = v_user), '[]'),
    'lesson_versions_authored', coalesce((
      select jsonb_agg(jsonb_build_object('lesson_id', v.lesson_id, 'version', v.version, 'organization_id', v.organization_id,
                                          'title', v.title, 'status', v.status, 'created_at', v.created_at) order by v.created_at)
      from public.lesson_versions v where v.created_by = v_user), '[]'),
    'lesson_comments', coalesce((
      select jsonb_agg(jsonb_build_object('lesson_id', c.lesson_id, 'version', c.version, 'body', c.body, 'created_at', c.created_at)
                       order by c.created_at)
      from public.lesson_comments c where c.author_id = v_user), '[]'),
    'storage_objects', coalesce((
      select jsonb_agg(jsonb_build_object('bucket_id', o.bucket_id, 'name', o.name, 'created_at', o.created_at) order by o.name)
      from storage.objects o where o.owner_id = v_user::text or o.owner = v_user), '[]')
  );
end;
$$;
comment on function public.export_user_data(uuid) is
  'Everything Ascend holds about one user as JSON (account, profile, memberships, invitations, attempts and answers, XP ledger, achievements, avatars, reports, bookmarks, notes, study sets, review cards, memories, authored lesson versions and comments, stored files): the caller''s own, or any user''s for platform admins and the service role. Errors: 42501, PT404.';

create function public.delete_account(p_user uuid default null, p_confirmation text default null)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_user uuid := private.data_rights_subject(p_user);
  v_files jsonb;
begin
  if v_user = auth.uid() and coalesce(p_confirmation, '') <> 'DELETE' then
    raise exception using errcode = '22023', message = 'confirm the deletion of your account: pass p_confirmation => ''DELETE''',
      hint = 'this cannot be undone; export your data first with export_user_data()';
  end if;
  select coalesce(jsonb_agg(jsonb_build_object('bucket_id', o.bucket_id, 'name', o.name) order by o.name), '[]')
  into v_files
  from storage.objects o where o.owner_id = v_user::text or o.owner = v_user;
  -- The trigger on auth.users erases the data first (private.erase_user_data).
  delete from auth.users u where u.id = v_user;
  return jsonb_build_object('deleted', true, 'storage_objects_to_remove', v_files);
end;
$$;
comment on function public.delete_account(uuid, text) is
  'Deletes an account and erases its data (the caller''s own with p_confirmation => ''DELETE'', or any for platform admins and the service role). Returns {deleted, storage_objects_to_remove: [{bucket_id, name}]} for the Storage API. Errors: 42501, PT404, 22023 not confirmed.';

revoke execute on function public.export_user_data(uuid) from public, anon;
revoke execute on function public.delete_account(uuid, text) from public, anon;
grant execute on function public.export_user_data(uuid) to authenticated, service_role;
grant execute on function public.delete_account(uuid, text) to authenticated, service_role;

revoke execute on all functions in schema private from public;
