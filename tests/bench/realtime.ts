// Realtime benchmark, run by hand against a running instance (loopback only, bounded):
//   npm run bench -- realtime
// For each socket count of BENCH_SOCKETS (1000 = the baseline, beside 10000) and each client kind
// of BENCH_CLIENT_KINDS (`lean`: the Phoenix wire protocol over ws, cheap enough that the clients do not
// hide the gateway; `realtime-js`: as applications run it, the cross-check), BENCH_RUNS times, alternating:
//   1. connect: every socket (serializer 2.0.0, each its own user's JWT) joins one topic; time
//      until all joined, failures, gateway memory per socket;
//   2. broadcast latency p50/p95/p99 (send → arrival) for BENCH_LATENCY_SECONDS, one sender paced
//      so the gateway delivers BENCH_DELIVERY_RATE messages/s in all (20 msg/s to 1,000 sockets);
//   3. deliveries per second: a burst of ~BENCH_BURST_DELIVERIES deliveries from several senders
//      (each under its 100 msg/s limit), with latency under burst;
//   and per phase the CPU (cores, and µs per delivery) of the gateway and of the client processes,
//   the gateway's loop lag (round trip of a heartbeat every 20 ms on a socket of its own) and the
//   client processes' event-loop delay, to say which side is the bottleneck. Every delivery is
//   checked (topic, event, payload; per sender in order, none twice): missing and invalid are counted.
//   The sockets live in BENCH_CLIENT_PROCS forked processes (tests/bench/realtime-clients.ts).
// Then postgres_changes for each subscriber count of BENCH_PG_SUBSCRIBERS (1 = the baseline, beside
// 1000) and client kind: every subscriber is its own user, checked by RLS (a membership policy); 10%
// are not members and must receive nothing. Insert → delivery p50/p95/p99 at BENCH_ROW_RATE rows/s.
// BENCH_PARTS=broadcast|changes runs one part only. BENCH_RAISE=<step> then raises the socket count
// by step until joins fail or deliveries go missing (the gateway's open-file limit, `ulimit -n`, is
// the first wall), up to BENCH_RAISE_MAX. Figures and what they say: tests/bench/realtime.md.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RealtimeClient, type RealtimeChannel } from '@supabase/supabase-js';
import pg from 'pg';
import WebSocket from 'ws';
import { z } from 'zod';
import { accessToken } from '../support/tokens.ts';
import { childrenCpuSeconds, histogramPercentile, LATENCY_BUCKET_MS, monotonicMs, percentile, processCpuSeconds, processRssMb } from './measure.ts';
import type { ClientKind, Command, Joined, Report } from './realtime-clients.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const list = z.string().transform((s) => s.split(',').map((x) => z.coerce.number().int().positive().parse(x.trim())));
const env = z
  .object({
    SUPABASE_URL: z.string().url(),
    ANON_KEY: z.string().min(1),
    DB_URL: z.string().startsWith('postgresql://'),
    STACK_INSTANCE: z.string().default('dev'),
    BENCH_SOCKETS: list.default([1000, 10000]),
    BENCH_CLIENT_PROCS: z.coerce.number().int().positive().default(3),
    BENCH_LATENCY_SECONDS: z.coerce.number().positive().default(10),
    BENCH_DELIVERY_RATE: z.coerce.number().positive().default(20_000),
    BENCH_BURST_DELIVERIES: z.coerce.number().int().positive().default(1_000_000),
    BENCH_PG_SUBSCRIBERS: list.default([1, 1000]),
    BENCH_ROWS: z.coerce.number().int().positive().default(50),
    BENCH_ROW_RATE: z.coerce.number().positive().default(5),
    BENCH_RAISE: z.coerce.number().int().nonnegative().default(0),
    BENCH_RAISE_MAX: z.coerce.number().int().positive().default(40_000),
    BENCH_CLIENT_KINDS: z
      .string()
      .default('lean,realtime-js')
      .transform((s) => s.split(',').map((x) => z.enum(['lean', 'realtime-js']).parse(x.trim()))),
    BENCH_RUNS: z.coerce.number().int().positive().default(1),
    BENCH_PARTS: z
      .string()
      .default('broadcast,changes')
      .transform((s) => s.split(',').map((x) => z.enum(['broadcast', 'changes']).parse(x.trim()))),
  })
  .parse(process.env);

const DEADLINE = Date.now() + 30 * 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const check = () => {
  if (Date.now() > DEADLINE) throw new Error('benchmark exceeded its 30 minute bound');
};
const gatewayPid = Number(readFileSync(join(root, '.supabase', env.STACK_INSTANCE, 'gateway.pid'), 'utf8').trim());
const postmasterPid = Number(readFileSync(join(root, '.supabase', env.STACK_INSTANCE, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);

// ---------------------------------------------------------------------------
// Client processes
// ---------------------------------------------------------------------------
class Clients {
  private readonly procs: ChildProcess[] = [];
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  static async start(n: number): Promise<Clients> {
    const c = new Clients();
    await Promise.all(
      Array.from({ length: n }, () => {
        const child = fork(join(here, 'realtime-clients.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        c.procs.push(child);
        return new Promise<void>((resolve, reject) => {
          child.on('message', (m: { ready?: boolean; id?: number; result?: unknown; error?: string }) => {
            if (m.ready) return resolve();
            const p = c.pending.get(m.id!);
            c.pending.delete(m.id!);
            if (m.error) p?.reject(new Error(m.error));
            else p?.resolve(m.result);
          });
          child.on('exit', (code) => {
            reject(new Error(`client process exited (${code})`));
            for (const p of c.pending.values()) p.reject(new Error(`client process exited (${code})`));
          });
        });
      }),
    );
    return c;
  }

  private call<T>(i: number, cmd: Command): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.procs[i]!.send({ id, ...cmd });
    });
  }

  /** Sends each process its share of `items` (round robin). */
  async split<T, R>(items: T[], cmd: (share: T[]) => Command): Promise<R[]> {
    return Promise.all(this.procs.map((_, i) => this.call<R>(i, cmd(items.filter((_, k) => k % this.procs.length === i)))));
  }

  all<R>(cmd: Command): Promise<R[]> {
    return Promise.all(this.procs.map((_, i) => this.call<R>(i, cmd)));
  }

  cpuSeconds(): number {
    return this.procs.reduce((n, p) => n + processCpuSeconds(p.pid!), 0) + process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6;
  }

  async close(): Promise<void> {
    await Promise.race([this.all({ cmd: 'close' }), sleep(15_000)]).catch(() => undefined);
    for (const p of this.procs) p.kill();
  }
}

async function report(clients: Clients): Promise<Report> {
  const parts = await clients.all<Report>({ cmd: 'report' });
  const buckets = new Map<number, number>();
  for (const p of parts) for (const [b, n] of p.buckets) buckets.set(b, (buckets.get(b) ?? 0) + n);
  return {
    received: parts.reduce((n, p) => n + p.received, 0),
    invalid: parts.reduce((n, p) => n + p.invalid, 0),
    lastArrival: Math.max(...parts.map((p) => p.lastArrival)),
    buckets: [...buckets],
    rowArrivals: parts.flatMap((p) => p.rowArrivals),
    leaks: parts.reduce((n, p) => n + p.leaks, 0),
    // The worst client process.
    loop: { p50: Math.max(...parts.map((p) => p.loop.p50)), p99: Math.max(...parts.map((p) => p.loop.p99)), max: Math.max(...parts.map((p) => p.loop.max)) },
  };
}

/** Polls the client processes until `expected` arrived, or nothing new arrived for `quietMs`. */
async function settle(clients: Clients, expected: (r: Report) => boolean, quietMs = 10_000): Promise<Report> {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    check();
    const r = await report(clients);
    const n = r.received + r.rowArrivals.length + r.leaks;
    if (expected(r)) return r;
    if (n !== last) [last, lastChange] = [n, Date.now()];
    else if (Date.now() - lastChange > quietMs) return r;
    await sleep(250);
  }
}

/** CPU (in cores) of the gateway, Postgres and the client side over a phase, and per delivery (µs). */
function cpuMeter(clients: Clients) {
  const at = () => ({ t: monotonicMs(), gw: processCpuSeconds(gatewayPid), pg: childrenCpuSeconds(postmasterPid), cl: clients.cpuSeconds() });
  const start = at();
  return (deliveries = NaN) => {
    const end = at();
    const s = (end.t - start.t) / 1000;
    return {
      gateway: (end.gw - start.gw) / s,
      postgres: (end.pg - start.pg) / s,
      clients: (end.cl - start.cl) / s,
      gatewayUs: ((end.gw - start.gw) * 1e6) / deliveries,
      clientsUs: ((end.cl - start.cl) * 1e6) / deliveries,
    };
  };
}
type Cpu = ReturnType<ReturnType<typeof cpuMeter>>;

async function users(n: number): Promise<{ id: string; token: string }[]> {
  return Promise.all(Array.from({ length: n }, async () => {
    const id = randomUUID();
    return { id, token: await accessToken({ sub: id }) };
  }));
}

/**
 * The gateway's event loop as a client feels it: a socket of its own sends a Phoenix heartbeat every
 * 20 ms and times the reply. A round trip well over a millisecond is time the gateway's loop spent
 * on other work (e.g. one fan-out to 10,000 sockets) before it read the heartbeat.
 */
class LoopProbe {
  private readonly sentAt = new Map<string, number>();
  private rtts: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ref = 0;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) return;
      const [, ref, topic] = JSON.parse(data.toString('utf8')) as [null, string, string];
      const t = this.sentAt.get(ref);
      if (topic !== 'phoenix' || t === undefined) return;
      this.sentAt.delete(ref);
      this.rtts.push(monotonicMs() - t);
    });
    this.timer = setInterval(() => {
      const ref = String(++this.ref);
      this.sentAt.set(ref, monotonicMs());
      ws.send(JSON.stringify([null, ref, 'phoenix', 'heartbeat', {}]));
    }, 20);
  }

  static open(): Promise<LoopProbe> {
    const ws = new WebSocket(`${env.SUPABASE_URL.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${encodeURIComponent(env.ANON_KEY)}&vsn=2.0.0`);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new LoopProbe(ws)));
      ws.once('error', reject);
    });
  }

  reset(): void {
    this.rtts = [];
    this.sentAt.clear();
  }

  /** Round trips since the last reset; a heartbeat still unanswered counts with its age so far. */
  stats(): Loop {
    const now = monotonicMs();
    const all = [...this.rtts, ...[...this.sentAt.values()].map((t) => now - t)].sort((a, b) => a - b);
    return { p50: percentile(all, 50), p99: percentile(all, 99), max: all[all.length - 1] ?? NaN };
  }

  close(): void {
    clearInterval(this.timer);
    this.ws.close();
  }
}

function sender(): RealtimeClient {
  return new RealtimeClient(`${env.SUPABASE_URL}/realtime/v1`, { params: { apikey: env.ANON_KEY }, transport: WebSocket as unknown as typeof globalThis.WebSocket, timeout: 60_000 });
}
function joined(channel: RealtimeChannel): Promise<RealtimeChannel> {
  return new Promise((resolve, reject) => channel.subscribe((s, err) => (s === 'SUBSCRIBED' ? resolve(channel) : reject(err ?? new Error(s)))));
}

// ---------------------------------------------------------------------------
// Broadcast
// ---------------------------------------------------------------------------
interface Loop {
  p50: number;
  p99: number;
  max: number;
}
interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
}
interface BroadcastResult {
  client: ClientKind;
  run: number;
  sockets: number;
  joined: number;
  failed: number;
  errors: string[];
  connectS: number;
  rssMb: number;
  kbPerSocket: number;
  latency: Latency;
  latencyMissing: number;
  latencyCpu: Cpu;
  latencyInvalid: number;
  /** Heartbeat round trip to the gateway (its loop lag), and the worst client process's loop delay. */
  latencyLoop: { gateway: Loop; clients: Loop };
  /** Messages per second in the latency phase. */
  rate: number;
  burst?: { messages: number; deliveries: number; perSecond: number; latency: Latency; missing: number; invalid: number; cpu: Cpu; loop: { gateway: Loop; clients: Loop } };
}

const latencyOf = (r: Report): Latency => ({
  n: r.received,
  p50: histogramPercentile(r.buckets, 50) * LATENCY_BUCKET_MS,
  p95: histogramPercentile(r.buckets, 95) * LATENCY_BUCKET_MS,
  p99: histogramPercentile(r.buckets, 99) * LATENCY_BUCKET_MS,
});

async function broadcastRun(sockets: number, withBurst: boolean, client: ClientKind, run: number): Promise<BroadcastResult> {
  const topic = `bench-${randomUUID()}`;
  const rss0 = processRssMb(gatewayPid);
  const clients = await Clients.start(env.BENCH_CLIENT_PROCS);
  const probe = await LoopProbe.open();
  const senders: RealtimeClient[] = [];
  try {
    const people = await users(sockets);
    console.log(`\n${sockets.toLocaleString('en-US')} sockets (${client}, run ${run}): connecting from ${env.BENCH_CLIENT_PROCS} client processes ... (load average ${loadavg()[0]!.toFixed(1)})`);
    const t0 = monotonicMs();
    const joins = await clients.split<{ id: string; token: string }, Joined>(people, (share) => ({ cmd: 'broadcast', client, topic, users: share }));
    const connectS = (monotonicMs() - t0) / 1000;
    const joinedCount = joins.reduce((n, j) => n + j.joined, 0);
    const failed = joins.reduce((n, j) => n + j.failed, 0);
    const errors = [...new Set(joins.flatMap((j) => j.errors))];
    await sleep(1000);
    const rssMb = processRssMb(gatewayPid);
    console.log(`  ${joinedCount} joined, ${failed} failed in ${connectS.toFixed(1)} s; gateway RSS ${rssMb.toFixed(0)} MB${errors.length ? `; errors: ${errors.join(' | ')}` : ''}`);

    // Latency: one sender, paced.
    const one = sender();
    senders.push(one);
    const ch = await joined(one.channel(topic));
    await clients.all({ cmd: 'reset' });
    probe.reset();
    const meter = cpuMeter(clients);
    const rate = Math.min(90, env.BENCH_DELIVERY_RATE / Math.max(1, joinedCount)); // messages/s, under the 100/s limit
    const messages = Math.max(1, Math.round(rate * env.BENCH_LATENCY_SECONDS));
    const t0Send = monotonicMs();
    for (let i = 0; i < messages; i++) {
      check();
      await ch.send({ type: 'broadcast', event: 'b', payload: { t: monotonicMs(), s: 0, i } });
      await sleep(Math.max(0, t0Send + ((i + 1) * 1000) / rate - monotonicMs()));
    }
    const expected = messages * joinedCount;
    const lat = await settle(clients, (r) => r.received >= expected);
    const latencyCpu = meter(lat.received);
    const result: BroadcastResult = {
      client, run, sockets, joined: joinedCount, failed, errors, connectS, rssMb, rate,
      kbPerSocket: ((rssMb - rss0) * 1024) / Math.max(1, joinedCount),
      latency: latencyOf(lat), latencyMissing: expected - lat.received, latencyInvalid: lat.invalid, latencyCpu,
      latencyLoop: { gateway: probe.stats(), clients: lat.loop },
    };
    console.log(`  latency at ${rate.toFixed(1)} msg/s: ${fmtLat(result.latency)}, missing ${result.latencyMissing}, invalid ${lat.invalid}; ` +
      `CPU gateway ${latencyCpu.gateway.toFixed(2)}, clients ${latencyCpu.clients.toFixed(2)}; µs/delivery gateway ${f1(latencyCpu.gatewayUs)}, clients ${f1(latencyCpu.clientsUs)}; ` +
      `loop lag gateway ${fmtLoop(result.latencyLoop.gateway)}, clients ${fmtLoop(lat.loop)}; load ${loadavg()[0]!.toFixed(1)}`);

    if (withBurst) {
      // Throughput: ~BENCH_BURST_DELIVERIES deliveries, senders of at most 90 messages each.
      const messages = Math.max(1, Math.round(env.BENCH_BURST_DELIVERIES / Math.max(1, joinedCount)));
      const perSender = Math.min(90, messages);
      const chans = await Promise.all(
        Array.from({ length: Math.ceil(messages / perSender) }, async () => {
          const s = sender();
          senders.push(s);
          return joined(s.channel(topic));
        }),
      );
      await sleep(1100); // a fresh rate-limit window for every sender
      await clients.all({ cmd: 'reset' });
      probe.reset();
      const burstMeter = cpuMeter(clients);
      const start = monotonicMs();
      let sent = 0;
      for (let i = 0; i < perSender; i++) {
        for (const [s, c] of chans.entries()) {
          if (sent === messages) break;
          void c.send({ type: 'broadcast', event: 'b', payload: { t: monotonicMs(), s: s + 1, i } }); // sender 0 is the paced one
          sent++;
        }
      }
      const want = sent * joinedCount;
      // A gateway that holds its loop for the whole burst delivers late, not never: wait 30 s of quiet.
      const b = await settle(clients, (r) => r.received >= want, 30_000);
      const cpu = burstMeter(b.received);
      const seconds = (b.lastArrival - start) / 1000;
      const loop = { gateway: probe.stats(), clients: b.loop };
      result.burst = { messages: sent, deliveries: b.received, perSecond: b.received / seconds, latency: latencyOf(b), missing: want - b.received, invalid: b.invalid, cpu, loop };
      console.log(`  burst: ${sent} messages x ${joinedCount} = ${b.received} deliveries in ${seconds.toFixed(2)} s = ${Math.round(result.burst.perSecond).toLocaleString('en-US')}/s, ` +
        `${fmtLat(result.burst.latency)}, missing ${result.burst.missing}, invalid ${b.invalid}; CPU gateway ${cpu.gateway.toFixed(2)}, clients ${cpu.clients.toFixed(2)}; ` +
        `µs/delivery gateway ${f1(cpu.gatewayUs)}, clients ${f1(cpu.clientsUs)}; loop lag gateway ${fmtLoop(loop.gateway)}, clients ${fmtLoop(loop.clients)}; load ${loadavg()[0]!.toFixed(1)}`);
    }
    return result;
  } finally {
    await Promise.all(senders.map((s) => s.disconnect().catch(() => undefined)));
    probe.close();
    await clients.close();
    await sleep(2000); // let the gateway close the sockets before the next run
  }
}

// ---------------------------------------------------------------------------
// postgres_changes
// ---------------------------------------------------------------------------
interface ChangesResult {
  client: ClientKind;
  subscribers: number;
  allowed: number;
  latency: Latency;
  missing: number;
  leaks: number;
  cpu: Cpu;
  /** CPU milliseconds per inserted row (its RLS checks and deliveries): load-independent. */
  cpuMsPerRow: { gateway: number; postgres: number };
}

async function changesRun(conn: pg.Client, count: number, client: ClientKind): Promise<ChangesResult> {
  const clients = await Clients.start(Math.min(env.BENCH_CLIENT_PROCS, count));
  try {
    await conn.query('truncate public.rt_bench, public.rt_bench_member');
    const people = (await users(count)).map((u, i) => ({ ...u, denied: count > 1 && i % 10 === 9 }));
    const allowed = people.filter((u) => !u.denied);
    await conn.query('insert into public.rt_bench_member (room, user_id) select 1, unnest($1::uuid[])', [allowed.map((u) => u.id)]);
    const joins = await clients.split<(typeof people)[number], Joined>(people, (share) => ({ cmd: 'changes', client, table: 'rt_bench', users: share }));
    const failed = joins.reduce((n, j) => n + j.failed, 0);
    if (failed) throw new Error(`postgres_changes: ${failed} subscribers failed to join: ${joins.flatMap((j) => j.errors).join(' | ')}`);
    await sleep(1000);
    await clients.all({ cmd: 'reset' });
    const committed = new Map<number, number>();
    const meter = cpuMeter(clients);
    const phaseStart = monotonicMs();
    for (let key = 1; key <= env.BENCH_ROWS; key++) {
      check();
      await conn.query('insert into public.rt_bench (room, t) values (1, $1)', [key]);
      committed.set(key, monotonicMs());
      await sleep(1000 / env.BENCH_ROW_RATE);
    }
    const expected = env.BENCH_ROWS * allowed.length;
    const r = await settle(clients, (x) => x.rowArrivals.length >= expected, 15_000);
    const cpu = meter();
    const seconds = (monotonicMs() - phaseStart) / 1000;
    const cpuMsPerRow = { gateway: (cpu.gateway * seconds * 1000) / env.BENCH_ROWS, postgres: (cpu.postgres * seconds * 1000) / env.BENCH_ROWS };
    // A change can outrun the COMMIT acknowledgement to this process: count it as 0 ms.
    const lat = r.rowArrivals.map(([key, at]) => Math.max(0, at - (committed.get(key) ?? at))).sort((a, b) => a - b);
    const result: ChangesResult = {
      client, subscribers: count, allowed: allowed.length, missing: expected - r.rowArrivals.length, leaks: r.leaks, cpu, cpuMsPerRow,
      latency: { n: lat.length, p50: percentile(lat, 50), p95: percentile(lat, 95), p99: percentile(lat, 99) },
    };
    console.log(`\npostgres_changes (${client}), ${count} subscribers (${allowed.length} allowed by RLS), ${env.BENCH_ROWS} rows at ${env.BENCH_ROW_RATE}/s: ` +
      `${fmtLat(result.latency)}, missing ${result.missing}, leaked to denied ${result.leaks}, invalid ${r.invalid}; CPU gateway ${cpu.gateway.toFixed(2)}, postgres ${cpu.postgres.toFixed(2)}; ` +
      `CPU per row: gateway ${f1(cpuMsPerRow.gateway)} ms, postgres ${f1(cpuMsPerRow.postgres)} ms`);
    return result;
  } finally {
    await clients.close();
    await sleep(1000);
  }
}

async function changesBench(): Promise<ChangesResult[]> {
  const conn = new pg.Client({ connectionString: env.DB_URL });
  await conn.connect();
  try {
    await conn.query(`
      drop table if exists public.rt_bench, public.rt_bench_member;
      create table public.rt_bench_member (room int not null, user_id uuid not null, primary key (room, user_id));
      create table public.rt_bench (id bigint generated always as identity primary key, room int not null, t double precision not null);
      alter table public.rt_bench enable row level security;
      alter table public.rt_bench_member enable row level security;
      grant select on public.rt_bench, public.rt_bench_member to authenticated;
      create policy rt_bench_member_own on public.rt_bench_member for select to authenticated using (user_id = (select auth.uid()));
      create policy rt_bench_members_read on public.rt_bench for select to authenticated
        using (exists (select 1 from public.rt_bench_member m where m.room = rt_bench.room and m.user_id = (select auth.uid())));
      alter publication supabase_realtime add table public.rt_bench;`);
    // Test instances run with synchronous_commit = off, where the WAL writer flushes (and the
    // walsender can decode) only every 200 ms. Hosted Supabase commits synchronously; so does
    // this session, so that the figure measures Realtime, not the instance's durability knob.
    await conn.query('set synchronous_commit = on');
    const out: ChangesResult[] = [];
    for (const client of env.BENCH_CLIENT_KINDS) for (const n of env.BENCH_PG_SUBSCRIBERS) out.push(await changesRun(conn, n, client));
    return out;
  } finally {
    await conn.query('drop table if exists public.rt_bench, public.rt_bench_member').catch(() => undefined);
    await conn.end();
  }
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const fmtLoop = (l: Loop) => `p50 ${f1(l.p50)} / p99 ${f1(l.p99)} / max ${f1(l.max)} ms`;
const fmtLat = (l: Latency) => `p50 ${f1(l.p50)} / p95 ${f1(l.p95)} / p99 ${f1(l.p99)} ms (n=${l.n})`;
const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');

function table(title: string, header: string[], rows: [string, ...string[]][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of rows) console.log(line(r));
}

const started = monotonicMs();
const openFiles = /Max open files\s+(\d+)/.exec(readFileSync(`/proc/${gatewayPid}/limits`, 'utf8'))?.[1] ?? '?';
console.log(`machine: ${cpus().length} cores (shared with other work, load average ${loadavg()[0]!.toFixed(1)}); gateway open-file limit (ulimit -n) ${openFiles}, ` +
  `ephemeral ports ${readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().replace(/\s+/, '-')}`);
// Runs alternate: run 1 of every size and client kind, then run 2 of each, ...
const broadcast: BroadcastResult[] = [];
if (env.BENCH_PARTS.includes('broadcast')) {
  for (let run = 1; run <= env.BENCH_RUNS; run++) for (const n of env.BENCH_SOCKETS) for (const client of env.BENCH_CLIENT_KINDS) broadcast.push(await broadcastRun(n, true, client, run));
}
const changes = env.BENCH_PARTS.includes('changes') ? await changesBench() : [];

const median = (xs: number[]) => percentile([...xs].filter(Number.isFinite).sort((a, b) => a - b), 50);
table(`broadcast, medians of ${env.BENCH_RUNS} run(s)`, ['', 'connect', 'paced p50 / p95 / p99', 'burst deliveries/s', 'µs/delivery gw / clients (paced; burst)', 'gw loop lag p99 / max (paced; burst)', 'clients loop p99 (paced; burst)', 'missing / invalid'],
  env.BENCH_SOCKETS.flatMap((n) => env.BENCH_CLIENT_KINDS.map((client): [string, ...string[]] => {
    const rs = broadcast.filter((b) => b.sockets === n && b.client === client);
    const m = (f: (b: BroadcastResult) => number) => median(rs.map(f));
    return [`${int(n)} ${client}`, `${f1(m((b) => b.connectS))} s`,
      `${f1(m((b) => b.latency.p50))} / ${f1(m((b) => b.latency.p95))} / ${f1(m((b) => b.latency.p99))} ms`,
      int(m((b) => b.burst?.perSecond ?? NaN)),
      `${f1(m((b) => b.latencyCpu.gatewayUs))} / ${f1(m((b) => b.latencyCpu.clientsUs))}; ${f1(m((b) => b.burst?.cpu.gatewayUs ?? NaN))} / ${f1(m((b) => b.burst?.cpu.clientsUs ?? NaN))}`,
      `${f1(m((b) => b.latencyLoop.gateway.p99))} / ${f1(m((b) => b.latencyLoop.gateway.max))}; ${f1(m((b) => b.burst?.loop.gateway.p99 ?? NaN))} / ${f1(m((b) => b.burst?.loop.gateway.max ?? NaN))} ms`,
      `${f1(m((b) => b.latencyLoop.clients.p99))}; ${f1(m((b) => b.burst?.loop.clients.p99 ?? NaN))} ms`,
      `${rs.reduce((k, b) => k + b.latencyMissing + (b.burst?.missing ?? 0), 0)} / ${rs.reduce((k, b) => k + b.latencyInvalid + (b.burst?.invalid ?? 0), 0)}`];
  })));
table('broadcast, every run (one topic; latency = send → arrival in a client process)', ['', ...broadcast.map((b) => `${int(b.sockets)} ${b.client} #${b.run}`)], [
  ['joined / failed', ...broadcast.map((b) => `${b.joined} / ${b.failed}`)],
  ['connect (all joined)', ...broadcast.map((b) => `${b.connectS.toFixed(1)} s`)],
  ['gateway RSS', ...broadcast.map((b) => `${int(b.rssMb)} MB`)],
  ['gateway memory per socket', ...broadcast.map((b) => `${f1(b.kbPerSocket)} KB`)],
  ['latency phase: msg/s x sockets', ...broadcast.map((b) => `${f1(b.rate)} x ${int(b.joined)}`)],
  ['latency p50', ...broadcast.map((b) => `${f1(b.latency.p50)} ms`)],
  ['latency p95', ...broadcast.map((b) => `${f1(b.latency.p95)} ms`)],
  ['latency p99', ...broadcast.map((b) => `${f1(b.latency.p99)} ms`)],
  ['missing / invalid deliveries', ...broadcast.map((b) => `${int(b.latencyMissing)} / ${int(b.latencyInvalid)}`)],
  ['gateway loop lag (heartbeat RTT) p99 / max', ...broadcast.map((b) => `${f1(b.latencyLoop.gateway.p99)} / ${f1(b.latencyLoop.gateway.max)} ms`)],
  ['client loop delay p99 / max (worst process)', ...broadcast.map((b) => `${f1(b.latencyLoop.clients.p99)} / ${f1(b.latencyLoop.clients.max)} ms`)],
  ['CPU gateway / clients (cores)', ...broadcast.map((b) => `${b.latencyCpu.gateway.toFixed(2)} / ${b.latencyCpu.clients.toFixed(2)}`)],
  ['CPU µs per delivery, gateway / clients', ...broadcast.map((b) => `${f1(b.latencyCpu.gatewayUs)} / ${f1(b.latencyCpu.clientsUs)}`)],
  ['burst: messages', ...broadcast.map((b) => int(b.burst?.messages ?? NaN))],
  ['burst: deliveries/s', ...broadcast.map((b) => int(b.burst?.perSecond ?? NaN))],
  ['burst: latency p50 / p99', ...broadcast.map((b) => `${f1(b.burst?.latency.p50 ?? NaN)} / ${f1(b.burst?.latency.p99 ?? NaN)} ms`)],
  ['burst: missing / invalid', ...broadcast.map((b) => `${int(b.burst?.missing ?? NaN)} / ${int(b.burst?.invalid ?? NaN)}`)],
  ['burst: gateway loop lag p99 / max', ...broadcast.map((b) => `${f1(b.burst?.loop.gateway.p99 ?? NaN)} / ${f1(b.burst?.loop.gateway.max ?? NaN)} ms`)],
  ['burst: client loop delay p99 / max', ...broadcast.map((b) => `${f1(b.burst?.loop.clients.p99 ?? NaN)} / ${f1(b.burst?.loop.clients.max ?? NaN)} ms`)],
  ['burst: CPU gateway / clients', ...broadcast.map((b) => `${(b.burst?.cpu.gateway ?? NaN).toFixed(2)} / ${(b.burst?.cpu.clients ?? NaN).toFixed(2)}`)],
  ['burst: CPU µs per delivery, gateway / clients', ...broadcast.map((b) => `${f1(b.burst?.cpu.gatewayUs ?? NaN)} / ${f1(b.burst?.cpu.clientsUs ?? NaN)}`)],
]);
table(`postgres_changes (INSERT → delivery, ${env.BENCH_ROWS} rows at ${env.BENCH_ROW_RATE}/s, RLS membership policy, 10% denied)`, ['', ...changes.map((c) => `${int(c.subscribers)} ${c.client}`)], [
  ['allowed subscribers', ...changes.map((c) => int(c.allowed))],
  ['latency p50', ...changes.map((c) => `${f1(c.latency.p50)} ms`)],
  ['latency p95', ...changes.map((c) => `${f1(c.latency.p95)} ms`)],
  ['latency p99', ...changes.map((c) => `${f1(c.latency.p99)} ms`)],
  ['missing / leaked to denied', ...changes.map((c) => `${c.missing} / ${c.leaks}`)],
  ['CPU gateway / postgres (cores)', ...changes.map((c) => `${c.cpu.gateway.toFixed(2)} / ${c.cpu.postgres.toFixed(2)}`)],
  ['CPU ms per row, gateway / postgres', ...changes.map((c) => `${f1(c.cpuMsPerRow.gateway)} / ${f1(c.cpuMsPerRow.postgres)}`)],
]);

if (env.BENCH_RAISE > 0) {
  // Where it breaks: more sockets until joins fail or deliveries go missing.
  let n = Math.max(...env.BENCH_SOCKETS) + env.BENCH_RAISE;
  for (; n <= env.BENCH_RAISE_MAX; n += env.BENCH_RAISE) {
    const r = await broadcastRun(n, false, env.BENCH_CLIENT_KINDS[0]!, 1);
    if (r.failed > 0 || r.latencyMissing > 0) {
      console.log(`\nbreaks at ${int(n)} sockets: ${r.failed} joins failed, ${r.latencyMissing} deliveries missing (${r.errors.join(' | ') || 'no error text'})`);
      break;
    }
  }
  if (n > env.BENCH_RAISE_MAX) console.log(`\nno failure up to ${int(env.BENCH_RAISE_MAX)} sockets`);
}
console.log(`\nload average at the end ${loadavg()[0]!.toFixed(1)}; benchmark took ${((monotonicMs() - started) / 1000).toFixed(1)} s`);
process.exit(0);
