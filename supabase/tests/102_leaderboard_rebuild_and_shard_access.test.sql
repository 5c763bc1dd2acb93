-- Leaderboard bulk rebuild and the shard objects' access (20261207100500): rebuild_leaderboards()
-- builds the same rows as the full recomputation and a histogram that counts them, and leaves
-- the primary key, both indexes and the cascading foreign key in place; the shard table, the
-- counts view and the new functions are out of reach of every API role. The page mask
-- (20261207100700): private.visible_profile_ids equals private.can_see_profile for every caller
-- and target, and get_leaderboard masks exactly the entries can_see_profile hides.
begin;
select plan(18);

set constraints public.xp_events_leaderboard_sync, public.quiz_attempts_leaderboard_sync,
  public.quiz_attempts_leaderboard_sync_delete, public.learner_exam_stats_leaderboard_sync,
  public.organization_members_leaderboard_sync, public.profiles_leaderboard_sync immediate;

select tests.create_actors();
select tests.create_test_exam(50);
update public.achievements set is_active = false;
select tests.freeze_time('2026-06-10 12:00:00+00');
select tests.take_quiz('learner_a', 10, 10);
select tests.take_quiz('learner_b', 10, 7);
select tests.take_quiz('learner_d', 12, 4);
select tests.clear_authentication();

-- ---------------------------------------------------------------------------
-- Rebuild
-- ---------------------------------------------------------------------------
create temporary table live_rows as
select s.scope, s.board, s.period, s.period_start, s.exam_id, s.user_id, s.score, s.volume, s.expires_at from private.leaderboard_scores s;
select cmp_ok(private.rebuild_leaderboards(), '>', 0::bigint, 'the rebuild writes rows');
select set_eq($$ select s.scope, s.board, s.period, s.period_start, s.exam_id, s.user_id, s.score, s.volume, s.expires_at from private.leaderboard_scores s $$,
              $$ select * from live_rows $$, 'the rebuilt rows equal the incrementally maintained ones');
select is_empty($$ select 1 from private.leaderboard_histogram_shards $$, 'the rebuild leaves no shard rows');
select set_eq($$ select h.scope, h.board, h.period, h.exam_id, h.bucket, h.n from private.leaderboard_histogram h $$,
              $$ select s.scope, s.board, s.period, s.exam_id, s.bucket, count(*) from private.leaderboard_scores s group by 1, 2, 3, 4, 5 $$,
              'the rebuilt histogram counts the rows per board and bucket');
select col_is_pk('private', 'leaderboard_scores', array['user_id', 'scope', 'board', 'period', 'period_start', 'exam_id'],
                 'the primary key is back');
select has_index('private', 'leaderboard_scores', 'leaderboard_scores_rank_idx',
                 array['scope', 'board', 'period', 'period_start', 'exam_id', 'bucket', 'score', 'volume', 'user_id'], 'the rank index is back');
select has_index('private', 'leaderboard_scores', 'leaderboard_scores_expires_at_idx', 'the streak-expiry index is back');
select fk_ok('private', 'leaderboard_scores', 'user_id', 'public', 'profiles', 'id', 'the foreign key to profiles is back');
-- The foreign key still cascades: a profile deleted without the erasure trigger takes its rows.
create temporary table gone as select tests.get_user_id('learner_d') as id;
select ok(exists (select 1 from private.leaderboard_scores s join gone g on g.id = s.user_id), 'learner_d has rows before');
alter table public.profiles disable trigger profiles_leaderboard_forget;
delete from auth.users where id = (select id from gone);
alter table public.profiles enable trigger profiles_leaderboard_forget;
select is_empty($$ select 1 from private.leaderboard_scores s join gone g on g.id = s.user_id $$,
  'and still cascades on delete');

-- ---------------------------------------------------------------------------
-- Out of reach of API roles
-- ---------------------------------------------------------------------------
select tests.authenticate_as('learner_a');
select throws_ok($$ select * from private.leaderboard_histogram_shards $$, '42501', null, 'a learner cannot read the histogram shards');
select throws_ok($$ select * from private.leaderboard_histogram_counts $$, '42501', null, 'nor the counts view');
select tests.clear_authentication();
select is_empty($$
  select r.rolname || ' ' || x.what from (values ('anon'), ('authenticated'), ('service_role')) r (rolname)
  cross join lateral (
    select 'table' as what where has_table_privilege(r.rolname, 'private.leaderboard_histogram_shards', 'select, insert, update, delete')
    union all select 'view' where has_table_privilege(r.rolname, 'private.leaderboard_histogram_counts', 'select')
    union all select p.oid::regprocedure::text from pg_proc p
    where p.oid in ('private.fold_leaderboard_histogram()'::regprocedure, 'private.leaderboard_shard()'::regprocedure,
                    'private.leaderboard_total(uuid, public.leaderboard_board, public.leaderboard_period, timestamptz, text)'::regprocedure)
      and has_function_privilege(r.rolname, p.oid, 'execute')) x $$,
  'no API role may touch the shard table or view, nor run the fold, shard or total functions');

-- ---------------------------------------------------------------------------
-- The page mask: the same rule as can_see_profile, for every caller and target
-- ---------------------------------------------------------------------------
update public.profiles set profile_visibility = (array['public', 'organisation', 'private']::public.profile_visibility[])[1 + abs(hashtext(username)) % 3];
select ok((select count(distinct profile_visibility) = 3 from public.profiles), 'the fixture has public, organisation and private profiles');

-- Rows "caller: target" where the set-based rule and can_see_profile disagree (empty when equal).
create function tests.visibility_diff() returns setof text
language plpgsql as $$
declare
  v_ids uuid[] := array(select p.id from public.profiles p) || array[gen_random_uuid()];
  v_claims jsonb;
begin
  for v_claims in
    select tests.user_claims(a) from unnest(array['learner_a', 'learner_b', 'instructor_1', 'admin_1', 'owner_1', 'admin_2',
                                                  'platform_admin', 'outsider']) a
    union all select '{"role": "service_role"}'::jsonb
    union all select '{"role": "anon"}'::jsonb
  loop
    perform set_config('request.jwt.claims', v_claims::text, true);
    return query
      select format('%s: %s', v_claims ->> 'sub', t) from unnest(v_ids) t
      where private.can_see_profile(t) is distinct from (t in (select private.visible_profile_ids(v_ids)));
  end loop;
  perform set_config('request.jwt.claims', '', true);
end;
$$;
select is_empty($$ select * from tests.visibility_diff() $$,
  'visible_profile_ids equals can_see_profile for learners, staff, owners, a platform admin, the service role and anon (learner_d was erased above)');
select ok((select count(*) from public.profiles p where not exists (
             select 1 from (select set_config('request.jwt.claims', tests.user_claims('outsider')::text, true)) c,
                           private.visible_profile_ids(array[p.id]) v)) > 0,
  'and the rule does hide some profiles from a learner (the comparison is not vacuous)');
select set_config('request.jwt.claims', '', true);

-- get_leaderboard masks exactly the entries whose profile the caller may not see (learner_a
-- public, learner_b private; as the outsider), position by position against the unmasked page.
update public.profiles set profile_visibility = 'public' where id = tests.get_user_id('learner_a');
update public.profiles set profile_visibility = 'private' where id = tests.get_user_id('learner_b');
select set_config('request.jwt.claims', tests.user_claims('outsider')::text, true);
select results_eq($$
  select (m.e ->> 'anonymous')::boolean is true, m.e ->> 'display_name', m.e ->> 'user_id'
  from jsonb_array_elements(public.get_leaderboard('xp', 'all_time') -> 'entries') with ordinality m (e, o)
  order by m.o $$,
  $$ select not private.can_see_profile((u.e ->> 'user_id')::uuid),
            case when private.can_see_profile((u.e ->> 'user_id')::uuid) then u.e ->> 'display_name' else 'Anonymous learner' end,
            case when private.can_see_profile((u.e ->> 'user_id')::uuid) then u.e ->> 'user_id' end
     from jsonb_array_elements(private.get_leaderboard_unmasked('xp', 'all_time') -> 'entries') with ordinality u (e, o)
     order by u.o $$,
  'the outsider''s page masks exactly the entries can_see_profile hides');
select is((select count(*) from jsonb_array_elements(public.get_leaderboard('xp', 'all_time') -> 'entries') e
           where (e ->> 'anonymous')::boolean), 1::bigint, 'one of the two entries (learner_b''s private profile) is masked');
select set_config('request.jwt.claims', '', true);

select * from finish();
rollback;
