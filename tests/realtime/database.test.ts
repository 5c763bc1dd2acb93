// Broadcast from the database: realtime.send() and realtime.broadcast_changes() called by a
// trigger reach the topic's subscribers, public or private as the call says.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'vitest';
import { useFixtures } from './fixtures.ts';
import { client, collector, newUser, subscribe, waitFor } from './support.ts';

const conn = useFixtures();

describe('broadcast from the database', () => {
  test('realtime.send() in a trigger reaches public and private subscribers of the topic', async () => {
    const room = randomUUID();
    const user = await newUser();
    await conn.query('insert into public.rt_channel_members (topic, user_id) values ($1, $2)', [`rt-notes-private:${room}`, user.id]);
    await conn.query('insert into public.rt_channel_members (topic, user_id) values ($1, $2)', [`rt-notes-changes:${room}`, user.id]);

    const pub = collector<Record<string, unknown>>();
    const priv = collector<Record<string, unknown>>();
    const changes = collector<Record<string, unknown>>();
    const c = client(user);
    await Promise.all([
      subscribe(c.channel(`rt-notes:${room}`).on('broadcast', { event: 'note_added' }, pub.push)),
      subscribe(c.channel(`rt-notes-private:${room}`, { config: { private: true } }).on('broadcast', { event: 'note_added' }, priv.push)),
      subscribe(c.channel(`rt-notes-changes:${room}`, { config: { private: true } }).on('broadcast', { event: 'INSERT' }, changes.push)),
    ]);

    const { rows } = await conn.query<{ id: string }>('insert into public.rt_notes (room, body) values ($1, $2) returning id', [room, 'hello from sql']);
    const id = Number(rows[0]!.id);

    for (const got of [pub, priv]) {
      const m = await waitFor(() => got.items[0], 5000, 'the broadcast');
      assert.equal(m.type, 'broadcast');
      assert.equal(m.event, 'note_added');
      assert.deepEqual(m.payload, { id, body: 'hello from sql' });
      assert.match(String((m.meta as { id: string }).id), /^[0-9a-f-]{36}$/, 'meta.id is the realtime.messages row id');
    }
    const change = await waitFor(() => changes.items[0], 5000, 'broadcast_changes');
    const meta = change.meta as { id: string };
    // realtime.send() adds the message id to a payload that has none.
    assert.deepEqual(change.payload, {
      id: meta.id,
      operation: 'INSERT',
      table: 'rt_notes',
      schema: 'public',
      record: { id, room, body: 'hello from sql' },
      old_record: null,
    });
  });

  test('a private broadcast never reaches a public subscriber of the same name, nor a non-member', async () => {
    const room = randomUUID();
    const outsider = await newUser();
    const pub = collector<Record<string, unknown>>();
    const c = client(outsider);
    await subscribe(c.channel(`rt-notes-private:${room}`).on('broadcast', { event: '*' }, pub.push));
    await assert.rejects(subscribe(c.channel(`rt-notes-changes:${room}`, { config: { private: true } })), /Unauthorized/);
    await conn.query("select realtime.send('{\"x\": 1}'::jsonb, 'e', $1)", [`rt-notes-private:${room}`]);
    // A public message on the same topic right after proves the socket is alive and ordered.
    await conn.query("select realtime.send('{\"x\": 2}'::jsonb, 'e', $1, false)", [`rt-notes-private:${room}`]);
    await waitFor(() => pub.items.length >= 1, 5000, 'the public message');
    assert.deepEqual(
      pub.items.map((m) => (m.payload as { x: number }).x),
      [2],
    );
  });

  test('a private channel can replay the messages realtime.send() stored', async () => {
    const room = randomUUID();
    const topic = `rt-notes-private:${room}`;
    const user = await newUser();
    await conn.query('insert into public.rt_channel_members (topic, user_id) values ($1, $2)', [topic, user.id]);
    const since = Date.now() - 1000;
    for (const n of [1, 2, 3]) await conn.query("select realtime.send(jsonb_build_object('n', $2::int), 'stored', $1)", [topic, n]);
    const got = collector<Record<string, unknown>>();
    await subscribe(
      client(user)
        .channel(topic, { config: { private: true, broadcast: { replay: { since, limit: 2 } } } })
        .on('broadcast', { event: 'stored' }, got.push),
    );
    await waitFor(() => got.items.length >= 2, 5000, 'replayed messages');
    assert.deepEqual(
      got.items.map((m) => (m.payload as { n: number }).n),
      [2, 3],
      'the last `limit` messages, oldest first',
    );
    assert.ok(got.items.every((m) => (m.meta as { replayed: boolean }).replayed === true));
  });

  test('realtime.messages has daily partitions from yesterday to today+3', async () => {
    const { rows } = await conn.query<{ name: string }>(
      `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'realtime.messages'::regclass order by 1`,
    );
    const names = rows.map((r) => r.name);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '_');
    for (const offset of [0, 1, 2, 3]) assert.ok(names.includes(`messages_${day(offset)}`), `messages_${day(offset)} exists (have ${names.join(', ')})`);
    const { rows: today } = await conn.query<{ part: string }>(
      `with m as (insert into realtime.messages (topic, extension, payload, event) values ('rt-partition-check', 'broadcast', '{}', 'x') returning tableoid)
       select tableoid::regclass::text as part from m`,
    );
    assert.equal(today[0]!.part, `realtime.messages_${day(0)}`, 'new rows land in today\'s partition, not the DEFAULT one');
  });
});
