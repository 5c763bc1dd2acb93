-- AI role-play training (the sales trainer): a learner picks a category, a difficulty and a
-- duration, talks to an AI customer, and gets a report scored against a rubric.
--
--   training_categories   the 12 sales categories (reference data, kept here: constraints need it)
--   training_scenarios    customer briefs written by platform admins (global) or organisation staff
--   training_sessions     one conversation: owner, optional organisation, started_at/ends_at, status
--   training_messages     the transcript, stored as it goes (learner lines by the learner under RLS,
--                         customer lines by the ai-trainer function with the service role)
--   training_reports      the rubric report, written only by complete_training_session()
--   training_notes        instructors' notes on a session
--
-- Who sees what: the learner sees their own sessions, transcripts, reports and the notes on them;
-- owners, admins and instructors of the session's organisation see that organisation's sessions
-- (the learner had to be a member to file a session under it); platform admins see all. Nobody
-- writes a report, a score or XP from a client: the ai-trainer edge function calls
-- complete_training_session() with the service role, which stores the report and awards XP once.

create type public.training_difficulty as enum ('new-joining', 'basic', 'experienced', 'expert');
comment on type public.training_difficulty is
  'How hard the AI customer is: new-joining (friendly, simple needs), basic, experienced (sceptical, compares offers), expert (demanding, several hard objections).';

create type public.training_session_status as enum ('active', 'completed', 'abandoned');
comment on type public.training_session_status is
  'active until ended (a report is produced: completed), or abandoned when the learner starts another session.';

create type public.training_message_role as enum ('learner', 'customer');
comment on type public.training_message_role is 'Who spoke: the learner (the salesperson) or the AI customer.';

-- ---------------------------------------------------------------------------
-- Categories
-- ---------------------------------------------------------------------------

create table public.training_categories (
  slug text primary key,
  name text not null,
  description text not null,
  position integer not null,
  constraint training_categories_slug_format check (slug ~ '^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$'),
  constraint training_categories_name_key unique (name)
);
comment on table public.training_categories is
  'The sales training categories a session or scenario belongs to (reference data, read-only through the API).';
comment on column public.training_categories.slug is 'Stable key used by sessions and scenarios.';
comment on column public.training_categories.name is 'Display name.';
comment on column public.training_categories.description is 'What a conversation of this category practises.';
comment on column public.training_categories.position is 'Display order.';

insert into public.training_categories (slug, name, description, position) values
  ('pre-consultation', 'Pre Consultation', 'First contact before a consultation: understand the enquiry and book the visit.', 1),
  ('consultation-series', 'Consultation Series', 'A full consultation: discover needs, explain options, agree on a plan.', 2),
  ('sales-objections', 'Sales Objections', 'Handle price, trust, timing and competitor objections.', 3),
  ('after-fixing-objection', 'After Fixing Objection', 'Regain momentum after an objection is resolved and move to a decision.', 4),
  ('full-wig-consultation', 'Full Wig Consultation', 'Consult a customer considering a full wig: comfort, look, maintenance.', 5),
  ('hairline-consultation', 'Hairline Consultation', 'Consult a customer about hairline restoration and realistic results.', 6),
  ('types-of-patches', 'Types of Patches', 'Explain patch types, materials and which suits the customer.', 7),
  ('upselling-cross-selling', 'Upselling / Cross Selling', 'Offer relevant add-ons and upgrades without pressure.', 8),
  ('retail-sales', 'Retail Sales', 'Sell care products in store: needs, benefits, closing.', 9),
  ('smp-sales', 'SMP Sales', 'Sell scalp micropigmentation: process, durability, price.', 10),
  ('sales-follow-up', 'Sales Follow up', 'Follow up an undecided customer and secure the next step.', 11),
  ('general-sales', 'General Sales', 'General selling skills: rapport, discovery, value, close.', 12);

-- ---------------------------------------------------------------------------
-- Scenarios
-- ---------------------------------------------------------------------------

create table public.training_scenarios (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid references public.organizations (id) on delete cascade,
  category text not null references public.training_categories (slug) on update cascade,
  difficulty public.training_difficulty,
  title text not null,
  customer_brief text not null,
  is_active boolean not null default true,
  created_by uuid default auth.uid() references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint training_scenarios_title_length check (char_length(btrim(title)) between 3 and 200),
  constraint training_scenarios_brief_length check (char_length(btrim(customer_brief)) between 10 and 4000)
);
comment on table public.training_scenarios is
  'Customer briefs for role-play: global (organization_id null, platform admins) or an organisation''s own (its owners, admins and instructors). Without one, the trainer plays a built-in persona of the category and difficulty.';
comment on column public.training_scenarios.organization_id is 'Owning organisation, or null for a global scenario.';
comment on column public.training_scenarios.category is 'The training category (training_categories.slug).';
comment on column public.training_scenarios.difficulty is 'The difficulty it is written for, or null for any.';
comment on column public.training_scenarios.title is 'Short title shown to learners.';
comment on column public.training_scenarios.customer_brief is 'Who the customer is and what they want; handed to the AI customer.';
comment on column public.training_scenarios.is_active is 'Inactive scenarios are hidden from learners.';
comment on column public.training_scenarios.created_by is 'Author.';
comment on column public.training_scenarios.created_at is 'Creation time.';
comment on column public.training_scenarios.updated_at is 'Last change.';
create index training_scenarios_organization_id_idx on public.training_scenarios (organization_id);
create index training_scenarios_category_idx on public.training_scenarios (category, difficulty);
create index training_scenarios_created_by_idx on public.training_scenarios (created_by);
create trigger training_scenarios_set_updated_at before update on public.training_scenarios
  for each row execute function private.set_updated_at();

-- ---------------------------------------------------------------------------
-- Sessions
-- ---------------------------------------------------------------------------

create table public.training_sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  organization_id uuid references public.organizations (id) on delete set null,
  scenario_id uuid references public.training_scenarios (id) on delete set null,
  category text not null references public.training_categories (slug) on update cascade,
  difficulty public.training_difficulty not null,
  duration_minutes integer not null,
  status public.training_session_status not null default 'active',
  started_at timestamptz not null default private.clock(),
  ends_at timestamptz not null default private.clock(),
  completed_at timestamptz,
  overall_score numeric(5, 2),
  xp_awarded integer,
  constraint training_sessions_duration_valid check (duration_minutes in (5, 10, 15, 20, 30)),
  constraint training_sessions_ends_after_start check (ends_at = started_at + make_interval(mins => duration_minutes)),
  constraint training_sessions_completed_complete check (
    (status = 'completed') = (completed_at is not null)
    and (status <> 'completed' or (overall_score is not null and xp_awarded is not null))
  ),
  constraint training_sessions_score_range check (overall_score is null or overall_score between 0 and 100)
);
comment on table public.training_sessions is
  'AI role-play sessions. The learner starts one (insert: category, difficulty, duration_minutes, optional organization_id and scenario_id); the clock, status and score are Ascend''s. Learners read their own; staff of the session''s organisation read its sessions.';
comment on column public.training_sessions.user_id is 'The learner.';
comment on column public.training_sessions.organization_id is 'The organisation the session is filed under (the learner must be a member), or null for a personal session.';
comment on column public.training_sessions.scenario_id is 'The scenario played, or null for the built-in persona.';
comment on column public.training_sessions.category is 'Training category (training_categories.slug).';
comment on column public.training_sessions.difficulty is 'new-joining, basic, experienced or expert.';
comment on column public.training_sessions.duration_minutes is '5, 10, 15, 20 or 30 minutes.';
comment on column public.training_sessions.status is 'active, completed (report stored) or abandoned.';
comment on column public.training_sessions.started_at is 'When it started (server clock).';
comment on column public.training_sessions.ends_at is 'started_at + duration (set by the server, whatever the insert says): after it the learner can no longer speak, only end the session. A reopened tab resumes with ends_at - now.';
comment on column public.training_sessions.completed_at is 'When the report was stored.';
comment on column public.training_sessions.overall_score is 'Report score 0-100, once completed.';
comment on column public.training_sessions.xp_awarded is 'XP the session earned, once completed.';
create index training_sessions_user_idx on public.training_sessions (user_id, started_at desc);
create unique index training_sessions_one_active_idx on public.training_sessions (user_id) where status = 'active';
create index training_sessions_organization_idx on public.training_sessions (organization_id, started_at desc);
create index training_sessions_scenario_id_idx on public.training_sessions (scenario_id);
create index training_sessions_category_idx on public.training_sessions (category);

-- The server sets the clock and the owner; a new session abandons the learner's active one.
create function private.training_session_before_insert()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_scenario public.training_scenarios;
begin
  if auth.uid() is not null and not private.is_service_role() then
    new.user_id := auth.uid();
  end if;
  new.status := 'active';
  new.started_at := private.clock();
  new.ends_at := new.started_at + make_interval(mins => new.duration_minutes);
  new.completed_at := null;
  new.overall_score := null;
  new.xp_awarded := null;
  if new.scenario_id is not null then
    select * into v_scenario from public.training_scenarios s where s.id = new.scenario_id;
    if not found or not v_scenario.is_active
       or (v_scenario.organization_id is not null
           and v_scenario.organization_id is distinct from new.organization_id) then
      raise exception using
        errcode = '22023',
        message = 'unknown or inactive scenario for this session',
        hint = 'pick an active global scenario, or one of the organisation the session is filed under';
    end if;
    if v_scenario.category <> new.category then
      raise exception using
        errcode = '22023',
        message = format('scenario %s is a %s scenario, not %s', v_scenario.id, v_scenario.category, new.category);
    end if;
  end if;
  update public.training_sessions s set status = 'abandoned'
  where s.user_id = new.user_id and s.status = 'active';
  return new;
end;
$$;
comment on function private.training_session_before_insert() is
  'BEFORE INSERT on training_sessions: owner = caller, server clock, ends_at = start + duration, scenario checked; abandons the learner''s previous active session.';
create trigger training_sessions_before_insert
  before insert on public.training_sessions
  for each row execute function private.training_session_before_insert();

-- ---------------------------------------------------------------------------
-- Transcript
-- ---------------------------------------------------------------------------

create table public.training_messages (
  id bigint generated always as identity primary key,
  session_id uuid not null references public.training_sessions (id) on delete cascade,
  user_id uuid not null default auth.uid(),
  organization_id uuid,
  role public.training_message_role not null default 'learner',
  content text not null,
  created_at timestamptz not null default private.clock(),
  search tsvector generated always as (to_tsvector('english'::regconfig, content)) stored,
  constraint training_messages_content_length check (char_length(btrim(content)) between 1 and 4000)
);
comment on table public.training_messages is
  'Transcript of a training session, in order of id. The learner adds their own lines while the session is active and its time not up; the customer''s lines are added by the ai-trainer function.';
comment on column public.training_messages.session_id is 'The session.';
comment on column public.training_messages.user_id is 'The session''s learner (always copied from the session by a trigger, whatever the insert says).';
comment on column public.training_messages.organization_id is 'The session''s organisation (copied from the session).';
comment on column public.training_messages.role is 'learner or customer.';
comment on column public.training_messages.content is 'What was said (1-4000 characters).';
comment on column public.training_messages.created_at is 'When it was said.';
comment on column public.training_messages.search is 'Full-text search vector of the content (English).';
create index training_messages_session_idx on public.training_messages (session_id, id);
create index training_messages_user_idx on public.training_messages (user_id);
create index training_messages_organization_idx on public.training_messages (organization_id);
create index training_messages_search_idx on public.training_messages using gin (search);

create function private.training_child_from_session()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_session public.training_sessions;
begin
  select * into v_session from public.training_sessions s where s.id = new.session_id;
  if not found then
    raise exception using errcode = 'PT404', message = format('training session %s not found', new.session_id);
  end if;
  new.user_id := v_session.user_id;
  new.organization_id := v_session.organization_id;
  return new;
end;
$$;
comment on function private.training_child_from_session() is
  'BEFORE INSERT on training messages and notes: copies the session''s learner and organisation, which their policies read.';
create trigger training_messages_from_session
  before insert on public.training_messages
  for each row execute function private.training_child_from_session();

-- ---------------------------------------------------------------------------
-- Reports
-- ---------------------------------------------------------------------------

create function private.is_valid_training_report(criteria jsonb, strengths jsonb, improvements jsonb, citations jsonb)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select coalesce(
    jsonb_typeof(criteria) = 'array'
    and jsonb_array_length(criteria) between 1 and 12
    and (select coalesce(bool_and(coalesce(
               jsonb_typeof(c) = 'object'
               and jsonb_typeof(c -> 'key') = 'string'
               and jsonb_typeof(c -> 'name') = 'string'
               and jsonb_typeof(c -> 'score') = 'number'
               and (c ->> 'score')::numeric between 0 and 5
               and jsonb_typeof(c -> 'evidence') = 'array'
               and jsonb_typeof(c -> 'comment') = 'string', false)), false)
         from jsonb_array_elements(criteria) c)
    and jsonb_typeof(strengths) = 'array'
    and jsonb_typeof(improvements) = 'array'
    and jsonb_typeof(citations) = 'array', false)
$$;
comment on function private.is_valid_training_report(jsonb, jsonb, jsonb, jsonb) is
  'True when a report has 1-12 criteria {key, name, score 0-5, evidence[], comment} and array strengths, improvements and citations (the ai-trainer function validates the full JSON schema with zod).';

create table public.training_reports (
  session_id uuid primary key references public.training_sessions (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  organization_id uuid references public.organizations (id) on delete set null,
  overall_score numeric(5, 2) not null,
  summary text not null,
  criteria jsonb not null,
  strengths jsonb not null default '[]'::jsonb,
  improvements jsonb not null default '[]'::jsonb,
  citations jsonb not null default '[]'::jsonb,
  generated_by text not null,
  created_at timestamptz not null default private.clock(),
  search tsvector generated always as (to_tsvector('english'::regconfig, summary)) stored,
  constraint training_reports_score_range check (overall_score between 0 and 100),
  constraint training_reports_summary_length check (char_length(btrim(summary)) between 1 and 4000),
  constraint training_reports_shape check (private.is_valid_training_report(criteria, strengths, improvements, citations)),
  constraint training_reports_generated_by_length check (char_length(generated_by) between 1 and 200)
);
comment on table public.training_reports is
  'The scored report of a completed session: per rubric criterion a score 0-5 with evidence quoted from the transcript. Written only by complete_training_session(); read like the session.';
comment on column public.training_reports.session_id is 'The session.';
comment on column public.training_reports.user_id is 'The learner.';
comment on column public.training_reports.organization_id is 'The session''s organisation.';
comment on column public.training_reports.overall_score is 'Weighted rubric score, 0-100.';
comment on column public.training_reports.summary is 'A short verdict.';
comment on column public.training_reports.criteria is 'Array of {key, name, weight, score 0-5, evidence: [{quote, message_id}], comment}.';
comment on column public.training_reports.strengths is 'What went well (array of text).';
comment on column public.training_reports.improvements is 'What to work on (array of text).';
comment on column public.training_reports.citations is 'Organisation training material the customer was grounded in (array of {source, snippet}); empty until grounding exists.';
comment on column public.training_reports.generated_by is 'offline (the rule-based rubric) or the AI model that scored it.';
comment on column public.training_reports.created_at is 'When it was stored.';
comment on column public.training_reports.search is 'Full-text search vector of the summary (English).';
create index training_reports_user_idx on public.training_reports (user_id);
create index training_reports_organization_idx on public.training_reports (organization_id);
create index training_reports_search_idx on public.training_reports using gin (search);

-- ---------------------------------------------------------------------------
-- Instructor notes
-- ---------------------------------------------------------------------------

create table public.training_notes (
  id bigint generated always as identity primary key,
  session_id uuid not null references public.training_sessions (id) on delete cascade,
  user_id uuid not null default auth.uid(),
  organization_id uuid,
  author_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  body text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint training_notes_body_length check (char_length(btrim(body)) between 1 and 4000)
);
comment on table public.training_notes is
  'Notes of instructors, admins and owners on a session of their organisation; the learner reads the notes on their sessions.';
comment on column public.training_notes.session_id is 'The session.';
comment on column public.training_notes.user_id is 'The session''s learner (always copied from the session by a trigger, whatever the insert says).';
comment on column public.training_notes.organization_id is 'The session''s organisation (copied from the session).';
comment on column public.training_notes.author_id is 'Who wrote it.';
comment on column public.training_notes.body is 'The note (1-4000 characters).';
comment on column public.training_notes.created_at is 'Creation time.';
comment on column public.training_notes.updated_at is 'Last change.';
create index training_notes_session_idx on public.training_notes (session_id);
create index training_notes_user_idx on public.training_notes (user_id);
create index training_notes_organization_idx on public.training_notes (organization_id);
create index training_notes_author_id_idx on public.training_notes (author_id);
create trigger training_notes_from_session
  before insert on public.training_notes
  for each row execute function private.training_child_from_session();
create trigger training_notes_set_updated_at before update on public.training_notes
  for each row execute function private.set_updated_at();

-- ---------------------------------------------------------------------------
-- XP for a completed session, once
-- ---------------------------------------------------------------------------

alter table public.xp_events add column training_session_id uuid;
comment on column public.xp_events.training_session_id is 'The AI training session that earned it (source training).';
create unique index xp_events_training_session_once_idx on public.xp_events (training_session_id)
  where training_session_id is not null;

create function private.training_xp(duration_minutes integer, overall_score numeric, learner_messages integer)
returns integer
language sql
immutable
set search_path = ''
as $$
  select case
    when coalesce(learner_messages, 0) = 0 then 0
    else 10 + round(greatest(least(coalesce(overall_score, 0), 100), 0) / 100 * duration_minutes * 4)::integer
  end
$$;
comment on function private.training_xp(integer, numeric, integer) is
  'XP of a completed session: none if the learner never spoke, else 10 + score% x minutes x 4 (a perfect 30-minute session: 130).';

-- Awards a completed session's XP once: a second call finds the ledger row and grants nothing.
create function private.award_training_xp(p_session uuid)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_session public.training_sessions;
  v_messages integer;
  v_xp integer;
begin
  select * into v_session from public.training_sessions s where s.id = p_session;
  if not found or v_session.status <> 'completed' then
    raise exception using errcode = 'PT409', message = format('training session %s is not completed', p_session);
  end if;
  if exists (select 1 from public.xp_events x where x.training_session_id = p_session) then
    return 0;
  end if;
  select count(*) into v_messages from public.training_messages m where m.session_id = p_session and m.role = 'learner';
  v_xp := private.training_xp(v_session.duration_minutes, v_session.overall_score, v_messages);
  if v_xp > 0 then
    insert into public.xp_events (user_id, amount, source, training_session_id, note)
    values (v_session.user_id, v_xp, 'training', p_session, format('AI training: %s', v_session.category))
    on conflict (training_session_id) where training_session_id is not null do nothing;
    if not found then
      return 0;
    end if;
    perform private.evaluate_achievements(v_session.user_id);
  end if;
  return v_xp;
end;
$$;
comment on function private.award_training_xp(uuid) is
  'Grants the XP of a completed training session into the ledger exactly once (unique per session), then re-evaluates achievements; returns the XP granted by this call.';

-- ---------------------------------------------------------------------------
-- complete_training_session: the only way a report, a score and XP get in
-- ---------------------------------------------------------------------------

create function public.complete_training_session(p_session uuid, p_report jsonb)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_session public.training_sessions;
  v_score numeric;
  v_xp integer;
begin
  if not private.is_service_role() then
    raise exception using
      errcode = '42501',
      message = 'only the ai-trainer function completes training sessions',
      hint = 'end a session through POST /functions/v1/ai-trainer/sessions/<id>/end';
  end if;
  select * into v_session from public.training_sessions s where s.id = p_session for update;
  if not found then
    raise exception using errcode = 'PT404', message = format('training session %s not found', p_session);
  end if;
  if v_session.status = 'completed' then
    return jsonb_build_object('session_id', v_session.id, 'status', v_session.status, 'overall_score', v_session.overall_score,
                              'xp_awarded', v_session.xp_awarded, 'already_completed', true);
  end if;
  if v_session.status <> 'active' then
    raise exception using
      errcode = 'PT409',
      message = format('training session %s was %s: it cannot be completed', p_session, v_session.status);
  end if;
  if p_report is null or jsonb_typeof(p_report) <> 'object'
     or jsonb_typeof(p_report -> 'overall_score') <> 'number'
     or jsonb_typeof(p_report -> 'summary') <> 'string' then
    raise exception using
      errcode = '22023',
      message = 'a report needs overall_score (number), summary (text), criteria, strengths, improvements, citations and generated_by';
  end if;
  v_score := round((p_report ->> 'overall_score')::numeric, 2);

  insert into public.training_reports (session_id, user_id, organization_id, overall_score, summary, criteria,
                                       strengths, improvements, citations, generated_by)
  values (v_session.id, v_session.user_id, v_session.organization_id, v_score, p_report ->> 'summary',
          p_report -> 'criteria', coalesce(p_report -> 'strengths', '[]'), coalesce(p_report -> 'improvements', '[]'),
          coalesce(p_report -> 'citations', '[]'), coalesce(p_report ->> 'generated_by', 'unknown'));

  update public.training_sessions s
     set status = 'completed', completed_at = private.clock(), overall_score = v_score, xp_awarded = 0
   where s.id = v_session.id;
  v_xp := private.award_training_xp(v_session.id);
  update public.training_sessions s set xp_awarded = v_xp where s.id = v_session.id;

  return jsonb_build_object('session_id', v_session.id, 'status', 'completed', 'overall_score', v_score,
                            'xp_awarded', v_xp, 'already_completed', false);
end;
$$;
comment on function public.complete_training_session(uuid, jsonb) is
  'Service role only (the ai-trainer function): stores the report of an active session, marks it completed and awards its XP through the ledger, in one transaction. Idempotent: a completed session returns its result with already_completed = true and no new XP. Errors: 42501, PT404, PT409 abandoned, 22023 bad report.';
revoke execute on function public.complete_training_session(uuid, jsonb) from public, anon, authenticated;
grant execute on function public.complete_training_session(uuid, jsonb) to service_role;

-- ---------------------------------------------------------------------------
-- Search over transcripts and reports
-- ---------------------------------------------------------------------------

create function public.search_training_sessions(p_query text, p_limit integer default 20)
returns table (
  session_id uuid,
  user_id uuid,
  organization_id uuid,
  category text,
  difficulty public.training_difficulty,
  status public.training_session_status,
  started_at timestamptz,
  overall_score numeric,
  rank real,
  headline text
)
language sql
stable
set search_path = ''
as $$
  with q as (select websearch_to_tsquery('english'::regconfig, coalesce(p_query, '')) as query),
  hits as (
    select m.session_id, ts_rank(m.search, q.query) as rank, m.content as text
    from public.training_messages m, q
    where m.search @@ q.query
    union all
    select r.session_id, ts_rank(r.search, q.query), r.summary
    from public.training_reports r, q
    where r.search @@ q.query
  ),
  best as (
    select distinct on (h.session_id) h.session_id, h.rank, h.text
    from hits h order by h.session_id, h.rank desc
  )
  select s.id, s.user_id, s.organization_id, s.category, s.difficulty, s.status, s.started_at, s.overall_score, b.rank,
         ts_headline('english'::regconfig, b.text, q.query, 'MaxWords=20, MinWords=5')
  from best b
  join public.training_sessions s on s.id = b.session_id
  cross join q
  order by b.rank desc, s.started_at desc
  limit least(greatest(coalesce(p_limit, 20), 1), 100)
$$;
comment on function public.search_training_sessions(text, integer) is
  'Full-text search (web search syntax) over the transcripts and report summaries the caller may read (RLS applies): sessions with their best-matching line highlighted.';
revoke execute on function public.search_training_sessions(text, integer) from public, anon;
grant execute on function public.search_training_sessions(text, integer) to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Privileges and RLS
-- ---------------------------------------------------------------------------

alter table public.training_categories enable row level security;
alter table public.training_scenarios enable row level security;
alter table public.training_sessions enable row level security;
alter table public.training_messages enable row level security;
alter table public.training_reports enable row level security;
alter table public.training_notes enable row level security;

revoke all on table public.training_categories, public.training_scenarios, public.training_sessions,
  public.training_messages, public.training_reports, public.training_notes from anon, authenticated, service_role;

grant select on table public.training_categories to authenticated, service_role;
grant select, delete on table public.training_scenarios to authenticated, service_role;
grant insert (organization_id, category, difficulty, title, customer_brief, is_active) on table public.training_scenarios
  to authenticated, service_role;
grant update (category, difficulty, title, customer_brief, is_active) on table public.training_scenarios
  to authenticated, service_role;
grant select on table public.training_sessions to authenticated, service_role;
grant insert (organization_id, scenario_id, category, difficulty, duration_minutes) on table public.training_sessions
  to authenticated;
grant insert (user_id, organization_id, scenario_id, category, difficulty, duration_minutes) on table public.training_sessions
  to service_role;
grant select on table public.training_messages to authenticated, service_role;
grant insert (session_id, content) on table public.training_messages to authenticated;
grant insert (session_id, role, content) on table public.training_messages to service_role;
grant select on table public.training_reports to authenticated, service_role;
grant select, delete on table public.training_notes to authenticated, service_role;
grant insert (session_id, body) on table public.training_notes to authenticated;
grant update (body) on table public.training_notes to authenticated;

create policy training_categories_select_all on public.training_categories
  for select to authenticated
  using (true);
comment on policy training_categories_select_all on public.training_categories is 'Every signed-in user reads the categories.';

create policy training_scenarios_select_visible on public.training_scenarios
  for select to authenticated
  using (
    (is_active and (organization_id is null or private.is_org_member(organization_id)))
    or (select private.is_platform_admin())
    or (organization_id is not null and private.is_org_staff(organization_id))
  );
comment on policy training_scenarios_select_visible on public.training_scenarios is
  'Learners read active global scenarios and those of their organisations; staff read all of theirs; platform admins all.';

create policy training_scenarios_insert_author on public.training_scenarios
  for insert to authenticated
  with check (
    (organization_id is null and (select private.is_platform_admin()))
    or (organization_id is not null and private.is_org_staff(organization_id))
  );
comment on policy training_scenarios_insert_author on public.training_scenarios is
  'Platform admins write global scenarios; owners, admins and instructors write their organisation''s.';

create policy training_scenarios_update_author on public.training_scenarios
  for update to authenticated
  using (
    (organization_id is null and (select private.is_platform_admin()))
    or (organization_id is not null and private.is_org_staff(organization_id))
  )
  with check (
    (organization_id is null and (select private.is_platform_admin()))
    or (organization_id is not null and private.is_org_staff(organization_id))
  );
comment on policy training_scenarios_update_author on public.training_scenarios is 'Authors edit the scenarios they manage.';

create policy training_scenarios_delete_author on public.training_scenarios
  for delete to authenticated
  using (
    (organization_id is null and (select private.is_platform_admin()))
    or (organization_id is not null and private.is_org_staff(organization_id))
  );
comment on policy training_scenarios_delete_author on public.training_scenarios is 'Authors delete the scenarios they manage.';

create policy training_sessions_select_visible on public.training_sessions
  for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.is_platform_admin())
    or (organization_id is not null and private.is_org_staff(organization_id))
  );
comment on policy training_sessions_select_visible on public.training_sessions is
  'Learners read their own sessions; owners, admins and instructors read the sessions filed under their organisation; platform admins all.';

create policy training_sessions_insert_self on public.training_sessions
  for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and (organization_id is null or private.is_org_member(organization_id))
  );
comment on policy training_sessions_insert_self on public.training_sessions is
  'A learner starts their own sessions, filed under an organisation only if they are a member of it.';

create policy training_messages_select_visible on public.training_messages
  for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.is_platform_admin())
    or (organization_id is not null and private.is_org_staff(organization_id))
  );
comment on policy training_messages_select_visible on public.training_messages is 'Transcripts are read like their session.';

create policy training_messages_insert_learner on public.training_messages
  for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and role = 'learner'
    and exists (
      select 1 from public.training_sessions s
      where s.id = session_id and s.user_id = (select auth.uid()) and s.status = 'active'
        and s.ends_at + interval '30 seconds' > (select private.clock())
    )
  );
comment on policy training_messages_insert_learner on public.training_messages is
  'The learner adds their own lines to their active session until its time is up (30 s grace); never customer lines.';

create policy training_reports_select_visible on public.training_reports
  for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.is_platform_admin())
    or (organization_id is not null and private.is_org_staff(organization_id))
  );
comment on policy training_reports_select_visible on public.training_reports is 'Reports are read like their session.';

create policy training_notes_select_visible on public.training_notes
  for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.is_platform_admin())
    or (organization_id is not null and private.is_org_staff(organization_id))
  );
comment on policy training_notes_select_visible on public.training_notes is
  'The learner reads the notes on their sessions; staff of the session''s organisation read them all.';

create policy training_notes_insert_staff on public.training_notes
  for insert to authenticated
  with check (
    author_id = (select auth.uid())
    and ((select private.is_platform_admin()) or (organization_id is not null and private.is_org_staff(organization_id)))
  );
comment on policy training_notes_insert_staff on public.training_notes is
  'Owners, admins and instructors of the session''s organisation (and platform admins) add notes in their own name.';

create policy training_notes_update_author on public.training_notes
  for update to authenticated
  using (author_id = (select auth.uid()))
  with check (author_id = (select auth.uid()));
comment on policy training_notes_update_author on public.training_notes is 'Authors edit their own notes.';

create policy training_notes_delete_author on public.training_notes
  for delete to authenticated
  using (author_id = (select auth.uid()) or (select private.is_platform_admin()));
comment on policy training_notes_delete_author on public.training_notes is 'Authors (and platform admins) delete notes.';

revoke execute on all functions in schema private from public;
