// Realtime benchmark, run by hand against a running instance (loopback only, bounded):
//   npm run bench -- realtime
// Prints, in one run:
//   1. broadcast end-to-end latency p50/p95/p99 with 1,000 subscribed sockets on one topic
//      (supabase-js clients, serializer 2.0.0, in this process: client decode time included);
//   2. deliveries per second (a burst from several senders, each under the 100 msg/s limit);
//   3. latency from a committed INSERT to a postgres_changes subscriber (table with RLS, so the
//      per-subscriber RLS check is included).
// Knobs: BENCH_SOCKETS (1000), BENCH_MESSAGES (200), BENCH_ROWS (200).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { asUser, client, closeClients, db, newUser, sleep, subscribe, waitFor } from '../realtime/support.ts';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200);
const ROWS = Number(process.env.BENCH_ROWS ?? 200);
const DEADLINE = Date.now() + 10 * 60_000;

function percentiles(samples: number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
  return { n: s.length, p50: at(50), p95: at(95), p99: at(99), max: s[s.length - 1] ?? NaN };
}
const ms = (x: number) => `${x.toFixed(2)} ms`;
const check = () => {
  if (Date.now() > DEADLINE) throw new Error('benchmark exceeded its 10 minute bound');
};

async function broadcastBench(): Promise<void> {
  const topic = `bench-${randomUUID()}`;
  const latencies: number[] = [];
  let received = 0;
  const onMessage = (m: { payload: { t: number } }) => {
    received++;
    latencies.push(performance.now() - m.payload.t);
  };

  console.log(`connecting ${SOCKETS} sockets to one topic ...`);
  const t0 = performance.now();
  const subscribers: RealtimeChannel[] = [];
  for (let i = 0; i < SOCKETS; i += 100) {
    check();
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, SOCKETS - i) }, async () => {
        const c: SupabaseClient = client(await newUser());
        return subscribe(c.channel(topic).on('broadcast', { event: 'b' }, onMessage as never), 60_000);
      }),
    );
    subscribers.push(...batch);
  }
  console.log(`  ${subscribers.length} sockets joined in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const sender = client(await newUser()).channel(topic);
  await subscribe(sender);

  // 1. Latency: paced at 50 messages/s (half the per-client limit) so queues stay short.
  for (let i = 0; i < MESSAGES; i++) {
    check();
    await sender.send({ type: 'broadcast', event: 'b', payload: { t: performance.now(), i } });
    await sleep(20);
  }
  await waitFor(() => received >= MESSAGES * SOCKETS || undefined, 30_000, 'all deliveries').catch(() => undefined);
  const lat = percentiles(latencies);
  console.log(`\nbroadcast latency, ${SOCKETS} subscribers, ${MESSAGES} messages at 50/s (${lat.n} deliveries):`);
  console.log(`  p50 ${ms(lat.p50)}   p95 ${ms(lat.p95)}   p99 ${ms(lat.p99)}   max ${ms(lat.max)}`);
  if (lat.n < MESSAGES * SOCKETS) console.log(`  (missing deliveries: ${MESSAGES * SOCKETS - lat.n})`);

  // 2. Throughput: 5 senders burst 90 messages each (each under its 100/s limit).
  latencies.length = 0;
  received = 0;
  const senders = await Promise.all(Array.from({ length: 5 }, async () => subscribe(client(await newUser()).channel(topic))));
  await sleep(1100); // a fresh rate-limit window for everyone
  const burst = 90 * senders.length;
  const start = performance.now();
  for (let i = 0; i < 90; i++) for (const s of senders) void s.send({ type: 'broadcast', event: 'b', payload: { t: performance.now(), i } });
  await waitFor(() => received >= burst * SOCKETS || undefined, 60_000, 'burst deliveries').catch(() => undefined);
  const elapsed = (performance.now() - start) / 1000;
  const burstLat = percentiles(latencies);
  console.log(`\ndeliveries per second: ${burst} messages x ${SOCKETS} subscribers = ${received} deliveries in ${elapsed.toFixed(2)} s`);
  console.log(`  ${Math.round(received / elapsed).toLocaleString('en-US')} deliveries/s  (latency under burst: p50 ${ms(burstLat.p50)}, p99 ${ms(burstLat.p99)})`);
}

async function postgresChangesBench(): Promise<void> {
  const conn = await db();
  try {
    await conn.query(`
      create table if not exists public.rt_bench (id bigint generated always as identity primary key, owner uuid not null, t double precision not null);
      alter table public.rt_bench enable row level security;
      grant select, insert on public.rt_bench to authenticated;
      drop policy if exists rt_bench_select_own on public.rt_bench;
      create policy rt_bench_select_own on public.rt_bench for select to authenticated using (owner = (select auth.uid()));
      drop policy if exists rt_bench_insert_own on public.rt_bench;
      create policy rt_bench_insert_own on public.rt_bench for insert to authenticated with check (owner = (select auth.uid()));
      do $$ begin
        if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and tablename = 'rt_bench') then
          alter publication supabase_realtime add table public.rt_bench;
        end if;
      end $$;`);
    // Test instances run with synchronous_commit = off, where the WAL writer flushes (and the
    // walsender can decode) only every 200 ms. Hosted Supabase commits synchronously; so does
    // this session, so that the figure measures Realtime, not the instance's durability knob.
    await conn.query('set synchronous_commit = on');
    const user = await newUser();
    const latencies: number[] = [];
    /** Row key → when its COMMIT was acknowledged (null: not yet). */
    const committed = new Map<number, number | null>();
    const ch = client(user)
      .channel(`bench-rows-${randomUUID()}`)
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_bench' }, (p) => {
        const key = Math.round((p.new as { t: number }).t);
        if (!committed.has(key)) return;
        const t = committed.get(key);
        // A change can outrun the COMMIT acknowledgement to this process: count it as 0 ms.
        latencies.push(t === null || t === undefined ? 0 : performance.now() - t);
      });
    await subscribe(ch);
    for (let i = 0; i < ROWS; i++) {
      check();
      const key = i + 1;
      // Timed from the moment the INSERT's COMMIT is acknowledged to this process.
      committed.set(key, null);
      await asUser(conn, user, 'insert into public.rt_bench (owner, t) values ($1, $2)', [user.id, key]);
      committed.set(key, performance.now());
      await sleep(20);
    }
    await waitFor(() => latencies.length >= ROWS || undefined, 10_000, 'row deliveries').catch(() => undefined);
    const p = percentiles(latencies);
    console.log(`\npostgres_changes: committed INSERT -> subscriber (RLS checked), ${p.n}/${ROWS} rows at 50/s:`);
    console.log(`  p50 ${ms(p.p50)}   p95 ${ms(p.p95)}   p99 ${ms(p.p99)}   max ${ms(p.max)}`);
  } finally {
    await conn.query('drop table if exists public.rt_bench').catch(() => undefined);
    await conn.end();
  }
}

const started = performance.now();
try {
  await broadcastBench();
  await closeClients();
  await postgresChangesBench();
} finally {
  await closeClients();
  console.log(`\nbenchmark took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
process.exit(0);
