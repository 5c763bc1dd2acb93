// The HTTP side of parsing: actions, schemas, Prefer, Accept, ranges and bodies.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { refusal } from './test-fixtures.ts';
import {
  decodeMediaType,
  type HttpRequest,
  parseAccept,
  parseCsv,
  parsePrefer,
  parseRequest,
  preferenceApplied,
  readTxEnd,
  TX_END_VALUES,
  txAllowOverride,
  type TxEnd,
  txRollbackAll,
} from './request.ts';

function req(method: string, path: string, query = '', headers: Record<string, string> = {}, body = ''): HttpRequest {
  const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, path, query, header: (n) => h[n.toLowerCase()], body };
}

const config = { schemas: ['api', 'other'] };

describe('actions', () => {
  test('paths and methods', () => {
    assert.deepStrictEqual(parseRequest(req('GET', '/t'), config).action, { type: 'read', target: 't', headOnly: false });
    assert.deepStrictEqual(parseRequest(req('HEAD', '/t'), config).action, { type: 'read', target: 't', headOnly: true });
    assert.deepStrictEqual(parseRequest(req('POST', '/t', '', {}, '{}'), config).action, { type: 'create', target: 't' });
    assert.deepStrictEqual(parseRequest(req('PATCH', '/t', '', {}, '{}'), config).action, { type: 'update', target: 't' });
    assert.deepStrictEqual(parseRequest(req('DELETE', '/t'), config).action, { type: 'delete', target: 't' });
    assert.deepStrictEqual(parseRequest(req('PUT', '/t', '', {}, '{}'), config).action, { type: 'upsert', target: 't' });
    assert.deepStrictEqual(parseRequest(req('GET', '/rpc/f'), config).action, { type: 'call', target: 'f', invoke: 'get' });
    assert.deepStrictEqual(parseRequest(req('POST', '/rpc/f'), config).action, { type: 'call', target: 'f', invoke: 'post' });
    assert.deepStrictEqual(parseRequest(req('GET', '/'), config).action, { type: 'schema', headOnly: false });
    assert.deepStrictEqual(parseRequest(req('GET', ''), config).action, { type: 'schema', headOnly: false });
    assert.deepStrictEqual(parseRequest(req('GET', '/my%20table'), config).action, { type: 'read', target: 'my table', headOnly: false });
  });
  test('refusals', () => {
    assert.equal(refusal(() => parseRequest(req('PUT', '/rpc/f'), config)).code, 'PGRST101');
    assert.equal(refusal(() => parseRequest(req('GET', '/a/b'), config)).code, 'PGRST125');
    assert.equal(refusal(() => parseRequest(req('POST', '/'), config)).code, 'PGRST117');
    assert.equal(refusal(() => parseRequest(req('COPY', '/t'), config)).code, 'PGRST117');
  });
});

describe('schemas', () => {
  test('Accept-Profile on reads, Content-Profile on writes', () => {
    assert.equal(parseRequest(req('GET', '/t', '', { 'Accept-Profile': 'other' }), config).schema, 'other');
    assert.equal(parseRequest(req('POST', '/t', '', { 'Content-Profile': 'other', 'Accept-Profile': 'api' }, '{}'), config).schema, 'other');
    const r = parseRequest(req('GET', '/t'), config);
    assert.equal(r.schema, 'api');
    assert.equal(r.negotiatedByProfile, true);
    assert.equal(parseRequest(req('GET', '/t'), { schemas: ['api'] }).negotiatedByProfile, false);
    const e = refusal(() => parseRequest(req('GET', '/t', '', { 'Accept-Profile': 'secret' }), config));
    assert.deepStrictEqual(e.body(), { code: 'PGRST106', details: null, hint: 'Only the following schemas are exposed: api, other', message: 'Invalid schema: secret' });
  });
});

describe('Prefer', () => {
  test('first valid value of each preference wins; unknown ones are listed', () => {
    const p = parsePrefer('return=representation, count=exact,return=minimal, tx=rollback, missing=default, resolution=merge-duplicates, handling=strict, timezone=UTC, max-affected=5, foo=bar', true);
    assert.deepStrictEqual(p, {
      invalid: ['foo=bar'],
      representation: 'full',
      count: 'exact',
      transaction: 'rollback',
      missing: 'default',
      resolution: 'merge-duplicates',
      handling: 'strict',
      timezone: 'UTC',
      maxAffected: 5,
    });
    assert.equal(preferenceApplied(p), 'resolution=merge-duplicates, missing=default, return=representation, count=exact, tx=rollback, handling=strict, timezone=UTC, max-affected=5');
    assert.equal(preferenceApplied(parsePrefer(undefined)), undefined);
  });
  test('tx= is dropped unless db-tx-end allows an override: neither applied nor invalid (no PGRST122)', () => {
    for (const header of ['tx=rollback, handling=strict', 'tx=commit, handling=strict']) {
      const p = parsePrefer(header);
      assert.deepStrictEqual(p, { invalid: [], handling: 'strict' });
      assert.equal(preferenceApplied(p), 'handling=strict');
    }
    assert.equal(parsePrefer('tx=rollback', true).transaction, 'rollback');
    assert.deepStrictEqual(parsePrefer('tx=maybe, handling=strict', true).invalid, ['tx=maybe']);
  });
  test('db-tx-end: commit by default; the four PostgREST values; anything else refused', () => {
    assert.equal(readTxEnd({}), 'commit');
    assert.equal(readTxEnd({ PGRST_DB_TX_END: '' }), 'commit');
    for (const v of TX_END_VALUES) assert.equal(readTxEnd({ PGRST_DB_TX_END: v }), v);
    assert.throws(() => readTxEnd({ PGRST_DB_TX_END: 'rollback-all' }), /PGRST_DB_TX_END="rollback-all" is not one of commit, commit-allow-override, rollback, rollback-allow-override/);
    assert.deepStrictEqual(
      TX_END_VALUES.map((v) => [txAllowOverride(v), txRollbackAll(v)]),
      [[false, false], [true, false], [false, true], [true, true]],
    );
  });
  test('parseRequest reads tx= only under an -allow-override db-tx-end', () => {
    const tx = (txEnd?: TxEnd) =>
      parseRequest(req('POST', '/projects', '', { Prefer: 'tx=rollback' }, '{}'), { schemas: ['api'], ...(txEnd ? { txEnd } : {}) }).preferences.transaction;
    assert.deepStrictEqual([tx(), tx('commit'), tx('rollback'), tx('commit-allow-override'), tx('rollback-allow-override')], [undefined, undefined, undefined, 'rollback', 'rollback']);
  });
});

describe('media types', () => {
  test('decoding and Accept ordering by quality', () => {
    assert.deepStrictEqual(decodeMediaType('application/vnd.pgrst.object+json;nulls=stripped'), { kind: 'singular', stripped: true, mime: 'application/vnd.pgrst.object+json;nulls=stripped' });
    assert.deepStrictEqual(decodeMediaType('ApplicatIon/vnd.PgRsT.object+json'), { kind: 'singular', stripped: false, mime: 'application/vnd.pgrst.object+json' });
    assert.deepStrictEqual(decodeMediaType('application/vnd.pgrst.array+json'), { kind: 'json', mime: 'application/json' });
    assert.deepStrictEqual(parseAccept('text/html;q=0.5, text/csv, */*;q=0.1').map((m) => m.kind), ['csv', 'other', 'any']);
    assert.deepStrictEqual(parseAccept(undefined), [{ kind: 'any', mime: '*/*' }]);
  });
});

describe('ranges', () => {
  test('Range header only on GET, intersected with limit/offset', () => {
    assert.deepStrictEqual(parseRequest(req('GET', '/t', 'limit=5', { Range: '2-10' }), config).topLevelRange, { lower: 2, upper: 4 });
    assert.deepStrictEqual(parseRequest(req('GET', '/t', '', { Range: '2-10' }), config).topLevelRange, { lower: 2, upper: 10 });
    assert.deepStrictEqual(parseRequest(req('DELETE', '/t', '', { Range: '2-10' }), config).topLevelRange, { lower: 0, upper: null });
    assert.deepStrictEqual(parseRequest(req('GET', '/t', 'limit=0'), config).topLevelRange, { lower: 0, upper: -1 });
  });
  test('invalid ranges', () => {
    assert.equal(refusal(() => parseRequest(req('GET', '/t', '', { Range: '5-2' }), config)).details, 'The lower boundary must be lower than or equal to the upper boundary in the Range header.');
    assert.equal(refusal(() => parseRequest(req('GET', '/t', 'limit=-2'), config)).details, 'Limit should be greater than or equal to zero.');
    assert.equal(refusal(() => parseRequest(req('PUT', '/t', 'limit=2', {}, '{}'), config)).code, 'PGRST114');
  });
});

describe('bodies', () => {
  test('JSON objects and arrays with uniform keys', () => {
    const one = parseRequest(req('POST', '/t', '', {}, '{"a":1,"b":2}'), config);
    assert.deepStrictEqual([...one.columns], ['a', 'b']);
    assert.deepStrictEqual(one.payload, { kind: 'json', raw: '{"a":1,"b":2}', keys: new Set(['a', 'b']), isObject: true });
    const many = parseRequest(req('POST', '/t', '', {}, '[{"a":1},{"a":2}]'), config);
    assert.equal(many.payload?.kind === 'json' && many.payload.isObject, false);
    assert.equal(refusal(() => parseRequest(req('POST', '/t', '', {}, '[{"a":1},{"b":2}]'), config)).message, 'All object keys must match');
    assert.equal(refusal(() => parseRequest(req('POST', '/t', '', {}, '[1,2]'), config)).message, 'All object keys must match');
    // A top-level scalar is no row: refused for table writes, not truncated to [] (PostgREST #1323).
    for (const scalar of ['"hello"', '42', 'true', 'null']) {
      for (const method of ['POST', 'PUT', 'PATCH']) {
        const e = refusal(() => parseRequest(req(method, '/t', method === 'PUT' ? 'id=eq.1' : '', {}, scalar), config));
        assert.deepStrictEqual([e.status, e.code, e.message], [400, 'PGRST102', 'All object keys must match'], `${method} ${scalar}`);
      }
    }
    assert.deepStrictEqual(parseRequest(req('POST', '/t', '', {}, '[]'), config).payload?.kind, 'json');
    assert.equal(refusal(() => parseRequest(req('POST', '/t', '', {}, '{"a":'), config)).message, 'Empty or invalid json');
    assert.equal(refusal(() => parseRequest(req('POST', '/t', '', {}, ''), config)).message, 'Empty or invalid json');
  });
  test('columns= decides the columns; keys are not checked', () => {
    const r = parseRequest(req('POST', '/t', 'columns=a,b', {}, '[{"a":1},{"c":2}]'), config);
    assert.deepStrictEqual([...r.columns], ['a', 'b']);
  });
  test('RPC: an empty body is {}; form parameters', () => {
    assert.deepStrictEqual(parseRequest(req('POST', '/rpc/f', '', {}, ''), config).payload, { kind: 'json', raw: '{}', keys: new Set(), isObject: true });
    const form = parseRequest(req('POST', '/rpc/f', '', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'a=1&b=x+y'), config);
    assert.deepStrictEqual(form.payload, { kind: 'params', params: [['a', '1'], ['b', 'x y']] });
  });
  test('CSV', () => {
    assert.deepStrictEqual(parseCsv('a,b\r\n1,"x, ""y"""\n2,\n'), [['a', 'b'], ['1', 'x, "y"'], ['2', '']]);
    const r = parseRequest(req('POST', '/t', '', { 'Content-Type': 'text/csv' }, 'a,b\n1,NULL'), config);
    assert.deepStrictEqual(r.payload, { kind: 'json', raw: '[{"a":"1","b":null}]', keys: new Set(['a', 'b']), isObject: false });
    assert.equal(refusal(() => parseRequest(req('POST', '/t', '', { 'Content-Type': 'text/csv' }, 'a,b\n1'), config)).message, 'All lines must have same number of fields');
  });
  test('unsupported content types', () => {
    assert.equal(refusal(() => parseRequest(req('POST', '/t', '', { 'Content-Type': 'text/html' }, 'x'), config)).message, 'Content-Type not acceptable: text/html');
  });
});
