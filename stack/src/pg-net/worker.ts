// The local pg_net background worker: what pg_net's C worker does on hosted Supabase, for the
// SQL emulation in stack/sql/extensions/pg_net--0.19.5.sql (see its header for the contract).
//
//   * one connection with application_name 'pg_net_worker' (net.check_worker_is_up() looks for it)
//     that LISTENs on channel `pg_net`: 'wake' drains the queue, 'restart' reconnects;
//   * a batch is taken with `delete from net.http_request_queue ... returning` (pg_net.batch_size,
//     default 200), performed concurrently with each request's timeout, and every outcome is
//     written to net._http_response (id = request id);
//   * responses older than pg_net.ttl (default 6 hours) are purged;
//   * a poll every second catches rows queued while it was disconnected; a missing `net` schema
//     (pg_net not created yet, a reset in progress) means "nothing to do", and a lost connection
//     (database restarted or dropped) is retried with backoff.
import { perform, type Fetch, type QueuedRequest, type ResponseRow } from './http.ts';

type Log = (record: Record<string, unknown>) => void;

/** The part of pg.Client the worker uses (a fake in unit tests). */
export interface Conn {
  connect(): Promise<unknown>;
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
  on(event: 'notification', cb: (n: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error', cb: (e: Error) => void): unknown;
  on(event: 'end', cb: () => void): unknown;
  removeAllListeners(): unknown;
}

export interface WorkerOptions {
  /** A new, unconnected client with application_name 'pg_net_worker'. */
  connect: () => Conn;
  log: Log;
  fetch?: Fetch;
  /** Fallback poll of the queue (ms). */
  pollMs?: number;
  /** How often responses past their TTL are purged (ms). */
  purgeEveryMs?: number;
  /** Longest wait between reconnection attempts (ms). */
  maxRetryMs?: number;
}

export const APPLICATION_NAME = 'pg_net_worker';

/** SQLSTATEs meaning pg_net is not installed (yet): undefined schema, table or function. */
const NOT_INSTALLED = new Set(['3F000', '42P01', '42883']);

export const TAKE_BATCH_SQL = `
  delete from net.http_request_queue q
  where q.id in (
    select r.id from net.http_request_queue r
    order by r.id
    limit coalesce(nullif(current_setting('pg_net.batch_size', true), '')::integer, 200)
    for update skip locked
  )
  returning q.id::text as id, q.method::text as method, q.url, q.headers, q.body, q.timeout_milliseconds`;

export const INSERT_RESPONSE_SQL = `
  insert into net._http_response (id, status_code, content_type, headers, content, timed_out, error_msg)
  values ($1::bigint, $2, $3, $4::jsonb, $5, $6, $7)`;

export const PURGE_SQL = `
  delete from net._http_response
  where created < now() - coalesce(nullif(current_setting('pg_net.ttl', true), '')::interval, interval '6 hours')`;

export class PgNetWorker {
  private client: Conn | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private retryDelay = 100;
  private draining: Promise<void> | undefined;
  private drainAgain = false;
  private lastPurge = 0;
  private notInstalledLogged = false;
  private readonly fetch: Fetch;
  private readonly pollMs: number;
  private readonly purgeEveryMs: number;
  private readonly maxRetryMs: number;
  /** Why the worker is not connected, when it is not. */
  lastError: string | undefined = 'not started';
  /** Requests performed since start (for tests and logs). */
  delivered = 0;

  constructor(private readonly opts: WorkerOptions) {
    this.fetch = opts.fetch ?? fetch;
    this.pollMs = opts.pollMs ?? 1000;
    this.purgeEveryMs = opts.purgeEveryMs ?? 60_000;
    this.maxRetryMs = opts.maxRetryMs ?? 5000;
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  async start(): Promise<void> {
    await this.listen();
    this.pollTimer = setInterval(() => this.wake(), this.pollMs);
    this.pollTimer.unref();
  }

  /** Drains the queue; calls during a drain queue exactly one more pass. */
  wake(): Promise<void> {
    if (!this.client || this.closed) return Promise.resolve();
    if (this.draining) {
      this.drainAgain = true;
      return this.draining;
    }
    this.draining = (async () => {
      try {
        do {
          this.drainAgain = false;
          await this.drainOnce();
          await this.maybePurge();
        } while (this.drainAgain && this.client && !this.closed);
      } catch (e) {
        this.opts.log({ level: 'warn', msg: 'pg_net worker: drain failed', err: (e as Error).message });
      } finally {
        this.draining = undefined;
      }
    })();
    return this.draining;
  }

  /** Takes batches until the queue is empty, performing each batch's requests concurrently. */
  private async drainOnce(): Promise<void> {
    for (;;) {
      const client = this.client;
      if (!client) return;
      const batch = await this.installed(() => client.query<QueuedRequest>(TAKE_BATCH_SQL));
      if (!batch || batch.rows.length === 0) return;
      const results = await Promise.all(batch.rows.map((r) => perform(r, this.fetch)));
      for (const row of results) await this.record(client, row);
      this.delivered += results.length;
      this.opts.log({ level: 'info', msg: 'pg_net worker: requests performed', count: results.length });
    }
  }

  private async record(client: Conn, r: ResponseRow): Promise<void> {
    await client.query(INSERT_RESPONSE_SQL, [
      r.id, r.status_code, r.content_type, r.headers === null ? null : JSON.stringify(r.headers), r.content, r.timed_out, r.error_msg,
    ]);
  }

  private async maybePurge(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPurge < this.purgeEveryMs || !this.client) return;
    this.lastPurge = now;
    const client = this.client;
    await this.installed(() => client.query(PURGE_SQL));
  }

  /** Runs a statement on pg_net's tables; undefined when pg_net is not installed. */
  private async installed<T>(run: () => Promise<T>): Promise<T | undefined> {
    try {
      const r = await run();
      this.notInstalledLogged = false;
      return r;
    } catch (e) {
      if (NOT_INSTALLED.has((e as { code?: string }).code ?? '')) {
        if (!this.notInstalledLogged) this.opts.log({ level: 'info', msg: 'pg_net worker: schema net absent, waiting for create extension pg_net' });
        this.notInstalledLogged = true;
        return undefined;
      }
      throw e;
    }
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = this.opts.connect();
    const lost = (why: string) => {
      if (this.client !== client) return;
      this.client = undefined;
      this.lastError = why;
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end().catch(() => undefined);
      this.opts.log({ level: 'warn', msg: 'pg_net worker: connection lost', err: why });
      this.scheduleListen();
    };
    client.on('error', (e) => lost(e.message));
    client.on('end', () => lost('connection ended'));
    client.on('notification', (n) => {
      if (n.channel !== 'pg_net') return;
      if ((n.payload ?? '').trim() === 'restart') lost('restart requested (net.worker_restart())');
      else void this.wake();
    });
    try {
      await client.connect();
      await client.query('listen pg_net');
      if (this.closed) {
        client.removeAllListeners();
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.lastError = undefined;
      this.retryDelay = 100;
      // Whatever was queued while nobody listened.
      void this.wake();
    } catch (e) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      this.lastError = (e as Error).message;
      this.scheduleListen();
    }
  }

  private scheduleListen(): void {
    if (this.closed || this.retryTimer) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, this.maxRetryMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.listen();
    }, delay);
    this.retryTimer.unref();
  }

  health(): true | string {
    return this.client ? true : `pg_net worker not connected: ${this.lastError ?? 'connecting'}`;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    await this.draining?.catch(() => undefined);
    const c = this.client;
    this.client = undefined;
    if (c) {
      c.removeAllListeners();
      c.on('error', () => undefined);
      await c.end().catch(() => undefined);
    }
  }
}
