// postgres_changes through supabase-js: rows reach subscribers whose RLS lets them see the row and
// never the others; filters; UPDATE/DELETE payloads; tables outside the publication.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'vitest';
import type { RealtimePostgresChangesPayload } from '@supabase/supabase-js';
import { useFixtures } from './fixtures.ts';
import { asUser, client, collector, newUser, sleep, subscribe, waitFor } from './support.ts';

type Item = { id: number; owner: string; body: string; qty: number; meta: unknown; created_at: string };
type Change = RealtimePostgresChangesPayload<Item>;

const conn = useFixtures();

describe('postgres_changes', () => {
  test('an INSERT reaches the subscriber RLS allows, never the one it does not', async () => {
    const [alice, bob] = [await newUser(), await newUser()];
    const toAlice = collector<Change>();
    const toBob = collector<Change>();
    const a = client(alice)
      .channel(`rt-items-${randomUUID()}`)
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_items' }, (p) => toAlice.push(p as Change));
    const b = client(bob)
      .channel(`rt-items-${randomUUID()}`)
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_items' }, (p) => toBob.push(p as Change));
    await Promise.all([subscribe(a), subscribe(b)]);

    const { rows } = await asUser<{ id: string }>(conn, alice, "insert into public.rt_items (owner, body, qty, meta) values ($1, 'alice secret', 7, '{\"k\": [1, 2]}') returning id", [alice.id]);
    const id = Number(rows[0]!.id);
    const got = await waitFor(() => toAlice.items.find((c) => c.eventType === 'INSERT' && (c.new as Item).id === id), 5000, 'alice\'s row');
    assert.equal(got.schema, 'public');
    assert.equal(got.table, 'rt_items');
    assert.equal(got.errors, null);
    assert.match(got.commit_timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.deepEqual(got.old, {});
    const row = got.new as Item;
    assert.equal(row.owner, alice.id);
    assert.equal(row.body, 'alice secret');
    assert.equal(row.qty, 7);
    assert.deepEqual(row.meta, { k: [1, 2] });
    assert.match(row.created_at, /^\d{4}-\d{2}-\d{2}T/);

    // Bob's own row reaches Bob (his subscription works), Alice's never did.
    const { rows: bobRows } = await asUser<{ id: string }>(conn, bob, "insert into public.rt_items (owner, body) values ($1, 'bob row') returning id", [bob.id]);
    await waitFor(() => toBob.items.find((c) => (c.new as Item).id === Number(bobRows[0]!.id)), 5000, 'bob\'s row');
    await sleep(200);
    assert.equal(toBob.items.filter((c) => (c.new as Item).owner === alice.id).length, 0, 'bob never receives alice\'s row');
    assert.equal(toAlice.items.filter((c) => (c.new as Item).owner === bob.id).length, 0, 'alice never receives bob\'s row');
  });

  test('filters: eq, in, gt select the rows a subscription receives', async () => {
    const user = await newUser();
    const eq = collector<Change>();
    const inList = collector<Change>();
    const gt = collector<Change>();
    const ch = client(user)
      .channel(`rt-items-${randomUUID()}`)
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_items', filter: 'body=eq.match me' }, (p) => eq.push(p as Change))
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_items', filter: 'qty=in.(2,3)' }, (p) => inList.push(p as Change))
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_items', filter: `qty=gt.100` }, (p) => gt.push(p as Change));
    await subscribe(ch);
    for (const [body, qty] of [
      ['match me', 1],
      ['other', 2],
      ['other', 500],
      ['nothing', 4],
    ] as const) {
      await asUser(conn, user, 'insert into public.rt_items (owner, body, qty) values ($1, $2, $3)', [user.id, body, qty]);
    }
    await waitFor(() => eq.items.length >= 1 && inList.items.length >= 1 && gt.items.length >= 1, 5000, 'filtered rows');
    await sleep(300);
    assert.deepEqual(eq.items.map((c) => (c.new as Item).body), ['match me']);
    assert.deepEqual(inList.items.map((c) => (c.new as Item).qty), [2]);
    assert.deepEqual(gt.items.map((c) => (c.new as Item).qty), [500]);
  });

  test('UPDATE carries new and old (replica identity full); DELETE carries the old primary key only', async () => {
    const user = await newUser();
    const seen = collector<Change>();
    const ch = client(user)
      .channel(`rt-items-${randomUUID()}`)
      .on('postgres_changes', { event: '*', schema: 'public', table: 'rt_items', filter: `owner=eq.${user.id}` }, (p) => seen.push(p as Change));
    await subscribe(ch);
    // One step at a time: like Realtime, the RLS check reads the row as it is when the change is
    // processed, so an INSERT whose row is already deleted again is not delivered.
    const { rows } = await asUser<{ id: string }>(conn, user, "insert into public.rt_items (owner, body) values ($1, 'v1') returning id", [user.id]);
    const id = Number(rows[0]!.id);
    await waitFor(() => seen.items.length >= 1, 5000, 'the insert');
    await asUser(conn, user, "update public.rt_items set body = 'v2' where id = $1", [id]);
    await waitFor(() => seen.items.length >= 2, 5000, 'the update');
    await asUser(conn, user, 'delete from public.rt_items where id = $1', [id]);
    await waitFor(() => seen.items.length >= 3, 5000, 'the delete');
    assert.deepEqual(
      seen.items.map((c) => c.eventType),
      ['INSERT', 'UPDATE', 'DELETE'],
    );
    const upd = seen.items[1]!;
    assert.equal((upd.new as Item).body, 'v2');
    assert.equal((upd.old as Item).body, 'v1');
    const del = seen.items[2]!;
    assert.deepEqual(del.new, {});
    assert.deepEqual(del.old, { id }, 'with RLS on, a DELETE carries only the primary key');
  });

  test('DELETEs are not RLS-checked: another subscriber of the table gets the old primary key', async () => {
    const [owner, other] = [await newUser(), await newUser()];
    const toOther = collector<Change>();
    await subscribe(
      client(other)
        .channel(`rt-items-${randomUUID()}`)
        .on('postgres_changes', { event: 'DELETE', schema: 'public', table: 'rt_items' }, (p) => toOther.push(p as Change)),
    );
    const { rows } = await asUser<{ id: string }>(conn, owner, "insert into public.rt_items (owner, body) values ($1, 'to delete') returning id", [owner.id]);
    const id = Number(rows[0]!.id);
    await asUser(conn, owner, 'delete from public.rt_items where id = $1', [id]);
    const del = await waitFor(() => toOther.items.find((c) => (c.old as Item).id === id), 5000, 'the delete');
    assert.deepEqual(del.old, { id });
  });

  test('a table without RLS reaches every subscriber; all events with `*`', async () => {
    const [u1, u2] = [await newUser(), await newUser()];
    const s1 = collector<Change>();
    const s2 = collector<Change>();
    await subscribe(client(u1).channel(`rt-open-${randomUUID()}`).on('postgres_changes', { event: '*', schema: 'public', table: 'rt_open' }, (p) => s1.push(p as Change)));
    await subscribe(client(u2).channel(`rt-open-${randomUUID()}`).on('postgres_changes', { event: '*', schema: 'public' }, (p) => s2.push(p as Change)));
    const id = Math.floor(Math.random() * 1e9);
    await conn.query('insert into public.rt_open (id, label) values ($1, $2)', [id, 'open']);
    for (const s of [s1, s2]) {
      const c = await waitFor(() => s.items.find((x) => x.table === 'rt_open' && (x.new as { id: number }).id === id), 5000, `open row (got ${JSON.stringify(s.items)})`);
      assert.deepEqual(c.new, { id, label: 'open' });
    }
  });

  test('a table outside the supabase_realtime publication: subscribed, with a system error, and no events', async () => {
    const user = await newUser();
    const system = collector<Record<string, unknown>>();
    const got = collector<Change>();
    const ch = client(user)
      .channel(`rt-unpub-${randomUUID()}`)
      .on('postgres_changes', { event: '*', schema: 'public', table: 'rt_unpublished' }, (p) => got.push(p as Change))
      .on('system', {}, system.push);
    await subscribe(ch);
    const msg = await waitFor(() => system.items.find((m) => m.extension === 'postgres_changes'), 5000, 'system message');
    assert.equal(msg.status, 'error');
    assert.match(String(msg.message), /^Unable to subscribe to changes with given parameters/);
  });

  test('a successful subscription is confirmed by a system message', async () => {
    const user = await newUser();
    const system = collector<Record<string, unknown>>();
    const ch = client(user)
      .channel(`rt-items-${randomUUID()}`)
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_items' }, () => undefined)
      .on('system', {}, system.push);
    await subscribe(ch);
    const msg = await waitFor(() => system.items.find((m) => m.extension === 'postgres_changes'), 5000, 'system message');
    assert.deepEqual(msg, { extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL', channel: ch.subTopic });
  });
});
