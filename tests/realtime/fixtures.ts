// Database fixtures of the realtime suites, created idempotently as `postgres` (test data, not
// migrations): RLS policies on realtime.messages for private channels, `rt_*` tables with RLS
// in the supabase_realtime publication, and a trigger that broadcasts with realtime.send().
import { afterAll as after, beforeAll as before } from 'vitest';
import pg from 'pg';
import { env } from '../support/env.ts';
import { closeClients, db } from './support.ts';

const SQL = `
-- Private channels: members of a topic may receive; only writers may send.
create table if not exists public.rt_channel_members (
  topic text not null,
  user_id uuid not null,
  can_write boolean not null default false,
  primary key (topic, user_id)
);
alter table public.rt_channel_members enable row level security;
revoke all on public.rt_channel_members from anon, authenticated;
grant select on public.rt_channel_members to authenticated;
drop policy if exists rt_channel_members_select_own on public.rt_channel_members;
create policy rt_channel_members_select_own on public.rt_channel_members
  for select to authenticated using (user_id = (select auth.uid()));

drop policy if exists rt_test_members_read on realtime.messages;
create policy rt_test_members_read on realtime.messages
  for select to authenticated
  using (
    realtime.messages.extension in ('broadcast', 'presence')
    and exists (
      select 1 from public.rt_channel_members m
       where m.topic = (select realtime.topic()) and m.user_id = (select auth.uid())
    )
  );
drop policy if exists rt_test_members_write on realtime.messages;
create policy rt_test_members_write on realtime.messages
  for insert to authenticated
  with check (
    realtime.messages.extension in ('broadcast', 'presence')
    and exists (
      select 1 from public.rt_channel_members m
       where m.topic = (select realtime.topic()) and m.user_id = (select auth.uid()) and m.can_write
    )
  );

-- postgres_changes: each user sees only their own items.
create table if not exists public.rt_items (
  id bigint generated always as identity primary key,
  owner uuid not null,
  body text not null,
  qty int not null default 0,
  meta jsonb,
  created_at timestamptz not null default now()
);
alter table public.rt_items enable row level security;
alter table public.rt_items replica identity full;
grant select, insert, update, delete on public.rt_items to authenticated;
drop policy if exists rt_items_select_own on public.rt_items;
create policy rt_items_select_own on public.rt_items for select to authenticated using (owner = (select auth.uid()));
drop policy if exists rt_items_insert_own on public.rt_items;
create policy rt_items_insert_own on public.rt_items for insert to authenticated with check (owner = (select auth.uid()));
drop policy if exists rt_items_update_own on public.rt_items;
create policy rt_items_update_own on public.rt_items for update to authenticated using (owner = (select auth.uid()));
drop policy if exists rt_items_delete_own on public.rt_items;
create policy rt_items_delete_own on public.rt_items for delete to authenticated using (owner = (select auth.uid()));
create index if not exists rt_items_owner_idx on public.rt_items (owner);

-- A table without RLS and one outside the publication.
create table if not exists public.rt_open (id int primary key, label text);
grant select, insert, update, delete on public.rt_open to authenticated;
create table if not exists public.rt_unpublished (id int primary key, label text);
grant select, insert on public.rt_unpublished to authenticated;
alter table public.rt_unpublished enable row level security;

-- realtime.send from a trigger: every note is announced on its room's topics.
create table if not exists public.rt_notes (
  id bigint generated always as identity primary key,
  room text not null,
  body text not null
);
alter table public.rt_notes enable row level security;

create or replace function public.rt_notes_announce()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform realtime.send(pg_catalog.jsonb_build_object('id', new.id, 'body', new.body), 'note_added', 'rt-notes:' || new.room, false);
  perform realtime.send(pg_catalog.jsonb_build_object('id', new.id, 'body', new.body), 'note_added', 'rt-notes-private:' || new.room);
  perform realtime.broadcast_changes('rt-notes-changes:' || new.room, tg_op, tg_op, tg_table_name, tg_table_schema, new, old);
  return null;
end
$$;
revoke all on function public.rt_notes_announce() from public, anon, authenticated;
drop trigger if exists rt_notes_announce on public.rt_notes;
create trigger rt_notes_announce after insert on public.rt_notes for each row execute function public.rt_notes_announce();

do $$
begin
  if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'rt_items') then
    alter publication supabase_realtime add table public.rt_items;
  end if;
  if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'rt_open') then
    alter publication supabase_realtime add table public.rt_open;
  end if;
end
$$;
`;

let done: Promise<void> | undefined;

/** Creates the fixtures once per process (they are idempotent anyway). */
export function ensureFixtures(): Promise<void> {
  done ??= (async () => {
    const c = await db();
    try {
      // Concurrent suites may race on the same DDL; serialize on an advisory lock.
      await c.query('begin');
      await c.query('select pg_advisory_xact_lock(4242001)');
      await c.query(SQL);
      await c.query('commit');
    } catch (e) {
      await c.query('rollback').catch(() => undefined);
      throw e;
    } finally {
      await c.end();
    }
  })();
  return done;
}

/** The head of a suite on the database: the fixtures, and a connection as `postgres` for its tests (closed after, with the clients). */
export function useFixtures(): pg.Client {
  const conn = new pg.Client({ connectionString: env.DB_URL });
  before(async () => {
    await ensureFixtures();
    await conn.connect();
  });
  after(async () => {
    await closeClients();
    await conn.end();
  });
  return conn;
}
