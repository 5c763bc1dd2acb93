// The stack CLI against the running test instance: status, idempotent start, stop/start keeps
// data, reset rebuilds from migrations, clear one-line errors.
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { jwtVerify } from 'jose';
import pg from 'pg';
import { projectRoot, stackCli } from './cli.ts';

function parseEnv(text: string): Record<string, string> {
  return Object.fromEntries(text.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('status', () => {
  test('-o env prints the variables, new keys and JWKS URL included; -o json and pretty the same values', () => {
    const env = stackCli(['status', '-o', 'env']);
    assert.equal(env.status, 0, env.stderr);
    const vars = parseEnv(env.stdout);
    assert.deepEqual(Object.keys(vars).sort(), [
      'ANON_KEY', 'API_URL', 'DB_URL', 'JWKS_URL', 'JWT_SECRET', 'PUBLISHABLE_KEY', 'SECRET_KEY', 'SERVICE_ROLE_KEY',
    ]);
    assert.equal(vars.JWKS_URL, `${vars.API_URL}/auth/v1/.well-known/jwks.json`);
    assert.match(vars.PUBLISHABLE_KEY!, /^sb_publishable_[A-Za-z0-9_-]{22}_[A-Za-z0-9_-]{8}$/);
    assert.match(vars.SECRET_KEY!, /^sb_secret_[A-Za-z0-9_-]{22}_[A-Za-z0-9_-]{8}$/);
    const json = stackCli(['status', '-o', 'json']);
    assert.equal(json.status, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), vars);
    const pretty = stackCli(['status']);
    assert.equal(pretty.status, 0, pretty.stderr);
    for (const [label, key] of [['Publishable key', 'PUBLISHABLE_KEY'], ['Secret key', 'SECRET_KEY'], ['JWKS URL', 'JWKS_URL']] as const) {
      assert.ok(pretty.stdout.split('\n').map((l) => l.trim()).includes(`${label}: ${vars[key]}`), pretty.stdout);
    }
  });

  test('DB_URL connects as postgres, who is not a superuser but bypasses RLS', async () => {
    const { DB_URL } = parseEnv(stackCli(['status', '-o', 'env']).stdout);
    const [row] = await query<{ user: string; super: boolean; bypass: boolean }>(
      DB_URL!,
      'select current_user as user, rolsuper as super, rolbypassrls as bypass from pg_roles where rolname = current_user',
    );
    assert.deepEqual(row, { user: 'postgres', super: false, bypass: true });
  });

  test('the keys are signed with JWT_SECRET and carry their roles', async () => {
    const vars = parseEnv(stackCli(['status', '-o', 'env']).stdout);
    const secret = new TextEncoder().encode(vars.JWT_SECRET);
    assert.equal((await jwtVerify(vars.ANON_KEY!, secret)).payload.role, 'anon');
    assert.equal((await jwtVerify(vars.SERVICE_ROLE_KEY!, secret)).payload.role, 'service_role');
  });

  test('an unknown output format is refused', () => {
    const r = stackCli(['status', '-o', 'yaml']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error: unknown output format "yaml"\. Fix: use -o env/m);
  });
});

describe('lifecycle', () => {
  let dbUrl: string;
  before(() => {
    dbUrl = parseEnv(stackCli(['status', '-o', 'env']).stdout).DB_URL!;
  });

  test('a second start says it is already running', () => {
    const r = stackCli(['start']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /already running/);
  });

  test('stop then start keeps the data', async () => {
    await query(dbUrl, 'create schema lifecycle_probe; create table lifecycle_probe.t (v text); insert into lifecycle_probe.t values ($$kept$$)');
    const stopped = stackCli(['stop']);
    assert.equal(stopped.status, 0, stopped.stderr);
    assert.equal(stackCli(['status']).status, 1, 'status fails while stopped');
    const started = stackCli(['start']);
    assert.equal(started.status, 0, started.stderr);
    assert.deepEqual(await query(dbUrl, 'select v from lifecycle_probe.t'), [{ v: 'kept' }]);
  });

  test('reset rebuilds from the migrations: hand-made objects are gone, history is recorded', async () => {
    const r = stackCli(['reset']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(await query(dbUrl, "select nspname from pg_namespace where nspname = 'lifecycle_probe'"), []);
    const [bootstrapped] = await query<{ n: number }>(dbUrl, "select count(*)::int as n from pg_namespace where nspname in ('auth', 'storage', 'realtime', 'extensions', 'supabase_migrations')");
    assert.equal(bootstrapped?.n, 5);
  });
});

describe('clear errors', () => {
  let busy: Server;
  let port: number;
  before(async () => {
    busy = createServer();
    await new Promise<void>((res) => busy.listen(0, '127.0.0.1', res));
    port = (busy.address() as { port: number }).port;
  });
  after(() => busy.close());

  test('a busy port is one line naming the port and the setting', () => {
    const r = stackCli(['start'], { STACK_INSTANCE: 'port-probe', STACK_DB_PORT: String(port) });
    assert.equal(r.status, 1);
    const errors = r.stderr.trim().split('\n').filter((l) => l.startsWith('error:'));
    assert.deepEqual(errors, [
      `error: port ${port} is already in use by another program. Fix: stop that program, or set another [db] port in supabase/config.toml (or STACK_DB_PORT).`,
    ]);
  });

  test('--workdir without supabase/config.toml is one line naming the folder', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-project-'));
    const r = stackCli(['status', '--workdir', empty]);
    assert.equal(r.status, 1);
    assert.deepEqual(r.stderr.trim().split('\n').filter((l) => l.startsWith('error:')), [
      `error: no supabase/config.toml in ${empty}. Fix: give --workdir the folder that holds supabase/ (run \`supabase init\` there).`,
    ]);
  });

  test('a broken migration is one line naming the migration and the database error; nothing applied', async () => {
    const { migrate } = await import('../../stack/src/instance/database.ts');
    const { instance } = await import('../../stack/src/config.ts');
    const work = mkdtempSync(join(tmpdir(), 'broken-migration-'));
    // The project's migrations (already applied) plus one broken one on top.
    cpSync(join(projectRoot, 'supabase', 'migrations'), join(work, 'supabase', 'migrations'), { recursive: true });
    copyFileSync(join(projectRoot, 'supabase', 'config.toml'), join(work, 'supabase', 'config.toml'));
    writeFileSync(join(work, 'supabase', 'migrations', '29990101000000_broken.sql'), 'create table public.broken_probe (id int);\ncreate tabel oops;\n');
    await assert.rejects(migrate(instance(process.env.STACK_INSTANCE ?? 'test'), work), (e: Error & { fix?: string }) => {
      assert.match(e.message, /^migration 29990101000000_broken\.sql failed: ERROR: syntax error at or near "tabel"/);
      assert.match(e.fix ?? '', /fix that migration/);
      return true;
    });
    assert.deepEqual(await query(dbUrl(), "select to_regclass('public.broken_probe') as t"), [{ t: null }]);
  });
});

function dbUrl(): string {
  return parseEnv(stackCli(['status', '-o', 'env']).stdout).DB_URL!;
}
