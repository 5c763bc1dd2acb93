// `npm run stack -- <command>`: the local stack, modelled on the Supabase CLI.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { instance, type Instance } from './config.ts';
import { generateTypes, reset } from './database.ts';
import { StackError } from './errors.ts';
import { gatewayLog } from './gateway-process.ts';
import { isRunning } from './postgres.ts';
import { formatStatus, start, statusVars, stop } from './stack.ts';
import { runTests } from './test-runner.ts';
import { TYPES_FILE } from './types-file.ts';

const log = (msg: string) => console.error(`stack: ${msg}`);

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
  test              run every test suite on a disposable instance (npm test)

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
    options: { output: { type: 'string', short: 'o' }, follow: { type: 'boolean', short: 'f' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command] = positionals;
  if (!command || values.help) {
    console.log(USAGE);
    return command || values.help ? 0 : 1;
  }
  if (command === 'test') return runTests();

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
      await reset(inst);
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
    case 'types':
      await requireRunning(inst);
      await writeFile(TYPES_FILE, await generateTypes(inst));
      log(`wrote ${TYPES_FILE}`);
      return 0;
    case 'up':
      return up(inst);
    default:
      throw new StackError(`unknown command "${command}"`, 'run npm run stack -- --help');
  }
}

/** `npm start`: everything in the foreground until Ctrl-C, then everything stopped. */
async function up(inst: Instance): Promise<number> {
  const outcome = await start(inst, log);
  if (outcome === 'already running') log(`the ${inst.name} stack was already running; it will be stopped on exit`);
  console.log(formatStatus(await statusVars(inst), 'pretty'));
  log('running; press Ctrl-C to stop');
  await new Promise<void>((res) => {
    process.once('SIGINT', res);
    process.once('SIGTERM', res);
  });
  log('stopping');
  await stop(inst);
  return 0;
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
