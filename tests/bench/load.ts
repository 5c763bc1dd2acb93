// Mixed-load benchmark, run by hand against a running instance (loopback only, bounded):
//   npm run bench -- load                        (100 simulated learners)
//   BENCH_LEARNERS=1000 npm run bench -- load    (N is chosen with BENCH_LEARNERS)
// N learners act as learners do, each on its own supabase-js client with the private
// `leaderboards` realtime channel subscribed: sign in (password grant, each learner from its own
// loopback address as separate people are, so the per-address auth limit applies per learner),
// then in cycles: start a 10-question quiz, save every answer, submit, read the dashboard (the
// app's five calls) and the weekly XP leaderboard, think, and again. A cycle lasts at least
// BENCH_CYCLE_MS (6,500: submit_quiz allows 10 a minute per learner). Prints requests/s and
// p50/p95/p99 per endpoint, errors (must be 0), realtime messages received, and the CPU the
// server used (Postgres and the gateway, from /proc) over the measured window.
// The learners are the generated population of tests/bench/learning/generate.sql (grown to N
// here when smaller; the live leaderboards are rebuilt after, as the generator bypasses triggers).
// Knobs: BENCH_LEARNERS (100), BENCH_SECONDS (60), BENCH_CYCLE_MS (6500), BENCH_RAMP_MS (10000).
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { z } from 'zod';
import { testClient } from '../support/client.ts';
import { percentile } from './measure.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const env = z.object({
  SUPABASE_URL: z.string().url(),
  ANON_KEY: z.string().min(1),
  STACK_DB_PORT: z.string().default('54322'),
  STACK_INSTANCE: z.string().default('dev'),
  BENCH_LEARNERS: z.coerce.number().int().positive().default(100),
  BENCH_SECONDS: z.coerce.number().positive().default(60),
  BENCH_CYCLE_MS: z.coerce.number().positive().default(6500),
  BENCH_RAMP_MS: z.coerce.number().nonnegative().default(10_000),
}).parse(process.env);
const DB_URL = `postgresql://postgres:postgres@127.0.0.1:${env.STACK_DB_PORT}/postgres`;
const ADMIN_URL = `postgresql://supabase_admin:postgres@127.0.0.1:${env.STACK_DB_PORT}/postgres`;
const EXAMS = ['security', 'network', 'a1101', 'a1102'] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------
// Measurements
// ---------------------------------------------------------------------------
const samples = new Map<string, number[]>();
const errors = new Map<string, string[]>();
let measuring = false;
async function call<T>(endpoint: string, fn: () => PromiseLike<{ data: T; error: unknown }>): Promise<T | null> {
  const t0 = performance.now();
  let failure: string | null = null;
  let data: T | null = null;
  try {
    const r = await fn();
    if (r.error) failure = JSON.stringify(r.error).slice(0, 200);
    else data = r.data;
  } catch (e) {
    failure = String(e).slice(0, 200);
  }
  if (measuring) {
    if (!samples.has(endpoint)) samples.set(endpoint, []);
    samples.get(endpoint)!.push(performance.now() - t0);
    if (failure) (errors.get(endpoint) ?? errors.set(endpoint, []).get(endpoint)!).push(failure);
  } else if (failure) {
    (errors.get(`${endpoint} (warm-up)`) ?? errors.set(`${endpoint} (warm-up)`, []).get(`${endpoint} (warm-up)`)!).push(failure);
  }
  return data;
}

/** CPU seconds used so far by the instance's Postgres (postmaster, children, reaped children) and gateway. */
function serverCpuSeconds(): number {
  const tick = 100; // USER_HZ on Linux
  const dir = join(root, '.supabase', env.STACK_INSTANCE);
  const postmaster = Number(readFileSync(join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const gateway = Number(readFileSync(join(dir, 'gateway.pid'), 'utf8').trim());
  const stat = (pid: number) => {
    try {
      const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) };
    } catch {
      return null;
    }
  };
  let ticks = 0;
  const roots = new Set([postmaster, gateway]);
  for (const entry of readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number)) {
    const s = stat(entry);
    if (!s) continue;
    if (roots.has(entry)) ticks += s.own + s.reaped;
    else if (roots.has(s.ppid)) ticks += s.own;
  }
  return ticks / tick;
}

// ---------------------------------------------------------------------------
// Learners
// ---------------------------------------------------------------------------
/** Password sign-in from the learner's own loopback address (separate people, separate limits). */
function signIn(i: number): Promise<{ data: string | null; error: unknown }> {
  const url = new URL('/auth/v1/token?grant_type=password', env.SUPABASE_URL);
  const body = JSON.stringify({ email: `bench${i}@bench.ascend.local`, password: 'bench-password-1' });
  const localAddress = `127.${1 + (i >> 16)}.${(i >> 8) & 255}.${(i & 255) || 1}`;
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: 'POST', localAddress, agent: false,
      headers: { apikey: env.ANON_KEY, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const parsed = z.object({ access_token: z.string() }).safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
        resolve(parsed.success ? { data: parsed.data.access_token, error: null } : { data: null, error: `HTTP ${res.statusCode}` });
      });
    });
    req.on('error', (e) => resolve({ data: null, error: String(e) }));
    req.end(body);
  });
}

const quiz = z.object({ attempt_id: z.string(), questions: z.array(z.object({ question_id: z.number() })) });
let realtimeMessages = 0;

async function learner(i: number, stopAt: () => number, clients: SupabaseClient[]): Promise<void> {
  const token = await call('POST /auth/v1/token (sign in)', () => signIn(i));
  if (!token) return;
  const sb = testClient(env.ANON_KEY, token);
  clients.push(sb);
  await sb.realtime.setAuth(token);
  await new Promise<void>((resolve) => {
    sb.channel('leaderboards', { config: { private: true } })
      .on('broadcast', { event: 'leaderboard_changed' }, () => { realtimeMessages++; })
      .subscribe((status) => {
        if (status === 'SUBSCRIBED') resolve();
        else if (status !== 'CLOSED') {
          (errors.get('realtime subscribe') ?? errors.set('realtime subscribe', []).get('realtime subscribe')!).push(status);
          resolve();
        }
      });
  });
  let k = 0;
  while (performance.now() < stopAt()) {
    const cycleStart = performance.now();
    const exam = EXAMS[(i + k++) % EXAMS.length]!;
    const started = quiz.safeParse(await call('rpc start_quiz', () => sb.rpc('start_quiz', { p_exam: exam, p_count: 10 })));
    if (started.success) {
      const answers = started.data.questions.map((q) => ({ question_id: q.question_id, answer: 'ABCD'[Math.floor(Math.random() * 4)]!, time_spent_seconds: 20 }));
      for (const a of answers) {
        await call('rpc save_quiz_answer', () => sb.rpc('save_quiz_answer', {
          p_attempt: started.data.attempt_id, p_question_id: a.question_id, p_answer: a.answer, p_time_spent_seconds: 20 }));
      }
      await call('rpc submit_quiz', () => sb.rpc('submit_quiz', { p_attempt: started.data.attempt_id, p_answers: answers }));
    }
    // The dashboard's calls, as the app makes them (in parallel).
    await Promise.all([
      call('rpc get_active_quiz', () => sb.rpc('get_active_quiz', {})),
      call('rpc get_exam_stats', () => sb.rpc('get_exam_stats', {})),
      call('GET /rest/v1/exams', () => sb.from('exams').select('id, code, name, seconds_per_question').order('position')),
      call('rpc get_my_achievements', () => sb.rpc('get_my_achievements')),
      call('rpc get_quiz_history', () => sb.rpc('get_quiz_history', { p_limit: 5 })),
    ]);
    await call('rpc get_leaderboard', () => sb.rpc('get_leaderboard', { p_board: 'xp', p_period: 'weekly', p_limit: 50, p_offset: 0 }));
    const rest = env.BENCH_CYCLE_MS - (performance.now() - cycleStart);
    if (rest > 0) await sleep(rest);
  }
}

async function ensurePopulation(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const have = await admin.query<{ n: number }>(`select coalesce((select learners from bench.state), 0) as n`).catch(() => ({ rows: [{ n: 0 }] }));
    if (Number(have.rows[0]!.n) >= env.BENCH_LEARNERS) return;
    console.log(`growing the generated population to ${env.BENCH_LEARNERS} learners ...`);
    await admin.query(`select set_config('bench.n', $1, false)`, [String(env.BENCH_LEARNERS)]);
    await admin.query(readFileSync(join(here, 'learning', 'generate.sql'), 'utf8'));
    await admin.query('select private.rebuild_leaderboards()');
  } finally {
    await admin.end();
  }
}

async function main(): Promise<void> {
  const n = env.BENCH_LEARNERS;
  await ensurePopulation();
  // Learners pick their quiz questions at random; they should not run out of in-progress slots.
  const db = new pg.Client({ connectionString: DB_URL });
  await db.connect();
  await db.query(`update public.quiz_attempts set status = 'abandoned' where status = 'in_progress' and user_id in (
                    select md5('bench-learner-' || g)::uuid from generate_series(1, $1) g)`, [n]).catch(() => undefined);
  await db.end();

  console.log(`${n} learners, ${env.BENCH_SECONDS} s measured after a ${env.BENCH_RAMP_MS / 1000} s ramp (machine: ${cpus().length} cores, shared with other engineers' work)`);
  const clients: SupabaseClient[] = [];
  const rampEnd = performance.now() + env.BENCH_RAMP_MS;
  const end = rampEnd + env.BENCH_SECONDS * 1000;
  const runners = Array.from({ length: n }, async (_, k) => {
    await sleep((k / n) * env.BENCH_RAMP_MS * 0.8);
    await learner(k + 1, () => end, clients);
  });
  await sleep(Math.max(0, rampEnd - performance.now()));
  measuring = true;
  const cpu0 = serverCpuSeconds();
  const t0 = performance.now();
  await sleep(Math.max(0, end - performance.now()));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = serverCpuSeconds() - cpu0;
  measuring = false;
  await Promise.all(runners);
  await Promise.all(clients.map((c) => c.removeAllChannels()));

  let total = 0;
  let totalErrors = 0;
  const rows = [...samples.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, xs]) => {
    total += xs.length;
    const e = errors.get(name)?.length ?? 0;
    totalErrors += e;
    const s = [...xs].sort((a, b) => a - b);
    return [name, (xs.length / seconds).toFixed(1), percentile(s, 50).toFixed(1), percentile(s, 95).toFixed(1), percentile(s, 99).toFixed(1), String(e)];
  });
  const head = ['endpoint', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors'];
  rows.push(['all', (total / seconds).toFixed(1), '', '', '', String(totalErrors)]);
  const widths = head.map((_, c) => Math.max(...[head, ...rows].map((r) => (r[c] ?? '').length)) + 2);
  for (const r of [head, ...rows]) console.log('  ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(''));
  console.log(`  realtime: ${realtimeMessages} leaderboard_changed messages received by ${clients.length} subscribed learners`);
  console.log(`  server CPU (Postgres + gateway): ${cpu.toFixed(1)} CPU-seconds in ${seconds.toFixed(1)} s = ${(cpu / seconds).toFixed(2)} cores ` +
    `(${((100 * cpu) / seconds / cpus().length).toFixed(0)}% of the machine)`);
  for (const [name, es] of errors) console.log(`  errors ${name}: ${es.length}, e.g. ${es[0]}`);
  if (totalErrors > 0 || [...errors.keys()].length > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
