// One client process of the realtime benchmark (forked by tests/bench/realtime.ts, several at once so
// the client side is not the bottleneck): holds a share of the sockets, each a realtime-js
// RealtimeClient (serializer 2.0.0, `ws` transport) joined as its own user, and records when each
// message arrives. Times are CLOCK_MONOTONIC milliseconds (process.hrtime), the same clock in every
// process of the machine, so a latency is `arrival - payload.t` across processes.
import { RealtimeClient, type RealtimeChannel } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { z } from 'zod';
import { LATENCY_BUCKET_MS, monotonicMs } from './measure.ts';

const env = z.object({ SUPABASE_URL: z.string().url(), ANON_KEY: z.string().min(1) }).parse(process.env);

const user = z.object({ id: z.string(), token: z.string() });
const command = z.discriminatedUnion('cmd', [
  /** Joins one socket per user to `topic` and listens to its `b` broadcasts. */
  z.object({ cmd: z.literal('broadcast'), topic: z.string(), users: z.array(user) }),
  /** Joins one socket per user listening to INSERTs on public.<table>; `denied` users must get none. */
  z.object({ cmd: z.literal('changes'), table: z.string(), users: z.array(user.extend({ denied: z.boolean() })) }),
  z.object({ cmd: z.literal('reset') }),
  z.object({ cmd: z.literal('report') }),
  z.object({ cmd: z.literal('close') }),
]);
export type Command = z.infer<typeof command>;

/** Latencies are counted in 0.1 ms buckets up to 120 s: exact enough, and cheap to send back. */
const histogram = new Uint32Array(1_200_001);
let received = 0;
let lastArrival = 0;
/** postgres_changes: [row key, arrival] per delivery to an allowed user; deliveries to denied users. */
let rowArrivals: [number, number][] = [];
let leaks = 0;

export interface Report {
  received: number;
  lastArrival: number;
  /** [bucket, count] of the non-empty buckets. */
  buckets: [number, number][];
  rowArrivals: [number, number][];
  leaks: number;
}
export interface Joined {
  joined: number;
  failed: number;
  errors: string[];
}

const sockets: RealtimeClient[] = [];

function record(t: number): void {
  const now = monotonicMs();
  received++;
  lastArrival = now;
  histogram[Math.min(histogram.length - 1, Math.max(0, Math.round((now - t) / LATENCY_BUCKET_MS)))]!++;
}

function socket(token: string): RealtimeClient {
  const rt = new RealtimeClient(`${env.SUPABASE_URL}/realtime/v1`, {
    params: { apikey: env.ANON_KEY },
    transport: WebSocket as unknown as typeof globalThis.WebSocket,
    timeout: 120_000,
  });
  void rt.setAuth(token);
  sockets.push(rt);
  return rt;
}

function joined(channel: RealtimeChannel): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.subscribe((status, err) => {
      if (status === 'SUBSCRIBED') resolve();
      else reject(err ?? new Error(status));
    });
  });
}

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

async function handle(msg: Command): Promise<unknown> {
  switch (msg.cmd) {
    case 'broadcast':
      return joinAll(msg.users, (u) =>
        joined(
          socket(u.token)
            .channel(msg.topic)
            .on('broadcast', { event: 'b' }, (m: { payload: { t: number } }) => record(m.payload.t)),
        ),
      );
    case 'changes':
      return joinAll(msg.users, (u) =>
        joined(
          socket(u.token)
            .channel(`rows-${u.id}`)
            .on('postgres_changes', { event: 'INSERT', schema: 'public', table: msg.table }, (p) => {
              if (u.denied) leaks++;
              else rowArrivals.push([(p.new as { t: number }).t, monotonicMs()]);
            }),
        ),
      );
    case 'reset':
      histogram.fill(0);
      received = 0;
      lastArrival = 0;
      rowArrivals = [];
      leaks = 0;
      return {};
    case 'report': {
      const buckets: [number, number][] = [];
      histogram.forEach((n, i) => {
        if (n) buckets.push([i, n]);
      });
      return { received, lastArrival, buckets, rowArrivals, leaks } satisfies Report;
    }
    case 'close':
      await Promise.all(sockets.splice(0).map((s) => s.disconnect().catch(() => undefined)));
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
