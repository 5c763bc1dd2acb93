import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { StackError } from '../src/errors.ts';
import { installPlan, localExtensionFiles } from '../src/instance/system-install.ts';

test('nothing missing: nothing to do', () => {
  assert.deepEqual(installPlan([], { root: false, apt: false }), []);
});

test('as root with apt: the missing packages are installed', () => {
  assert.deepEqual(installPlan(['postgresql-15-cron'], { root: true, apt: true }), ['postgresql-15-cron']);
});

test('without root: one clear error naming the exact packages and the command', () => {
  assert.throws(
    () => installPlan(['postgresql-15-cron', 'postgresql-15-pgtap'], { root: false, apt: true }),
    (e: unknown) =>
      e instanceof StackError &&
      e.message === 'missing system packages: postgresql-15-cron postgresql-15-pgtap' &&
      e.fix === 'install them with: sudo apt-get install -y postgresql-15-cron postgresql-15-pgtap',
  );
});

test('local extensions: pg_net as its own files, pg_cron trusted at every version of its install chain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ext-'));
  for (const f of ['pg_cron.control', 'pg_cron--1.0.sql', 'pg_cron--1.0--1.1.sql', 'pg_cron--1.4--1.4-1.sql',
                   'plpgsql_check--2.3.sql', 'pgtap--1.2.0.sql']) {
    writeFileSync(join(dir, f), '');
  }
  const files = localExtensionFiles(dir);
  const names = [...files.keys()].map((p) => p.slice(dir.length + 1)).sort();
  assert.deepEqual(names, [
    'pg_cron--1.0.control', 'pg_cron--1.1.control', 'pg_cron--1.4-1.control',
    'pg_net--0.19.5.sql', 'pg_net.control', 'plpgsql_check--2.3.control',
  ]);
  assert.match(files.get(join(dir, 'pg_cron--1.4-1.control')) ?? '', /^trusted = true$/m);
  assert.match(files.get(join(dir, 'pg_net.control')) ?? '', /^trusted = true$/m);
});
