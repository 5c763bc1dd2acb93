// Benchmark: the web app's weight and speed, against the budgets of docs/web-app.md (largest
// route's JavaScript <= 150 kB gzip; dashboard interactive <= 1.5 s on a mid phone profile with a
// year of history), beside a baseline measured the same way in the same run: the landing page.
//
//   1. Client JavaScript per route, from the production build: the SvelteKit client entry, the
//      app, the route's layouts and its page, each with its static imports (what the browser
//      loads before the page is interactive), gzip-compressed as the server sends it. Every
//      route is listed, the largest first.
//   2. Time to interactive in Debian's chromium (playwright-core) for a learner with a year of
//      history (generated through the real start_quiz/submit_quiz on past days, see
//      web/tests/e2e/learner-history.ts): BENCH_LOADS loads of /app (the dashboard) and of /
//      (the landing page), alternating, cold (HTTP cache disabled) and warm (a returning learner),
//      under a mid-phone profile: CPU slowed BENCH_CPU times, BENCH_RTT ms round trips, BENCH_MBPS
//      download. Per load: time to first byte (server render), the hydration mark the root layout
//      sets (`ascend:hydrated`) and "interactive" = hydrated and the end of the last long task
//      (> 50 ms) by then + 500 ms of quiet. Median, p95 and p99 per page and cache state.
//
// Run against a running instance: npm run bench -- web
// Knobs: BENCH_LOADS (default 15), BENCH_CPU (4), BENCH_RTT (60), BENCH_MBPS (9), BENCH_DAYS (365),
// BENCH_BUILD=reuse (measure the build already in web/build instead of building again).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { createConfirmedUser, launchBrowser, startApp, WEB, type Page } from '../../web/tests/e2e/harness.ts';
import { seedHistory } from '../../web/tests/e2e/learner-history.ts';
import { env } from '../support/env.ts';
import { percentile } from './measure.ts';

const LOADS = Number(process.env.BENCH_LOADS ?? 15);
const CPU = Number(process.env.BENCH_CPU ?? 4);
const RTT = Number(process.env.BENCH_RTT ?? 60);
const MBPS = Number(process.env.BENCH_MBPS ?? 9);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const BUDGET_KB = 150;
const BUDGET_MS = 1500;

const url = new URL(env.SUPABASE_URL);
if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname)) throw new Error(`refusing to benchmark a non-loopback host: ${url.hostname}`);

// ---------------------------------------------------------------------------
// 1. JavaScript per route
// ---------------------------------------------------------------------------

interface ManifestChunk {
  file: string;
  imports?: string[];
  isEntry?: boolean;
}

/** The production build, precompressed as it is deployed (the e2e build skips compression). */
function build(): void {
  const started = performance.now();
  const r = spawnSync(join(WEB, '..', 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'error'], { cwd: WEB, encoding: 'utf8', env: { ...process.env, ASCEND_E2E_BUILD: '' } });
  if (r.status !== 0) throw new Error(`vite build failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-8).join(' | ')}`);
  // The e2e harness would take this build for its own on a matching source hash; make it rebuild.
  spawnSync('rm', ['-f', join(WEB, 'build', '.source-hash')]);
  console.log(`production build: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

interface RouteSize {
  route: string;
  files: number;
  raw: number;
  gzip: number;
  chunks: { file: string; gzip: number }[];
}

function routeSizes(): RouteSize[] {
  const out = join(WEB, '.svelte-kit', 'output', 'client');
  const manifest = JSON.parse(readFileSync(join(out, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const gz = new Map<string, { raw: number; gzip: number }>();
  const size = (file: string) => {
    let s = gz.get(file);
    if (!s) {
      const bytes = readFileSync(join(out, file));
      s = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
      gz.set(file, s);
    }
    return s;
  };
  const closure = (key: string, into: Set<string>) => {
    const chunk = manifest[key];
    if (!chunk || into.has(chunk.file)) return;
    into.add(chunk.file);
    for (const i of chunk.imports ?? []) closure(i, into);
  };
  const keyOf = (suffix: string) => Object.keys(manifest).find((k) => k.endsWith(suffix));
  const entry = keyOf('kit/src/runtime/client/entry.js');
  const app = keyOf('generated/client-optimized/app.js');
  if (!entry || !app) throw new Error('the client manifest has no SvelteKit entry or app chunk');
  // The route dictionary: "/app/history": [~11, [2]] = page node 11 (~: has a server load) under layout 2.
  const appSource = readFileSync(join(WEB, '.svelte-kit', 'generated', 'client-optimized', 'app.js'), 'utf8');
  const dictionary = /export const dictionary = \{([\s\S]*?)\n\t?\};/.exec(appSource)?.[1] ?? '';
  const rows: RouteSize[] = [];
  for (const m of dictionary.matchAll(/"([^"]+)":\s*\[~?(\d+)(?:,\s*\[([^\]]*)\])?/g)) {
    const [, route, page, layouts] = m;
    const nodes = [0, ...(layouts ?? '').split(',').map((n) => n.replace(/[~\s]/g, '')).filter(Boolean).map(Number), Number(page)];
    const files = new Set<string>();
    closure(entry, files);
    closure(app, files);
    for (const n of nodes) {
      const key = keyOf(`generated/client-optimized/nodes/${n}.js`);
      if (key) closure(key, files);
    }
    const js = [...files].filter((f) => f.endsWith('.js'));
    rows.push({ route: route!, files: js.length, raw: js.reduce((s, f) => s + size(f).raw, 0), gzip: js.reduce((s, f) => s + size(f).gzip, 0), chunks: js.map((f) => ({ file: f, gzip: size(f).gzip })).sort((a, b) => b.gzip - a.gzip) });
  }
  if (rows.length === 0) throw new Error('no routes found in the client dictionary');
  return rows.sort((a, b) => b.gzip - a.gzip);
}

// ---------------------------------------------------------------------------
// 2. Time to interactive
// ---------------------------------------------------------------------------

const BENCH_EMAIL = 'bench-web-year@example.com';
const PASSWORD = 'bench-web-password-42';

/** The learner with a year of history (made once per database, kept for the next runs). */
async function yearLearner(): Promise<{ quizzes: number; seeded: number; seconds: number }> {
  const db = new pg.Client({ connectionString: env.DB_URL });
  await db.connect();
  try {
    let id = (await db.query<{ id: string }>('select id from auth.users where email = $1', [BENCH_EMAIL])).rows[0]?.id;
    if (!id) id = await createConfirmedUser(BENCH_EMAIL, PASSWORD, 'Bench Year');
    const count = async () => Number((await db.query<{ n: string }>(`select count(*) as n from public.quiz_attempts where user_id = $1 and status = 'submitted'`, [id])).rows[0]!.n);
    if ((await count()) > 0) return { quizzes: await count(), seeded: 0, seconds: 0 };
    const started = performance.now();
    // Two exams: Security+ every day or so, improving from 45% to 85%; Network+ on fewer days.
    let seeded = await seedHistory(env.DB_URL, { userId: id, exam: 'security', days: DAYS, size: 10, maxPerDay: 3, activePerTen: 7, accuracy: { from: 0.45, to: 0.85 } });
    seeded += await seedHistory(env.DB_URL, { userId: id, exam: 'network', days: Math.min(DAYS, 180), size: 10, maxPerDay: 1, activePerTen: 4, accuracy: { from: 0.5, to: 0.7 } });
    return { quizzes: await count(), seeded, seconds: (performance.now() - started) / 1000 };
  } finally {
    await db.end();
  }
}

interface Load {
  ttfb: number;
  hydrated: number;
  interactive: number;
}

/** One load of `path` in a fresh tab under the phone profile. */
async function load(page: Page, path: string, cold: boolean): Promise<Load> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: cold });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: RTT, downloadThroughput: (MBPS * 1e6) / 8, uploadThroughput: (MBPS * 1e6) / 8 / 4 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU });
  // Long tasks from the very start of the document.
  // (Scripts as strings: tsx's helpers do not exist in the page.)
  await page.addInitScript(`
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, end: e.startTime + e.duration });
    }).observe({ type: 'longtask', buffered: true });
  `);
  const res = await page.goto(path, { waitUntil: 'load' });
  if (!res || res.status() !== 200) throw new Error(`${path} answered ${res?.status()}`);
  if (path === '/app' && !page.url().endsWith('/app')) throw new Error(`not signed in: landed on ${page.url()}`);
  // Quiet: 500 ms without a long task after hydration (capped at 10 s).
  // (Polled in the page: waitForFunction evaluates strings with eval, which the CSP forbids.)
  const result = (await page.evaluate(`(async () => {
    const giveUp = performance.now() + 60000;
    while (performance.getEntriesByName('ascend:hydrated').length === 0) {
      if (performance.now() > giveUp) throw new Error('the page never hydrated');
      await new Promise((r) => setTimeout(r, 20));
    }
    const hydrated = performance.getEntriesByName('ascend:hydrated')[0].startTime;
    const nav = performance.getEntriesByType('navigation')[0];
    const lastEnd = () => Math.max(hydrated, ...window.__longTasks.map((t) => t.end));
    const deadline = performance.now() + 10000;
    while (performance.now() - lastEnd() < 500 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return { ttfb: nav.responseStart, hydrated, interactive: lastEnd() };
  })()`)) as Load;
  await cdp.detach();
  return result;
}

function row(label: string, xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const f = (x: number) => x.toFixed(0).padStart(7);
  return `${label.padEnd(40)} ${f(percentile(s, 50))} ${f(percentile(s, 95))} ${f(percentile(s, 99))}`;
}

// ---------------------------------------------------------------------------

if (process.env.BENCH_BUILD !== 'reuse') build();
const sizes = routeSizes();
const kb = (b: number) => (b / 1024).toFixed(1).padStart(7);
console.log(`\nclient JavaScript per route (static imports, gzip -9), largest first:`);
console.log(`${'route'.padEnd(40)} ${'files'.padStart(5)} ${'raw kB'.padStart(7)} ${'gzip kB'.padStart(7)}`);
for (const r of sizes) console.log(`${r.route.padEnd(40)} ${String(r.files).padStart(5)} ${kb(r.raw)} ${kb(r.gzip)}`);
const largest = sizes[0]!;
// Where the largest route's weight is, with the chunk's first source module when Vite names it.
console.log(`\nheaviest chunks of ${largest.route}:`);
for (const c of largest.chunks.slice(0, 6)) console.log(`  ${c.file.padEnd(52)} ${kb(c.gzip)} kB gzip`);
const landing = sizes.find((r) => r.route === '/');
const dashboard = sizes.find((r) => r.route === '/app');

const learner = await yearLearner();
console.log(`\nlearner with a year of history: ${learner.quizzes} quizzes${learner.seeded ? ` (${learner.seeded} generated now in ${learner.seconds.toFixed(1)} s)` : ' (from an earlier run)'}`);

const app = await startApp();
const browser = await launchBrowser();
const results: Record<string, number[]> = {};
const failures: string[] = [];
try {
  const ctx = await browser.newContext({ baseURL: app.url, viewport: { width: 412, height: 915 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const signIn = await ctx.newPage();
  await signIn.goto('/login');
  await signIn.getByLabel('Email').fill(BENCH_EMAIL);
  await signIn.getByLabel('Password').fill(PASSWORD);
  await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
  await signIn.waitForURL(/\/app$/, { timeout: 30_000 });
  await signIn.close();
  // Warm-up: the server's modules and connections, the database's caches.
  for (const path of ['/', '/app']) {
    const p = await ctx.newPage();
    await load(p, path, false);
    await p.close();
  }
  for (let i = 0; i < LOADS; i++) {
    for (const cold of [true, false]) {
      for (const [name, path] of [['landing /', '/'], ['dashboard /app', '/app']] as const) {
        const p = await ctx.newPage();
        const key = `${name} (${cold ? 'cold' : 'warm'})`;
        try {
          const r = await load(p, path, cold);
          for (const m of ['ttfb', 'hydrated', 'interactive'] as const) (results[`${key} ${m}`] ??= []).push(r[m]);
        } catch (e) {
          // Counted and shown, not hidden: a load that never became interactive within a minute.
          failures.push(`${key}: ${(e as Error).message.split('\n')[0]}`);
        } finally {
          await p.close();
        }
      }
    }
  }
} finally {
  await browser.close();
  await app.stop();
}

console.log(`\ntime to interactive, ${LOADS} loads each, phone profile: CPU ÷${CPU}, ${RTT} ms RTT, ${MBPS} Mbit/s (ms):`);
console.log(`${''.padEnd(40)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)}`);
for (const [k, v] of Object.entries(results)) console.log(row(k, v));

if (failures.length) console.log(`\n${failures.length} load(s) failed:\n  ${failures.join('\n  ')}`);
const median = (k: string) => percentile([...(results[k] ?? [])].sort((a, b) => a - b), 50);
const p95 = (k: string) => percentile([...(results[k] ?? [])].sort((a, b) => a - b), 95);
console.log(`\nsummary`);
console.log(`  largest route JS      ${largest.route}: ${(largest.gzip / 1024).toFixed(1)} kB gzip (budget ${BUDGET_KB} kB) ${largest.gzip / 1024 <= BUDGET_KB ? 'OK' : 'OVER'}`);
if (dashboard && landing) console.log(`  dashboard JS          ${(dashboard.gzip / 1024).toFixed(1)} kB gzip; landing (baseline) ${(landing.gzip / 1024).toFixed(1)} kB`);
for (const state of ['cold', 'warm']) {
  const d = `dashboard /app (${state}) interactive`;
  const l = `landing / (${state}) interactive`;
  console.log(`  dashboard interactive (${state}) median ${median(d).toFixed(0)} ms, p95 ${p95(d).toFixed(0)} ms (budget ${BUDGET_MS} ms) ${median(d) <= BUDGET_MS ? 'OK' : 'OVER'}; landing (baseline) median ${median(l).toFixed(0)} ms, p95 ${p95(l).toFixed(0)} ms`);
}
