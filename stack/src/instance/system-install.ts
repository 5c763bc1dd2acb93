// System dependencies (PostgreSQL 15 and its extensions from Debian) and the OS user that runs
// Postgres: Postgres refuses to run as root, so as root the stack runs it as `postgres`.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { StackError } from '../errors.ts';
import { run } from './exec.ts';
import { projectRoot } from '../config.ts';

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

/**
 * [LOCAL] What hosted Supabase's supautils does for `create extension` by `postgres`: it may
 * create the privileged extensions (pg_cron, pg_net, plpgsql_check, ...) although it is not a
 * superuser. Plain PostgreSQL's way is a *trusted* extension, whose script runs as the bootstrap
 * superuser; we mark pg_cron and plpgsql_check trusted with secondary control files (one per
 * version of their install/update chain, which PostgreSQL reads beside the primary one) and add
 * pg_net, which Debian does not package, as a SQL extension (stack/sql/extensions). The files
 * go into PostgreSQL's extension directory, like a package's; existing files are left alone
 * when identical.
 */
const EXTENSION_DIR = join(PG_SHAREDIR, 'extension');
const OWN_EXTENSIONS_DIR = join(projectRoot, 'stack', 'sql', 'extensions');
const TRUSTED_EXTENSIONS = ['pg_cron', 'plpgsql_check'];
const TRUSTED_CONTROL =
  '# [LOCAL] written by the Ascend local stack: hosted Supabase lets postgres create this extension\n' +
  '# (supautils privileged_extensions); a trusted extension is the plain-PostgreSQL equivalent.\n' +
  'trusted = true\n';

/** The files the extension directory must hold, with their contents. */
export function localExtensionFiles(extensionDir = EXTENSION_DIR): Map<string, string> {
  const files = new Map<string, string>();
  for (const f of readdirSync(OWN_EXTENSIONS_DIR)) {
    files.set(join(extensionDir, f), readFileSync(join(OWN_EXTENSIONS_DIR, f), 'utf8'));
  }
  const present = existsSync(extensionDir) ? readdirSync(extensionDir) : [];
  for (const ext of TRUSTED_EXTENSIONS) {
    const versions = new Set<string>();
    for (const f of present) {
      // pg_cron--1.0.sql installs 1.0; pg_cron--1.3--1.4.sql updates to 1.4
      const m = f.match(new RegExp(`^${ext}--(?:[^-]+(?:-\\d+)?--)?(.+)\\.sql$`));
      if (m?.[1]) versions.add(m[1]);
    }
    for (const v of versions) files.set(join(extensionDir, `${ext}--${v}.control`), TRUSTED_CONTROL);
  }
  return files;
}

/** Installs the local extension files when one is missing or differs (as root), or says how. */
export function ensureLocalExtensions(log: (msg: string) => void): void {
  const stale = [...localExtensionFiles()].filter(([path, text]) => !existsSync(path) || readFileSync(path, 'utf8') !== text);
  if (stale.length === 0) return;
  if (!isRoot()) {
    throw new StackError(
      `PostgreSQL's extension directory lacks the stack's local extension files: ${stale.map(([p]) => p).join(', ')}`,
      `run the stack once as root (it installs them), or copy them from ${OWN_EXTENSIONS_DIR} with sudo`,
    );
  }
  log(`installing local extension files into ${EXTENSION_DIR}: ${stale.map(([p]) => p.slice(EXTENSION_DIR.length + 1)).join(' ')}`);
  for (const [path, text] of stale) writeFileSync(path, text);
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
