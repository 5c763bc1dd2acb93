// Planning against the schema cache: what is found, what is refused, and with which error.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { type HttpRequest, parseRequest } from '../request.ts';
import { refusal, testCache } from '../test-fixtures.ts';
import type { CallPlan, MutatePlan, PlanConfig, ReadPlan } from './types.ts';
import { findRelationship } from './relationships.ts';
import { planRequest } from './plan.ts';
import { resolveCast } from './columns.ts';

const cache = testCache();
const config: PlanConfig = { maxRows: 1000, extraSearchPath: ['public', 'extensions'], aggregatesEnabled: false, planEnabled: false };

function http(method: string, path: string, query = '', headers: Record<string, string> = {}, body = ''): HttpRequest {
  const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, path, query, header: (n) => h[n.toLowerCase()], body };
}

function plan(method: string, path: string, query = '', headers: Record<string, string> = {}, body = '') {
  return planRequest(parseRequest(http(method, path, query, headers, body), { schemas: ['api', 'other'] }), cache, config);
}

describe('reads', () => {
  test('resolves columns, JSON paths (to_jsonb for non-JSON), aliases and casts', () => {
    const p = plan('GET', '/projects', 'select=id,n:name::text,tags->0,budget').plan as ReadPlan;
    assert.deepStrictEqual(
      p.node.select.map((s) => [s.field.column, s.alias ?? null, s.cast ?? null, s.field.toJson]),
      [
        ['id', null, null, false],
        ['name', 'n', '"pg_catalog"."text"', false],
        ['tags', 'tags', null, true],
        ['budget', null, null, false],
      ],
    );
    assert.equal((plan('GET', '/clients', 'select=meta->a').plan as ReadPlan).node.select[0]?.field.toJson, false);
  });
  test('settings: search_path from the schema and extra_search_path; a known timezone', () => {
    const p = plan('GET', '/projects', '', { Prefer: 'timezone=Europe/Paris' });
    assert.deepStrictEqual(p.settings, { search_path: '"api", "public", "extensions"', timezone: 'Europe/Paris' });
    assert.deepStrictEqual(plan('GET', '/projects', '', { Prefer: 'timezone=Mars/Base' }).settings, { search_path: '"api", "public", "extensions"' });
  });
  test('max_rows caps every node; limit=0 stays zero', () => {
    const p = plan('GET', '/clients', 'select=id,projects(id)').plan as ReadPlan;
    assert.deepStrictEqual(p.node.range, { lower: 0, upper: 999 });
    assert.deepStrictEqual(p.node.embeds[0]?.node.range, { lower: 0, upper: 999 });
    assert.deepStrictEqual((plan('GET', '/clients', 'limit=0').plan as ReadPlan).node.range, { lower: 0, upper: -1 });
  });
  test('embeds: cardinality, join conditions, aliases, junctions', () => {
    const p = plan('GET', '/projects', 'select=id,c:clients(name),tasks(title)').plan as ReadPlan;
    const [clients, tasks] = p.node.embeds;
    assert.equal(clients?.toOne, true);
    assert.equal(clients?.name, 'c');
    assert.deepStrictEqual(clients?.node.joinConditions, [{ childAlias: 'clients_1', childColumn: 'id', parentAlias: 'projects', parentColumn: 'client_id' }]);
    assert.equal(tasks?.toOne, false);
    assert.deepStrictEqual(tasks?.node.junction, { qi: { schema: 'api', name: 'project_tasks' }, alias: 'project_tasks_1' });
    assert.deepStrictEqual(tasks?.node.joinConditions, [
      { childAlias: 'project_tasks_1', childColumn: 'task_id', parentAlias: 'tasks_1', parentColumn: 'id' },
      { childAlias: 'project_tasks_1', childColumn: 'project_id', parentAlias: 'projects', parentColumn: 'id' },
    ]);
  });
  test('filters, logic and order go to the node on their path; embed null filters', () => {
    const p = plan('GET', '/clients', 'select=id,projects(id)&projects.name=eq.x&projects.or=(id.eq.1,id.eq.2)&projects.order=id.desc&projects=not.is.null&id=gt.1').plan as ReadPlan;
    const child = p.node.embeds[0]?.node;
    assert.equal(child?.where.length, 2);
    assert.equal(child?.order[0]?.direction, 'desc');
    assert.deepStrictEqual(p.node.where.map((c) => c.type).sort(), ['embedNull', 'filter']);
  });
  test('order by a to-one embed column adds a hidden column when not selected', () => {
    const p = plan('GET', '/projects', 'select=id,clients(id)&order=clients(name).desc').plan as ReadPlan;
    assert.equal(p.node.order[0]?.embedColumn, 'pgrst_order_1');
    assert.equal(p.node.embeds[0]?.node.hidden[0]?.field.column, 'name');
    const selected = plan('GET', '/projects', 'select=id,clients(name)&order=clients(name)').plan as ReadPlan;
    assert.equal(selected.node.order[0]?.embedColumn, 'name');
  });
  test('self relationships: children by table name, parent by FK column', () => {
    const p = plan('GET', '/projects', 'select=id,projects(id),parent_id(id)').plan as ReadPlan;
    assert.deepStrictEqual(p.node.embeds.map((e) => e.relationship.cardinality.type), ['o2m', 'm2o']);
  });
  test('media types', () => {
    assert.equal((plan('GET', '/projects', '', { Accept: 'text/csv' }).plan as ReadPlan).media.handler, 'csv');
    assert.equal((plan('GET', '/projects', '', { Accept: 'application/vnd.pgrst.object+json' }).plan as ReadPlan).singular, true);
    assert.equal((plan('HEAD', '/projects').plan as ReadPlan).media.handler, 'none');
    assert.equal(refusal(() => plan('GET', '/projects', '', { Accept: 'image/png' })).code, 'PGRST107');
  });
  test('refusals: unknown table, column, cast, relationship; ambiguity; aggregates; not embedded; to-many order', () => {
    assert.deepStrictEqual(refusal(() => plan('GET', '/project')).body(), {
      code: 'PGRST205',
      details: null,
      hint: "Perhaps you meant the table 'api.projects'",
      message: "Could not find the table 'api.project' in the schema cache",
    });
    assert.deepStrictEqual(refusal(() => plan('GET', '/projects', 'select=nope')).body(), { code: '42703', details: null, hint: null, message: 'column projects.nope does not exist' });
    assert.equal(refusal(() => plan('GET', '/projects', 'id=eq.1&nope=eq.2')).code, '42703');
    assert.equal(refusal(() => plan('GET', '/projects', 'select=id::evil')).code, '42704');
    assert.equal(refusal(() => plan('GET', '/tasks', 'select=clients(id)')).code, 'PGRST200');
    const ambiguous = refusal(() => plan('GET', '/clients', 'select=users(id)'));
    assert.equal(ambiguous.code, 'PGRST201');
    assert.equal(ambiguous.status, 300);
    assert.equal(refusal(() => plan('GET', '/projects', 'select=count()')).code, 'PGRST123');
    assert.equal(refusal(() => plan('GET', '/projects', 'clients.id=eq.1')).code, 'PGRST108');
    assert.equal(refusal(() => plan('GET', '/clients', 'select=id,projects(id)&order=projects(id)')).code, 'PGRST118');
    assert.equal(refusal(() => plan('GET', '/projects', '', { Prefer: 'handling=strict, bogus' })).code, 'PGRST122');
  });
  test('relationship hints', () => {
    assert.equal(findRelationship(cache, 'api', 'clients', 'users', 'users_home_client_fkey').cardinality.type, 'o2m');
    assert.equal(findRelationship(cache, 'api', 'clients', 'users', 'work_client').cardinality.type, 'o2m');
    assert.equal(findRelationship(cache, 'api', 'projects', 'projects_client_id_fkey', undefined).foreignTable.name, 'clients');
    assert.equal(findRelationship(cache, 'api', 'projects', 'tasks', 'project_tasks').cardinality.type, 'm2m');
  });
  test('casts come from a whitelist or the cache, never from the request', () => {
    assert.equal(resolveCast('int', cache), 'integer');
    assert.equal(resolveCast(' Double  Precision ', cache), 'double precision');
    assert.equal(resolveCast('mood', cache), '"api"."mood"');
    assert.equal(refusal(() => resolveCast('text); drop table x; --', cache)).code, '42704');
  });
});

describe('mutations', () => {
  test('insert: columns from the body, typed from the cache; unknown ones refused', () => {
    const p = plan('POST', '/projects', '', { Prefer: 'return=representation' }, '{"name":"a","budget":1}').plan as MutatePlan;
    assert.deepStrictEqual(p.insert?.columns, [
      { name: 'name', type: 'text', default: null },
      { name: 'budget', type: 'bigint', default: '100' },
    ]);
    assert.equal(p.returning, '*');
    assert.equal(refusal(() => plan('POST', '/projects', '', {}, '{"nope":1}')).code, 'PGRST204');
  });
  test('upsert: on_conflict or the primary key', () => {
    const pk = plan('POST', '/projects', '', { Prefer: 'resolution=merge-duplicates' }, '{"id":1}').plan as MutatePlan;
    assert.deepStrictEqual(pk.insert?.onConflict, { resolution: 'merge-duplicates', columns: ['id'] });
    const named = plan('POST', '/projects', 'on_conflict=name', { Prefer: 'resolution=ignore-duplicates' }, '{"id":1}').plan as MutatePlan;
    assert.deepStrictEqual(named.insert?.onConflict, { resolution: 'ignore-duplicates', columns: ['name'] });
  });
  test('returning: selected columns plus FK and PK columns needed by embeds and Location', () => {
    const p = plan('POST', '/projects', 'select=name,clients(name)', { Prefer: 'return=representation' }, '{"name":"a"}').plan as MutatePlan;
    assert.deepStrictEqual(p.returning, ['name', 'client_id', 'id']);
    assert.deepStrictEqual((plan('POST', '/projects', '', {}, '{"name":"a"}').plan as MutatePlan).returning, []);
  });
  test('pg-safeupdate: UPDATE and DELETE need a root filter', () => {
    assert.deepStrictEqual(refusal(() => plan('PATCH', '/projects', '', {}, '{"name":"x"}')).body(), {
      code: '21000',
      details: null,
      hint: null,
      message: 'UPDATE requires a WHERE clause',
    });
    assert.equal(refusal(() => plan('DELETE', '/projects')).message, 'DELETE requires a WHERE clause');
    assert.equal((plan('PATCH', '/projects', 'id=eq.1', {}, '{"name":"x"}').plan as MutatePlan).where.length, 1);
    assert.equal((plan('DELETE', '/projects', 'or=(id.eq.1,id.eq.2)').plan as MutatePlan).where.length, 1);
    assert.equal((plan('PATCH', '/projects', '', {}, '{}').plan as MutatePlan).update?.columns.length, 0);
  });
  test('PUT needs every primary key column with eq', () => {
    assert.equal((plan('PUT', '/projects', 'id=eq.1', {}, '{"id":1}').plan as MutatePlan).mutation, 'upsert');
    assert.equal(refusal(() => plan('PUT', '/projects', 'id=gt.1', {}, '{"id":1}')).code, 'PGRST105');
    assert.equal(refusal(() => plan('PUT', '/projects', 'name=eq.1', {}, '{"id":1}')).code, 'PGRST105');
  });
});

describe('calls', () => {
  test('overloads by argument names; optional parameters may be left out', () => {
    const p = plan('GET', '/rpc/search', 'q=x').plan as CallPlan;
    assert.equal(p.routine.name, 'search');
    assert.deepStrictEqual(p.args, { kind: 'direct', values: [{ param: 'q', type: 'text', variadic: false, value: 'x' }] });
    assert.equal(p.readOnly, true);
    const post = plan('POST', '/rpc/add', '', {}, '{"a":1,"b":2}').plan as CallPlan;
    assert.deepStrictEqual(post.args, {
      kind: 'json',
      raw: '{"a":1,"b":2}',
      isObject: true,
      params: [
        { name: 'a', type: 'integer', variadic: false },
        { name: 'b', type: 'integer', variadic: false },
      ],
    });
    assert.equal(post.scalar, true);
  });
  test('a single unnamed json parameter takes the body', () => {
    const p = plan('POST', '/rpc/echo', '', {}, '{"any":"thing"}').plan as CallPlan;
    assert.deepStrictEqual(p.args, { kind: 'single', raw: '{"any":"thing"}', type: 'jsonb' });
  });
  test('volatile POST is read-write; GET is always read-only', () => {
    assert.equal((plan('POST', '/rpc/touch').plan as CallPlan).readOnly, false);
    assert.equal((plan('GET', '/rpc/touch').plan as CallPlan).readOnly, true);
  });
  test('result columns are known for filters: OUT parameters and table types', () => {
    assert.equal((plan('GET', '/rpc/pairs', 'n=3&sq=gt.1').plan as CallPlan).node.where.length, 1);
    assert.equal(refusal(() => plan('GET', '/rpc/pairs', 'n=3&nope=gt.1')).code, '42703');
    const s = plan('GET', '/rpc/search', 'q=x&select=id,clients(name)').plan as CallPlan;
    assert.deepStrictEqual(s.returning, ['id', 'client_id']);
  });
  test('PGRST202 with PostgREST’s wording', () => {
    assert.deepStrictEqual(refusal(() => plan('GET', '/rpc/add', 'a=1')).body(), {
      code: 'PGRST202',
      details: 'Searched for the function api.add with parameter a, but no matches were found in the schema cache.',
      hint: 'Perhaps you meant to call the function api.add(a, b)',
      message: 'Could not find the function api.add(a) in the schema cache',
    });
    assert.deepStrictEqual(refusal(() => plan('POST', '/rpc/addd', '', {}, '{}')).body(), {
      code: 'PGRST202',
      details: 'Searched for the function api.addd without parameters or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
      hint: 'Perhaps you meant to call the function api.add',
      message: 'Could not find the function api.addd without parameters in the schema cache',
    });
    assert.equal(refusal(() => plan('POST', '/rpc/ad', '', {}, '{}')).hint, null);
  });
});

describe('OpenAPI', () => {
  test('root GET plans the document; other media types are refused', () => {
    assert.equal(plan('GET', '/').plan.type, 'openapi');
    assert.equal(plan('GET', '/', '', { Accept: 'application/openapi+json' }).plan.type, 'openapi');
    assert.equal(refusal(() => plan('GET', '/', '', { Accept: 'text/csv' })).code, 'PGRST107');
  });
});
