// The database of an instance: platform bootstrap, then the product's migrations and seed,
// applied by the real Supabase CLI as the non-superuser `postgres`, exactly as on deploy.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, type Instance } from '../config.ts';
import { StackError } from '../errors.ts';
import { restartCluster } from './cluster.ts';
import { psql } from './psql.ts';
import { cliDbUrl, cliError, supabase } from './supabase-cli.ts';

/** The generated database types, committed and checked for drift by the test run. */
export const TYPES_FILE = join(projectRoot, 'web', 'src', 'lib', 'database.types.ts');

const SQL_DIR = join(projectRoot, 'stack', 'sql');
const ADMIN = { user: 'supabase_admin' } as const;

/** True when the `postgres` database has been through the platform bootstrap. */
export async function isBootstrapped(inst: Instance): Promise<boolean> {
  const out = await psql(inst, { sql: "select count(*) from pg_namespace where nspname = 'auth'" }, ADMIN);
  return out === '1';
}

/** Drops and recreates the `postgres` database with the surface hosted Supabase provides. */
export async function bootstrap(inst: Instance): Promise<void> {
  await psql(inst, { file: join(SQL_DIR, 'cluster', 'roles.sql') }, { ...ADMIN, database: 'template1' });
  // A logical replication slot (realtime's) pins the database; it goes with it.
  await psql(
    inst,
    { sql: "select pg_catalog.pg_drop_replication_slot(slot_name) from pg_catalog.pg_replication_slots where database = 'postgres' and not active" },
    { ...ADMIN, database: 'template1' },
  );
  await psql(inst, { sql: 'drop database if exists postgres with (force)' }, { ...ADMIN, database: 'template1' });
  await psql(inst, { sql: 'create database postgres owner postgres' }, { ...ADMIN, database: 'template1' });
  // Dropping the database ended pg_cron's scheduler, which does not come back by itself.
  await restartCluster(inst);
  const dir = join(SQL_DIR, 'bootstrap');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    await psql(inst, { file: join(dir, file) }, { ...ADMIN, singleTransaction: true });
  }
}

/** Applies pending migrations; returns the CLI's report. */
export async function migrate(inst: Instance, workdir?: string): Promise<string> {
  // --include-all: a migration merged from another branch may sort before the newest applied
  // one; a developer's instance applies it instead of refusing to start (a fresh database, like
  // a new hosted project, applies them in order anyway).
  const r = await supabase(['migration', 'up', `--remote=${cliDbUrl(inst)}`, '--include-all', '--yes'], workdir);
  if (r.code !== 0) {
    // The CLI names each file before applying it: the last one named is the one that failed.
    const applying = [...`${r.stdout}\n${r.stderr}`.matchAll(/Applying migration (\S+?)\.{3}/g)].at(-1)?.[1];
    const which = applying ? `migration ${applying}` : 'migration';
    throw new StackError(`${which} failed: ${cliError(r)}`, 'fix that migration, then run: npm run stack -- reset');
  }
  return `${r.stdout}${r.stderr}`;
}

/** Runs the seed files of config.toml ([db.seed]) through the CLI, which records their hashes. */
export async function seed(inst: Instance): Promise<void> {
  const r = await supabase(['db', 'push', `--remote=${cliDbUrl(inst)}`, '--include-seed', '--yes']);
  if (r.code !== 0) throw new StackError(`seed failed: ${cliError(r)}`, 'fix supabase/seed.sql, then run: npm run stack -- reset');
}

/** The extensions a database has, by name, sorted. */
export async function installedExtensions(inst: Instance): Promise<string[]> {
  const out = await psql(inst, { sql: 'select extname from pg_extension order by extname' });
  return out.split('\n').filter(Boolean);
}

/** Lets a caller look at the database between the build's steps (the test runner does). */
export interface BuildHooks {
  afterBootstrap?: () => Promise<void>;
}

/** Full rebuild: bootstrap, migrations, seed. */
export async function reset(inst: Instance, hooks: BuildHooks = {}): Promise<void> {
  await bootstrap(inst);
  await hooks.afterBootstrap?.();
  await migrate(inst);
  await seed(inst);
}

/** TypeScript types for the exposed schemas, from the live database. */
export async function generateTypes(inst: Instance): Promise<string> {
  const r = await supabase(['gen', 'types', '--lang=typescript', `--remote=${cliDbUrl(inst)}`, '--schema=public']);
  if (r.code !== 0) throw new StackError(`type generation failed: ${cliError(r)}`, 'see the error above');
  return r.stdout;
}

/** The security and performance advisors at warn level; returns their report and verdict. */
export async function advisors(inst: Instance): Promise<{ ok: boolean; report: string }> {
  const r = await supabase(['db', 'advisors', `--remote=${cliDbUrl(inst)}`, '--level=warn', '--fail-on=warn']);
  return { ok: r.code === 0, report: `${r.stdout}${r.stderr}`.trim() };
}
