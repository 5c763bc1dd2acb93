// The gateway's own contract: /health per component, Kong-like API key checks, CORS, and one
// structured log line per request.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'vitest';
import WebSocket from 'ws';
import { instance } from '../../stack/src/config.ts';
import { gatewayLog } from '../../stack/src/instance/gateway-process.ts';
import { env } from '../support/env.ts';
import { accessToken } from '../support/tokens.ts';

test('GET /health reports every component', async () => {
  const res = await fetch(`${env.SUPABASE_URL}/health`);
  assert.equal(res.status, 200);
  const ok = { status: 'ok' };
  assert.deepEqual(await res.json(), {
    status: 'ok',
    components: { db: ok, auth: ok, mail: ok, rest: ok, graphql: ok, functions: ok, storage: ok, realtime: ok, pg_net: ok, resend: ok },
  });
});

test('REST without a key is anon, as behind the CLI’s gateway; a wrong key is still 401', async () => {
  const none = await fetch(`${env.SUPABASE_URL}/rest/v1/`);
  await none.body?.cancel();
  assert.equal(none.status, 200);
  for (const apikey of ['not-a-key', 'sb_publishable_wrong', await accessToken({ secret: 'another-secret-another-secret-another-secret' })]) {
    const wrong = await fetch(`${env.SUPABASE_URL}/rest/v1/`, { headers: { apikey } });
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), { message: 'Invalid authentication credentials' });
  }
});

test('storage: the apikey is the bearer when there is none; with neither, Storage itself refuses its authenticated routes', async () => {
  const list = async (headers: Record<string, string>) => {
    const r = await fetch(`${env.SUPABASE_URL}/storage/v1/bucket`, { headers });
    return [r.status, await r.json()];
  };
  const keyless = await list({});
  assert.deepEqual([keyless[0], (keyless[1] as { code: string }).code], [400, 'AccessDenied']);
  assert.deepEqual(await list({ apikey: env.ANON_KEY }), await list({ apikey: env.ANON_KEY, Authorization: `Bearer ${env.ANON_KEY}` }));
  const service = await list({ apikey: env.SERVICE_ROLE_KEY, Authorization: `Bearer ${env.SERVICE_ROLE_KEY}` });
  assert.equal(service[0], 200);
  assert.deepEqual(await list({ apikey: env.SECRET_KEY }), service);
  assert.deepEqual(await list({ apikey: env.SERVICE_ROLE_KEY }), service);
});

test('the realtime websocket opens without a key (anon) and with the new keys; a wrong key is 401', async () => {
  const open = (query: string) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(`${env.SUPABASE_URL.replace(/^http/, 'ws')}/realtime/v1/websocket?vsn=1.0.0${query}`);
      ws.on('open', () => {
        ws.terminate();
        resolve(101);
      });
      ws.on('unexpected-response', (_req, res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.on('error', () => undefined);
    });
  assert.equal(await open(''), 101);
  assert.equal(await open(`&apikey=${env.PUBLISHABLE_KEY}`), 101);
  assert.equal(await open(`&apikey=${env.SECRET_KEY}`), 101);
  assert.equal(await open(`&apikey=${await accessToken()}`), 101);
  assert.equal(await open('&apikey=not-a-key'), 401);
  assert.equal(await open('&apikey=sb_secret_wrong'), 401);
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

test('browser clients may read the storage headers of rendered images and resumable uploads', async () => {
  const res = await fetch(`${env.SUPABASE_URL}/storage/v1/bucket`, { headers: { Origin: 'http://example.test', apikey: env.ANON_KEY } });
  await res.body?.cancel();
  const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/\s*,\s*/);
  for (const h of ['x-transformations', 'upload-offset', 'upload-length', 'tus-resumable', 'location']) assert.ok(exposed.includes(h), h);
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
