import assert from 'node:assert/strict';
import { test } from 'vitest';
import { parseTrainerEvent, SseParser, trainerEvents } from './sse.ts';

test('events split anywhere by the network come out whole, in order', () => {
  const wire = 'data: {"type":"delta","content":"Hel"}\n\ndata: {"type":"delta","content":"lo"}\n\n';
  for (let cut = 1; cut < wire.length; cut++) {
    const p = new SseParser();
    const out = [...p.push(wire.slice(0, cut)), ...p.push(wire.slice(cut)), ...p.end()];
    assert.deepEqual(out, ['{"type":"delta","content":"Hel"}', '{"type":"delta","content":"lo"}'], `cut at ${cut}`);
  }
});

test('CRLF and CR line ends, a \\r\\n split across two pieces, comments and other fields', () => {
  const p = new SseParser();
  assert.deepEqual(p.push(': keep-alive\r\nevent: x\r\nid: 3\r\ndata: a\r'), []);
  assert.deepEqual(p.push('\n\r\n'), ['a'], 'the \\r\\n split in two is one line end, not an empty line and a stray \\n');
  assert.deepEqual(p.push('data:b\r\rdata: c\n'), ['b']);
  assert.deepEqual(p.end(), ['c'], 'an event cut off by the end of the stream still counts');
});

test('several data lines of one event are joined with newlines; empty events are skipped', () => {
  const p = new SseParser();
  assert.deepEqual(p.push('data: one\ndata: two\n\n\n\n'), ['one\ntwo']);
});

test('only the trainer events we know are accepted', () => {
  assert.deepEqual(parseTrainerEvent('{"type":"delta","content":"Hi "}'), { type: 'delta', content: 'Hi ' });
  assert.equal(parseTrainerEvent('{"type":"done","message_id":4,"content":"x","remaining_seconds":12}')?.type, 'done');
  assert.equal(parseTrainerEvent('{"type":"delta"}'), null, 'a delta without content');
  assert.equal(parseTrainerEvent('{"type":"start","learner_message_id":1,"remaining_seconds":-5,"mode":"online"}'), null, 'negative time');
  assert.equal(parseTrainerEvent('{"type":"surprise"}'), null);
  assert.equal(parseTrainerEvent('[DONE]'), null, 'not JSON');
});

test('a response body streams typed events, ignoring what is not one', async () => {
  const pieces = [
    'data: {"type":"start","learner_message_id":7,"remaining_seconds":290,"mode":"online"}\n\ndata: {"type":"del',
    'ta","content":"Why "}\n\ndata: not json\n\n',
    'data: {"type":"delta","content":"so d\u00e9ar?"}\n\ndata: {"type":"done","message_id":8,"content":"Why so d\u00e9ar?","remaining_seconds":288}',
  ];
  // Bytes cut inside a multi-byte character, as a network may.
  const bytes = new TextEncoder().encode(pieces.join(''));
  const at = bytes.indexOf(0xc3) + 1;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(bytes.slice(0, at));
      c.enqueue(bytes.slice(at));
      c.close();
    },
  });
  const events = [];
  for await (const e of trainerEvents(body)) events.push(e);
  assert.deepEqual(events.map((e) => e.type), ['start', 'delta', 'delta', 'done']);
  assert.equal(events.filter((e) => e.type === 'delta').map((e) => (e.type === 'delta' ? e.content : '')).join(''), 'Why so d\u00e9ar?');
});
