// How `npm run upstream` scores a suite: which tests count (need a server, in scope) and what a
// failure's summary line says. The suites themselves run only by hand (a development step).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { firstLine, matches, score, SUITES } from './run.ts';

const t = (file: string, name: string, passed: boolean, error = '') => ({ file, name, passed, error });
const listed = (o: { suite?: string; file: string; test?: string }) => ({ suite: 'x', reason: 'why', notRun: false, ...o });

describe('score', () => {
  test('a test passing with and without a server needs none; one failing against ours stays in scope', () => {
    const withServer = [t('a.ts', 'unit', true), t('a.ts', 'server ok', true), t('a.ts', 'server broken', false), t('a.ts', 'regression', false)];
    const alone = [t('a.ts', 'unit', true), t('a.ts', 'server ok', false), t('a.ts', 'server broken', false), t('a.ts', 'regression', true)];
    const s = score(withServer, alone, []);
    assert.deepEqual([s.total, s.passed, s.failed, s.noServer, s.outOfScope, s.inScope, s.inScopePassed], [4, 2, 2, 1, 0, 3, 1]);
    assert.deepEqual(s.failures.map((f) => f.name), ['server broken', 'regression']);
  });

  test('listed tests are counted out of scope, by file, folder, name or name prefix, never dropped', () => {
    const withServer = [t('x/a.ts', 'one', false), t('x/b.ts', 'two', false), t('c.ts', 'passkey: three', false), t('c.ts', 'four', false)];
    const s = score(withServer, [], [listed({ file: 'x/' }), listed({ file: 'c.ts', test: 'passkey:*' })]);
    assert.deepEqual([s.total, s.failed, s.outOfScope, s.inScope], [4, 4, 3, 1]);
    assert.deepEqual(s.outOfScopeFailures.map((f) => f.name), ['one', 'two', 'passkey: three']);
    assert.equal(matches(listed({ file: 'c.ts', test: 'four' }), t('c.ts', 'four', false)), true);
    assert.equal(matches(listed({ file: 'c.ts', test: 'four' }), t('c.ts', 'fourth', false)), false);
    assert.equal(matches(listed({ file: 'x' }), t('x/a.ts', 'one', false)), false);
  });
});

test('a failure is summed up by its first line, with what an expectation received', () => {
  const jest = '\u001b[2mexpect(\u001b[22mreceived).toBeNull()\n\nReceived: [AuthApiError: nope]\n    at x (a.ts:1:1)';
  assert.equal(firstLine(`Error: ${jest}`), 'Error: expect(received).toBeNull() — Received: [AuthApiError: nope]');
  assert.equal(firstLine('\n  TypeError: fetch failed\n  at y'), 'TypeError: fetch failed');
  const snapshot = 'Error: expect(received).toMatchInlineSnapshot(snapshot)\n\n- Snapshot  - 1\n+ Received  + 1\n\n  {\n-   "a": 1,\n+   "a": 2,\n  }';
  assert.equal(firstLine(snapshot), 'Error: expect(received).toMatchInlineSnapshot(snapshot) — + "a": 2,');
});

test('every suite has its own ports, inside the runner’s range, and the out-of-scope list names known suites', () => {
  const ports = Object.values(SUITES).flatMap((s) => [s.apiPort, s.dbPort]);
  assert.equal(new Set(ports).size, ports.length);
  const list = JSON.parse(readFileSync(join(import.meta.dirname, 'out-of-scope.json'), 'utf8')) as { suite: string; reason: string }[];
  for (const o of list) {
    assert.ok(SUITES[o.suite], o.suite);
    assert.ok(o.reason.length > 20, o.suite);
  }
});
