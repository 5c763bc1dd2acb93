import assert from 'node:assert/strict';
import { sseData, sseEvent } from './sse.ts';

function streamOf(...parts: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(enc.encode(p));
      c.close();
    },
  });
}

async function all(body: ReadableStream<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const d of sseData(body)) out.push(d);
  return out;
}

Deno.test('data lines split across chunks are reassembled', async () => {
  assert.deepEqual(await all(streamOf('data: {"a"', ':1}\n\nda', 'ta: [DONE]\n\n')), ['{"a":1}', '[DONE]']);
});

Deno.test('CRLF, comments, event names and multi-line data', async () => {
  assert.deepEqual(await all(streamOf(': keep-alive\r\n\r\nevent: x\r\ndata: one\r\ndata:two\r\n\r\n')), ['one\ntwo']);
});

Deno.test('a last event without its blank line still counts', async () => {
  assert.deepEqual(await all(streamOf('data: a\n\ndata: b')), ['a', 'b']);
});

Deno.test('sseEvent writes one JSON data event', () => {
  assert.equal(
    new TextDecoder().decode(sseEvent({ type: 'delta', content: 'hi' })),
    'data: {"type":"delta","content":"hi"}\n\n',
  );
});
