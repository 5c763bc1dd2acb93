// Routing, sign-in and validation without a database; the flows are driven through the gateway
// by tests/functions/ai-assistant.test.ts.
import assert from 'node:assert/strict';
import { createHandler, route } from './handler.ts';

function token(claims: Record<string, unknown>): string {
  const part = (v: unknown) => btoa(JSON.stringify(v)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2ln`;
}
const user = { Authorization: `Bearer ${token({ sub: 'u1', role: 'authenticated' })}` };
const handler = createHandler({
  platform: () => ({ url: 'http://127.0.0.1:9', anonKey: 'a', serviceRoleKey: 's' }),
  ai: () => ({ mode: 'offline', reason: 't' }),
});

Deno.test('routes', () => {
  assert.equal(route('POST', '/ai-assistant/explain'), 'explain');
  assert.equal(route('POST', '/ai-assistant/draft-questions/'), 'draft-questions');
  assert.equal(route('POST', '/functions/v1/ai-assistant/study-plan'), 'study-plan');
  assert.throws(() => route('GET', '/ai-assistant/explain'), (e: { status: number }) => e.status === 405);
  assert.throws(() => route('POST', '/ai-assistant/publish'), (e: { status: number }) => e.status === 404);
});

Deno.test('OPTIONS first', async () => {
  const res = await handler(new Request('http://x/ai-assistant/explain', { method: 'OPTIONS' }));
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test('401 without a signed-in user', async () => {
  const res = await handler(
    new Request('http://x/ai-assistant/explain', { method: 'POST', body: '{"question_id": 1}' }),
  );
  assert.equal(res.status, 401);
  await res.body?.cancel();
});

Deno.test('400 naming the field, before any database call', async () => {
  const res = await handler(
    new Request('http://x/ai-assistant/draft-questions', {
      method: 'POST',
      headers: user,
      body: '{"exam_id": "security", "domain_code": "1.0", "lesson_text": "too short"}',
    }),
  );
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /^Cannot draft questions: lesson_text: give at least 80 characters/);
});
