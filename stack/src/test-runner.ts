// `npm test`: every suite on a disposable instance, then one summary line `N passed, N failed`.
import { readFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { instance, projectRoot, type Instance } from './config.ts';
import { advisors, generateTypes, reset } from './database.ts';
import { StackError } from './errors.ts';
import { run } from './exec.ts';
import { pgEnv, psqlArgs } from './psql.ts';
import { start, statusVars, stop } from './stack.ts';
import { tally, type Tally } from './tap.ts';
import { TYPES_FILE } from './types-file.ts';

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

async function pgTap(inst: Instance): Promise<Tally> {
  const dir = join(projectRoot, 'supabase', 'tests');
  const files = readdirSync(dir).filter((f) => f.endsWith('.test.sql')).sort().map((f) => join(dir, f));
  if (files.length === 0) throw new StackError('no pgTAP tests found', 'add supabase/tests/*.test.sql');
  const r = await run('pg_prove', ['--verbose', '--failures', ...psqlArgs(inst), ...files], { env: pgEnv() });
  const t = tally(r.stdout);
  if (r.code !== 0 && t.failed === 0) {
    // A file that died before its plan finished: pg_prove says so in its summary.
    const summary = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /Dubious|Bad plan|Parse errors|ERROR|Failed/.test(l));
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

function workspacesWithTests(): string[] {
  const root = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { workspaces: string[] };
  return root.workspaces.filter((ws) => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, ws, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    return Boolean(pkg.scripts?.test);
  });
}

export async function runTests(): Promise<number> {
  const started = performance.now();
  // Parallel runs (several checkouts or agents) each name their own instance and ports.
  const inst = instance(process.env.STACK_TEST_INSTANCE ?? 'test');
  const log = (msg: string) => console.log(`test: ${msg}`);

  const db = await suite('database: start, platform bootstrap, migrations, seed', async () => {
    // Every run starts from the migrations, whatever state the instance was left in.
    if ((await start(inst, log)) !== 'built') await reset(inst);
    return check(true, '');
  });

  if (db.failed === 0) {
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
    const env = { ...process.env, ...vars, SUPABASE_URL: vars.API_URL, STACK_INSTANCE: inst.name };
    for (const ws of workspacesWithTests()) {
      await suite(`workspace ${ws}`, () => workspaceTests(ws, env));
    }
  }
  await stop(inst).catch(() => undefined);

  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log(`\ntotal time ${((performance.now() - started) / 1000).toFixed(1)}s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
