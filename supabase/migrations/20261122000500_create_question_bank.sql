-- The question bank. A question (stem, options A-D, domain, status, global or owned by an
-- organisation) is public to the learners in its scope once published; its answer key (correct
-- option and per-option explanations) lives in question_keys, which a learner can read only for
-- questions they have answered (rule added with the quiz tables). Every edit of a question or
-- its key is kept in question_versions. Difficulty is measured from real answers by a job.

create table public.questions (
  id bigint generated always as identity primary key,
  exam_id text not null references public.exams (id) on update cascade,
  domain_id bigint not null,
  organization_id uuid references public.organizations (id) on delete cascade,
  stem text not null,
  options jsonb not null,
  status public.question_status not null default 'draft',
  version integer not null default 1,
  answer_count integer not null default 0,
  correct_count integer not null default 0,
  difficulty numeric(5, 4) generated always as (
    case when answer_count >= 20 then round(1 - correct_count::numeric / answer_count, 4) end
  ) stored,
  difficulty_level text generated always as (
    case
      when answer_count < 20 then null
      when correct_count::numeric / answer_count >= 0.75 then 'easy'
      when correct_count::numeric / answer_count >= 0.45 then 'medium'
      else 'hard'
    end
  ) stored,
  created_by uuid default auth.uid() references public.profiles (id) on delete set null,
  updated_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint questions_domain_fkey foreign key (domain_id, exam_id)
    references public.exam_domains (id, exam_id) on update cascade,
  constraint questions_stem_length check (char_length(btrim(stem)) between 10 and 4000),
  constraint questions_options_valid check (private.is_valid_option_set(options)),
  constraint questions_counts_valid check (answer_count >= correct_count and correct_count >= 0)
);
comment on table public.questions is
  'Multiple-choice questions (options A-D) of an exam domain; global (organization_id null, platform admins) or owned by an organisation (its instructors and admins). Learners in scope read published ones; the answer key is in question_keys.';
comment on column public.questions.exam_id is 'The exam.';
comment on column public.questions.domain_id is 'The exam domain it tests (exam_domains.id of the same exam).';
comment on column public.questions.organization_id is 'Owning organisation, or null for the global bank.';
comment on column public.questions.stem is 'The question text.';
comment on column public.questions.options is 'The four options: {"A": text, "B": text, "C": text, "D": text}.';
comment on column public.questions.status is 'draft, published (drawn into quizzes) or retired.';
comment on column public.questions.version is 'Incremented on every edit of the question or its key; see question_versions.';
comment on column public.questions.answer_count is 'Graded answers so far (maintained by a job).';
comment on column public.questions.correct_count is 'Correct graded answers so far (maintained by a job).';
comment on column public.questions.difficulty is 'Share of wrong answers (0 easy .. 1 hard), once 20 answers exist.';
comment on column public.questions.difficulty_level is 'easy (75%+ correct), medium (45%+), hard; null under 20 answers.';
comment on column public.questions.created_by is 'Author.';
comment on column public.questions.updated_by is 'Last editor.';
comment on column public.questions.created_at is 'Creation time.';
comment on column public.questions.updated_at is 'Last content change.';

create index questions_draw_idx on public.questions (exam_id, status, domain_id);
create index questions_domain_exam_idx on public.questions (domain_id, exam_id);
create index questions_organization_id_idx on public.questions (organization_id) where organization_id is not null;
create index questions_created_by_idx on public.questions (created_by);
create index questions_updated_by_idx on public.questions (updated_by);

create table public.question_keys (
  question_id bigint primary key references public.questions (id) on delete cascade,
  correct_answer text not null,
  explanations jsonb not null,
  reference text,
  updated_at timestamptz not null default now(),
  constraint question_keys_correct_answer_valid check (correct_answer in ('A', 'B', 'C', 'D')),
  constraint question_keys_explanations_valid check (private.is_valid_option_set(explanations)),
  constraint question_keys_reference_length check (reference is null or char_length(reference) <= 500)
);
comment on table public.question_keys is
  'Answer key of a question: the correct option and why each option is right or wrong. Learners read it only for questions they have answered in a submitted quiz.';
comment on column public.question_keys.question_id is 'The question.';
comment on column public.question_keys.correct_answer is 'A, B, C or D.';
comment on column public.question_keys.explanations is 'Explanation per option: {"A": text, "B": text, "C": text, "D": text}.';
comment on column public.question_keys.reference is 'Optional pointer to the exam objective or study material.';
comment on column public.question_keys.updated_at is 'Last change.';

create table public.question_versions (
  question_id bigint not null references public.questions (id) on delete cascade,
  version integer not null,
  organization_id uuid,
  snapshot jsonb not null,
  edited_by uuid references public.profiles (id) on delete set null,
  edited_at timestamptz not null default now(),
  primary key (question_id, version)
);
comment on table public.question_versions is
  'History of every question edit: a snapshot of the question and its key per version. Readable by whoever manages the question.';
comment on column public.question_versions.question_id is 'The question.';
comment on column public.question_versions.version is 'The version number the snapshot describes.';
comment on column public.question_versions.organization_id is 'Owning organisation at that version (null: global bank).';
comment on column public.question_versions.snapshot is 'exam_id, domain_id, stem, options, status, correct_answer, explanations, reference.';
comment on column public.question_versions.edited_by is 'Who made that version.';
comment on column public.question_versions.edited_at is 'When.';
create index question_versions_edited_by_idx on public.question_versions (edited_by);

-- ---------------------------------------------------------------------------
-- Management helpers
-- ---------------------------------------------------------------------------

-- Platform admins manage the global bank; owners, admins and instructors manage their organisation's.
create function private.can_manage_questions(org uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.is_platform_admin() or (org is not null and private.is_org_staff(org))
$$;
comment on function private.can_manage_questions(uuid) is
  'True when the caller may author questions of this scope (null: the global bank, platform admins only).';

create function private.can_manage_question(question bigint)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.questions q
    where q.id = question and private.can_manage_questions(q.organization_id)
  )
$$;
comment on function private.can_manage_question(bigint) is 'True when the caller may edit this question and read its key and history.';

grant execute on function private.can_manage_questions(uuid) to authenticated, service_role;
grant execute on function private.can_manage_question(bigint) to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Versioning
-- ---------------------------------------------------------------------------

create function private.question_snapshot(q public.questions)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'exam_id', q.exam_id, 'domain_id', q.domain_id, 'organization_id', q.organization_id,
    'stem', q.stem, 'options', q.options, 'status', q.status,
    'correct_answer', k.correct_answer, 'explanations', k.explanations, 'reference', k.reference
  )
  from (select 1) one
  left join public.question_keys k on k.question_id = q.id
$$;
comment on function private.question_snapshot(public.questions) is 'The versioned content of a question and its key as one JSON object.';

create function private.questions_before_write()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    new.version := 1;
    new.answer_count := 0;
    new.correct_count := 0;
    new.updated_by := coalesce(auth.uid(), new.created_by);
    return new;
  end if;
  if (new.exam_id, new.domain_id, new.organization_id, new.stem, new.options, new.status)
     is distinct from (old.exam_id, old.domain_id, old.organization_id, old.stem, old.options, old.status) then
    if new.version = old.version then
      new.version := old.version + 1;
    end if;
  end if;
  if new.version <> old.version then
    new.updated_at := now();
    new.updated_by := coalesce(auth.uid(), new.updated_by);
  end if;
  return new;
end;
$$;
comment on function private.questions_before_write() is
  'BEFORE INSERT/UPDATE on questions: starts at version 1 and bumps the version on every content change.';

create trigger questions_before_write
  before insert or update on public.questions
  for each row execute function private.questions_before_write();

create function private.record_question_version()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' or new.version <> old.version then
    insert into public.question_versions (question_id, version, organization_id, snapshot, edited_by)
    values (new.id, new.version, new.organization_id, private.question_snapshot(new), auth.uid())
    on conflict (question_id, version) do update set snapshot = excluded.snapshot;
  end if;
  return null;
end;
$$;
comment on function private.record_question_version() is
  'AFTER INSERT/UPDATE on questions: stores the snapshot of each new version in question_versions.';

create trigger questions_record_version
  after insert or update on public.questions
  for each row execute function private.record_question_version();

-- A new key completes the current version's snapshot; a changed key makes a new version.
create function private.question_key_changed()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_question public.questions;
begin
  if tg_op = 'INSERT' then
    select * into v_question from public.questions q where q.id = new.question_id;
    update public.question_versions v
      set snapshot = private.question_snapshot(v_question)
      where v.question_id = new.question_id and v.version = v_question.version;
  elsif tg_op = 'UPDATE' and (new.correct_answer, new.explanations, new.reference)
        is distinct from (old.correct_answer, old.explanations, old.reference) then
    update public.questions q set version = q.version + 1 where q.id = new.question_id;
  end if;
  return null;
end;
$$;
comment on function private.question_key_changed() is
  'AFTER INSERT/UPDATE on question_keys: a new key is added to the current snapshot; an edited key makes a new question version.';

create trigger question_keys_changed
  after insert or update on public.question_keys
  for each row execute function private.question_key_changed();

create trigger question_keys_set_updated_at before update on public.question_keys
  for each row execute function private.set_updated_at();

-- ---------------------------------------------------------------------------
-- Privileges and RLS
-- ---------------------------------------------------------------------------

alter table public.questions enable row level security;
alter table public.question_keys enable row level security;
alter table public.question_versions enable row level security;

revoke all on table public.questions, public.question_keys, public.question_versions
  from anon, authenticated, service_role;
grant select, delete on table public.questions to authenticated, service_role;
grant insert (exam_id, domain_id, organization_id, stem, options, status) on table public.questions to authenticated, service_role;
grant update (exam_id, domain_id, stem, options, status) on table public.questions to authenticated, service_role;
grant select, insert, delete on table public.question_keys to authenticated, service_role;
grant update (correct_answer, explanations, reference) on table public.question_keys to authenticated, service_role;
grant select on table public.question_versions to authenticated, service_role;

-- Extended to questions the learner has answered by the quiz migration.
create policy questions_select_visible on public.questions
  for select to authenticated
  using (
    (status = 'published' and (organization_id is null or private.is_org_member(organization_id)))
    or private.can_manage_questions(organization_id)
  );
comment on policy questions_select_visible on public.questions is
  'Learners see published questions of the global bank and of their organisations; authors see what they manage.';

create policy questions_insert_author on public.questions
  for insert to authenticated
  with check (private.can_manage_questions(organization_id));
comment on policy questions_insert_author on public.questions is
  'Platform admins add global questions; owners, admins and instructors add their organisation''s.';

create policy questions_update_author on public.questions
  for update to authenticated
  using (private.can_manage_questions(organization_id))
  with check (private.can_manage_questions(organization_id));
comment on policy questions_update_author on public.questions is 'Authors edit the questions they manage (each edit makes a version).';

create policy questions_delete_author on public.questions
  for delete to authenticated
  using (private.can_manage_questions(organization_id));
comment on policy questions_delete_author on public.questions is
  'Authors delete questions they manage that were never drawn (otherwise retire them).';

-- Extended to answered questions by the quiz migration.
create policy question_keys_select_author on public.question_keys
  for select to authenticated
  using (private.can_manage_question(question_id));
comment on policy question_keys_select_author on public.question_keys is 'Authors read the keys of questions they manage.';

create policy question_keys_insert_author on public.question_keys
  for insert to authenticated
  with check (private.can_manage_question(question_id));
comment on policy question_keys_insert_author on public.question_keys is 'Authors write the keys of questions they manage.';

create policy question_keys_update_author on public.question_keys
  for update to authenticated
  using (private.can_manage_question(question_id))
  with check (private.can_manage_question(question_id));
comment on policy question_keys_update_author on public.question_keys is 'Authors edit keys (each edit makes a question version).';

create policy question_keys_delete_author on public.question_keys
  for delete to authenticated
  using (private.can_manage_question(question_id));
comment on policy question_keys_delete_author on public.question_keys is 'Authors delete keys of questions they manage.';

create policy question_versions_select_author on public.question_versions
  for select to authenticated
  using (private.can_manage_questions(organization_id));
comment on policy question_versions_select_author on public.question_versions is
  'Whoever manages a question reads its history (it contains the key).';

-- ---------------------------------------------------------------------------
-- save_question: create or edit a question and its key in one call
-- ---------------------------------------------------------------------------

create function public.save_question(p_question jsonb)
returns public.questions
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_id bigint := (p_question ->> 'id')::bigint;
  v_exam text := p_question ->> 'exam_id';
  v_domain_code text := p_question ->> 'domain_code';
  v_domain bigint;
  v_org uuid := (p_question ->> 'organization_id')::uuid;
  v_row public.questions;
begin
  if v_id is not null then
    select * into v_row from public.questions q where q.id = v_id;
    if not found then
      raise exception using errcode = 'PT404', message = format('question %s not found, or you cannot see it', v_id);
    end if;
    v_exam := coalesce(v_exam, v_row.exam_id);
  end if;
  if v_domain_code is not null then
    select d.id into v_domain from public.exam_domains d where d.exam_id = v_exam and d.code = v_domain_code;
    if v_domain is null then
      raise exception using
        errcode = '22023',
        message = format('exam %L has no domain %L', v_exam, v_domain_code),
        hint = 'see exam_domains for the domain codes of the exam';
    end if;
  end if;
  if (p_question ? 'correct_answer') and coalesce(p_question ->> 'correct_answer', '') not in ('A', 'B', 'C', 'D') then
    raise exception using errcode = '22023', message = 'correct_answer must be A, B, C or D';
  end if;

  if v_id is null then
    if v_exam is null or v_domain is null or not (p_question ? 'stem') or not (p_question ? 'options')
       or not (p_question ? 'correct_answer') or not (p_question ? 'explanations') then
      raise exception using
        errcode = '22023',
        message = 'a new question needs exam_id, domain_code, stem, options, correct_answer and explanations';
    end if;
    insert into public.questions (exam_id, domain_id, organization_id, stem, options, status)
    values (v_exam, v_domain, v_org, p_question ->> 'stem', p_question -> 'options',
            coalesce((p_question ->> 'status')::public.question_status, 'draft'))
    returning * into v_row;
    insert into public.question_keys (question_id, correct_answer, explanations, reference)
    values (v_row.id, p_question ->> 'correct_answer', p_question -> 'explanations', p_question ->> 'reference');
  else
    update public.questions q set
      exam_id = v_exam,
      domain_id = coalesce(v_domain, q.domain_id),
      stem = coalesce(p_question ->> 'stem', q.stem),
      options = coalesce(p_question -> 'options', q.options),
      status = coalesce((p_question ->> 'status')::public.question_status, q.status)
    where q.id = v_id;
    if not found then
      raise exception using errcode = '42501', message = format('you cannot edit question %s', v_id);
    end if;
    if p_question ?| array['correct_answer', 'explanations', 'reference'] then
      update public.question_keys k set
        correct_answer = coalesce(p_question ->> 'correct_answer', k.correct_answer),
        explanations = coalesce(p_question -> 'explanations', k.explanations),
        reference = case when p_question ? 'reference' then p_question ->> 'reference' else k.reference end
      where k.question_id = v_id;
    end if;
    select * into v_row from public.questions q where q.id = v_id;
  end if;
  return v_row;
end;
$$;
comment on function public.save_question(jsonb) is
  'Creates ({exam_id, domain_code, stem, options, correct_answer, explanations, reference?, status?, organization_id?}) or edits ({id, ...changed fields}) a question and its key in one transaction, under the caller''s RLS. Errors: 22023 invalid input, PT404 unknown question, 42501 not allowed.';
revoke execute on function public.save_question(jsonb) from public, anon;
grant execute on function public.save_question(jsonb) to authenticated, service_role;

revoke execute on all functions in schema private from public;
