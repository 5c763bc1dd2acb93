// RPC through /rest/v1 with supabase-js: GET and POST, named arguments, a single JSON argument,
// set-returning functions with filters/order/limit/embeds on the result, scalars, void,
// volatility (writes refused in GET and in read-only calls), the request GUCs functions see
// (role, claims, method, path, headers, cookies), per-role statement timeouts and RAISE errors.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { fail, ok, plain } from './envelope.ts';
import { pgQuery, raw, userToken, USERS, useFixtures } from './fixtures.ts';

const { anon, alice, bob, service } = useFixtures();

describe('calling functions', () => {
  test('scalar function by POST and by GET', async () => {
    assert.deepStrictEqual(plain(await anon.rpc('conf_add', { a: 40, b: 2 })), ok(42));
    assert.deepStrictEqual(plain(await anon.rpc('conf_add', { a: 1, b: 2 }, { get: true })), ok(3));
  });
  test('a single unnamed jsonb argument takes the whole body', async () => {
    assert.deepStrictEqual(plain(await anon.rpc('conf_echo', { x: [1, 2], y: { z: null } })), ok({ x: [1, 2], y: { z: null } }));
  });
  test('set-returning function with filters, order, limit and count', async () => {
    const r = await anon.rpc('conf_squares', { n: 5 }, { count: 'exact' }).gt('sq', 3).order('i', { ascending: false }).limit(2);
    assert.deepStrictEqual(plain(r), ok([{ i: 5, sq: 25 }, { i: 4, sq: 16 }], 206, 4));
  });
  test('a function returning setof a table: RLS applies to the caller, embeds work', async () => {
    const asAnon = await anon.rpc('conf_search_notes', { q: 'alice' }).select('id, conf_profiles(username)');
    assert.deepStrictEqual(
      plain(asAnon),
      ok([
        { id: 1, conf_profiles: { username: 'alice' } },
        { id: 5, conf_profiles: { username: 'alice' } },
      ]),
    );
    const asAlice = await alice.rpc('conf_search_notes', { q: 'alice' }).select('id');
    assert.deepStrictEqual(plain(asAlice), ok([{ id: 1 }, { id: 2 }, { id: 5 }]));
    const asBob = await bob.rpc('conf_search_notes', { q: 'private' }).select('id');
    assert.deepStrictEqual(plain(asBob), ok([{ id: 4 }]));
  });
  test('setof scalar and single composite', async () => {
    assert.deepStrictEqual(plain(await anon.rpc('conf_tag_names')), ok(['work', 'home', 'urgent']));
    assert.deepStrictEqual(plain(await anon.rpc('conf_first_note').select('id,title')), ok({ id: 1, title: 'Alice public one' }));
  });
  test('max_rows (1000) caps every response; the count still tells the truth', async () => {
    const r = await anon.rpc('conf_squares', { n: 1500 }, { count: 'exact' });
    assert.equal(r.status, 206);
    assert.equal(r.count, 1500);
    assert.equal((r.data as unknown[]).length, 1000);
    const raw1 = await raw('/rpc/conf_squares?n=1500&offset=1200');
    assert.equal(raw1.headers.get('content-range'), '1200-1499/*');
    assert.equal((raw1.json as unknown[]).length, 300);
  });
  test('single() on a set-returning result', async () => {
    assert.deepStrictEqual(plain(await anon.rpc('conf_squares', { n: 3 }).eq('i', 2).single()), ok({ i: 2, sq: 4 }));
  });
  test('a stable function counts only what the caller may see', async () => {
    assert.deepStrictEqual(plain(await anon.rpc('conf_note_count')), ok(3));
    assert.deepStrictEqual(plain(await service.rpc('conf_note_count')), ok(5));
  });
  test('a volatile function writes by POST, as the caller', async () => {
    const r = await alice.rpc('conf_add_note', { title: 'via rpc' }).select('title, owner_id, public');
    assert.deepStrictEqual(plain(r), ok({ title: 'via rpc', owner_id: USERS.alice.id, public: false }));
    assert.deepStrictEqual(
      plain(await anon.rpc('conf_add_note', { title: 'anon rpc' })),
      fail(401, { code: '42501', message: 'new row violates row-level security policy for table "conf_notes"' }),
    );
  });
  test('a write through GET is refused: read-only transaction, 25006 → 405', async () => {
    assert.deepStrictEqual(
      plain(await alice.rpc('conf_add_note', { title: 'by get' }, { get: true })),
      fail(405, { code: '25006', message: 'cannot execute INSERT in a read-only transaction' }),
    );
    assert.deepStrictEqual(await pgQuery("select count(*)::int as n from public.conf_notes where title = 'by get'"), [{ n: 0 }]);
  });
  test('void function: 204', async () => {
    assert.deepStrictEqual(plain(await alice.rpc('conf_touch')), ok(null, 204));
  });
  test('HEAD on a function', async () => {
    const r = await raw('/rpc/conf_squares?n=3', { method: 'HEAD', headers: { Prefer: 'count=exact' } });
    assert.equal(r.status, 200);
    assert.equal(r.text, '');
    assert.equal(r.headers.get('content-range'), '0-2/3');
  });
  test('arguments as form parameters', async () => {
    const r = await raw('/rpc/conf_add', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=2&b=3' });
    assert.equal(r.status, 200);
    assert.equal(r.text, '5');
  });
});

describe('what functions see', () => {
  test('role, claims, method, path, headers and cookies, search_path, read-only, timeouts', async () => {
    const token = await userToken('bob');
    const r = await raw('/rpc/conf_whoami', { token, headers: { 'X-Test': 'hello', Cookie: 'a=1; b=2' } });
    assert.equal(r.status, 200);
    assert.deepStrictEqual(r.json, {
      role: 'authenticated',
      sub: USERS.bob.id,
      claims_role: 'authenticated',
      method: 'GET',
      path: '/rpc/conf_whoami',
      x_test: 'hello',
      cookie_a: '1',
      search_path: '""',
      read_only: 'on',
      timeout: '8s',
      timezone: 'UTC',
    });
    const asAnon = await anon.rpc('conf_whoami');
    assert.deepStrictEqual(
      { role: (asAnon.data as { role: string }).role, claims_role: (asAnon.data as { claims_role: string }).claims_role, timeout: (asAnon.data as { timeout: string }).timeout },
      { role: 'anon', claims_role: 'anon', timeout: '3s' },
    );
  });
  test('POST to a stable function runs read-only; to a volatile one read-write', async () => {
    assert.equal(((await alice.rpc('conf_whoami')).data as { read_only: string }).read_only, 'on');
    assert.equal(((await alice.rpc('conf_whoami')).data as { method: string }).method, 'POST');
  });
  test('Prefer: timezone=', async () => {
    const r = await raw('/rpc/conf_whoami', { headers: { Prefer: 'timezone=Asia/Tokyo' } });
    assert.equal((r.json as { timezone: string }).timezone, 'Asia/Tokyo');
    assert.equal(r.headers.get('preference-applied'), 'timezone=Asia/Tokyo');
  });
  test('anon statement timeout (3 s) cancels a slow call: 57014 → 500', async () => {
    const started = Date.now();
    const r = plain(await anon.rpc('conf_sleep', { seconds: 4 }));
    assert.deepStrictEqual(r, fail(500, { code: '57014', message: 'canceling statement due to statement timeout' }));
    assert.ok(Date.now() - started < 3900, 'cancelled by the 3 s timeout');
  });
});

describe('errors raised by functions', () => {
  test('RAISE EXCEPTION is P0001 → 400 with detail and hint', async () => {
    assert.deepStrictEqual(
      plain(await alice.rpc('conf_raise', { kind: 'plain' })),
      fail(400, { code: 'P0001', message: 'plain failure', details: 'some detail', hint: 'a hint' }),
    );
  });
  test('SQLSTATE PTxyz sets the status', async () => {
    assert.deepStrictEqual(plain(await alice.rpc('conf_raise', { kind: 'pt' })), fail(402, { code: 'PT402', message: 'Payment Required' }));
  });
  test("SQLSTATE 'PGRST' controls the whole response", async () => {
    const r = await raw('/rpc/conf_raise', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"kind":"pgrst"}', token: await userToken('alice') });
    assert.equal(r.status, 418);
    assert.equal(r.headers.get('x-custom'), 'yes');
    assert.deepStrictEqual(r.json, { code: '123', details: 'd', hint: 'h', message: 'Custom' });
  });
  test('response.status and response.headers set by SQL', async () => {
    const r = await raw('/rpc/conf_raise', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"kind":"headers"}', token: await userToken('alice') });
    assert.equal(r.status, 202);
    assert.equal(r.headers.get('x-from-sql'), '1');
  });
  test('an unknown function or argument set is PGRST202', async () => {
    assert.deepStrictEqual(
      plain(await anon.rpc('conf_add', { a: 1 })),
      fail(404, {
        code: 'PGRST202',
        message: 'Could not find the function public.conf_add(a) in the schema cache',
        details: 'Searched for the function public.conf_add with parameter a or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
        hint: 'Perhaps you meant to call the function public.conf_add(a, b)',
      }),
    );
    assert.deepStrictEqual(
      plain(await anon.rpc('conf_addd', { a: 1, b: 2 })),
      fail(404, {
        code: 'PGRST202',
        message: 'Could not find the function public.conf_addd(a, b) in the schema cache',
        details: 'Searched for the function public.conf_addd with parameters a, b or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
        hint: 'Perhaps you meant to call the function public.conf_add',
      }),
    );
  });
  test('a function without EXECUTE for the role is 42501: 401 as anon', async () => {
    await pgQuery('revoke execute on function public.conf_sleep(float8) from anon');
    try {
      const r = plain(await anon.rpc('conf_sleep', { seconds: 0 }));
      assert.deepStrictEqual(r, fail(401, { code: '42501', message: 'permission denied for function conf_sleep' }));
    } finally {
      await pgQuery('grant execute on function public.conf_sleep(float8) to anon');
    }
  });
  test('wrong argument type is 22P02', async () => {
    assert.deepStrictEqual(
      plain(await anon.rpc('conf_add', { a: 'x', b: 1 })),
      fail(400, { code: '22P02', message: 'invalid input syntax for type integer: "x"' }),
    );
  });
  test('PUT on /rpc is PGRST101', async () => {
    const r = await raw('/rpc/conf_add', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(r.status, 405);
    assert.deepStrictEqual(r.json, { code: 'PGRST101', details: null, hint: null, message: 'Cannot use the PUT method on RPC' });
  });
});
