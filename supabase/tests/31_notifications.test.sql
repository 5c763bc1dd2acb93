-- Notifications and the e-mail outbox: created by triggers in the transaction of their event
-- (achievement and level up inside submit_quiz, invitation, moderation; streak-at-risk and weekly
-- progress jobs), pushed on the owner's private realtime topic, mirrored to the outbox when the
-- learner's preferences ask for it (after quiet hours); read, marked and deleted only by their
-- owner; the outbox drained only by the service role. One block per actor.
begin;
select plan(82);

select tests.create_actors();
select tests.create_test_exam(50);
select tests.freeze_time('2026-06-10 12:00:00+00');
update public.achievements set is_active = false where slug <> 'opening-move';
-- learner A (New York, 08:00 now) keeps quiet hours 07:00-09:00; learner B wants no achievement e-mails.
update public.user_preferences set quiet_hours_start = '07:00', quiet_hours_end = '09:00' where user_id = tests.get_user_id('learner_a');
update public.user_preferences set email_achievements = false where user_id = tests.get_user_id('learner_b');

-- ---------------------------------------------------------------------------
-- Same transaction as the event
-- ---------------------------------------------------------------------------
-- Inside one subtransaction: submit a quiz, look at the notifications, then fail. What was seen
-- existed before any commit; what remains after the failure shows they live and die together.
create function pg_temp.quiz_then_fail(learner text) returns jsonb
language plpgsql as $$
declare
  seen jsonb;
begin
  begin
    perform tests.take_quiz(learner, 10, 10);
    select jsonb_build_object(
      'notifications', (select jsonb_agg(n.type order by n.type) from public.notifications n),
      'achievements', (select count(*) from public.user_achievements ua where ua.user_id = auth.uid()))
      into seen;
    raise exception using errcode = 'P0002', message = 'undo';
  exception when sqlstate 'P0002' then
    return seen;
  end;
end;
$$;
select is(pg_temp.quiz_then_fail('learner_b'), '{"notifications": ["achievement", "level_up"], "achievements": 1}'::jsonb,
  'right after submit_quiz, in its transaction, the unlocked achievement and the level-up are already notified');
select is_empty($$ select id from public.notifications $$, 'when that transaction fails, no notification is left without its event');

select tests.take_quiz('learner_a', 10, 10);
select tests.take_quiz('learner_b', 10, 10);
select tests.clear_authentication();
select is((select array_agg(type::text order by type) from public.notifications where user_id = tests.get_user_id('learner_a')),
  array['achievement', 'level_up'], 'learner A''s first quiz: an achievement (opening move) and level 2');
select is((select n.xmin::text from public.notifications n where n.user_id = tests.get_user_id('learner_a') and n.type = 'achievement'),
          (select ua.xmin::text from public.user_achievements ua where ua.user_id = tests.get_user_id('learner_a')),
  'the notification was written by the very transaction that awarded the achievement');
select is((select data ->> 'slug' from public.notifications where user_id = tests.get_user_id('learner_a') and type = 'achievement'),
  'opening-move', 'it says which achievement');
select ok(exists (select 1 from realtime.messages m join public.notifications n on (m.payload ->> 'id')::bigint = n.id
                  where m.topic = 'user:' || tests.get_user_id('learner_a') and m.event = 'notification' and m.private
                    and n.user_id = tests.get_user_id('learner_a') and n.type = 'achievement'),
  'and was sent with realtime.send on learner A''s private topic user:<id>');
select is((select count(*)::int from realtime.messages where topic = 'user:' || tests.get_user_id('learner_a')), 2,
  'one realtime message per notification, on the owner''s topic only');
select is((select (o.kind::text, o.recipient, o.status::text, o.xmin::text) from public.email_outbox o
           join public.notifications n on n.id = o.notification_id
           where n.user_id = tests.get_user_id('learner_a') and n.type = 'achievement'),
          ('achievement'::text, 'learner_a@test.ascend.local'::text, 'queued'::text,
           (select ua.xmin::text from public.user_achievements ua where ua.user_id = tests.get_user_id('learner_a'))),
  'learner A wants achievement e-mails: an outbox row is queued in the same transaction');
select is((select next_attempt_at from public.email_outbox where user_id = tests.get_user_id('learner_a') and kind = 'achievement' limit 1),
  '2026-06-10 13:00:00+00'::timestamptz, 'scheduled for the end of learner A''s quiet hours (09:00 in New York)');
select is((select count(*)::int from public.email_outbox where user_id = tests.get_user_id('learner_a')), 2,
  'the level-up e-mail follows the achievements preference too');
select is((select count(*)::int from public.notifications where user_id = tests.get_user_id('learner_b')), 2,
  'learner B is notified in the app');
select is_empty($$ select id from public.email_outbox where user_id = tests.get_user_id('learner_b') $$,
  'but gets no e-mail: their preferences turned achievement e-mails off');

-- Invitations: an e-mail to the address always; a notification when an account uses it.
select tests.authenticate_as('admin_1');
select public.invite_to_organization(tests.org_id('org-one'), 'learner_d@test.ascend.local');
select public.invite_to_organization(tests.org_id('org-one'), 'stranger@example.com');
select tests.clear_authentication();
select is((select (type::text, data ->> 'organization_name') from public.notifications where user_id = tests.get_user_id('learner_d')),
  ('invitation'::text, 'Org One'::text), 'an invitation to learner D''s address notifies learner D');
select is((select array_agg(recipient order by recipient) from public.email_outbox where kind = 'invitation'),
  array['learner_d@test.ascend.local', 'stranger@example.com'], 'and both invited addresses get their invitation e-mail');
select is((select user_id from public.email_outbox where recipient = 'stranger@example.com'), null::uuid,
  'an address without an account gets the e-mail alone');

-- Moderation result.
insert into public.question_reports (question_id, reporter_id, reason, details)
select min(id), tests.get_user_id('learner_b'), 'typo', 'a typo' from public.questions where exam_id = 'test-exam';
update public.question_reports set status = 'accepted', moderator_note = 'Fixed, thanks' where reporter_id = tests.get_user_id('learner_b');
select is((select (body, data ->> 'status') from public.notifications where user_id = tests.get_user_id('learner_b') and type = 'moderation_result'),
  ('Fixed, thanks'::text, 'accepted'::text), 'the reporter hears the moderation result');

-- Streak at risk (hourly job): learner A practised on the 10th; on the 11th at 19:00 in New York.
select tests.freeze_time('2026-06-11 23:00:00+00');
select is(private.notify_streaks_at_risk(), 1, 'the job warns the one learner whose streak ends tonight');
select is(private.notify_streaks_at_risk(), 0, 'once per local day');
select is((select (type::text, (data ->> 'current_streak')::int) from public.notifications where user_id = tests.get_user_id('learner_a') and type = 'streak_at_risk'),
  ('streak_at_risk'::text, 1), 'learner A is told their 1-day streak is at risk');
select is((select count(*)::int from public.email_outbox where user_id = tests.get_user_id('learner_a') and kind = 'streak_reminder'), 1,
  'with a streak reminder e-mail');

-- Weekly progress e-mails.
select tests.freeze_time('2026-06-15 08:00:00+00');
update public.user_preferences set email_weekly_progress = false where user_id = tests.get_user_id('learner_b');
select is(private.queue_weekly_progress_emails(), 1, 'Monday: a weekly progress e-mail for each learner active this week who wants it');
select is(private.queue_weekly_progress_emails(), 0, 'once per week');
select is((select (template_data ->> 'xp_earned')::int from public.email_outbox where kind = 'weekly_progress'), 200,
  'with the week''s XP (quiz and achievement)');
select tests.freeze_time('2026-06-11 23:00:00+00');

-- Turning a kind of e-mail off cancels what of that kind still waits.
update public.user_preferences set email_streak_reminder = false where user_id = tests.get_user_id('learner_a');
select is((select status::text from public.email_outbox where user_id = tests.get_user_id('learner_a') and kind = 'streak_reminder'), 'cancelled',
  'learner A turns streak reminders off: the queued reminder is cancelled');
-- Learner B (Tokyo, 08:00 now) sleeps in until 10:00: an assignment e-mail waits for it.
update public.user_preferences set quiet_hours_start = '07:00', quiet_hours_end = '10:00' where user_id = tests.get_user_id('learner_b');
select private.notify(tests.get_user_id('learner_b'), 'assignment_due', 'New assignment: Week 1');
select is((select o.next_attempt_at from public.email_outbox o where o.user_id = tests.get_user_id('learner_b') and o.kind = 'assignment'),
  '2026-06-12 01:00:00+00'::timestamptz, 'an e-mail queued during quiet hours is scheduled for their end (10:00 in Tokyo)');

-- ---------------------------------------------------------------------------
-- anon
-- ---------------------------------------------------------------------------
select tests.authenticate_as_anon();
select throws_ok($$ select * from public.notifications $$, '42501', null, 'anon cannot read notifications');
select throws_ok($$ select * from public.email_outbox $$, '42501', null, 'nor the outbox');
select throws_ok($$ select public.get_unread_notification_count() $$, '42501', null, 'nor count them');
select throws_ok($$ select public.send_notification('Hi', p_users => array[gen_random_uuid()]) $$, '42501', null, 'nor send one');

-- ---------------------------------------------------------------------------
-- learner A: their own notifications
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select is((select count(*)::int from public.notifications), 3, 'learner A reads their three notifications');
select is(public.get_unread_notification_count(), 3, 'all unread');
select is((public.get_notifications(p_limit => 1, p_offset => 1) -> 'items' -> 0 ->> 'type'), 'achievement',
  'get_notifications pages newest first');
select is((public.get_notifications(p_limit => 1) - 'items'), '{"total": 3, "unread": 3, "limit": 1, "offset": 0}'::jsonb,
  'with the total and unread counts');
select is((public.get_notifications(p_type => 'level_up') ->> 'total')::int, 1, 'filters by type');
select throws_ok($$ select public.get_notifications(p_limit => 101) $$, '22023', null, 'a page holds at most 100');
select is(public.mark_notifications_read((select array_agg(id) from public.notifications where type = 'achievement')), 1,
  'learner A marks one read');
select is((public.get_notifications(p_unread_only => true) ->> 'total')::int, 2, 'the unread filter');
select is(public.mark_notifications_read((select array_agg(id) from public.notifications where type = 'achievement'), false), 1,
  'and marks it unread again');
select is(public.mark_notifications_read((select array_agg(id) from public.notifications n where n.id > 0)
                                         || array[(select max(id) from public.notifications) + 100000]), 3,
  'marks many at once (ids that are not theirs are ignored)');
select throws_ok($$ select public.mark_notifications_read((select array_agg(g)::bigint[] from generate_series(1, 101) g)) $$,
  '22023', null, 'not more than 100 per call');
select throws_ok($$ select public.delete_notifications('{}') $$, '22023', null, 'nor none');
select is(public.get_unread_notification_count(), 0, 'nothing unread');
select throws_ok($$ update public.notifications set title = 'forged' $$, '42501', null, 'learner A cannot rewrite a notification');
select throws_ok(format($$ insert into public.notifications (user_id, type, title) values (%L, 'system', 'forged') $$, tests.get_user_id('learner_a')),
  '42501', null, 'nor create one');
select throws_ok($$ select public.send_notification('Hi', p_organization => tests.org_id('org-one')) $$, '42501', null,
  'a learner cannot send notifications');
select is_empty($$ select id from public.email_outbox $$, 'learner A does not read the outbox');
select is(public.delete_notifications((select array_agg(id) from public.notifications where type = 'streak_at_risk')), 1,
  'learner A deletes a notification');
select is(public.mark_all_notifications_read(), 0, 'mark all read: nothing left unread');

-- The realtime topic: learner A may receive on user:<A>, nobody may broadcast there.
select set_config('realtime.topic', 'user:' || tests.get_user_id('learner_a'), true);
select ok((select count(*) from realtime.messages where topic = 'user:' || tests.get_user_id('learner_a')) > 0,
  'the realtime policy lets learner A receive on their own topic');
select throws_ok(format($$ insert into realtime.messages (topic, extension, event, payload, private)
                           values ('user:%s', 'broadcast', 'notification', '{}', true) $$, tests.get_user_id('learner_a')),
  '42501', null, 'but not broadcast on it (no insert policy)');

-- ---------------------------------------------------------------------------
-- learner B and other actors: someone else's notifications stay theirs
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_b');
select set_config('realtime.topic', 'user:' || tests.get_user_id('learner_a'), true);
select is_empty($$ select id from realtime.messages where topic = 'user:' || tests.get_user_id('learner_a') $$,
  'learner B cannot receive on learner A''s topic');
select ok((select bool_and(user_id = auth.uid()) from public.notifications), 'learner B reads only their own notifications');
select is(public.mark_notifications_read((select array_agg(id) from public.notifications)) > 0, true, 'and marks them');
select is(public.mark_notifications_read(array[(select min(id) from public.notifications) - 1000]), 0, 'an id that is not theirs changes nothing');
select is_empty(format($$ delete from public.notifications where user_id = %L returning id $$, tests.get_user_id('learner_a')),
  'learner B cannot delete learner A''s notifications');
select is_empty(format($$ update public.notifications set read_at = null where user_id = %L returning id $$, tests.get_user_id('learner_a')),
  'nor mark them');

select is_empty($$ select id from public.email_outbox $$, 'learner B does not read the outbox');
select tests.authenticate_as('instructor_1');
select is_empty($$ select id from public.notifications where user_id <> auth.uid() $$, 'the instructor does not read learners'' notifications');
select is_empty($$ select id from public.email_outbox $$, 'nor the outbox');
select throws_ok($$ select public.send_notification('Hi', p_organization => tests.org_id('org-one')) $$, '42501', null,
  'nor sends organisation notifications');

select tests.authenticate_as('admin_1');
select is_empty($$ select id from public.notifications where user_id <> auth.uid() $$, 'the admin of org 1 does not read them either');
select is_empty($$ select id from public.email_outbox $$, 'nor the outbox (not even the invitations they sent)');
select is(public.send_notification('Exam day moved', 'Now on Friday', p_organization => tests.org_id('org-one')), 5,
  'the admin of org 1 notifies the five members of org 1');
select is(public.send_notification('Only A', p_users => array[tests.get_user_id('learner_a'), tests.get_user_id('learner_d')],
                                   p_organization => tests.org_id('org-one')), 1,
  'users outside the organisation are left out');
select throws_ok($$ select public.send_notification('Hi', p_organization => tests.org_id('org-two')) $$, '42501', null,
  'but cannot notify org 2');

select tests.authenticate_as('admin_2');
select is_empty($$ select id from public.notifications where user_id <> auth.uid() $$, 'the admin of org 2 reads no one else''s notifications');
select is(public.send_notification('Welcome', p_organization => tests.org_id('org-two')), 2, 'and notifies org 2');
select is_empty($$ select id from public.email_outbox $$, 'nor reads the outbox');

select tests.authenticate_as('platform_admin');
select is_empty($$ select id from public.notifications where user_id <> auth.uid() $$, 'a platform admin does not read learners'' notifications');
select ok((select count(*) from public.email_outbox) >= 6, 'but reads the outbox (operations)');
select is(public.send_notification('Maintenance tonight', p_users => array[tests.get_user_id('outsider')]), 1,
  'and sends system notifications to anyone');
select throws_ok($$ update public.email_outbox set status = 'sent' $$, '42501', null, 'without changing the outbox');

-- ---------------------------------------------------------------------------
-- service_role: the e-mail sender
-- ---------------------------------------------------------------------------
select tests.authenticate_as_service_role();
select ok((select count(*) from public.notifications) > 10, 'the service role reads every notification');
select lives_ok(format($$ insert into public.notifications (user_id, type, title) values (%L, 'report_ready', 'Your training report is ready') $$,
                       tests.get_user_id('learner_b')), 'and may create one (trusted backends)');
select ok(exists (select 1 from realtime.messages where topic = 'user:' || tests.get_user_id('learner_b') and payload ->> 'type' = 'report_ready'),
  'which is pushed live too');
select set_config('test.claimed', (select jsonb_agg(id)::text from public.claim_email_outbox(100)), true);
select ok(jsonb_array_length(current_setting('test.claimed')::jsonb) >= 4, 'the sender claims the due e-mails');
select ok(not (current_setting('test.claimed')::jsonb @> (select jsonb_agg(id) from public.email_outbox where next_attempt_at > '2026-06-11 23:00:00+00'))
          and not (current_setting('test.claimed')::jsonb @> (select jsonb_agg(id) from public.email_outbox where status = 'cancelled')),
  'but neither e-mails waiting for quiet hours to end nor cancelled ones');
select is((select count(*)::int from public.claim_email_outbox(100)), 0, 'a claimed e-mail is not claimed twice');
select is((public.complete_email_outbox((current_setting('test.claimed')::jsonb ->> 0)::bigint, 'msg_123')).status::text, 'sent',
  'a sent e-mail records the provider''s message id');
select is((select (o.status::text, o.next_attempt_at) from public.complete_email_outbox((current_setting('test.claimed')::jsonb ->> 1)::bigint, null, 'provider said 503') o),
  ('queued'::text, '2026-06-11 23:01:00+00'::timestamptz), 'a failure queues it again after 1 minute (exponential backoff)');
select throws_ok(format($$ select public.complete_email_outbox(%s, 'x') $$, current_setting('test.claimed')::jsonb ->> 0), 'PT409', null,
  'an e-mail not being sent cannot be completed');
select tests.authenticate_as('learner_a');
select throws_ok($$ select public.claim_email_outbox(10) $$, '42501', null, 'learners cannot claim outbox e-mails');

select * from finish();
rollback;
