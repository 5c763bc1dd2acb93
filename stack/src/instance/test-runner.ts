// `npm test`: every suite on a disposable instance, then one summary line `N passed, N failed`.
import { readFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { instance, projectRoot, readConfig, supabaseDir, type Instance } from '../config.ts';
import { advisors, generateTypes, installedExtensions, TYPES_FILE } from './database.ts';
import { StackError } from '../errors.ts';
import { run } from './exec.ts';
import { importMapFlag, resolveFunctions } from '../edge-runtime/definitions.ts';
import { denoBinary, denoEnv, runDeno, runtimePermissions } from '../edge-runtime/deno.ts';
import { PRELOAD } from '../edge-runtime/worker.ts';
import { pgEnv, psql, psqlArgs } from './psql.ts';
import { rebuild, start, statusVars, stop } from './lifecycle.ts';
import { tally, type Tally } from './tap.ts';

interface SuiteResult extends Tally {
  name: string;
  seconds: number;
}

const results: SuiteResult[] = [];

async function suite(name: string, body: () => Promise<Tally>): Promise<SuiteResult> {
  const t0 = performance.now();
  let result: Tally;
  try {
    result = await body();
  } catch (e) {
    const msg = e instanceof StackError ? `${e.message}. Fix: ${e.fix}` : e instanceof Error ? e.message : String(e);
    result = { passed: 0, failed: 1, failures: [msg] };
  }
  const r = { name, seconds: (performance.now() - t0) / 1000, ...result };
  results.push(r);
  const mark = r.failed === 0 ? 'ok' : 'FAILED';
  console.log(`[${mark}] ${name}: ${r.passed} passed, ${r.failed} failed (${r.seconds.toFixed(1)}s)`);
  for (const f of r.failures) console.log(`    ✗ ${f}`);
  return r;
}

const check = (ok: boolean, failure: string): Tally => (ok ? { passed: 1, failed: 0, failures: [] } : { passed: 0, failed: 1, failures: [failure] });
const combine = (tallies: Tally[]): Tally => ({
  passed: tallies.reduce((n, t) => n + t.passed, 0),
  failed: tallies.reduce((n, t) => n + t.failed, 0),
  failures: tallies.flatMap((t) => t.failures),
});

/** What a new hosted project has enabled (platform contract §2.2; pg_graphql is opt-in since 2026). */
const HOSTED_DEFAULT_EXTENSIONS = ['pg_stat_statements', 'pgcrypto', 'plpgsql', 'supabase_vault', 'uuid-ossp'];
/** What the product's migrations must enable themselves. */
const PRODUCT_EXTENSIONS = ['pg_cron', 'pg_net'];

async function pgTap(inst: Instance): Promise<Tally> {
  const dir = join(projectRoot, 'supabase', 'tests');
  const files = readdirSync(dir).filter((f) => f.endsWith('.test.sql')).sort().map((f) => join(dir, f));
  if (files.length === 0) throw new StackError('no pgTAP tests found', 'add supabase/tests/*.test.sql');
  // As `supabase test db` does: pgtap is enabled for the run and dropped after it when the
  // project had not enabled it itself (a new hosted project does not have it).
  const hadPgtap = (await installedExtensions(inst)).includes('pgtap');
  await psql(inst, { sql: 'create extension if not exists pgtap with schema extensions' });
  const r = await run('pg_prove', ['--verbose', '--failures', ...psqlArgs(inst), ...files], { env: pgEnv() });
  if (!hadPgtap) await psql(inst, { sql: 'drop extension if exists pgtap' });
  const t = tally(r.stdout);
  if (r.code !== 0 && t.failed === 0) {
    // A file that died before its plan finished: pg_prove says so in its summary.
    const summary = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /Dubious|Bad plan|Failed \d+\/\d+|^psql:.*(ERROR|FATAL)/.test(l));
    return { ...t, failed: 1, failures: summary.length ? summary : [`pg_prove exited ${r.code}`] };
  }
  return t;
}

async function workspaceTests(workspace: string, env: NodeJS.ProcessEnv): Promise<Tally> {
  const r = await run('npm', ['test', '--silent', '-w', workspace], { cwd: projectRoot, env });
  const t = tally(r.stdout);
  if (r.code !== 0 && t.failed === 0) {
    return { ...t, failed: 1, failures: [`npm test -w ${workspace} exited ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join(' | ')}`] };
  }
  if (t.passed + t.failed === 0) return { ...t, failed: 1, failures: [`npm test -w ${workspace} ran no test`] };
  return t;
}

/** The lines of Deno's output that say what failed (type errors, lint findings, locations). */
function denoErrors(output: string): string {
  return output
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(error|TS\d+)|\bat file:/i.test(l) && !/^error: Type checking failed/.test(l))
    .slice(0, 6)
    .join(' | ');
}

/**
 * The edge functions under Deno itself: `deno test` over functions/ (TAP, with the permissions
 * functions get at runtime), then `deno check` of every function declared in config.toml and of
 * the runtime's preload, and `deno lint`. npm packages come from the registry once, then from .supabase/deno.
 */
export async function denoFunctions(): Promise<Tally> {
  const bin = denoBinary();
  const env = denoEnv();
  const dir = join(projectRoot, 'functions');
  const r = await runDeno(bin, ['test', ...runtimePermissions(), '--reporter=tap'], { cwd: dir, env });
  const tests = tally(r.stdout);
  if (r.code !== 0 && tests.failed === 0) {
    tests.failed = 1;
    tests.failures.push(`deno test exited ${r.code}: ${denoErrors(`${r.stdout}\n${r.stderr}`) || 'see `deno test` in functions/'}`);
  }
  if (tests.passed + tests.failed === 0) return { passed: 0, failed: 1, failures: ['deno test found no test in functions/ (name them *_test.ts)'] };

  const targets = [...resolveFunctions(readConfig().functions, supabaseDir()).values()].map((def) => ({
    label: `deno check ${def.name}`,
    args: ['check', ...importMapFlag(def.importMap), def.entrypoint],
    cwd: dirname(def.entrypoint),
  }));
  targets.push({ label: 'deno check the runtime preload', args: ['check', PRELOAD], cwd: dir });
  targets.push({ label: 'deno lint functions/', args: ['lint'], cwd: dir });
  const checks = await Promise.all(
    targets.map(async (t) => {
      const c = await runDeno(bin, t.args, { cwd: t.cwd, env });
      const why = denoErrors(`${c.stdout}\n${c.stderr}`);
      return check(c.code === 0, `${t.label}: ${why || `exited ${c.code}`}`);
    }),
  );
  return [tests, ...checks].reduce((a, b) => ({ passed: a.passed + b.passed, failed: a.failed + b.failed, failures: [...a.failures, ...b.failures] }));
}

function workspacesWithTests(): string[] {
  const root = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { workspaces: string[] };
  return root.workspaces.filter((ws) => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, ws, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    return Boolean(pkg.scripts?.test);
  });
}

/** Strict TypeScript over the Node workspaces (the web app is checked by svelte-check in its tests). */
async function typecheck(): Promise<Tally> {
  const tsc = join(projectRoot, 'node_modules', '.bin', 'tsc');
  const failures: string[] = [];
  for (const project of ['stack', 'tests']) {
    const r = await run(tsc, ['-p', project], { cwd: projectRoot, timeoutMs: 5 * 60_000 });
    if (r.code !== 0) failures.push(`tsc -p ${project}: ${r.stdout.trim().split('\n').slice(0, 5).join(' | ')}`);
  }
  return { passed: 2 - failures.length, failed: failures.length, failures };
}

export async function runTests(): Promise<number> {
  const started = performance.now();
  // Parallel runs (several checkouts or agents) each name their own instance and ports.
  const inst = instance(process.env.STACK_TEST_INSTANCE ?? 'test');
  const log = (msg: string) => console.log(`test: ${msg}`);
  // The runner stands in for a load balancer in front of the gateway: loopback is a trusted
  // proxy, so each test file can act as clients of its own through X-Forwarded-For. Requests
  // from any other address (tests use 127.x.y.z) are direct clients. The gateway is (re)started
  // below with this setting.
  process.env.STACK_TRUSTED_PROXIES ??= '127.0.0.1, ::1';
  // GoTrue's e-mail limit is instance-wide (config.toml: 30 an hour), and one run's suites sign up,
  // confirm and recover far more accounts than that. The limit itself is proven on an instance of
  // its own (tests/auth/overrides.test.ts sets it to 2); here it must not make suites depend on
  // how many e-mails the suites before them sent.
  process.env.AUTH_RATE_LIMIT_EMAIL_SENT ??= '10000';

  let bootstrapped: string[] = [];
  const hooks = { afterBootstrap: async () => void (bootstrapped = await installedExtensions(inst)) };
  const db = await suite('database: start, platform bootstrap, migrations, seed', async () => {
    // Every run starts from the migrations, whatever state the instance was left in.
    if ((await start(inst, log, hooks, { fresh: true })) !== 'built') await rebuild(inst, hooks);
    return check(true, '');
  });

  if (db.failed === 0) {
    await suite('extensions: a new database has only hosted defaults; the migrations enable the rest', async () => {
      const migrated = await installedExtensions(inst);
      return combine([
        check(bootstrapped.join() === HOSTED_DEFAULT_EXTENSIONS.join(),
          `after the platform bootstrap: ${bootstrapped.join(', ')}; a new hosted project has ${HOSTED_DEFAULT_EXTENSIONS.join(', ')}`),
        check(PRODUCT_EXTENSIONS.every((e) => migrated.includes(e)),
          `after the migrations: ${migrated.join(', ')}; they must enable ${PRODUCT_EXTENSIONS.join(', ')}`),
      ]);
    });
    await suite('types: web/src/lib/database.types.ts matches the database', async () => {
      const [fresh, committed] = await Promise.all([generateTypes(inst), readFile(TYPES_FILE, 'utf8').catch(() => '')]);
      return check(fresh === committed, 'the committed types are out of date: run `npm run stack -- types` (after `reset`) and commit the file');
    });
    await suite('advisors: supabase db advisors reports nothing at warn level', async () => {
      const { ok, report } = await advisors(inst);
      return check(ok, `advisors found issues:\n${report}`);
    });
    await suite('pgTAP: supabase/tests', () => pgTap(inst));
    const vars = await statusVars(inst);
    // The instance by name and ports, so tests that stop or restart parts of it find it again.
    const env = {
      ...process.env,
      ...vars,
      SUPABASE_URL: vars.API_URL,
      STACK_INSTANCE: inst.name,
      STACK_DB_PORT: String(inst.dbPort),
      STACK_API_PORT: String(inst.apiPort),
    };
    for (const ws of workspacesWithTests()) {
      await suite(`workspace ${ws}`, () => workspaceTests(ws, env));
    }
  }
  await suite('deno: functions (deno test, deno check)', denoFunctions);
  await suite('typecheck: tsc --strict over stack and tests', typecheck);
  await stop(inst).catch(() => undefined);

  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log(`\ntotal time ${((performance.now() - started) / 1000).toFixed(1)}s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
