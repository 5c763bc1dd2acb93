-- Welcome e-mails: one per account with a confirmed address, queued when the account is created
-- confirmed or when a sign-up confirms later; never a second one; none for unconfirmed or
-- anonymous accounts.
begin;
select plan(7);

select tests.freeze_time('2026-06-01 12:00:00+00');

-- created confirmed (admin API, autoconfirm): queued with the profile
select tests.create_user('welcome_ada', 'Ada.Welcome@Example.com', '{}', '{"display_name": "Ada"}');
select results_eq(
  $$ select kind::text, recipient, template, template_data, idempotency_key, status::text
     from public.email_outbox where user_id = tests.get_user_id('welcome_ada') $$,
  $$ values ('system'::text, 'ada.welcome@example.com'::text, 'welcome'::text,
             jsonb_build_object('display_name', (select display_name from public.profiles where id = tests.get_user_id('welcome_ada'))),
             'welcome:' || tests.get_user_id('welcome_ada')::text, 'queued'::text) $$,
  'an account created confirmed gets one welcome e-mail, to its address in lower case');

-- a sign-up that confirms later
insert into auth.users (instance_id, id, aud, role, email, encrypted_password, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
values ('00000000-0000-0000-0000-000000000000', '00000000-0000-4000-8000-00000000e001', 'authenticated', 'authenticated',
        'later@example.com', '', '{"provider": "email"}', '{}', now(), now());
select is_empty($$ select id from public.email_outbox where user_id = '00000000-0000-4000-8000-00000000e001' $$,
  'an unconfirmed sign-up gets none yet');
update auth.users set email_confirmed_at = now() where id = '00000000-0000-4000-8000-00000000e001';
select is((select count(*)::int from public.email_outbox where user_id = '00000000-0000-4000-8000-00000000e001' and template = 'welcome'), 1,
  'confirming the address queues it');

-- never twice
update auth.users set email_confirmed_at = null where id = '00000000-0000-4000-8000-00000000e001';
update auth.users set email = 'new@example.com', email_confirmed_at = now() where id = '00000000-0000-4000-8000-00000000e001';
select is((select count(*)::int from public.email_outbox where user_id = '00000000-0000-4000-8000-00000000e001' and template = 'welcome'), 1,
  'a second confirmation (an e-mail change) sends no second welcome');

-- anonymous: no address, no e-mail
insert into auth.users (instance_id, id, aud, role, is_anonymous, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
values ('00000000-0000-0000-0000-000000000000', '00000000-0000-4000-8000-00000000e002', 'authenticated', 'authenticated', true,
        '{}', '{}', now(), now());
select is_empty($$ select id from public.email_outbox where user_id = '00000000-0000-4000-8000-00000000e002' $$,
  'an anonymous account gets none');

select ok(not has_function_privilege('authenticated', 'private.queue_welcome_email(uuid)', 'execute')
          and not has_function_privilege('anon', 'private.queue_welcome_email(uuid)', 'execute'),
  'nobody queues welcome e-mails through the API');
select is_definer('private', 'queue_welcome_email', array['uuid']::name[], 'queue_welcome_email is security definer (writes the outbox)');

select * from finish();
rollback;
