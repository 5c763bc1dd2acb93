import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { messageFromWal } from './database-broadcast.ts';
import { byteaToBuffer, commitTimestamp, isMessagesChange, parseWal2json, quoteNumericValues } from './wal.ts';

const insert =
  '{"action":"I","timestamp":"2026-11-21 23:35:16.903994+00","schema":"public","table":"t","columns":[' +
  '{"name":"id","type":"bigint","typeoid":20,"value":9007199254740993},' +
  '{"name":"n","type":"numeric","typeoid":1700,"value":-1.50e+3},' +
  '{"name":"b","type":"text","typeoid":25,"value":"say \\"value\\":1"},' +
  '{"name":"f","type":"boolean","typeoid":16,"value":true},' +
  '{"name":"z","type":"text","typeoid":25,"value":null}],"pk":[{"name":"id","type":"bigint","typeoid":20}]}';

describe('wal2json', () => {
  test('keeps numbers as written (no precision loss), text untouched', () => {
    const c = parseWal2json(insert)!;
    assert.equal(c.action, 'I');
    assert.deepEqual(
      c.columns.map((x) => x.value),
      ['9007199254740993', '-1.50e+3', 'say "value":1', 'true', null],
    );
    assert.deepEqual(c.pk, ['id']);
    assert.deepEqual(c.identity, []);
    assert.equal(quoteNumericValues('{"value":12}'), '{"value":"12"}');
  });

  test('delete with identity; non-row messages ignored', () => {
    const d = parseWal2json('{"action":"D","timestamp":"2026-01-01 00:00:00+00","schema":"s","table":"t","identity":[{"name":"id","type":"integer","typeoid":23,"value":1}],"pk":[{"name":"id"}]}')!;
    assert.deepEqual(d.identity, [{ name: 'id', type: 'integer', typeoid: 23, value: '1' }]);
    assert.equal(parseWal2json('{"action":"B"}'), undefined);
    assert.equal(parseWal2json('{"action":"T","schema":"s","table":"t"}'), undefined);
  });

  test('commit_timestamp is UTC with milliseconds and Z', () => {
    assert.equal(commitTimestamp('2026-11-21 23:35:16.903994+00'), '2026-11-21T23:35:16.903Z');
    assert.equal(commitTimestamp('2026-11-21 23:35:16+02'), '2026-11-21T21:35:16.000Z');
    assert.equal(commitTimestamp('2026-11-21 23:35:16.5+05:30'), '2026-11-21T18:05:16.500Z');
  });

  test('realtime.messages rows become broadcasts with meta.id', () => {
    const row = (cols: Record<string, string | null>) =>
      parseWal2json(
        JSON.stringify({
          action: 'I',
          timestamp: '2026-01-01 00:00:00+00',
          schema: 'realtime',
          table: 'messages_2026_01_01',
          columns: Object.entries(cols).map(([name, value]) => ({ name, type: 'text', typeoid: 25, value })),
        }),
      )!;
    const c = row({ topic: 'room', event: 'ev', id: 'u1', private: 'false', payload: '{"a": 1}', binary_payload: null });
    assert.ok(isMessagesChange(c));
    const m = messageFromWal(c);
    assert.ok(!('skip' in m));
    assert.equal(m.isPrivate, false);
    assert.deepEqual(m.broadcast.metadata, { id: 'u1' });
    assert.equal(m.broadcast.encoding, 'json');
    assert.equal(m.broadcast.body.toString(), '{"a": 1}');
    const bin = messageFromWal(row({ topic: 'room', event: 'ev', id: 'u2', private: 'true', payload: null, binary_payload: '\\x0102' }));
    assert.ok(!('skip' in bin));
    assert.equal(bin.isPrivate, true);
    assert.deepEqual([...bin.broadcast.body], [1, 2]);
    assert.deepEqual(messageFromWal(row({ topic: 'room', event: null, id: 'u', private: 'true', payload: '{}' })), { skip: 'event_missing' });
    assert.deepEqual([...byteaToBuffer('\\xff00')], [255, 0]);
  });
});
