import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'vitest';
import { errorMessage, perform, requestHeaders, responseHeaders, type QueuedRequest } from './http.ts';

const req = (over: Partial<QueuedRequest> = {}): QueuedRequest => ({
  id: '7', method: 'POST', url: 'http://127.0.0.1:9/hook', headers: { 'Content-Type': 'application/json' },
  body: Buffer.from('{"a":1}'), timeout_milliseconds: 1000, ...over,
});

test('pg_net http: header values become strings; repeated response headers are joined', () => {
  const h = requestHeaders({ 'X-Num': 3, 'X-Flag': true, 'X-Text': 'a', 'X-Null': null });
  assert.equal(h.get('x-num'), '3');
  assert.equal(h.get('x-flag'), 'true');
  assert.equal(h.get('x-text'), 'a');
  assert.equal(h.has('x-null'), false);
  const r = new Headers();
  r.append('set-cookie', 'a=1');
  r.append('x-a', '1');
  r.append('x-a', '2');
  assert.deepEqual(responseHeaders(r), { 'set-cookie': 'a=1', 'x-a': '1, 2' });
});

test('pg_net http: failures are described as pg_net records them', () => {
  assert.deepEqual(errorMessage(new DOMException('t', 'TimeoutError'), 250), { timedOut: true, message: 'Timeout of 250 ms reached' });
  const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
  assert.deepEqual(errorMessage(refused, 1), { timedOut: false, message: "Couldn't connect to server" });
  const dns = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
  assert.equal(errorMessage(dns, 1).message, "Couldn't resolve host name");
});

test('pg_net http: a fake fetch sees method, headers and body; GET sends no body', async () => {
  const seen: { url: string; init: RequestInit }[] = [];
  const fake = async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return new Response('{"ok":true}', { status: 201, headers: { 'content-type': 'application/json' } });
  };
  const row = await perform(req(), fake);
  assert.deepEqual(row, {
    id: '7', status_code: 201, content_type: 'application/json', headers: { 'content-type': 'application/json' },
    content: '{"ok":true}', timed_out: false, error_msg: null,
  });
  assert.equal(seen[0]!.init.method, 'POST');
  assert.equal(Buffer.from(seen[0]!.init.body as Uint8Array).toString(), '{"a":1}');
  await perform(req({ method: 'get', body: Buffer.from('x') }), fake);
  assert.equal(seen[1]!.init.method, 'GET');
  assert.equal(seen[1]!.init.body, undefined);
});

test('pg_net http: a real server answers; a slow one times out; a closed port is refused', async () => {
  const server = createServer((rq, rs) => {
    let body = '';
    rq.on('data', (c) => (body += c));
    rq.on('end', () => {
      if (rq.url === '/slow') return void setTimeout(() => rs.end('late'), 500);
      rs.writeHead(200, { 'content-type': 'text/plain', 'x-echo-sig': String(rq.headers['x-sig']) });
      rs.end(`${rq.method} ${body}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    const ok = await perform(req({ url: `http://127.0.0.1:${port}/hook`, headers: { 'Content-Type': 'application/json', 'X-Sig': 'abc' } }));
    assert.equal(ok.status_code, 200);
    assert.equal(ok.content, 'POST {"a":1}');
    assert.equal(ok.content_type, 'text/plain');
    assert.equal(ok.headers?.['x-echo-sig'], 'abc');
    const slow = await perform(req({ url: `http://127.0.0.1:${port}/slow`, timeout_milliseconds: 100 }));
    assert.equal(slow.timed_out, true);
    assert.equal(slow.status_code, null);
    assert.match(slow.error_msg ?? '', /^Timeout of 100 ms reached/);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const freePort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const refused = await perform(req({ url: `http://127.0.0.1:${freePort}/gone` }));
  assert.equal(refused.error_msg, "Couldn't connect to server");
  assert.equal(refused.timed_out, false);
});
