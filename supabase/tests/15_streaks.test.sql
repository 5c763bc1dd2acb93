-- Streaks in the learner's own time zone: the same local day changes nothing, the next local day
-- adds one, a gap starts again at one, the longest is kept; midnight is crossed in New York
-- (UTC-4 in March 2026) and in Tokyo (UTC+9) at different UTC instants, and the reset job is
-- right for both, and for a half-hour zone (Kolkata, UTC+5:30), whenever it runs.
begin;
select plan(25);

select tests.create_actors();
select tests.create_test_exam(10);
select tests.create_user('learner_k', null, '{}', '{"username": "learner_k", "time_zone": "Asia/Kolkata"}');

create temporary table streak_seen (who text, label text, current integer, longest integer, last_day date, status text) on commit drop;

create function pg_temp.quiz_at(who text, at timestamptz, label text) returns void language plpgsql as $$
declare
  r jsonb;
begin
  perform tests.freeze_time(at);
  r := tests.take_quiz(who, 3, 3);
  perform tests.clear_authentication();
  insert into streak_seen values (who, label, (r -> 'streak' ->> 'current')::int, (r -> 'streak' ->> 'longest')::int,
                                  (r -> 'streak' ->> 'last_activity_date')::date, r -> 'streak' ->> 'status');
end;
$$;

-- ---------------------------------------------------------------------------
-- New York: midnight local is 04:00 UTC
-- ---------------------------------------------------------------------------
select pg_temp.quiz_at('learner_a', '2026-03-10 03:30:00+00', 'ny 23:30 on the 9th');
select pg_temp.quiz_at('learner_a', '2026-03-10 04:30:00+00', 'ny 00:30 on the 10th');
select pg_temp.quiz_at('learner_a', '2026-03-10 05:00:00+00', 'ny 01:00 on the 10th');
select pg_temp.quiz_at('learner_a', '2026-03-10 15:30:00+00', 'ny 11:30 on the 10th');

select is((select (current, longest, last_day, status) from streak_seen where label = 'ny 23:30 on the 9th'),
  row(1, 1, '2026-03-09'::date, 'started'::text), 'New York, 23:30 local on the 9th (03:30 UTC on the 10th): day 1 is the 9th');
select is((select (current, longest, last_day, status) from streak_seen where label = 'ny 00:30 on the 10th'),
  row(2, 2, '2026-03-10'::date, 'extended'::text), 'one hour later it is the 10th in New York: the streak is 2');
select is((select (current, status) from streak_seen where label = 'ny 01:00 on the 10th'),
  row(2, 'unchanged'::text), 'another quiz the same local day changes nothing');
select is((select (current, status) from streak_seen where label = 'ny 11:30 on the 10th'),
  row(2, 'unchanged'::text), 'still the 10th in New York at 15:30 UTC');

-- ---------------------------------------------------------------------------
-- Tokyo: midnight local is 15:00 UTC
-- ---------------------------------------------------------------------------
select pg_temp.quiz_at('learner_b', '2026-03-10 04:30:00+00', 'tokyo 13:30 on the 10th');
select pg_temp.quiz_at('learner_b', '2026-03-10 14:30:00+00', 'tokyo 23:30 on the 10th');
select pg_temp.quiz_at('learner_b', '2026-03-10 15:30:00+00', 'tokyo 00:30 on the 11th');

select is((select (current, last_day, status) from streak_seen where label = 'tokyo 13:30 on the 10th'),
  row(1, '2026-03-10'::date, 'started'::text), 'Tokyo at 04:30 UTC is already the 10th (when New York''s day has just begun)');
select is((select (current, status) from streak_seen where label = 'tokyo 23:30 on the 10th'),
  row(1, 'unchanged'::text), '14:30 UTC is 23:30 in Tokyo: same day');
select is((select (current, last_day, status) from streak_seen where label = 'tokyo 00:30 on the 11th'),
  row(2, '2026-03-11'::date, 'extended'::text), '15:30 UTC crosses Tokyo''s midnight: the streak is 2, on the 11th');

-- ---------------------------------------------------------------------------
-- Kolkata (UTC+5:30): midnight local is 18:30 UTC
-- ---------------------------------------------------------------------------
select pg_temp.quiz_at('learner_k', '2026-03-20 06:00:00+00', 'kolkata 11:30 on the 20th');
select is((select last_day from streak_seen where label = 'kolkata 11:30 on the 20th'), '2026-03-20'::date,
  'Kolkata learner''s day is the 20th');

-- ---------------------------------------------------------------------------
-- The reset job, run at arbitrary instants
-- ---------------------------------------------------------------------------
select tests.freeze_time('2026-03-12 03:45:00+00');
select is(private.reset_broken_streaks(), 0,
  '03:45 UTC on the 12th: 23:45 on the 11th in New York, 12:45 on the 12th in Tokyo: both streaks still alive');
select tests.freeze_time('2026-03-12 04:15:00+00');
select is(private.reset_broken_streaks(), 1, '04:15 UTC: New York reached the 12th with no activity on the 11th: one streak broken');
select is((select (current_streak, longest_streak) from public.profiles where id = tests.get_user_id('learner_a')), row(0, 2),
  'learner A''s streak is 0, the longest (2) is kept');
select is((select current_streak from public.profiles where id = tests.get_user_id('learner_b')), 2,
  'learner B (Tokyo, last active on the 11th) keeps the streak');
select tests.freeze_time('2026-03-12 14:59:00+00');
select is(private.reset_broken_streaks(), 0, '14:59 UTC: still the 12th in Tokyo');
select tests.freeze_time('2026-03-12 15:01:00+00');
select is(private.reset_broken_streaks(), 1, '15:01 UTC: Tokyo reached the 13th: learner B''s streak breaks');
select is((select (current_streak, longest_streak) from public.profiles where id = tests.get_user_id('learner_b')), row(0, 2),
  'learner B: streak 0, longest 2');

select tests.freeze_time('2026-03-21 18:20:00+00');
select is(private.reset_broken_streaks(), 0, '18:20 UTC on the 21st is 23:50 in Kolkata: the streak holds');
select tests.freeze_time('2026-03-21 18:35:00+00');
select is(private.reset_broken_streaks(), 1, '18:35 UTC is 00:05 on the 22nd in Kolkata: a job running every 15 minutes catches it');
select is(private.reset_broken_streaks(), 0, 'running the job again changes nothing');

-- ---------------------------------------------------------------------------
-- After a gap, back to 1; the longest is kept; a new streak grows again
-- ---------------------------------------------------------------------------
select pg_temp.quiz_at('learner_a', '2026-03-14 16:00:00+00', 'ny after a gap');
select is((select (current, longest, status) from streak_seen where label = 'ny after a gap'), row(1, 2, 'restarted'::text),
  'after a gap the streak starts again at 1 and the longest stays 2');
select pg_temp.quiz_at('learner_a', '2026-03-15 13:00:00+00', 'ny day 2');
select pg_temp.quiz_at('learner_a', '2026-03-16 13:00:00+00', 'ny day 3');
select is((select (current, longest) from streak_seen where label = 'ny day 3'), row(3, 3),
  'three consecutive local days: streak 3, longest 3');

-- A streak not reset yet by the job is never extended past a gap.
select pg_temp.quiz_at('learner_a', '2026-03-20 13:00:00+00', 'ny gap without the job');
select is((select (current, status) from streak_seen where label = 'ny gap without the job'), row(1, 'restarted'::text),
  'a quiz after a gap restarts at 1 even if the job has not run');

-- Changing time zone reaches the streak only from the next local day (in the old zone).
select tests.authenticate_as('learner_a');
update public.profiles set time_zone = 'Pacific/Kiritimati' where id = auth.uid();
select tests.clear_authentication();
select pg_temp.quiz_at('learner_a', '2026-03-20 12:00:00+00', 'kiritimati');
select is((select (last_day, current, status) from streak_seen where label = 'kiritimati'),
  row('2026-03-20'::date, 1, 'unchanged'::text),
  'a move to UTC+14 (already the 21st there) does not extend the streak the same day: New York''s day still counts');

-- Nobody sets a streak by hand.
select tests.authenticate_as('learner_b');
select throws_ok($$ update public.profiles set current_streak = 100, longest_streak = 100 where id = auth.uid() $$, '42501', null,
  'learners cannot write their streak');
select tests.authenticate_as_anon();
select throws_ok($$ select private.reset_broken_streaks() $$, '42501', null, 'the reset job is not callable through the API');
select tests.authenticate_as('learner_b');
select throws_ok($$ select private.reset_broken_streaks() $$, '42501', null, 'nor by learners');

select * from finish();
rollback;
