-- The learning core's structure and our own catalog checks of the lint rules we follow:
-- RLS everywhere, comments everywhere, pinned search_path, EXECUTE granted per function,
-- policies per command and role, indexed foreign keys, leaderboard views out of the API,
-- the jobs pg_cron runs, and the auth hooks.
begin;
select plan(29);

select tables_are('public', array[
  'profiles', 'organizations', 'organization_members', 'teams', 'team_members',
  'exams', 'exam_domains', 'questions', 'question_keys', 'question_versions', 'question_reports',
  'achievements', 'avatars', 'user_achievements', 'user_avatars', 'xp_events',
  'quiz_attempts', 'quiz_attempt_items', 'learner_exam_stats', 'organization_invitations',
  'user_preferences', 'departments', 'department_members', 'notifications', 'email_outbox', 'assignments', 'assignment_recipients',
  'tasks', 'follows',
  'bookmarks', 'question_notes', 'study_sets', 'study_set_items', 'review_cards',
  'lessons', 'lesson_versions', 'lesson_comments', 'memories', 'audit_log',
  'webhook_endpoints', 'webhook_deliveries', 'webhook_delivery_attempts',
  'training_categories', 'training_scenarios', 'training_sessions', 'training_messages', 'training_reports', 'training_notes',
  'training_documents', 'training_chunks'
], 'public holds exactly the learning-core, engagement, study, lesson, memory, audit, webhook and AI training tables');

select is_empty($$
  select c.relname from pg_class c
  where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity
$$, 'RLS is enabled on every public table');

select is_empty($$
  select c.relname from pg_class c
  where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm')
    and obj_description(c.oid, 'pg_class') is null
$$, 'every public table has a comment');

select is_empty($$
  select c.relname || '.' || a.attname from pg_class c
  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
    and a.attname <> 'id' and col_description(c.oid, a.attnum) is null
$$, 'every public column (except id) has a comment');

select is_empty($$
  select n.nspname || '.' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname in ('public', 'private')
    and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%')
$$, 'every public and private function pins its search_path');

select is_empty($$
  select n.nspname || '.' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname in ('public', 'private') and obj_description(p.oid, 'pg_proc') is null
$$, 'every public and private function has a comment');

select is_empty($$
  select p.proname from pg_proc p
  where p.pronamespace = 'public'::regnamespace
    and (p.proacl is null or exists (select 1 from aclexplode(p.proacl) a where a.grantee = 0 and a.privilege_type = 'EXECUTE'))
$$, 'no public function keeps the default EXECUTE for PUBLIC');

select results_eq($$
  select p.proname::text collate "default" from pg_proc p
  where p.pronamespace = 'public'::regnamespace and has_function_privilege('anon', p.oid, 'execute')
  order by 1
$$, array['get_public_profile', 'xp_for_level'], 'anon may execute only xp_for_level and get_public_profile');

select is_empty($$
  select p.proname from pg_proc p
  where p.pronamespace = 'private'::regnamespace and has_function_privilege('anon', p.oid, 'execute')
$$, 'anon executes nothing in private');

select is_empty($$
  select p.proname from pg_proc p
  where p.pronamespace = 'private'::regnamespace and has_function_privilege('authenticated', p.oid, 'execute')
    and p.proname not in ('clock', 'is_platform_admin', 'is_service_role', 'require_user', 'is_valid_time_zone',
                          'has_org_role', 'is_org_member', 'is_org_staff', 'is_org_admin', 'is_org_owner',
                          'shares_organization_with', 'staff_learner_ids', 'can_view_learner', 'is_valid_option_set',
                          'can_manage_questions', 'can_manage_question', 'has_earned', 'has_answered',
                          'caller_confirmed_email', 'can_see_profile', 'check_bulk_ids', 'is_assignment_recipient',
                          'assignment_status', 'is_valid_tag_list', 'can_read_question', 'can_read_study_set', 'owns_study_set',
                          'webhook_event_types', 'training_category_slug',
                          'can_receive_org_topic', 'can_manage_member')
$$, 'authenticated executes only the boolean RLS helpers of private, not its engine');

select ok(not has_function_privilege('authenticated', 'private.finalize_attempt(uuid, boolean)', 'execute')
          and not has_function_privilege('service_role', 'private.finalize_attempt(uuid, boolean)', 'execute'),
  'the grading engine is not callable by API roles');

select is_empty($$
  select c.relname from pg_class c where c.relkind = 'm' and c.relnamespace <> 'private'::regnamespace
$$, 'materialized views live only in private');

select is_empty($$
  select c.relname from pg_class c where c.relkind = 'm' and c.relnamespace = 'private'::regnamespace
$$, 'no materialized views: leaderboards are live tables (private.leaderboard_scores, maintained at commit)');

select is_empty($$
  select c.relname from pg_class c
  where c.relnamespace = 'private'::regnamespace and c.relname like 'leaderboard%' and c.relkind in ('r', 'v')
    and (has_table_privilege('anon', c.oid, 'select') or has_table_privilege('authenticated', c.oid, 'select'))
$$, 'no API role can select a leaderboard table or view');

select is_empty($$
  select p.tablename || '.' || p.policyname from pg_policies p
  where p.schemaname = 'public' and 'public' = any (p.roles)
$$, 'every policy names its role');

select is_empty($$
  select p.tablename || '.' || p.policyname from pg_policies p
  where p.schemaname = 'public'
    and p.policyname !~ ('^' || p.tablename || '_' || lower(p.cmd) || '_')
$$, 'policies are named <table>_<command>_<who> and cover one command');

select is_empty($$
  select p.tablename || '.' || p.policyname from pg_policies p
  where p.schemaname = 'public'
    and ((p.qual like '%auth.uid()%' and p.qual not like '%SELECT auth.uid()%')
      or (p.with_check like '%auth.uid()%' and p.with_check not like '%SELECT auth.uid()%'))
$$, 'policies call auth.uid() through a (select ...) init plan');

select is_empty($$
  select p.tablename, r.role, p.cmd from pg_policies p cross join unnest(p.roles) r (role)
  where p.schemaname = 'public' and p.permissive = 'PERMISSIVE'
  group by p.tablename, r.role, p.cmd having count(*) > 1
$$, 'at most one permissive policy per table, role and command');

select is_empty($$
  select c.conrelid::regclass::text || ' ' || c.conname
  from pg_constraint c
  where c.contype = 'f' and c.connamespace in ('public'::regnamespace, 'private'::regnamespace)
    and not exists (
      select 1 from pg_index i
      where i.indrelid = c.conrelid
        and (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] = c.conkey)
$$, 'every foreign key has an index starting with its columns');

select is_empty($$
  select c.relname from pg_class c
  where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
    and (has_table_privilege('anon', c.oid, 'insert') or has_table_privilege('anon', c.oid, 'update')
      or has_table_privilege('anon', c.oid, 'delete'))
$$, 'anon cannot write any public table');

select set_eq($$
  select c.relname::text collate "default" from pg_class c
  where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and has_table_privilege('anon', c.oid, 'select')
$$, array['exams', 'exam_domains', 'achievements', 'avatars'], 'anon reads only the public catalog');

select is_empty($$
  select c.relname from pg_class c
  where c.relname in ('xp_events', 'user_achievements', 'user_avatars', 'quiz_attempts', 'quiz_attempt_items', 'learner_exam_stats')
    and c.relnamespace = 'public'::regnamespace
    and (has_table_privilege('authenticated', c.oid, 'insert,update,delete') or has_table_privilege('service_role', c.oid, 'insert,update,delete'))
$$, 'no API role (not even service_role) writes XP, earned rewards or attempts directly');

select ok(not has_column_privilege('authenticated', 'public.profiles', 'xp', 'update')
          and not has_column_privilege('service_role', 'public.profiles', 'xp', 'update')
          and not has_column_privilege('authenticated', 'public.profiles', 'current_streak', 'update')
          and has_column_privilege('authenticated', 'public.profiles', 'display_name', 'update'),
  'profile progress columns are not updatable by API roles; identity columns are');

select results_eq($$
  select jobname::text collate "default", schedule::text collate "default" from cron.job where jobname like 'ascend-%' order by jobname
$$, $$ values ('ascend-analytics-retention', '40 3 * * *'), ('ascend-deliver-webhooks', '* * * * *'),
              ('ascend-expire-quiz-attempts', '*/5 * * * *'), ('ascend-notify-assignments-due', '15 * * * *'),
              ('ascend-notify-streaks-at-risk', '5 * * * *'), ('ascend-purge-expired-memories', '17 * * * *'),
              ('ascend-refresh-leaderboards', '* * * * *'),
              ('ascend-refresh-question-stats', '*/10 * * * *'), ('ascend-reset-broken-streaks', '*/15 * * * *'),
              ('ascend-send-email', '* * * * *'), ('ascend-weekly-progress-emails', '0 8 * * 1') $$,
  'the pg_cron jobs are scheduled under stable names (leaderboard upkeep every minute; streaks every 15 minutes, for :30/:45 zones; reminders hourly; weekly e-mails on Mondays)');

select ok(has_function_privilege('supabase_auth_admin', 'public.custom_access_token_hook(jsonb)', 'execute'),
  'supabase_auth_admin executes the custom access token hook');
select ok(not has_function_privilege('authenticated', 'public.custom_access_token_hook(jsonb)', 'execute')
          and not has_function_privilege('anon', 'public.custom_access_token_hook(jsonb)', 'execute'),
  'API roles cannot call the custom access token hook');

select trigger_is('auth', 'users', 'on_auth_user_created', 'private', 'handle_new_user',
  'a trigger on auth.users creates the profile');

select is((select prosecdef from pg_proc where oid = 'private.handle_new_user()'::regprocedure), true,
  'the sign-up trigger function is security definer (GoTrue fires it with search_path = auth)');

select is_empty($$
  select n.nspname || '.' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'public' and p.provolatile = 'v'
    and p.proname in ('get_leaderboard', 'get_quiz_history', 'get_active_quiz', 'get_domain_performance',
                      'get_weak_areas', 'get_exam_readiness', 'get_study_recommendations', 'get_accuracy_trend',
                      'get_daily_activity', 'get_cohort_overview', 'get_my_achievements', 'get_avatar_collection',
                      'get_exam_stats', 'get_attempt_review')
$$, 'read RPCs are stable (PostgREST runs them in read-only transactions)');

select * from finish();
rollback;
