// The gateway's own contract: /health per component, Kong-like API key checks, CORS, and one
// structured log line per request.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { instance } from '../../stack/src/config.ts';
import { gatewayLog } from '../../stack/src/gateway-process.ts';
import { env } from '../support/env.ts';
import { accessToken } from '../support/tokens.ts';

test('GET /health reports every component', async () => {
  const res = await fetch(`${env.SUPABASE_URL}/health`);
  assert.equal(res.status, 200);
  const ok = { status: 'ok' };
  assert.deepEqual(await res.json(), {
    status: 'ok',
    components: { db: ok, auth: ok, mail: ok, rest: ok, functions: ok, storage: ok, realtime: ok, pg_net: ok },
  });
});

test('REST needs an API key, as behind Kong: none and a wrong one are 401', async () => {
  const none = await fetch(`${env.SUPABASE_URL}/rest/v1/`);
  assert.equal(none.status, 401);
  assert.deepEqual(await none.json(), { message: 'No API key found in request' });
  const wrong = await fetch(`${env.SUPABASE_URL}/rest/v1/`, { headers: { apikey: 'not-a-key' } });
  assert.equal(wrong.status, 401);
  assert.deepEqual(await wrong.json(), { message: 'Invalid authentication credentials' });
});

test('a CORS preflight is answered for any origin', async () => {
  const res = await fetch(`${env.SUPABASE_URL}/rest/v1/profiles`, {
    method: 'OPTIONS',
    headers: { Origin: 'http://example.test', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'apikey, authorization' },
  });
  await res.body?.cancel();
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
});

test('each request is one JSON log line: method, path, status, duration, request id, user id', async () => {
  const sub = crypto.randomUUID();
  const res = await fetch(`${env.SUPABASE_URL}/rest/v1/exams?select=id`, {
    headers: { apikey: env.ANON_KEY, Authorization: `Bearer ${await accessToken({ sub })}` },
  });
  await res.body?.cancel();
  const requestId = res.headers.get('x-request-id');
  assert.ok(requestId, 'the response names its request id');
  const file = gatewayLog(instance(process.env.STACK_INSTANCE ?? 'test'));
  let line: Record<string, unknown> | undefined;
  for (let i = 0; i < 50 && !line; i++) {
    line = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes(requestId))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'request');
    if (!line) await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(line, 'the request was logged');
  assert.equal(line.method, 'GET');
  assert.equal(line.path, '/rest/v1/exams');
  assert.equal(line.status, res.status);
  assert.equal(line.request_id, requestId);
  assert.equal(line.user_id, sub);
  assert.equal(typeof line.duration_ms, 'number');
  assert.equal(typeof line.time, 'string');
});
