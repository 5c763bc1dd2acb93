// Mutations (docs/api.md: insert, update, delete with atMost; docs/functions.md: volatile
// functions) and row level security through /graphql/v1, as anon, two learners and the service
// role: what one learner may read or change, the other may not, and the schema each role is
// shown holds only what it has privileges on.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import pg from 'pg';
import { env } from '../support/env.ts';
import { data, errorOf, gql, USERS, useFixtures, type Role } from './fixtures.ts';

useFixtures();

const posts = async (role: Role) =>
  (await data(role, '{ gql_blog_postCollection(orderBy: [{title: AscNullsLast}]) { edges { node { title } } } }')).gql_blog_postCollection.edges.map(
    (e: { node: { title: string } }) => e.node.title,
  );

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: env.DB_URL });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

describe('row level security on reads', () => {
  it('anon sees published posts, each learner also their own drafts, the service role everything', async () => {
    const published = ['bob published', 'fIr3t p0sT', 'graphql with postgres'];
    assert.deepEqual(await posts('anon'), published);
    assert.deepEqual(await posts('alice'), ['alice draft', ...published]);
    assert.deepEqual(await posts('bob'), ['bob draft', ...published]);
    assert.deepEqual(await posts('service'), ['alice draft', 'bob draft', ...published]);
  });

  it("a learner cannot reach another's draft by nodeId, filter or relationship", async () => {
    const aliceDraft = Buffer.from('["public", "gql_blog_post", "00000000-0000-4000-8000-000000000003"]').toString('base64');
    assert.equal((await data('bob', `{ node(nodeId: "${aliceDraft}") { nodeId } }`)).node, null);
    assert.notEqual((await data('alice', `{ node(nodeId: "${aliceDraft}") { nodeId } }`)).node, null);
    const byFilter = await data('bob', '{ gql_blog_postCollection(filter: {body: {like: "secret%"}}) { edges { node { body } } } }');
    assert.deepEqual(byFilter.gql_blog_postCollection.edges, [{ node: { body: 'secret bob' } }]);
    const viaBlog = await data('bob', '{ gql_blogCollection(filter: {id: {eq: 1}}) { totalCount edges { node { gql_blog_postCollection { edges { node { title } } } } } } }');
    assert.deepEqual(viaBlog.gql_blogCollection.edges[0].node.gql_blog_postCollection.edges.map((e: { node: { title: string } }) => e.node.title), [
      'fIr3t p0sT',
      'graphql with postgres',
    ]);
  });

  it('the same read through REST and GraphQL returns the same rows for every role', async () => {
    for (const role of ['anon', 'alice', 'bob', 'service'] as const) {
      const token = role === 'anon' ? env.ANON_KEY : role === 'service' ? env.SERVICE_ROLE_KEY : await (await import('./fixtures.ts')).bearer(role);
      const r = await fetch(`${env.SUPABASE_URL}/rest/v1/gql_blog_post?select=title&order=title`, { headers: { apikey: env.ANON_KEY, Authorization: `Bearer ${token}` } });
      const rest = ((await r.json()) as { title: string }[]).map((x) => x.title);
      assert.deepEqual(await posts(role), rest, role);
    }
  });
});

describe('the schema a role is shown', () => {
  it('a table without privileges does not exist for anon or learners, but does for the service role', async () => {
    assert.equal(await errorOf('anon', '{ gql_secretCollection { edges { node { id } } } }'), 'Unknown field "gql_secretCollection" on type Query');
    assert.equal(await errorOf('alice', '{ gql_secretCollection { edges { node { id } } } }'), 'Unknown field "gql_secretCollection" on type Query');
    assert.deepEqual((await data('service', '{ gql_secretCollection { edges { node { note } } } }')).gql_secretCollection.edges, [{ node: { note: 'only the service role' } }]);
  });

  it('anon has no mutations on tables it may not write, nor functions it may not execute', async () => {
    // Other fixtures may grant anon writes elsewhere, so look at what anon's schema offers here.
    const mutationType = (await data('anon', '{ __schema { mutationType { fields { name } } } }')).__schema.mutationType as { fields: { name: string }[] } | null;
    const anonMutations = (mutationType?.fields ?? []).map((f) => f.name);
    for (const name of ['insertIntogql_blog_postCollection', 'updategql_blogCollection', 'deleteFromgql_blogCollection', 'gql_add_blog']) {
      assert.equal(anonMutations.includes(name), false, name);
    }
    assert.match(
      await errorOf('anon', 'mutation { insertIntogql_blog_postCollection(objects: [{title: "x", blog_id: 1}]) { affectedCount } }'),
      /^(Unknown field "insertIntogql_blog_postCollection" on type Mutation|Schema is not configured to execute mutation operation\.)$/,
    );
    assert.equal(await errorOf('alice', 'mutation { insertIntogql_secretCollection(objects: [{id: 2}]) { affectedCount } }'), 'Unknown field "insertIntogql_secretCollection" on type Mutation');
    assert.equal(await errorOf('alice', '{ gql_secret_count }'), 'Unknown field "gql_secret_count" on type Query');
    assert.deepEqual(await data('service', '{ gql_secret_count }'), { gql_secret_count: 1 });
  });
});

describe('mutations', () => {
  it('insertInto…Collection: affectedCount and records, defaults and RLS applied', async () => {
    const d = await data(
      'alice',
      `mutation Add($objects: [gql_blog_postInsertInput!]!) {
        insertIntogql_blog_postCollection(objects: $objects) { affectedCount records { title status owner_id gql_blog { name } } }
      }`,
      { objects: [{ title: 'foo', blog_id: 2 }, { title: 'bar', blog_id: 2, status: 'PUBLISHED' }] },
    );
    assert.deepEqual(d.insertIntogql_blog_postCollection, {
      affectedCount: 2,
      records: [
        { title: 'foo', status: 'DRAFT', owner_id: USERS.alice, gql_blog: { name: 'A: Blog 2' } },
        { title: 'bar', status: 'PUBLISHED', owner_id: USERS.alice, gql_blog: { name: 'A: Blog 2' } },
      ],
    });
    assert.deepEqual((await sql<{ n: string }>("select count(*) as n from public.gql_blog_post where title in ('foo', 'bar') and owner_id = $1", [USERS.alice]))[0]?.n, '2');
    // Bob sees Alice's published post only.
    const bobSees = await data('bob', '{ gql_blog_postCollection(filter: {title: {in: ["foo", "bar"]}}) { edges { node { title } } } }');
    assert.deepEqual(bobSees.gql_blog_postCollection.edges, [{ node: { title: 'bar' } }]);
  });

  it("inserting as someone else is refused by RLS and nothing is written", async () => {
    const message = await errorOf('bob', `mutation { insertIntogql_blog_postCollection(objects: [{title: "forged", blog_id: 1, owner_id: "${USERS.alice}"}]) { affectedCount } }`);
    assert.equal(message, 'new row violates row-level security policy for table "gql_blog_post"');
    assert.equal((await sql("select 1 from public.gql_blog_post where title = 'forged'")).length, 0);
  });

  it('update…Collection: set, filter, atMost; another learner\'s rows are not matched', async () => {
    const d = await data('alice', 'mutation { updategql_blogCollection(set: {description: "baz"}, filter: {id: {eq: 1}}) { affectedCount records { id description } } }');
    assert.deepEqual(d.updategql_blogCollection, { affectedCount: 1, records: [{ id: 1, description: 'baz' }] });
    // Blog 3 is Bob's: Alice's update matches nothing.
    const none = await data('alice', 'mutation { updategql_blogCollection(set: {description: "hijacked"}, filter: {id: {eq: 3}}) { affectedCount } }');
    assert.deepEqual(none.updategql_blogCollection, { affectedCount: 0 });
    assert.equal((await sql<{ description: string | null }>('select description from public.gql_blog where id = 3'))[0]?.description, null);
  });

  it('atMost: impacting more records is an error and rolls back', async () => {
    assert.equal(await errorOf('alice', 'mutation { updategql_blogCollection(set: {description: "many"}, filter: {id: {in: [1, 2]}}) { affectedCount } }'), 'update impacts too many records');
    assert.equal((await sql("select 1 from public.gql_blog where description = 'many'")).length, 0);
    const ok = await data('alice', 'mutation { updategql_blogCollection(set: {description: "many"}, filter: {id: {in: [1, 2]}}, atMost: 2) { affectedCount } }');
    assert.equal(ok.updategql_blogCollection.affectedCount, 2);
    assert.equal(await errorOf('service', 'mutation { deleteFromgql_blog_postCollection(filter: {status: {eq: DRAFT}}) { affectedCount } }'), 'delete impacts too many records');
    assert.equal(await errorOf('alice', 'mutation { updategql_blogCollection(set: {}) { affectedCount } }'), 'At least one mapping must be provided to set argument');
    assert.equal(await errorOf('alice', 'mutation { insertIntogql_blogCollection(objects: []) { affectedCount } }'), 'At least one record must be provided to objects');
  });

  it('deleteFrom…Collection removes only what RLS lets the caller delete', async () => {
    const bobTries = await data('bob', 'mutation { deleteFromgql_blog_postCollection(filter: {title: {eq: "fIr3t p0sT"}}) { affectedCount } }');
    assert.equal(bobTries.deleteFromgql_blog_postCollection.affectedCount, 0);
    const d = await data('alice', 'mutation { deleteFromgql_blog_postCollection(filter: {title: {eq: "foo"}}) { affectedCount records { title } } }');
    assert.deepEqual(d.deleteFromgql_blog_postCollection, { affectedCount: 1, records: [{ title: 'foo' }] });
    assert.equal((await sql("select 1 from public.gql_blog_post where title = 'foo'")).length, 0);
  });

  it('several mutations run in order in one transaction; a failure undoes the ones before it', async () => {
    const r = await gql(
      'alice',
      `mutation {
        a: insertIntogql_blog_postCollection(objects: [{title: "first of two", blog_id: 1}]) { affectedCount }
        b: insertIntogql_blog_postCollection(objects: [{title: "second of two", blog_id: 1, owner_id: "${USERS.bob}"}]) { affectedCount }
      }`,
    );
    assert.deepEqual(r.body, { data: null, errors: [{ message: 'new row violates row-level security policy for table "gql_blog_post"' }] });
    assert.equal((await sql("select 1 from public.gql_blog_post where title = 'first of two'")).length, 0);
  });

  it('volatile functions are mutations and run as the caller', async () => {
    const d = await data('bob', 'mutation { gql_add_blog(name: "bob via function") { name owner_id } }');
    assert.deepEqual(d.gql_add_blog, { name: 'bob via function', owner_id: USERS.bob });
  });

  it('the service role bypasses RLS', async () => {
    const d = await data('service', `mutation { updategql_blogCollection(set: {description: "by service"}, filter: {id: {eq: 3}}) { affectedCount } }`);
    assert.equal(d.updategql_blogCollection.affectedCount, 1);
  });

  it('a mutation sent as a query is unknown', async () => {
    assert.match(await errorOf('alice', '{ insertIntogql_blogCollection(objects: [{name: "x"}]) { affectedCount } }'), /Unknown field "insertIntogql_blogCollection" on type Query/);
  });
});
