// Planning and rendering PostgREST's opt-in and function-based features, without a database:
// aggregates (grouping, hoisting out of to-one spreads), to-many spreads, computed fields and
// relationships, views' relationships, EXPLAIN media types. What the SQL must look like, and
// that nothing from the request reaches it but through the schema cache or `$n` parameters.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { type RenderedPlan, renderPlan } from '../render.ts';
import { parseRequest } from '../request.ts';
import { refusal, testCache } from '../test-fixtures.ts';
import { planRequest } from './plan.ts';
import type { PlanConfig, PlannedRequest, ReadPlan } from './types.ts';

const cache = testCache();
const ON: PlanConfig = { maxRows: null, extraSearchPath: [], aggregatesEnabled: true, planEnabled: true };
const OFF: PlanConfig = { ...ON, aggregatesEnabled: false, planEnabled: false };

function planned(path: string, query: string, config = ON, headers: Record<string, string> = {}, method = 'GET', body = ''): PlannedRequest {
  const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return planRequest(parseRequest({ method, path, query, header: (n) => h[n.toLowerCase()], body }, { schemas: ['api'] }), cache, config);
}

function sql(path: string, query: string, config = ON, headers: Record<string, string> = {}): RenderedPlan {
  const p = planned(path, query, config, headers).plan;
  if (p.type === 'openapi') throw new Error('openapi');
  return renderPlan(p, { maxRows: config.maxRows });
}

/** The statement's source CTE (the read itself). */
const source = (r: RenderedPlan): string => /^WITH pgrst_source AS \((.*)\) SELECT null::bigint AS total_result_set/.exec(r.main.text)?.[1] ?? r.main.text;

describe('aggregates', () => {
  test('refused unless db-aggregates-enabled (PGRST123), at any depth', () => {
    assert.equal(refusal(() => planned('/projects', 'select=budget.sum()', OFF)).code, 'PGRST123');
    assert.equal(refusal(() => planned('/clients', 'select=id,projects(count())', OFF)).code, 'PGRST123');
  });
  test('aggregate, cast before and after, aliases; grouped by the other selected columns', () => {
    assert.equal(
      source(sql('/projects', 'select=client_id,total:budget.sum(),budget::text.max(),n:count()::int')),
      'SELECT "projects"."client_id", SUM("projects"."budget") AS "total", MAX(CAST("projects"."budget" AS "pg_catalog"."text")), CAST(COUNT("projects".*) AS integer) AS "n" ' +
        'FROM "api"."projects" AS "projects" GROUP BY "projects"."client_id"',
    );
  });
  test('a `*` beside an aggregate becomes the table’s columns, so they can be grouped by', () => {
    const s = source(sql('/tasks', 'select=*,count()'));
    assert.equal(s, 'SELECT "tasks"."id", "tasks"."title", COUNT("tasks".*) FROM "api"."tasks" AS "tasks" GROUP BY "tasks"."id", "tasks"."title"');
  });
  test('inside an embed, the embed groups by itself', () => {
    assert.match(source(sql('/clients', 'select=name,projects(budget.avg())')), /SELECT AVG\("projects_1"\."budget"\) FROM "api"\."projects" AS "projects_1" WHERE "projects_1"\."client_id" = "clients"\."id"\)/);
  });
  test('hoisted out of a to-one spread: computed in the parent, grouped by its other columns', () => {
    const s = source(sql('/projects', 'select=name,...clients(id.count())'));
    assert.match(s, /^SELECT "projects"\."name", COUNT\("projects_clients_1"\."count"\) AS "count" FROM/);
    assert.match(s, /LEFT JOIN LATERAL \(SELECT "clients_1"\."id" AS "count" FROM "api"\."clients" AS "clients_1"/);
    assert.match(s, / GROUP BY "projects"\."name"$/);
  });
  test('`count` without parentheses on a relation without such a column is PostgreSQL’s count(rel), as in PostgREST', () => {
    assert.match(source(sql('/clients', 'select=projects(count)', OFF)), /SELECT "projects_1"\."count" FROM "api"\."projects" AS "projects_1"/);
  });
  test('not in to-many spreads (PGRST127)', () => {
    const e = refusal(() => planned('/clients', 'select=...projects(budget.sum())'));
    assert.equal(e.code, 'PGRST127');
  });
});

describe('spreads of to-many relationships (PostgREST 13)', () => {
  test('each spread column is aggregated into an array beside the embed', () => {
    const s = source(sql('/clients', 'select=name,...projects(id,name)'));
    assert.match(s, /^SELECT "clients"\."name", "clients_projects_1"\."id", "clients_projects_1"\."name" FROM "api"\."clients" AS "clients" /);
    assert.match(
      s,
      /LEFT JOIN LATERAL \(SELECT json_agg\("clients_projects_1"\.\*\)::jsonb AS "clients_projects_1", COALESCE\(json_agg\("clients_projects_1"\."id"\), '\[\]'\)::jsonb AS "id", COALESCE\(json_agg\("clients_projects_1"\."name"\), '\[\]'\)::jsonb AS "name" FROM \(SELECT "projects_1"\."id", "projects_1"\."name" FROM/,
    );
  });
  test('a `*` spread lists the table’s columns', () => {
    const p = planned('/clients', 'select=...projects(*)').plan as ReadPlan;
    assert.deepStrictEqual(p.node.embeds[0]?.spreadSelects.map((s) => s.name), ['id', 'name', 'client_id', 'budget', 'tags', 'parent_id']);
  });
});

describe('computed fields and relationships', () => {
  test('a computed field is fn(row), in select, filters and order; its row cast to the argument type', () => {
    const r = sql('/clients', 'select=id,client_label&client_label=eq.x&order=client_label');
    const call = '"api"."client_label"("clients"::"api"."clients")';
    assert.equal(source(r), `SELECT "clients"."id", ${call} AS "client_label" FROM "api"."clients" AS "clients" WHERE ${call} = $1 ORDER BY ${call}`);
    assert.deepStrictEqual(r.main.values, ['x']);
  });
  test('unknown names stay unknown columns (42703), named by the embedded node', () => {
    assert.equal(refusal(() => planned('/projects', 'select=client_label')).message, 'column projects.client_label does not exist');
    assert.equal(refusal(() => planned('/clients', 'select=projects(sum)')).message, 'column projects_1.sum does not exist');
  });
  test('SETOF embeds as an array; ROWS 1 as an object; FROM the function of the parent row', () => {
    const p = planned('/clients', 'select=client_projects(id),top_project(name)').plan as ReadPlan;
    assert.deepStrictEqual(p.node.embeds.map((e) => [e.name, e.toOne]), [
      ['client_projects', false],
      ['top_project', true],
    ]);
    const s = source(sql('/clients', 'select=client_projects(id)'));
    assert.match(s, /FROM \(SELECT "projects_1"\."id" FROM "api"\."client_projects"\("clients"::"api"\."clients"\) AS "projects_1"\) AS "clients_client_projects_1"/);
  });
  test('on a mutation’s rows, RETURNING keeps every column so the row can be cast to the table type', () => {
    const insert = (select: string) =>
      planned('/clients', `select=${select}`, ON, { Prefer: 'return=representation', 'Content-Type': 'application/json' }, 'POST', '{"id":1,"name":"a"}').plan;
    const withComputed = insert('id,client_label,client_projects(id)');
    assert.equal(withComputed.type === 'mutate' && withComputed.returning, '*');
    const plain = insert('id,name');
    assert.deepStrictEqual(plain.type === 'mutate' && plain.returning, ['id', 'name']);
  });
});

describe('views', () => {
  test('a view embeds its base table’s relationships, through its own column names', () => {
    assert.match(source(sql('/project_view', 'select=pid,clients(name)')), /WHERE "clients_1"\."id" = "project_view"\."client_id"/);
    assert.match(source(sql('/clients', 'select=project_view(pid)')), /WHERE "project_view_1"\."client_id" = "clients"\."id"/);
  });
});

describe('EXPLAIN (application/vnd.pgrst.plan)', () => {
  const accept = (v: string) => ({ Accept: v });
  test('not offered unless db-plan-enabled: 406 PGRST107 with PostgREST’s spelling of the media type', () => {
    const e = refusal(() => planned('/tasks', '', OFF, accept('application/vnd.pgrst.plan+json; for="text/csv"; options=analyze|buffers')));
    assert.equal(e.status, 406);
    assert.equal(e.message, 'None of these media types are available: application/vnd.pgrst.plan+json; for="text/csv"; options=analyze|buffers');
  });
  test('the main statement wrapped in EXPLAIN with the known options only', () => {
    const r = sql('/tasks', 'select=id', ON, accept('application/vnd.pgrst.plan+json; options=analyze|verbose|drop table'));
    assert.match(r.main.text, /^EXPLAIN \(FORMAT JSON, ANALYZE, VERBOSE\) WITH pgrst_source AS/);
    assert.equal(r.planFormat, 'json');
    const p = planned('/tasks', '', ON, accept('application/vnd.pgrst.plan')).plan as ReadPlan;
    assert.deepStrictEqual(p.media, { handler: 'json', contentType: 'application/vnd.pgrst.plan+text; for="application/json"; charset=utf-8', explain: { format: 'text', options: [] } });
  });
});
