// Bad input gets a PostgREST-shaped 4xx, never a crash: malformed JSON, unknown columns and
// tables, wrong types, oversized bodies, bad / expired / `alg: none` JWTs, unknown roles, query
// string syntax errors, ambiguous or missing relationships, wrong paths and methods. Plus the
// OpenAPI document at the root and the schema cache reloading on NOTIFY.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { fail, plain } from './envelope.ts';
import { pgQuery, raw, REST, tokenClient, useFixtures, userToken, waitForSchema } from './fixtures.ts';
import { env } from '../support/env.ts';
import { accessToken } from '../support/tokens.ts';

const { anon, service } = useFixtures();

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('bad JWTs', () => {
  test('a bad signature is PGRST301 with WWW-Authenticate', async () => {
    const forged = await accessToken({ role: 'service_role', sub: 'x', secret: 'another-secret-another-secret-another-secret' });
    const r = await raw('/conf_notes', { token: forged });
    assert.equal(r.status, 401);
    assert.deepStrictEqual(r.json, { code: 'PGRST301', details: null, hint: null, message: 'JWT cryptographic operation failed' });
    assert.equal(r.headers.get('www-authenticate'), 'Bearer error="invalid_token", error_description="JWT cryptographic operation failed"');
    assert.equal(r.headers.get('proxy-status'), 'PostgREST; error=PGRST301');
  });
  test('an expired token is PGRST303 "JWT expired"', async () => {
    const r = await raw('/conf_notes', { token: await userToken('alice', {}, -120) });
    assert.equal(r.status, 401);
    assert.deepStrictEqual(r.json, { code: 'PGRST303', details: null, hint: null, message: 'JWT expired' });
    assert.equal(r.headers.get('www-authenticate'), 'Bearer error="invalid_token", error_description="JWT expired"');
  });
  test('alg: none is refused, never trusted', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ role: 'service_role', exp: 4102444800 })}.`;
    const r = await raw('/conf_notes', { token });
    assert.equal(r.status, 401);
    assert.deepStrictEqual(r.json, { code: 'PGRST301', details: null, hint: null, message: 'Wrong or unsupported encoding algorithm' });
  });
  test('a token that is not a JWT', async () => {
    const r = await raw('/conf_notes', { token: 'abc.def' });
    assert.equal(r.status, 401);
    assert.deepStrictEqual(r.json, { code: 'PGRST301', details: null, hint: null, message: 'Expected 3 parts in JWT; got 2' });
  });
  test('an empty bearer', async () => {
    const r = await raw('/conf_notes', { headers: { Authorization: 'Bearer ' } });
    assert.equal(r.status, 401);
    assert.deepStrictEqual(r.json, { code: 'PGRST301', details: null, hint: null, message: 'Empty JWT is sent in Authorization header' });
  });
  test('a role that does not exist is 401 (22023)', async () => {
    const r = await raw('/conf_notes', { token: await userToken('alice', { role: 'ghost' }) });
    assert.equal(r.status, 401);
    assert.deepStrictEqual(r.json, { code: '22023', details: null, hint: null, message: 'role "ghost" does not exist' });
  });
  test('supabase-js sees the same envelope', async () => {
    const client = tokenClient(await userToken('bob', {}, -60));
    assert.deepStrictEqual(plain(await client.from('conf_notes').select('id')), fail(401, { code: 'PGRST303', message: 'JWT expired' }));
  });
  test('no apikey and no Authorization is anon (as behind the CLI’s gateway), never more', async () => {
    const ids = async (init: RequestInit = {}) => {
      const r = await fetch(`${REST}/conf_notes?select=id&order=id`, init);
      assert.equal(r.status, 200);
      return r.json();
    };
    const keyless = await ids();
    assert.deepStrictEqual(keyless, await ids({ headers: { apikey: env.ANON_KEY } }));
    assert.notDeepStrictEqual(keyless, await ids({ headers: { apikey: env.SERVICE_ROLE_KEY } }));
  });
  test('the new keys act as their roles: sb_publishable_ as anon, sb_secret_ as service_role, as apikey or bearer', async () => {
    const ids = async (headers: Record<string, string>) => (await fetch(`${REST}/conf_notes?select=id&order=id`, { headers })).json();
    assert.deepStrictEqual(await ids({ apikey: env.PUBLISHABLE_KEY }), await ids({ apikey: env.ANON_KEY }));
    assert.deepStrictEqual(await ids({ apikey: env.SECRET_KEY }), [1, 2, 3, 4, 5].map((id) => ({ id })));
    assert.deepStrictEqual(await ids({ apikey: env.SECRET_KEY, Authorization: `Bearer ${env.SECRET_KEY}` }), [1, 2, 3, 4, 5].map((id) => ({ id })));
    const q = await fetch(`${REST}/conf_notes?select=id&order=id&apikey=${env.SECRET_KEY}`);
    assert.deepStrictEqual(await q.json(), [1, 2, 3, 4, 5].map((id) => ({ id })));
  });
  test('any valid project JWT is accepted as the apikey and acts as its role', async () => {
    const asUser = await fetch(`${REST}/conf_notes?select=id&order=id`, { headers: { apikey: await userToken('alice') } });
    assert.equal(asUser.status, 200);
    const viaBearer = await raw('/conf_notes?select=id&order=id', { token: await userToken('alice') });
    assert.deepStrictEqual(await asUser.json(), viaBearer.json);
    const service = await accessToken({ role: 'service_role' });
    const r = await fetch(`${REST}/conf_notes?select=id&order=id`, { headers: { apikey: service } });
    assert.deepStrictEqual(await r.json(), [1, 2, 3, 4, 5].map((id) => ({ id })));
  });
  test('an invalid apikey is still the gateway’s 401: wrong secret, expired, other role, unknown sb_ key, garbage', async () => {
    const refused = { message: 'Invalid authentication credentials' };
    const keys = [
      await accessToken({ role: 'service_role', secret: 'another-secret-another-secret-another-secret' }),
      await userToken('alice', {}, -120),
      await userToken('alice', { role: 'postgres' }),
      'sb_secret_AAAAAAAAAAAAAAAAAAAAAA_AAAAAAAA',
      'sb_publishable_AAAAAAAAAAAAAAAAAAAAAA_AAAAAAAA',
      'not-a-key',
    ];
    for (const apikey of keys) {
      const r = await fetch(`${REST}/conf_notes`, { headers: { apikey } });
      assert.equal(r.status, 401, apikey);
      assert.deepStrictEqual(await r.json(), refused);
    }
  });
  test('the apikey alone (no Authorization) acts as its role; ?apikey= is not a filter', async () => {
    const r = await fetch(`${REST}/conf_notes?select=id&order=id&apikey=${env.SERVICE_ROLE_KEY}`);
    assert.equal(r.status, 200);
    assert.deepStrictEqual(await r.json(), [1, 2, 3, 4, 5].map((id) => ({ id })));
  });
});

describe('bad bodies', () => {
  test('malformed JSON is PGRST102', async () => {
    const r = await raw('/conf_kv', { method: 'POST', token: await userToken('alice'), headers: { 'Content-Type': 'application/json' }, body: '{"k": ' });
    assert.equal(r.status, 400);
    assert.deepStrictEqual(r.json, { code: 'PGRST102', details: null, hint: null, message: 'Empty or invalid json' });
  });
  test('an empty body on insert is PGRST102', async () => {
    const r = await raw('/conf_kv', { method: 'POST', token: await userToken('alice'), headers: { 'Content-Type': 'application/json' }, body: '' });
    assert.equal(r.status, 400);
    assert.equal((r.json as { code: string }).code, 'PGRST102');
  });
  test('objects with different keys in one array are refused without columns=', async () => {
    const r = await raw('/conf_kv', { method: 'POST', token: await userToken('alice'), headers: { 'Content-Type': 'application/json' }, body: '[{"k":"a"},{"v":"b"}]' });
    assert.equal(r.status, 400);
    assert.deepStrictEqual(r.json, { code: 'PGRST102', details: null, hint: null, message: 'All object keys must match' });
  });
  test('a JSON string, number, boolean or null is no row: 400 PGRST102, nothing inserted', async () => {
    const token = await userToken('alice');
    const before = await raw('/conf_kv?select=k', { token, headers: { Prefer: 'count=exact' } });
    for (const body of ['"hello"', '42', 'false', 'null']) {
      const r = await raw('/conf_kv', { method: 'POST', token, headers: { 'Content-Type': 'application/json', Prefer: 'return=representation' }, body });
      assert.equal(r.status, 400, body);
      assert.deepStrictEqual(r.json, { code: 'PGRST102', details: null, hint: null, message: 'All object keys must match' });
    }
    const after = await raw('/conf_kv?select=k', { token, headers: { Prefer: 'count=exact' } });
    assert.deepStrictEqual(after.json, before.json);
  });
  test('an unsupported Content-Type', async () => {
    const r = await raw('/conf_kv', { method: 'POST', token: await userToken('alice'), headers: { 'Content-Type': 'text/html' }, body: '<p>' });
    assert.equal(r.status, 400);
    assert.deepStrictEqual(r.json, { code: 'PGRST102', details: null, hint: null, message: 'Content-Type not acceptable: text/html' });
  });
  test('an oversized body is 413 in PostgREST’s shape', async () => {
    const big = JSON.stringify([{ k: 'x', v: 'y'.repeat(11 * 1024 * 1024) }]);
    const r = await raw('/conf_kv', { method: 'POST', token: await userToken('alice'), headers: { 'Content-Type': 'application/json' }, body: big });
    assert.equal(r.status, 413);
    assert.deepStrictEqual(r.json, {
      code: 'PGRST413',
      details: 'The request body is larger than the limit of 10485760 bytes',
      hint: null,
      message: 'Payload Too Large',
    });
  });
  test('wrong types for filters and bodies are PostgreSQL’s 22P02 / 22007', async () => {
    assert.deepStrictEqual(
      plain(await anon.from('conf_notes').select('id').eq('id', 'abc')),
      fail(400, { code: '22P02', message: 'invalid input syntax for type bigint: "abc"' }),
    );
    assert.deepStrictEqual(
      plain(await anon.from('conf_profiles').select('id').eq('born', 'yesterday-ish')),
      fail(400, { code: '22007', message: 'invalid input syntax for type date: "yesterday-ish"' }),
    );
  });
});

describe('unknown names', () => {
  test('unknown table: PGRST205 with a suggestion', async () => {
    assert.deepStrictEqual(
      plain(await anon.from('conf_note').select()),
      fail(404, { code: 'PGRST205', message: "Could not find the table 'public.conf_note' in the schema cache", hint: "Perhaps you meant the table 'public.conf_notes'" }),
    );
  });
  test('unknown column in select, filter and order: 42703', async () => {
    const expected = fail(400, { code: '42703', message: 'column conf_notes.nope does not exist' });
    assert.deepStrictEqual(plain(await anon.from('conf_notes').select('nope')), expected);
    assert.deepStrictEqual(plain(await anon.from('conf_notes').select('id').eq('nope', 1)), expected);
    assert.deepStrictEqual(plain(await anon.from('conf_notes').select('id').order('nope')), expected);
  });
  test('unknown cast type: 42704', async () => {
    assert.deepStrictEqual(plain(await anon.from('conf_notes').select('id::nosuchtype')), fail(400, { code: '42704', message: 'type "nosuchtype" does not exist' }));
  });
  test('no relationship: PGRST200', async () => {
    assert.deepStrictEqual(
      plain(await anon.from('conf_tags').select('name, conf_orgs(name)')),
      fail(400, {
        code: 'PGRST200',
        message: "Could not find a relationship between 'conf_tags' and 'conf_orgs' in the schema cache",
        details: "Searched for a foreign key relationship between 'conf_tags' and 'conf_orgs' in the schema 'public', but no matches were found.",
        hint: "Perhaps you meant 'conf_notes' instead of 'conf_orgs'.",
      }),
    );
  });
  test('ambiguous relationship: PGRST201 (300), resolved with a hint', async () => {
    const r = plain(await anon.from('conf_moves').select('id, conf_orgs(name)'));
    assert.equal(r.status, 300);
    assert.equal(r.statusText, 'Multiple Choices');
    assert.deepStrictEqual(r.error, {
      code: 'PGRST201',
      details: [
        { cardinality: 'many-to-one', embedding: 'conf_moves with conf_orgs', relationship: 'conf_moves_from_org_fkey using conf_moves(from_org) and conf_orgs(id)' },
        { cardinality: 'many-to-one', embedding: 'conf_moves with conf_orgs', relationship: 'conf_moves_to_org_fkey using conf_moves(to_org) and conf_orgs(id)' },
      ],
      hint: "Try changing 'conf_orgs' to one of the following: 'conf_orgs!conf_moves_from_org_fkey', 'conf_orgs!conf_moves_to_org_fkey'. Find the desired relationship in the 'details' key.",
      message: "Could not embed because more than one relationship was found for 'conf_moves' and 'conf_orgs'",
    });
    const ok = await anon.from('conf_moves').select('id, from:conf_orgs!from_org(name), to:conf_orgs!conf_moves_to_org_fkey(name)');
    assert.deepStrictEqual(ok.data, [{ id: 1, from: { name: 'Acme' }, to: { name: 'Globex' } }]);
  });
  test('filtering an embed that is not selected: PGRST108', async () => {
    assert.deepStrictEqual(
      plain(await anon.from('conf_notes').select('id').eq('conf_profiles.username', 'bob')),
      fail(400, {
        code: 'PGRST108',
        message: "'conf_profiles' is not an embedded resource in this request",
        hint: "Verify that 'conf_profiles' is included in the 'select' query parameter.",
      }),
    );
  });
  test('ordering by a to-many embed: PGRST118', async () => {
    const r = await raw('/conf_profiles?select=id,conf_notes(id)&order=conf_notes(id)');
    assert.equal(r.status, 400);
    assert.deepStrictEqual(r.json, {
      code: 'PGRST118',
      details: "'conf_profiles' and 'conf_notes' do not form a many-to-one or one-to-one relationship",
      hint: null,
      message: "A related order on 'conf_notes' is not possible",
    });
  });
  test('aggregates are disabled as on hosted: PGRST123', async () => {
    const r = await raw('/conf_notes?select=count()');
    assert.equal(r.status, 400);
    assert.deepStrictEqual(r.json, { code: 'PGRST123', details: null, hint: null, message: 'Use of aggregate functions is not allowed' });
  });
});

describe('query string syntax', () => {
  const cases: [string, string, string][] = [
    ['/conf_notes?id=val', '"failed to parse filter (val)" (line 1, column 1)', 'unexpected "v" expecting "not" or operator (eq, gt, ...)'],
    ['/conf_notes?id=noop.0', '"failed to parse filter (noop.0)" (line 1, column 1)', 'unexpected "o" expecting "not" or operator (eq, gt, ...)'],
    ['/conf_notes?order=id.ac', '"failed to parse order (id.ac)" (line 1, column 4)', 'unexpected "c" expecting "asc", "desc", "nullsfirst" or "nullslast"'],
    ['/conf_notes?order=id.descc', '"failed to parse order (id.descc)" (line 1, column 8)', "unexpected 'c' expecting delimiter (.), \",\" or end of input"],
    ['/conf_notes?or=(id.in.1,2,id.eq.3)', '"failed to parse logic tree ((id.in.1,2,id.eq.3))" (line 1, column 10)', 'unexpected "1" expecting "("'],
    ['/conf_notes?select=data->>-78xy', '"failed to parse select parameter (data->>-78xy)" (line 1, column 11)', 'unexpected "x" expecting digit'],
  ];
  for (const [path, message, details] of cases) {
    test(path, async () => {
      const r = await raw(path.replace(/[{}]/g, encodeURIComponent));
      assert.equal(r.status, 400);
      assert.deepStrictEqual(r.json, { code: 'PGRST100', details, hint: null, message });
    });
  }
});

describe('paths and methods', () => {
  test('a nested path is PGRST125', async () => {
    const r = await raw('/conf_notes/1');
    assert.equal(r.status, 404);
    assert.deepStrictEqual(r.json, { code: 'PGRST125', details: null, hint: null, message: 'Invalid path specified in request URL' });
  });
  test('an unknown method is PGRST117', async () => {
    const r = await raw('/conf_notes', { method: 'PROPFIND' });
    assert.equal(r.status, 405);
    assert.deepStrictEqual(r.json, { code: 'PGRST117', details: null, hint: null, message: 'Unsupported HTTP method: PROPFIND' });
  });
  test('POST to the root is PGRST117', async () => {
    const r = await raw('/', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(r.status, 405);
    assert.deepStrictEqual(r.json, { code: 'PGRST117', details: null, hint: null, message: 'Unsupported HTTP method: POST' });
  });
});

describe('OpenAPI at the root', () => {
  test('Swagger 2.0 document with tables, columns, keys and functions', async () => {
    const r = await raw('/', { token: env.SERVICE_ROLE_KEY, headers: { apikey: env.SERVICE_ROLE_KEY } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/openapi+json; charset=utf-8');
    const doc = r.json as {
      swagger: string;
      info: { title: string };
      basePath: string;
      paths: Record<string, Record<string, unknown>>;
      definitions: Record<string, { properties: Record<string, { description?: string; format?: string; type?: string; default?: unknown }>; required?: string[]; description?: string }>;
    };
    assert.equal(doc.swagger, '2.0');
    assert.equal(doc.basePath, '/rest/v1/');
    assert.equal(doc.info.title, 'standard public schema');
    assert.deepStrictEqual(Object.keys(doc.paths['/conf_notes'] ?? {}).sort(), ['delete', 'get', 'patch', 'post']);
    assert.deepStrictEqual(Object.keys(doc.paths['/rpc/conf_add_note'] ?? {}), ['post']);
    assert.deepStrictEqual(Object.keys(doc.paths['/rpc/conf_search_notes'] ?? {}).sort(), ['get', 'post']);
    const notes = doc.definitions.conf_notes;
    assert.ok(notes);
    assert.deepStrictEqual(notes.required, ['id', 'owner_id', 'title', 'public', 'created_at']);
    assert.deepStrictEqual(notes.properties.id, { description: 'Note:\nThis is a Primary Key.<pk/>', format: 'int64', type: 'integer' });
    assert.deepStrictEqual(notes.properties.owner_id, {
      description: "Note:\nThis is a Foreign Key to `conf_profiles.id`.<fk table='conf_profiles' column='id'/>",
      format: 'uuid',
      type: 'string',
    });
    assert.deepStrictEqual(notes.properties.public, { default: false, format: 'boolean', type: 'boolean' });
    assert.equal(doc.definitions.conf_orgs?.description, 'Organisations (conformance fixture)');
    assert.equal(doc.definitions.conf_orgs?.properties.name?.description, 'Display name');
  });
  test('supabase-js getOpenApiSpec()', async () => {
    const r = await service.getOpenApiSpec();
    assert.equal(r.status, 200);
    assert.equal((r.data as { swagger: string }).swagger, '2.0');
  });
  test('the document follows privileges: anon does not see a table it cannot use', async () => {
    await pgQuery('revoke all on public.conf_moves from anon');
    try {
      const r = await raw('/');
      assert.equal(r.status, 200);
      const paths = Object.keys((r.json as { paths: Record<string, unknown> }).paths);
      assert.ok(paths.includes('/conf_notes'));
      assert.ok(!paths.includes('/conf_moves'));
    } finally {
      await pgQuery('grant all on public.conf_moves to anon');
    }
  });
});

describe('schema cache', () => {
  test('DDL reloads the cache through the event trigger’s NOTIFY', async () => {
    await pgQuery('drop table if exists public.conf_late; create table public.conf_late (id int primary key); alter table public.conf_late enable row level security');
    await waitForSchema(['conf_late']);
    assert.equal((await raw('/conf_late')).status, 200);
    await pgQuery('drop table public.conf_late');
    const deadline = Date.now() + 10_000;
    let status = 200;
    while (Date.now() < deadline && status !== 404) {
      status = (await raw('/conf_late')).status;
      if (status !== 404) await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(status, 404);
  });
});
