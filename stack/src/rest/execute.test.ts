// The in-transaction checks, with a fake runner: singular results, max-affected, PUT, rollback.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { RestError } from './errors.ts';
import { execute, type Runner } from './execute.ts';
import { renderPlan } from './render.ts';
import { parseRequest, type TxEnd, txRollbackAll } from './request.ts';
import type { SqlStatement } from './render.ts';
import { testCache } from './test-fixtures.ts';
import type { PlannedRequest } from './plan/types.ts';
import { planRequest } from './plan/plan.ts';

function planned(method: string, path: string, query = '', headers: Record<string, string> = {}, body = '', txEnd: TxEnd = 'commit'): PlannedRequest {
  const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const req = parseRequest({ method, path, query, header: (n) => h[n.toLowerCase()], body }, { schemas: ['api'], txEnd });
  return planRequest(req, testCache(), { maxRows: 1000, extraSearchPath: [], aggregatesEnabled: false, planEnabled: false });
}

function fakeRunner(pageTotal: number, explainRows?: number): Runner & { sent: string[]; committedWith: string[] } {
  const sent: string[] = [];
  const committedWith: string[] = [];
  const runner = {
    sent,
    committedWith,
    async query<T>(s: SqlStatement): Promise<T[]> {
      sent.push(s.text.slice(0, 30));
      if (s.text.startsWith('EXPLAIN')) return [{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': explainRows } }] }] as T[];
      if (s.text.startsWith('SET CONSTRAINTS')) return [];
      return [{ total_result_set: null, page_total: String(pageTotal), body: '[]', response_headers: null, response_status: null, location: null, response_inserted: null }] as T[];
    },
    async queryAndCommit<T>(s: SqlStatement): Promise<T[]> {
      committedWith.push(s.text.slice(0, 30));
      return runner.query<T>(s);
    },
  };
  return runner;
}

async function outcome(p: PlannedRequest, runner: Runner, txEnd: TxEnd = 'commit') {
  if (p.plan.type === 'openapi') throw new Error('openapi');
  return execute(p, renderPlan(p.plan, { maxRows: 1000 }), runner, { rollbackAll: txRollbackAll(txEnd) });
}

async function rejection(p: Promise<unknown>): Promise<RestError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RestError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('execute', () => {
  test('singular: one row passes, two rows throw PGRST116 (so the scope rolls back)', async () => {
    const p = planned('GET', '/projects', '', { Accept: 'application/vnd.pgrst.object+json' });
    assert.equal((await outcome(p, fakeRunner(1))).rollback, false);
    const e = await rejection(outcome(p, fakeRunner(2)));
    assert.deepStrictEqual([e.status, e.code, e.details], [406, 'PGRST116', 'The result contains 2 rows']);
  });
  test('max-affected with handling=strict', async () => {
    const p = planned('DELETE', '/projects', 'id=gt.0', { Prefer: 'handling=strict, max-affected=1' });
    assert.equal((await rejection(outcome(p, fakeRunner(2)))).code, 'PGRST124');
    assert.equal((await outcome(p, fakeRunner(1))).rollback, false);
  });
  test('PUT must affect exactly one row', async () => {
    const p = planned('PUT', '/projects', 'id=eq.1', {}, '{"id":2}');
    assert.equal((await rejection(outcome(p, fakeRunner(0)))).code, 'PGRST115');
  });
  test('db-tx-end=commit (the default, hosted Supabase): Prefer tx=rollback is ignored and the request commits', async () => {
    const runner = fakeRunner(1);
    const o = await outcome(planned('POST', '/projects', '', { Prefer: 'tx=rollback' }, '{"id":1}'), runner);
    assert.equal(o.rollback, false);
    assert.deepStrictEqual(runner.sent.slice(1), []);
  });
  test('an -allow-override db-tx-end honours tx=rollback: SET CONSTRAINTS ALL IMMEDIATE, then rollback', async () => {
    const runner = fakeRunner(1);
    const p = planned('POST', '/projects', '', { Prefer: 'tx=rollback' }, '{"id":1}', 'commit-allow-override');
    const o = await outcome(p, runner, 'commit-allow-override');
    assert.equal(o.rollback, true);
    assert.deepStrictEqual(runner.sent.slice(1), ['SET CONSTRAINTS ALL IMMEDIATE']);
  });
  test('db-tx-end=rollback rolls every request back, whatever Prefer says; rollback-allow-override lets tx=commit commit', async () => {
    const body = '{"id":1}';
    const rolledBack = async (txEnd: TxEnd, prefer: string) => (await outcome(planned('POST', '/projects', '', { Prefer: prefer }, body, txEnd), fakeRunner(1), txEnd)).rollback;
    assert.deepStrictEqual(
      [await rolledBack('rollback', ''), await rolledBack('rollback', 'tx=commit'), await rolledBack('rollback-allow-override', ''), await rolledBack('rollback-allow-override', 'tx=commit')],
      [true, true, true, false],
    );
  });
  test('the main statement carries the COMMIT only when nothing after it may roll back', async () => {
    const commitsWithMain = async (p: PlannedRequest, txEnd: TxEnd = 'commit') => {
      const runner = fakeRunner(1, 1);
      await outcome(p, runner, txEnd);
      return runner.committedWith.length === 1;
    };
    assert.deepStrictEqual(
      [
        await commitsWithMain(planned('GET', '/projects', 'id=eq.1')),
        await commitsWithMain(planned('POST', '/projects', '', {}, '{"id":1}')),
        await commitsWithMain(planned('DELETE', '/projects', 'id=eq.1', { Prefer: 'max-affected=1' })),
        await commitsWithMain(planned('GET', '/projects', '', { Accept: 'application/vnd.pgrst.object+json' })),
        await commitsWithMain(planned('DELETE', '/projects', 'id=gt.0', { Prefer: 'handling=strict, max-affected=1' })),
        await commitsWithMain(planned('PUT', '/projects', 'id=eq.1', {}, '{"id":1}')),
        await commitsWithMain(planned('GET', '/projects', '', { Prefer: 'count=planned' })),
        await commitsWithMain(planned('POST', '/projects', '', { Prefer: 'tx=rollback' }, '{"id":1}', 'commit-allow-override'), 'commit-allow-override'),
        await commitsWithMain(planned('POST', '/projects', '', {}, '{"id":1}', 'rollback'), 'rollback'),
      ],
      [true, true, true, false, false, false, false, false, false],
    );
  });
  test('planned counts read Plan Rows from EXPLAIN', async () => {
    const o = await outcome(planned('GET', '/projects', '', { Prefer: 'count=planned' }), fakeRunner(3, 1234));
    assert.equal(o.explainTotal, 1234);
  });
});
