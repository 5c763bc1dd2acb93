// The local mail sink at /mail/v1: what auth sent, as JSON (newest first, per recipient, with the
// service_role key) and as a page a developer opens. It holds live magic links, so no other web
// page may read it: no CORS, the key in a header for the JSON, no cross-site reads of the page,
// and no host name but a loopback one (against DNS rebinding).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, test } from 'vitest';
import { env } from '../support/env.ts';
import { anonClient, mailbox, PASSWORD, randomIp, sleep, uniqueEmail } from './helpers.ts';

const ip = randomIp();
const SINK = `${env.SUPABASE_URL}/mail/v1`;
const serviceKey = { apikey: env.SERVICE_ROLE_KEY };

/** A GET with a Host header of our choosing (fetch does not let one set it). */
function getWithHost(path: string, host: string): Promise<{ status: number; body: string }> {
  const url = new URL(`${SINK}${path}`);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers: { Host: host, ...serviceKey } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('mail sink', () => {
  test('JSON: newest first, filtered by recipient, with code, hash and link; one by id', async () => {
    const email = uniqueEmail('sink');
    const client = anonClient(ip);
    await client.auth.signUp({ email, password: PASSWORD });
    await sleep(1100);
    await client.auth.resend({ type: 'signup', email });
    const messages = await mailbox(email.toUpperCase());
    assert.equal(messages.length, 2);
    const [newest, oldest] = messages as [(typeof messages)[0], (typeof messages)[0]];
    assert.ok(newest.id !== oldest.id);
    assert.deepEqual(Object.keys(newest).sort(), [
      'action_link', 'created_at', 'from', 'html', 'id', 'otp', 'redirect_to', 'subject', 'text', 'to', 'token_hash', 'type',
    ]);
    assert.deepEqual(newest.to, [email]);
    assert.ok(newest.text.includes(newest.otp!));
    assert.ok(newest.text.includes(newest.action_link!));
    const one = await fetch(`${SINK}/messages/${newest.id}`, { headers: serviceKey });
    assert.deepEqual(await one.json(), newest);
    const byBearer = await fetch(`${SINK}/messages/${newest.id}`, { headers: { Authorization: `Bearer ${env.SERVICE_ROLE_KEY}` } });
    assert.deepEqual(await byBearer.json(), newest);
    const missing = await fetch(`${SINK}/messages/nope`, { headers: serviceKey });
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
    const limited = await fetch(`${SINK}/messages?to=${encodeURIComponent(email)}&limit=1`, { headers: serviceKey });
    assert.equal(((await limited.json()) as { messages: unknown[] }).messages.length, 1);
  });

  test('an HTML page a developer opens, addresses escaped, never framed or cached', async () => {
    const email = uniqueEmail('page');
    await anonClient(ip).auth.signUp({ email, password: PASSWORD });
    // What a browser sends for a typed URL or a bookmark.
    const res = await fetch(`${SINK}/?to=${encodeURIComponent(email)}`, { headers: { 'Sec-Fetch-Site': 'none', 'Sec-Fetch-Mode': 'navigate' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const html = await res.text();
    assert.ok(html.includes('Confirm your email address'));
    assert.ok(html.includes(email));
    assert.ok(!html.includes('<script'));
    // The filter form submits to the page itself (same origin).
    const filtered = await fetch(`${SINK}/?to=${encodeURIComponent(email)}`, { headers: { 'Sec-Fetch-Site': 'same-origin' } });
    assert.equal(filtered.status, 200);
    await filtered.body?.cancel();
  });

  test('DELETE clears one recipient’s messages', async () => {
    const email = uniqueEmail('clear');
    await anonClient(ip).auth.signUp({ email, password: PASSWORD });
    const res = await fetch(`${SINK}/messages?to=${encodeURIComponent(email)}`, { method: 'DELETE', headers: serviceKey });
    assert.deepEqual(await res.json(), { deleted: 1 });
    assert.deepEqual(await mailbox(email), []);
  });
});

describe('mail sink: what another web page cannot do', () => {
  const evil = 'https://evil.example';

  test('the JSON needs the service_role key in a header: none, the anon key or a query parameter are refused', async () => {
    const none = await fetch(`${SINK}/messages`);
    assert.deepEqual([none.status, await none.json()], [401, { message: 'No API key found in request' }]);
    const forbidden = { message: 'The mail sink needs the service_role key (apikey header or Authorization: Bearer)' };
    const anon = await fetch(`${SINK}/messages`, { headers: { apikey: env.ANON_KEY } });
    assert.deepEqual([anon.status, await anon.json()], [403, forbidden]);
    const anonBearer = await fetch(`${SINK}/messages`, { headers: { Authorization: `Bearer ${env.ANON_KEY}` } });
    assert.deepEqual([anonBearer.status, await anonBearer.json()], [403, forbidden]);
    // A query parameter needs no preflight, so it would let a cross-origin request through.
    const query = await fetch(`${SINK}/messages?apikey=${env.SERVICE_ROLE_KEY}`);
    assert.equal(query.status, 401);
    await query.body?.cancel();
    const del = await fetch(`${SINK}/messages`, { method: 'DELETE' });
    assert.equal(del.status, 401);
    await del.body?.cancel();
  });

  test('no CORS: no Access-Control-Allow-Origin on answers, and the preflight a key would need is not granted', async () => {
    const simple = await fetch(`${SINK}/messages`, { headers: { Origin: evil, ...serviceKey } });
    assert.equal(simple.status, 200);
    assert.equal(simple.headers.get('access-control-allow-origin'), null);
    await simple.body?.cancel();
    const preflight = await fetch(`${SINK}/messages`, {
      method: 'OPTIONS',
      headers: { Origin: evil, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'apikey' },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    assert.equal(preflight.headers.get('access-control-allow-headers'), null);
    await preflight.body?.cancel();
    // The rest of the API keeps its CORS, as on Supabase.
    const rest = await fetch(`${env.SUPABASE_URL}/rest/v1/`, { method: 'OPTIONS', headers: { Origin: evil, 'Access-Control-Request-Method': 'GET' } });
    assert.equal(rest.headers.get('access-control-allow-origin'), '*');
    await rest.body?.cancel();
  });

  test('the page is not readable from another site (fetch, frame or form)', async () => {
    const crossSite: Record<string, string>[] = [{ 'Sec-Fetch-Site': 'cross-site' }, { 'Sec-Fetch-Site': 'same-site' }, { Origin: evil }];
    for (const headers of crossSite) {
      const res = await fetch(`${SINK}/`, { headers });
      assert.deepEqual([res.status, await res.json()], [403, { message: 'The mail sink page cannot be read from another site' }], JSON.stringify(headers));
      assert.equal(res.headers.get('access-control-allow-origin'), null);
    }
  });

  test('a name that is not a loopback one (DNS rebinding) is refused, page and JSON alike', async () => {
    for (const path of ['/', '/messages']) {
      const res = await getWithHost(path, 'attacker.example:54321');
      assert.deepEqual([res.status, JSON.parse(res.body)], [403, { message: 'The mail sink answers only on localhost / 127.0.0.1' }]);
    }
    assert.equal((await getWithHost('/messages?limit=1', `localhost:${new URL(SINK).port}`)).status, 200);
  });
});
