import assert from 'node:assert/strict';
import { callerRole, handler } from './handler.ts';

/** An unsigned token with these claims: the handler only decodes, the gateway verifies. */
function token(claims: Record<string, unknown>): string {
  const part = (v: unknown) => btoa(JSON.stringify(v)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

Deno.test('OPTIONS answers the preflight with the CORS headers', async () => {
  const res = handler(new Request('http://localhost/health', { method: 'OPTIONS' }));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.match(res.headers.get('access-control-allow-headers') ?? '', /authorization/);
  assert.equal(await res.text(), 'ok');
});

Deno.test('GET without a token reports the anon caller', async () => {
  const res = handler(new Request('http://localhost/health'));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  const body = await res.json();
  assert.deepEqual(Object.keys(body).sort(), ['caller', 'status', 'time']);
  assert.equal(body.status, 'ok');
  assert.equal(body.caller, 'anon');
  assert.ok(Math.abs(Date.parse(body.time) - Date.now()) < 5000, 'time is now, ISO 8601');
});

Deno.test('GET reports the role of the bearer token', async () => {
  const headers = { Authorization: `Bearer ${token({ sub: 'u1', role: 'authenticated' })}` };
  const body = await handler(new Request('http://localhost/health', { headers })).json();
  assert.equal(body.caller, 'authenticated');
});

Deno.test('callerRole falls back to anon for anything it cannot read', () => {
  assert.equal(callerRole(null), 'anon');
  assert.equal(callerRole('Basic abc'), 'anon');
  assert.equal(callerRole('Bearer not-a-jwt'), 'anon');
  assert.equal(callerRole(`Bearer ${token({ sub: 'u1' })}`), 'anon');
  assert.equal(callerRole(`Bearer ${token({ role: 'service_role' })}`), 'service_role');
});

Deno.test('other methods get 405 with a message naming the method', async () => {
  const res = handler(new Request('http://localhost/health', { method: 'POST', body: '{}' }));
  assert.equal(res.status, 405);
  assert.equal(res.headers.get('allow'), 'GET, OPTIONS');
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.deepEqual(await res.json(), { error: 'Cannot POST health: it only answers GET' });
});
