-- XP: an append-only ledger (who, how much, why, when). profiles.xp and profiles.level are
-- maintained from it by a statement trigger; level = floor(sqrt(xp / 100)) + 1, so levels start
-- at 0, 100, 400, 900, 1600 ... XP. Nobody writes the ledger directly: only Ascend's functions.

create function private.level_for_xp(xp bigint)
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select (floor(sqrt(greatest(coalesce(xp, 0), 0)::numeric / 100)) + 1)::integer
$$;
comment on function private.level_for_xp(bigint) is 'Level for a total XP: floor(sqrt(xp / 100)) + 1.';

create function public.xp_for_level(p_level integer)
returns bigint
language sql
immutable
set search_path = ''
as $$
  select 100::bigint * (greatest(p_level, 1) - 1) * (greatest(p_level, 1) - 1)
$$;
comment on function public.xp_for_level(integer) is
  'Total XP at which a level starts: 100 * (level - 1)^2 (level 2 at 100, 3 at 400, 4 at 900).';
revoke execute on function public.xp_for_level(integer) from public;
grant execute on function public.xp_for_level(integer) to anon, authenticated, service_role;

create table public.xp_events (
  id bigint generated always as identity primary key,
  user_id uuid not null references public.profiles (id) on delete cascade,
  amount integer not null,
  source public.xp_source not null,
  attempt_id uuid,
  achievement_id bigint references public.achievements (id),
  note text,
  created_at timestamptz not null default private.clock(),
  constraint xp_events_amount_not_zero check (amount <> 0),
  constraint xp_events_adjustment_has_note check (source <> 'adjustment' or note is not null)
);
comment on table public.xp_events is
  'Append-only XP ledger. profiles.xp is the sum of a learner''s rows. Written only by Ascend (quiz submission, achievements, admin adjustments).';
comment on column public.xp_events.user_id is 'The learner.';
comment on column public.xp_events.amount is 'XP granted (negative only for admin adjustments).';
comment on column public.xp_events.source is 'quiz (10 per correct answer), accuracy_bonus, achievement, adjustment.';
comment on column public.xp_events.attempt_id is 'The quiz attempt that earned it.';
comment on column public.xp_events.achievement_id is 'The achievement that granted it (an awarded achievement cannot be deleted: deactivate it).';
comment on column public.xp_events.note is 'Reason of an admin adjustment.';
comment on column public.xp_events.created_at is 'When it was granted.';
create index xp_events_user_created_idx on public.xp_events (user_id, created_at desc);
create index xp_events_created_at_idx on public.xp_events (created_at) include (user_id, amount);
create index xp_events_attempt_id_idx on public.xp_events (attempt_id) where attempt_id is not null;
create index xp_events_achievement_id_idx on public.xp_events (achievement_id) where achievement_id is not null;

create function private.apply_xp_events()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.profiles p
     set xp = p.xp + s.amount,
         level = private.level_for_xp(p.xp + s.amount)
    from (select n.user_id, sum(n.amount) as amount from new_events n group by n.user_id) s
   where p.id = s.user_id;
  return null;
end;
$$;
comment on function private.apply_xp_events() is 'AFTER INSERT (statement) on xp_events: adds the new XP to profiles.xp and recomputes the level.';

create trigger xp_events_apply
  after insert on public.xp_events
  referencing new table as new_events
  for each statement execute function private.apply_xp_events();

create function private.keep_xp_ledger_append_only()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- Deleting a learner removes their ledger with them.
  if tg_op = 'DELETE' and not exists (select 1 from public.profiles p where p.id = old.user_id) then
    return old;
  end if;
  raise exception using
    errcode = '42501',
    message = 'xp_events is an append-only ledger: rows are never changed or deleted',
    hint = 'correct XP with admin_adjust_xp(), which appends an adjustment';
end;
$$;
comment on function private.keep_xp_ledger_append_only() is
  'BEFORE UPDATE/DELETE on xp_events: refuses every change, except the cascade when a learner is deleted.';

create trigger xp_events_append_only
  before update or delete on public.xp_events
  for each row execute function private.keep_xp_ledger_append_only();

alter table public.xp_events enable row level security;
revoke all on table public.xp_events from anon, authenticated, service_role;
grant select on table public.xp_events to authenticated, service_role;

create policy xp_events_select_visible on public.xp_events
  for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.is_platform_admin())
    or user_id in (select private.staff_learner_ids())
  );
comment on policy xp_events_select_visible on public.xp_events is
  'Learners read their ledger; instructors and admins read their organisation''s learners''.';

revoke execute on all functions in schema private from public;
