// The handler's edges without a database: preflight, routing, sign-in, input validation. The
// flows against the database (start, stream, resume, end, PDF) are driven through the gateway by
// tests/functions/ai-trainer.test.ts.
import assert from 'node:assert/strict';
import { createHandler, route } from './handler.ts';

function token(claims: Record<string, unknown>): string {
  const part = (v: unknown) => btoa(JSON.stringify(v)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2ln`;
}
const learner = {
  Authorization: `Bearer ${token({ sub: '4b3f2f38-6a0e-4b53-9b0a-1f2e3d4c5b6a', role: 'authenticated' })}`,
};
const handler = createHandler({
  platform: () => ({ url: 'http://127.0.0.1:9', anonKey: 'a', serviceRoleKey: 's' }),
  ai: () => ({ mode: 'offline', reason: 'test' }),
  now: () => new Date(),
});
const ID = '4b3f2f38-6a0e-4b53-9b0a-1f2e3d4c5b6a';

Deno.test('routes', () => {
  assert.deepEqual(route('GET', '/ai-trainer/catalog'), { name: 'catalog' });
  assert.deepEqual(route('POST', '/ai-trainer/sessions/'), { name: 'start' });
  assert.deepEqual(route('GET', '/ai-trainer/sessions/active'), { name: 'active' });
  assert.deepEqual(route('GET', `/ai-trainer/sessions/${ID}`), { name: 'get', id: ID });
  assert.deepEqual(route('POST', `/ai-trainer/sessions/${ID}/messages`), { name: 'say', id: ID });
  assert.deepEqual(route('POST', `/ai-trainer/sessions/${ID}/end`), { name: 'end', id: ID });
  assert.deepEqual(route('GET', `/functions/v1/ai-trainer/sessions/${ID}/report.pdf`), { name: 'pdf', id: ID });
  assert.throws(
    () => route('DELETE', `/ai-trainer/sessions/${ID}`),
    (e: { status: number; message: string }) => e.status === 405 && /use GET/.test(e.message),
  );
  assert.throws(() => route('GET', '/ai-trainer/sessions/not-a-uuid'), (e: { status: number }) => e.status === 404);
});

Deno.test('OPTIONS first, without a token', async () => {
  const res = await handler(new Request('http://x/ai-trainer/sessions', { method: 'OPTIONS' }));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  await res.body?.cancel();
});

Deno.test('the anon key is not a learner: 401', async () => {
  const res = await handler(
    new Request('http://x/ai-trainer/catalog', { headers: { Authorization: `Bearer ${token({ role: 'anon' })}` } }),
  );
  assert.equal(res.status, 401);
  assert.match((await res.json()).error, /sign in first/);
});

Deno.test('a bad start request is a 400 naming the fields, before any database call', async () => {
  const res = await handler(
    new Request('http://x/ai-trainer/sessions', {
      method: 'POST',
      headers: learner,
      body: JSON.stringify({ category: 'x', duration_minutes: 7 }),
    }),
  );
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.match(body.error, /^Cannot start a session: /);
  assert.deepEqual(body.issues.map((i: string) => i.split(':')[0]).sort(), [
    'category',
    'difficulty',
    'duration_minutes',
  ]);
});

Deno.test('an empty line is a 400', async () => {
  const res = await handler(
    new Request(`http://x/ai-trainer/sessions/${ID}/messages`, {
      method: 'POST',
      headers: learner,
      body: '{"content": " "}',
    }),
  );
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /say something/);
});

Deno.test('an unknown route is a 404 JSON error', async () => {
  const res = await handler(new Request('http://x/ai-trainer/nope', { headers: learner }));
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('content-type'), 'application/json');
  await res.body?.cancel();
});
