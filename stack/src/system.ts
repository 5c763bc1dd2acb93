// System dependencies (PostgreSQL 15 and its extensions from Debian) and the OS user that runs
// Postgres: Postgres refuses to run as root, so as root the stack runs it as `postgres`.
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { StackError } from './errors.ts';
import { run } from './exec.ts';

export const PG_BINDIR = process.env.PG_BINDIR ?? '/usr/lib/postgresql/15/bin';
const PG_SHAREDIR = process.env.PG_SHAREDIR ?? '/usr/share/postgresql/15';
const PG_LIBDIR = process.env.PG_LIBDIR ?? '/usr/lib/postgresql/15/lib';

/** Each Debian package with a file that proves it is installed. */
const REQUIRED: { pkg: string; file: string }[] = [
  { pkg: 'postgresql-15', file: join(PG_BINDIR, 'postgres') },
  { pkg: 'postgresql-client-15', file: join(PG_BINDIR, 'psql') },
  { pkg: 'postgresql-15-cron', file: join(PG_SHAREDIR, 'extension', 'pg_cron.control') },
  { pkg: 'postgresql-15-pgtap', file: join(PG_SHAREDIR, 'extension', 'pgtap.control') },
  { pkg: 'postgresql-15-plpgsql-check', file: join(PG_SHAREDIR, 'extension', 'plpgsql_check.control') },
  { pkg: 'postgresql-15-wal2json', file: join(PG_LIBDIR, 'wal2json.so') },
  { pkg: 'libtap-parser-sourcehandler-pgtap-perl', file: '/usr/bin/pg_prove' },
];

export function missingPackages(): string[] {
  return REQUIRED.filter((r) => !existsSync(r.file)).map((r) => r.pkg);
}

export const isRoot = (): boolean => process.getuid?.() === 0;

/** What to do about missing packages: nothing, install them, or stop naming them. */
export function installPlan(missing: string[], can: { root: boolean; apt: boolean }): string[] {
  if (missing.length === 0) return [];
  if (!can.root || !can.apt) {
    const list = missing.join(' ');
    throw new StackError(`missing system packages: ${list}`, `install them with: sudo apt-get install -y ${list}`);
  }
  return missing;
}

/** Installs missing packages with apt-get when we are root; otherwise names them and stops. */
export async function ensureSystemDependencies(log: (msg: string) => void): Promise<void> {
  const missing = installPlan(missingPackages(), { root: isRoot(), apt: existsSync('/usr/bin/apt-get') });
  if (missing.length === 0) return;
  const list = missing.join(' ');
  log(`installing system packages: ${list}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = await run('apt-get', ['update', '-qq'], { env, timeoutMs: 10 * 60_000 });
  if (update.code !== 0) throw new StackError(`apt-get update failed: ${update.stderr.trim()}`, 'check the package sources and retry');
  const install = await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env, timeoutMs: 15 * 60_000 });
  if (install.code !== 0) {
    throw new StackError(`apt-get install ${list} failed: ${install.stderr.trim().split('\n').at(-1)}`, `install them by hand: apt-get install -y ${list}`);
  }
  const still = missingPackages();
  if (still.length > 0) throw new StackError(`packages still missing after install: ${still.join(' ')}`, 'install them by hand');
}

/** The OS user Postgres runs as: `postgres` when we are root, else ourselves. */
export function postgresOsUser(): string {
  return isRoot() ? 'postgres' : userInfo().username;
}

/** Runs a Postgres server binary (initdb, pg_ctl) as the Postgres OS user. */
export function runAsPostgres(bin: string, args: string[], opts: { input?: string } = {}) {
  const path = join(PG_BINDIR, bin);
  if (!isRoot()) return run(path, args, opts);
  // From `/`: the postgres user may not be allowed into our working directory.
  return run('runuser', ['-u', 'postgres', '--', path, ...args], { ...opts, cwd: '/' });
}
