-- Learning-core data generator for benchmarks: N learners with profiles, XP ledgers, levels,
-- streaks, achievements, avatars, organisations and quiz histories, set-based (no row-by-row
-- loop). Incremental: it adds learners bench.state.learners + 1 .. bench.n, so 100k then 1M
-- reuses the first 100k.
--
-- Settings (set them in the session before running the file):
--   bench.n                   target number of generated learners (required)
--   bench.attempts            average submitted quizzes per learner (default 4)
--   bench.detail              learners whose quizzes also get per-question answers (default 20000)
--   bench.questions_per_exam  synthetic published questions added per exam (default 400)
--   bench.followers, bench.follows_each  the first learners who follow others, and how many each (20000, 50)
-- Run as a superuser (supabase_admin): triggers and FK checks are skipped with
-- session_replication_role = replica, and every derived column is computed here instead.
--   psql "$SUPERUSER_URL" -1 -c "set bench.n = 100000" -f tests/bench/learning/generate.sql
-- (or through tests/bench/learning/bench.ts, which sets the knobs and times each size).

set session_replication_role = replica;
set synchronous_commit = off;
set work_mem = '256MB';

create schema if not exists bench;
comment on schema bench is 'Benchmark bookkeeping (local instances only).';
create table if not exists bench.state (id integer primary key default 1 check (id = 1), learners integer not null);
insert into bench.state (id, learners) values (1, 0) on conflict (id) do nothing;

-- Bulk load: the secondary (non-unique, non-constraint) indexes of the tables filled below are
-- dropped here and rebuilt once at the end (one sorted build instead of millions of random
-- inserts). The file runs as one transaction (one simple-query message, or psql -1), so a failure
-- rolls the drops back with everything else.
drop table if exists pg_temp.bench_index;
create temporary table bench_index as
select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
from pg_index i
where i.indrelid in ('public.quiz_attempt_items'::regclass, 'public.quiz_attempts'::regclass, 'public.xp_events'::regclass,
                     'public.learner_exam_stats'::regclass, 'public.profiles'::regclass, 'public.user_achievements'::regclass,
                     'public.user_avatars'::regclass, 'public.organization_members'::regclass, 'public.follows'::regclass,
                     'auth.users'::regclass)
  and not i.indisunique
  and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid);
do $$
declare v record;
begin
  for v in select name from pg_temp.bench_index loop
    execute format('drop index %s', v.name);
  end loop;
end
$$;

drop table if exists pg_temp.bench_range;
create temporary table bench_range as
select s.learners as lo,
       greatest(s.learners, current_setting('bench.n')::integer) as hi,
       coalesce(nullif(current_setting('bench.attempts', true), ''), '4')::numeric as attempts,
       coalesce(nullif(current_setting('bench.detail', true), ''), '20000')::integer as detail,
       coalesce(nullif(current_setting('bench.questions_per_exam', true), ''), '400')::integer as qpe,
       now() as t0,
       extensions.crypt('bench-password-1', extensions.gen_salt('bf', 4)) as pw
from bench.state s;

-- ---------------------------------------------------------------------------
-- 1. Question bank: qpe published global questions per exam, spread over its domains, with keys.
-- ---------------------------------------------------------------------------
insert into public.questions (exam_id, domain_id, stem, options, status)
select e.id, d.id, format('Bench question %s of exam %s: which option is right?', g, e.id),
       '{"A": "Option A", "B": "Option B", "C": "Option C", "D": "Option D"}', 'published'
from public.exams e
cross join bench_range r
cross join lateral generate_series(1, r.qpe) g
cross join lateral (
  select dd.id from public.exam_domains dd where dd.exam_id = e.id
  order by dd.position offset (g % (select count(*) from public.exam_domains x where x.exam_id = e.id)) limit 1
) d
where e.id in ('security', 'network', 'a1101', 'a1102')
  and not exists (select 1 from public.questions q where q.exam_id = e.id and q.stem like 'Bench question %');

insert into public.question_keys (question_id, correct_answer, explanations)
select q.id, (array['A', 'B', 'C', 'D'])[1 + (q.id % 4)::integer],
       '{"A": "Why A", "B": "Why B", "C": "Why C", "D": "Why D"}'
from public.questions q
where q.stem like 'Bench question %'
  and not exists (select 1 from public.question_keys k where k.question_id = q.id);

drop table if exists pg_temp.bench_pool;
create temporary table bench_pool as
select q.exam_id, array_agg(q.id order by q.id) as ids, count(*)::integer as n
from public.questions q
where q.status = 'published' and q.organization_id is null and q.exam_id in ('security', 'network', 'a1101', 'a1102')
group by q.exam_id;

-- ---------------------------------------------------------------------------
-- 2. Learners: auth users (ids derived from the learner number) and their traits.
-- ---------------------------------------------------------------------------
drop table if exists pg_temp.bench_learner;
create temporary table bench_learner as
select i,
       md5('bench-learner-' || i)::uuid as id,
       (array['UTC', 'Europe/London', 'Europe/Paris', 'America/New_York', 'America/Chicago', 'America/Los_Angeles',
              'Asia/Tokyo', 'Asia/Kolkata', 'Australia/Sydney', 'America/Sao_Paulo', 'Africa/Lagos', 'Asia/Singapore'])[1 + i % 12] as tz,
       random() as skill,
       floor(power(random(), 2) * r.attempts * 3)::integer as n_attempts
from bench_range r, generate_series(r.lo + 1, r.hi) i;

insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  confirmation_token, recovery_token, email_change_token_new, email_change,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
select '00000000-0000-0000-0000-000000000000', l.id, 'authenticated', 'authenticated',
       'bench' || l.i || '@bench.ascend.local', r.pw, r.t0 - interval '200 days',
       '', '', '', '',
       '{"provider": "email", "providers": ["email"]}', jsonb_build_object('bench', l.i),
       r.t0 - interval '200 days', r.t0
from bench_learner l, bench_range r;

-- ---------------------------------------------------------------------------
-- 3. Quiz history: 30-question attempts, recent-biased over 120 days, scored by skill.
-- ---------------------------------------------------------------------------
drop table if exists pg_temp.bench_attempt;
create temporary table bench_attempt as
select x.*,
       10 * x.correct as base,
       case when x.correct * 100 >= 90 * 30 then 50 when x.correct * 100 >= 80 * 30 then 25
            when x.correct * 100 >= 70 * 30 then 10 else 0 end as bonus_percent
from (
  select l.i, l.id as user_id, l.tz, a as seq, gen_random_uuid() as attempt_id,
         (array['security', 'network', 'a1101', 'a1102'])[1 + ((l.i + a) % 4)] as exam_id,
         least(30, greatest(0, round(30 * (0.35 + 0.6 * l.skill) + (random() - 0.5) * 8)))::integer as correct,
         r.t0 - power(random(), 2) * interval '120 days' as submitted_at,
         600 + floor(random() * 1200)::integer as time_taken
  from bench_learner l
  cross join bench_range r
  cross join lateral generate_series(1, l.n_attempts) a
) x;

insert into public.quiz_attempts (
  id, user_id, exam_id, mode, status, question_count, started_at, submitted_at,
  correct_count, score_percentage, xp_earned, time_taken_seconds)
select a.attempt_id, a.user_id, a.exam_id, 'practice', 'submitted', 30,
       a.submitted_at - make_interval(secs => a.time_taken), a.submitted_at,
       a.correct, round(a.correct * 100.0 / 30, 2), a.base + a.base * a.bonus_percent / 100, a.time_taken
from bench_attempt a;

insert into public.quiz_attempt_items (
  attempt_id, position, question_id, question_version, user_id, exam_id, domain_id,
  selected_answer, is_correct, time_spent_seconds, graded_at)
select a.attempt_id, pos, q.id, 1, a.user_id, a.exam_id, q.domain_id,
       case when pos <= a.correct then k.correct_answer
            else (array['B', 'C', 'D', 'A'])[ascii(k.correct_answer) - 64] end,
       pos <= a.correct, 20 + floor(random() * 60)::integer, a.submitted_at
from bench_attempt a
cross join bench_range r
join bench_pool p on p.exam_id = a.exam_id
cross join lateral generate_series(1, 30) pos
join public.questions q on q.id = p.ids[1 + ((a.seq * 37 + a.i * 11 + pos * 7) % p.n)]
join public.question_keys k on k.question_id = q.id
where a.i <= r.detail;

insert into public.xp_events (user_id, amount, source, attempt_id, created_at)
select a.user_id, x.amount, x.source, a.attempt_id, a.submitted_at
from bench_attempt a
cross join lateral (values (a.base, 'quiz'::public.xp_source),
                           (a.base * a.bonus_percent / 100, 'accuracy_bonus'::public.xp_source)) x (amount, source)
where x.amount > 0;

insert into public.learner_exam_stats (
  user_id, exam_id, quizzes_completed, questions_answered, correct_answers, xp_earned, best_score, score_sum, last_submitted_at)
select a.user_id, a.exam_id, count(*), 30 * count(*), sum(a.correct),
       sum(a.base + a.base * a.bonus_percent / 100), max(round(a.correct * 100.0 / 30, 2)),
       sum(round(a.correct * 100.0 / 30, 2)), max(a.submitted_at)
from bench_attempt a
group by a.user_id, a.exam_id;

-- ---------------------------------------------------------------------------
-- 4. Profiles with counters, XP, level and streaks consistent with the history.
-- ---------------------------------------------------------------------------
insert into public.profiles (
  id, username, display_name, time_zone, selected_avatar_id, show_on_leaderboards,
  xp, level, current_streak, longest_streak, last_activity_date,
  quizzes_completed, questions_answered, correct_answers, perfect_quizzes, high_score_quizzes, created_at, updated_at)
select l.id, 'bench_' || l.i, 'Bench Learner ' || l.i, l.tz,
       (select av.id from public.avatars av where av.is_default order by av.position, av.id limit 1),
       random() > 0.03,
       coalesce(s.xp, 0), private.level_for_xp(coalesce(s.xp, 0)),
       st.current_streak, st.current_streak + floor(random() * 10)::integer, s.last_day,
       coalesce(s.quizzes, 0), 30 * coalesce(s.quizzes, 0), coalesce(s.correct, 0),
       coalesce(s.perfect, 0), coalesce(s.high, 0), r.t0 - interval '200 days', r.t0
from bench_learner l
cross join bench_range r
left join (
  select a.user_id, count(*)::integer as quizzes, sum(a.correct)::integer as correct,
         count(*) filter (where a.correct = 30)::integer as perfect,
         count(*) filter (where a.bonus_percent = 50)::integer as high,
         sum(a.base + a.base * a.bonus_percent / 100)::bigint as xp,
         (max(a.submitted_at) at time zone min(a.tz))::date as last_day
  from bench_attempt a group by a.user_id
) s on s.user_id = l.id
cross join lateral (
  select case when s.last_day >= (r.t0 at time zone l.tz)::date - 1 then 1 + floor(random() * 14)::integer else 0 end as current_streak
) st;

insert into public.user_avatars (user_id, avatar_id, unlocked_at, source)
select l.id, av.id, r.t0 - interval '200 days', 'default'
from bench_learner l cross join bench_range r join public.avatars av on av.is_default;

-- ---------------------------------------------------------------------------
-- 5. Achievements earned from the counters (one pass), their XP and avatars.
-- ---------------------------------------------------------------------------
drop table if exists pg_temp.bench_earned;
create temporary table bench_earned as
select p.id as user_id, a.id as achievement_id, a.xp_reward, r.t0 - interval '1 day' as earned_at
from bench_learner l
cross join bench_range r
join public.profiles p on p.id = l.id
join public.achievements a on a.is_active and a.criteria_type <> 'level_reached'
left join public.learner_exam_stats s on s.user_id = p.id and s.exam_id = a.exam_id
where (case a.criteria_type
         when 'quiz_completed' then p.quizzes_completed
         when 'perfect_quiz' then p.perfect_quizzes
         when 'high_score_quiz' then p.high_score_quizzes
         when 'correct_answers' then p.correct_answers
         when 'study_streak' then p.longest_streak
         when 'exam_specific' then coalesce(s.quizzes_completed, 0)
       end) >= a.criteria_value;

insert into bench_earned (user_id, achievement_id, xp_reward, earned_at)
select p.id, a.id, a.xp_reward, r.t0 - interval '1 day'
from bench_learner l
cross join bench_range r
join public.profiles p on p.id = l.id
left join (select e.user_id, sum(e.xp_reward) as reward from bench_earned e group by e.user_id) e on e.user_id = p.id
join public.achievements a on a.is_active and a.criteria_type = 'level_reached'
where private.level_for_xp(p.xp + coalesce(e.reward, 0)) >= a.criteria_value;

insert into public.user_achievements (user_id, achievement_id, earned_at)
select e.user_id, e.achievement_id, e.earned_at from bench_earned e;

insert into public.xp_events (user_id, amount, source, achievement_id, created_at)
select e.user_id, e.xp_reward, 'achievement', e.achievement_id, e.earned_at from bench_earned e where e.xp_reward > 0;

insert into public.user_avatars (user_id, avatar_id, unlocked_at, source)
select e.user_id, av.id, e.earned_at, 'achievement'
from bench_earned e join public.avatars av on av.required_achievement_id = e.achievement_id
on conflict do nothing;

update public.profiles p
   set xp = p.xp + e.reward, level = private.level_for_xp(p.xp + e.reward)
  from (select e.user_id, sum(e.xp_reward) as reward from bench_earned e group by e.user_id) e
 where p.id = e.user_id and e.reward > 0;

-- ---------------------------------------------------------------------------
-- 6. Organisations of 1,000 learners: the first of each block owns it, the second teaches it.
-- ---------------------------------------------------------------------------
insert into public.organizations (id, slug, name, created_by, created_at, updated_at)
select md5('bench-org-' || b)::uuid, 'bench-org-' || b, 'Bench Organisation ' || b,
       md5('bench-learner-' || (b * 1000 + 1))::uuid, r.t0 - interval '200 days', r.t0
from bench_range r
cross join lateral generate_series(r.lo / 1000, (r.hi - 1) / 1000) b
on conflict (id) do nothing;

insert into public.organization_members (organization_id, user_id, role, joined_at)
select md5('bench-org-' || ((l.i - 1) / 1000))::uuid, l.id,
       case (l.i - 1) % 1000 when 0 then 'owner'::public.org_role when 1 then 'instructor' else 'learner' end,
       r.t0 - interval '200 days'
from bench_learner l cross join bench_range r
on conflict do nothing;

-- ---------------------------------------------------------------------------
-- 7. Follows: the first bench.followers learners (default 20000) each follow bench.follows_each
--    (default 50) learners spread over the population generated so far (the followed board).
-- ---------------------------------------------------------------------------
insert into public.follows (follower_id, followee_id, created_at)
select l.id, md5('bench-learner-' || (1 + (l.i::bigint * 7919 + k::bigint * 104729) % r.hi))::uuid, r.t0 - interval '30 days'
from bench_learner l
cross join bench_range r
cross join lateral generate_series(1, coalesce(nullif(current_setting('bench.follows_each', true), ''), '50')::integer) k
where l.i <= coalesce(nullif(current_setting('bench.followers', true), ''), '20000')::integer
  and 1 + (l.i::bigint * 7919 + k::bigint * 104729) % r.hi <> l.i
on conflict do nothing;

update bench.state set learners = (select hi from bench_range);

set maintenance_work_mem = '512MB';
do $$
declare v record;
begin
  for v in select def from pg_temp.bench_index loop
    execute v.def;
  end loop;
end
$$;

reset session_replication_role;

analyze public.profiles;
analyze public.quiz_attempts;
analyze public.quiz_attempt_items;
analyze public.xp_events;
analyze public.learner_exam_stats;
analyze public.organization_members;
analyze public.user_achievements;
analyze public.user_avatars;
analyze public.questions;
analyze public.follows;
analyze auth.users;
