import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StackError } from '../src/errors.ts';
import { installPlan } from '../src/system.ts';

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
