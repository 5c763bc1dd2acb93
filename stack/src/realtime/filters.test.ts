import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { actionFilter, bindingId, paramsToLog, parseFilters, parseSubscriptionParams, splitTopLevel } from './filters.ts';

describe('postgres_changes filters', () => {
  test('event → action filter', () => {
    assert.equal(actionFilter('*'), '*');
    assert.equal(actionFilter('insert'), 'INSERT');
    assert.equal(actionFilter('DELETE'), 'DELETE');
    assert.equal(actionFilter('bogus'), '*');
    assert.equal(actionFilter(undefined), '*');
  });

  test('splits on top-level commas only', () => {
    assert.deepEqual(splitTopLevel('a=eq.1,b=in.(1,2),c=eq."x,y"'), ['a=eq.1', 'b=in.(1,2)', 'c=eq."x,y"']);
  });

  test('parses each operator; `in` becomes an array literal; quoted values are unquoted', () => {
    assert.deepEqual(parseFilters('id=eq.1'), [{ column: 'id', op: 'eq', value: '1' }]);
    assert.deepEqual(parseFilters('qty=in.(2,3),body=neq.x'), [
      { column: 'qty', op: 'in', value: '{2,3}' },
      { column: 'body', op: 'neq', value: 'x' },
    ]);
    for (const op of ['lt', 'lte', 'gt', 'gte']) assert.deepEqual(parseFilters(`n=${op}.5`), [{ column: 'n', op, value: '5' }]);
    assert.deepEqual(parseFilters('name=eq."a,b"'), [{ column: 'name', op: 'eq', value: 'a,b' }]);
    assert.deepEqual(parseFilters('  '), []);
  });

  test('errors as Realtime words them', () => {
    assert.equal(parseFilters('subject=foo.hey'), '["foo", "hey"]');
    assert.equal(parseFilters('undefined'), '["undefined"]');
    assert.equal(parseFilters('id=in.1,2'), '`in` filter value must be wrapped by parentheses');
    assert.equal(parseFilters('id=eq.1,,'), 'filter must not contain empty segments (check for extra commas)');
  });

  test('subscription params: schema/table defaults and errors', () => {
    assert.deepEqual(parseSubscriptionParams({ event: 'INSERT', schema: 'public', table: 'items', filter: 'id=eq.1' }), {
      action: 'INSERT',
      schema: 'public',
      table: 'items',
      filters: [{ column: 'id', op: 'eq', value: '1' }],
      select: null,
    });
    assert.deepEqual(parseSubscriptionParams({ event: '*', schema: 'public' }), { action: '*', schema: 'public', table: '*', filters: [], select: null });
    assert.deepEqual(parseSubscriptionParams({ table: 'items' }), { action: '*', schema: 'public', table: 'items', filters: [], select: null });
    assert.deepEqual(parseSubscriptionParams({ schema: 'public', table: 't', filter: 'x=foo.1' }), { error: 'Error parsing `filter` params: ["foo", "1"]' });
    assert.match((parseSubscriptionParams({ event: '*' }) as { error: string }).error, /^No subscription params provided/);
    assert.match((parseSubscriptionParams({ schema: '*', select: ['a'] }) as { error: string }).error, /not supported for wildcard/);
  });

  test('log format and stable ids', () => {
    const p = parseSubscriptionParams({ event: 'INSERT', schema: 'public', table: 't', filter: 'id=eq.1' });
    assert.ok(!('error' in p));
    assert.equal(paramsToLog(p), 'event: INSERT, schema: public, table: t, filters: [{"id", "eq", "1"}], select: nil');
    assert.equal(bindingId({ event: '*', schema: 'public' }), bindingId({ schema: 'public', event: '*' }));
    assert.notEqual(bindingId({ event: '*', schema: 'public' }), bindingId({ event: 'INSERT', schema: 'public' }));
    assert.ok(bindingId({ a: 1 }) < 2 ** 27);
  });
});
