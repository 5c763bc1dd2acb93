// The query-string grammar, checked against PostgREST's own doctests (QueryParams.hs).
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { RestError } from '../errors.ts';
import { haskellShow } from './cursor.ts';
import { parseFilter, parseLogic, parseTreePath } from './filter.ts';
import { parseOrder } from './order.ts';
import { parseQueryParams, splitQuery } from './query-params.ts';
import { parseRangeHeader } from '../range.ts';
import { parseSelect } from './select.ts';

function parseError(f: () => unknown): { message: string; details: unknown } {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof RestError, String(e));
    assert.equal(e.code, 'PGRST100');
    assert.equal(e.status, 400);
    return { message: e.message, details: e.details };
  }
  throw new Error('expected a parse error');
}

describe('select', () => {
  test('fields, aliases, casts, JSON paths, star', () => {
    assert.deepStrictEqual(parseSelect('id,alias:name->jsonpath::cast, *'), [
      { type: 'field', field: { name: 'id', jsonPath: [] } },
      { type: 'field', field: { name: 'name', jsonPath: [{ arrow: '->', key: 'jsonpath' }] }, alias: 'alias', cast: 'cast' },
      { type: 'field', field: { name: '*', jsonPath: [] } },
    ]);
    assert.deepStrictEqual(parseSelect('data->>1,d->-2->"a.b"'), [
      { type: 'field', field: { name: 'data', jsonPath: [{ arrow: '->>', index: '+1' }] } },
      { type: 'field', field: { name: 'd', jsonPath: [{ arrow: '->', index: '-2' }, { arrow: '->', key: 'a.b' }] } },
    ]);
    assert.deepStrictEqual(parseSelect('name->!@#$%^&*_a'), [{ type: 'field', field: { name: 'name', jsonPath: [{ arrow: '->', key: '!@#$%^&*_a' }] } }]);
  });
  test('field names: spaces, dashes, quotes, $', () => {
    assert.deepStrictEqual(parseSelect(' identifier with spaces ,with-dashes,"quoted, name",$x'), [
      { type: 'field', field: { name: 'identifier with spaces', jsonPath: [] } },
      { type: 'field', field: { name: 'with-dashes', jsonPath: [] } },
      { type: 'field', field: { name: 'quoted, name', jsonPath: [] } },
      { type: 'field', field: { name: '$x', jsonPath: [] } },
    ]);
  });
  test('embeds with alias, hint and join type; spreads; nesting', () => {
    assert.deepStrictEqual(parseSelect('*,c:clients!fk!inner(*,nested(id)),...other!left(x)'), [
      { type: 'field', field: { name: '*', jsonPath: [] } },
      {
        type: 'relation',
        name: 'clients',
        alias: 'c',
        hint: 'fk',
        joinType: 'inner',
        children: [
          { type: 'field', field: { name: '*', jsonPath: [] } },
          { type: 'relation', name: 'nested', children: [{ type: 'field', field: { name: 'id', jsonPath: [] } }] },
        ],
      },
      { type: 'spread', name: 'other', joinType: 'left', children: [{ type: 'field', field: { name: 'x', jsonPath: [] } }] },
    ]);
  });
  test('aggregates parse (they are refused later)', () => {
    assert.deepStrictEqual(parseSelect('count(),total:amount.sum()::int'), [
      { type: 'field', field: { name: '*', jsonPath: [] }, aggregate: 'count' },
      { type: 'field', field: { name: 'amount', jsonPath: [] }, alias: 'total', aggregate: 'sum', aggregateCast: 'int' },
    ]);
  });
  test('empty select is an empty list', () => {
    assert.deepStrictEqual(parseSelect(''), []);
  });
  test('errors as PostgREST words them', () => {
    assert.deepStrictEqual(parseError(() => parseSelect('data->>-78xy')), {
      message: '"failed to parse select parameter (data->>-78xy)" (line 1, column 11)',
      details: 'unexpected "x" expecting digit',
    });
    assert.equal(parseError(() => parseSelect('id,clients(name[])')).message, '"failed to parse select parameter (id,clients(name[]))" (line 1, column 16)');
    assert.equal(parseError(() => parseSelect('name::')).message, '"failed to parse select parameter (name::)" (line 1, column 7)');
  });
});

describe('filters', () => {
  test('every operator', () => {
    const op = (v: string) => parseFilter('c', v, false).expr;
    assert.deepStrictEqual(op('eq.1'), { negated: false, operation: { kind: 'quant', op: 'eq', value: '1' } });
    assert.deepStrictEqual(op('not.eq(all).value'), { negated: true, operation: { kind: 'quant', op: 'eq', quantifier: 'all', value: 'value' } });
    assert.deepStrictEqual(op('like(any).{a*,b}'), { negated: false, operation: { kind: 'quant', op: 'like', quantifier: 'any', value: '{a*,b}' } });
    for (const o of ['gt', 'gte', 'lt', 'lte', 'ilike', 'match', 'imatch']) assert.equal((op(`${o}.x`)?.operation as { op: string }).op, o);
    for (const o of ['neq', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj']) {
      assert.deepStrictEqual(op(`${o}.v.w`), { negated: false, operation: { kind: 'simple', op: o, value: 'v.w' } });
    }
    assert.deepStrictEqual(op('in.(1,"a,b","q\\"x",)'), { negated: false, operation: { kind: 'in', values: ['1', 'a,b', 'q"x', ''] } });
    // A quote not right after the comma is an ordinary character, as in PostgREST.
    assert.deepStrictEqual(op('in.(1, "a,b")'), { negated: false, operation: { kind: 'in', values: ['1', ' "a', 'b"'] } });
    assert.deepStrictEqual(op('in.()'), { negated: false, operation: { kind: 'in', values: [''] } });
    assert.deepStrictEqual(op('is.NULL'), { negated: false, operation: { kind: 'is', value: 'null' } });
    assert.deepStrictEqual(op('not.is.not_null'), { negated: true, operation: { kind: 'is', value: 'not_null' } });
    assert.deepStrictEqual(op('isdistinct.5'), { negated: false, operation: { kind: 'isdistinct', value: '5' } });
    assert.deepStrictEqual(op('fts(english).a & b'), { negated: false, operation: { kind: 'fts', op: 'fts', language: 'english', value: 'a & b' } });
    for (const o of ['plfts', 'phfts', 'wfts']) assert.equal((op(`${o}.x`)?.operation as { op: string }).op, o);
  });
  test('tree paths select the embed and JSON paths the field', () => {
    assert.deepStrictEqual(parseTreePath('a.b.data->>k'), { path: ['a', 'b'], field: { name: 'data', jsonPath: [{ arrow: '->>', key: 'k' }] } });
  });
  test('RPC reads: values without an operator are arguments', () => {
    assert.deepStrictEqual(parseFilter('id', 'val', true), { path: [], field: { name: 'id', jsonPath: [] }, raw: 'val' });
    assert.deepStrictEqual(parseFilter('id', 'eq.1', true).expr, { negated: false, operation: { kind: 'quant', op: 'eq', value: '1' } });
  });
  test('errors', () => {
    assert.deepStrictEqual(parseError(() => parseFilter('id', 'val', false)), {
      message: '"failed to parse filter (val)" (line 1, column 1)',
      details: 'unexpected "v" expecting "not" or operator (eq, gt, ...)',
    });
    assert.deepStrictEqual(parseError(() => parseFilter('a.b', 'noop.0', false)), {
      message: '"failed to parse filter (noop.0)" (line 1, column 1)',
      details: 'unexpected "o" expecting "not" or operator (eq, gt, ...)',
    });
    assert.equal(parseError(() => parseFilter('c', 'fts().value', false)).message, '"failed to parse filter (fts().value)" (line 1, column 5)');
  });
});

describe('order', () => {
  test('terms, JSON paths, relation terms', () => {
    assert.deepStrictEqual(parseOrder('order', 'name.desc.nullsfirst').terms, [{ field: { name: 'name', jsonPath: [] }, direction: 'desc', nulls: 'first' }]);
    assert.deepStrictEqual(parseOrder('order', 'json_col->key.asc.nullslast').terms, [
      { field: { name: 'json_col', jsonPath: [{ arrow: '->', key: 'key' }] }, direction: 'asc', nulls: 'last' },
    ]);
    assert.deepStrictEqual(parseOrder('order', 'name,clients(name),id').terms, [
      { field: { name: 'name', jsonPath: [] } },
      { relation: 'clients', field: { name: 'name', jsonPath: [] } },
      { field: { name: 'id', jsonPath: [] } },
    ]);
    assert.deepStrictEqual(parseOrder('clients.order', 'id').path, ['clients']);
  });
  test('errors match the doctests', () => {
    const cases: [string, string, string][] = [
      ['id.ac', 'column 4', 'unexpected "c" expecting "asc", "desc", "nullsfirst" or "nullslast"'],
      ['id.descc', 'column 8', "unexpected 'c' expecting delimiter (.), \",\" or end of input"],
      ['id.nulsfist', 'column 4', 'unexpected "n" expecting "asc", "desc", "nullsfirst" or "nullslast"'],
      ['id.nullslasttt', 'column 13', "unexpected 't' expecting \",\" or end of input"],
      ['id.smth34', 'column 4', 'unexpected "s" expecting "asc", "desc", "nullsfirst" or "nullslast"'],
      ['id.asc.nlsfst', 'column 8', 'unexpected "l" expecting "nullsfirst" or "nullslast"'],
      ['id.asc.nullslasttt', 'column 17', "unexpected 't' expecting \",\" or end of input"],
    ];
    for (const [v, col, details] of cases) {
      assert.deepStrictEqual(parseError(() => parseOrder('order', v)), { message: `"failed to parse order (${v})" (line 1, ${col})`, details }, v);
    }
  });
});

describe('logic trees', () => {
  test('and/or/not nesting with quoted values and arrays', () => {
    assert.deepStrictEqual(parseLogic('or', '(a.eq.1,not.and(b.in.(1,2),c.cs.{x,y}),d.eq."q,)")').tree, {
      type: 'expr',
      negated: false,
      operator: 'or',
      children: [
        { type: 'filter', filter: { field: { name: 'a', jsonPath: [] }, expr: { negated: false, operation: { kind: 'quant', op: 'eq', value: '1' } } } },
        {
          type: 'expr',
          negated: true,
          operator: 'and',
          children: [
            { type: 'filter', filter: { field: { name: 'b', jsonPath: [] }, expr: { negated: false, operation: { kind: 'in', values: ['1', '2'] } } } },
            { type: 'filter', filter: { field: { name: 'c', jsonPath: [] }, expr: { negated: false, operation: { kind: 'simple', op: 'cs', value: '{x,y}' } } } },
          ],
        },
        { type: 'filter', filter: { field: { name: 'd', jsonPath: [] }, expr: { negated: false, operation: { kind: 'quant', op: 'eq', value: 'q,)' } } } },
      ],
    });
    assert.deepStrictEqual(parseLogic('clients.not.and', '(a.eq.1)').path, ['clients']);
    assert.equal((parseLogic('clients.not.and', '(a.eq.1)').tree as { negated: boolean }).negated, true);
  });
  test('errors', () => {
    assert.deepStrictEqual(parseError(() => parseLogic('or', '()')).message, '"failed to parse logic tree (())" (line 1, column 4)');
    assert.deepStrictEqual(parseError(() => parseLogic('or', '(id.in.1,2,id.eq.3)')), {
      message: '"failed to parse logic tree ((id.in.1,2,id.eq.3))" (line 1, column 10)',
      details: 'unexpected "1" expecting "("',
    });
  });
});

describe('the whole query string', () => {
  test('splits like PostgREST: + is a space, keys without = have no value', () => {
    assert.deepStrictEqual(splitQuery('a=1+2&b&c=%20x&d='), [
      ['a', '1 2'],
      ['b', undefined],
      ['c', ' x'],
      ['d', ''],
    ]);
  });
  test('classifies select, filters, order, logic, ranges, columns, on_conflict', () => {
    const q = parseQueryParams('select=id&id=eq.1&clients.name=like.a*&order=id.desc&or=(a.eq.1)&limit=10&offset=5&clients.limit=2&columns=a,b&on_conflict=id', false);
    assert.deepStrictEqual(q.select, [{ type: 'field', field: { name: 'id', jsonPath: [] } }]);
    assert.equal(q.filters.length, 2);
    assert.equal(q.filtersRoot.length, 1);
    assert.deepStrictEqual(q.filtersNotRoot[0]?.[0], ['clients']);
    assert.deepStrictEqual(q.ranges.get('limit'), { lower: 5, upper: 14 });
    assert.deepStrictEqual(q.ranges.get('clients.limit'), { lower: 0, upper: 1 });
    assert.deepStrictEqual(q.columns, ['a', 'b']);
    assert.deepStrictEqual(q.onConflict, ['id']);
    assert.equal(q.canonical, 'clients.limit=2&clients.name=like.a%2A&columns=a%2Cb&id=eq.1&limit=10&offset=5&on_conflict=id&or=%28a.eq.1%29&order=id.desc&select=id');
  });
  test('Range header', () => {
    assert.deepStrictEqual(parseRangeHeader('0-9'), { lower: 0, upper: 9 });
    assert.deepStrictEqual(parseRangeHeader('5-'), { lower: 5, upper: null });
    assert.deepStrictEqual(parseRangeHeader('x'), { lower: 0, upper: null });
  });
  test('haskellShow escapes like Haskell', () => {
    assert.equal(haskellShow('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(haskellShow('é1'), '"\\233\\&1"');
  });
});
