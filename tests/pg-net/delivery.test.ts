// pg_net on the local stack: a net.http_post made by a trigger is sent after its transaction
// commits, reaches an HTTP server, and its response lands in net._http_response as on hosted
// Supabase; a rolled-back transaction sends nothing.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll as after, beforeAll as before, test } from 'vitest';
import pg from 'pg';
import { env } from '../support/env.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const received: Received[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    res.writeHead(202, { 'content-type': 'application/json', 'x-probe': 'yes' });
    res.end('{"accepted":true}');
  });
});
const schema = `net_probe_${randomBytes(4).toString('hex')}`;
const db = new pg.Client({ connectionString: env.DB_URL });
let base = '';

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
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await db.connect();
  await db.query(`
    create schema ${schema};
    create table ${schema}.events (id serial primary key, kind text not null, target text not null, request_id bigint);
    create function ${schema}.post_event() returns trigger language plpgsql set search_path = '' as $$
    begin
      new.request_id := net.http_post(
        url := new.target,
        body := jsonb_build_object('id', new.id, 'kind', new.kind),
        headers := jsonb_build_object('Content-Type', 'application/json', 'X-Event', new.kind),
        timeout_milliseconds := 3000);
      return new;
    end $$;
    create trigger post_event before insert on ${schema}.events for each row execute function ${schema}.post_event();`);
});

after(async () => {
  await db.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
  await db.end();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

test('the worker is up: net.check_worker_is_up() finds application_name pg_net_worker', async () => {
  await db.query('select net.check_worker_is_up()');
});

test('a trigger\'s net.http_post reaches a local HTTP server after commit, and its response is recorded', async () => {
  const { rows } = await db.query<{ id: number; request_id: string }>(
    `insert into ${schema}.events (kind, target) values ('signup', $1) returning id, request_id`, [`${base}/hook?src=trigger`]);
  const { id, request_id: requestId } = rows[0]!;
  const got = await waitFor(() => received.find((r) => r.url === '/hook?src=trigger'), 'the POST');
  assert.equal(got.method, 'POST');
  assert.equal(got.headers['content-type'], 'application/json');
  assert.equal(got.headers['x-event'], 'signup');
  assert.deepEqual(JSON.parse(got.body), { id, kind: 'signup' });

  const response = await waitFor(async () => {
    const r = await db.query('select status_code, content_type, headers, content, timed_out, error_msg from net._http_response where id = $1', [requestId]);
    return r.rows[0];
  }, 'net._http_response');
  assert.deepEqual(
    { ...response, headers: { 'x-probe': response.headers['x-probe'] } },
    { status_code: 202, content_type: 'application/json', headers: { 'x-probe': 'yes' }, content: '{"accepted":true}', timed_out: false, error_msg: null },
  );
  const collected = await db.query('select (r).status::text as status, ((r).response).status_code as code from (select net._http_collect_response($1) as r) s', [requestId]);
  assert.deepEqual(collected.rows[0], { status: 'SUCCESS', code: 202 });
});

test('a rolled-back transaction sends nothing', async () => {
  await db.query('begin');
  const { rows } = await db.query<{ request_id: string }>(
    `insert into ${schema}.events (kind, target) values ('rolled-back', $1) returning request_id`, [`${base}/rolled-back`]);
  await db.query('rollback');
  // A committed request queued after it is delivered; by then the rolled-back one would have been too.
  await db.query(`insert into ${schema}.events (kind, target) values ('marker', $1)`, [`${base}/marker`]);
  await waitFor(() => received.find((r) => r.url === '/marker'), 'the marker');
  assert.equal(received.some((r) => r.url === '/rolled-back'), false);
  const r = await db.query('select 1 from net._http_response where id = $1', [rows[0]!.request_id]);
  assert.equal(r.rowCount, 0);
});

test('an unreachable endpoint is recorded as an error row', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const { rows } = await db.query<{ request_id: string }>(
    `insert into ${schema}.events (kind, target) values ('unreachable', $1) returning request_id`, [`http://127.0.0.1:${port}/x`]);
  const row = await waitFor(async () => (await db.query('select status_code, error_msg from net._http_response where id = $1', [rows[0]!.request_id])).rows[0], 'the error row');
  assert.deepEqual(row, { status_code: null, error_msg: "Couldn't connect to server" });
});
