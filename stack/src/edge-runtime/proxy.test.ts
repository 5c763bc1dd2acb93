import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { forward, forwardedHeaders, responseHeaders, type ForwardOptions } from './proxy.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('forward', () => {
  let server: Server;
  let port: number;
  let handle: Handler = (_req, res) => res.end();

  before(async () => {
    server = createServer((req, res) => handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const opts = (over: Partial<ForwardOptions> = {}): ForwardOptions => ({
    port,
    path: '/fn/rest?q=1',
    prefix: '/functions/v1',
    wallClockMs: 5000,
    onDone: () => undefined,
    ...over,
  });

  test('sends method, the function path, headers and the body; returns status, headers and body', async () => {
    let seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string } | undefined;
    handle = (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen = { method: req.method, url: req.url, headers: req.headers, body };
        res.writeHead(201, [['Content-Type', 'text/plain'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['X-Fn', 'yes']]);
        res.end('made');
      });
    };
    let done = 0;
    const req = new Request('http://gateway.test/functions/v1/fn/rest?q=1', {
      method: 'POST',
      headers: { Authorization: 'Bearer t', 'X-Custom': 'c', Connection: 'keep-alive', 'Content-Type': 'text/plain' },
      body: 'payload',
    });
    const r = await forward(req, opts({ onDone: () => done++ }));
    assert.ok(r.ok);
    assert.equal(r.response.status, 201);
    assert.equal(r.response.headers.get('x-fn'), 'yes');
    assert.deepEqual(r.response.headers.getSetCookie(), ['a=1', 'b=2']);
    assert.equal(await r.response.text(), 'made');
    assert.equal(done, 1, 'onDone once the response ended');
    assert.equal(seen?.method, 'POST');
    assert.equal(seen?.url, '/fn/rest?q=1');
    assert.equal(seen?.body, 'payload');
    assert.equal(seen?.headers.authorization, 'Bearer t');
    assert.equal(seen?.headers['x-custom'], 'c');
    assert.equal(seen?.headers.host, 'gateway.test', 'the original Host');
    assert.equal(seen?.headers['x-forwarded-prefix'], '/functions/v1');
  });

  test('streams the response: the first chunk arrives before the last is written', async () => {
    let finish: () => void = () => undefined;
    handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('data: 1\n\n');
      finish = () => res.end('data: 2\n\n');
    };
    const r = await forward(new Request('http://gateway.test/functions/v1/fn'), opts());
    assert.ok(r.ok);
    const reader = r.response.body!.getReader();
    const first = await reader.read();
    assert.equal(new TextDecoder().decode(first.value), 'data: 1\n\n');
    finish();
    const second = await reader.read();
    assert.equal(new TextDecoder().decode(second.value), 'data: 2\n\n');
    assert.equal((await reader.read()).done, true);
  });

  test('streams the request body up as it comes', async () => {
    let received = 0;
    let chunks = 0;
    handle = (req, res) => {
      req.on('data', (c: Buffer) => {
        received += c.length;
        chunks++;
      });
      req.on('end', () => res.end(String(received)));
    };
    const body = new ReadableStream<Uint8Array>({
      async start(c) {
        for (let i = 0; i < 8; i++) {
          c.enqueue(new Uint8Array(64 * 1024));
          await new Promise((r) => setTimeout(r, 5));
        }
        c.close();
      },
    });
    const req = new Request('http://gateway.test/functions/v1/fn', { method: 'POST', body, duplex: 'half' } as RequestInit);
    const r = await forward(req, opts());
    assert.ok(r.ok);
    assert.equal(await r.response.text(), String(8 * 64 * 1024));
    assert.ok(chunks > 1, 'arrived in several chunks');
  });

  test('a response cut short errors the stream and still reports done', async () => {
    handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    let done = 0;
    const r = await forward(new Request('http://gateway.test/functions/v1/fn'), opts({ onDone: () => done++ }));
    assert.ok(r.ok);
    await assert.rejects(r.response.text());
    assert.equal(done, 1);
  });

  test('no answer within the wall clock: limit', async () => {
    handle = () => undefined; // never answers
    let done = 0;
    const r = await forward(new Request('http://gateway.test/functions/v1/fn'), opts({ wallClockMs: 100, onDone: () => done++ }));
    assert.deepEqual(r, { ok: false, reason: 'limit' });
    assert.equal(done, 1);
  });

  test('nobody listening: failed', async () => {
    const r = await forward(new Request('http://gateway.test/functions/v1/fn'), opts({ port: 1 }));
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.reason, 'failed');
  });

  test('HEAD answers without a body', async () => {
    handle = (_req, res) => {
      res.writeHead(200, { 'Content-Length': '5' });
      res.end();
    };
    const r = await forward(new Request('http://gateway.test/functions/v1/fn', { method: 'HEAD' }), opts());
    assert.ok(r.ok);
    assert.equal(r.response.body, null);
    assert.equal(r.response.headers.get('content-length'), '5');
  });
});

describe('headers', () => {
  test('hop-by-hop request headers stay behind; X-Forwarded-* come from the connection, not the client', () => {
    const h = new Headers({
      Connection: 'close', 'Transfer-Encoding': 'chunked', Upgrade: 'h2c', Host: 'h', Apikey: 'k',
      'X-Forwarded-For': '6.6.6.6', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example', Forwarded: 'for=6.6.6.6', 'X-Real-IP': '6.6.6.6',
    });
    assert.deepEqual(forwardedHeaders(h, new URL('http://h:54321/functions/v1/x'), '/functions/v1', { trusted: false, forwardedFor: '127.0.0.1' }), {
      apikey: 'k',
      host: 'h',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-host': 'h',
      'x-forwarded-port': '54321',
      'x-forwarded-prefix': '/functions/v1',
      'x-forwarded-proto': 'http',
    });
  });

  test("a trusted proxy's X-Forwarded-* are passed on, the chain extended with it", () => {
    const h = new Headers({ Host: 'h', 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'app.example' });
    assert.deepEqual(forwardedHeaders(h, new URL('http://h/functions/v1/x'), '/functions/v1', { trusted: true, forwardedFor: '203.0.113.7, 10.0.0.2' }), {
      host: 'h',
      'x-forwarded-for': '203.0.113.7, 10.0.0.2',
      'x-forwarded-host': 'app.example',
      'x-forwarded-port': '80',
      'x-forwarded-prefix': '/functions/v1',
      'x-forwarded-proto': 'https',
    });
  });

  test('response headers keep repeats apart and drop hop-by-hop ones', () => {
    const h = responseHeaders(['Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'Transfer-Encoding', 'chunked', 'Connection', 'keep-alive', 'Vary', 'Origin']);
    assert.deepEqual(h.getSetCookie(), ['a=1', 'b=2']);
    assert.equal(h.get('transfer-encoding'), null);
    assert.equal(h.get('connection'), null);
    assert.equal(h.get('vary'), 'Origin');
  });
});
