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

  assert.equal(hub.broadcastJson(pub, { type: 'broadcast', event: 'e', payload: { a: 1 } }, sender), 2);
  assert.deepEqual(JSON.parse(v2.got[0] as string), [null, null, 'realtime:room', 'broadcast', { type: 'broadcast', event: 'e', payload: { a: 1 } }]);
  assert.equal(JSON.parse(v1.got[0] as string).event, 'broadcast');
  assert.equal(sender.got.length + denied.got.length + other.got.length, 0);

  assert.equal(hub.broadcastUser(pub, { userEvent: 'b', encoding: 'binary', body: Buffer.from([1]) }), 2, 'a 1.0.0 socket cannot take binary');
  assert.ok(Buffer.isBuffer(v2.got[1]));
  assert.equal(v1.got.length, 1);

  assert.equal(hub.presenceDiff(pub, { joins: {}, leaves: {} }), 3, 'presence diffs go to the tracker too');
  hub.unsubscribe(pub, v2);
  assert.equal(hub.subscriberCount(pub), 3);
  assert.equal(hub.deliveries, 7);
});
