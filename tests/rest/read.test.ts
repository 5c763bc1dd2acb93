// Reads through /rest/v1 with supabase-js, as anon, two users and service_role: the select
// grammar (aliases, casts, JSON paths, embedding one-to-many, many-to-one, many-to-many, !inner,
// hints, spreads), every filter operator, and/or trees, filters and order on embeds, order with
// nulls, limit/offset, Range headers, counts, single/maybeSingle, CSV, HEAD and stripped nulls.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { fail, ok, plain } from './envelope.ts';
import { raw, userToken, USERS, useFixtures } from './fixtures.ts';

const { anon, alice, bob, service } = useFixtures();

const ids = (rows: unknown): number[] => (rows as { id: number }[]).map((r) => r.id);

describe('row level security decides what each role reads', () => {
  test('anon sees public notes only', async () => {
    assert.deepStrictEqual(plain(await anon.from('conf_notes').select('id').order('id')), ok([{ id: 1 }, { id: 3 }, { id: 5 }]));
  });
  test('alice sees public notes and her own', async () => {
    assert.deepStrictEqual(plain(await alice.from('conf_notes').select('id').order('id')), ok([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 5 }]));
  });
  test('bob sees public notes and his own, never alice’s private one', async () => {
    assert.deepStrictEqual(plain(await bob.from('conf_notes').select('id').order('id')), ok([{ id: 1 }, { id: 3 }, { id: 4 }, { id: 5 }]));
    assert.deepStrictEqual(plain(await bob.from('conf_notes').select('id').eq('id', 2)), ok([]));
  });
  test('service_role bypasses RLS', async () => {
    assert.deepStrictEqual(plain(await service.from('conf_notes').select('id').order('id')), ok([1, 2, 3, 4, 5].map((id) => ({ id }))));
  });
  test('a table without a policy for anon reads empty, not an error', async () => {
    assert.deepStrictEqual(plain(await anon.from('conf_kv').select('*')), ok([]));
  });
});

describe('select', () => {
  test('columns, aliases, casts and JSON paths', async () => {
    const r = await service
      .from('conf_profiles')
      .select('name:username, score::text, age::int8, theme:meta->prefs->>theme, lang:meta->>lang, level:meta->level, meta->prefs, tags')
      .order('username');
    assert.deepStrictEqual(
      plain(r),
      ok([
        { name: 'alice', score: '88.50', age: 31, theme: 'dark', lang: 'en', level: 3, prefs: { theme: 'dark' }, tags: ['admin', 'writer'] },
        { name: 'bob', score: '72.25', age: 45, theme: null, lang: 'fr', level: 1, prefs: null, tags: ['reader'] },
        { name: 'carol', score: null, age: null, theme: null, lang: null, level: null, prefs: null, tags: [] },
      ]),
    );
  });
  test('array index in a JSON path and quoted names', async () => {
    const r = await service.from('conf_notes').select('id,first:labels->0,"title"').in('id', [1, 2]).order('id');
    assert.deepStrictEqual(plain(r), ok([{ id: 1, first: 'red', title: 'Alice public one' }, { id: 2, first: 'red', title: 'Alice private' }]));
  });
  test('star selects every column in table order', async () => {
    const { data } = await service.from('conf_tags').select('*').eq('id', 1);
    assert.deepStrictEqual(data, [{ id: 1, name: 'work' }]);
  });
  test('many-to-one embed, with alias and FK-column name', async () => {
    const r = await anon.from('conf_notes').select('id, owner:conf_profiles(username), owner_id(username)').order('id').limit(2);
    assert.deepStrictEqual(
      plain(r),
      ok([
        { id: 1, owner: { username: 'alice' }, owner_id: { username: 'alice' } },
        { id: 3, owner: { username: 'bob' }, owner_id: { username: 'bob' } },
      ]),
    );
  });
  test('one-to-many embed with order and limit on the embedded resource', async () => {
    const r = await alice
      .from('conf_profiles')
      .select('username, conf_notes(id, title)')
      .order('id', { referencedTable: 'conf_notes', ascending: false })
      .limit(1, { referencedTable: 'conf_notes' })
      .in('username', ['alice', 'bob'])
      .order('username');
    assert.deepStrictEqual(
      plain(r),
      ok([
        { username: 'alice', conf_notes: [{ id: 5, title: 'Alice draft 50% done' }] },
        { username: 'bob', conf_notes: [{ id: 3, title: 'Bob public' }] },
      ]),
    );
  });
  test('many-to-many through the junction table, RLS applied inside the embed', async () => {
    const asAnon = await anon.from('conf_tags').select('name, conf_notes(id)').order('id');
    assert.deepStrictEqual(
      plain(asAnon),
      ok([
        { name: 'work', conf_notes: [{ id: 1 }, { id: 3 }] },
        { name: 'home', conf_notes: [] },
        { name: 'urgent', conf_notes: [{ id: 1 }] },
      ]),
    );
    const asBob = await bob.from('conf_tags').select('name, conf_notes(id)').eq('name', 'urgent');
    assert.deepStrictEqual(plain(asBob), ok([{ name: 'urgent', conf_notes: [{ id: 1 }, { id: 4 }] }]));
  });
  test('nested embeds three levels deep', async () => {
    const r = await anon.from('conf_orgs').select('name, conf_profiles(username, conf_notes(id))').eq('id', 1);
    assert.deepStrictEqual(
      plain(r),
      ok([{ name: 'Acme', conf_profiles: [{ username: 'alice', conf_notes: [{ id: 1 }, { id: 5 }] }, { username: 'bob', conf_notes: [{ id: 3 }] }] }]),
    );
  });
  test('filter on an embed keeps parents; !inner drops them', async () => {
    const left = await anon.from('conf_profiles').select('username, conf_orgs(name)').eq('conf_orgs.name', 'Acme').order('username');
    assert.deepStrictEqual(
      plain(left),
      ok([
        { username: 'alice', conf_orgs: { name: 'Acme' } },
        { username: 'bob', conf_orgs: { name: 'Acme' } },
        { username: 'carol', conf_orgs: null },
      ]),
    );
    const inner = await anon.from('conf_profiles').select('username, conf_orgs!inner(name)').eq('conf_orgs.name', 'Acme').order('username');
    assert.deepStrictEqual(plain(inner), ok([{ username: 'alice', conf_orgs: { name: 'Acme' } }, { username: 'bob', conf_orgs: { name: 'Acme' } }]));
  });
  test('!inner on a one-to-many embed, with count', async () => {
    const r = await anon
      .from('conf_profiles')
      .select('username, conf_notes!inner(id)', { count: 'exact' })
      .ilike('conf_notes.title', '%draft%');
    assert.deepStrictEqual(plain(r), ok([{ username: 'alice', conf_notes: [{ id: 5 }] }], 200, 1));
  });
  test('embed hints: constraint name and column', async () => {
    const byConstraint = await anon.from('conf_notes').select('id, conf_profiles!conf_notes_owner_id_fkey(username)').eq('id', 3);
    assert.deepStrictEqual(plain(byConstraint), ok([{ id: 3, conf_profiles: { username: 'bob' } }]));
    const byColumn = await anon.from('conf_notes').select('id, conf_profiles!owner_id(username)').eq('id', 3);
    assert.deepStrictEqual(plain(byColumn), ok([{ id: 3, conf_profiles: { username: 'bob' } }]));
  });
  test('spread of a to-one embed lifts its columns', async () => {
    const r = await anon.from('conf_notes').select('id, ...conf_profiles(owner:username)').eq('id', 1);
    assert.deepStrictEqual(plain(r), ok([{ id: 1, owner: 'alice' }]));
  });
  test('is.null / not.is.null on an embed', async () => {
    const r = await anon.from('conf_profiles').select('username, conf_orgs(name)').not('conf_orgs', 'is', null).eq('conf_orgs.name', 'Globex');
    assert.deepStrictEqual(plain(r), ok([{ username: 'carol', conf_orgs: { name: 'Globex' } }]));
    const none = await anon.from('conf_orgs').select('name, conf_profiles(id)').is('conf_profiles', null);
    assert.deepStrictEqual(plain(none), ok([{ name: 'Initech', conf_profiles: [] }]));
  });
  test('order by a to-one embed column', async () => {
    const r = await anon.from('conf_profiles').select('username, conf_orgs(name)').order('conf_orgs(name)', { ascending: false }).order('username');
    assert.deepStrictEqual(
      plain(r),
      ok([
        { username: 'carol', conf_orgs: { name: 'Globex' } },
        { username: 'alice', conf_orgs: { name: 'Acme' } },
        { username: 'bob', conf_orgs: { name: 'Acme' } },
      ]),
    );
  });
  test('or on an embedded resource', async () => {
    const r = await anon
      .from('conf_orgs')
      .select('name, conf_profiles(username)')
      .or('username.eq.bob,username.eq.carol', { referencedTable: 'conf_profiles' })
      .order('id')
      .limit(2);
    assert.deepStrictEqual(plain(r), ok([{ name: 'Acme', conf_profiles: [{ username: 'bob' }] }, { name: 'Globex', conf_profiles: [{ username: 'carol' }] }]));
  });
});

// supabase-js' builder types are too deep to spell here; the calls are what supabase-js users write.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type NotesQuery = any;

describe('filter operators', () => {
  const cases: [string, (q: NotesQuery) => unknown, number[]][] = [
    ['eq', (q) => q.eq('rating', 5), [1]],
    ['neq', (q) => q.neq('rating', 5), [2, 4, 5]],
    ['gt', (q) => q.gt('rating', 1), [1, 2]],
    ['gte', (q) => q.gte('rating', 1), [1, 2, 4]],
    ['lt', (q) => q.lt('rating', 3), [4, 5]],
    ['lte', (q) => q.lte('rating', 3), [2, 4, 5]],
    ['like', (q) => q.like('title', 'Alice%'), [1, 2, 5]],
    ['like with * wildcard', (q) => q.like('title', '*private'), [2, 4]],
    ['ilike', (q) => q.ilike('title', '%BOB%'), [3, 4]],
    ['likeAllOf', (q) => q.likeAllOf('title', ['Alice%', '%one']), [1, 5]],
    ['likeAnyOf', (q) => q.likeAnyOf('title', ['%trip', 'Bob%']), [3, 4]],
    ['ilikeAnyOf', (q) => q.ilikeAnyOf('title', ['%PUBLIC%']), [1, 3]],
    ['match', (q) => q.match({ public: true, rating: 5 }), [1]],
    ['regex match', (q) => q.filter('title', 'match', '^Bob'), [3, 4]],
    ['regex imatch', (q) => q.filter('title', 'imatch', '^bob'), [3, 4]],
    ['in', (q) => q.in('id', [2, 4, 99]), [2, 4]],
    ['not in', (q) => q.notIn('id', [1, 2, 3]), [4, 5]],
    ['in with quoted values', (q) => q.in('title', ['Bob public', 'x,y)']), [3]],
    ['is null', (q) => q.is('rating', null), [3]],
    ['is true', (q) => q.is('public', true), [1, 3, 5]],
    ['is false', (q) => q.is('public', false), [2, 4]],
    ['not is null', (q) => q.not('rating', 'is', null), [1, 2, 4, 5]],
    ['isdistinct', (q) => q.filter('rating', 'isdistinct', '5'), [2, 3, 4, 5]],
    ['cs array', (q) => q.contains('labels', ['red']), [1, 2]],
    ['cd array', (q) => q.containedBy('labels', ['red', 'blue', 'x']), [1, 2, 4]],
    ['ov array', (q) => q.overlaps('labels', ['blue', 'green']), [1, 3]],
    ['cs jsonb', (q) => q.contains('data', { kind: 'a' }), [1, 4]],
    ['cd jsonb', (q) => q.containedBy('data', { kind: 'b', n: 2, extra: true }), [2]],
    ['cs range', (q) => q.contains('during', '[4,4]'), [1, 3]],
    ['ov range', (q) => q.overlaps('during', '[4,11)'), [1, 2, 3]],
    ['sl', (q) => q.rangeLt('during', '[15,16)'), [1, 3]],
    ['sr', (q) => q.rangeGt('during', '[0,9)'), [2, 5]],
    ['nxr', (q) => q.rangeLte('during', '[0,8)'), [1, 3]],
    ['nxl', (q) => q.rangeGte('during', '[5,6)'), [2, 5]],
    ['adj', (q) => q.rangeAdjacent('during', '[30,40)'), [5]],
    ['not', (q) => q.not('title', 'like', 'Alice%'), [3, 4]],
    ['or', (q) => q.or('rating.eq.5,title.like.Bob*'), [1, 3, 4]],
    ['and inside or', (q) => q.or('and(public.is.true,rating.gte.5),id.eq.4'), [1, 4]],
    ['not.or', (q) => q.not('id', 'in', '(1,2)').or('rating.is.null,rating.lt.2'), [3, 4, 5]],
    ['JSON path filter', (q) => q.eq('data->>kind', 'a'), [1, 4]],
    ['JSON path number', (q) => q.gt('data->n', 3), [4, 5]],
  ];
  for (const [name, apply, expected] of cases) {
    test(name, async () => {
      const r = (await apply(service.from('conf_notes').select('id').order('id'))) as object;
      assert.deepStrictEqual(plain(r), ok(expected.map((id) => ({ id }))));
    });
  }
  test('full-text search: fts, plfts, phfts, wfts, on tsvector and text columns', async () => {
    const q = () => service.from('conf_profiles').select('username').order('username');
    assert.deepStrictEqual((await q().textSearch('bio_fts', 'databases & cats', { config: 'english' })).data, [{ username: 'alice' }]);
    assert.deepStrictEqual((await q().textSearch('bio_fts', 'database', { type: 'plain', config: 'english' })).data, [{ username: 'alice' }, { username: 'bob' }]);
    assert.deepStrictEqual((await q().textSearch('bio', 'likes dogs', { type: 'phrase', config: 'english' })).data, [{ username: 'bob' }]);
    assert.deepStrictEqual((await q().textSearch('bio', 'databases -cats', { type: 'websearch' })).data, [{ username: 'bob' }]);
    assert.deepStrictEqual((await q().not('bio_fts', 'fts', 'cats')).data, [{ username: 'bob' }, { username: 'carol' }]);
  });
  test('quantified operators eq(any) and gt(all)', async () => {
    const any = await raw('/conf_notes?select=id&id=eq(any).{1,3}&order=id', { token: await userToken('alice') });
    assert.deepStrictEqual(any.json, [{ id: 1 }, { id: 3 }]);
    const all = await raw('/conf_notes?select=id&rating=gt(all).{0,2}&order=id', { token: await userToken('alice') });
    assert.deepStrictEqual(all.json, [{ id: 1 }, { id: 2 }]);
  });
});

describe('order, limit, offset, range, count', () => {
  test('order with nullsfirst / nullslast on several columns', async () => {
    const first = await service.from('conf_notes').select('id').order('rating', { ascending: false, nullsFirst: true });
    assert.deepStrictEqual(ids(first.data), [3, 1, 2, 4, 5]);
    const last = await service.from('conf_notes').select('id').order('public').order('rating', { ascending: true, nullsFirst: false });
    assert.deepStrictEqual(ids(last.data), [4, 2, 5, 1, 3]);
  });
  test('range() sends limit and offset', async () => {
    assert.deepStrictEqual(plain(await service.from('conf_notes').select('id').order('id').range(1, 2)), ok([{ id: 2 }, { id: 3 }]));
  });
  test('count=exact gives Content-Range and 206 for a partial page', async () => {
    const r = await service.from('conf_notes').select('id', { count: 'exact' }).order('id').limit(2);
    assert.deepStrictEqual(plain(r), ok([{ id: 1 }, { id: 2 }], 206, 5));
    const raw1 = await raw('/conf_notes?select=id&limit=2&offset=1', {
      token: await userToken('alice'),
      headers: { Prefer: 'count=exact' },
    });
    assert.equal(raw1.status, 206);
    assert.equal(raw1.headers.get('content-range'), '1-2/4');
    assert.equal(raw1.headers.get('preference-applied'), 'count=exact');
  });
  test('count=planned and count=estimated', async () => {
    // The planner's estimate, so the status depends on it: 206 when it guesses more rows.
    const planned = await service.from('conf_notes').select('id', { count: 'planned', head: true });
    assert.ok(planned.status === 200 || planned.status === 206, String(planned.status));
    assert.equal(typeof planned.count, 'number');
    assert.equal(planned.error, null);
    const estimated = await service.from('conf_notes').select('id', { count: 'estimated' }).limit(1);
    assert.deepStrictEqual(plain(estimated), ok([{ id: 1 }], 206, 5));
  });
  test('head with count returns no body', async () => {
    assert.deepStrictEqual(plain(await anon.from('conf_notes').select('*', { count: 'exact', head: true })), ok(null, 200, 3));
    const h = await raw('/conf_notes', { method: 'HEAD', headers: { Prefer: 'count=exact' } });
    assert.equal(h.status, 200);
    assert.equal(h.text, '');
    assert.equal(h.headers.get('content-range'), '0-2/3');
  });
  test('Range header', async () => {
    const r = await raw('/conf_notes?select=id&order=id', { headers: { Range: '1-1', 'Range-Unit': 'items', Prefer: 'count=exact' } });
    assert.equal(r.status, 206);
    assert.deepStrictEqual(r.json, [{ id: 3 }]);
    assert.equal(r.headers.get('content-range'), '1-1/3');
    const open = await raw('/conf_notes?select=id&order=id', { headers: { Range: '2-' } });
    assert.deepStrictEqual(open.json, [{ id: 5 }]);
    assert.equal(open.headers.get('content-range'), '2-2/*');
  });
  test('invalid ranges answer 416 PGRST103', async () => {
    const r = await raw('/conf_notes', { headers: { Range: '5-2' } });
    assert.equal(r.status, 416);
    assert.deepStrictEqual(r.json, {
      code: 'PGRST103',
      details: 'The lower boundary must be lower than or equal to the upper boundary in the Range header.',
      hint: null,
      message: 'Requested range not satisfiable',
    });
    const neg = await raw('/conf_notes?limit=-1');
    assert.equal(neg.status, 416);
    assert.equal((neg.json as { details: string }).details, 'Limit should be greater than or equal to zero.');
    const past = await raw('/conf_notes?offset=10', { headers: { Prefer: 'count=exact' } });
    assert.equal(past.status, 416);
    assert.deepStrictEqual(past.json, {
      code: 'PGRST103',
      details: 'An offset of 10 was requested, but there are only 3 rows.',
      hint: null,
      message: 'Requested range not satisfiable',
    });
  });
  test('limit=0 returns no rows with the total', async () => {
    const r = await raw('/conf_notes?limit=0', { headers: { Prefer: 'count=exact' } });
    assert.equal(r.status, 206);
    assert.deepStrictEqual(r.json, []);
    assert.equal(r.headers.get('content-range'), '*/3');
  });
});

describe('representations', () => {
  test('single() with one row, and PGRST116 for zero or many', async () => {
    assert.deepStrictEqual(plain(await anon.from('conf_notes').select('id,title').eq('id', 3).single()), ok({ id: 3, title: 'Bob public' }));
    assert.deepStrictEqual(
      plain(await anon.from('conf_notes').select('id').eq('id', 2).single()),
      fail(406, { code: 'PGRST116', details: 'The result contains 0 rows', message: 'Cannot coerce the result to a single JSON object' }),
    );
    assert.deepStrictEqual(
      plain(await anon.from('conf_notes').select('id').single()),
      fail(406, { code: 'PGRST116', details: 'The result contains 3 rows', message: 'Cannot coerce the result to a single JSON object' }),
    );
  });
  test('maybeSingle()', async () => {
    assert.deepStrictEqual(plain(await alice.from('conf_notes').select('id').eq('id', 4).maybeSingle()), ok(null));
    assert.deepStrictEqual(plain(await bob.from('conf_notes').select('id').eq('id', 4).maybeSingle()), ok({ id: 4 }));
  });
  test('csv()', async () => {
    const r = await service.from('conf_profiles').select('username,display_name,age').order('username').csv();
    assert.deepStrictEqual(plain(r), ok('username,display_name,age\nalice,"Alice A.",31\nbob,,45\ncarol,"Carol, ""C"" (QA)",'));
    const empty = await raw('/conf_kv', { headers: { Accept: 'text/csv' } });
    assert.equal(empty.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(empty.text, '\n');
  });
  test('stripNulls()', async () => {
    const r = await service.from('conf_profiles').select('username,display_name,age').eq('username', 'bob').stripNulls();
    assert.deepStrictEqual(plain(r), ok([{ username: 'bob', age: 45 }]));
  });
  test('headers: Content-Type, Content-Profile, Content-Range, Content-Location', async () => {
    const r = await raw('/conf_tags?select=id&order=id&id=lt.3');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(r.headers.get('content-profile'), 'public');
    assert.equal(r.headers.get('content-range'), '0-1/*');
    assert.equal(r.headers.get('content-location'), '/conf_tags?id=lt.3&order=id&select=id');
  });
  test('Accept-Profile picks an exposed schema; others are refused with PGRST106', async () => {
    const r = await raw('/conf_tags', { headers: { 'Accept-Profile': 'graphql_public' } });
    assert.equal(r.status, 404);
    assert.equal((r.json as { code: string }).code, 'PGRST205');
    const bad = await raw('/conf_tags', { headers: { 'Accept-Profile': 'auth' } });
    assert.equal(bad.status, 406);
    assert.deepStrictEqual(bad.json, {
      code: 'PGRST106',
      details: null,
      hint: 'Only the following schemas are exposed: public, graphql_public',
      message: 'Invalid schema: auth',
    });
  });
  test('an unavailable media type is 406 PGRST107', async () => {
    const r = await raw('/conf_tags', { headers: { Accept: 'application/xml' } });
    assert.equal(r.status, 406);
    assert.deepStrictEqual(r.json, { code: 'PGRST107', details: null, hint: null, message: 'None of these media types are available: application/xml' });
  });
  test('the user id reaches the request log through the JWT', async () => {
    const r = await raw('/conf_tags?limit=1', { token: await userToken('bob') });
    assert.equal(r.status, 200);
    assert.ok(USERS.bob.id);
  });
});
