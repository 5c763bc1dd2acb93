import assert from 'node:assert/strict';
import { ECHO_LIMIT, eventStream, handler } from './handler.ts';

Deno.test('OPTIONS answers the preflight with the CORS headers', async () => {
  const res = await handler(new Request('http://localhost/echo', { method: 'OPTIONS' }));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  await res.body?.cancel();
});

Deno.test('echoes method, own path, query, headers and body', async () => {
  const res = await handler(
    new Request('http://localhost/echo/a/b?x=1&y=two', {
      method: 'PUT',
      headers: { 'X-Probe': 'yes', 'Content-Type': 'text/plain' },
      body: 'hello',
    }),
  );
  assert.equal(res.status, 200);
  const echo = await res.json();
  assert.equal(echo.method, 'PUT');
  assert.equal(echo.path, '/echo/a/b');
  assert.deepEqual(echo.query, { x: '1', y: 'two' });
  assert.equal(echo.headers['x-probe'], 'yes');
  assert.equal(echo.body, 'hello');
  assert.equal(echo.bodyBytes, 5);
});

Deno.test('a body over the limit is counted, not echoed', async () => {
  const big = new Uint8Array(ECHO_LIMIT + 1);
  const echo = await (await handler(new Request('http://localhost/echo', { method: 'POST', body: big }))).json();
  assert.equal(echo.body, null);
  assert.equal(echo.bodyBytes, ECHO_LIMIT + 1);
});

Deno.test('GET without a body echoes null', async () => {
  const echo = await (await handler(new Request('http://localhost/echo'))).json();
  assert.equal(echo.body, null);
  assert.equal(echo.bodyBytes, 0);
});

Deno.test('?sse=N streams N events, the first at once', async () => {
  const res = await handler(new Request('http://localhost/echo?sse=3&interval=10'));
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const text = await res.text();
  assert.deepEqual(
    text.split('\n\n').filter(Boolean),
    [1, 2, 3].map((n) => `data: {"n":${n},"of":3}`),
  );
});

Deno.test('event counts and intervals are clamped', async () => {
  const text = await eventStream(0, -5).text();
  assert.equal(text, 'data: {"n":1,"of":1}\n\n');
});
