// /functions/v1 on the running stack, as supabase-js and curl see it: the `health` function
// (verify_jwt = true) with and without JWTs, `echo` (verify_jwt = false) for what reaches a
// function and for streaming both ways, the exact refusal bodies, unknown functions.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { FunctionsHttpError } from '@supabase/supabase-js';
import { testClient } from '../support/client.ts';
import { env } from '../support/env.ts';
import { requestFrom, untrustedLoopback } from '../support/peer.ts';
import { accessToken } from '../support/tokens.ts';

const FN = `${env.SUPABASE_URL}/functions/v1`;
const anon = testClient(env.ANON_KEY);

function clientWith(token: string) {
  return testClient(env.ANON_KEY, token);
}

async function raw(path: string, headers: Record<string, string> = {}, init: RequestInit = {}) {
  const res = await fetch(`${FN}${path}`, { ...init, headers });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), body: text ? JSON.parse(text) : null };
}

describe('health (verify_jwt = true) through supabase-js', () => {
  test('with the anon key: caller anon', async () => {
    const { data, error } = await anon.functions.invoke('health', { method: 'GET' });
    assert.equal(error, null);
    assert.deepEqual(Object.keys(data).sort(), ['caller', 'status', 'time']);
    assert.equal(data.status, 'ok');
    assert.equal(data.caller, 'anon');
    assert.ok(Math.abs(Date.parse(data.time) - Date.now()) < 10_000);
  });

  test('with a user JWT: caller authenticated', async () => {
    const { data, error } = await clientWith(await accessToken()).functions.invoke('health', { method: 'GET' });
    assert.equal(error, null);
    assert.equal(data.caller, 'authenticated');
  });

  test('with the service_role key: caller service_role', async () => {
    const { data, error } = await clientWith(env.SERVICE_ROLE_KEY).functions.invoke('health', { method: 'GET' });
    assert.equal(error, null);
    assert.equal(data.caller, 'service_role');
  });

  test('POST (invoke’s default) is a 405 with a message naming it', async () => {
    const { data, error } = await anon.functions.invoke('health');
    assert.equal(data, null);
    assert.ok(error instanceof FunctionsHttpError);
    const res = error.context as Response;
    assert.equal(res.status, 405);
    assert.deepEqual(await res.json(), { error: 'Cannot POST health: it only answers GET' });
  });

  test('a token signed with another secret: FunctionsHttpError 401 Invalid JWT', async () => {
    const forged = await accessToken({ secret: 'another-secret-that-is-at-least-32-characters' });
    const { error } = await clientWith(forged).functions.invoke('health', { method: 'GET' });
    assert.ok(error instanceof FunctionsHttpError);
    assert.equal((error.context as Response).status, 401);
    assert.deepEqual(await (error.context as Response).json(), { msg: 'Invalid JWT' });
  });
});

describe('verify_jwt refusals (raw HTTP)', () => {
  test('no Authorization header: 401 Missing authorization header', async () => {
    assert.deepEqual(await raw('/health'), { status: 401, type: 'application/json', body: { msg: 'Missing authorization header' } });
  });

  test('an apikey alone is not enough', async () => {
    assert.deepEqual((await raw('/health', { apikey: env.ANON_KEY })).body, { msg: 'Missing authorization header' });
  });

  test('a header that is not Bearer: 401', async () => {
    const r = await raw('/health', { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` });
    assert.deepEqual(r, { status: 401, type: 'application/json', body: { msg: "Auth header is not 'Bearer {token}'" } });
    assert.equal((await raw('/health', { Authorization: `bearer ${env.ANON_KEY}` })).status, 401, 'the scheme is case-sensitive');
  });

  test('garbage, expired, unsigned (alg none) tokens: 401 Invalid JWT', async () => {
    const expired = await accessToken({ expiresIn: -60 });
    const [h, p] = (await accessToken()).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    for (const token of ['not-a-jwt', expired, none, `${h}.${p}.`]) {
      assert.deepEqual(await raw('/health', { Authorization: `Bearer ${token}` }), {
        status: 401,
        type: 'application/json',
        body: { msg: 'Invalid JWT' },
      });
    }
  });

  test('OPTIONS needs no token (preflight)', async () => {
    const res = await fetch(`${FN}/health`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:5173', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization, x-client-info, apikey' },
    });
    await res.body?.cancel();
    assert.ok(res.status === 200 || res.status === 204, String(res.status));
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
  });
});

describe('echo (verify_jwt = false): what a function receives', () => {
  test('no Authorization needed', async () => {
    const r = await raw('/echo');
    assert.equal(r.status, 200);
    assert.equal(r.body.method, 'GET');
    assert.equal(r.body.headers.authorization, undefined);
  });

  test('method, its own path /<name>/<rest>, query, headers and body arrive unchanged', async () => {
    const res = await fetch(`${FN}/echo/a/b%20c?x=1&y=two&y=three`, {
      method: 'PATCH',
      headers: { Authorization: 'Bearer not-checked-here', 'X-Probe': 'probe-value', 'Content-Type': 'text/plain' },
      body: 'hello body',
    });
    assert.equal(res.status, 200);
    const echo = await res.json();
    assert.equal(echo.method, 'PATCH');
    assert.equal(echo.path, '/echo/a/b%20c');
    assert.deepEqual(echo.query, { x: '1', y: 'three' });
    assert.equal(echo.headers.authorization, 'Bearer not-checked-here');
    assert.equal(echo.headers['x-probe'], 'probe-value');
    assert.equal(echo.headers['content-type'], 'text/plain');
    assert.equal(echo.headers.host, new URL(env.SUPABASE_URL).host, 'the Host the client used');
    assert.equal(echo.body, 'hello body');
  });

  test("X-Forwarded-* are the gateway's, from the connection: a client's own are not passed on", async () => {
    const from = untrustedLoopback();
    const r = await requestFrom(from, '/functions/v1/echo', {
      headers: { 'X-Forwarded-For': '6.6.6.6', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https', Forwarded: 'for=6.6.6.6', 'X-Real-IP': '6.6.6.6' },
    });
    assert.equal(r.status, 200);
    const { headers } = r.body as { headers: Record<string, string> };
    const host = new URL(env.SUPABASE_URL).host;
    assert.deepEqual(
      [headers['x-forwarded-for'], headers['x-forwarded-host'], headers['x-forwarded-proto'], headers['x-forwarded-port'], headers.forwarded, headers['x-real-ip']],
      [from, host, 'http', new URL(env.SUPABASE_URL).port, undefined, undefined],
    );
  });

  test('from a trusted proxy (npm test trusts loopback) the X-Forwarded-For chain is passed on, extended with the proxy', async () => {
    const r = await raw('/echo', { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https' });
    assert.equal(r.body.headers['x-forwarded-for'], '203.0.113.7, 127.0.0.1');
    assert.equal(r.body.headers['x-forwarded-proto'], 'https');
  });

  test('supabase-js invoke sends its headers and a JSON body', async () => {
    const { data, error } = await anon.functions.invoke('echo/sub', { body: { lesson: 42 }, headers: { 'X-Trace': 't1' } });
    assert.equal(error, null);
    assert.equal(data.method, 'POST');
    assert.equal(data.path, '/echo/sub');
    assert.equal(data.headers.authorization, `Bearer ${env.ANON_KEY}`);
    assert.equal(data.headers.apikey, env.ANON_KEY);
    assert.match(data.headers['x-client-info'], /^supabase-js/);
    assert.equal(data.headers['x-trace'], 't1');
    assert.equal(data.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(data.body), { lesson: 42 });
  });

  test('a large request body streams up (5 MiB in chunks)', async () => {
    const chunk = new Uint8Array(256 * 1024).fill(97);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent === 20) return c.close();
        sent++;
        c.enqueue(chunk);
      },
    });
    const res = await fetch(`${FN}/echo`, { method: 'POST', body, duplex: 'half', headers: { 'Content-Type': 'application/octet-stream' } } as RequestInit);
    const echo = await res.json();
    assert.equal(res.status, 200);
    assert.equal(echo.bodyBytes, 20 * 256 * 1024);
    assert.equal(echo.body, null, 'too big to echo');
  });

  test('server-sent events stream through unbuffered', async () => {
    const started = performance.now();
    const res = await fetch(`${FN}/echo?sse=4&interval=250`, { headers: { Accept: 'text/event-stream' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const arrivals: { at: number; data: string }[] = [];
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        arrivals.push({ at: performance.now() - started, data: buffer.slice(0, end) });
        buffer = buffer.slice(end + 2);
      }
    }
    assert.deepEqual(arrivals.map((a) => a.data), [1, 2, 3, 4].map((n) => `data: {"n":${n},"of":4}`));
    const spread = arrivals.at(-1)!.at - arrivals[0]!.at;
    assert.ok(spread >= 600, `events arrived as sent, not all at the end (first at ${arrivals[0]!.at.toFixed(0)} ms, spread ${spread.toFixed(0)} ms)`);
  });

  test('supabase-js hands an event stream back as the Response', async () => {
    const { data, error } = await anon.functions.invoke('echo?sse=2&interval=10', { method: 'GET' });
    assert.equal(error, null);
    assert.ok(data instanceof Response);
    assert.equal(await data.text(), 'data: {"n":1,"of":2}\n\ndata: {"n":2,"of":2}\n\n');
  });
});

describe('unknown functions and the gateway', () => {
  test('an unknown function: 404 NOT_FOUND, before any JWT check', async () => {
    const notFound = { status: 404, type: 'application/json', body: { code: 'NOT_FOUND', message: 'Requested function was not found' } };
    assert.deepEqual(await raw('/no-such-function'), notFound);
    assert.deepEqual(await raw('/no-such-function/deeper', { Authorization: `Bearer ${env.ANON_KEY}` }), notFound);
    assert.deepEqual(await raw('/'), notFound);
  });

  test('supabase-js sees the 404 as a FunctionsHttpError', async () => {
    const { error } = await anon.functions.invoke('no-such-function');
    assert.ok(error instanceof FunctionsHttpError);
    assert.equal((error.context as Response).status, 404);
  });

  test('GET /health reports the functions runtime (Deno) as ok', async () => {
    const res = await fetch(`${env.SUPABASE_URL}/health`);
    const health = await res.json();
    assert.deepEqual(health.components.functions, { status: 'ok' });
  });
});
