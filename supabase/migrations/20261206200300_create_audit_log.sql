-- Audit log (seed 002): one row per change of every table that governs the platform, written by
-- triggers so that it holds whatever made the change: the API (auth.uid() and the JWT role), an
-- Ascend function, a pg_cron job, or someone editing in Studio / psql as `postgres` (no JWT:
-- actor_role is the database session user). Before and after images as JSON (secrets redacted),
-- the changed columns, the transaction.
--
-- Append-only: no API role may write it, and a trigger refuses UPDATE, DELETE and TRUNCATE for
-- everyone, the database owner included. The one exception is account erasure (data rights):
-- rows about the erased user keep who/what/when but lose their before/after images.
--
-- Readable by owners and admins of the organisation a row belongs to, and by platform admins.
-- Not audited on purpose: learners' personal study data (bookmarks, notes, memories, cards) and
-- the high-volume quiz tables, whose own rows are their history.

create table public.audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  actor_id uuid,
  actor_role text not null,
  db_user text not null default session_user,
  organization_id uuid,
  table_name text not null,
  record_id text,
  action text not null,
  old_data jsonb,
  new_data jsonb,
  changed_columns text[],
  transaction_id bigint not null default txid_current(),
  constraint audit_log_action_valid check (action in ('INSERT', 'UPDATE', 'DELETE', 'ERASE'))
);
comment on table public.audit_log is
  'Append-only record of changes to the tables that govern Ascend (organisations, members, invitations, teams, exams, questions and keys, reports, achievements, avatars, profile identity, XP adjustments, lessons, webhooks). Owners and admins read their organisation''s rows; platform admins read all.';
comment on column public.audit_log.occurred_at is 'When the change was made (transaction time).';
comment on column public.audit_log.actor_id is 'auth.uid() of the user who made the change; null for the service role, jobs and direct database edits.';
comment on column public.audit_log.actor_role is 'The JWT role of the request (authenticated, service_role, anon) or, without a JWT (Studio, psql, pg_cron), the database session user (postgres, supabase_admin, ...).';
comment on column public.audit_log.db_user is 'The database session user (authenticator for API requests).';
comment on column public.audit_log.organization_id is 'Organisation the changed row belongs to (null: platform-wide).';
comment on column public.audit_log.table_name is 'schema.table changed.';
comment on column public.audit_log.record_id is 'Primary key of the changed row (composite keys joined with commas).';
comment on column public.audit_log.action is 'INSERT, UPDATE, DELETE, or ERASE (an account erased under data rights).';
comment on column public.audit_log.old_data is 'The row before (UPDATE, DELETE), secrets redacted.';
comment on column public.audit_log.new_data is 'The row after (INSERT, UPDATE), secrets redacted.';
comment on column public.audit_log.changed_columns is 'Columns whose value changed (UPDATE).';
comment on column public.audit_log.transaction_id is 'Transaction that made the change: rows of one transaction belong together.';
create index audit_log_organization_occurred_idx on public.audit_log (organization_id, occurred_at desc);
create index audit_log_table_record_idx on public.audit_log (table_name, record_id);
create index audit_log_actor_id_idx on public.audit_log (actor_id) where actor_id is not null;
create index audit_log_occurred_at_idx on public.audit_log (occurred_at);

alter table public.audit_log enable row level security;
revoke all on table public.audit_log from anon, authenticated, service_role;
grant select on table public.audit_log to authenticated, service_role;

create policy audit_log_select_admin on public.audit_log
  for select to authenticated
  using ((select private.is_platform_admin()) or (organization_id is not null and private.is_org_admin(organization_id)));
comment on policy audit_log_select_admin on public.audit_log is
  'Owners and admins read the audit rows of their organisation; platform admins read all.';

-- ---------------------------------------------------------------------------
-- Append-only
-- ---------------------------------------------------------------------------

create function private.keep_audit_log_append_only()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and nullif(current_setting('ascend.erasing_user', true), '') is not null then
    return new;
  end if;
  raise exception using
    errcode = '42501',
    message = 'audit_log is append-only: its rows are never changed or deleted',
    hint = 'only account erasure pseudonymises rows of the erased user';
end;
$$;
comment on function private.keep_audit_log_append_only() is
  'BEFORE UPDATE/DELETE/TRUNCATE on audit_log: refuses every change, except the pseudonymisation done by account erasure.';

create trigger audit_log_append_only
  before update or delete on public.audit_log
  for each row execute function private.keep_audit_log_append_only();
create trigger audit_log_no_truncate
  before truncate on public.audit_log
  for each statement execute function private.keep_audit_log_append_only();

-- ---------------------------------------------------------------------------
-- The trigger
-- ---------------------------------------------------------------------------

-- The actor: the JWT role and user of an API request, else the session user (Studio, psql, cron).
create function private.audit_actor_role()
returns text
language sql
stable
set search_path = ''
as $$
  select coalesce(nullif(auth.jwt() ->> 'role', ''), session_user::text)
$$;
comment on function private.audit_actor_role() is 'JWT role of the request, or the database session user when there is no JWT.';

-- TG_ARGV[0]: where the organisation comes from: 'column' (organization_id), 'self' (the row is an
-- organisation), 'question' (the row's question), 'none'. TG_ARGV[1..]: columns to redact.
create function private.audit_row()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_old jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
  v_new jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
  v_row jsonb;
  v_org uuid;
  v_pk text;
  v_changed text[];
  v_col text;
  v_erasing text := nullif(current_setting('ascend.erasing_user', true), '');
  v_actor uuid := auth.uid();
begin
  for i in 1 .. coalesce(tg_nargs, 0) - 1 loop
    v_col := tg_argv[i];
    if v_old ? v_col and v_old ->> v_col is not null then v_old := jsonb_set(v_old, array[v_col], '"[redacted]"'); end if;
    if v_new ? v_col and v_new ->> v_col is not null then v_new := jsonb_set(v_new, array[v_col], '"[redacted]"'); end if;
  end loop;
  if tg_op = 'UPDATE' then
    select array_agg(k order by k) into v_changed
    from jsonb_object_keys(v_new) k
    where v_new -> k is distinct from v_old -> k and k <> 'updated_at';
    if v_changed is null then
      return null;
    end if;
  end if;
  v_row := coalesce(v_new, v_old);

  v_org := case coalesce(tg_argv[0], 'column')
    when 'column' then (v_row ->> 'organization_id')::uuid
    when 'self' then (v_row ->> 'id')::uuid
    else null
  end;
  if tg_argv[0] = 'question' then
    select q.organization_id into v_org from public.questions q where q.id = (v_row ->> 'question_id')::bigint;
  end if;

  select string_agg(v_row ->> a.attname, ',' order by k.ord)
  into v_pk
  from pg_catalog.pg_index i
  cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
  join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
  where i.indrelid = tg_relid and i.indisprimary;

  -- Rows written while an account is erased carry no trace of it.
  if v_erasing is not null then
    if v_old::text like '%' || v_erasing || '%' then v_old := '{"erased": true}'::jsonb; end if;
    if v_new::text like '%' || v_erasing || '%' then v_new := '{"erased": true}'::jsonb; end if;
    v_pk := replace(v_pk, v_erasing, 'erased-user');
    if v_actor::text = v_erasing then
      v_actor := null;
    end if;
  end if;

  insert into public.audit_log (actor_id, actor_role, organization_id, table_name, record_id, action, old_data, new_data, changed_columns)
  values (v_actor, private.audit_actor_role(), v_org, tg_table_schema || '.' || tg_table_name, v_pk, tg_op, v_old, v_new, v_changed);
  return null;
end;
$$;
comment on function private.audit_row() is
  'AFTER INSERT/UPDATE/DELETE row trigger: appends the change to audit_log (actor, organisation, before/after with TG_ARGV[1..] redacted, changed columns). TG_ARGV[0] says where the organisation comes from: column, self, question or none.';

create trigger organizations_audit after insert or update or delete on public.organizations
  for each row execute function private.audit_row('self');
create trigger organization_members_audit after insert or update or delete on public.organization_members
  for each row execute function private.audit_row('column');
create trigger organization_invitations_audit after insert or update or delete on public.organization_invitations
  for each row execute function private.audit_row('column', 'token_hash');
create trigger teams_audit after insert or update or delete on public.teams
  for each row execute function private.audit_row('column');
create trigger team_members_audit after insert or update or delete on public.team_members
  for each row execute function private.audit_row('column');
create trigger exams_audit after insert or update or delete on public.exams
  for each row execute function private.audit_row('none');
create trigger exam_domains_audit after insert or update or delete on public.exam_domains
  for each row execute function private.audit_row('none');
create trigger questions_audit after insert or update or delete on public.questions
  for each row execute function private.audit_row('column');
create trigger question_keys_audit after insert or update or delete on public.question_keys
  for each row execute function private.audit_row('question');
create trigger question_reports_audit after insert or update or delete on public.question_reports
  for each row execute function private.audit_row('question');
create trigger achievements_audit after insert or update or delete on public.achievements
  for each row execute function private.audit_row('none');
create trigger avatars_audit after insert or update or delete on public.avatars
  for each row execute function private.audit_row('none');
-- Profiles: identity edits only (progress columns change at every quiz and are not governance).
create trigger profiles_audit after update on public.profiles
  for each row
  when ((old.username, old.display_name, old.bio, old.time_zone, old.show_on_leaderboards)
        is distinct from (new.username, new.display_name, new.bio, new.time_zone, new.show_on_leaderboards))
  execute function private.audit_row('none');
-- XP: manual adjustments only (quiz XP is its own ledger).
create trigger xp_events_audit after insert on public.xp_events
  for each row when (new.source = 'adjustment')
  execute function private.audit_row('column');
create trigger lessons_audit after insert or update or delete on public.lessons
  for each row execute function private.audit_row('column');
create trigger lesson_versions_audit after insert or update or delete on public.lesson_versions
  for each row execute function private.audit_row('column');
create trigger lesson_comments_audit after insert or update or delete on public.lesson_comments
  for each row execute function private.audit_row('column');

revoke execute on all functions in schema private from public;
