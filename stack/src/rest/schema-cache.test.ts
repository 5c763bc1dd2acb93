// Building the schema cache from introspection rows: relationships as PostgREST derives them.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { closest, qiKey, routineReturnsScalar, routineReturnsSetOfScalar, similarity } from './schema-cache.ts';
import { testCache } from './test-fixtures.ts';

describe('schema cache', () => {
  const cache = testCache();
  const rels = (table: string) =>
    (cache.relationships.get(qiKey({ schema: 'api', name: table })) ?? []).map((r) => `${r.cardinality.type}:${r.foreignTable.name}:${r.cardinality.type === 'm2m' ? r.cardinality.junction.name : r.cardinality.constraint}`).sort();

  test('tables with ordered columns and primary keys', () => {
    const t = cache.tables.get(qiKey({ schema: 'api', name: 'projects' }));
    assert.deepStrictEqual(t?.columns.map((c) => c.name), ['id', 'name', 'client_id', 'budget', 'tags', 'parent_id']);
    assert.deepStrictEqual(t?.pk, ['id']);
    assert.equal(cache.tables.get(qiKey({ schema: 'api', name: 'client_names' }))?.isView, true);
  });
  test('many-to-one, one-to-many (inverse), many-to-many through a junction whose FKs are its key', () => {
    assert.deepStrictEqual(rels('projects'), [
      'm2m:tasks:project_tasks',
      'm2o:clients:projects_client_id_fkey',
      'm2o:projects:projects_parent_id_fkey',
      'o2m:project_tasks:project_tasks_project_id_fkey',
      'o2m:projects:projects_parent_id_fkey',
    ]);
    assert.deepStrictEqual(rels('clients'), [
      'o2m:project_view:projects_client_id_fkey',
      'o2m:projects:projects_client_id_fkey',
      'o2m:users:users_home_client_fkey',
      'o2m:users:users_work_client_fkey',
    ]);
    assert.deepStrictEqual(rels('tasks'), ['m2m:projects:project_tasks', 'o2m:project_tasks:project_tasks_task_id_fkey']);
  });
  test('views take the keys and relationships of their base tables, through the columns they show', () => {
    assert.deepStrictEqual(cache.tables.get(qiKey({ schema: 'api', name: 'project_view' }))?.pk, ['pid']);
    const [rel] = cache.relationships.get(qiKey({ schema: 'api', name: 'project_view' })) ?? [];
    assert.deepStrictEqual(rel, {
      table: { schema: 'api', name: 'project_view' },
      foreignTable: { schema: 'api', name: 'clients' },
      isSelf: false,
      cardinality: { type: 'm2o', constraint: 'projects_client_id_fkey', columns: [['client_id', 'id']] },
      tableIsView: true,
      foreignTableIsView: false,
    });
    assert.equal(cache.relationships.get(qiKey({ schema: 'api', name: 'project_view' }))?.length, 1);
  });
  test('functions of one row: scalar ones are computed fields, ones returning rows computed relationships', () => {
    const clients = qiKey({ schema: 'api', name: 'clients' });
    assert.deepStrictEqual([...(cache.computedFields.get(clients)?.keys() ?? [])], ['client_label']);
    assert.deepStrictEqual(
      cache.computedRelationships.get(clients)?.map((r) => [r.cardinality.function.name, r.foreignTable.name, r.cardinality.singleRow]),
      [
        ['client_projects', 'projects', false],
        ['top_project', 'projects', true],
      ],
    );
    // client_label has an unnamed parameter: a computed field, never an RPC.
    assert.equal(cache.routines.has(qiKey({ schema: 'api', name: 'client_label' })), false);
  });
  test('functions: parameters with defaults, return shapes; two unnamed parameters are not callable', () => {
    const search = cache.routines.get(qiKey({ schema: 'api', name: 'search' }))?.[0];
    assert.deepStrictEqual(search?.params, [
      { name: 'q', type: 'text', required: true, variadic: false },
      { name: 'lim', type: 'integer', required: false, variadic: false },
    ]);
    assert.deepStrictEqual(search?.returnTable, { schema: 'api', name: 'projects' });
    const pairs = cache.routines.get(qiKey({ schema: 'api', name: 'pairs' }))?.[0];
    assert.deepStrictEqual(pairs?.returnColumns, [{ name: 'i', type: 'integer' }, { name: 'sq', type: 'integer' }]);
    assert.deepStrictEqual(pairs?.params.map((p) => p.name), ['n']);
    const add = cache.routines.get(qiKey({ schema: 'api', name: 'add' }))?.[0];
    assert.ok(add && routineReturnsScalar(add));
    const names = cache.routines.get(qiKey({ schema: 'api', name: 'names' }))?.[0];
    assert.ok(names && routineReturnsSetOfScalar(names));
    assert.equal(cache.routines.get(qiKey({ schema: 'api', name: 'touch' }))?.[0]?.returnsVoid, true);
    assert.equal(cache.routines.has(qiKey({ schema: 'api', name: 'two_unnamed' })), false);
  });
  test('fuzzy suggestions', () => {
    assert.equal(similarity('clients', 'clients'), 1);
    assert.deepStrictEqual(closest('client', ['clients', 'tasks'], 0.75), { value: 'clients', score: 1 - 1 / 7 });
    assert.equal(closest('zzz', ['clients'], 0.75), null);
  });
});
