// Learning-core benchmark, run by hand against a running instance (loopback only):
//   BENCH_SIZES=100000,1000000 npm run bench -- learning   (against a running instance)
// For each size it grows the generated population to that many learners (generate.sql,
// set-based, incremental) and then prints:
//   1. the leaderboard RPC (top 100 plus the caller's own entry and the total, served from the
//      live boards) against seed 000's window-function-per-request query returning the
//      same page, caller rank and total; with the ratio of their means;
//   2. submit_quiz for 30-question attempts with 1 and 16 concurrent clients (each client a
//      different learner, as in production): throughput and p50/p95/p99 latency of the whole
//      transaction (claims set as PostgREST sets them, submit, commit);
//   3. the time of a full rebuild of the live leaderboards and of the minute upkeep job.
// and, at the end, all sizes side by side. The pg_cron refresh job is paused during the run.
// Knobs: BENCH_SIZES (100000), BENCH_ATTEMPTS (4 quizzes per learner on average), BENCH_DETAIL
// (20000 learners with per-question answers), BENCH_LB_ITERATIONS (200), BENCH_SUBMITS_SINGLE
// (200), BENCH_SUBMITS_PER_CLIENT (40), BENCH_CLIENTS (16), BENCH_DB_URL / BENCH_ADMIN_URL.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const port = process.env.STACK_DB_PORT ?? '54322';
const DB_URL = process.env.BENCH_DB_URL ?? `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? `postgresql://supabase_admin:postgres@127.0.0.1:${port}/postgres`;
const SIZES = (process.env.BENCH_SIZES ?? '100000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
const ATTEMPTS = process.env.BENCH_ATTEMPTS ?? '4';
const DETAIL = process.env.BENCH_DETAIL ?? '20000';
const LB_ITERATIONS = Number(process.env.BENCH_LB_ITERATIONS ?? 200);
const SUBMITS_SINGLE = Number(process.env.BENCH_SUBMITS_SINGLE ?? 200);
const SUBMITS_PER_CLIENT = Number(process.env.BENCH_SUBMITS_PER_CLIENT ?? 40);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const EXAMS = ['security', 'network', 'a1101', 'a1102'] as const;
const GENERATOR = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'generate.sql'), 'utf8');

const SEED_WINDOW_QUERY = `
  with ranked_users as (
    select p.id, p.username, p.xp, p.level, a.image_url as avatar_url,
           row_number() over (order by p.xp desc) as rank
    from public.profiles p
    left join public.avatars a on p.selected_avatar_id = a.id
    where p.xp > 0
  )
  select r.*, (select count(*) from public.profiles t where t.xp > 0) as total_users
  from ranked_users r
  where r.rank <= 100 or r.id = $1
  order by r.rank`;

interface Stats {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}
interface SizeResult {
  size: number;
  generateSeconds: number;
  rows: Record<string, number>;
  rpc: Stats;
  seed: Stats;
  orgRpc: Stats;
  submit: { clients: number; ops: number; opsPerSecond: number; stats: Stats }[];
  refreshViews: Record<string, number>;
  refreshJob: number;
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
  const mean = s.reduce((x, y) => x + y, 0) / Math.max(1, s.length);
  return { n: s.length, mean, p50: at(50), p95: at(95), p99: at(99) };
}
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`.padStart(10);
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const pad = (s: string, n: number) => s.padEnd(n);

function learnerId(client: pg.ClientBase, i: number): Promise<string> {
  return client.query<{ id: string }>(`select md5('bench-learner-' || $1::text)::uuid::text as id`, [i]).then((r) => r.rows[0]!.id);
}

/** Runs `sql` as the learner, in one transaction, as PostgREST would; returns the timed statement's result. */
async function asLearner<T extends pg.QueryResultRow>(
  client: pg.ClientBase,
  uid: string,
  sql: string,
  params: unknown[],
): Promise<{ rows: T[]; statementMs: number; transactionMs: number }> {
  const t0 = performance.now();
  await client.query('begin');
  await client.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [
    JSON.stringify({ sub: uid, role: 'authenticated', aud: 'authenticated', is_anonymous: false }),
  ]);
  const s0 = performance.now();
  const r = await client.query<T>(sql, params);
  const s1 = performance.now();
  await client.query('commit');
  return { rows: r.rows, statementMs: s1 - s0, transactionMs: performance.now() - t0 };
}

async function generate(admin: pg.Client, size: number): Promise<number> {
  const t0 = performance.now();
  await admin.query(`select set_config('bench.n', $1, false), set_config('bench.attempts', $2, false),
                            set_config('bench.detail', $3, false)`, [String(size), ATTEMPTS, DETAIL]);
  await admin.query(GENERATOR);
  return (performance.now() - t0) / 1000;
}

async function rowCounts(db: pg.Client): Promise<Record<string, number>> {
  const r = await db.query<Record<string, string>>(`
    select (select count(*) from public.profiles) as profiles,
           (select count(*) from public.quiz_attempts) as attempts,
           (select count(*) from public.quiz_attempt_items) as answers,
           (select count(*) from public.xp_events) as ledger,
           (select count(*) from public.user_achievements) as achievements,
           (select count(*) from public.organizations) as organizations`);
  return Object.fromEntries(Object.entries(r.rows[0]!).map(([k, v]) => [k, Number(v)]));
}

async function leaderboards(db: pg.Client): Promise<{ rpc: Stats; seed: Stats; orgRpc: Stats }> {
  // A caller in the middle of the all-time XP board, far outside the top-100 page.
  const caller = (await db.query<{ user_id: string }>(`
    select user_id::text from private.leaderboard_xp
    where period = 'all_time' and exam_id = ''
      and position = (select max(position) / 2 from private.leaderboard_xp where period = 'all_time' and exam_id = '')`)).rows[0]!.user_id;
  const org = (await db.query<{ organization_id: string }>(
    'select organization_id from public.organization_members where user_id = $1', [caller])).rows[0]?.organization_id ?? null;
  const rpc = `select public.get_leaderboard('xp', 'all_time', null, $1, 100, 0) as board`;
  // Warm both paths, and check that they agree on the caller's rank.
  let rpcRank: unknown;
  let seedRank: unknown;
  for (let i = 0; i < 5; i++) {
    const a = await asLearner<{ board: { current_user_entry: { rank: number } | null } }>(db, caller, rpc, [null]);
    rpcRank = a.rows[0]?.board.current_user_entry?.rank;
    const b = await db.query<{ id: string; rank: string }>(SEED_WINDOW_QUERY, [caller]);
    seedRank = b.rows.find((row) => row.id === caller)?.rank;
  }
  const rpcSamples: number[] = [];
  const seedSamples: number[] = [];
  const orgSamples: number[] = [];
  for (let i = 0; i < LB_ITERATIONS; i++) {
    rpcSamples.push((await asLearner(db, caller, rpc, [null])).statementMs);
    const s0 = performance.now();
    await db.query(SEED_WINDOW_QUERY, [caller]);
    seedSamples.push(performance.now() - s0);
    if (org) orgSamples.push((await asLearner(db, caller, rpc, [org])).statementMs);
  }
  console.log(`  caller's rank: RPC ${String(rpcRank)} (ties share a rank), seed query ${String(seedRank)} (row_number)`);
  return { rpc: stats(rpcSamples), seed: stats(seedSamples), orgRpc: stats(orgSamples) };
}

interface Prepared {
  uid: string;
  attempt: string;
  answers: { question_id: number; answer: string; time_spent_seconds: number }[];
}

async function prepareAttempts(first: number, count: number): Promise<Prepared[]> {
  const workers = 4;
  const out: Prepared[] = [];
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      const c = new pg.Client({ connectionString: DB_URL });
      await c.connect();
      try {
        for (let k = w; k < count; k += workers) {
          const uid = await learnerId(c, first + k);
          const exam = EXAMS[k % EXAMS.length]!;
          const r = await asLearner<{ quiz: { attempt_id: string; questions: { question_id: number }[] } }>(
            c, uid, `select public.start_quiz($1, 30) as quiz`, [exam]);
          const quiz = r.rows[0]!.quiz;
          out.push({
            uid,
            attempt: quiz.attempt_id,
            answers: quiz.questions.map((q) => ({
              question_id: q.question_id,
              answer: 'ABCD'[Math.floor(Math.random() * 4)]!,
              time_spent_seconds: 20 + Math.floor(Math.random() * 60),
            })),
          });
        }
      } finally {
        await c.end();
      }
    }),
  );
  return out;
}

async function submits(clients: number, perClient: number, firstLearner: number) {
  const prepared = await prepareAttempts(firstLearner, clients * perClient);
  const connections = await Promise.all(
    Array.from({ length: clients }, async () => {
      const c = new pg.Client({ connectionString: DB_URL });
      await c.connect();
      return c;
    }),
  );
  const samples: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    connections.map(async (c, w) => {
      for (let k = 0; k < perClient; k++) {
        const p = prepared[w * perClient + k]!;
        const r = await asLearner<{ result: { total_questions: number } }>(
          c, p.uid, `select public.submit_quiz($1, $2::jsonb) as result`, [p.attempt, JSON.stringify(p.answers)]);
        if (r.rows[0]?.result.total_questions !== 30) throw new Error('submit_quiz did not grade 30 questions');
        samples.push(r.transactionMs);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(connections.map((c) => c.end()));
  return { clients, ops: samples.length, opsPerSecond: samples.length / seconds, stats: stats(samples) };
}

async function refreshes(db: pg.Client): Promise<{ views: Record<string, number>; job: number }> {
  // Boards are live (maintained at commit); what is left to time is a full rebuild from scratch
  // (backfills, bulk loads) and the minute upkeep job. tests/bench/leaderboards compares them with
  // the old materialized views.
  const views: Record<string, number> = {};
  const t0 = performance.now();
  await db.query('select private.rebuild_leaderboards()');
  views['full rebuild'] = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await db.query('select private.refresh_leaderboards()');
  return { views, job: (performance.now() - t1) / 1000 };
}

function printSize(r: SizeResult): void {
  console.log(`\n== ${int(r.size)} learners ==`);
  console.log(`  rows: ${Object.entries(r.rows).map(([k, v]) => `${k} ${int(v)}`).join(', ')}`);
  console.log(`\n  leaderboard: top 100 + caller's rank + total   ${pad('mean', 10)} ${pad('p50', 10)} ${pad('p95', 10)} ${pad('p99', 10)} calls/s`);
  const line = (label: string, s: Stats) =>
    console.log(`    ${pad(label, 44)}${ms(s.mean)} ${ms(s.p50)} ${ms(s.p95)} ${ms(s.p99)} ${int(1000 / s.mean).padStart(8)}`);
  line('get_leaderboard RPC (live boards)', r.rpc);
  line('seed 000 window query (per request)', r.seed);
  if (r.orgRpc.n > 0) line('get_leaderboard RPC, organisation board', r.orgRpc);
  console.log(`    ratio seed / RPC (mean): ${(r.seed.mean / r.rpc.mean).toFixed(0)}x, (p95): ${(r.seed.p95 / r.rpc.p95).toFixed(0)}x`);
  console.log(`\n  submit_quiz, 30 questions      clients   submits   submits/s ${pad('p50', 10)} ${pad('p95', 10)} ${pad('p99', 10)}`);
  for (const s of r.submit) {
    console.log(`    ${pad('', 28)}${String(s.clients).padStart(7)} ${String(s.ops).padStart(9)} ${s.opsPerSecond.toFixed(1).padStart(11)} ${ms(s.stats.p50)} ${ms(s.stats.p95)} ${ms(s.stats.p99)}`);
  }
  console.log(`\n  leaderboards: ${Object.entries(r.refreshViews).map(([k, v]) => `${k} ${v.toFixed(2)} s`).join(', ')}`);
  console.log(`    private.refresh_leaderboards() (minute upkeep: lapsed streaks, past periods, announcements): ${r.refreshJob.toFixed(2)} s`);
}

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  const db = new pg.Client({ connectionString: DB_URL });
  await admin.connect();
  await db.connect();
  const results: SizeResult[] = [];
  // The scheduled refresh would compete with the measurements: pause it for the run.
  const PAUSE = `select cron.alter_job(jobid, active => $1) from cron.job where jobname = 'ascend-refresh-leaderboards'`;
  await db.query(PAUSE, [false]);
  try {
    for (const size of SIZES) {
      console.log(`\ngenerating up to ${int(size)} learners ...`);
      const generateSeconds = await generate(admin, size);
      console.log(`  generated in ${generateSeconds.toFixed(1)} s; rebuilding the live leaderboards (the generator bypasses triggers)`);
      await db.query('select private.rebuild_leaderboards()');
      await db.query('vacuum analyze public.profiles');
      const rows = await rowCounts(db);
      const lb = await leaderboards(db);
      const single = await submits(1, SUBMITS_SINGLE, Math.max(1, size - 20000));
      const multi = await submits(CLIENTS, SUBMITS_PER_CLIENT, Math.max(1, size - 20000) + SUBMITS_SINGLE);
      const rf = await refreshes(db);
      const r: SizeResult = {
        size, generateSeconds, rows, rpc: lb.rpc, seed: lb.seed, orgRpc: lb.orgRpc,
        submit: [single, multi], refreshViews: rf.views, refreshJob: rf.job,
      };
      printSize(r);
      results.push(r);
    }
  } finally {
    await db.query(PAUSE, [true]).catch(() => undefined);
    await admin.end();
    await db.end();
  }
  if (results.length > 1) {
    console.log('\n== side by side ==');
    const head = ['', ...results.map((r) => `${int(r.size)} learners`)];
    const rows: string[][] = [
      ['generation (incremental, s)', ...results.map((r) => r.generateSeconds.toFixed(1))],
      ['leaderboard RPC mean / p95', ...results.map((r) => `${r.rpc.mean.toFixed(2)} / ${r.rpc.p95.toFixed(2)} ms`)],
      ['seed window query mean / p95', ...results.map((r) => `${r.seed.mean.toFixed(1)} / ${r.seed.p95.toFixed(1)} ms`)],
      ['ratio seed / RPC (mean)', ...results.map((r) => `${(r.seed.mean / r.rpc.mean).toFixed(0)}x`)],
      ...[0, 1].map((k) => [
        `submit_quiz ${results[0]!.submit[k]!.clients} client(s): /s, p50/p95/p99`,
        ...results.map((r) => {
          const s = r.submit[k]!;
          return `${s.opsPerSecond.toFixed(0)}/s, ${s.stats.p50.toFixed(1)}/${s.stats.p95.toFixed(1)}/${s.stats.p99.toFixed(1)} ms`;
        }),
      ]),
      ['leaderboard upkeep job (s)', ...results.map((r) => r.refreshJob.toFixed(2))],
    ];
    const widths = head.map((_, c) => Math.max(...[head, ...rows].map((row) => (row[c] ?? '').length)) + 2);
    for (const row of [head, ...rows]) console.log('  ' + row.map((cell, c) => cell.padEnd(widths[c]!)).join(''));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
