// `npm run stack -- <command>`: the local stack, modelled on the Supabase CLI.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { instance, projectRoot, type Instance } from '../config.ts';

/** The web app's dev server port (web/package.json `dev`). */
const WEB_PORT = 5173;
import { generateTypes, TYPES_FILE } from './database.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, ensureDemoContent } from './demo.ts';
import { psql } from './psql.ts';
import { StackError } from '../errors.ts';
import { gatewayLog } from './gateway-process.ts';
import { isRunning } from './cluster.ts';
import { formatStatus, rebuild, start, statusVars, stop } from './lifecycle.ts';
import { runTests } from './test-runner.ts';

const log = (msg: string) => console.error(`stack: ${msg}`);

/** The benchmarks under tests/bench, each a script that prints its figures. */
const BENCHES: Record<string, string> = {
  rest: 'tests/bench/rest.ts',
  graphql: 'tests/bench/graphql.ts',
  realtime: 'tests/bench/realtime.ts',
  learning: 'tests/bench/learning/bench.ts',
  leaderboards: 'tests/bench/leaderboards/bench.ts',
  load: 'tests/bench/load.ts',
  ai: 'tests/bench/ai.ts',
  email: 'tests/bench/email.ts',
  web: 'tests/bench/web.ts',
  jwt: 'tests/bench/jwt.ts',
};

const USAGE = `usage: npm run stack -- <command>

  start             start the database (created and built the first time); idempotent
  stop              stop it; the data is kept
  status [-o env|json|pretty]
                    connection details and keys
  reset             drop and rebuild the database: platform bootstrap, migrations, seed
  logs [db|gateway] [-f]
                    the database's or the gateway's log (-f: follow)
  types             regenerate web/src/lib/database.types.ts from the database
  up                start everything in the foreground; Ctrl-C stops it (npm start)
  bench <name>      run a benchmark of tests/bench against the running instance:
                    ${Object.keys(BENCHES).join(', ')}
  test              run every test suite on a disposable instance (npm test)

  --workdir <dir>   run the Supabase project in <dir> (its supabase/config.toml, migrations,
                    seed and functions) instead of this repository's, as the Supabase CLI's
                    --workdir does; give it to every command for that instance. The instance's
                    data stays in .supabase/<instance> here; types prints that project's types.

STACK_INSTANCE selects the instance (default dev; tests use test).`;

async function requireRunning(inst: Instance): Promise<void> {
  if (!(await isRunning(inst))) {
    throw new StackError(`the ${inst.name} stack is not running`, 'start it with: npm run stack -- start');
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      follow: { type: 'boolean', short: 'f' },
      help: { type: 'boolean', short: 'h' },
      workdir: { type: 'string' },
    },
  });
  const [command] = positionals;
  if (!command || values.help) {
    console.log(USAGE);
    return command || values.help ? 0 : 1;
  }
  if (command === 'test') return runTests();
  if (values.workdir !== undefined) {
    const dir = resolve(values.workdir);
    if (!existsSync(join(dir, 'supabase', 'config.toml'))) {
      throw new StackError(`no supabase/config.toml in ${dir}`, 'give --workdir the folder that holds supabase/ (run `supabase init` there)');
    }
    // The environment carries the project to everything the command starts (the gateway, the CLI).
    process.env.STACK_WORKDIR = dir;
  }

  const inst = instance();
  switch (command) {
    case 'start': {
      const outcome = await start(inst, log);
      if (outcome === 'already running') log(`the ${inst.name} stack is already running`);
      console.log(formatStatus(await statusVars(inst), 'pretty'));
      return 0;
    }
    case 'stop':
      log(`${inst.name}: ${await stop(inst)}`);
      return 0;
    case 'status': {
      const format = values.output ?? 'pretty';
      if (format !== 'env' && format !== 'json' && format !== 'pretty') {
        throw new StackError(`unknown output format "${format}"`, 'use -o env, -o json or -o pretty');
      }
      await requireRunning(inst);
      console.log(formatStatus(await statusVars(inst), format));
      return 0;
    }
    case 'reset':
      await requireRunning(inst);
      log('rebuilding the database: platform bootstrap, migrations, seed');
      await rebuild(inst);
      log('done');
      return 0;
    case 'logs': {
      const which = positionals[1] ?? 'db';
      if (which !== 'db' && which !== 'gateway') throw new StackError(`unknown log "${which}"`, 'use logs db or logs gateway');
      const file = which === 'db' ? inst.logFile : gatewayLog(inst);
      if (!existsSync(file)) throw new StackError(`no log yet at ${file}`, 'start the stack first');
      const child = spawn('tail', [values.follow ? '-f' : '-n200', file], { stdio: 'inherit' });
      return new Promise((res) => child.on('close', (code) => res(code ?? 0)));
    }
    case 'types': {
      await requireRunning(inst);
      const types = await generateTypes(inst);
      // Another project's types are printed (as `supabase gen types` does), never written over the web app's.
      if (values.workdir !== undefined) {
        process.stdout.write(types);
        return 0;
      }
      await writeFile(TYPES_FILE, types);
      log(`wrote ${TYPES_FILE}`);
      return 0;
    }
    case 'up':
      if (values.workdir !== undefined) throw new StackError('up runs this repository\'s web app on its own project', 'use start --workdir <dir> instead');
      return up(inst);
    case 'bench':
      return bench(inst, positionals[1]);
    default:
      throw new StackError(`unknown command "${command}"`, 'run npm run stack -- --help');
  }
}

/** Runs a benchmark with the instance's URLs and keys in its environment, as the tests get them. */
async function bench(inst: Instance, name: string | undefined): Promise<number> {
  const script = name ? BENCHES[name] : undefined;
  if (!script) throw new StackError(`unknown benchmark "${name ?? ''}"`, `use one of: ${Object.keys(BENCHES).join(', ')}`);
  await requireRunning(inst);
  const vars = await statusVars(inst);
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, script)], {
    cwd: projectRoot,
    stdio: 'inherit',
    env: { ...process.env, ...vars, SUPABASE_URL: vars.API_URL, STACK_DB_PORT: String(inst.dbPort), STACK_INSTANCE: inst.name },
  });
  return new Promise((res) => child.on('close', (code) => res(code ?? 1)));
}

/** `npm start`: the stack and the web app in the foreground until Ctrl-C, then all stopped. */
async function up(inst: Instance): Promise<number> {
  // Edge functions reload on file change while a developer works.
  process.env.STACK_WATCH = '1';
  const outcome = await start(inst, log);
  if (outcome === 'already running') log(`the ${inst.name} stack was already running; it will be stopped on exit`);
  const vars = await statusVars(inst);
  if (inst.name === 'dev' && (await ensureDemoContent({ apiUrl: vars.API_URL, anonKey: vars.ANON_KEY, serviceRoleKey: vars.SERVICE_ROLE_KEY }))) {
    // the boards are live; the minutely job's pass (lapsed streaks, announcements) runs once now
    await psql(inst, { sql: 'select private.refresh_leaderboards()' });
    log(`demo content: sign in as ${DEMO_ACCOUNTS.map((a) => a.email).join(', ')} with the password ${DEMO_PASSWORD}`);
  }
  console.log(formatStatus(vars, 'pretty'));
  const web = spawn('npm', ['run', '--silent', 'dev', '-w', 'web'], {
    cwd: projectRoot,
    stdio: 'inherit',
    env: { ...process.env, PUBLIC_SUPABASE_URL: vars.API_URL, PUBLIC_SUPABASE_ANON_KEY: vars.ANON_KEY },
  });
  log(`web app: http://127.0.0.1:${WEB_PORT}; press Ctrl-C to stop everything`);
  // Ctrl-C reaches the web server too; only an exit of its own is worth reporting.
  let signalledFirst = false;
  const signalled = new Promise<number>((res) => {
    const onSignal = () => {
      signalledFirst = true;
      res(0);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  const webExited = new Promise<number>((res) =>
    web.once('exit', (c) => {
      if (!signalledFirst) log(`the web app exited (${c ?? 'signal'})`);
      res(1);
    }),
  );
  const code = await Promise.race([signalled, webExited]);
  log('stopping');
  if (web.exitCode === null) web.kill('SIGTERM');
  await stop(inst);
  return code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof StackError) {
      console.error(`error: ${err.message}. Fix: ${err.fix}.`);
    } else {
      console.error(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    process.exit(1);
  },
);
