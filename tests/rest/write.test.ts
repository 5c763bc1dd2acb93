// Writes through /rest/v1 with supabase-js: insert (single, bulk, `columns=`, missing=default),
// upsert (on_conflict, merge and ignore duplicates), update, delete, Prefer return / count / tx,
// RLS on writes per role (42501 is 401 for anon, 403 for users), constraint errors, and the
// hosted pg-safeupdate rule (no UPDATE/DELETE without a filter).
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { fail, ok, plain } from './envelope.ts';
import { pgQuery, raw, userToken, USERS, useFixtures } from './fixtures.ts';

const { anon, alice, bob, service } = useFixtures();

const rlsViolation = (table: string) => ({ code: '42501', message: `new row violates row-level security policy for table "${table}"` });

describe('insert', () => {
  test('single insert without select: 201, no body', async () => {
    assert.deepStrictEqual(plain(await alice.from('conf_kv').insert({ k: 'i1', v: 'one' })), ok(null, 201));
    assert.deepStrictEqual(await pgQuery('select k, v, n from public.conf_kv where k = $1', ['i1']), [{ k: 'i1', v: 'one', n: 7 }]);
  });
  test('insert with select() returns the row with defaults', async () => {
    assert.deepStrictEqual(plain(await alice.from('conf_kv').insert({ k: 'i2' }).select()), ok([{ k: 'i2', v: null, n: 7 }], 201));
  });
  test('insert ... select().single()', async () => {
    assert.deepStrictEqual(plain(await alice.from('conf_kv').insert({ k: 'i3', v: 'x' }).select('k').single()), ok({ k: 'i3' }, 201));
  });
  test('bulk insert with differing keys: columns= sends the union, missing keys are null', async () => {
    const r = await alice
      .from('conf_kv')
      .insert([{ k: 'b1', v: 'a' }, { k: 'b2' }])
      .select('k,v,n')
      .order('k');
    assert.deepStrictEqual(plain(r), ok([{ k: 'b1', v: 'a', n: 7 }, { k: 'b2', v: null, n: 7 }], 201));
  });
  test('defaultToNull: false sends missing=default, so absent columns take their default', async () => {
    const r = await alice
      .from('conf_kv')
      .insert([{ k: 'd1', n: 1 }, { k: 'd2' }], { defaultToNull: false })
      .select('k,n')
      .order('k');
    assert.deepStrictEqual(plain(r), ok([{ k: 'd1', n: 1 }, { k: 'd2', n: 7 }], 201));
  });
  test('insert with count', async () => {
    assert.deepStrictEqual(plain(await alice.from('conf_kv').insert([{ k: 'c1' }, { k: 'c2' }], { count: 'exact' })), ok(null, 201, 2));
  });
  test('insert with an embed in the returned representation', async () => {
    const r = await alice
      .from('conf_notes')
      .insert({ owner_id: USERS.alice.id, title: 'embedded', public: false })
      .select('title, owner:conf_profiles(username)')
      .single();
    assert.deepStrictEqual(plain(r), ok({ title: 'embedded', owner: { username: 'alice' } }, 201));
  });
  test('RLS: a user cannot insert a row for someone else (403), anon cannot insert (401)', async () => {
    assert.deepStrictEqual(
      plain(await bob.from('conf_notes').insert({ owner_id: USERS.alice.id, title: 'forged' })),
      fail(403, rlsViolation('conf_notes')),
    );
    assert.deepStrictEqual(plain(await anon.from('conf_notes').insert({ owner_id: USERS.alice.id, title: 'anon' })), fail(401, rlsViolation('conf_notes')));
    const rows = await pgQuery("select count(*)::int as n from public.conf_notes where title in ('forged', 'anon')");
    assert.deepStrictEqual(rows, [{ n: 0 }]);
  });
  test('insert then select as the owner needs a SELECT policy too (it has one)', async () => {
    const r = await bob.from('conf_notes').insert({ owner_id: USERS.bob.id, title: 'bob new', public: false }).select('title, public');
    assert.deepStrictEqual(plain(r), ok([{ title: 'bob new', public: false }], 201));
  });
  test('unique violation is 409, FK violation 409, check violation and not-null 400', async () => {
    await service.from('conf_kv').insert({ k: 'dup' });
    const dup = plain(await service.from('conf_kv').insert({ k: 'dup' }));
    assert.deepStrictEqual(
      dup,
      fail(409, { code: '23505', message: 'duplicate key value violates unique constraint "conf_kv_pkey"', details: 'Key (k)=(dup) already exists.' }),
    );
    const fk = plain(await service.from('conf_notes').insert({ owner_id: '00000000-0000-4000-8000-000000000999', title: 'x' }));
    assert.equal(fk.status, 409);
    assert.equal((fk.error as { code: string }).code, '23503');
    const check = plain(await service.from('conf_notes').insert({ owner_id: USERS.bob.id, title: 'x', rating: 9 }));
    assert.deepStrictEqual(check.status, 400);
    assert.equal((check.error as { code: string }).code, '23514');
    const notNull = plain(await service.from('conf_notes').insert({ owner_id: USERS.bob.id }));
    assert.equal(notNull.status, 400);
    assert.equal((notNull.error as { code: string }).code, '23502');
  });
  test('an unknown column is PGRST204', async () => {
    assert.deepStrictEqual(
      plain(await alice.from('conf_kv').insert({ k: 'u', nope: 1 })),
      fail(400, { code: 'PGRST204', message: "Could not find the 'nope' column of 'conf_kv' in the schema cache" }),
    );
  });
  test('a wrong type is 22P02 from PostgreSQL', async () => {
    assert.deepStrictEqual(
      plain(await alice.from('conf_kv').insert({ k: 'w', n: 'many' })),
      fail(400, { code: '22P02', message: 'invalid input syntax for type integer: "many"' }),
    );
  });
  test('Prefer: return=headers-only gives Location', async () => {
    const r = await raw('/conf_kv', {
      method: 'POST',
      token: await userToken('alice'),
      headers: { 'Content-Type': 'application/json', Prefer: 'return=headers-only' },
      body: JSON.stringify({ k: 'loc/1' }),
    });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('location'), '/conf_kv?k=eq.loc%2F1');
    assert.equal(r.text, '');
  });
  test('CSV and form bodies', async () => {
    const csv = await raw('/conf_kv', {
      method: 'POST',
      token: await userToken('alice'),
      headers: { 'Content-Type': 'text/csv', Prefer: 'return=representation' },
      body: 'k,v\ncsv1,"a, b"\ncsv2,NULL',
    });
    assert.equal(csv.status, 201);
    assert.deepStrictEqual(csv.json, [{ k: 'csv1', v: 'a, b', n: 7 }, { k: 'csv2', v: null, n: 7 }]);
    const form = await raw('/conf_kv', {
      method: 'POST',
      token: await userToken('alice'),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Prefer: 'return=representation' },
      body: 'k=form1&v=hello+world',
    });
    assert.deepStrictEqual(form.json, [{ k: 'form1', v: 'hello world', n: 7 }]);
  });
});

describe('upsert', () => {
  test('merge-duplicates on the primary key: 201 when something is inserted, 200 when all existed', async () => {
    await service.from('conf_kv').insert({ k: 'u1', v: 'old' });
    const r = await alice.from('conf_kv').upsert([{ k: 'u1', v: 'new' }, { k: 'u2', v: 'fresh' }]).select('k,v').order('k');
    assert.deepStrictEqual(plain(r), ok([{ k: 'u1', v: 'new' }, { k: 'u2', v: 'fresh' }], 201));
    const again = await alice.from('conf_kv').upsert({ k: 'u1', v: 'newer' }).select('k,v');
    assert.deepStrictEqual(plain(again), ok([{ k: 'u1', v: 'newer' }], 200));
  });
  test('ignoreDuplicates leaves existing rows', async () => {
    await service.from('conf_kv').insert({ k: 'ig', v: 'keep' });
    const r = await alice.from('conf_kv').upsert({ k: 'ig', v: 'lose' }, { ignoreDuplicates: true }).select('k,v');
    assert.deepStrictEqual(plain(r), ok([], 201));
    assert.deepStrictEqual(await pgQuery('select v from public.conf_kv where k = $1', ['ig']), [{ v: 'keep' }]);
  });
  test('onConflict on a unique column', async () => {
    const r = await service
      .from('conf_orgs')
      .upsert({ name: 'Initech', created_at: '2020-01-01T00:00:00+00:00' }, { onConflict: 'name' })
      .select('id,name,created_at');
    assert.deepStrictEqual(plain(r), ok([{ id: 3, name: 'Initech', created_at: '2020-01-01T00:00:00+00:00' }], 200));
  });
  test('Preference-Applied reports resolution and return', async () => {
    const r = await raw('/conf_kv', {
      method: 'POST',
      token: await userToken('alice'),
      headers: { 'Content-Type': 'application/json', Prefer: 'resolution=merge-duplicates, return=minimal' },
      body: JSON.stringify({ k: 'pa' }),
    });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('preference-applied'), 'resolution=merge-duplicates, return=minimal');
  });
  test('PUT upserts one row addressed by its primary key', async () => {
    const token = await userToken('alice');
    const put = await raw('/conf_kv?k=eq.put1', {
      method: 'PUT',
      token,
      headers: { 'Content-Type': 'application/json', Prefer: 'return=representation' },
      body: JSON.stringify({ k: 'put1', v: 'p' }),
    });
    assert.equal(put.status, 201);
    assert.deepStrictEqual(put.json, [{ k: 'put1', v: 'p', n: 7 }]);
    const mismatch = await raw('/conf_kv?k=eq.put1', { method: 'PUT', token, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ k: 'other', v: 'p' }) });
    assert.equal(mismatch.status, 400);
    assert.equal((mismatch.json as { code: string }).code, 'PGRST115');
    const noPk = await raw('/conf_kv?v=eq.x', { method: 'PUT', token, headers: { 'Content-Type': 'application/json' }, body: '{"k":"x"}' });
    assert.equal(noPk.status, 405);
    assert.equal((noPk.json as { code: string }).code, 'PGRST105');
  });
});

describe('update', () => {
  test('update with a filter, returning the rows', async () => {
    const r = await alice.from('conf_notes').update({ rating: 4 }).eq('id', 2).select('id,rating');
    assert.deepStrictEqual(plain(r), ok([{ id: 2, rating: 4 }]));
  });
  test('update without select: 204; with count', async () => {
    assert.deepStrictEqual(plain(await alice.from('conf_notes').update({ rating: 3 }).eq('id', 2)), ok(null, 204));
    assert.deepStrictEqual(plain(await alice.from('conf_notes').update({ rating: 3 }, { count: 'exact' }).eq('id', 2)), ok(null, 204, 1));
  });
  test('RLS: updating someone else’s rows touches nothing', async () => {
    const r = await bob.from('conf_notes').update({ title: 'hacked' }).eq('id', 1).select('id');
    assert.deepStrictEqual(plain(r), ok([]));
    assert.deepStrictEqual(await pgQuery('select title from public.conf_notes where id = 1'), [{ title: 'Alice public one' }]);
  });
  test('RLS with check: a user cannot move a row to someone else', async () => {
    assert.deepStrictEqual(plain(await alice.from('conf_notes').update({ owner_id: USERS.bob.id }).eq('id', 2)), fail(403, rlsViolation('conf_notes')));
  });
  test('a profile updates itself only', async () => {
    const mine = await bob.from('conf_profiles').update({ display_name: 'Bobby' }).eq('username', 'bob').select('username,display_name');
    assert.deepStrictEqual(plain(mine), ok([{ username: 'bob', display_name: 'Bobby' }]));
    const theirs = await bob.from('conf_profiles').update({ display_name: 'Evil' }).eq('username', 'alice').select('username');
    assert.deepStrictEqual(plain(theirs), ok([]));
  });
  test('UPDATE without a filter is refused (pg-safeupdate, 21000 → 400)', async () => {
    assert.deepStrictEqual(
      plain(await service.from('conf_kv').update({ v: 'all' })),
      fail(400, { code: '21000', message: 'UPDATE requires a WHERE clause' }),
    );
  });
  test('an embed filter on an embed not selected is PGRST108; selected, it is still no WHERE clause', async () => {
    const unselected = await raw('/conf_notes?conf_profiles.username=eq.alice', {
      method: 'PATCH',
      token: await userToken('alice'),
      headers: { 'Content-Type': 'application/json' },
      body: '{"rating":1}',
    });
    assert.equal(unselected.status, 400);
    assert.deepStrictEqual(unselected.json, {
      code: 'PGRST108',
      details: null,
      hint: "Verify that 'conf_profiles' is included in the 'select' query parameter.",
      message: "'conf_profiles' is not an embedded resource in this request",
    });
    const r = await raw('/conf_notes?select=id,conf_profiles(username)&conf_profiles.username=eq.alice', {
      method: 'PATCH',
      token: await userToken('alice'),
      headers: { 'Content-Type': 'application/json' },
      body: '{"rating":1}',
    });
    assert.equal(r.status, 400);
    assert.equal((r.json as { code: string }).code, '21000');
  });
  test('max-affected with handling=strict', async () => {
    // maxAffected() is typed for PostgREST 13+ schemas only; untyped clients need the cast.
    type MaxAffected = { maxAffected(n: number): PromiseLike<{ status: number; error: unknown }> };
    const r = await (service.from('conf_notes').update({ body: 'x' }).in('id', [1, 2]) as unknown as MaxAffected).maxAffected(1);
    assert.equal(r.status, 400);
    assert.deepStrictEqual(r.error, {
      code: 'PGRST124',
      details: 'The query affects 2 rows',
      hint: null,
      message: 'Query result exceeds max-affected preference constraint',
    });
    assert.deepStrictEqual(await pgQuery('select body from public.conf_notes where id = 1'), [{ body: 'Postgres rocks' }]);
  });
});

describe('delete', () => {
  test('delete own rows; others’ rows are invisible to delete', async () => {
    await service.from('conf_notes').insert([
      { id: 201, owner_id: USERS.alice.id, title: 'to delete' },
      { id: 202, owner_id: USERS.bob.id, title: 'bob keeps' },
    ]);
    const r = await alice.from('conf_notes').delete().in('id', [201, 202]).select('id');
    assert.deepStrictEqual(plain(r), ok([{ id: 201 }]));
    assert.deepStrictEqual(await pgQuery('select id from public.conf_notes where id in (201, 202)'), [{ id: '202' }]);
  });
  test('delete without select: 204 with count', async () => {
    await service.from('conf_kv').insert([{ k: 'x1' }, { k: 'x2' }]);
    assert.deepStrictEqual(plain(await alice.from('conf_kv').delete({ count: 'exact' }).like('k', 'x%')), ok(null, 204, 2));
  });
  test('DELETE without a filter is refused', async () => {
    assert.deepStrictEqual(plain(await service.from('conf_kv').delete()), fail(400, { code: '21000', message: 'DELETE requires a WHERE clause' }));
  });
  test('anon delete affects nothing (no policy)', async () => {
    assert.deepStrictEqual(plain(await anon.from('conf_notes').delete().eq('id', 1).select('id')), ok([]));
  });
});

describe('transactions', () => {
  test('tx=rollback is not honoured (db-tx-end = commit, as on hosted Supabase): the insert is kept', async () => {
    const r = await alice.from('conf_kv').insert({ k: 'rolled' }).select('k').rollback();
    assert.deepStrictEqual(plain(r), ok([{ k: 'rolled' }], 201));
    assert.deepStrictEqual(await pgQuery('select count(*)::int as n from public.conf_kv where k = $1', ['rolled']), [{ n: 1 }]);
  });
  test('single() on a mutation of two rows rolls back with PGRST116', async () => {
    await service.from('conf_kv').insert([{ k: 's1', v: 'a' }, { k: 's2', v: 'a' }]);
    const r = await alice.from('conf_kv').update({ v: 'b' }).in('k', ['s1', 's2']).select().single();
    assert.deepStrictEqual(
      plain(r),
      fail(406, { code: 'PGRST116', details: 'The result contains 2 rows', message: 'Cannot coerce the result to a single JSON object' }),
    );
    assert.deepStrictEqual(await pgQuery("select v from public.conf_kv where k in ('s1', 's2') order by k"), [{ v: 'a' }, { v: 'a' }]);
  });
  test('GET runs read-only', async () => {
    const r = await raw('/rpc/conf_whoami', { token: await userToken('alice') });
    assert.equal((r.json as { read_only: string }).read_only, 'on');
  });
});
