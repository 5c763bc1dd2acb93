import assert from 'node:assert/strict';
import { test } from 'vitest';
import { StorageError } from './errors.ts';
import { decodeContinuationToken, encodeContinuationToken, listV2Result, type ListV2Row, planListV2 } from './list-v2.ts';

const file = (name: string, created = '2026-01-01T00:00:00.000Z'): ListV2Row => ({
  name,
  id: `id-${name}`,
  updated_at: new Date(created),
  created_at: new Date(created),
  last_accessed_at: new Date(created),
  metadata: { size: 1 },
});
const folder = (name: string, key: string): ListV2Row => ({ key, name, id: null, updated_at: null, created_at: null, last_accessed_at: null, metadata: null });

test('continuation tokens are Storage’s base64 `k:v` lines, round trip', () => {
  const token = encodeContinuationToken({ startAfter: 'a/b.txt', sortOrder: 'desc', sortColumn: 'created_at', sortColumnAfter: '2026-01-01T00:00:00.000Z' });
  assert.equal(Buffer.from(token, 'base64').toString(), 'l:a/b.txt\no:desc\nc:created_at\na:2026-01-01T00:00:00.000Z');
  assert.deepEqual(decodeContinuationToken(token), { startAfter: 'a/b.txt', sortOrder: 'desc', sortColumn: 'created_at', sortColumnAfter: '2026-01-01T00:00:00.000Z' });
  assert.deepEqual(decodeContinuationToken(encodeContinuationToken({ startAfter: 'x' })), { startAfter: 'x', sortOrder: 'asc' });
});

test('anything else is InvalidParameter', () => {
  for (const bad of [Buffer.from('nope').toString('base64'), Buffer.from('z:1').toString('base64'), '']) {
    assert.throws(
      () => decodeContinuationToken(bad || Buffer.from('\n').toString('base64')),
      (e: unknown) => e instanceof StorageError && e.code === 'InvalidParameter' && e.message === 'Invalid Parameter continuation token',
    );
  }
});

test('plans: limit capped at 1000, one row more fetched, the cursor’s order and column win', () => {
  assert.deepEqual(planListV2({}).query, { prefix: '', maxKeys: 1001, startAfter: undefined, sortColumn: 'name', sortOrder: 'asc', sortColumnAfter: undefined, levels: 1 });
  assert.equal(planListV2({ limit: 5000 }).limit, 1000);
  assert.equal(planListV2({ prefix: 'a/b/' }).query.levels, 3);
  const cursor = encodeContinuationToken({ startAfter: 'k', sortOrder: 'desc', sortColumn: 'updated_at', sortColumnAfter: 't' });
  const p = planListV2({ cursor, sortBy: { column: 'name', order: 'asc' }, withDelimiter: true });
  assert.deepEqual([p.delimited, p.query.startAfter, p.query.sortOrder, p.query.sortColumn, p.query.sortColumnAfter], [true, 'k', 'desc', 'updated_at', 't']);
});

test('results: folders get a trailing slash, a full page yields a cursor at its last row', () => {
  const plan = planListV2({ limit: 2, withDelimiter: true, sortBy: { column: 'created_at' } });
  const rows = [folder('p/a', 'a'), { ...file('p/b.txt', '2026-01-02T00:00:00.000Z'), key: 'b.txt' }, { ...file('p/c.txt'), key: 'c.txt' }];
  const r = listV2Result(plan, rows, { column: 'created_at' });
  assert.equal(r.hasNext, true);
  assert.deepEqual(r.folders, [{ key: 'a', name: 'p/a/', id: null, updated_at: null, created_at: null, last_accessed_at: null, metadata: null }]);
  assert.deepEqual(r.objects.map((o) => o.name), ['p/b.txt']);
  assert.equal(r.nextCursorKey, 'p/b.txt');
  assert.deepEqual(decodeContinuationToken(r.nextCursor!), { startAfter: 'p/b.txt', sortOrder: 'asc', sortColumn: 'created_at', sortColumnAfter: '2026-01-02T00:00:00.000Z' });
  assert.deepEqual(Object.keys(r), ['hasNext', 'nextCursor', 'nextCursorKey', 'folders', 'objects']);
});

test('results: a last page has no cursor; flat rows keep the flat column order', () => {
  const r = listV2Result(planListV2({}), [file('x')], undefined);
  assert.deepEqual(Object.keys(r), ['hasNext', 'folders', 'objects']);
  assert.deepEqual(Object.keys(r.objects[0]!), ['id', 'name', 'metadata', 'updated_at', 'created_at', 'last_accessed_at']);
  assert.equal(r.objects[0]!.created_at, '2026-01-01T00:00:00.000Z');
});
