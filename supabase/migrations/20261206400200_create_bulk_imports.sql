-- Bulk imports with per-row errors (seeds 000 and 002), called by the import-questions and
-- import-users edge functions after they parse the CSV (each row carries its CSV line number).
--
-- Both follow the same contract: a dry run validates every row and reports each bad one as
-- {line, reason} without writing anything; a commit validates again and either writes every row
-- or, if any row is bad, writes nothing and returns the same report. Each call is one
-- transaction, so an unexpected failure half-way rolls everything back: nothing is half-imported.
--
-- Both are security invoker: they run as the caller, under RLS and the RPCs' own checks.

-- ---------------------------------------------------------------------------
-- Questions: into the organisation's bank, always as drafts
-- ---------------------------------------------------------------------------

create function public.import_questions(p_organization uuid, p_rows jsonb, p_dry_run boolean default true)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_row jsonb;
  v_line integer;
  v_exam text;
  v_domain text;
  v_stem text;
  v_key text;
  v_errors jsonb := '[]'::jsonb;
  v_seen jsonb := '{}'::jsonb;
  v_bank jsonb;
  v_question public.questions;
  v_ids bigint[] := '{}';
  v_total integer;
begin
  perform private.require_user();
  if p_organization is null or not private.can_manage_questions(p_organization) then
    raise exception using
      errcode = '42501',
      message = 'only owners, admins and instructors of this organisation (or platform admins) import questions into its bank';
  end if;
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' or jsonb_array_length(p_rows) not between 1 and 1000 then
    raise exception using errcode = '22023', message = 'p_rows must be an array of 1 to 1000 questions';
  end if;
  v_total := jsonb_array_length(p_rows);
  -- The organisation's bank, by exam and normalised stem (one scan, not one per row).
  select coalesce(jsonb_object_agg(q.exam_id || ':' || lower(regexp_replace(btrim(q.stem), '\s+', ' ', 'g')), q.id), '{}'::jsonb)
    into v_bank
    from public.questions q
   where q.organization_id = p_organization;

  -- Validate every row first: nothing is written unless all rows are good.
  for v_row in select r from jsonb_array_elements(p_rows) r loop
    v_line := (v_row ->> 'line')::integer;
    v_exam := lower(btrim(v_row ->> 'exam'));
    v_domain := btrim(v_row ->> 'domain_code');
    v_stem := btrim(coalesce(v_row ->> 'stem', ''));
    -- The exam by id (security) or code (SY0-701).
    select e.id into v_exam from public.exams e where e.id = v_exam or lower(e.code) = v_exam limit 1;
    if v_exam is null then
      v_errors := v_errors || jsonb_build_object('line', v_line, 'reason',
        format('unknown exam %L (known: %s)', v_row ->> 'exam',
               (select string_agg(e.id || ' or ' || e.code, ', ' order by e.position) from public.exams e)));
      continue;
    end if;
    if not exists (select 1 from public.exam_domains d where d.exam_id = v_exam and d.code in (v_domain, v_domain || '.0')) then
      v_errors := v_errors || jsonb_build_object('line', v_line, 'reason',
        format('exam %s has no domain %L (domains: %s)', v_exam, v_row ->> 'domain_code',
               (select string_agg(d.code, ', ' order by d.position) from public.exam_domains d where d.exam_id = v_exam)));
      continue;
    end if;
    if char_length(v_stem) not between 10 and 4000 then
      v_errors := v_errors || jsonb_build_object('line', v_line, 'reason', 'the question text must hold 10 to 4000 characters');
      continue;
    end if;
    if not private.is_valid_option_set(v_row -> 'options') then
      v_errors := v_errors || jsonb_build_object('line', v_line, 'reason', 'options A, B, C and D must all be filled in');
      continue;
    end if;
    if not private.is_valid_option_set(v_row -> 'explanations') then
      v_errors := v_errors || jsonb_build_object('line', v_line, 'reason', 'explanations A, B, C and D must all be filled in');
      continue;
    end if;
    if coalesce(v_row ->> 'correct_answer', '') not in ('A', 'B', 'C', 'D') then
      v_errors := v_errors || jsonb_build_object('line', v_line, 'reason', 'the correct answer must be A, B, C or D');
      continue;
    end if;
    v_key := v_exam || ':' || lower(regexp_replace(v_stem, '\s+', ' ', 'g'));
    if v_seen ? v_key then
      v_errors := v_errors || jsonb_build_object('line', v_line, 'reason',
        format('the same question as line %s', v_seen ->> v_key));
      continue;
    end if;
    v_seen := v_seen || jsonb_build_object(v_key, v_line);
    if v_bank ? v_key then
      v_errors := v_errors || jsonb_build_object('line', v_line, 'reason',
        format('already in the organisation''s bank (question %s)', v_bank ->> v_key));
    end if;
  end loop;

  if p_dry_run or jsonb_array_length(v_errors) > 0 then
    return jsonb_build_object(
      'dry_run', p_dry_run, 'committed', false, 'total', v_total,
      'valid', v_total - jsonb_array_length(v_errors), 'imported', 0, 'question_ids', '[]'::jsonb,
      'errors', v_errors);
  end if;

  for v_row in select r from jsonb_array_elements(p_rows) r loop
    select e.id into v_exam from public.exams e
    where e.id = lower(btrim(v_row ->> 'exam')) or lower(e.code) = lower(btrim(v_row ->> 'exam')) limit 1;
    select d.code into v_domain from public.exam_domains d
    where d.exam_id = v_exam and d.code in (btrim(v_row ->> 'domain_code'), btrim(v_row ->> 'domain_code') || '.0')
    order by d.code = btrim(v_row ->> 'domain_code') desc limit 1;
    v_question := public.save_question(jsonb_build_object(
      'exam_id', v_exam, 'domain_code', v_domain, 'organization_id', p_organization,
      'stem', btrim(v_row ->> 'stem'), 'options', v_row -> 'options',
      'correct_answer', v_row ->> 'correct_answer', 'explanations', v_row -> 'explanations',
      'reference', nullif(btrim(coalesce(v_row ->> 'reference', '')), ''), 'status', 'draft'));
    v_ids := v_ids || v_question.id;
  end loop;
  return jsonb_build_object(
    'dry_run', false, 'committed', true, 'total', v_total, 'valid', v_total, 'imported', cardinality(v_ids),
    'question_ids', to_jsonb(v_ids), 'errors', '[]'::jsonb);
end;
$$;
comment on function public.import_questions(uuid, jsonb, boolean) is
  'Owners, admins and instructors (and platform admins) import questions into an organisation''s bank, as drafts. p_rows: [{line, exam (id or code), domain_code, stem, options {A,B,C,D}, correct_answer, explanations {A,B,C,D}, reference?}] (1-1000). Dry run (default): validates every row. Commit (p_dry_run false): imports all rows, or none if any is bad. Returns {dry_run, committed, total, valid, imported, question_ids, errors: [{line, reason}]}. Errors: 42501 not staff, 22023 p_rows not an array of 1-1000.';
revoke execute on function public.import_questions(uuid, jsonb, boolean) from public, anon;
grant execute on function public.import_questions(uuid, jsonb, boolean) to authenticated;

-- ---------------------------------------------------------------------------
-- Users: one invitation per row (never a membership: the invitee accepts or not)
-- ---------------------------------------------------------------------------

create function public.import_invitations(p_organization uuid, p_rows jsonb, p_dry_run boolean default true)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_row jsonb;
  v_line integer;
  v_email text;
  v_role text;
  v_errors jsonb := '[]'::jsonb;
  v_seen jsonb := '{}'::jsonb;
  v_renewals jsonb := '[]'::jsonb;
  v_invitations jsonb := '[]'::jsonb;
  v_total integer;
  v_owner boolean := private.is_org_owner(p_organization) or private.is_platform_admin() or private.is_service_role();
begin
  if p_organization is null
     or not (private.is_org_admin(p_organization) or private.is_platform_admin() or private.is_service_role()) then
    raise exception using
      errcode = '42501',
      message = 'only owners and admins of this organisation invite members';
  end if;
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' or jsonb_array_length(p_rows) not between 1 and 1000 then
    raise exception using errcode = '22023', message = 'p_rows must be an array of 1 to 1000 people';
  end if;
  v_total := jsonb_array_length(p_rows);

  for v_row in select r from jsonb_array_elements(p_rows) r loop
    v_line := (v_row ->> 'line')::integer;
    v_email := lower(btrim(coalesce(v_row ->> 'email', '')));
    v_role := lower(btrim(coalesce(v_row ->> 'role', 'learner')));
    if v_email !~ '^[^@\s]+@[^@\s]+$' or char_length(v_email) > 320 then
      v_errors := v_errors || jsonb_build_object('line', v_line, 'reason', format('%L is not an e-mail address', v_row ->> 'email'));
      continue;
    end if;
    if v_role not in ('owner', 'admin', 'instructor', 'learner') then
      v_errors := v_errors || jsonb_build_object('line', v_line, 'reason',
        format('role %L must be learner, instructor, admin or owner', v_row ->> 'role'));
      continue;
    end if;
    if v_role = 'owner' and not v_owner then
      v_errors := v_errors || jsonb_build_object('line', v_line, 'reason', 'only owners invite owners');
      continue;
    end if;
    if v_seen ? v_email then
      v_errors := v_errors || jsonb_build_object('line', v_line, 'reason',
        format('duplicate: %s is already on line %s', v_email, v_seen ->> v_email));
      continue;
    end if;
    v_seen := v_seen || jsonb_build_object(v_email, v_line);
    -- Pending invitations are the organisation's own records (its admins list them), so saying
    -- one is renewed reveals nothing; whether an account or a membership exists is never read.
    if exists (select 1 from public.organization_invitations i
               where i.organization_id = p_organization and i.email = v_email and i.status = 'pending') then
      v_renewals := v_renewals || jsonb_build_object('line', v_line, 'email', v_email);
    end if;
  end loop;

  if p_dry_run or jsonb_array_length(v_errors) > 0 then
    return jsonb_build_object(
      'dry_run', p_dry_run, 'committed', false, 'total', v_total,
      'valid', v_total - jsonb_array_length(v_errors), 'invited', 0, 'invitations', '[]'::jsonb,
      'renewed', v_renewals, 'errors', v_errors);
  end if;

  for v_row in select r from jsonb_array_elements(p_rows) r loop
    v_invitations := v_invitations || (
      jsonb_build_object('line', (v_row ->> 'line')::integer)
      || (public.invite_to_organization(p_organization, lower(btrim(v_row ->> 'email')),
                                        lower(btrim(coalesce(v_row ->> 'role', 'learner')))::public.org_role, 7)
          - 'token'));
  end loop;
  return jsonb_build_object(
    'dry_run', false, 'committed', true, 'total', v_total, 'valid', v_total,
    'invited', jsonb_array_length(v_invitations), 'invitations', v_invitations,
    'renewed', v_renewals, 'errors', '[]'::jsonb);
end;
$$;
comment on function public.import_invitations(uuid, jsonb, boolean) is
  'Owners and admins invite many people at once: one e-mail invitation (7 days) per row, through invite_to_organization, never a membership. p_rows: [{line, email, role?}] (1-1000; role learner by default; only owners invite owners). Duplicated addresses and malformed rows are reported per line. Dry run (default): validates. Commit (p_dry_run false): invites all rows, or none if any is bad. Returns {dry_run, committed, total, valid, invited, invitations: [{line, invitation_id, email, role, status, expires_at}], renewed: [{line, email}], errors: [{line, reason}]}. Errors: 42501 not owner/admin, 22023.';
revoke execute on function public.import_invitations(uuid, jsonb, boolean) from public, anon;
grant execute on function public.import_invitations(uuid, jsonb, boolean) to authenticated, service_role;
