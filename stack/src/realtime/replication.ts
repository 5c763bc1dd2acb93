// The gateway's one logical replication stream: a TEMPORARY wal2json slot (dropped by Postgres the
// moment this connection ends, so a killed gateway never leaves WAL retained), streamed with the
// replication protocol and acknowledged as it is consumed. It feeds both postgres_changes and
// the broadcasts inserted into realtime.messages. Reconnects with backoff.
import pg from 'pg';
import { DB_PASSWORD, type Instance } from '../config.ts';
import { parseWal2json, type WalChange } from './wal.ts';

export type ReplicationState = 'starting' | 'streaming' | 'reconnecting' | 'stopped';

/** Microseconds between the Unix epoch and Postgres' epoch (2000-01-01). */
const PG_EPOCH_US = 946_684_800_000_000n;

const WAL2JSON_OPTIONS: [string, string][] = [
  ['format-version', '2'],
  ['include-timestamp', 'true'],
  ['include-type-oids', 'true'],
  ['include-pk', 'true'],
  ['include-transaction', 'false'],
  ['include-xids', 'true'],
  ['actions', 'insert,update,delete'],
];

/** The schema and table at the start of a wal2json v2 record. */
const HEAD = /"schema":"((?:[^"\\]|\\.)*)","table":"((?:[^"\\]|\\.)*)"/;

export function slotPrefix(inst: Instance): string {
  return `ascend_realtime_${inst.name.replace(/[^a-z0-9]/g, '_')}`.slice(0, 40);
}

export interface ReplicationOptions {
  inst: Instance;
  /** Whether changes of a table are of interest; others are not even parsed. */
  wants(schema: string, table: string): boolean;
  onChange(change: WalChange): void;
  log(record: Record<string, unknown>): void;
}

export class ReplicationStream {
  state: ReplicationState = 'starting';
  lastError: string | undefined;
  readonly slotName: string;
  private client: pg.Client | undefined;
  private received = 0n;
  private feedbackTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private readyWaiters: (() => void)[] = [];
  changes = 0;

  constructor(private readonly opts: ReplicationOptions) {
    this.slotName = `${slotPrefix(opts.inst)}_${process.pid}`;
  }

  start(): void {
    void this.connect();
  }

  /** Resolves when the stream is up (or after `timeoutMs`). */
  ready(timeoutMs: number): Promise<boolean> {
    if (this.state === 'streaming') return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(this.state === 'streaming'), timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  private async connect(): Promise<void> {
    if (this.state === 'stopped') return;
    const { inst, log } = this.opts;
    // `replication` is a startup parameter pg supports but does not declare in its types.
    const config: pg.ClientConfig & { replication: string } = {
      host: '127.0.0.1',
      port: inst.dbPort,
      database: 'postgres',
      user: 'supabase_admin',
      password: DB_PASSWORD,
      replication: 'database',
      application_name: 'ascend-gateway-realtime-replication',
    };
    const client = new pg.Client(config);
    this.client = client;
    client.on('error', (err) => this.fail(client, err));
    client.on('end', () => this.fail(client, new Error('replication connection ended')));
    try {
      await client.connect();
      // A slot left by an earlier process of this instance (temporary slots go with their
      // connection; this only matters if one was ever made permanent) must not pin WAL.
      await this.dropStaleSlots();
      await client.query(`CREATE_REPLICATION_SLOT ${this.slotName} TEMPORARY LOGICAL wal2json`);
      client.connection.on('copyData', (msg: { chunk: Buffer }) => this.onCopyData(client, msg.chunk));
      const options = WAL2JSON_OPTIONS.map(([k, v]) => `"${k}" '${v}'`).join(', ');
      // Resolves only when the stream ends; errors surface through `fail`.
      client.query(`START_REPLICATION SLOT ${this.slotName} LOGICAL 0/0 (${options})`).catch((e: Error) => this.fail(client, e));
      this.state = 'streaming';
      this.attempt = 0;
      this.lastError = undefined;
      this.feedbackTimer = setInterval(() => this.sendFeedback(client, false), 1000);
      log({ level: 'info', msg: 'realtime replication streaming', slot: this.slotName });
      for (const w of this.readyWaiters.splice(0)) w();
    } catch (e) {
      this.fail(client, e as Error);
    }
  }

  private async dropStaleSlots(): Promise<void> {
    const admin = new pg.Client({
      host: '127.0.0.1',
      port: this.opts.inst.dbPort,
      database: 'postgres',
      user: 'supabase_admin',
      password: DB_PASSWORD,
    });
    // Its connection may die under it like any other; that must not end the process.
    admin.on('error', () => undefined);
    try {
      await admin.connect();
      await admin.query(
        `select pg_catalog.pg_drop_replication_slot(slot_name) from pg_catalog.pg_replication_slots
          where slot_name like $1 and not active`,
        [`${slotPrefix(this.opts.inst)}\\_%`],
      );
    } catch {
      // best effort
    } finally {
      await admin.end().catch(() => undefined);
    }
  }

  private onCopyData(client: pg.Client, chunk: Buffer): void {
    if (client !== this.client) return;
    const type = chunk[0];
    if (type === 0x77 /* w */) {
      const start = chunk.readBigUInt64BE(1);
      if (start > this.received) this.received = start;
      const head = HEAD.exec(chunk.toString('utf8', 25, Math.min(chunk.length, 25 + 1024)));
      if (head && !this.opts.wants(JSON.parse(`"${head[1]}"`) as string, JSON.parse(`"${head[2]}"`) as string)) return;
      let change: WalChange | undefined;
      try {
        change = parseWal2json(chunk.toString('utf8', 25));
      } catch (e) {
        this.opts.log({ level: 'error', msg: 'realtime: unreadable wal2json record', err: (e as Error).message });
      }
      if (change) {
        this.changes++;
        try {
          this.opts.onChange(change);
        } catch (e) {
          this.opts.log({ level: 'error', msg: 'realtime: change handler failed', err: (e as Error).stack });
        }
      }
    } else if (type === 0x6b /* k */) {
      const walEnd = chunk.readBigUInt64BE(1);
      if (walEnd > this.received) this.received = walEnd;
      if (chunk[17] === 1) this.sendFeedback(client, false);
    }
  }

  /** Standby status update: everything received is flushed and applied (we hold no state). */
  private sendFeedback(client: pg.Client, reply: boolean): void {
    if (client !== this.client || this.state !== 'streaming') return;
    const buf = Buffer.alloc(34);
    buf.write('r', 0);
    const lsn = this.received;
    buf.writeBigUInt64BE(lsn, 1);
    buf.writeBigUInt64BE(lsn, 9);
    buf.writeBigUInt64BE(lsn, 17);
    buf.writeBigUInt64BE(BigInt(Date.now()) * 1000n - PG_EPOCH_US, 25);
    buf.writeUInt8(reply ? 1 : 0, 33);
    try {
      (client as unknown as { connection: { sendCopyFromChunk(b: Buffer): void } }).connection.sendCopyFromChunk(buf);
    } catch {
      // the connection is going away; `fail` handles it
    }
  }

  private fail(client: pg.Client, err: Error): void {
    if (client !== this.client) return;
    this.client = undefined;
    clearInterval(this.feedbackTimer);
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.state === 'stopped') return;
    this.state = 'reconnecting';
    this.lastError = err.message;
    this.attempt++;
    const delay = Math.min(5000, 200 * 2 ** Math.min(this.attempt, 5));
    this.opts.log({ level: 'warn', msg: 'realtime replication interrupted, reconnecting', err: err.message, retry_ms: delay });
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.retryTimer);
    clearInterval(this.feedbackTimer);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      // Ending the walsender connection drops the temporary slot.
      await Promise.race([client.end().catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
    }
  }
}
