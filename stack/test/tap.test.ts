import assert from 'node:assert/strict';
import { test } from 'vitest';
import { tally } from '../src/instance/tap.ts';

test('counts pg_prove verbose output (not its per-file verdicts), failures with their descriptions', () => {
  const out = [
    'supabase/tests/01_a.test.sql ..',
    '1..3',
    'ok 1 - roles exist',
    'not ok 2 - anon cannot read auth.users',
    '# Failed test 2: "anon cannot read auth.users"',
    'ok 3 - skipped thing # SKIP no wal2json',
    'Failed 1/3 subtests',
    'supabase/tests/02_b.test.sql ..',
    '1..1',
    'ok 1 - another file',
    'ok',
  ].join('\n');
  assert.deepEqual(tally(out), { passed: 3, failed: 1, failures: ['anon cannot read auth.users'] });
});

test("node's TAP totals win over nested points", () => {
  const out = ['# Subtest: suite', '    ok 1 - a', '    ok 2 - b', 'ok 1 - suite', '# pass 2', '# fail 0'].join('\n');
  assert.deepEqual(tally(out), { passed: 2, failed: 0, failures: [] });
});

test('no output counts nothing', () => {
  assert.deepEqual(tally(''), { passed: 0, failed: 0, failures: [] });
});
