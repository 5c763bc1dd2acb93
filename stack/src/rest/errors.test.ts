// The error catalog: SQLSTATE → HTTP, RAISE PGRST, JWT wording, response shape.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { DatabaseUnavailable } from '../kit/db-errors.ts';
import { errorResponse, Errors, fromPgError, jwtError, statusForSqlState, toRestError } from './errors.ts';

describe('SQLSTATE → HTTP status (PostgREST mapSQLtoHTTP)', () => {
  const cases: [string, string, boolean, number][] = [
    ['08006', 'x', true, 503],
    ['09000', 'x', true, 500],
    ['0L000', 'x', true, 403],
    ['0P000', 'x', true, 403],
    ['23503', 'x', true, 409],
    ['23505', 'x', true, 409],
    ['25006', 'x', true, 405],
    ['25001', 'x', true, 500],
    ['21000', 'DELETE requires a WHERE clause', true, 400],
    ['21000', 'more than one row returned by a subquery used as an expression', true, 500],
    ['22023', 'role "x" does not exist', true, 401],
    ['22023', 'invalid value', true, 400],
    ['28000', 'x', true, 403],
    ['2D000', 'x', true, 500],
    ['38000', 'x', true, 500],
    ['40001', 'x', true, 500],
    ['42501', 'permission denied', false, 401],
    ['42501', 'permission denied', true, 403],
    ['42883', 'function f() does not exist', true, 404],
    ['42883', 'function xmlagg(integer) does not exist', true, 406],
    ['42P01', 'x', true, 404],
    ['42P17', 'x', true, 500],
    ['53400', 'x', true, 500],
    ['53100', 'x', true, 503],
    ['54001', 'x', true, 500],
    ['57014', 'x', true, 500],
    ['57P01', 'x', true, 503],
    ['P0001', 'x', true, 400],
    ['P0002', 'x', true, 500],
    ['PT418', 'x', true, 418],
    ['XX000', 'x', true, 500],
    ['23502', 'x', true, 400],
    ['22P02', 'x', true, 400],
  ];
  for (const [code, message, authed, status] of cases) {
    test(`${code} ${authed ? 'authenticated' : 'anon'} → ${status}`, () => assert.equal(statusForSqlState(code, message, authed), status));
  }
});

describe('database errors', () => {
  test('keep message, detail and hint; 401s carry WWW-Authenticate', () => {
    const e = fromPgError({ code: '42501', message: 'permission denied for table t', detail: 'd', hint: 'h' }, false);
    assert.deepStrictEqual(e.body(), { code: '42501', details: 'd', hint: 'h', message: 'permission denied for table t' });
    assert.equal(e.status, 401);
    assert.deepStrictEqual(e.headers, { 'WWW-Authenticate': 'Bearer' });
  });
  test("RAISE SQLSTATE 'PGRST' sets body, status and headers; bad JSON is PGRST121", () => {
    const e = fromPgError({ code: 'PGRST', message: '{"code":"X1","message":"m","details":"d","hint":"h"}', detail: '{"status":402,"headers":{"X-Y":"z"}}' }, true);
    assert.deepStrictEqual([e.status, e.body(), e.headers], [402, { code: 'X1', details: 'd', hint: 'h', message: 'm' }, { 'X-Y': 'z' }]);
    assert.equal(fromPgError({ code: 'PGRST', message: 'nope', detail: '{}' }, true).code, 'PGRST121');
    assert.equal(fromPgError({ code: 'PGRST', message: '{"code":"a","message":"b"}' }, true).details, 'DETAIL is missing in the RAISE statement');
  });
  test('connection failures are 503 PGRST000 (no connection) or PGRST001 (it died); anything else is a shaped 500', () => {
    assert.equal(toRestError(new Error('connect ECONNREFUSED 127.0.0.1:1'), true).code, 'PGRST000');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    assert.deepStrictEqual(toRestError(new DatabaseUnavailable('connect', refused), true).body(), {
      code: 'PGRST000',
      details: 'connect ECONNREFUSED 127.0.0.1:1',
      hint: null,
      message: 'Database connection error. Retrying the connection.',
    });
    const died = toRestError(new DatabaseUnavailable('session', new Error('Connection terminated unexpectedly')), true);
    assert.deepStrictEqual([died.status, died.code, died.message], [503, 'PGRST001', 'Database client error. Retrying the connection.']);
    assert.equal(toRestError(new DatabaseUnavailable('connect', new Error('timeout exceeded when trying to connect')), true).code, 'PGRST003');
    // The server's own 57P01 under a query keeps its SQLSTATE, as PostgREST reports it.
    assert.deepStrictEqual(
      [toRestError({ code: '57P01', severity: 'FATAL', message: 'terminating connection due to unexpected postmaster exit' }, true).status],
      [503],
    );
    assert.equal(toRestError(new Error('timeout exceeded when trying to connect'), true).code, 'PGRST003');
    assert.deepStrictEqual(toRestError(new TypeError('x is undefined'), true).body(), { code: 'PGRSTX00', details: null, hint: null, message: 'Internal server error' });
  });
});

describe('JWT errors', () => {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  test('wording per failure', () => {
    assert.equal(jwtError(undefined, 'invalid').message, 'Empty JWT is sent in Authorization header');
    assert.equal(jwtError('a.b', 'invalid').message, 'Expected 3 parts in JWT; got 2');
    assert.equal(jwtError(`${b64({ alg: 'HS256' })}.${b64({})}.sig`, 'invalid').message, 'JWT cryptographic operation failed');
    assert.equal(jwtError(`${b64({ alg: 'none' })}.${b64({})}.`, 'invalid').message, 'Wrong or unsupported encoding algorithm');
    assert.equal(jwtError(`${b64({ alg: 'ES256', kid: 'k' })}.${b64({})}.sig`, 'invalid').message, 'JWT cryptographic operation failed');
    assert.equal(jwtError(`${b64({ alg: 'ES256', kid: 'unknown' })}.${b64({})}.sig`, 'invalid', true).message, 'No suitable key or wrong key type');
    const expired = jwtError(`${b64({ alg: 'HS256' })}.${b64({})}.sig`, 'expired');
    assert.deepStrictEqual([expired.status, expired.code, expired.message], [401, 'PGRST303', 'JWT expired']);
    assert.equal(expired.headers['WWW-Authenticate'], 'Bearer error="invalid_token", error_description="JWT expired"');
  });
});

describe('HTTP form', () => {
  test('JSON body in key order code, details, hint, message, with Proxy-Status', () => {
    const r = errorResponse(Errors.tableNotFound('public', 'x', null));
    assert.equal(r.status, 404);
    assert.equal(r.body, '{"code":"PGRST205","details":null,"hint":null,"message":"Could not find the table \'public.x\' in the schema cache"}');
    assert.deepStrictEqual(r.headers, { 'Content-Type': 'application/json; charset=utf-8', 'Proxy-Status': 'PostgREST; error=PGRST205' });
  });
});
