import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { decode, encode, encodeReply, encodeUserBroadcast, ProtocolError } from './protocol.ts';

/** A kind-3 frame exactly as realtime-js's Serializer._encodeUserBroadcastPush builds it. */
function userBroadcastPush(joinRef: string, ref: string, topic: string, event: string, meta: string, encoding: 0 | 1, body: Buffer): Buffer {
  const parts = [joinRef, ref, topic, event, meta].map((s) => Buffer.from(s));
  return Buffer.concat([Buffer.from([3, ...parts.map((p) => p.length), encoding]), ...parts, body]);
}

describe('serializer 2.0.0', () => {
  test('decodes JSON arrays', () => {
    const m = decode('2.0.0', '["1","2","realtime:room","phx_join",{"config":{}}]', false);
    assert.deepEqual(m, { kind: 'frame', joinRef: '1', ref: '2', topic: 'realtime:room', event: 'phx_join', payload: { config: {} } });
    const hb = decode('2.0.0', '[null,"7","phoenix","heartbeat",{}]', false);
    assert.equal(hb.joinRef, null);
  });

  test('rejects what is not a V2 array', () => {
    assert.throws(() => decode('2.0.0', '{"topic":"x"}', false), ProtocolError);
    assert.throws(() => decode('2.0.0', 'not json', false), ProtocolError);
    assert.throws(() => decode('2.0.0', '[1,2,3]', false), ProtocolError);
  });

  test('decodes user broadcast pushes (kind 3), JSON and binary, with UTF-8 fields', () => {
    const json = decode('2.0.0', userBroadcastPush('1', '5', 'realtime:ré', 'chât', '', 1, Buffer.from('{"a":1}')), true);
    assert.equal(json.kind, 'user_broadcast_push');
    assert.ok(json.kind === 'user_broadcast_push');
    assert.equal(json.topic, 'realtime:ré');
    assert.equal(json.userEvent, 'chât');
    assert.equal(json.encoding, 'json');
    assert.equal(json.body.toString(), '{"a":1}');
    assert.deepEqual(json.metadata, {});
    const bin = decode('2.0.0', userBroadcastPush('', '', 'realtime:r', 'e', '{"persist":true}', 0, Buffer.from([1, 2, 3])), true);
    assert.ok(bin.kind === 'user_broadcast_push');
    assert.equal(bin.joinRef, null);
    assert.equal(bin.encoding, 'binary');
    assert.deepEqual([...bin.body], [1, 2, 3]);
    assert.deepEqual(bin.metadata, { persist: true });
  });

  test('rejects truncated and unknown binary frames', () => {
    assert.throws(() => decode('2.0.0', Buffer.from([3, 5, 0, 0, 0, 0, 1]), true), ProtocolError);
    assert.throws(() => decode('2.0.0', Buffer.from([9]), true), ProtocolError);
    assert.throws(() => decode('1.0.0', Buffer.from([3]), true), ProtocolError);
  });

  test('encodes replies and user broadcasts (kind 4) as realtime-js decodes them', () => {
    assert.equal(encodeReply('2.0.0', 'realtime:r', '1', '2', 'ok', {}), '["1","2","realtime:r","phx_reply",{"status":"ok","response":{}}]');
    const frame = encodeUserBroadcast('2.0.0', 'realtime:r', { userEvent: 'ev', encoding: 'json', body: Buffer.from('{"x":1}'), metadata: { id: 'abc' } });
    assert.ok(Buffer.isBuffer(frame));
    const meta = '{"id":"abc"}';
    assert.deepEqual([...frame.subarray(0, 5)], [4, 10, 2, meta.length, 1]);
    assert.equal(frame.subarray(5).toString(), `realtime:rev${meta}{"x":1}`);
    const noMeta = encodeUserBroadcast('2.0.0', 't', { userEvent: 'e', encoding: 'binary', body: Buffer.from([9]) }) as Buffer;
    assert.deepEqual([...noMeta], [4, 1, 1, 0, 0, ...Buffer.from('te'), 9]);
  });
});

describe('serializer 1.0.0', () => {
  test('decodes and encodes JSON objects', () => {
    const m = decode('1.0.0', '{"topic":"realtime:r","event":"phx_join","payload":{},"ref":"1","join_ref":"1"}', false);
    assert.deepEqual(m, { kind: 'frame', joinRef: '1', ref: '1', topic: 'realtime:r', event: 'phx_join', payload: {} });
    assert.deepEqual(JSON.parse(encode('1.0.0', { joinRef: null, ref: '3', topic: 'phoenix', event: 'phx_reply', payload: { status: 'ok', response: {} } })), {
      topic: 'phoenix',
      event: 'phx_reply',
      payload: { status: 'ok', response: {} },
      ref: '3',
      join_ref: null,
    });
  });

  test('user broadcasts become JSON broadcasts; binary ones cannot be carried', () => {
    const json = encodeUserBroadcast('1.0.0', 'realtime:r', { userEvent: 'ev', encoding: 'json', body: Buffer.from('{"x":1}'), metadata: { id: 'i' } });
    assert.deepEqual(JSON.parse(json as string), {
      topic: 'realtime:r',
      event: 'broadcast',
      payload: { event: 'ev', payload: { x: 1 }, type: 'broadcast', meta: { id: 'i' } },
      ref: null,
      join_ref: null,
    });
    assert.equal(encodeUserBroadcast('1.0.0', 'realtime:r', { userEvent: 'ev', encoding: 'binary', body: Buffer.from([1]) }), null);
  });
});
