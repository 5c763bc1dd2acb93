// Broadcast and Presence between supabase-js clients, as on hosted Supabase: public channels,
// `self` / `ack`, the REST fallback and httpSend, both serializers, presence state and diffs.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll as after, describe, test } from 'vitest';
import { client, closeClients, collector, newUser, sleep, subscribe, waitFor } from './support.ts';

after(closeClients);

type Meta = { name?: string; online_at?: number; status?: string };

describe('broadcast', () => {
  test('two clients exchange broadcast messages on a public channel', async () => {
    const [alice, bob] = [client(await newUser()), client(await newUser())];
    const room = `rt-room-${randomUUID()}`;
    const toAlice = collector<Record<string, unknown>>();
    const toBob = collector<Record<string, unknown>>();
    const a = alice.channel(room).on('broadcast', { event: 'chat' }, toAlice.push);
    const b = bob.channel(room).on('broadcast', { event: 'chat' }, toBob.push);
    await Promise.all([subscribe(a), subscribe(b)]);

    assert.equal(await a.send({ type: 'broadcast', event: 'chat', payload: { text: 'hi bob', n: 1 } }), 'ok');
    assert.equal(await b.send({ type: 'broadcast', event: 'chat', payload: { text: 'hi alice', n: 2 } }), 'ok');

    await waitFor(() => toBob.items.length === 1 && toAlice.items.length === 1, 5000, 'both messages');
    assert.deepEqual(toBob.items[0], { type: 'broadcast', event: 'chat', payload: { text: 'hi bob', n: 1 } });
    assert.deepEqual(toAlice.items[0], { type: 'broadcast', event: 'chat', payload: { text: 'hi alice', n: 2 } });
    await sleep(200);
    assert.equal(toAlice.items.length, 1, 'without `self`, the sender does not receive its own message');
  });

  test('`self` echoes to the sender, `ack` confirms, other events are filtered out', async () => {
    const c = client(await newUser());
    const room = `rt-room-${randomUUID()}`;
    const got = collector<Record<string, unknown>>();
    const ch = c
      .channel(room, { config: { broadcast: { self: true, ack: true } } })
      .on('broadcast', { event: 'ping' }, got.push);
    await subscribe(ch);
    assert.equal(await ch.send({ type: 'broadcast', event: 'ping', payload: { at: 1 } }), 'ok');
    assert.equal(await ch.send({ type: 'broadcast', event: 'other', payload: { at: 2 } }), 'ok');
    await waitFor(() => got.items.length >= 1, 5000, 'the echo');
    await sleep(150);
    assert.deepEqual(got.items, [{ type: 'broadcast', event: 'ping', payload: { at: 1 } }]);
  });

  test('a wildcard listener receives every event; a channel of another name receives nothing', async () => {
    const [sender, receiver] = [client(await newUser()), client(await newUser())];
    const room = `rt-room-${randomUUID()}`;
    const all = collector<Record<string, unknown>>();
    const elsewhere = collector<Record<string, unknown>>();
    await subscribe(receiver.channel(room).on('broadcast', { event: '*' }, all.push));
    await subscribe(receiver.channel(`${room}-other`).on('broadcast', { event: '*' }, elsewhere.push));
    const s = sender.channel(room);
    await subscribe(s);
    await s.send({ type: 'broadcast', event: 'a', payload: { i: 1 } });
    await s.send({ type: 'broadcast', event: 'b', payload: { i: 2 } });
    await waitFor(() => all.items.length === 2, 5000, 'two events');
    assert.deepEqual(
      all.items.map((m) => m.event),
      ['a', 'b'],
    );
    await sleep(150);
    assert.equal(elsewhere.items.length, 0);
  });

  test('send() before subscribing goes through REST (POST /realtime/v1/api/broadcast); httpSend() too', async () => {
    const receiver = client(await newUser());
    const room = `rt-room-${randomUUID()}`;
    const got = collector<Record<string, unknown>>();
    await subscribe(receiver.channel(room).on('broadcast', { event: '*' }, got.push));

    const server = client(await newUser());
    const unsubscribed = server.channel(room);
    const warn = console.warn;
    console.warn = () => undefined; // realtime-js warns that the implicit REST fallback is deprecated
    try {
      assert.equal(await unsubscribed.send({ type: 'broadcast', event: 'rest', payload: { via: 'batch' } }), 'ok');
    } finally {
      console.warn = warn;
    }
    assert.deepEqual(await unsubscribed.httpSend('single', { via: 'httpSend' }), { success: true });
    await server.removeChannel(unsubscribed);

    await waitFor(() => got.items.length === 2, 5000, 'REST broadcasts');
    const byEvent = Object.fromEntries(got.items.map((m) => [m.event, m.payload]));
    assert.deepEqual(byEvent, { rest: { via: 'batch' }, single: { via: 'httpSend' } });
  });

  test('serializer 1.0.0 and 2.0.0 clients talk to each other', async () => {
    const v1 = client(await newUser(), { vsn: '1.0.0' });
    const v2 = client(await newUser(), { vsn: '2.0.0' });
    const room = `rt-room-${randomUUID()}`;
    const toV1 = collector<Record<string, unknown>>();
    const toV2 = collector<Record<string, unknown>>();
    const c1 = v1.channel(room).on('broadcast', { event: 'x' }, toV1.push);
    const c2 = v2.channel(room).on('broadcast', { event: 'x' }, toV2.push);
    await Promise.all([subscribe(c1), subscribe(c2)]);
    await c1.send({ type: 'broadcast', event: 'x', payload: { from: 'v1', emoji: 'héllo ✓' } });
    await c2.send({ type: 'broadcast', event: 'x', payload: { from: 'v2', emoji: 'héllo ✓' } });
    await waitFor(() => toV1.items.length === 1 && toV2.items.length === 1, 5000, 'cross-serializer messages');
    assert.deepEqual(toV2.items[0], { type: 'broadcast', event: 'x', payload: { from: 'v1', emoji: 'héllo ✓' } });
    assert.deepEqual(toV1.items[0], { type: 'broadcast', event: 'x', payload: { from: 'v2', emoji: 'héllo ✓' } });
  });
});

describe('presence', () => {
  test('two clients see each other in presenceState, with join and leave events', async () => {
    const [ua, ub] = [await newUser(), await newUser()];
    const [alice, bob] = [client(ua), client(ub)];
    const room = `rt-presence-${randomUUID()}`;
    const joins = collector<{ key: string; newPresences: Record<string, unknown>[] }>();
    const leaves = collector<{ key: string; leftPresences: Record<string, unknown>[] }>();
    const a = alice
      .channel(room, { config: { presence: { key: ua.id } } })
      .on('presence', { event: 'sync' }, () => undefined)
      .on('presence', { event: 'join' }, (p) => joins.push(p as never))
      .on('presence', { event: 'leave' }, (p) => leaves.push(p as never));
    const b = bob.channel(room, { config: { presence: { key: ub.id } } }).on('presence', { event: 'sync' }, () => undefined);
    await Promise.all([subscribe(a), subscribe(b)]);

    assert.equal(await a.track({ name: 'alice', online_at: 1 }), 'ok');
    assert.equal(await b.track({ name: 'bob', online_at: 2 }), 'ok');

    const seenByAlice = await waitFor(() => (Object.keys(a.presenceState<Meta>()).length === 2 ? a.presenceState<Meta>() : undefined), 5000, 'two presences (alice)');
    const seenByBob = await waitFor(() => (Object.keys(b.presenceState<Meta>()).length === 2 ? b.presenceState<Meta>() : undefined), 5000, 'two presences (bob)');
    for (const state of [seenByAlice, seenByBob]) {
      assert.deepEqual(Object.keys(state).sort(), [ua.id, ub.id].sort());
      assert.equal(state[ua.id]![0]!.name, 'alice');
      assert.equal(state[ub.id]![0]!.name, 'bob');
      assert.equal(typeof state[ub.id]![0]!.presence_ref, 'string');
    }
    assert.ok(joins.items.some((j) => j.key === ub.id && j.newPresences[0]?.name === 'bob'), 'alice got a join event for bob');

    // Tracking again replaces the meta (leave + join under the same key).
    assert.equal(await b.track({ name: 'bob', online_at: 3 }), 'ok');
    await waitFor(() => a.presenceState<Meta>()[ub.id]?.[0]?.online_at === 3, 5000, 'updated presence');
    assert.equal(a.presenceState<Meta>()[ub.id]!.length, 1);

    assert.equal(await b.untrack(), 'ok');
    await waitFor(() => !a.presenceState<Meta>()[ub.id], 5000, 'bob gone after untrack');
    assert.ok(leaves.items.some((l) => l.key === ub.id));

    // Leaving the channel untracks too.
    assert.equal(await b.track({ name: 'bob', online_at: 4 }), 'ok');
    await waitFor(() => a.presenceState<Meta>()[ub.id], 5000, 'bob back');
    await bob.removeChannel(b);
    await waitFor(() => !a.presenceState<Meta>()[ub.id], 5000, 'bob gone after leaving');
  });

  test('a client joining late receives the current presence_state', async () => {
    const [ua, ub] = [await newUser(), await newUser()];
    const room = `rt-presence-${randomUUID()}`;
    const a = client(ua).channel(room, { config: { presence: { key: 'first' } } });
    await subscribe(a);
    assert.equal(await a.track({ status: 'here' }), 'ok');
    const b = client(ub).channel(room, { config: { presence: { enabled: true } } });
    let synced = 0;
    b.on('presence', { event: 'sync' }, () => synced++);
    await subscribe(b);
    const state = await waitFor(() => (b.presenceState<Meta>().first ? b.presenceState<Meta>() : undefined), 5000, 'presence_state');
    assert.equal(state.first![0]!.status, 'here');
    assert.ok(synced >= 1);
  });
});
