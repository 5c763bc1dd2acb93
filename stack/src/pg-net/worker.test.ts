import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'vitest';
import type { QueuedRequest } from './http.ts';
import { INSERT_RESPONSE_SQL, PgNetWorker, PURGE_SQL, TAKE_BATCH_SQL, type Conn } from './worker.ts';

/** A database with pg_net's two tables, seen through fake connections. */
class FakeDb {
  installed = true;
  up = true;
  queue: QueuedRequest[] = [];
  responses: unknown[][] = [];
  purges = 0;
  conns: FakeConn[] = [];
  connect = (): Conn => {
    const c = new FakeConn(this);
    this.conns.push(c);
    return c as unknown as Conn;
  };
  add(id: number): void {
    this.queue.push({ id: String(id), method: 'POST', url: `http://hook/${id}`, headers: {}, body: Buffer.from('{}'), timeout_milliseconds: 100 });
  }
  notify(payload = 'wake'): void {
    for (const c of this.conns) if (c.listening && !c.ended) c.emit('notification', { channel: 'pg_net', payload });
  }
}

class FakeConn extends EventEmitter {
  listening = false;
  ended = false;
  constructor(private readonly db: FakeDb) {
    super();
  }
  async connect(): Promise<void> {
    if (!this.db.up) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  }
  async query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> {
    if (this.ended || !this.db.up) throw new Error('Connection terminated');
    if (text === 'listen pg_net') {
      this.listening = true;
      return { rows: [] };
    }
    if (!this.db.installed) throw Object.assign(new Error('relation "net.http_request_queue" does not exist'), { code: '42P01' });
    if (text === TAKE_BATCH_SQL) return { rows: this.db.queue.splice(0, 200) };
    if (text === INSERT_RESPONSE_SQL) {
      this.db.responses.push(values ?? []);
      return { rows: [] };
    }
    if (text === PURGE_SQL) {
      this.db.purges++;
      return { rows: [] };
    }
    throw new Error(`unexpected SQL ${text}`);
  }
  async end(): Promise<void> {
    this.ended = true;
  }
  /** The server going away under an open connection. */
  drop(): void {
    this.ended = true;
    this.emit('end');
  }
}

const okFetch = async () => new Response('ok', { status: 200, headers: { 'content-type': 'text/plain' } });
const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};
const worker = (db: FakeDb, over: Partial<ConstructorParameters<typeof PgNetWorker>[0]> = {}) =>
  new PgNetWorker({ connect: db.connect, log: () => undefined, fetch: okFetch, pollMs: 60_000, maxRetryMs: 20, ...over });

test('pg_net worker: drains what was queued before it started and what a NOTIFY announces', async () => {
  const db = new FakeDb();
  db.add(1);
  const w = worker(db);
  await w.start();
  await until(() => db.responses.length === 1);
  assert.deepEqual(db.responses[0], ['1', 200, 'text/plain', JSON.stringify({ 'content-type': 'text/plain' }), 'ok', false, null]);
  db.add(2);
  db.add(3);
  db.notify();
  await until(() => db.responses.length === 3);
  assert.equal(db.queue.length, 0);
  assert.equal(db.purges, 1, 'responses past the TTL are purged, at most once a minute');
  assert.equal(w.health(), true);
  await w.close();
});

test('pg_net worker: a failed request is recorded as an error row, not retried', async () => {
  const db = new FakeDb();
  db.add(9);
  const w = worker(db, { fetch: async () => { throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }); } });
  await w.start();
  await until(() => db.responses.length === 1);
  assert.deepEqual(db.responses[0], ['9', null, null, null, null, false, "Couldn't connect to server"]);
  await w.close();
});

test('pg_net worker: without the net schema it waits, then delivers once pg_net exists', async () => {
  const db = new FakeDb();
  db.installed = false;
  const w = worker(db);
  await w.start();
  await w.wake();
  assert.equal(w.health(), true, 'connected and listening even before create extension pg_net');
  db.installed = true;
  db.add(4);
  db.notify();
  await until(() => db.responses.length === 1);
  await w.close();
});

test('pg_net worker: reconnects after the database restarts, and on net.worker_restart()', async () => {
  const db = new FakeDb();
  const w = worker(db);
  await w.start();
  db.up = false;
  db.conns[0]!.drop();
  assert.match(String(w.health()), /not connected: connection ended/);
  await new Promise((r) => setTimeout(r, 50));
  db.up = true;
  db.add(5);
  await until(() => db.responses.length === 1);
  assert.equal(w.health(), true);
  const before = db.conns.length;
  db.notify('restart');
  await until(() => db.conns.length > before && w.connected);
  db.add(6);
  db.notify();
  await until(() => db.responses.length === 2);
  await w.close();
  assert.ok(db.conns.every((c) => c.ended), 'close ends every connection');
});
