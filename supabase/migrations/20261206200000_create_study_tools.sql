-- Study tools (seed 000): bookmarks and notes on questions, study sets (named lists of questions,
-- private or shared inside an organisation), and spaced repetition over the questions a learner
-- got wrong.
--
-- Spaced repetition uses SM-2 (SuperMemo 2, P. Wozniak 1987), exactly as its widely cited
-- pseudo-code states it: grades 0-5; a grade >= 3 advances the card (intervals 1 day, 6 days,
-- then round(interval * EF) with the easiness factor before this review), a grade < 3 starts it
-- over at 1 day; after every review EF += 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02), floored at
-- 1.3. Why SM-2 rather than FSRS: it is deterministic, needs no per-learner parameter fitting
-- (FSRS's optimiser wants hundreds of reviews per learner, which a new platform does not have),
-- is a few lines of SQL that pgTAP can prove for a known sequence, and the card keeps enough
-- history (grades, lapses) to move to FSRS later without losing anything.
--
-- Cards are created by a trigger: when submit_quiz grades an answer wrong, the question becomes
-- a card due the next day (or, if it already was one, a lapse: a review graded 1).

create table public.bookmarks (
  user_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  question_id bigint not null references public.questions (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (user_id, question_id)
);
comment on table public.bookmarks is 'Questions a learner bookmarked for later; private to the learner.';
comment on column public.bookmarks.user_id is 'The learner (defaults to the caller).';
comment on column public.bookmarks.question_id is 'The bookmarked question (one the learner can read).';
comment on column public.bookmarks.created_at is 'When it was bookmarked.';
create index bookmarks_question_id_idx on public.bookmarks (question_id);

create table public.question_notes (
  id bigint generated always as identity primary key,
  user_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  question_id bigint not null references public.questions (id) on delete cascade,
  body text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint question_notes_one_per_question_key unique (user_id, question_id),
  constraint question_notes_body_length check (char_length(btrim(body)) between 1 and 5000)
);
comment on table public.question_notes is 'A learner''s own note on a question (one per question); private to the learner.';
comment on column public.question_notes.user_id is 'The learner (defaults to the caller).';
comment on column public.question_notes.question_id is 'The question (one the learner can read).';
comment on column public.question_notes.body is 'The note, 1-5000 characters.';
comment on column public.question_notes.created_at is 'Creation time.';
comment on column public.question_notes.updated_at is 'Last change.';
create index question_notes_question_id_idx on public.question_notes (question_id);
create trigger question_notes_set_updated_at before update on public.question_notes
  for each row execute function private.set_updated_at();

create table public.study_sets (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  organization_id uuid references public.organizations (id) on delete cascade,
  name text not null,
  description text,
  shared boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint study_sets_name_length check (char_length(btrim(name)) between 1 and 100),
  constraint study_sets_description_length check (description is null or char_length(description) <= 1000),
  constraint study_sets_shared_needs_organization check (not shared or organization_id is not null)
);
comment on table public.study_sets is
  'Named lists of questions. Private to their owner, or shared (shared = true) with the members of their organisation.';
comment on column public.study_sets.owner_id is 'Who made it (defaults to the caller); only they change it.';
comment on column public.study_sets.organization_id is 'Organisation it belongs to (the owner must be a member); null for a personal set.';
comment on column public.study_sets.name is 'Name, 1-100 characters.';
comment on column public.study_sets.description is 'Optional description.';
comment on column public.study_sets.shared is 'True: every member of the organisation may read it.';
comment on column public.study_sets.created_at is 'Creation time.';
comment on column public.study_sets.updated_at is 'Last change.';
create index study_sets_owner_id_idx on public.study_sets (owner_id);
create index study_sets_organization_id_idx on public.study_sets (organization_id) where organization_id is not null;
create trigger study_sets_set_updated_at before update on public.study_sets
  for each row execute function private.set_updated_at();

create table public.study_set_items (
  study_set_id uuid not null references public.study_sets (id) on delete cascade,
  question_id bigint not null references public.questions (id) on delete cascade,
  position integer not null default 0,
  added_at timestamptz not null default now(),
  primary key (study_set_id, question_id)
);
comment on table public.study_set_items is 'The questions of a study set, in position order.';
comment on column public.study_set_items.study_set_id is 'The study set.';
comment on column public.study_set_items.question_id is 'A question the set''s owner can read.';
comment on column public.study_set_items.position is 'Order in the set (ascending).';
comment on column public.study_set_items.added_at is 'When it was added.';
create index study_set_items_question_id_idx on public.study_set_items (question_id);

create table public.review_cards (
  user_id uuid not null references public.profiles (id) on delete cascade,
  question_id bigint not null references public.questions (id) on delete cascade,
  easiness numeric(4, 2) not null default 2.5,
  repetitions integer not null default 0,
  interval_days integer not null default 1,
  due_at timestamptz not null,
  reviews integer not null default 0,
  lapses integer not null default 0,
  last_grade smallint,
  last_reviewed_at timestamptz,
  created_at timestamptz not null default private.clock(),
  primary key (user_id, question_id),
  constraint review_cards_easiness_range check (easiness >= 1.3),
  constraint review_cards_counts_valid check (repetitions >= 0 and interval_days >= 1 and reviews >= 0 and lapses >= 0),
  constraint review_cards_last_grade_range check (last_grade is null or last_grade between 0 and 5)
);
comment on table public.review_cards is
  'Spaced-repetition cards (SM-2) of the questions a learner got wrong. Created by a trigger when a quiz answer is graded wrong; scheduled by review_card(); the learner may delete one.';
comment on column public.review_cards.user_id is 'The learner.';
comment on column public.review_cards.question_id is 'The question to review.';
comment on column public.review_cards.easiness is 'SM-2 easiness factor (EF), starts at 2.5, never below 1.3.';
comment on column public.review_cards.repetitions is 'SM-2 n: successful reviews in a row (grade >= 3).';
comment on column public.review_cards.interval_days is 'SM-2 I: days from the last review to the next.';
comment on column public.review_cards.due_at is 'When the card is due next.';
comment on column public.review_cards.reviews is 'Reviews so far (a wrong quiz answer on an existing card counts as one, graded 1).';
comment on column public.review_cards.lapses is 'Times the card was forgotten (graded below 3).';
comment on column public.review_cards.last_grade is 'Grade (0-5) of the last review.';
comment on column public.review_cards.last_reviewed_at is 'When it was last reviewed.';
comment on column public.review_cards.created_at is 'When the wrong answer created it.';
create index review_cards_due_idx on public.review_cards (user_id, due_at);
create index review_cards_question_id_idx on public.review_cards (question_id);

-- ---------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------

-- Invoker on purpose: the question is visible exactly when the caller's RLS on questions says so.
create function private.can_read_question(p_question bigint)
returns boolean
language sql
stable
set search_path = ''
as $$
  select exists (select 1 from public.questions q where q.id = p_question)
$$;
comment on function private.can_read_question(bigint) is
  'True when the caller can read the question under its RLS (published in scope, managed, or answered).';

create function private.owns_study_set(p_set uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from public.study_sets s where s.id = p_set and s.owner_id = (select auth.uid()))
$$;
comment on function private.owns_study_set(uuid) is 'True when the caller owns the study set.';

create function private.can_read_study_set(p_set uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.study_sets s
    where s.id = p_set
      and (s.owner_id = (select auth.uid())
           or private.is_platform_admin()
           or (s.shared and private.is_org_member(s.organization_id)))
  )
$$;
comment on function private.can_read_study_set(uuid) is
  'True when the caller may read the study set: its owner, members of its organisation when shared, platform admins.';

grant execute on function private.can_read_question(bigint) to authenticated, service_role;
grant execute on function private.owns_study_set(uuid) to authenticated, service_role;
grant execute on function private.can_read_study_set(uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- SM-2
-- ---------------------------------------------------------------------------

create function private.sm2(
  p_easiness numeric,
  p_repetitions integer,
  p_interval integer,
  p_grade integer,
  out easiness numeric,
  out repetitions integer,
  out interval_days integer
)
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_grade is null or p_grade not between 0 and 5 then
    raise exception using errcode = '22023', message = format('an SM-2 grade is 0 to 5, not %s', p_grade),
      hint = '0-2: forgotten, 3: hard, 4: good, 5: easy';
  end if;
  if p_grade >= 3 then
    interval_days := case
      when p_repetitions = 0 then 1
      when p_repetitions = 1 then 6
      else round(p_interval * p_easiness)::integer
    end;
    repetitions := p_repetitions + 1;
  else
    repetitions := 0;
    interval_days := 1;
  end if;
  easiness := greatest(1.3, p_easiness + (0.1 - (5 - p_grade) * (0.08 + (5 - p_grade) * 0.02)));
end;
$$;
comment on function private.sm2(numeric, integer, integer, integer) is
  'One SM-2 step: (EF, n, I) and a grade 0-5 give the new (EF, n, I). Grade >= 3: I = 1, 6, then round(I * EF); below 3: n = 0, I = 1; EF += 0.1 - (5-q)(0.08 + (5-q)0.02), min 1.3.';

-- AFTER UPDATE OF is_correct on quiz_attempt_items: a wrong graded answer makes (or lapses) a card.
create function private.card_from_wrong_answer()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_at timestamptz := coalesce(new.graded_at, private.clock());
begin
  insert into public.review_cards as c (user_id, question_id, due_at, created_at)
  values (new.user_id, new.question_id, v_at + interval '1 day', v_at)
  on conflict (user_id, question_id) do update
    set (easiness, repetitions, interval_days) =
          (select s.easiness, s.repetitions, s.interval_days from private.sm2(c.easiness, c.repetitions, c.interval_days, 1) s),
        due_at = v_at + interval '1 day',
        reviews = c.reviews + 1,
        lapses = c.lapses + 1,
        last_grade = 1,
        last_reviewed_at = v_at;
  return null;
end;
$$;
comment on function private.card_from_wrong_answer() is
  'Trigger: a quiz answer graded wrong creates a review card due a day later, or counts as a lapse (grade 1) on an existing card.';

create trigger quiz_attempt_items_review_card
  after update of is_correct on public.quiz_attempt_items
  for each row
  when (old.is_correct is null and new.is_correct is false)
  execute function private.card_from_wrong_answer();

-- ---------------------------------------------------------------------------
-- Privileges and RLS
-- ---------------------------------------------------------------------------

alter table public.bookmarks enable row level security;
alter table public.question_notes enable row level security;
alter table public.study_sets enable row level security;
alter table public.study_set_items enable row level security;
alter table public.review_cards enable row level security;

revoke all on table public.bookmarks, public.question_notes, public.study_sets, public.study_set_items, public.review_cards
  from anon, authenticated, service_role;
grant select, insert, delete on table public.bookmarks to authenticated;
grant select, insert, delete on table public.question_notes to authenticated;
grant update (body) on table public.question_notes to authenticated;
grant select, insert, delete on table public.study_sets to authenticated;
grant update (name, description, shared, organization_id) on table public.study_sets to authenticated;
grant select, insert, delete on table public.study_set_items to authenticated;
grant update (position) on table public.study_set_items to authenticated;
grant select, delete on table public.review_cards to authenticated;
grant select, insert, update, delete on table public.bookmarks, public.question_notes, public.study_sets,
  public.study_set_items, public.review_cards to service_role;

create policy bookmarks_select_own on public.bookmarks
  for select to authenticated using (user_id = (select auth.uid()));
comment on policy bookmarks_select_own on public.bookmarks is 'Learners read their own bookmarks.';
create policy bookmarks_insert_own on public.bookmarks
  for insert to authenticated
  with check (user_id = (select auth.uid()) and private.can_read_question(question_id));
comment on policy bookmarks_insert_own on public.bookmarks is 'Learners bookmark questions they can read.';
create policy bookmarks_delete_own on public.bookmarks
  for delete to authenticated using (user_id = (select auth.uid()));
comment on policy bookmarks_delete_own on public.bookmarks is 'Learners remove their own bookmarks.';

create policy question_notes_select_own on public.question_notes
  for select to authenticated using (user_id = (select auth.uid()));
comment on policy question_notes_select_own on public.question_notes is 'Learners read their own notes.';
create policy question_notes_insert_own on public.question_notes
  for insert to authenticated
  with check (user_id = (select auth.uid()) and private.can_read_question(question_id));
comment on policy question_notes_insert_own on public.question_notes is 'Learners write notes on questions they can read.';
create policy question_notes_update_own on public.question_notes
  for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
comment on policy question_notes_update_own on public.question_notes is 'Learners edit their own notes.';
create policy question_notes_delete_own on public.question_notes
  for delete to authenticated using (user_id = (select auth.uid()));
comment on policy question_notes_delete_own on public.question_notes is 'Learners delete their own notes.';

create policy study_sets_select_visible on public.study_sets
  for select to authenticated
  using (
    owner_id = (select auth.uid())
    or (select private.is_platform_admin())
    or (shared and private.is_org_member(organization_id))
  );
comment on policy study_sets_select_visible on public.study_sets is
  'Owners read their sets; members read the sets shared in their organisation; platform admins read all.';
create policy study_sets_insert_own on public.study_sets
  for insert to authenticated
  with check (owner_id = (select auth.uid()) and (organization_id is null or private.is_org_member(organization_id)));
comment on policy study_sets_insert_own on public.study_sets is 'Learners create sets for themselves, in organisations they belong to.';
create policy study_sets_update_own on public.study_sets
  for update to authenticated
  using (owner_id = (select auth.uid()))
  with check (owner_id = (select auth.uid()) and (organization_id is null or private.is_org_member(organization_id)));
comment on policy study_sets_update_own on public.study_sets is 'Owners rename, describe and share their sets.';
create policy study_sets_delete_owner_or_admin on public.study_sets
  for delete to authenticated
  using (
    owner_id = (select auth.uid())
    or (select private.is_platform_admin())
    or (shared and private.is_org_admin(organization_id))
  );
comment on policy study_sets_delete_owner_or_admin on public.study_sets is
  'Owners delete their sets; organisation admins remove sets shared in their organisation (moderation).';

create policy study_set_items_select_visible on public.study_set_items
  for select to authenticated using (private.can_read_study_set(study_set_id));
comment on policy study_set_items_select_visible on public.study_set_items is 'Whoever may read the set reads its items.';
create policy study_set_items_insert_owner on public.study_set_items
  for insert to authenticated
  with check (private.owns_study_set(study_set_id) and private.can_read_question(question_id));
comment on policy study_set_items_insert_owner on public.study_set_items is 'Owners add questions they can read to their sets.';
create policy study_set_items_update_owner on public.study_set_items
  for update to authenticated
  using (private.owns_study_set(study_set_id)) with check (private.owns_study_set(study_set_id));
comment on policy study_set_items_update_owner on public.study_set_items is 'Owners reorder their sets.';
create policy study_set_items_delete_owner on public.study_set_items
  for delete to authenticated using (private.owns_study_set(study_set_id));
comment on policy study_set_items_delete_owner on public.study_set_items is 'Owners remove questions from their sets.';

create policy review_cards_select_own on public.review_cards
  for select to authenticated using (user_id = (select auth.uid()));
comment on policy review_cards_select_own on public.review_cards is 'Learners read their own cards.';
create policy review_cards_delete_own on public.review_cards
  for delete to authenticated using (user_id = (select auth.uid()));
comment on policy review_cards_delete_own on public.review_cards is 'Learners drop a card they no longer want to review.';

-- ---------------------------------------------------------------------------
-- RPCs
-- ---------------------------------------------------------------------------

create function public.review_card(p_question bigint, p_grade integer)
returns public.review_cards
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_now timestamptz := private.clock();
  v_card public.review_cards;
  v_next record;
begin
  select * into v_card from public.review_cards c
  where c.user_id = v_uid and c.question_id = p_question
  for update;
  if not found then
    raise exception using errcode = 'PT404', message = format('you have no review card for question %s', p_question),
      hint = 'cards are made from questions you answered wrong; see get_review_queue()';
  end if;
  select * into v_next from private.sm2(v_card.easiness, v_card.repetitions, v_card.interval_days, p_grade);
  update public.review_cards c
     set easiness = v_next.easiness,
         repetitions = v_next.repetitions,
         interval_days = v_next.interval_days,
         due_at = v_now + make_interval(days => v_next.interval_days),
         reviews = c.reviews + 1,
         lapses = c.lapses + case when p_grade < 3 then 1 else 0 end,
         last_grade = p_grade,
         last_reviewed_at = v_now
   where c.user_id = v_uid and c.question_id = p_question
  returning * into v_card;
  return v_card;
end;
$$;
comment on function public.review_card(bigint, integer) is
  'Records a review of one of the caller''s cards with an SM-2 grade (0-2 forgotten, 3 hard, 4 good, 5 easy) and schedules the next. Errors: 42501, PT404 no such card, 22023 bad grade.';
revoke execute on function public.review_card(bigint, integer) from public, anon;
grant execute on function public.review_card(bigint, integer) to authenticated;

create function public.get_review_queue(p_exam text default null, p_limit integer default 20)
returns table (
  kind text,
  question_id bigint,
  exam_id text,
  domain_code text,
  due_at timestamptz,
  easiness numeric,
  reason text
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_now timestamptz := private.clock();
  v_limit integer := least(greatest(coalesce(p_limit, 20), 1), 100);
begin
  return query
  with due as (
    select c.question_id, q.exam_id, d.code as domain_code, c.due_at, c.easiness,
           row_number() over (order by c.due_at, c.easiness, c.question_id) as n
    from public.review_cards c
    join public.questions q on q.id = c.question_id
    join public.exam_domains d on d.id = q.domain_id
    where c.user_id = v_uid and c.due_at <= v_now
      and q.status = 'published'
      and (p_exam is null or q.exam_id = p_exam)
  ),
  perf as (
    select i.exam_id, i.domain_id, count(*) as answered,
           count(*) filter (where i.is_correct) * 100.0 / count(*) as accuracy
    from public.quiz_attempt_items i
    where i.user_id = v_uid and i.graded_at is not null and (p_exam is null or i.exam_id = p_exam)
    group by i.exam_id, i.domain_id
    having count(*) >= 5 and count(*) filter (where i.is_correct) * 100.0 / count(*) < 70
  ),
  weak as (
    select q.id as question_id, q.exam_id, d.code as domain_code, perf.accuracy,
           row_number() over (order by perf.accuracy, q.domain_id, q.id) as n
    from perf
    join public.questions q on q.exam_id = perf.exam_id and q.domain_id = perf.domain_id
    join public.exam_domains d on d.id = q.domain_id
    where q.status = 'published'
      and (q.organization_id is null or exists (
            select 1 from public.organization_members m where m.organization_id = q.organization_id and m.user_id = v_uid))
      and not exists (select 1 from public.review_cards c where c.user_id = v_uid and c.question_id = q.id)
      and not exists (
        select 1 from public.quiz_attempt_items i
        where i.user_id = v_uid and i.question_id = q.id and i.is_correct and i.graded_at > v_now - interval '7 days')
  ),
  mixed as (
    -- Due cards first (up to three quarters of the queue), then weak-domain questions, then the rest of either.
    select 'due_card'::text as kind, due.question_id, due.exam_id, due.domain_code, due.due_at, due.easiness,
           'due for review'::text as reason,
           case when due.n <= ceil(v_limit * 0.75) then due.n else v_limit + due.n end as rank
    from due
    union all
    select 'weak_domain', weak.question_id, weak.exam_id, weak.domain_code, null::timestamptz, null::numeric,
           format('domain %s at %s%% accuracy', weak.domain_code, round(weak.accuracy)),
           case when weak.n <= v_limit - least((select count(*) from due), ceil(v_limit * 0.75)) then ceil(v_limit * 0.75) + weak.n
                else 2 * v_limit + weak.n end
    from weak
  )
  select m.kind, m.question_id, m.exam_id, m.domain_code, m.due_at, m.easiness, m.reason
  from mixed m
  order by m.rank, m.kind, m.question_id
  limit v_limit;
end;
$$;
comment on function public.get_review_queue(text, integer) is
  'The caller''s review queue: due SM-2 cards (oldest first, up to 3/4 of p_limit) mixed with unseen questions from weak domains (under 70% over 5+ answers, not answered right in 7 days). Rows: kind due_card|weak_domain, question_id, exam_id, domain_code, due_at, easiness, reason.';
revoke execute on function public.get_review_queue(text, integer) from public, anon;
grant execute on function public.get_review_queue(text, integer) to authenticated;

revoke execute on all functions in schema private from public;
