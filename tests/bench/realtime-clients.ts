// One client process of the realtime benchmark (forked by tests/bench/realtime.ts, several at once so
// the client side is not the bottleneck): holds a share of the sockets, each joined as its own user,
// and records when each message arrives. Two kinds of socket, chosen per command:
// - `lean`: the Phoenix wire protocol (serializer 2.0.0) spoken over `ws` directly: join with the
//   user's JWT, a heartbeat every 25 s, and only what checking a delivery needs decoded (the binary
//   user-broadcast header, or the JSON array of a postgres_changes push);
// - `realtime-js`: a RealtimeClient per socket, as an application runs it (the cross-check).
// Both verify every delivery the same way (its topic, event and payload; per sender, messages in
// order and none twice) and count what fails. Times are CLOCK_MONOTONIC milliseconds
// (process.hrtime), the same clock in every process of the machine, so a latency is
// `arrival - payload.t` across processes. The event loop's delay is sampled (monitorEventLoopDelay)
// to show whether this side lags.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { RealtimeClient, type RealtimeChannel } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { z } from 'zod';
import { LATENCY_BUCKET_MS, monotonicMs } from './measure.ts';

const env = z.object({ SUPABASE_URL: z.string().url(), ANON_KEY: z.string().min(1) }).parse(process.env);

const user = z.object({ id: z.string(), token: z.string() });
const clientKind = z.enum(['lean', 'realtime-js']);
export type ClientKind = z.infer<typeof clientKind>;
const command = z.discriminatedUnion('cmd', [
  /** Joins one socket per user to `topic` and listens to its `b` broadcasts. */
  z.object({ cmd: z.literal('broadcast'), client: clientKind, topic: z.string(), users: z.array(user) }),
  /** Joins one socket per user listening to INSERTs on public.<table>; `denied` users must get none. */
  z.object({ cmd: z.literal('changes'), client: clientKind, table: z.string(), users: z.array(user.extend({ denied: z.boolean() })) }),
  z.object({ cmd: z.literal('reset') }),
  z.object({ cmd: z.literal('report') }),
  z.object({ cmd: z.literal('close') }),
]);
export type Command = z.infer<typeof command>;

/** Latencies are counted in 0.1 ms buckets up to 120 s: exact enough, and cheap to send back. */
const histogram = new Uint32Array(1_200_001);
let received = 0;
/** Deliveries that failed their check: wrong topic or event, a payload without its fields, out of order or twice. */
let invalid = 0;
let lastArrival = 0;
/** postgres_changes: [row key, arrival] per delivery to an allowed user; deliveries to denied users. */
let rowArrivals: [number, number][] = [];
let leaks = 0;
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

export interface Report {
  received: number;
  invalid: number;
  lastArrival: number;
  /** [bucket, count] of the non-empty buckets. */
  buckets: [number, number][];
  rowArrivals: [number, number][];
  leaks: number;
  /** This process's event-loop delay since the last reset, ms. */
  loop: { p50: number; p99: number; max: number };
}
export interface Joined {
  joined: number;
  failed: number;
  errors: string[];
}

/** The broadcast payload every sender sends: send time, sender number, message number of that sender. */
interface BroadcastPayload {
  t: number;
  s: number;
  i: number;
}
const isBroadcastPayload = (p: unknown): p is BroadcastPayload =>
  typeof p === 'object' && p !== null && typeof (p as BroadcastPayload).t === 'number' && Number.isInteger((p as BroadcastPayload).s) && Number.isInteger((p as BroadcastPayload).i);

/** One socket's view of the broadcast stream: the last message number seen per sender. */
class Ordering {
  private readonly last = new Map<number, number>();
  /** True when `i` is the sender's next message (later than the last one seen). */
  accept(s: number, i: number): boolean {
    const prev = this.last.get(s) ?? -1;
    this.last.set(s, i);
    return i > prev;
  }
}

function recordBroadcast(order: Ordering, payload: unknown): void {
  const now = monotonicMs();
  if (!isBroadcastPayload(payload) || !order.accept(payload.s, payload.i)) {
    invalid++;
    return;
  }
  received++;
  lastArrival = now;
  histogram[Math.min(histogram.length - 1, Math.max(0, Math.round((now - payload.t) / LATENCY_BUCKET_MS)))]!++;
}

function recordRow(denied: boolean, record: unknown): void {
  const now = monotonicMs();
  const t = (record as { t?: unknown } | null)?.t;
  if (typeof t !== 'number') invalid++;
  else if (denied) leaks++;
  else rowArrivals.push([t, now]);
}

// ---------------------------------------------------------------------------
// realtime-js sockets
// ---------------------------------------------------------------------------
const clients: RealtimeClient[] = [];

function realtimeJs(token: string): RealtimeClient {
  const rt = new RealtimeClient(`${env.SUPABASE_URL}/realtime/v1`, {
    params: { apikey: env.ANON_KEY },
    transport: WebSocket as unknown as typeof globalThis.WebSocket,
    timeout: 120_000,
  });
  void rt.setAuth(token);
  clients.push(rt);
  return rt;
}

function subscribed(channel: RealtimeChannel): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.subscribe((status, err) => {
      if (status === 'SUBSCRIBED') resolve();
      else reject(err ?? new Error(status));
    });
  });
}

// ---------------------------------------------------------------------------
// Lean sockets: the wire protocol over ws
// ---------------------------------------------------------------------------
const HEARTBEAT_MS = 25_000;
const KIND_USER_BROADCAST = 4;
const lean = new Set<WebSocket>();
const wsUrl = `${env.SUPABASE_URL.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${encodeURIComponent(env.ANON_KEY)}&vsn=2.0.0`;

interface LeanJoin {
  topic: string;
  token: string;
  postgresChanges: { event: string; schema: string; table: string }[];
  /** A text (JSON array) message that is not a reply. */
  onPush(event: string, payload: unknown): void;
  /** A binary user broadcast: its topic bytes, user event and JSON body. */
  onUserBroadcast?(topic: Buffer, event: string, body: Buffer): void;
}

/** Opens a socket, joins `topic` with the user's token and resolves once the join is acknowledged. */
function leanJoin(j: LeanJoin): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl);
    lean.add(ws);
    let ref = 0;
    let joined = false;
    const timer = setTimeout(() => fail(new Error('join timed out')), 120_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      if (!joined) reject(e);
    };
    const send = (topic: string, event: string, payload: unknown, joinRef: string | null) => ws.send(JSON.stringify([joinRef, String(++ref), topic, event, payload]));
    ws.on('open', () => {
      const config = { broadcast: { ack: false, self: false }, presence: { key: '', enabled: false }, postgres_changes: j.postgresChanges, private: false };
      send(j.topic, 'phx_join', { config, access_token: j.token }, '1');
      const beat = setInterval(() => send('phoenix', 'heartbeat', {}, null), HEARTBEAT_MS);
      ws.on('close', () => clearInterval(beat));
    });
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) {
        if (data[0] !== KIND_USER_BROADCAST || !j.onUserBroadcast) return void invalid++;
        const topicEnd = 5 + data[1]!;
        const eventEnd = topicEnd + data[2]!;
        const bodyStart = eventEnd + data[3]!;
        j.onUserBroadcast(data.subarray(5, topicEnd), data.toString('utf8', topicEnd, eventEnd), data.subarray(bodyStart));
        return;
      }
      const [, , topic, event, payload] = JSON.parse(data.toString('utf8')) as [string | null, string | null, string, string, Record<string, unknown>];
      if (event === 'phx_reply' && !joined && topic === j.topic) {
        if ((payload as { status?: string }).status !== 'ok') return fail(new Error(`join refused: ${JSON.stringify(payload)}`));
        joined = true;
        clearTimeout(timer);
        return resolve();
      }
      if (event === 'phx_reply' || event === 'system' || topic === 'phoenix') return;
      if (topic !== j.topic) return void invalid++;
      j.onPush(event, payload);
    });
    ws.on('error', (e) => fail(e));
    ws.on('close', (code, reason) => fail(new Error(`closed ${code} ${reason.toString()}`)));
  });
}

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------
/** Joins in waves of 200 so the server sees a steady stream of upgrades, not 10,000 at once. */
async function joinAll<T>(items: T[], join: (item: T) => Promise<void>): Promise<Joined> {
  const result: Joined = { joined: 0, failed: 0, errors: [] };
  for (let i = 0; i < items.length; i += 200) {
    await Promise.all(
      items.slice(i, i + 200).map((item) =>
        join(item).then(
          () => void result.joined++,
          (e: Error) => {
            result.failed++;
            if (result.errors.length < 5) result.errors.push(e.message);
          },
        ),
      ),
    );
  }
  return result;
}

function joinBroadcast(kind: ClientKind, topic: string, token: string): Promise<void> {
  const order = new Ordering();
  const full = `realtime:${topic}`;
  if (kind === 'realtime-js') {
    // realtime-js routes by topic and event itself: what reaches the callback is checked for its payload.
    return subscribed(realtimeJs(token).channel(topic).on('broadcast', { event: 'b' }, (m: { payload: unknown }) => recordBroadcast(order, m.payload)));
  }
  const topicBytes = Buffer.from(full);
  return leanJoin({
    topic: full,
    token,
    postgresChanges: [],
    onPush: () => void invalid++, // this bench only sends binary user broadcasts to 2.0.0 sockets
    onUserBroadcast(t, event, body) {
      if (!t.equals(topicBytes) || event !== 'b') return void invalid++;
      let payload: unknown;
      try {
        payload = JSON.parse(body.toString('utf8'));
      } catch {
        return void invalid++;
      }
      recordBroadcast(order, payload);
    },
  });
}

function joinChanges(kind: ClientKind, table: string, u: { id: string; token: string; denied: boolean }): Promise<void> {
  const filter = { event: 'INSERT' as const, schema: 'public', table };
  const topic = `rows-${u.id}`;
  if (kind === 'realtime-js') {
    return subscribed(realtimeJs(u.token).channel(topic).on('postgres_changes', filter, (p) => recordRow(u.denied, p.new)));
  }
  return leanJoin({
    topic: `realtime:${topic}`,
    token: u.token,
    postgresChanges: [filter],
    onPush(event, payload) {
      const data = (payload as { data?: { type?: string; schema?: string; table?: string; record?: unknown } }).data;
      if (event !== 'postgres_changes' || data?.type !== 'INSERT' || data.schema !== 'public' || data.table !== table) return void invalid++;
      recordRow(u.denied, data.record);
    },
  });
}

async function handle(msg: Command): Promise<unknown> {
  switch (msg.cmd) {
    case 'broadcast':
      return joinAll(msg.users, (u) => joinBroadcast(msg.client, msg.topic, u.token));
    case 'changes':
      return joinAll(msg.users, (u) => joinChanges(msg.client, msg.table, u));
    case 'reset':
      histogram.fill(0);
      received = 0;
      invalid = 0;
      lastArrival = 0;
      rowArrivals = [];
      leaks = 0;
      loopDelay.reset();
      return {};
    case 'report': {
      const buckets: [number, number][] = [];
      histogram.forEach((n, i) => {
        if (n) buckets.push([i, n]);
      });
      const loop = { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
      return { received, invalid, lastArrival, buckets, rowArrivals, leaks, loop } satisfies Report;
    }
    case 'close':
      await Promise.all(clients.splice(0).map((s) => s.disconnect().catch(() => undefined)));
      for (const ws of lean) ws.close(1000);
      lean.clear();
      return {};
  }
}

// Past the server's limits realtime-js reports failed rejoins as unhandled errors; they are the
// failures this process counts (joins that never succeed), not a reason to stop measuring.
let unhandled = 0;
const onUnhandled = (e: unknown) => {
  if (unhandled++ === 0) console.error(`client process ${process.pid}: ${e instanceof Error ? e.message : String(e)} (further ones not shown)`);
};
process.on('unhandledRejection', onUnhandled);
process.on('uncaughtException', onUnhandled);

process.on('message', (raw: unknown) => {
  const { id, ...rest } = raw as { id: number };
  void handle(command.parse(rest)).then(
    (result) => process.send?.({ id, result }),
    (e: Error) => process.send?.({ id, error: e.stack ?? e.message }),
  );
});
process.send?.({ ready: true });
