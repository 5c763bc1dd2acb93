-- Exams (the four CompTIA exams are seeded; more are rows) and their domains with the share of
-- the exam each one carries. Everyone may read the active catalog; platform admins edit it.

create table public.exams (
  id text primary key,
  code text not null,
  name text not null,
  vendor text not null default 'CompTIA',
  description text,
  passing_percent numeric(5, 2) not null default 75,
  seconds_per_question integer not null default 90,
  is_active boolean not null default true,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint exams_id_format check (id ~ '^[a-z0-9][a-z0-9_-]{1,39}$'),
  constraint exams_code_key unique (code),
  constraint exams_name_length check (char_length(btrim(name)) between 2 and 120),
  constraint exams_passing_percent_range check (passing_percent > 0 and passing_percent <= 100),
  constraint exams_seconds_per_question_range check (seconds_per_question between 10 and 3600)
);
comment on table public.exams is
  'Certification exams learners practise for (security, network, a1101, a1102, ...). Public catalog; platform admins edit it.';
comment on column public.exams.id is 'Stable key used by every API (e.g. security, network, a1101, a1102).';
comment on column public.exams.code is 'Vendor exam code (e.g. SY0-701).';
comment on column public.exams.name is 'Display name.';
comment on column public.exams.vendor is 'Certification vendor.';
comment on column public.exams.description is 'What the exam certifies.';
comment on column public.exams.passing_percent is 'Readiness target: the percentage a learner should reach before booking the exam.';
comment on column public.exams.seconds_per_question is 'Suggested time per question for timed quizzes.';
comment on column public.exams.is_active is 'Inactive exams are hidden from learners and cannot be started.';
comment on column public.exams.position is 'Display order.';
comment on column public.exams.created_at is 'Creation time.';
comment on column public.exams.updated_at is 'Last change.';
create trigger exams_set_updated_at before update on public.exams
  for each row execute function private.set_updated_at();

create table public.exam_domains (
  id bigint generated always as identity primary key,
  exam_id text not null references public.exams (id) on update cascade on delete cascade,
  code text not null,
  name text not null,
  weight numeric(5, 2) not null,
  position integer not null default 0,
  constraint exam_domains_code_per_exam_key unique (exam_id, code),
  constraint exam_domains_id_exam_key unique (id, exam_id),
  constraint exam_domains_code_format check (code ~ '^[0-9]{1,2}\.[0-9]{1,2}$'),
  constraint exam_domains_name_length check (char_length(btrim(name)) between 2 and 160),
  constraint exam_domains_weight_range check (weight > 0 and weight <= 100)
);
comment on table public.exam_domains is
  'Domains (objectives) of an exam with the percentage of the exam each carries; an exam''s weights add up to 100.';
comment on column public.exam_domains.exam_id is 'The exam.';
comment on column public.exam_domains.code is 'Domain number as the vendor writes it (e.g. 2.0).';
comment on column public.exam_domains.name is 'Domain name.';
comment on column public.exam_domains.weight is 'Share of the exam, in percent; readiness is weighted by it.';
comment on column public.exam_domains.position is 'Display order.';

-- Weights of an exam add up to 100, checked at commit so that domains can be edited in any order.
create function private.check_exam_domain_weights()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_exam text := coalesce(new.exam_id, old.exam_id);
  v_total numeric;
begin
  select sum(d.weight) into v_total from public.exam_domains d where d.exam_id = v_exam;
  if v_total is not null and v_total <> 100 then
    raise exception using
      errcode = '23514',
      message = format('the domain weights of exam %L add up to %s, not 100', v_exam, v_total),
      hint = 'adjust exam_domains.weight in the same transaction so they total 100';
  end if;
  return null;
end;
$$;
comment on function private.check_exam_domain_weights() is
  'Deferred constraint trigger on exam_domains: an exam''s domain weights must total 100 at commit.';

create constraint trigger exam_domains_weights_total_100
  after insert or update or delete on public.exam_domains
  deferrable initially deferred
  for each row execute function private.check_exam_domain_weights();

-- ---------------------------------------------------------------------------
-- Privileges and RLS
-- ---------------------------------------------------------------------------

alter table public.exams enable row level security;
alter table public.exam_domains enable row level security;

revoke all on table public.exams, public.exam_domains from anon, authenticated, service_role;
grant select on table public.exams, public.exam_domains to anon;
grant select, insert, update, delete on table public.exams, public.exam_domains to authenticated, service_role;

create policy exams_select_anon on public.exams
  for select to anon
  using (is_active);
comment on policy exams_select_anon on public.exams is 'Visitors see the active exam catalog.';

create policy exams_select_authenticated on public.exams
  for select to authenticated
  using (is_active or (select private.is_platform_admin()));
comment on policy exams_select_authenticated on public.exams is 'Users see active exams; platform admins see all.';

create policy exams_insert_platform_admin on public.exams
  for insert to authenticated
  with check ((select private.is_platform_admin()));
comment on policy exams_insert_platform_admin on public.exams is 'Platform admins add exams.';

create policy exams_update_platform_admin on public.exams
  for update to authenticated
  using ((select private.is_platform_admin()))
  with check ((select private.is_platform_admin()));
comment on policy exams_update_platform_admin on public.exams is 'Platform admins edit exams.';

create policy exams_delete_platform_admin on public.exams
  for delete to authenticated
  using ((select private.is_platform_admin()));
comment on policy exams_delete_platform_admin on public.exams is 'Platform admins delete exams (refused while questions or attempts use them).';

create policy exam_domains_select_anon on public.exam_domains
  for select to anon
  using (exists (select 1 from public.exams e where e.id = exam_id));
comment on policy exam_domains_select_anon on public.exam_domains is 'Visitors see the domains of active exams.';

create policy exam_domains_select_authenticated on public.exam_domains
  for select to authenticated
  using (exists (select 1 from public.exams e where e.id = exam_id));
comment on policy exam_domains_select_authenticated on public.exam_domains is 'Users see the domains of the exams they can see.';

create policy exam_domains_insert_platform_admin on public.exam_domains
  for insert to authenticated
  with check ((select private.is_platform_admin()));
comment on policy exam_domains_insert_platform_admin on public.exam_domains is 'Platform admins add domains.';

create policy exam_domains_update_platform_admin on public.exam_domains
  for update to authenticated
  using ((select private.is_platform_admin()))
  with check ((select private.is_platform_admin()));
comment on policy exam_domains_update_platform_admin on public.exam_domains is 'Platform admins edit domains.';

create policy exam_domains_delete_platform_admin on public.exam_domains
  for delete to authenticated
  using ((select private.is_platform_admin()));
comment on policy exam_domains_delete_platform_admin on public.exam_domains is 'Platform admins delete domains.';

revoke execute on all functions in schema private from public;
