import assert from 'node:assert/strict';
import { test } from 'vitest';
import { Hub, topicKey, type Subscriber } from './hub.ts';
import type { Vsn } from './protocol.ts';

function sub(vsn: Vsn, opts: { broadcast?: boolean; presence?: boolean } = {}): Subscriber & { got: (string | Buffer)[] } {
  const got: (string | Buffer)[] = [];
  return {
    vsn,
    topic: 'realtime:room',
    got,
    canReadBroadcast: () => opts.broadcast ?? true,
    canReadPresence: () => opts.presence ?? true,
    write: (d) => got.push(d),
  };
}

test('hub: fan-out per serializer, exclusion, read gates, public and private topics apart', () => {
  const hub = new Hub();
  const [v2, v1, denied, sender, other] = [sub('2.0.0'), sub('1.0.0'), sub('2.0.0', { broadcast: false, presence: false }), sub('2.0.0'), sub('2.0.0')];
  const pub = topicKey('room', false);
  for (const s of [v2, v1, denied, sender]) hub.subscribe(pub, s);
  hub.subscribe(topicKey('room', true), other);

  hub.broadcastJson(pub, { type: 'broadcast', event: 'e', payload: { a: 1 } }, sender);
  assert.equal(hub.deliveries, 2);
  assert.deepEqual(JSON.parse(v2.got[0] as string), [null, null, 'realtime:room', 'broadcast', { type: 'broadcast', event: 'e', payload: { a: 1 } }]);
  assert.equal(JSON.parse(v1.got[0] as string).event, 'broadcast');
  assert.equal(sender.got.length + denied.got.length + other.got.length, 0);

  hub.broadcastUser(pub, { userEvent: 'b', encoding: 'binary', body: Buffer.from([1]) });
  assert.equal(hub.deliveries, 4, 'a 1.0.0 socket cannot take binary');
  assert.ok(Buffer.isBuffer(v2.got[1]));
  assert.equal(v1.got.length, 1);

  hub.presenceDiff(pub, { joins: {}, leaves: {} });
  assert.equal(hub.deliveries, 7, 'presence diffs go to the tracker too');
  hub.unsubscribe(pub, v2);
  assert.equal(hub.subscriberCount(pub), 3);
  assert.equal(hub.deliveries, 7);
});

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const payloadOf = (d: string | Buffer) => (JSON.parse(d as string) as [null, null, string, string, { payload: { n: number } }])[4].payload.n;

test('hub: a large topic is written a slice per turn, every message to every subscriber in order', async () => {
  const hub = new Hub({ sliceSize: 10 });
  const key = topicKey('room', false);
  const subs = Array.from({ length: 35 }, () => sub('2.0.0'));
  for (const s of subs) hub.subscribe(key, s);
  const send = (n: number, exclude?: Subscriber) => hub.broadcastJson(key, { type: 'broadcast', event: 'e', payload: { n } }, exclude);

  send(1);
  assert.equal(hub.deliveries, 10, 'the first slice goes out at once');
  // Sent while the first fan-out is under way: queued behind it, never ahead.
  send(2, subs[0]);
  send(3);
  const late = sub('2.0.0');
  hub.subscribe(key, late); // joined after 1..3 were sent: gets none of them
  send(4);
  let turns = 0;
  let seenByOtherWork = -1;
  setImmediate(() => (seenByOtherWork = hub.deliveries));
  while (hub.deliveries < 35 + 34 + 35 + 36) {
    await turn();
    assert.ok(++turns < 100, 'the fan-out finishes');
  }
  assert.ok(turns >= 3, `written over several turns (${turns})`);
  assert.ok(seenByOtherWork >= 10 && seenByOtherWork < 140, `other work ran while the fan-out was under way (${seenByOtherWork} written by then)`);
  for (const [i, s] of subs.entries()) assert.deepEqual(s.got.map(payloadOf), i === 0 ? [1, 3, 4] : [1, 2, 3, 4], `subscriber ${i}`);
  assert.deepEqual(late.got.map(payloadOf), [4]);

  // A subscriber that leaves mid-fan-out gets nothing more; the topic then writes at once again.
  const leaver = subs[34]!;
  send(5);
  hub.unsubscribe(key, leaver);
  await turn();
  await turn();
  await turn();
  assert.deepEqual(leaver.got.map(payloadOf), [1, 2, 3, 4]);
  for (const s of [...subs.slice(0, 34), late]) assert.equal(s.got.map(payloadOf).at(-1), 5);
  for (let i = 0; i < 26; i++) hub.unsubscribe(key, subs[i]!);
  const before = hub.deliveries;
  send(6);
  assert.equal(hub.deliveries - before, 9, 'under the slice size: written in the same turn');
});

test('hub: presence diffs and broadcasts of a large topic keep their order, read gates checked when written', async () => {
  const hub = new Hub({ sliceSize: 2 });
  const key = topicKey('room', true);
  const reader = sub('2.0.0');
  const gated = sub('2.0.0', { presence: false });
  const v1 = sub('1.0.0');
  for (const s of [reader, gated, v1]) hub.subscribe(key, s);
  hub.broadcastJson(key, { type: 'broadcast', event: 'e', payload: { n: 1 } });
  hub.presenceDiff(key, { joins: { a: { metas: [] } }, leaves: {} });
  hub.broadcastUser(key, { userEvent: 'b', encoding: 'binary', body: Buffer.from([7]) });
  while (hub.deliveries < 3 + 2 + 2) await turn();
  const events = (s: { got: (string | Buffer)[] }) => s.got.map((d) => (Buffer.isBuffer(d) ? 'binary' : (JSON.parse(d) as unknown[])[3] ?? (JSON.parse(d) as { event: string }).event));
  assert.deepEqual(events(reader), ['broadcast', 'presence_diff', 'binary']);
  assert.deepEqual(events(gated), ['broadcast', 'binary']);
  assert.deepEqual(v1.got.map((d) => (JSON.parse(d as string) as { event: string }).event), ['broadcast', 'presence_diff'], '1.0.0 cannot take a binary payload');
});

test('hub: a round of many messages writes at most the slice size a turn, each subscriber all of them at once', async () => {
  const hub = new Hub({ sliceSize: 10 });
  const key = topicKey('room', false);
  const subs = Array.from({ length: 30 }, () => sub('2.0.0'));
  for (const s of subs) hub.subscribe(key, s);
  for (let n = 1; n <= 6; n++) hub.broadcastJson(key, { type: 'broadcast', event: 'e', payload: { n } });
  const perTurn: number[] = [hub.deliveries];
  while (hub.deliveries < 180) {
    const before = hub.deliveries;
    await turn();
    perTurn.push(hub.deliveries - before);
    assert.ok(perTurn.length < 100, 'the fan-out finishes');
  }
  assert.ok(Math.max(...perTurn) <= 10, `at most 10 writes a turn: ${perTurn.join(' ')}`);
  // Message 1 went out alone; 2..6 form one round, 2 subscribers x 5 messages a turn.
  assert.deepEqual(perTurn.filter((n) => n > 0), [10, 10, 10, ...Array<number>(15).fill(10)]);
  for (const s of subs) assert.deepEqual(s.got.map(payloadOf), [1, 2, 3, 4, 5, 6]);
});

test('hub: a write that throws in a small topic (written at once) is reported the same way', () => {
  const errors: Error[] = [];
  const hub = new Hub({ sliceSize: 100, onError: (e) => errors.push(e) });
  const key = topicKey('room', false);
  const subs = [sub('2.0.0'), { ...sub('2.0.0'), write: () => { throw new Error('socket gone'); } }, sub('2.0.0')];
  for (const s of subs) hub.subscribe(key, s);
  hub.broadcastJson(key, { type: 'broadcast', event: 'e', payload: { n: 1 } });
  assert.deepEqual(errors.map((e) => e.message), ['socket gone']);
  for (const i of [0, 2]) assert.deepEqual(subs[i]!.got.map(payloadOf), [1]);
  assert.equal(hub.deliveries, 2);
});

test('hub: a write that throws in a queued slice is reported, and the other subscribers still get theirs', async () => {
  const errors: Error[] = [];
  const hub = new Hub({ sliceSize: 2, onError: (e) => errors.push(e) });
  const key = topicKey('room', false);
  const subs = [sub('2.0.0'), sub('2.0.0'), { ...sub('2.0.0'), write: () => { throw new Error('socket gone'); } }, sub('2.0.0')];
  for (const s of subs) hub.subscribe(key, s);
  hub.broadcastJson(key, { type: 'broadcast', event: 'e', payload: { n: 1 } });
  while (subs[3]!.got.length === 0) await turn();
  assert.deepEqual(errors.map((e) => e.message), ['socket gone']);
  for (const i of [0, 1, 3]) assert.deepEqual(subs[i]!.got.map(payloadOf), [1]);
});
