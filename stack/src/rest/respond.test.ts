// Status codes and headers PostgREST derives from a result row.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { RestError } from './errors.ts';
import { type HttpRequest, parseRequest } from './request.ts';
import { contentRange, rangeStatus, respond, type ResultRow, tableTotalFor } from './respond.ts';
import { testCache } from './test-fixtures.ts';
import type { PlanConfig } from './plan/types.ts';
import { planRequest } from './plan/plan.ts';

const cache = testCache();
const config: PlanConfig = { maxRows: 1000, extraSearchPath: [], aggregatesEnabled: false, planEnabled: false };

function run(method: string, path: string, query: string, headers: Record<string, string>, row: Partial<ResultRow>, body = '', explain: number | null = null) {
  const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const http: HttpRequest = { method, path, query, header: (n) => h[n.toLowerCase()], body };
  const req = parseRequest(http, { schemas: ['api', 'other'] });
  const planned = planRequest(req, cache, config);
  const full: ResultRow = { total_result_set: null, page_total: 0, body: '[]', response_headers: null, response_status: null, location: null, response_inserted: null, ...row };
  return respond(planned, req, full, explain, config.maxRows);
}

describe('Content-Range and range statuses', () => {
  test('PostgREST contentRangeH', () => {
    assert.equal(contentRange(0, 9, 100), '0-9/100');
    assert.equal(contentRange(0, -1, 0), '*/0');
    assert.equal(contentRange(1, 0, null), '*/*');
    assert.equal(contentRange(0, 2, null), '0-2/*');
  });
  test('200, 206 and 416', () => {
    assert.deepStrictEqual(rangeStatus({ lower: 0, upper: null }, 3, 3), { status: 200, contentRange: '0-2/3' });
    assert.deepStrictEqual(rangeStatus({ lower: 0, upper: 1 }, 2, 3), { status: 206, contentRange: '0-1/3' });
    assert.deepStrictEqual(rangeStatus({ lower: 5, upper: null }, 0, 3), { status: 416, contentRange: '*/3' });
    assert.deepStrictEqual(rangeStatus({ lower: 0, upper: null }, 3, null), { status: 200, contentRange: '0-2/*' });
  });
  test('estimated counts use the planner beyond max rows', () => {
    assert.equal(tableTotalFor('estimated', 10, 500, 1000), 10);
    assert.equal(tableTotalFor('estimated', 1001, 50000, 1000), 50000);
    assert.equal(tableTotalFor('planned', 10, 42, 1000), 42);
  });
});

describe('responses', () => {
  test('read: headers', () => {
    const r = run('GET', '/projects', 'select=id&limit=2', { Prefer: 'count=exact' }, { total_result_set: '5', page_total: '2', body: '[{"id":1},{"id":2}]' });
    assert.equal(r.status, 206);
    assert.deepStrictEqual(r.headers, {
      'Content-Range': '0-1/5',
      'Content-Location': '/projects?limit=2&select=id',
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Profile': 'api',
      'Preference-Applied': 'count=exact',
    });
    assert.equal(r.body, '[{"id":1},{"id":2}]');
  });
  test('read past the end with a count: 416 with PGRST103', () => {
    const r = run('GET', '/projects', 'offset=10', { Prefer: 'count=exact' }, { total_result_set: '3', page_total: '0' });
    assert.equal(r.status, 416);
    assert.deepStrictEqual(JSON.parse(r.body), { code: 'PGRST103', details: 'An offset of 10 was requested, but there are only 3 rows.', hint: null, message: 'Requested range not satisfiable' });
  });
  test('insert: 201, Location from the returned key, representation body', () => {
    const r = run('POST', '/projects', '', { Prefer: 'return=headers-only' }, { page_total: 1, body: '', location: ['id=eq.7'] }, '{"name":"a"}');
    assert.equal(r.status, 201);
    assert.equal(r.headers.Location, '/projects?id=eq.7');
    assert.equal(r.headers['Content-Range'], '*/*');
    const full = run('POST', '/projects', '', { Prefer: 'return=representation,count=exact' }, { page_total: 2, body: '[1,2]' }, '[{"name":"a"},{"name":"b"}]');
    assert.equal(full.status, 201);
    assert.equal(full.headers['Content-Range'], '*/2');
    assert.equal(full.body, '[1,2]');
  });
  test('upsert: 200 when nothing was inserted', () => {
    const r = run('POST', '/projects', '', { Prefer: 'resolution=merge-duplicates' }, { page_total: 1, response_inserted: 0 }, '{"id":1}');
    assert.equal(r.status, 200);
    assert.equal(r.headers['Preference-Applied'], 'resolution=merge-duplicates');
  });
  test('update and delete: 204 without representation, 200 with', () => {
    const u = run('PATCH', '/projects', 'id=eq.1', {}, { page_total: 3 }, '{"name":"x"}');
    assert.equal(u.status, 204);
    assert.equal(u.headers['Content-Range'], '0-2/*');
    const d = run('DELETE', '/projects', 'id=eq.1', { Prefer: 'return=representation' }, { page_total: 1, body: '[{}]' });
    assert.equal(d.status, 200);
    assert.equal(d.body, '[{}]');
  });
  test('void call: 204', () => {
    assert.equal(run('POST', '/rpc/touch', '', {}, { page_total: 1, body: '' }).status, 204);
  });
  test('response.status and response.headers from SQL; malformed ones are PGRST111/112', () => {
    const r = run('GET', '/projects', '', {}, { page_total: 0, response_status: '202', response_headers: '[{"X-A":"1"},{"Content-Type":"text/plain"}]' });
    assert.equal(r.status, 202);
    assert.equal(r.headers['X-A'], '1');
    assert.equal(r.headers['Content-Type'], 'text/plain');
    const code = (row: Partial<ResultRow>) => {
      try {
        run('GET', '/projects', '', {}, row);
      } catch (e) {
        return (e as RestError).code;
      }
      return 'none';
    };
    assert.equal(code({ response_headers: '{"X-A":"1"}' }), 'PGRST111');
    assert.equal(code({ response_status: 'abc' }), 'PGRST112');
  });
});
