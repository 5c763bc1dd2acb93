// The project-owned PostgreSQL 15 cluster of one stack instance: create, configure, start, stop.
import { createHash } from 'node:crypto';
import { appendFileSync, chownSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { DB_PASSWORD, type Instance } from '../config.ts';
import { StackError } from '../errors.ts';
import { lastLine, run } from './exec.ts';
import { isRoot, runAsPostgres } from './system-install.ts';

/**
 * Whether the server has `output_plugin_libraries` (PostgreSQL 15.20+ security releases): there
 * only the listed libraries may be logical decoding output plugins, and realtime needs wal2json.
 */
async function hasOutputPluginAllowList(): Promise<boolean> {
  const r = await runAsPostgres('postgres', ['--describe-config']);
  return r.code === 0 && /^output_plugin_libraries\t/m.test(r.stdout);
}

/**
 * Settings the stack owns; rewritten on every start so a change here takes effect. `durable`:
 * keep `fsync`, `synchronous_commit` and `full_page_writes` on (the default for `dev`).
 */
export async function serverSettings(inst: Instance, durable = !inst.disposable): Promise<Record<string, string>> {
  const settings: Record<string, string> = {
    port: String(inst.dbPort),
    listen_addresses: "'127.0.0.1'",
    // TCP only: no socket file in a directory the Postgres user may not own.
    unix_socket_directories: "''",
    shared_preload_libraries: "'pg_stat_statements, pg_cron'",
    'cron.database_name': "'postgres'",
    // Jobs run in background workers, so they need no password to connect back.
    'cron.use_background_workers': 'on',
    max_worker_processes: '32',
    wal_level: 'logical',
    max_replication_slots: '10',
    max_wal_senders: '10',
    timezone: "'UTC'",
    log_timezone: "'UTC'",
    max_connections: '200',
    // What supabase/postgres's image (`supabase start`) runs with; EXPLAIN (SETTINGS) shows it.
    effective_cache_size: "'128MB'",
    log_line_prefix: "'%m [%p] %q%u@%d '",
  };
  if (await hasOutputPluginAllowList()) settings.output_plugin_libraries = "'pgoutput, test_decoding, wal2json'";
  if (!durable) {
    // A disposable (test) instance is rebuilt every run: trade durability for speed. With
    // synchronous_commit off a commit is acknowledged before its WAL is flushed, so a crash of
    // Postgres (kill -9) loses the last fraction of a second of acknowledged writes; fsync and
    // full_page_writes off only matter when the machine itself crashes. Never for `dev`.
    Object.assign(settings, { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' });
  }
  return settings;
}

/**
 * The server's real data directory and log. As root they may live outside the project (see
 * initCluster), behind links in the project, and Postgres must be given the real paths.
 */
const real = (path: string): string => (existsSync(path) ? realpathSync(path) : path);
const dataDir = (inst: Instance): string => real(inst.dataDir);
const logFile = (inst: Instance): string => real(inst.logFile);

const pgVersionFile = (inst: Instance) => join(dataDir(inst), 'PG_VERSION');

export const clusterExists = (inst: Instance): boolean => existsSync(pgVersionFile(inst));

function chownToPostgres(path: string): void {
  if (!isRoot()) return;
  const { uid, gid } = postgresIds();
  chownSync(path, uid, gid);
}

let ids: { uid: number; gid: number } | undefined;
function postgresIds(): { uid: number; gid: number } {
  if (ids) return ids;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) throw new StackError('the system user "postgres" does not exist', 'install the postgresql-15 package, which creates it');
  ids = { uid: Number(uid), gid: Number(gid) };
  return ids;
}

/**
 * Where the cluster's files go: the instance directory, or, when we are root and the postgres
 * user cannot reach it (a clone under /root), a directory in the postgres user's home, linked
 * from the instance directory so `.supabase/<instance>/postgres` still finds it.
 */
async function clusterHome(inst: Instance): Promise<string> {
  mkdirSync(inst.dir, { recursive: true });
  if (!isRoot()) return inst.dir;
  chownToPostgres(inst.dir);
  const reachable = await run('runuser', ['-u', 'postgres', '--', 'test', '-w', inst.dir]);
  if (reachable.code === 0) return inst.dir;
  const home = join('/var/lib/postgresql/ascend', createHash('sha256').update(inst.dir).digest('hex').slice(0, 16));
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  chownToPostgres(home);
  symlinkSync(join(home, 'postgres'), inst.dataDir);
  symlinkSync(join(home, 'postgres.log'), inst.logFile);
  return home;
}

/** Creates the cluster the first time: superuser `supabase_admin`, password auth on loopback. */
export async function initCluster(inst: Instance): Promise<void> {
  rmSync(inst.dataDir, { recursive: true, force: true });
  rmSync(inst.logFile, { force: true });
  const home = await clusterHome(inst);
  const pgdata = join(home, 'postgres');
  const pwfile = join(home, '.initdb-password');
  writeFileSync(pwfile, `${DB_PASSWORD}\n`, { mode: 0o600 });
  chownToPostgres(pwfile);
  try {
    const r = await runAsPostgres('initdb', [
      '-D', pgdata,
      '-U', 'supabase_admin',
      `--pwfile=${pwfile}`,
      '--auth-host=scram-sha-256',
      '--auth-local=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
    ]);
    if (r.code !== 0) throw new StackError(`initdb failed: ${lastLine(r.stderr)}`, `remove ${inst.dir} and run start again`);
  } finally {
    rmSync(pwfile, { force: true });
  }
  appendFileSync(join(pgdata, 'postgresql.conf'), "\n# Settings of the Ascend local stack\ninclude_if_exists = 'stack.conf'\n");
}

async function writeServerSettings(inst: Instance, durable = !inst.disposable): Promise<void> {
  const lines = Object.entries(await serverSettings(inst, durable)).map(([k, v]) => `${k} = ${v}`);
  const file = join(dataDir(inst), 'stack.conf');
  writeFileSync(file, `# Written by the stack on every start; edits here are lost.\n${lines.join('\n')}\n`);
  chownToPostgres(file);
}

export async function isRunning(inst: Instance): Promise<boolean> {
  if (!clusterExists(inst)) return false;
  const r = await runAsPostgres('pg_ctl', ['status', '-D', dataDir(inst)]);
  return r.code === 0;
}

/** True when something already accepts connections on the port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once('error', () => resolvePromise(false));
  });
}

/** Fails with the port and the setting that moves it when another program holds the port. */
export async function ensurePortFree(port: number, setting: string): Promise<void> {
  if (await portInUse(port)) {
    throw new StackError(`port ${port} is already in use by another program`, `stop that program, or set another ${setting}`);
  }
}

export async function startCluster(inst: Instance): Promise<void> {
  await writeServerSettings(inst);
  if (!existsSync(inst.logFile)) {
    // Through the link when the cluster lives outside the project.
    writeFileSync(inst.logFile, '');
    chownToPostgres(inst.logFile);
  }
  const log = logFile(inst);
  const r = await runAsPostgres('pg_ctl', ['start', '-D', dataDir(inst), '-l', log, '-w', '-t', '60']);
  if (r.code !== 0) {
    const lines = readFileSync(log, 'utf8');
    const fatal = lines.split('\n').filter((l) => /FATAL|ERROR|PANIC/.test(l)).at(-1) ?? lastLine(r.stderr || r.stdout);
    throw new StackError(`postgres did not start: ${fatal.trim()}`, `read ${inst.logFile} (npm run stack -- logs)`);
  }
}

/**
 * Rewrites the settings of a running cluster and reloads them (all three durability settings
 * take effect on reload). `durable` overrides the instance's default until its next start,
 * which writes the default again: tests use it to run one scenario on a durable instance.
 */
export async function reloadServerSettings(inst: Instance, opts: { durable?: boolean } = {}): Promise<void> {
  await writeServerSettings(inst, opts.durable ?? !inst.disposable);
  const r = await runAsPostgres('pg_ctl', ['reload', '-D', dataDir(inst)]);
  if (r.code !== 0) throw new StackError(`postgres did not reload its settings: ${lastLine(r.stderr)}`, `read ${inst.logFile}`);
}

export async function stopCluster(inst: Instance): Promise<void> {
  const r = await runAsPostgres('pg_ctl', ['stop', '-D', dataDir(inst), '-m', 'fast', '-w', '-t', '60']);
  if (r.code !== 0) throw new StackError(`postgres did not stop: ${lastLine(r.stderr)}`, `read ${inst.logFile}`);
}

/** A fast restart; the pg_cron scheduler only comes back this way after its database was dropped. */
export async function restartCluster(inst: Instance): Promise<void> {
  const r = await runAsPostgres('pg_ctl', ['restart', '-D', dataDir(inst), '-l', logFile(inst), '-m', 'fast', '-w', '-t', '60']);
  if (r.code !== 0) throw new StackError(`postgres did not restart: ${lastLine(r.stderr)}`, `read ${inst.logFile}`);
}
