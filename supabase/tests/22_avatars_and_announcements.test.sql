-- Avatar uploads (storage.objects in bucket avatars: a learner writes only avatars/<own uid>/...,
-- everyone reads; PNG/JPEG/WebP up to 5 MB) and leaderboard announcements on the private realtime
-- topic `leaderboards` (signed-in users receive; nobody but the database sends). Acting as the
-- roles the Storage and Realtime services use, with the same settings (role, claims, realtime.topic).
begin;
select plan(24);

select tests.create_actors();
select tests.create_test_exam(10);
select set_config('test.a', tests.get_user_id('learner_a')::text, true),
       set_config('test.b', tests.get_user_id('learner_b')::text, true);

-- ---------------------------------------------------------------------------
-- The bucket
-- ---------------------------------------------------------------------------
select is((select (public, file_size_limit, allowed_mime_types) from storage.buckets where id = 'avatars'),
  row(true, 5242880::bigint, array['image/png', 'image/jpeg', 'image/webp']),
  'bucket avatars: public, up to 5 MB, PNG/JPEG/WebP only (no SVG, no GIF)');

-- ---------------------------------------------------------------------------
-- learner A uploads
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select lives_ok($$ insert into storage.objects (bucket_id, name, owner_id, metadata)
                   values ('avatars', current_setting('test.a') || '/me.png', current_setting('test.a'), '{"mimetype": "image/png", "size": 1024}') $$,
  'learner A uploads avatars/<own uid>/me.png');
select lives_ok($$ update storage.objects set metadata = '{"mimetype": "image/png", "size": 2048}'
                   where bucket_id = 'avatars' and name = current_setting('test.a') || '/me.png' $$,
  'and replaces it (upsert)');
select throws_ok($$ insert into storage.objects (bucket_id, name, owner_id) values ('avatars', current_setting('test.b') || '/me.png', current_setting('test.a')) $$,
  '42501', null, 'learner A cannot upload into learner B''s folder');
select throws_ok($$ insert into storage.objects (bucket_id, name, owner_id) values ('avatars', 'me.png', current_setting('test.a')) $$,
  '42501', null, 'nor at the root of the bucket');
select throws_ok($$ insert into storage.objects (bucket_id, name, owner_id) values ('avatars', 'x/' || current_setting('test.a') || '/me.png', current_setting('test.a')) $$,
  '42501', null, 'nor in a folder that merely contains their id further down');
select throws_ok($$ insert into storage.objects (bucket_id, name, owner_id) values ('other-bucket', current_setting('test.a') || '/me.png', current_setting('test.a')) $$,
  '42501', null, 'nor in another bucket');
select throws_ok($$ update storage.objects set name = current_setting('test.b') || '/moved.png'
                    where bucket_id = 'avatars' and name = current_setting('test.a') || '/me.png' $$,
  '42501', null, 'learner A cannot move their avatar into learner B''s folder');

-- ---------------------------------------------------------------------------
-- learner B
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_b');
select lives_ok($$ insert into storage.objects (bucket_id, name, owner_id) values ('avatars', current_setting('test.b') || '/b.webp', current_setting('test.b')) $$,
  'learner B uploads into their own folder');
select is((select count(*)::int from storage.objects where bucket_id = 'avatars' and name = current_setting('test.a') || '/me.png'), 1,
  'learner B reads learner A''s avatar (public bucket)');
select is_empty($$ update storage.objects set metadata = '{"mimetype": "image/svg+xml"}'
                   where bucket_id = 'avatars' and name = current_setting('test.a') || '/me.png' returning id $$,
  'learner B cannot overwrite learner A''s avatar');
select set_config('storage.allow_delete_query', 'true', true);
select is_empty($$ delete from storage.objects where bucket_id = 'avatars' and name = current_setting('test.a') || '/me.png' returning id $$,
  'learner B cannot delete it');

-- ---------------------------------------------------------------------------
-- anon and deletion by the owner
-- ---------------------------------------------------------------------------
select tests.authenticate_as_anon();
select is((select count(*)::int from storage.objects where bucket_id = 'avatars'), 2, 'anon reads the public avatars');
select throws_ok($$ insert into storage.objects (bucket_id, name) values ('avatars', 'anon/me.png') $$, '42501', null, 'anon uploads nothing');
select tests.authenticate_as('learner_a');
select results_eq($$ delete from storage.objects where bucket_id = 'avatars' and name = current_setting('test.a') || '/me.png' returning name $$,
  array[current_setting('test.a') || '/me.png'], 'learner A deletes their own avatar');
select set_config('storage.allow_delete_query', '', true);

-- ---------------------------------------------------------------------------
-- Leaderboard announcements: a private topic only the database writes
-- ---------------------------------------------------------------------------
select tests.freeze_time('2026-06-10 12:00:00+00');
select tests.take_quiz('learner_a', 10, 10);
select tests.clear_authentication();
select private.refresh_leaderboards();
select is((select count(*)::int from realtime.messages where topic = 'leaderboards' and private and event = 'leaderboard_changed'), 1,
  'the refresh announces the change on the private topic leaderboards');

select tests.authenticate_as('learner_b');
select set_config('realtime.topic', 'leaderboards', true);
select is((select count(*)::int from realtime.messages where topic = 'leaderboards'), 1,
  'a signed-in learner may receive on the topic (select allowed: joining the private channel succeeds)');
select throws_ok($$ insert into realtime.messages (topic, extension, event, payload, private)
                    values ('leaderboards', 'broadcast', 'leaderboard_changed', '{"boards": "<img src=x onerror=alert(1)>"}', true) $$,
  '42501', null, 'the attack: a learner cannot broadcast a forged announcement on it (insert denied)');
select throws_ok($$ insert into realtime.messages (topic, extension, event, payload, private)
                    values ('leaderboards', 'presence', 'presence', '{}', true) $$,
  '42501', null, 'nor track presence on it');
select set_config('realtime.topic', 'someone-elses-topic', true);
select is_empty($$ select id from realtime.messages $$, 'the policy grants nothing on other private topics');

select tests.authenticate_as_anon();
select set_config('realtime.topic', 'leaderboards', true);
select is_empty($$ select id from realtime.messages $$, 'anon cannot receive the announcements');
select throws_ok($$ insert into realtime.messages (topic, extension, event, payload, private)
                    values ('leaderboards', 'broadcast', 'leaderboard_changed', '{}', true) $$,
  '42501', null, 'nor forge them');

select tests.clear_authentication();
select is_empty($$ select policyname from pg_policies where schemaname = 'realtime' and tablename = 'messages' and cmd in ('INSERT', 'ALL', 'UPDATE') $$,
  'no policy lets anyone write realtime.messages');
select is_empty($$ select policyname from pg_policies where schemaname = 'storage' and tablename = 'objects'
                   and cmd in ('INSERT', 'UPDATE', 'DELETE') and 'anon' = any (roles) $$,
  'no storage write policy for anon');

select * from finish();
rollback;
