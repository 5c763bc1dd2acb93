// postgres_changes RLS checks when many subscribers listen: the gateway checks a change for many
// subscribers (distinct roles and claims) per round trip, so these tests prove that every one of
// them is still checked under its own role and claims: each receives exactly the rows its policies
// show, across more subscribers than one batch holds, with two roles in the same change, and a
// subscriber whose claims make the policy raise gets nothing while the others still get theirs.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, test } from 'vitest';
import { accessToken } from '../support/tokens.ts';
import { useFixtures } from './fixtures.ts';
import { client, newUser, sleep, subscribe, waitFor, type TestUser } from './support.ts';

const conn = useFixtures();

const SQL = `
create table if not exists public.rt_room_members (room text not null, user_id uuid not null, primary key (room, user_id));
alter table public.rt_room_members enable row level security;
grant select on public.rt_room_members to authenticated;
drop policy if exists rt_room_members_own on public.rt_room_members;
create policy rt_room_members_own on public.rt_room_members for select to authenticated using (user_id = (select auth.uid()));

create table if not exists public.rt_room_rows (id bigint generated always as identity primary key, room text not null, body text not null);
alter table public.rt_room_rows enable row level security;
grant select on public.rt_room_rows to anon, authenticated;
-- Members read their rooms' rows; a token with a "boom" claim makes the policy raise (division by zero).
drop policy if exists rt_room_rows_members on public.rt_room_rows;
create policy rt_room_rows_members on public.rt_room_rows for select to authenticated using (
  case when (select auth.jwt() ->> 'boom') is not null
       then 1 / (pg_catalog.length((select auth.jwt() ->> 'boom')) - 3) = 1
       else exists (select 1 from public.rt_room_members m where m.room = rt_room_rows.room and m.user_id = (select auth.uid()))
  end);
-- Anyone, signed in or not, reads the lobby.
drop policy if exists rt_room_rows_lobby on public.rt_room_rows;
create policy rt_room_rows_lobby on public.rt_room_rows for select to anon using (room = 'lobby');
do $$ begin
  if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'rt_room_rows') then
    alter publication supabase_realtime add table public.rt_room_rows;
  end if;
end $$;`;

beforeAll(async () => {
  await conn.query('begin');
  await conn.query('select pg_advisory_xact_lock(4242001)');
  await conn.query(SQL);
  await conn.query('commit');
});

interface Listener {
  name: string;
  got: string[];
}

/** A subscriber of rt_room_rows INSERTs (a user, or anon without one) and the rows it receives. */
async function listen(name: string, user?: TestUser | string): Promise<Listener> {
  const l: Listener = { name, got: [] };
  await subscribe(
    client(user)
      .channel(`rt-rooms-${randomUUID()}`)
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_room_rows' }, (p) => l.got.push((p.new as { body: string }).body)),
    30_000,
  );
  return l;
}

async function insertRow(room: string, body: string): Promise<void> {
  await conn.query('insert into public.rt_room_rows (room, body) values ($1, $2)', [room, body]);
}

describe('postgres_changes with many RLS-checked subscribers', () => {
  test('each of 264 subscribers (two roles, more than one batch) receives exactly the rows its policies show', async () => {
    const tag = randomUUID().slice(0, 8);
    const [r1, r2] = [`r1-${tag}`, `r2-${tag}`];
    const users = await Promise.all(Array.from({ length: 260 }, () => newUser()));
    // Members interleaved with non-members, so a claim carried over from one check to the next shows.
    const rooms = users.map((_, i) => (i === 0 ? [r1, r2] : i % 3 === 0 ? [r1] : i % 3 === 1 ? [r2] : []));
    const members = users.flatMap((u, i) => rooms[i]!.map((room) => [room, u.id]));
    await conn.query('insert into public.rt_room_members (room, user_id) select * from unnest($1::text[], $2::uuid[])', [
      members.map((m) => m[0]),
      members.map((m) => m[1]),
    ]);
    const listeners: Listener[] = [];
    for (let i = 0; i < users.length; i += 50) {
      listeners.push(...(await Promise.all(users.slice(i, i + 50).map((u, k) => listen(`user ${i + k}`, u)))));
    }
    const anons = await Promise.all(Array.from({ length: 4 }, (_, i) => listen(`anon ${i}`)));

    await insertRow(r1, `${tag} in r1`);
    await insertRow(r2, `${tag} in r2`);
    await insertRow('lobby', `${tag} in the lobby`);
    await insertRow(`nobody-${tag}`, `${tag} in no one's room`);

    const expected = new Map<Listener, string[]>();
    listeners.forEach((l, i) => expected.set(l, rooms[i]!.map((room) => `${tag} in ${room.slice(0, 2)}`)));
    for (const a of anons) expected.set(a, [`${tag} in the lobby`]);
    const mine = (l: Listener) => l.got.filter((b) => b.startsWith(tag));
    const total = [...expected.values()].reduce((n, rows) => n + rows.length, 0);
    await waitFor(() => [...expected.keys()].reduce((n, l) => n + mine(l).length, 0) >= total || undefined, 20_000, 'every allowed delivery');
    await sleep(500); // time for a row that should not arrive to arrive
    for (const [l, rows] of expected) assert.deepEqual(mine(l).sort(), [...rows].sort(), `${l.name} receives exactly what its policies show`);
  });

  test('a subscriber whose claims make the policy raise gets nothing; the others in its batch still get the row', async () => {
    const tag = randomUUID().slice(0, 8);
    const room = `boom-${tag}`;
    const boomId = randomUUID();
    const boomUser: TestUser = { id: boomId, email: `${boomId}@example.test`, token: await accessToken({ sub: boomId, boom: 'yes' }) };
    const others = await Promise.all(Array.from({ length: 5 }, () => newUser()));
    await conn.query('insert into public.rt_room_members (room, user_id) select $1, unnest($2::uuid[])', [room, [boomUser, ...others].map((u) => u.id)]);
    // The raising subscriber joins first, so it is checked before the others.
    const boom = await listen('boom', boomUser);
    const listeners = await Promise.all(others.map((u, i) => listen(`member ${i}`, u)));
    await insertRow(room, `${tag} for members`);
    await waitFor(() => listeners.every((l) => l.got.includes(`${tag} for members`)) || undefined, 10_000, 'the row at every member');
    await sleep(500);
    assert.deepEqual(boom.got.filter((b) => b.startsWith(tag)), [], 'an erroring RLS check never counts as visible');
  });
});
