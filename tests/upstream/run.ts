// `npm run upstream -- [suite...]`: Supabase's own client test suites (postgrest-js, auth-js,
// storage-js and supabase-js's integration suite, from the supabase/supabase-js monorepo at a
// pinned commit) run against this stack exactly as upstream runs them against `supabase start`:
// the stack is started with `--workdir` on each suite's own test project (its config.toml,
// migrations, seed and functions), on an instance and ports of its own. A development step, never
// part of `npm test`; see tests/upstream/README.md for what is scored and what is out of scope.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const CACHE = join(ROOT, '.upstream');

/** supabase/supabase-js at the commit whose suites are scored. */
export const COMMIT = '381bded5ced48c4621830576bf8cbecc34edc85c';
const CLONE_URL = 'https://github.com/supabase/supabase-js';

interface Suite {
  /** The package inside the monorepo; jest runs there, as upstream's nx targets do. */
  pkg: string;
  /** The folder holding supabase/, relative to pkg (upstream: `supabase start --workdir <it>`). */
  workdir: string;
  /** Commands upstream runs before the suite (nx dependsOn), in pkg. */
  setup: string[][];
  /** jest's arguments, as in upstream's nx `test:suite` target. */
  jest: string[];
  /** Imports the monorepo's other packages (pnpm workspace links), taken from their source. */
  workspaceImports?: boolean;
  /** Wanted pass rate of the in-scope tests that need a server. */
  goal: number;
  /** Our instance's API and database ports (the suite's own pair). */
  apiPort: number;
  dbPort: number;
}

export const SUITES: Record<string, Suite> = {
  'postgrest-js': {
    pkg: 'packages/core/postgrest-js',
    workdir: 'test',
    setup: [],
    jest: ['--testPathIgnorePatterns', 'test/v12/'],
    goal: 0.95,
    apiPort: 55413,
    dbPort: 55414,
  },
  'auth-js': {
    pkg: 'packages/core/auth-js',
    workdir: 'test',
    setup: [['node', 'test/generate-signing-keys.js']],
    jest: ['--config', 'jest.config.cli.js'],
    goal: 0.95,
    apiPort: 55415,
    dbPort: 55416,
  },
  'storage-js': {
    pkg: 'packages/core/storage-js',
    workdir: 'test',
    setup: [],
    jest: [],
    goal: 0.95,
    apiPort: 55417,
    dbPort: 55418,
  },
  'supabase-js': {
    pkg: 'packages/core/supabase-js',
    workdir: '.',
    setup: [],
    jest: ['test/integration.test.ts'],
    workspaceImports: true,
    goal: 1,
    apiPort: 55419,
    dbPort: 55420,
  },
};

/**
 * What the suites import from the registry: the packages' devDependencies (jest and ts-jest at the
 * monorepo's catalog versions) and runtime dependencies, without the build and lint tooling (nx,
 * tsdown, typedoc). `ws`: supabase-js's realtime tests fall back to it on Node < 22.
 */
const DEPENDENCIES: Record<string, string> = {
  jest: '30.4.2',
  'ts-jest': '^29.4.9',
  'ts-node': '^10.9.1',
  '@jest/globals': '^30.0.0',
  '@jest/types': '^30.0.0',
  '@types/jest': '30.0.0',
  '@types/node': '20.19.9',
  typescript: '~5.8.3',
  tslib: '2.8.1',
  prettier: '^3.6.2',
  jsonwebtoken: '^9.0.0',
  '@types/jsonwebtoken': '^8.5.8',
  '@faker-js/faker': '^9.9.0',
  'jest-mock-server': '^0.1.0',
  'jest-environment-jsdom': '30.4.1',
  zod: '^3.25.76',
  'type-fest': '^4.32.0',
  'iceberg-js': '^0.8.1',
  '@supabase/phoenix': '0.4.5',
  '@opentelemetry/api': '^1.9.0',
  '@opentelemetry/context-async-hooks': '^2.8.0',
  '@opentelemetry/core': '^2.8.0',
  '@opentelemetry/sdk-trace-node': '^2.8.0',
  ws: '^8.18.0',
};

/**
 * The monorepo's own packages, which pnpm links and nx builds (each with its own tsconfig and
 * bundler, declarations included) before a dependant's tests: here jest takes them from source.
 * Without their built declarations TypeScript cannot type the imports, so ts-jest only compiles
 * (no type diagnostics): the suite's types are upstream's `test:types` business, not the server's.
 */
function workspaceArgs(tree: string): string[] {
  const mapper = {
    '^@supabase/(auth|functions|postgrest|realtime|storage)-js$': join(tree, 'packages/core/$1-js/src/index.ts'),
    '^@supabase/tracing$': join(tree, 'packages/shared/tracing/src/index.ts'),
  };
  return [`--moduleNameMapper=${JSON.stringify(mapper)}`, `--globals=${JSON.stringify({ 'ts-jest': { diagnostics: false } })}`];
}

const OutOfScope = z.array(
  z.object({
    suite: z.string(),
    /** Test file (path in the package) or folder prefix. */
    file: z.string(),
    /** A jest full test name, or a prefix ending in `*`; absent: the whole file. */
    test: z.string().optional(),
    reason: z.string().min(1),
    /** Files jest does not run at all (another config, e.g. auth-js's docker-tests). */
    notRun: z.boolean().default(false),
  }),
);
type OutOfScope = z.infer<typeof OutOfScope>[number];

const JestResults = z.object({
  testResults: z.array(
    z.object({
      name: z.string(),
      message: z.string().default(''),
      assertionResults: z.array(
        z.object({ fullName: z.string(), status: z.string(), failureMessages: z.array(z.string()).nullable().default([]) }),
      ),
    }),
  ),
});

const log = (msg: string) => console.error(`upstream: ${msg}`);

class UpstreamError extends Error {}

function sh(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: Buffer } = {}): string {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, input: opts.input, maxBuffer: 1 << 30 });
  if (r.status !== 0) {
    throw new UpstreamError(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${String(r.stderr).trim().split('\n').slice(-5).join(' | ')}`);
  }
  return String(r.stdout);
}

/** Runs a command with its output streamed to a log file; resolves with its exit code. */
function runLogged(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string; timeoutMs: number }): Promise<number> {
  return new Promise((res) => {
    mkdirSync(dirname(opts.logFile), { recursive: true });
    writeFileSync(opts.logFile, `$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const append = (b: Buffer) => writeFileSync(opts.logFile, b, { flag: 'a' });
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      res(code ?? 1);
    });
  });
}

/** A git dir or checkout holding the pinned commit: UPSTREAM_SUPABASE_JS, or a clone in the cache. */
function gitSource(): string[] {
  const given = process.env.UPSTREAM_SUPABASE_JS;
  const candidates = given ? [given] : [join(CACHE, 'supabase-js.git')];
  for (const dir of candidates) {
    for (const args of [['--git-dir', dir], ['-C', dir]]) {
      const r = spawnSync('git', [...args, 'cat-file', '-e', `${COMMIT}^{commit}`]);
      if (r.status === 0) return args;
    }
  }
  if (given) throw new UpstreamError(`UPSTREAM_SUPABASE_JS=${given} has no commit ${COMMIT}; fetch it there first`);
  log(`cloning ${CLONE_URL} (set UPSTREAM_SUPABASE_JS to a local clone to skip this)`);
  const r = spawnSync('git', ['clone', '--bare', '--filter=blob:none', CLONE_URL, candidates[0]!], { stdio: 'inherit' });
  if (r.status !== 0) {
    throw new UpstreamError(
      `cannot clone ${CLONE_URL}; set UPSTREAM_SUPABASE_JS to a git dir or checkout of supabase/supabase-js that has commit ${COMMIT}`,
    );
  }
  return ['--git-dir', candidates[0]!];
}

/** The monorepo's tree at the pinned commit, exported once into the cache. */
function exportTree(): string {
  const tree = join(CACHE, COMMIT);
  const marker = join(tree, '.exported');
  if (existsSync(marker)) return tree;
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  log(`exporting supabase-js ${COMMIT.slice(0, 10)} into ${tree}`);
  const archive = spawnSync('git', [...gitSource(), 'archive', '--format=tar', COMMIT], { maxBuffer: 1 << 30 });
  if (archive.status !== 0) throw new UpstreamError(`git archive failed: ${String(archive.stderr).trim()}`);
  sh('tar', ['-x', '-C', tree], { input: archive.stdout });
  writeFileSync(marker, COMMIT);
  return tree;
}

/** The suites' npm dependencies in the cache, installed again only when the list changes. */
function installDependencies(): void {
  const manifest = JSON.stringify({ name: 'upstream-suites', private: true, dependencies: DEPENDENCIES }, null, 2);
  const hash = createHash('sha256').update(manifest).digest('hex');
  const marker = join(CACHE, 'node_modules', '.installed');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === hash) return;
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(join(CACHE, 'package.json'), manifest);
  log('installing the suites\' dependencies from the npm registry (once)');
  sh('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--workspaces=false', '--prefix', CACHE], { cwd: CACHE });
  writeFileSync(marker, hash);
}

/**
 * Writes `transform(original)` over `path`, the original kept beside it (`<path>.upstream`) so
 * that every run edits upstream's text afresh; true when the transform changed something.
 */
function editFile(path: string, transform: (text: string) => string): boolean {
  const pristine = `${path}.upstream`;
  if (!existsSync(pristine)) copyFileSync(path, pristine);
  const original = readFileSync(pristine, 'utf8');
  const edited = transform(original);
  writeFileSync(path, edited);
  return edited !== original;
}

/**
 * The only edits made to a suite's project (issue 12): the CLI 3 name of the mail sink section,
 * and a text column where PostGIS is not installed. Returns what was edited.
 */
function adaptProject(workdir: string, hasPostgis: boolean): string[] {
  const edits: string[] = [];
  if (editFile(join(workdir, 'supabase', 'config.toml'), (toml) => toml.replace(/^\[inbucket\]/m, '[local_smtp]'))) {
    edits.push('config.toml: [inbucket] renamed [local_smtp]');
  }
  const migrations = join(workdir, 'supabase', 'migrations');
  if (!existsSync(migrations)) return edits;
  for (const file of readdirSync(migrations).filter((f) => f.endsWith('.sql'))) {
    const withoutPostgis = (sql: string) =>
      hasPostgis
        ? sql
        : sql
            .replace(/^create extension if not exists postgis\b[^;]*;/gim, '-- (upstream runner) PostGIS is not installed here')
            .replace(/extensions\.geometry\s*\([^)]*\)/gi, 'text');
    if (editFile(join(migrations, file), withoutPostgis)) edits.push(`${file}: PostGIS geometry column as text`);
  }
  return edits;
}

function postgisAvailable(): boolean {
  const r = spawnSync('pg_config', ['--sharedir']);
  const share = r.status === 0 ? String(r.stdout).trim() : '/usr/share/postgresql/15';
  return existsSync(join(share, 'extension', 'postgis.control'));
}

function stackEnv(name: string, suite: Suite): NodeJS.ProcessEnv {
  return {
    ...process.env,
    STACK_INSTANCE: `upstream-${name}`,
    STACK_API_PORT: String(suite.apiPort),
    STACK_DB_PORT: String(suite.dbPort),
  };
}

function stack(args: string[], env: NodeJS.ProcessEnv): string {
  return sh(process.execPath, ['--import', 'tsx', join(ROOT, 'stack', 'src', 'instance', 'cli.ts'), ...args], { cwd: ROOT, env });
}

/**
 * `stack start`, tried again when a port was briefly taken: on a busy machine an outgoing
 * connection's ephemeral port can be the very one postgres is about to bind.
 */
function startStack(workdir: string, env: NodeJS.ProcessEnv): void {
  for (let attempt = 1; ; attempt++) {
    try {
      stack(['start', '--workdir', workdir], env);
      return;
    } catch (e) {
      if (attempt >= 3 || !(e instanceof UpstreamError) || !/already in use|could not create any TCP\/IP sockets/.test(e.message)) throw e;
      log(`a port was busy; starting again (${e.message.slice(-120)})`);
      spawnSync('sleep', ['3']);
    }
  }
}

/**
 * Stands in for "no server" on the API port: every request is answered 418 and every WebSocket
 * refused. (A closed port would do, but the clients retry refused connections with back-off, which
 * turns a run into hours; the database port is simply closed.)
 */
async function nullServer(): Promise<{ port: number; close: () => void }> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(418, { 'content-type': 'application/json' }).end('{"message":"no server here"}');
  });
  server.on('upgrade', (_req, socket) => socket.destroy());
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

interface TestResult {
  file: string;
  name: string;
  passed: boolean;
  error: string;
}

async function runJest(name: string, suite: Suite, tree: string, env: NodeJS.ProcessEnv, portMap: string, label: string): Promise<TestResult[]> {
  const pkgDir = join(tree, suite.pkg);
  const out = join(CACHE, 'results', `${name}.${label}.json`);
  rmSync(out, { force: true });
  const args = [
    // The suites expect Node 22's global WebSocket (realtime); Node 20 has it behind a flag.
    ...(Number(process.versions.node.split('.')[0]) < 22 ? ['--experimental-websocket'] : []),
    '--require',
    join(HERE, 'port-map.cjs'),
    join(CACHE, 'node_modules', 'jest', 'bin', 'jest.js'),
    ...suite.jest,
    '--runInBand',
    '--ci',
    '--coverage=false',
    ...(suite.workspaceImports ? workspaceArgs(tree) : []),
    '--json',
    `--outputFile=${out}`,
  ];
  const code = await runLogged(process.execPath, args, {
    cwd: pkgDir,
    env: { ...env, UPSTREAM_PORT_MAP: portMap },
    logFile: join(CACHE, 'results', `${name}.${label}.log`),
    timeoutMs: 30 * 60_000,
  });
  if (!existsSync(out)) throw new UpstreamError(`jest wrote no results for ${name} (exit ${code}); see .upstream/results/${name}.${label}.log`);
  return readResults(out, pkgDir);
}

const FILE_FAILED = '(test file failed to run)';

/** jest's JSON results, one entry per test that ran. */
function readResults(out: string, pkgDir: string): TestResult[] {
  const parsed = JestResults.parse(JSON.parse(readFileSync(out, 'utf8')));
  const results: TestResult[] = [];
  for (const file of parsed.testResults) {
    const rel = file.name.slice(pkgDir.length + 1);
    if (file.assertionResults.length === 0) {
      // A file that did not run (compile error, missing module) is one failing entry.
      results.push({ file: rel, name: FILE_FAILED, passed: false, error: firstLine(file.message) });
    }
    for (const a of file.assertionResults) {
      if (a.status === 'pending' || a.status === 'todo' || a.status === 'skipped') continue;
      results.push({ file: rel, name: a.fullName, passed: a.status === 'passed', error: firstLine((a.failureMessages ?? []).join('\n')) });
    }
  }
  return results;
}

/** A failure's first meaningful line, without jest's colour codes; an expectation's with what it received. */
export function firstLine(message: string): string {
  const lines = message.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim()).filter(Boolean);
  let line = lines.find((l) => !/^●/.test(l)) ?? '';
  // A snapshot's differing line of ours (`+`), the error message it shows if any, else a plain
  // expectation's `Received:` line.
  const ours = lines.some((l) => l.startsWith('+ Received')) ? lines.filter((l) => /^\+\s/.test(l) && !l.startsWith('+ Received')) : [];
  const diff = ours.find((l) => /"message":/.test(l)) ?? ours[0];
  const received = diff ?? lines.find((l) => /^Received( string| has value)?:/.test(l));
  if (received && line !== received) line = `${line} — ${received.replace(/\s+/g, ' ')}`;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function outOfScopeFor(name: string): OutOfScope[] {
  return OutOfScope.parse(JSON.parse(readFileSync(join(HERE, 'out-of-scope.json'), 'utf8'))).filter((o) => o.suite === name);
}

export function matches(o: OutOfScope, t: { file: string; name: string }): boolean {
  if (!(t.file === o.file || (o.file.endsWith('/') && t.file.startsWith(o.file)))) return false;
  if (o.test === undefined) return true;
  return o.test.endsWith('*') ? t.name.startsWith(o.test.slice(0, -1)) : t.name === o.test;
}

export interface Score {
  total: number;
  passed: number;
  failed: number;
  noServer: number;
  outOfScope: number;
  inScope: number;
  inScopePassed: number;
  failures: TestResult[];
  outOfScopeFailures: TestResult[];
}

/**
 * In scope: the tests that need a server, i.e. that fail when no server answers (the same suite
 * run with the API port pointing nowhere) or fail against ours, less the listed out-of-scope ones.
 * A test that passes both with and without a server cannot tell whether the server works.
 */
export function score(withServer: TestResult[], withoutServer: TestResult[], outOfScope: OutOfScope[]): Score {
  const key = (t: TestResult) => `${t.file}\u0000${t.name}`;
  const passesAlone = new Set(withoutServer.filter((t) => t.passed).map(key));
  const s: Score = { total: 0, passed: 0, failed: 0, noServer: 0, outOfScope: 0, inScope: 0, inScopePassed: 0, failures: [], outOfScopeFailures: [] };
  for (const t of withServer) {
    s.total++;
    if (t.passed) s.passed++;
    else s.failed++;
    if (t.passed && passesAlone.has(key(t))) {
      s.noServer++;
      continue;
    }
    if (outOfScope.some((o) => matches(o, t))) {
      s.outOfScope++;
      if (!t.passed) s.outOfScopeFailures.push(t);
      continue;
    }
    s.inScope++;
    if (t.passed) s.inScopePassed++;
    else s.failures.push(t);
  }
  return s;
}

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);

/** Known causes of failures (tests/upstream/areas.json): a substring of the error or test name, and whose work it is. */
const Areas = z.array(z.object({ match: z.string().min(1), area: z.string().min(1) }));

/** The failures counted by their known cause, then by their error line. */
function causes(failures: TestResult[]): string[] {
  const areas = Areas.parse(JSON.parse(readFileSync(join(HERE, 'areas.json'), 'utf8')));
  const counts = new Map<string, number>();
  for (const f of failures) {
    const cause = areas.find((a) => f.error.includes(a.match))?.area ?? areas.find((a) => f.name.includes(a.match))?.area ?? `error: ${f.error}`;
    counts.set(cause, (counts.get(cause) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([cause, n]) => `${String(n).padStart(4)}  ${cause}`);
}

function report(name: string, suite: Suite, s: Score, edits: string[], notRun: OutOfScope[]): string {
  const lines = [
    `${name} @ supabase-js ${COMMIT.slice(0, 10)} — ${new Date().toISOString()}`,
    `total ${s.total}, passed ${s.passed}, failed ${s.failed}; needs no server ${s.noServer}; out of scope ${s.outOfScope}`,
    `in scope ${s.inScopePassed}/${s.inScope} = ${pct(s.inScopePassed, s.inScope)} (goal ${(suite.goal * 100).toFixed(0)}%: ${
      s.inScope > 0 && s.inScopePassed / s.inScope >= suite.goal ? 'met' : 'NOT met'
    })`,
    ...edits.map((e) => `edit: ${e}`),
    ...notRun.map((o) => `not run: ${o.file} — ${o.reason}`),
    '',
    `failing in scope, by cause:`,
    ...causes(s.failures),
    '',
    `failing in scope (${s.failures.length}):`,
    ...s.failures.map((f) => `- ${f.file} › ${f.name}\n    ${f.error}`),
    '',
    `failing, out of scope (${s.outOfScopeFailures.length}):`,
    ...s.outOfScopeFailures.map((f) => `- ${f.file} › ${f.name}\n    ${f.error}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Scores the results a run left, writes `<suite>.txt` (and into reportDir), prints the summary. */
function scoreAndReport(name: string, suite: Suite, withServer: TestResult[], withoutServer: TestResult[], edits: string[], reportDir?: string): Score {
  const outOfScope = outOfScopeFor(name);
  const s = score(withServer, withoutServer, outOfScope.filter((o) => !o.notRun));
  const text = report(name, suite, s, edits, outOfScope.filter((o) => o.notRun));
  writeFileSync(join(CACHE, 'results', `${name}.txt`), text);
  if (reportDir) {
    mkdirSync(reportDir, { recursive: true });
    copyFileSync(join(CACHE, 'results', `${name}.txt`), join(reportDir, `${name}.txt`));
  }
  console.log(text.split('\n\n')[0]);
  return s;
}

/** `--rescore`: the last run's results scored again (after an edit of out-of-scope.json, say). */
function rescore(name: string, suite: Suite, reportDir?: string): Score {
  const tree = join(CACHE, COMMIT);
  const server = join(CACHE, 'results', `${name}.server.json`);
  const alone = join(CACHE, 'results', `${name}.no-server.cache.json`);
  if (!existsSync(server) || !existsSync(alone)) throw new UpstreamError(`no earlier run of ${name} to score; run it first`);
  const withServer = readResults(server, join(tree, suite.pkg));
  const editsFile = join(CACHE, 'results', `${name}.edits.json`);
  const edits = existsSync(editsFile) ? (JSON.parse(readFileSync(editsFile, 'utf8')) as string[]) : [];
  return scoreAndReport(name, suite, withServer, JSON.parse(readFileSync(alone, 'utf8')) as TestResult[], edits, reportDir);
}

async function runSuite(name: string, suite: Suite, opts: { reportDir?: string; keep: boolean }): Promise<Score> {
  const tree = exportTree();
  installDependencies();
  const pkgDir = join(tree, suite.pkg);
  const workdir = join(pkgDir, suite.workdir);
  const edits = adaptProject(workdir, postgisAvailable());
  mkdirSync(join(CACHE, 'results'), { recursive: true });
  writeFileSync(join(CACHE, 'results', `${name}.edits.json`), JSON.stringify(edits));
  for (const cmd of suite.setup) sh(cmd[0]!, cmd.slice(1), { cwd: pkgDir });

  const env = stackEnv(name, suite);
  log(`${name}: starting the stack on ${workdir} (instance upstream-${name}, API ${suite.apiPort})`);
  try {
    startStack(workdir, env);
    stack(['reset', '--workdir', workdir], env);
    const vars = Object.fromEntries(
      stack(['status', '-o', 'env', '--workdir', workdir], env)
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    ) as Record<string, string>;
    // What `supabase status -o env` exports, under the names the suites and their docs use.
    const suiteEnv: NodeJS.ProcessEnv = {
      ...process.env,
      ...vars,
      SUPABASE_URL: vars.API_URL,
      SUPABASE_ANON_KEY: vars.ANON_KEY,
      SUPABASE_SERVICE_ROLE_KEY: vars.SERVICE_ROLE_KEY,
      SUPABASE_PUBLISHABLE_KEY: vars.PUBLISHABLE_KEY,
      SUPABASE_SECRET_KEY: vars.SECRET_KEY,
    };
    const portMap = `54321=${suite.apiPort},54322=${suite.dbPort}`;
    log(`${name}: running jest (log: .upstream/results/${name}.server.log)`);
    const withServer = await runJest(name, suite, tree, suiteEnv, portMap, 'server');

    const aloneFile = join(CACHE, 'results', `${name}.no-server.cache.json`);
    let withoutServer: TestResult[];
    if (existsSync(aloneFile)) {
      withoutServer = JSON.parse(readFileSync(aloneFile, 'utf8')) as TestResult[];
    } else {
      log(`${name}: running jest once with no real server, to find the tests that need one`);
      const nobody = await nullServer();
      try {
        withoutServer = await runJest(name, suite, tree, suiteEnv, `54321=${nobody.port},54322=1`, 'no-server');
      } finally {
        nobody.close();
      }
      // A file that did not even compile says nothing about the server: no cache, run it again next time.
      if (!withoutServer.some((t) => t.name === FILE_FAILED)) writeFileSync(aloneFile, JSON.stringify(withoutServer));
    }
    return scoreAndReport(name, suite, withServer, withoutServer, edits, opts.reportDir);
  } finally {
    if (!opts.keep) stack(['stop', '--workdir', workdir], env);
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { report: { type: 'string' }, keep: { type: 'boolean' }, rescore: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(`usage: npm run upstream -- [${Object.keys(SUITES).join('|')} ...] [--report <dir>] [--keep]

  Runs Supabase's client suites (supabase/supabase-js ${COMMIT.slice(0, 10)}) against the stack.
  Source: UPSTREAM_SUPABASE_JS (a git dir or checkout), else a clone into .upstream/.
  --report <dir>  also write <dir>/<suite>.txt (failing tests and their first error line)
  --keep          leave each suite's stack instance running afterwards
  --rescore       score the last run's results again, running nothing`);
    return 0;
  }
  const names = positionals.length ? positionals : Object.keys(SUITES);
  for (const n of names) if (!SUITES[n]) throw new UpstreamError(`unknown suite "${n}"; use ${Object.keys(SUITES).join(', ')}`);
  let ok = true;
  for (const n of names) {
    const suite = SUITES[n]!;
    try {
      const s = values.rescore ? rescore(n, suite, values.report) : await runSuite(n, suite, { reportDir: values.report, keep: values.keep ?? false });
      ok &&= s.inScope > 0 && s.inScopePassed / s.inScope >= suite.goal;
    } catch (e) {
      // One suite that cannot run (its project does not start, say) does not stop the others.
      if (!(e instanceof UpstreamError)) throw e;
      console.log(`${n}: did not run: ${e.message}`);
      if (values.report) writeFileSync(join(values.report, `${n}.txt`), `${n} @ supabase-js ${COMMIT.slice(0, 10)}: did not run: ${e.message}\n`);
      ok = false;
    }
  }
  return ok ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
