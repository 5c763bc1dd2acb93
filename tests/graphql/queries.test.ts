// pg_graphql's documented queries (docs/api.md: collections, pagination, filtering, ordering,
// nodeId, relationships, custom scalars; docs/functions.md) against /graphql/v1.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { b64, data, errorOf, gql, useFixtures } from './fixtures.ts';

useFixtures();

const ids = (conn: { edges: { node: { id: unknown } }[] }) => conn.edges.map((e) => e.node.id);

describe('collections', () => {
  it('a collection is a Relay connection: edges { cursor node }, pageInfo, totalCount', async () => {
    const d = await data('anon', `{
      gql_blogCollection(first: 2) {
        totalCount
        pageInfo { startCursor endCursor hasPreviousPage hasNextPage }
        edges { cursor node { nodeId id name } }
      }
    }`);
    assert.deepEqual(d.gql_blogCollection, {
      totalCount: 4,
      pageInfo: { startCursor: b64([1]), endCursor: b64([2]), hasPreviousPage: false, hasNextPage: true },
      edges: [
        { cursor: b64([1]), node: { nodeId: b64(['public', 'gql_blog', 1]), id: 1, name: 'A: Blog 1' } },
        { cursor: b64([2]), node: { nodeId: b64(['public', 'gql_blog', 2]), id: 2, name: 'A: Blog 2' } },
      ],
    });
    // The documented cursor of id 1 is "WzFd" (base64 of [1]).
    assert.equal(b64([1]), 'WzFd');
  });

  it('totalCount exists only where the table comment enables it', async () => {
    assert.equal(await errorOf('anon', '{ gql_blog_postCollection { totalCount } }'), 'Unknown field "totalCount" on type gql_blog_postConnection');
  });

  it('aliases get their own arguments and results', async () => {
    const d = await data('anon', '{ a: gql_blogCollection(first: 1) { edges { node { x: id } } } b: gql_blogCollection(last: 1) { edges { node { x: id } } } }');
    assert.deepEqual(d, { a: { edges: [{ node: { x: 1 } }] }, b: { edges: [{ node: { x: 4 } }] } });
  });

  it('fragments, variables and @include/@skip work', async () => {
    const d = await data(
      'anon',
      `query Q($n: Int!, $withName: Boolean!) {
        gql_blogCollection(first: $n) { edges { node { ...B name @include(if: $withName) description @skip(if: true) } } }
      }
      fragment B on gql_blog { id }`,
      { n: 1, withName: true },
    );
    assert.deepEqual(d.gql_blogCollection.edges, [{ node: { id: 1, name: 'A: Blog 1' } }]);
  });

  it('__typename is answered at every level', async () => {
    const d = await data('anon', '{ __typename gql_blogCollection(first: 1) { __typename edges { __typename node { __typename } } pageInfo { __typename } } }');
    assert.deepEqual(d, {
      __typename: 'Query',
      gql_blogCollection: { __typename: 'gql_blogConnection', edges: [{ __typename: 'gql_blogEdge', node: { __typename: 'gql_blog' } }], pageInfo: { __typename: 'PageInfo' } },
    });
  });
});

describe('pagination', () => {
  it('keyset forwards: first/after, as in the docs', async () => {
    const q = 'query P($after: Cursor) { gql_blogCollection(first: 2, after: $after) { pageInfo { startCursor endCursor hasPreviousPage hasNextPage } edges { cursor node { id } } } }';
    const page1 = (await data('anon', q, { after: null })).gql_blogCollection;
    assert.deepEqual(ids(page1), [1, 2]);
    const page2 = (await data('anon', q, { after: page1.pageInfo.endCursor })).gql_blogCollection;
    assert.deepEqual(ids(page2), [3, 4]);
    assert.deepEqual(page2.pageInfo, { startCursor: 'WzNd', endCursor: 'WzRd', hasNextPage: false, hasPreviousPage: true });
  });

  it('keyset backwards: last/before', async () => {
    const q = 'query P($before: Cursor) { gql_blogCollection(last: 2, before: $before) { pageInfo { hasPreviousPage hasNextPage } edges { node { id } } } }';
    const last = (await data('anon', q)).gql_blogCollection;
    assert.deepEqual(ids(last), [3, 4]);
    assert.deepEqual(last.pageInfo, { hasPreviousPage: true, hasNextPage: false });
    const before = (await data('anon', q, { before: b64([3]) })).gql_blogCollection;
    assert.deepEqual(ids(before), [1, 2]);
    assert.deepEqual(before.pageInfo, { hasPreviousPage: false, hasNextPage: true });
  });

  it('cursors follow a custom order', async () => {
    const q = 'query P($after: Cursor) { gql_blogCollection(first: 1, after: $after, orderBy: [{rating: DescNullsLast}]) { edges { cursor node { id } } } }';
    const first = (await data('anon', q)).gql_blogCollection.edges[0];
    assert.deepEqual(first, { cursor: Buffer.from('[5.0, 4]').toString('base64'), node: { id: 4 } });
    const next = (await data('anon', q, { after: first.cursor })).gql_blogCollection.edges[0];
    assert.deepEqual(next.node, { id: 1 });
  });

  it('offset pagination', async () => {
    const d = await data('anon', '{ gql_blogCollection(first: 2, offset: 2) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage } } }');
    assert.deepEqual(ids(d.gql_blogCollection), [3, 4]);
    assert.deepEqual(d.gql_blogCollection.pageInfo, { hasNextPage: false, hasPreviousPage: true });
  });

  it('an empty page has no cursors and no neighbours', async () => {
    const d = await data('anon', '{ gql_blogCollection(filter: {id: {gt: 99}}) { edges { node { id } } pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } }');
    assert.deepEqual(d.gql_blogCollection, { edges: [], pageInfo: { startCursor: null, endCursor: null, hasNextPage: false, hasPreviousPage: false } });
  });

  it('refuses what pg_graphql refuses', async () => {
    assert.equal(await errorOf('anon', '{ gql_blogCollection(first: 1, last: 1) { edges { cursor } } }'), 'only one of "first" and "last" may be provided');
    assert.equal(await errorOf('anon', '{ gql_blogCollection(before: "WzFd", after: "WzFd") { edges { cursor } } }'), 'only one of "before" and "after" may be provided');
    assert.equal(await errorOf('anon', '{ gql_blogCollection(first: 1, before: "WzFd") { edges { cursor } } }'), '"first" may only be used with "after"');
    assert.equal(await errorOf('anon', '{ gql_blogCollection(last: 1, after: "WzFd") { edges { cursor } } }'), '"last" may only be used with "before"');
    assert.equal(await errorOf('anon', '{ gql_blogCollection(first: -1) { edges { cursor } } }'), '`first` must be an unsigned integer');
    assert.equal(await errorOf('anon', '{ gql_blogCollection(after: "not a cursor") { edges { cursor } } }'), 'Invalid cursor');
  });
});

describe('filtering', () => {
  const filtered = async (filter: string) => ids((await data('anon', `{ gql_blogCollection(filter: ${filter}) { edges { node { id } } } }`)).gql_blogCollection);

  it('comparison operators', async () => {
    assert.deepEqual(await filtered('{id: {lt: 3}}'), [1, 2]);
    assert.deepEqual(await filtered('{id: {lte: 2}}'), [1, 2]);
    assert.deepEqual(await filtered('{id: {gt: 3}}'), [4]);
    assert.deepEqual(await filtered('{id: {gte: 3}}'), [3, 4]);
    assert.deepEqual(await filtered('{id: {eq: 2}}'), [2]);
    assert.deepEqual(await filtered('{id: {neq: 2}}'), [1, 3, 4]);
    assert.deepEqual(await filtered('{id: {in: [1, 4, 9]}}'), [1, 4]);
    assert.deepEqual(await filtered('{visits: {gt: "9007199254740992"}}'), [1]);
    assert.deepEqual(await filtered('{rating: {gte: "4.5"}}'), [1, 4]);
  });

  it('null checks', async () => {
    assert.deepEqual(await filtered('{description: {is: NULL}}'), [3]);
    assert.deepEqual(await filtered('{description: {is: NOT_NULL}}'), [1, 2, 4]);
  });

  it('string operators', async () => {
    assert.deepEqual(await filtered('{name: {like: "A:%"}}'), [1, 2, 3]);
    assert.deepEqual(await filtered('{name: {ilike: "a:%"}}'), [1, 2, 3]);
    assert.deepEqual(await filtered('{name: {startsWith: "B"}}'), [4]);
    assert.deepEqual(await filtered('{name: {regex: "Blog [12]$"}}'), [1, 2]);
    assert.deepEqual(await filtered('{name: {iregex: "^b:"}}'), [4]);
    // A pattern is a value, never SQL.
    assert.deepEqual(await filtered(`{name: {eq: "x' or 1=1 --"}}`), []);
  });

  it('array operators: contains, containedBy, overlaps (with a scalar too)', async () => {
    assert.deepEqual(await filtered('{tags: {contains: ["tech", "innovation"]}}'), [1, 2]);
    assert.deepEqual(await filtered('{tags: {contains: "tech"}}'), [1, 2]);
    assert.deepEqual(await filtered('{tags: {containedBy: ["entrepreneurship", "innovation", "tech"]}}'), [1, 2, 3]);
    assert.deepEqual(await filtered('{tags: {containedBy: "travel"}}'), [4]);
    assert.deepEqual(await filtered('{tags: {overlaps: ["tech", "travel"]}}'), [1, 2, 4]);
  });

  it('and, or, not', async () => {
    assert.deepEqual(await filtered('{and: [{id: {gt: 1}}, {id: {lt: 4}}]}'), [2, 3]);
    assert.deepEqual(await filtered('{or: [{id: {eq: 1}}, {name: {startsWith: "B"}}]}'), [1, 4]);
    assert.deepEqual(await filtered('{not: {id: {eq: 1}}}'), [2, 3, 4]);
    assert.deepEqual(await filtered('{id: {gt: 1}, or: [{id: {eq: 2}}, {id: {eq: 4}}], not: {name: {eq: "A: Blog 2"}}}'), [4]);
  });

  it('by nodeId', async () => {
    assert.deepEqual(await filtered(`{nodeId: {eq: "${b64(['public', 'gql_blog', 3])}"}}`), [3]);
    // Another table's nodeId matches nothing.
    assert.deepEqual(await filtered(`{nodeId: {eq: "${b64(['public', 'gql_secret', 3])}"}}`), []);
  });

  it('enums filter by their values', async () => {
    const d = await data('anon', '{ gql_blog_postCollection(filter: {status: {eq: PUBLISHED}}) { edges { node { title status } } } }');
    assert.deepEqual(d.gql_blog_postCollection.edges.map((e: { node: { status: string } }) => e.node.status), ['PUBLISHED', 'PUBLISHED', 'PUBLISHED']);
  });
});

describe('ordering', () => {
  it('orderBy with nulls placement, the primary key breaking ties', async () => {
    const q = (o: string) => `{ gql_blogCollection(orderBy: ${o}) { edges { node { id } } } }`;
    assert.deepEqual(ids((await data('anon', q('[{id: DescNullsLast}]'))).gql_blogCollection), [4, 3, 2, 1]);
    assert.deepEqual(ids((await data('anon', q('[{description: AscNullsFirst}]'))).gql_blogCollection), [3, 1, 2, 4]);
    assert.deepEqual(ids((await data('anon', q('[{description: AscNullsLast}]'))).gql_blogCollection), [1, 2, 4, 3]);
    assert.deepEqual(ids((await data('anon', q('[{visits: DescNullsFirst}, {id: AscNullsLast}]'))).gql_blogCollection), [1, 4, 2, 3]);
  });

  it('one column per orderBy element', async () => {
    assert.match(await errorOf('anon', '{ gql_blogCollection(orderBy: [{id: AscNullsLast, name: AscNullsLast}]) { edges { cursor } } }'), /orderBy/);
  });
});

describe('nodes and relationships', () => {
  it('node(nodeId:) with an inline fragment', async () => {
    const nodeId = b64(['public', 'gql_blog', 1]);
    const d = await data('anon', `{ node(nodeId: "${nodeId}") { nodeId __typename ... on gql_blog { name description } } }`);
    assert.deepEqual(d.node, { nodeId, __typename: 'gql_blog', name: 'A: Blog 1', description: 'a desc1' });
    const missing = await data('anon', `{ node(nodeId: "${b64(['public', 'gql_blog', 99])}") { nodeId } }`);
    assert.equal(missing.node, null);
  });

  it('one-to-many as a collection, many-to-one as an object', async () => {
    const d = await data('anon', `{
      gql_blogCollection(filter: {id: {eq: 1}}) {
        edges { node { name gql_blog_postCollection(orderBy: [{title: AscNullsLast}]) { edges { node { title gql_blog { id } } } } } }
      }
    }`);
    assert.deepEqual(d.gql_blogCollection.edges[0].node, {
      name: 'A: Blog 1',
      gql_blog_postCollection: {
        edges: [
          { node: { title: 'fIr3t p0sT', gql_blog: { id: 1 } } },
          { node: { title: 'graphql with postgres', gql_blog: { id: 1 } } },
        ],
      },
    });
  });

  it('nested collections take their own arguments', async () => {
    const d = await data('anon', '{ gql_blogCollection(first: 1) { edges { node { gql_blog_postCollection(first: 1, filter: {title: {startsWith: "graphql"}}) { edges { node { title } } pageInfo { hasNextPage } } } } } }');
    assert.deepEqual(d.gql_blogCollection.edges[0].node.gql_blog_postCollection, { edges: [{ node: { title: 'graphql with postgres' } }], pageInfo: { hasNextPage: false } });
  });
});

describe('primary key queries', () => {
  it('<table>ByPk returns the row, or null', async () => {
    const d = await data('anon', '{ gql_blogByPk(id: 1) { id name description } missing: gql_blogByPk(id: 999) { id } }');
    assert.deepEqual(d, { gql_blogByPk: { id: 1, name: 'A: Blog 1', description: 'a desc1' }, missing: null });
  });

  it('RLS applies: a learner cannot read another learner\'s draft by its key', async () => {
    const q = '{ gql_blog_postByPk(id: "00000000-0000-4000-8000-000000000003") { title } }';
    assert.deepEqual(await data('alice', q), { gql_blog_postByPk: { title: 'alice draft' } });
    assert.deepEqual(await data('bob', q), { gql_blog_postByPk: null });
    assert.match(await errorOf('anon', '{ gql_blogByPk { id } }'), /argument "id" of type "Int!" is required/);
  });
});

describe('custom scalars', () => {
  it('BigInt and BigFloat are strings, JSON is serialized, Datetime and UUID as text', async () => {
    const d = await data('anon', '{ gql_blogCollection(first: 1) { edges { node { visits rating config created_at tags } } } gql_blog_postCollection(first: 1) { edges { node { id created_at } } } }');
    assert.deepEqual(d.gql_blogCollection.edges[0].node, {
      visits: '9007199254740993',
      rating: '4.5',
      config: '{"palette": "dark-mode"}',
      created_at: '2023-07-24T04:01:09.882781',
      tags: ['tech', 'innovation'],
    });
    assert.deepEqual(d.gql_blog_postCollection.edges[0].node, { id: '00000000-0000-4000-8000-000000000001', created_at: '2024-01-01T00:00:00+00:00' });
  });
});

describe('functions', () => {
  it('stable and immutable functions are queries; arguments without defaults are required', async () => {
    assert.deepEqual(await data('anon', '{ gql_add_nums(a: 2, b: 3) }'), { gql_add_nums: 5 });
    assert.deepEqual(await data('anon', '{ gql_add_nums_defaults }'), { gql_add_nums_defaults: 3 });
    assert.deepEqual(await data('anon', '{ gql_add_nums_defaults(b: 10) }'), { gql_add_nums_defaults: 11 });
    assert.match(await errorOf('anon', '{ gql_add_nums(a: 2) }'), /argument "b" of type "Int!" is required/);
  });

  it('a function returning a row is an object, a set of rows a collection', async () => {
    const d = await data('anon', '{ gql_blog_by_id(blog_id: 2) { id name nodeId } none: gql_blog_by_id(blog_id: 99) { id } gql_blogs_by_name(pattern: "A:%", first: 2, orderBy: [{id: DescNullsLast}]) { edges { node { id } } } }');
    assert.deepEqual(d, {
      gql_blog_by_id: { id: 2, name: 'A: Blog 2', nodeId: b64(['public', 'gql_blog', 2]) },
      none: null,
      gql_blogs_by_name: { edges: [{ node: { id: 3 } }, { node: { id: 2 } }] },
    });
  });

  it('functions run with the request settings, as REST RPCs do', async () => {
    const who = JSON.parse((await data('alice', '{ gql_whoami }')).gql_whoami as string);
    assert.deepEqual(who, { role: 'authenticated', sub: '00000000-0000-4000-8000-00000000a11c', method: 'POST' });
    const anon = JSON.parse((await data('anon', '{ gql_whoami }')).gql_whoami as string);
    assert.deepEqual(anon, { role: 'anon', sub: null, method: 'POST' });
  });
});

describe('errors', () => {
  it('answers 200 with data null and one message, as pg_graphql', async () => {
    const syntax = await gql('anon', '{ gql_blogCollection { ');
    assert.equal(syntax.status, 200);
    assert.equal(syntax.body.data, null);
    assert.match(syntax.body.errors?.[0]?.message ?? '', /Syntax Error/);
    assert.deepEqual(Object.keys(syntax.body.errors?.[0] ?? {}), ['message']);
    assert.equal(await errorOf('anon', '{ account { id } }'), 'Unknown field "account" on type Query');
    assert.equal(await errorOf('anon', '{ gql_blogCollection { edges { node { nope } } } }'), 'Unknown field "nope" on type gql_blog');
  });

  it('operationName picks the operation; an unknown one is an error', async () => {
    const doc = 'query A { a: gql_add_nums(a: 1, b: 1) } query B { b: gql_add_nums(a: 2, b: 2) }';
    const r = await gql('anon', doc, undefined, { operationName: 'B' });
    assert.deepEqual(r.body, { data: { b: 4 } });
    assert.equal((await gql('anon', doc, undefined, { operationName: 'C' })).body.errors?.[0]?.message, 'Operation not found');
  });

  it('as the PostgREST RPC it is on hosted Supabase: POST only, a JSON body', async () => {
    const url = `${process.env.SUPABASE_URL}/graphql/v1`;
    const headers = { apikey: process.env.ANON_KEY ?? '', 'Content-Type': 'application/json' };
    const get = await fetch(`${url}?query={__typename}`, { headers });
    assert.equal(get.status, 405);
    assert.equal(((await get.json()) as { code: string }).code, 'PGRST101');
    const bad = await fetch(url, { method: 'POST', headers, body: '{not json' });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { code: string }).code, 'PGRST102');
    // Without any key or token the caller is anon, as for /rest/v1.
    const keyless = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query: '{ gql_add_nums(a: 1, b: 2) }' }) });
    assert.deepEqual(await keyless.json(), { data: { gql_add_nums: 3 } });
  });

  it('a bad token is refused before GraphQL, like PostgREST', async () => {
    const r = await fetch(`${process.env.SUPABASE_URL}/graphql/v1`, {
      method: 'POST',
      headers: { apikey: process.env.ANON_KEY ?? '', Authorization: 'Bearer not-a-jwt', 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    assert.equal(r.status, 401);
    assert.equal(((await r.json()) as { code: string }).code, 'PGRST301');
  });
});
