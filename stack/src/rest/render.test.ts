// Rendering plans to SQL: the statement's shape, and that request text only ever travels as
// bound parameters while identifiers are quoted.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { arrayLiteral, type RenderedPlan, renderPlan } from './render.ts';
import { type HttpRequest, parseRequest } from './request.ts';
import { testCache } from './test-fixtures.ts';
import type { PlanConfig } from './plan/types.ts';
import { planRequest } from './plan/plan.ts';

const cache = testCache();
const config: PlanConfig = { maxRows: 1000, extraSearchPath: [], aggregatesEnabled: false, planEnabled: false };

function render(method: string, path: string, query = '', headers: Record<string, string> = {}, body = ''): RenderedPlan {
  const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const req: HttpRequest = { method, path, query, header: (n) => h[n.toLowerCase()], body };
  const planned = planRequest(parseRequest(req, { schemas: ['api'] }), cache, config);
  if (planned.plan.type === 'openapi') throw new Error('openapi');
  return renderPlan(planned.plan, { maxRows: config.maxRows });
}

describe('reads', () => {
  test('the full statement of a simple read', () => {
    const r = render('GET', '/projects', 'select=id,name&id=eq.1&order=name.desc.nullslast&limit=5');
    assert.equal(
      r.main.text,
      'WITH pgrst_source AS (SELECT "projects"."id", "projects"."name" FROM "api"."projects" AS "projects" WHERE "projects"."id" = $1 ORDER BY "projects"."name" DESC NULLS LAST LIMIT $2 OFFSET $3) ' +
        'SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), \'[]\')::text AS body, ' +
        "nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, " +
        'null::text[] AS location, null::int AS response_inserted FROM (SELECT * FROM pgrst_source) _postgrest_t',
    );
    assert.deepStrictEqual(r.main.values, ['1', '5', '0']);
  });
  test('operators', () => {
    const where = (q: string) => /WHERE (.*?)( LIMIT| ORDER|\) SELECT)/.exec(render('GET', '/projects', `select=id&${q}`).main.text)?.[1];
    assert.equal(where('name=not.like.a*'), 'NOT "projects"."name" like $1');
    assert.equal(render('GET', '/projects', 'name=like.a*b*').main.values[0], 'a%b%');
    assert.equal(where('id=in.(1,2)'), '"projects"."id" = ANY($1)');
    assert.deepStrictEqual(render('GET', '/projects', 'name=in.(a,"b,c",d\\"e)').main.values[0], '{"a","b,c","d\\\\\\"e"}');
    assert.equal(where('id=in.()'), `"projects"."id" = ANY('{}')`);
    assert.equal(where('name=is.not_null'), '"projects"."name" IS NOT NULL');
    assert.equal(where('id=isdistinct.3'), '"projects"."id" IS DISTINCT FROM $1');
    assert.equal(where('tags=cs.{a}'), '"projects"."tags" @> $1');
    assert.equal(where('tags=ov.{a}'), '"projects"."tags" && $1');
    assert.equal(where('id=eq(any).{1,2}'), '"projects"."id" = ANY($1)');
    assert.equal(where('name=imatch.^a'), '"projects"."name" ~* $1');
    assert.equal(where('name=wfts(english).cat'), 'to_tsvector($1, "projects"."name") @@ websearch_to_tsquery($2, $3)');
    assert.equal(/WHERE (.*?)\)/.exec(render('GET', '/clients', 'select=id&doc=fts.cat').main.text)?.[1], '"clients"."doc" @@ to_tsquery($1');
    assert.equal(where('tags->0=eq.a'), 'to_jsonb("projects"."tags")->$1::int = $2');
    assert.equal(where('or=(id.eq.1,and(name.eq.a,id.not.gt.2))'), '("projects"."id" = $1 OR ("projects"."name" = $2 AND NOT "projects"."id" > $3))');
    assert.equal(where('not.or=(id.eq.1,id.eq.2)'), 'NOT ("projects"."id" = $1 OR "projects"."id" = $2)');
  });
  test('embeds: to-one object, to-many array, !inner, many-to-many junction', () => {
    const t = render('GET', '/projects', 'select=id,clients!inner(name),tasks(title)').main.text;
    assert.ok(t.includes('row_to_json("projects_clients_1".*)::jsonb AS "clients"'), t);
    assert.ok(t.includes('INNER JOIN LATERAL (SELECT "clients_1"."name" FROM "api"."clients" AS "clients_1" WHERE "clients_1"."id" = "projects"."client_id"'), t);
    assert.ok(t.includes('COALESCE("projects_tasks_1"."projects_tasks_1", \'[]\') AS "tasks"'), t);
    assert.ok(t.includes('FROM "api"."tasks" AS "tasks_1", "api"."project_tasks" AS "project_tasks_1" WHERE "project_tasks_1"."task_id" = "tasks_1"."id" AND "project_tasks_1"."project_id" = "projects"."id"'), t);
  });
  test('count=exact adds a count CTE over the filtered rows', () => {
    const t = render('GET', '/projects', 'id=gt.1', { Prefer: 'count=exact' }).main.text;
    assert.ok(t.includes(', pgrst_source_count AS (SELECT 1 FROM "api"."projects" AS "projects" WHERE "projects"."id" > $'), t);
    assert.ok(t.includes('(SELECT pg_catalog.count(*) FROM pgrst_source_count) AS total_result_set'), t);
  });
  test('count=planned explains the count query', () => {
    const r = render('GET', '/projects', 'id=gt.1', { Prefer: 'count=planned' });
    assert.match(r.explain?.text ?? '', /^EXPLAIN \(FORMAT JSON\) SELECT 1 FROM "api"."projects" AS "projects" WHERE "projects"."id" > \$1$/);
  });
  test('csv, singular and stripped bodies', () => {
    assert.ok(render('GET', '/projects', '', { Accept: 'text/csv' }).main.text.includes('string_agg(substring(_postgrest_t::text'));
    assert.ok(render('GET', '/projects', '', { Accept: 'application/vnd.pgrst.object+json' }).main.text.includes("coalesce((json_agg(_postgrest_t)->0)::text, 'null')"));
    assert.ok(render('GET', '/projects', '', { Accept: 'application/vnd.pgrst.array+json;nulls=stripped' }).main.text.includes('json_strip_nulls(json_agg(_postgrest_t))'));
  });
});

describe('mutations', () => {
  test('insert from the JSON body with typed columns, returning what the select needs', () => {
    const r = render('POST', '/projects', 'select=id', { Prefer: 'return=representation' }, '{"name":"a"}');
    assert.ok(
      r.main.text.startsWith(
        'WITH pgrst_source AS (INSERT INTO "api"."projects" AS "projects"("name") SELECT "pgrst_body"."name" FROM (SELECT $1::json AS json_data) pgrst_payload, LATERAL (SELECT "name" FROM json_to_record(pgrst_payload.json_data) AS _("name" text)) pgrst_body RETURNING "projects"."id")',
      ),
      r.main.text,
    );
    assert.deepStrictEqual(r.main.values[0], '{"name":"a"}');
  });
  test('missing=default fills absent columns from the defaults', () => {
    const t = render('POST', '/projects', 'columns=name,budget', { Prefer: 'missing=default' }, '[{"name":"a"}]').main.text;
    assert.ok(t.includes('LATERAL (SELECT jsonb_agg(jsonb_build_object($2::text, 100) || elem) AS val FROM jsonb_array_elements(pgrst_payload.json_data) elem) pgrst_json_defs'), t);
    assert.ok(t.includes('jsonb_to_recordset(pgrst_json_defs.val)'), t);
  });
  test('upsert counts inserted rows to choose 201 or 200', () => {
    const t = render('POST', '/projects', '', { Prefer: 'resolution=merge-duplicates' }, '{"id":1,"name":"a"}').main.text;
    assert.ok(t.includes('ON CONFLICT("id") DO UPDATE SET "id" = EXCLUDED."id", "name" = EXCLUDED."name" WHERE set_config(\'pgrst.inserted\''), t);
    assert.ok(t.includes("nullif(current_setting('pgrst.inserted', true), '')::int AS response_inserted"), t);
  });
  test('update and delete keep the WHERE on the table; minimal returns RETURNING 1', () => {
    const u = render('PATCH', '/projects', 'id=eq.1', {}, '{"name":"b"}').main.text;
    assert.ok(u.includes('UPDATE "api"."projects" AS "projects" SET "name" = "pgrst_body"."name" FROM (SELECT $1::json AS json_data) pgrst_payload'), u);
    assert.ok(u.includes('WHERE "projects"."id" = $2 RETURNING 1'), u);
    const d = render('DELETE', '/projects', 'id=eq.1').main.text;
    assert.ok(d.startsWith('WITH pgrst_source AS (DELETE FROM "api"."projects" AS "projects" WHERE "projects"."id" = $1 RETURNING 1)'), d);
  });
});

describe('calls', () => {
  test('named arguments by GET are cast to the parameter types', () => {
    const r = render('GET', '/rpc/add', 'a=1&b=2');
    assert.ok(r.main.text.startsWith('WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT "api"."add"("a" := $1::integer, "b" := $2::integer) pgrst_scalar) pgrst_call)'), r.main.text);
    assert.deepStrictEqual(r.main.values.slice(0, 2), ['1', '2']);
  });
  test('a JSON body goes through json_to_record', () => {
    const t = render('POST', '/rpc/search', '', {}, '{"q":"x"}').main.text;
    assert.ok(t.includes('FROM (SELECT $1::json AS json_data) pgrst_payload, LATERAL (SELECT "q" FROM json_to_record(pgrst_payload.json_data) AS _("q" text) LIMIT 1) pgrst_body, LATERAL "api"."search"("q" := "pgrst_body"."q") pgrst_call'), t);
  });
  test('single unnamed JSON parameter', () => {
    assert.ok(render('POST', '/rpc/echo', '', {}, '{"a":[1]}').main.text.includes('"api"."echo"($1::jsonb)'));
  });
});

describe('no request text in SQL', () => {
  test('hostile values, keys and paths only appear as parameters', () => {
    const evil = `x'; drop table projects; --`;
    const r = render('GET', '/projects', `select=id,name&name=eq.${encodeURIComponent(evil)}&or=(name.like.${encodeURIComponent(evil)})&tags->${encodeURIComponent(`"${evil}"`)}=eq.1`);
    assert.ok(!r.main.text.includes('drop table'), r.main.text);
    assert.ok(r.main.values.includes(evil));
  });
  test('array literals escape quotes and backslashes and drop NULs', () => {
    assert.equal(arrayLiteral(['a"b', 'c\\d', 'e\u0000f']), '{"a\\"b","c\\\\d","ef"}');
  });
});
