// Webhooks end to end on the local stack: an endpoint created through the REST API, a signed
// event sent by net.http_post from the database reaches a local HTTP server, the signature
// verifies over the raw body with the secret returned at creation, and the delivery job
// records the answer.
import assert from 'node:assert/strict';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll as after, beforeAll as before, test } from 'vitest';
import pg from 'pg';
import { testClient } from '../support/client.ts';
import { env } from '../support/env.ts';

const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('thanks');
  });
});
const db = new pg.Client({ connectionString: env.DB_URL });
const slug = `hooks-${randomBytes(4).toString('hex')}`;
let org = '';

async function waitFor<T>(get: () => Promise<T | undefined> | T | undefined, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await db.connect();
  const { rows } = await db.query<{ id: string }>(`insert into public.organizations (slug, name) values ($1, 'Webhook test org') returning id`, [slug]);
  org = rows[0]!.id;
});

after(async () => {
  await db.query('delete from public.organizations where id = $1', [org]).catch(() => undefined);
  await db.end();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

test('a webhook ping is delivered by pg_net, signed with the endpoint secret, and its answer recorded', async () => {
  const admin = testClient(env.SERVICE_ROLE_KEY, env.SERVICE_ROLE_KEY);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ascend`;
  const created = await admin.rpc('create_webhook_endpoint', { p_organization: org, p_url: url, p_event_types: ['ping'] });
  assert.equal(created.error, null);
  const endpoint = created.data as { id: string; secret: string; secret_last4: string };
  assert.match(endpoint.secret, /^whsec_[0-9a-f]{48}$/);
  assert.equal(endpoint.secret_last4, endpoint.secret.slice(-4));

  const listed = await admin.from('webhook_endpoints').select('*').eq('id', endpoint.id).single();
  assert.equal(listed.error, null);
  assert.equal(JSON.stringify(listed.data).includes(endpoint.secret), false, 'the secret is not readable back');

  const ping = await admin.rpc('send_test_webhook', { p_endpoint: endpoint.id });
  assert.equal(ping.error, null);
  const got = await waitFor(() => received.find((r) => r.headers['x-ascend-delivery'] === String(ping.data)), 'the signed ping');

  const sig = String(got.headers['x-ascend-signature']);
  const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig) ?? [];
  assert.ok(t && v1, `signature header ${sig}`);
  assert.equal(t, got.headers['x-ascend-timestamp']);
  assert.ok(Math.abs(Date.now() / 1000 - Number(t)) < 300, 'a fresh timestamp');
  const expected = createHmac('sha256', endpoint.secret).update(`${t}.${got.body}`).digest();
  assert.ok(timingSafeEqual(expected, Buffer.from(v1, 'hex')), 'HMAC-SHA256(secret, "<t>.<raw body>") verifies');
  const body = JSON.parse(got.body) as { type: string; organization_id: string; delivery_id: number; data: { endpoint_id: string } };
  assert.equal(body.type, 'ping');
  assert.equal(body.organization_id, org);
  assert.equal(body.data.endpoint_id, endpoint.id);

  // The delivery job reads the answer pg_net recorded.
  await waitFor(async () => {
    const r = await db.query(
      'select 1 from net._http_response r join public.webhook_deliveries d on d.last_request_id = r.id where d.id = $1', [ping.data]);
    return r.rowCount ? true : undefined;
  }, 'the recorded response');
  await db.query('select private.process_webhook_deliveries()');
  const { rows } = await db.query('select status, last_status_code from public.webhook_deliveries where id = $1', [ping.data]);
  assert.deepEqual(rows[0], { status: 'succeeded', last_status_code: 200 });
  const log = await admin.from('webhook_delivery_attempts').select('attempt, status_code, response_excerpt').eq('delivery_id', ping.data);
  assert.deepEqual(log.data, [{ attempt: 1, status_code: 200, response_excerpt: 'thanks' }]);
});
