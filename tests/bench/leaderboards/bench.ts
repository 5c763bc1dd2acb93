// Live-leaderboard benchmark, run by hand against a running instance (loopback only):
//   BENCH_SIZES=10000,100000 npm run bench -- leaderboards
// For each size it grows the generated population (tests/bench/learning/generate.sql, which
// bypasses triggers, so the live boards are then rebuilt once), rebuilds the OLD materialized-view
// leaderboards beside them in schema bench_baseline (their SQL is taken from the migration that
// shipped them, 20261206000400_scoped_leaderboards.sql), and prints, live beside baseline:
//   1. read latency of get_leaderboard (top 100 + caller's rank + total) for callers spread over
//      the whole board, per board (global XP all-time and weekly, quiz count, accuracy, exam,
//      streak, organisation, followed people): now, before 20261207110500 (the previous read
//      functions from their migrations' text, schema bench_before) and the old views, alternating,
//      with checks that now and before return the same JSON and now and the old views the same
//      total and caller rank;
//   2. freshness: submission commit -> the new score visible on the learner's global all-time,
//      weekly and organisation boards (polled from a second connection); the baseline's is the
//      5-minute cadence plus one refresh;
//   3. background cost: the old refresh job vs the new minute job, plus the sync work added to
//      each submission, as % of one core at 100 submissions/s;
//   4. submit_quiz throughput with 1 and 16 clients, through SQL and POST /rest/v1/rpc/submit_quiz:
//      now (this pass's migrations' text), before (main before this pass, each function from the
//      migration that last defined it) and now without live maintenance (its triggers disabled),
//      alternating, BENCH_RUNS times; medians of the runs, with the server CPU per submission and
//      the load average beside each.
// The pg_cron upkeep job is paused during the run (its cost is measured explicitly).
// Knobs: BENCH_SIZES (10000,100000), BENCH_CALLERS (150), BENCH_FRESH (20), BENCH_RUNS (3),
// BENCH_SUBMITS_SINGLE (100), BENCH_SUBMITS_PER_CLIENT (25), BENCH_CLIENTS (16), BENCH_DB_URL / BENCH_ADMIN_URL.
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { env } from '../../support/env.ts';
import { accessToken } from '../../support/tokens.ts';

const here = dirname(fileURLToPath(import.meta.url));
const port = process.env.STACK_DB_PORT ?? '54322';
const DB_URL = process.env.BENCH_DB_URL ?? `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? `postgresql://supabase_admin:postgres@127.0.0.1:${port}/postgres`;
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
const CALLERS = Number(process.env.BENCH_CALLERS ?? 150);
const FRESH = Number(process.env.BENCH_FRESH ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SUBMITS_SINGLE = Number(process.env.BENCH_SUBMITS_SINGLE ?? 100);
const SUBMITS_PER_CLIENT = Number(process.env.BENCH_SUBMITS_PER_CLIENT ?? 25);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
// BENCH_PARTS: which parts to run (reads,freshness,submit,rest); all by default.
const PARTS = new Set((process.env.BENCH_PARTS ?? 'reads,freshness,submit,rest').split(',').map((p) => p.trim()));
const EXAMS = ['security', 'network', 'a1101', 'a1102'] as const;
const GENERATOR = readFileSync(join(here, '..', 'learning', 'generate.sql'), 'utf8');
const MIGRATIONS = join(here, '..', '..', '..', 'supabase', 'migrations');

// Tables and their leaderboard triggers (mark + sync), disabled for the "without" submission runs.
const TRIGGERS: Record<string, string[]> = {
  'public.xp_events': ['xp_events_leaderboard_mark', 'xp_events_leaderboard_sync'],
  'public.quiz_attempts': ['quiz_attempts_leaderboard_mark', 'quiz_attempts_leaderboard_sync',
    'quiz_attempts_leaderboard_mark_delete', 'quiz_attempts_leaderboard_sync_delete'],
  'public.learner_exam_stats': ['learner_exam_stats_leaderboard_mark', 'learner_exam_stats_leaderboard_sync'],
  'public.profiles': ['profiles_leaderboard_mark', 'profiles_leaderboard_sync'],
};

/** The old leaderboards, from the text of the migration that shipped them, in schema bench_baseline. */
function baselineSql(): string {
  const src = readFileSync(join(MIGRATIONS, '20261206000400_scoped_leaderboards.sql'), 'utf8');
  const cut = (from: string, to: string) => {
    const a = src.indexOf(from);
    const b = src.indexOf(to, a);
    if (a < 0 || b < 0) throw new Error(`baseline: cannot find ${from}`);
    return src.slice(a, b);
  };
  const rename = (s: string) =>
    s.replace(/private\.(leaderboard_(xp|quiz_count|accuracy|streak|exam|org|entries|fingerprints))\b/g, 'bench_baseline.$1');
  const views = rename(cut('create materialized view private.leaderboard_xp as', 'revoke all on private.leaderboard_xp'));
  const entries = rename(cut('create view private.leaderboard_entries as', '-- ---------------------------------------------------------------------------\n-- Refresh: also'));
  const reader = rename(cut('create or replace function public.get_leaderboard(', 'comment on function public.get_leaderboard('))
    .replace('create or replace function public.get_leaderboard(', 'create function bench_baseline.get_leaderboard_unmasked(');
  return `
    drop schema if exists bench_baseline cascade;
    create schema bench_baseline;
    ${views}
    ${entries}
    ${reader}
    -- the masking wrapper public.get_leaderboard has had since 20261206100000
    create function bench_baseline.get_leaderboard(
      p_board public.leaderboard_board, p_period public.leaderboard_period default 'all_time', p_exam text default null,
      p_organization uuid default null, p_limit integer default 100, p_offset integer default 0)
    returns jsonb language sql stable security definer set search_path = '' as $$
      select b || jsonb_build_object(
        'entries', coalesce((select jsonb_agg(private.mask_leaderboard_entry(e) order by o)
                             from jsonb_array_elements(b -> 'entries') with ordinality x (e, o)), '[]'::jsonb))
      from (select bench_baseline.get_leaderboard_unmasked(p_board, p_period, p_exam, p_organization, p_limit, p_offset) as b) r
    $$;

    -- the old refresh job's work: every view concurrently, statistics, fingerprints
    create function bench_baseline.refresh() returns bigint language plpgsql set search_path = '' set work_mem = '64MB' as $$
    declare v bigint;
    begin
      refresh materialized view concurrently bench_baseline.leaderboard_xp;
      refresh materialized view concurrently bench_baseline.leaderboard_quiz_count;
      refresh materialized view concurrently bench_baseline.leaderboard_accuracy;
      refresh materialized view concurrently bench_baseline.leaderboard_streak;
      refresh materialized view concurrently bench_baseline.leaderboard_exam;
      refresh materialized view concurrently bench_baseline.leaderboard_org;
      analyze bench_baseline.leaderboard_xp, bench_baseline.leaderboard_quiz_count, bench_baseline.leaderboard_accuracy,
        bench_baseline.leaderboard_streak, bench_baseline.leaderboard_exam, bench_baseline.leaderboard_org;
      select count(*) into v from (select md5(jsonb_agg(to_jsonb(f))::text) from bench_baseline.leaderboard_fingerprints f) x;
      return v;
    end $$;
    grant usage on schema bench_baseline to authenticated;
    grant execute on all functions in schema bench_baseline to authenticated;`;
}

interface Stats { n: number; mean: number; p50: number; p95: number; p99: number }
function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
  return { n: s.length, mean: s.reduce((x, y) => x + y, 0) / Math.max(1, s.length), p50: at(50), p95: at(95), p99: at(99) };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const f2 = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const int = (x: number) => Math.round(x).toLocaleString('en-US');

function table(head: string[], rows: string[][]): void {
  const widths = head.map((_, c) => Math.max(...[head, ...rows].map((r) => (r[c] ?? '').length)) + 2);
  for (const r of [head, ...rows]) console.log('  ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(''));
}

async function asLearner<T extends pg.QueryResultRow>(client: pg.ClientBase, uid: string, sql: string, params: unknown[]) {
  const t0 = performance.now();
  await client.query('begin');
  await client.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [
    JSON.stringify({ sub: uid, role: 'authenticated', aud: 'authenticated', is_anonymous: false }),
  ]);
  const s0 = performance.now();
  const r = await client.query<T>(sql, params);
  const s1 = performance.now();
  await client.query('commit');
  return { rows: r.rows, statementMs: s1 - s0, transactionMs: performance.now() - t0, committedAt: performance.now() };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}

// ---------------------------------------------------------------------------
// 1. Reads
// ---------------------------------------------------------------------------
interface Board { label: string; board: string; period: string; exam: string | null; org: boolean; followed?: boolean }
const BOARDS: Board[] = [
  { label: 'global xp, all time', board: 'xp', period: 'all_time', exam: null, org: false },
  { label: 'global xp, weekly', board: 'xp', period: 'weekly', exam: null, org: false },
  { label: 'global quiz count, monthly', board: 'quiz_count', period: 'monthly', exam: null, org: false },
  { label: 'global accuracy, all time', board: 'accuracy', period: 'all_time', exam: null, org: false },
  { label: 'global exam (security), all time', board: 'exam', period: 'all_time', exam: 'security', org: false },
  { label: 'global streak', board: 'streak', period: 'all_time', exam: null, org: false },
  { label: 'organisation xp, all time', board: 'xp', period: 'all_time', exam: null, org: true },
  { label: 'organisation xp, weekly', board: 'xp', period: 'weekly', exam: null, org: true },
  // The caller and the ~50 people they follow (get_following_leaderboard, computed live; no old version).
  { label: 'followed people xp, all time', board: 'xp', period: 'all_time', exam: null, org: false, followed: true },
  { label: 'followed people xp, weekly', board: 'xp', period: 'weekly', exam: null, org: false, followed: true },
];

/** A page without its refreshed_at (now(), different in every transaction), for comparing two readers. */
const sameResult = (x: Record<string, unknown>, y: Record<string, unknown>) =>
  JSON.stringify({ ...x, refreshed_at: null }) === JSON.stringify({ ...y, refreshed_at: null });

async function reads(db: pg.Client) {
  // Callers spread over the whole population (most are deep in the boards, far from the top 100).
  const callers = (await db.query<{ id: string; org: string | null }>(`
    select p.id::text, (select m.organization_id::text from public.organization_members m where m.user_id = p.id limit 1) as org
    from public.profiles p where p.show_on_leaderboards and p.xp > 0
    order by md5(p.id::text) limit $1`, [CALLERS])).rows;
  // Followers (the generator makes the first learners follow 50 others each).
  const followers = (await db.query<{ id: string }>(`
    select f.follower_id::text as id from public.follows f group by f.follower_id order by md5(f.follower_id::text) limit $1`, [CALLERS])).rows;
  const rows: string[][] = [];
  let disagreements = 0;
  let differentFromBefore = 0;
  const cell = (x: Stats) => `${f2(x.p50)} / ${f2(x.p95)} / ${f2(x.p99)}`;
  for (const b of BOARDS) {
    const now: number[] = [];
    const before: number[] = [];
    const old: number[] = [];
    type Page = { total: number; current_user_entry: { rank: number } | null };
    if (b.followed) {
      for (const [k, c] of followers.entries()) {
        // now and before alternate which goes first
        const order = k % 2 === 0 ? ['public', 'bench_before'] : ['bench_before', 'public'];
        const got: Record<string, { r: Record<string, unknown> }> = {};
        for (const schema of order) {
          const a = await asLearner<{ r: Record<string, unknown> }>(db, c.id, `select ${schema}.get_following_leaderboard($1, $2) as r`, [b.board, b.period]);
          (schema === 'public' ? now : before).push(a.statementMs);
          got[schema] = a.rows[0]!;
        }
        if (!sameResult(got['public']!.r, got['bench_before']!.r)) differentFromBefore++;
      }
      const n = stats(now);
      const e = stats(before);
      rows.push([b.label, cell(n), cell(e), '- (always live)', `${(e.mean / n.mean).toFixed(1)}x`, '-', String(n.n)]);
      continue;
    }
    for (const [k, c] of callers.entries()) {
      if (b.org && !c.org) continue;
      const args = [b.board, b.period, b.exam, b.org ? c.org : null];
      const order = k % 2 === 0 ? ['public', 'bench_before', 'bench_baseline'] : ['bench_baseline', 'bench_before', 'public'];
      const got: Record<string, { r: Page & Record<string, unknown> }> = {};
      for (const schema of order) {
        const a = await asLearner<{ r: Page & Record<string, unknown> }>(db, c.id, `select ${schema}.get_leaderboard($1, $2, $3, $4, 100, 0) as r`, args);
        (schema === 'public' ? now : schema === 'bench_before' ? before : old).push(a.statementMs);
        got[schema] = a.rows[0]!;
      }
      const x = got['public']!.r;
      const y = got['bench_baseline']!.r;
      if (x.total !== y.total || (x.current_user_entry?.rank ?? null) !== (y.current_user_entry?.rank ?? null)) disagreements++;
      if (!sameResult(x, got['bench_before']!.r)) differentFromBefore++;
    }
    const n = stats(now);
    const e = stats(before);
    const o = stats(old);
    rows.push([b.label, cell(n), cell(e), cell(o), `${(e.mean / n.mean).toFixed(1)}x`, `${(o.mean / n.mean).toFixed(1)}x`, String(n.n)]);
  }
  return { rows, disagreements, differentFromBefore, callers: callers.length };
}

// ---------------------------------------------------------------------------
// Submissions
// ---------------------------------------------------------------------------
interface Prepared { uid: string; attempt: string; answers: { question_id: number; answer: string; time_spent_seconds: number }[] }

let nextLearner = 0;
async function prepare(count: number, size: number): Promise<Prepared[]> {
  const workers = 4;
  const out: Prepared[] = [];
  const first = nextLearner;
  nextLearner += count;
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    const c = new pg.Client({ connectionString: DB_URL });
    await c.connect();
    try {
      for (let k = w; k < count; k += workers) {
        // distinct learners, spread over the population, never the same twice in a run
        const i = 1 + ((first + k) * 7919) % size;
        const uid = (await c.query<{ id: string }>(`select md5('bench-learner-' || $1::text)::uuid::text as id`, [i])).rows[0]!.id;
        const r = await asLearner<{ quiz: { attempt_id: string; questions: { question_id: number }[] } }>(
          c, uid, 'select public.start_quiz($1, 30) as quiz', [EXAMS[k % EXAMS.length]]);
        const quiz = r.rows[0]!.quiz;
        out.push({ uid, attempt: quiz.attempt_id, answers: quiz.questions.map((q) => ({
          question_id: q.question_id, answer: 'ABCD'[Math.floor(Math.random() * 4)]!, time_spent_seconds: 20 + Math.floor(Math.random() * 60) })) });
      }
    } finally {
      await c.end();
    }
  }));
  return out;
}

/** Samples pg_stat_activity while `work` runs: the share of busy submitter backends waiting on a lock. */
async function lockWaitShare<T>(work: () => Promise<T>): Promise<[T, number]> {
  const probe = new pg.Client({ connectionString: DB_URL });
  await probe.connect();
  let busy = 0;
  let waiting = 0;
  let done = false;
  const sampler = (async () => {
    while (!done) {
      const r = await probe.query<{ busy: number; waiting: number }>(`
        select count(*) filter (where state = 'active')::int as busy,
               count(*) filter (where state = 'active' and wait_event_type = 'Lock')::int as waiting
        from pg_stat_activity where application_name = 'bench-submit'`);
      busy += r.rows[0]!.busy;
      waiting += r.rows[0]!.waiting;
      await new Promise((res) => setTimeout(res, 20));
    }
  })();
  try {
    const out = await work();
    return [out, busy === 0 ? 0 : waiting / busy];
  } finally {
    done = true;
    await sampler;
    await probe.end();
  }
}

/** CPU time (user + system, ms) a server process has used so far, from /proc (the bench runs on the database's machine). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks of 10 ms
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function submitRun(clients: number, perClient: number, size: number) {
  const prepared = await prepare(clients * perClient, size);
  const conns = await Promise.all(Array.from({ length: clients }, async () => {
    const c = new pg.Client({ connectionString: DB_URL, application_name: 'bench-submit' });
    await c.connect();
    return c;
  }));
  const pids = await Promise.all(conns.map(async (c) => (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid));
  const cpu0 = pids.reduce((a, p) => a + cpuMs(p), 0);
  const samples: number[] = [];
  const [seconds, lockWait] = await lockWaitShare(async () => {
    const t0 = performance.now();
    await Promise.all(conns.map(async (c, w) => {
      for (let k = 0; k < perClient; k++) {
        const p = prepared[w * perClient + k]!;
        const r = await asLearner<{ result: { total_questions: number } }>(
          c, p.uid, 'select public.submit_quiz($1, $2::jsonb) as result', [p.attempt, JSON.stringify(p.answers)]);
        if (r.rows[0]?.result.total_questions !== 30) throw new Error('submit_quiz did not grade 30 questions');
        samples.push(r.transactionMs);
      }
    }));
    return (performance.now() - t0) / 1000;
  });
  // Server CPU per submission: the submitters' backends only (the statements and their commit).
  const cpuPerSubmission = (pids.reduce((a, p) => a + cpuMs(p), 0) - cpu0) / samples.length;
  await Promise.all(conns.map((c) => c.end()));
  return { perSecond: samples.length / seconds, stats: stats(samples), uids: prepared.map((p) => p.uid), lockWait, cpuPerSubmission, load: loadavg()[0]! };
}

/** The same submissions through the gateway: POST /rest/v1/rpc/submit_quiz with each learner's access token. */
async function restRun(clients: number, perClient: number, size: number) {
  const prepared = await prepare(clients * perClient, size);
  const tokens = await Promise.all(prepared.map((p) => accessToken({ sub: p.uid })));
  const samples: number[] = [];
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async (_, w) => {
    for (let k = 0; k < perClient; k++) {
      const i = w * perClient + k;
      const p = prepared[i]!;
      const s0 = performance.now();
      const res = await fetch(`${env.SUPABASE_URL}/rest/v1/rpc/submit_quiz`, {
        method: 'POST',
        headers: { apikey: env.ANON_KEY, Authorization: `Bearer ${tokens[i]}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ p_attempt: p.attempt, p_answers: p.answers }),
      });
      const body = (await res.json()) as { total_questions?: number };
      if (res.status !== 200 || body.total_questions !== 30) throw new Error(`rest submit_quiz: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
      samples.push(performance.now() - s0);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  return { perSecond: samples.length / seconds, stats: stats(samples), uids: prepared.map((p) => p.uid), lockWait: 0, cpuPerSubmission: Number.NaN, load: loadavg()[0]! };
}

async function setTriggers(db: pg.Client, enabled: boolean): Promise<void> {
  for (const [table, names] of Object.entries(TRIGGERS)) {
    await db.query(names.map((n) => `alter table ${table} ${enabled ? 'enable' : 'disable'} trigger ${n}`).join('; '));
  }
}

/** A function's definition cut from a migration's text, as `create or replace`. */
function functionFrom(file: string, signature: string): string {
  const src = readFileSync(join(MIGRATIONS, file), 'utf8');
  const a = src.search(new RegExp(`create (or replace )?function ${signature.replace(/[.()]/g, '\\$&')}`));
  const b = src.indexOf('$$;', src.indexOf('as $$', a)) + 3;
  if (a < 0 || b < 3) throw new Error(`cannot find ${signature} in ${file}`);
  return src.slice(a, b).replace(/^create function/, 'create or replace function');
}

/**
 * The read functions as they were before 20261207110500 (page read three times, ranks by a
 * correlated count, SQL helpers planned per call, can_see_profile per followee), from their
 * migrations' text, in schema bench_before: the "before" column of the read figures.
 */
function beforeReadsSql(): string {
  const parts = [
    functionFrom('20261207100500_leaderboard_histogram_shards.sql', 'private.leaderboard_higher('),
    functionFrom('20261207100500_leaderboard_histogram_shards.sql', 'private.leaderboard_total('),
    functionFrom('20261207100500_leaderboard_histogram_shards.sql', 'private.get_leaderboard_unmasked('),
    functionFrom('20261207100700_leaderboard_mask_per_page.sql', 'private.visible_profile_ids('),
    functionFrom('20261207100700_leaderboard_mask_per_page.sql', 'public.get_leaderboard('),
    functionFrom('20261206100400_create_follows.sql', 'public.get_following_leaderboard('),
  ].join(';\n').replace(/(private|public)\.(leaderboard_higher|leaderboard_total|get_leaderboard_unmasked|visible_profile_ids|get_leaderboard|get_following_leaderboard)\(/g,
    'bench_before.$2(');
  return `drop schema if exists bench_before cascade;
    create schema bench_before;
    ${parts};
    grant usage on schema bench_before to authenticated;
    grant execute on all functions in schema bench_before to authenticated;`;
}

/** The live-board writers as main has them (sharded histogram, 20261207100500). */
function liveBoardsSql(): string {
  return ['private.leaderboard_sync(', 'private.announce_leaderboards('].map((f) => functionFrom('20261207100500_leaderboard_histogram_shards.sql', f)).join(';\n');
}

// This pass's submission write path: the text of its migrations (20261207110000..110499), each
// re-runnable (create or replace), applied in order.
const THIS_PASS = readdirSync(MIGRATIONS).filter((f) => f >= '20261207110000' && f < '20261207110500' && f.endsWith('.sql')).sort();

/** The submission write path as main had it before this pass: each function from the migration that last defined it. */
function beforeSql(): string {
  return [
    functionFrom('20261206000300_fair_scoring.sql', 'public.submit_quiz('),
    functionFrom('20261207100600_grading_known_keys_once.sql', 'private.keys_readable_by('),
    functionFrom('20261207100600_grading_known_keys_once.sql', 'private.finalize_attempt('),
  ].join(';\n');
}

const NOW = 'now: one write per item (this pass)' as const;
const BEFORE = 'before: main before this pass' as const;
const NO_LIVE = 'now without live boards (floor)' as const;
type Variant = typeof NOW | typeof BEFORE | typeof NO_LIVE;
async function install(db: pg.Client, v: Variant): Promise<void> {
  await db.query(liveBoardsSql());
  if (v === BEFORE) await db.query(beforeSql());
  else for (const f of THIS_PASS) await db.query(readFileSync(join(MIGRATIONS, f), 'utf8'));
  await setTriggers(db, v !== NO_LIVE);
}

async function submissions(db: pg.Client, size: number) {
  const variants: Variant[] = [NOW, BEFORE, NO_LIVE];
  const res: Record<string, { perSecond: number[]; p50: number[]; p95: number[]; p99: number[]; mean: number[]; lockWait: number[]; cpu: number[]; load: number[] }> = {};
  const add = (key: string, r: { perSecond: number; stats: Stats; lockWait: number; cpuPerSubmission: number; load: number }) => {
    const e = (res[key] ??= { perSecond: [], p50: [], p95: [], p99: [], mean: [], lockWait: [], cpu: [], load: [] });
    e.perSecond.push(r.perSecond); e.p50.push(r.stats.p50); e.p95.push(r.stats.p95); e.p99.push(r.stats.p99); e.mean.push(r.stats.mean);
    e.lockWait.push(r.lockWait); e.cpu.push(r.cpuPerSubmission); e.load.push(r.load);
  };
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const v of variants) {
        await install(db, v);
        const one = await submitRun(1, SUBMITS_SINGLE, size);
        const many = await submitRun(CLIENTS, SUBMITS_PER_CLIENT, size);
        add(`${v}|1`, one);
        add(`${v}|${CLIENTS}`, many);
        const uids = [...one.uids, ...many.uids];
        if (PARTS.has('rest') && (v === NOW || v === BEFORE)) {
          const r1 = await restRun(1, SUBMITS_SINGLE, size);
          const r16 = await restRun(CLIENTS, SUBMITS_PER_CLIENT, size);
          add(`${v}|rest|1`, r1);
          add(`${v}|rest|${CLIENTS}`, r16);
          uids.push(...r1.uids, ...r16.uids);
        }
        if (v === NO_LIVE) await db.query('select private.leaderboard_sync($1::uuid[])', [uids]);
        await db.query('select private.fold_leaderboard_histogram()');
      }
    }
  } finally {
    await install(db, NOW);
  }
  return { res, variants };
}

// ---------------------------------------------------------------------------
// Freshness: commit -> visible on the learner's boards, from another connection
// ---------------------------------------------------------------------------
async function freshness(db: pg.Client, size: number) {
  const prepared = await prepare(FRESH, size);
  const submitter = new pg.Client({ connectionString: DB_URL });
  await submitter.connect();
  const samples: number[] = [];
  try {
    for (const p of prepared) {
      const { o: org, shown } = (await db.query<{ o: string | null; shown: boolean }>(
        `select (select organization_id::text from public.organization_members where user_id = $1 limit 1) as o,
                (select show_on_leaderboards from public.profiles where id = $1) as shown`, [p.uid])).rows[0]!;
      if (!shown) continue; // opted out: on no board
      const read = async () => {
        const r = await asLearner<{ a: number | null; w: number | null; o: number | null }>(db, p.uid, `
          select (public.get_leaderboard('xp', 'all_time') -> 'current_user_entry' ->> 'score')::numeric as a,
                 (public.get_leaderboard('xp', 'weekly') -> 'current_user_entry' ->> 'score')::numeric as w,
                 case when $1::uuid is null then null
                      else (public.get_leaderboard('xp', 'all_time', null, $1::uuid) -> 'current_user_entry' ->> 'score')::numeric end as o`, [org]);
        return r.rows[0]!;
      };
      const before = await read();
      const s = await asLearner<{ r: { xp_earned: number } }>(submitter, p.uid, 'select public.submit_quiz($1, $2::jsonb) as r', [p.attempt, JSON.stringify(p.answers)]);
      const gained = Number(s.rows[0]!.r.xp_earned ?? 0);
      const committed = s.committedAt;
      if (gained <= 0) continue;
      for (;;) {
        const now = await read();
        // XP can grow by more than the quiz's (achievements): any change on all three boards.
        const ok = Number(now.a ?? 0) > Number(before.a ?? 0) && Number(now.w ?? 0) > Number(before.w ?? 0)
          && (org === null || Number(now.o ?? 0) > Number(before.o ?? 0));
        if (ok) { samples.push(performance.now() - committed); break; }
        if (performance.now() - committed > 10_000) { samples.push(Number.POSITIVE_INFINITY); break; }
      }
    }
  } finally {
    await submitter.end();
  }
  return stats(samples);
}

// ---------------------------------------------------------------------------
async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  const db = new pg.Client({ connectionString: DB_URL });
  await admin.connect();
  await db.connect();
  const PAUSE = `select cron.alter_job(jobid, active => $1) from cron.job where jobname = 'ascend-refresh-leaderboards'`;
  await db.query(PAUSE, [false]);
  const summary: string[][] = [];
  const readSummary: string[][] = [];
  try {
    for (const size of SIZES) {
      console.log(`\n== ${int(size)} learners (2 shared cores: other engineers' work runs beside this) ==`);
      // What an earlier run already built at this size is reused (bench.built): generation, the
      // live boards' rebuild and the old views take minutes at 1M.
      await admin.query(`create schema if not exists bench;
        create table if not exists bench.built (what text primary key, learners integer not null, ms numeric not null)`);
      const built = async (what: string, fn: () => Promise<unknown>): Promise<string> => {
        const had = (await admin.query<{ learners: number; ms: string }>('select learners, ms from bench.built where what = $1', [what])).rows[0];
        if (had && had.learners === size) return `${(Number(had.ms) / 1000).toFixed(1)} s (earlier run)`;
        const [, ms] = await timed(fn);
        await admin.query(`insert into bench.built values ($1, $2, $3) on conflict (what) do update set learners = excluded.learners, ms = excluded.ms`, [what, size, ms]);
        return `${(ms / 1000).toFixed(1)} s`;
      };
      await admin.query(`select set_config('bench.n', $1, false)`, [String(size)]);
      const genTime = await built('generated', () => admin.query(GENERATOR));
      const rebuildTime = await built('boards', () => db.query('select private.rebuild_leaderboards()'));
      const rows = (await db.query<{ n: string }>('select count(*) as n from private.leaderboard_scores')).rows[0]!.n;
      const exists = (await db.query(`select 1 from pg_namespace where nspname = 'bench_baseline'`)).rowCount === 1;
      if (!exists) await admin.query(`delete from bench.built where what = 'baseline'`);
      const baseTime = await built('baseline', async () => { await db.query(baselineSql()); await db.query('analyze'); });
      await db.query(beforeReadsSql());
      const oldRefresh: number[] = [];
      // (the refresh's cost matters to freshness and background cost only)
      const refreshes = PARTS.has('freshness') || PARTS.has('submit') ? (size > 100_000 ? 1 : 2) : 0;
      for (let i = 0; i < refreshes; i++) oldRefresh.push((await timed(() => db.query('select bench_baseline.refresh()')))[1]);
      console.log(`  generated in ${genTime}; live boards rebuilt from scratch in ${rebuildTime} ` +
        `(${int(Number(rows))} rows); old views built in ${baseTime}; one refresh of the old views ${oldRefresh.length > 0 ? `${(median(oldRefresh) / 1000).toFixed(1)} s` : 'not run (reads only)'}`);

      const r = PARTS.has('reads') ? await reads(db)
        : { rows: BOARDS.map((b) => [b.label, '-', '-', '-', '-', '-', '0']), disagreements: 0, differentFromBefore: 0, callers: 0 };
      if (PARTS.has('reads')) {
        console.log(`\n  get_leaderboard, top 100 + caller's rank + total, ${r.callers} callers spread over the board (ms, p50 / p95 / p99; ` +
          `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')})`);
        table(['board', 'now', 'before (20261207100700)', 'old views', 'before/now (mean)', 'old/now', 'calls'], r.rows);
        console.log(`  now and before return the same JSON (but refreshed_at): ${r.differentFromBefore === 0 ? 'every call' : `${r.differentFromBefore} calls differ`}`);
        console.log(`  now and old views agree on total and caller rank: ${r.disagreements === 0 ? 'every call' : `${r.disagreements} calls differ`}`);
        readSummary.push([int(size), r.rows[0]![1]!, r.rows[0]![2]!, r.rows[6]![1]!, r.rows[6]![2]!, r.rows[8]![1]!, r.rows[8]![2]!,
          loadavg().map((x) => x.toFixed(1)).join(' ')]);
      }

      const fresh = PARTS.has('freshness') ? await freshness(db, size) : stats([]);
      const oldR = median(oldRefresh);
      if (PARTS.has('freshness')) console.log(`\n  freshness: submission commit -> new score on the learner's global all-time, weekly and organisation boards`);
      if (PARTS.has('freshness')) table(['', 'live', 'old views (5-minute cadence + one refresh)'], [
        ['p50', `${f2(fresh.p50)} ms`, `${((150_000 + oldR) / 1000).toFixed(1)} s (expected)`],
        ['p99 / worst', `${f2(fresh.p99)} ms`, `${((300_000 + oldR) / 1000).toFixed(1)} s`],
      ]);

      if (!PARTS.has('submit')) continue;
      const { res: subs, variants } = await submissions(db, size);
      const k1 = (k: string) => subs[k]!;
      console.log(`\n  submit_quiz, 30 questions, whole transaction (median of ${RUNS} runs each, alternating; ratio: SQL rows to before through SQL, REST rows to the same variant through SQL)`);
      // REST runs are compared with the same variant through SQL (the REST path's own cost).
      const floor = (v: Variant, path: string, c: number) => median(k1(path ? `${v}|${c}` : `${BEFORE}|${c}`).perSecond);
      table(['', 'path', 'clients', 'throughput', 'ratio', 'p50 / p95 / p99', 'waiting on a lock', 'server CPU / submission', 'load avg (min-max)'],
        variants.flatMap((v) => ['', ...(PARTS.has('rest') && (v === NOW || v === BEFORE) ? ['rest|'] : [])].flatMap((path) => [1, CLIENTS].map((c) => {
          const e = k1(`${v}|${path}${c}`);
          return [v, path ? 'REST /rest/v1/rpc' : 'SQL', String(c), `${median(e.perSecond).toFixed(0)}/s`,
            `${(median(e.perSecond) / floor(v, path, c)).toFixed(2)}x${path ? ' of SQL' : ' of before'}`,
            `${f2(median(e.p50))} / ${f2(median(e.p95))} / ${f2(median(e.p99))} ms`, path ? '-' : `${(100 * median(e.lockWait)).toFixed(1)}%`,
            path ? '-' : `${f2(median(e.cpu))} ms`, `${Math.min(...e.load).toFixed(1)}-${Math.max(...e.load).toFixed(1)}`];
        }))));

      // Background cost.
      const jobRuns: number[] = [];
      for (let i = 0; i < 3; i++) jobRuns.push((await timed(() => db.query('select private.refresh_leaderboards()')))[1]);
      const syncMs = Math.max(0, median(k1(`${NOW}|1`).mean) - median(k1(`${NO_LIVE}|1`).mean));
      // The same from the backends' CPU time (less sensitive to waiting for a core on a loaded machine).
      const syncCpu = Math.max(0, median(k1(`${NOW}|1`).cpu) - median(k1(`${NO_LIVE}|1`).cpu));
      const ratio16 = median(k1(`${NOW}|${CLIENTS}`).perSecond) / median(k1(`${BEFORE}|${CLIENTS}`).perSecond);
      // 100 submissions a second, each syncMs of work, plus the minute job: share of one core, in %.
      const livePct = 100 * ((100 * syncMs) / 1000 + median(jobRuns) / 60_000);
      const oldPct = (100 * oldR) / 300_000;
      console.log(`\n  background cost of keeping boards current, % of one core at 100 submissions/s`);
      table(['', 'live', 'old views'], [
        ['per submission (in its transaction; 1 client, mean vs floor)', `${f2(syncMs)} ms`, '0'],
        ['periodic job', `${f2(median(jobRuns))} ms / minute`, `${(oldR / 1000).toFixed(2)} s / 5 minutes`],
        ['total, % of one core', `${livePct.toFixed(2)}%`, `${oldPct.toFixed(2)}%`],
        ['per submission, server CPU (1 client, vs floor)', `${f2(syncCpu)} ms`, '0'],
        ['total from CPU time, % of one core', `${(100 * ((100 * syncCpu) / 1000 + median(jobRuns) / 60_000)).toFixed(2)}%`, `${oldPct.toFixed(2)}%`],
      ]);
      summary.push([int(size), r.rows[0]![1]!, r.rows[0]![2]!, r.rows[6]![1]!, r.rows[6]![2]!, r.rows[8]![1]!,
        `${f2(fresh.p50)} ms`, `${livePct.toFixed(2)}% / ${oldPct.toFixed(2)}%`,
        `${median(k1(`${NOW}|${CLIENTS}`).perSecond).toFixed(0)} / ${median(k1(`${BEFORE}|${CLIENTS}`).perSecond).toFixed(0)} / ${median(k1(`${NO_LIVE}|${CLIENTS}`).perSecond).toFixed(0)}/s (${ratio16.toFixed(2)}x)`]);
    }
  } finally {
    await setTriggers(db, true).catch(() => undefined);
    await db.query(PAUSE, [true]).catch(() => undefined);
    // The old views stay for the next run at this size (bench.built); BENCH_DROP_BASELINE=1 drops them.
    if (process.env.BENCH_DROP_BASELINE === '1') await db.query('drop schema if exists bench_baseline cascade').catch(() => undefined);
    await admin.end();
    await db.end();
  }
  if (readSummary.length > 0) {
    console.log('\n== reads from size to size: now vs before (ms, p50 / p95 / p99) ==');
    table(['learners', 'global xp now', 'before', 'org xp now', 'before', 'followed xp now', 'before', 'load average'], readSummary);
  }
  if (summary.length === 0) return;
  console.log('\n== growth from size to size (live vs old) ==');
  table(['learners', 'global xp now p50/95/99', 'before', 'org xp now', 'before', 'followed now', 'freshness p50', 'background live/old', `submits/s ${CLIENTS} clients now / before / floor (now/before)`], summary);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
