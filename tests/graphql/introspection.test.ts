// Introspection, as GraphiQL and code generators run it: the full introspection query builds a
// client schema with pg_graphql's types, per role.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { buildClientSchema, getIntrospectionQuery, printType, type IntrospectionQuery } from 'graphql';
import { data, useFixtures } from './fixtures.ts';

useFixtures();

async function clientSchema(role: 'anon' | 'alice' | 'service') {
  return buildClientSchema((await data(role, getIntrospectionQuery())) as unknown as IntrospectionQuery);
}

describe('introspection', () => {
  it("GraphiQL's introspection query yields a schema with pg_graphql's types", async () => {
    const schema = await clientSchema('alice');
    const type = (name: string) => {
      const t = schema.getType(name);
      assert.ok(t, `${name} is missing`);
      return printType(t);
    };
    assert.equal(
      type('gql_blogConnection'),
      'type gql_blogConnection {\n  edges: [gql_blogEdge!]!\n  pageInfo: PageInfo!\n\n  """The total number of records matching the `filter` criteria"""\n  totalCount: Int!\n}',
    );
    assert.match(type('gql_blog'), /type gql_blog implements Node \{\n {2}"""Globally Unique Record Identifier"""\n {2}nodeId: ID!\n {2}id: Int!/);
    assert.match(type('gql_blog'), /visits: BigInt!\n {2}rating: BigFloat\n {2}config: JSON\n {2}created_at: Datetime!/);
    assert.match(type('gql_blog'), /gql_blog_postCollection\(\n[\s\S]*first: Int[\s\S]*filter: gql_blog_postFilter[\s\S]*orderBy: \[gql_blog_postOrderBy!\]\n {2}\): gql_blog_postConnection!/);
    assert.match(type('gql_blog_post'), /gql_blog: gql_blog\n/);
    assert.match(type('gql_blogFilter'), /nodeId: IDFilter[\s\S]*and: \[gql_blogFilter!\][\s\S]*or: \[gql_blogFilter!\][\s\S]*not: gql_blogFilter/);
    assert.equal(type('StringFilter').replace(/"""[\s\S]*?"""\n/g, ''), 'input StringFilter {\n  eq: String\n  gt: String\n  gte: String\n  ilike: String\n  in: [String!]\n  iregex: String\n  is: FilterIs\n  like: String\n  lt: String\n  lte: String\n  neq: String\n  regex: String\n  startsWith: String\n}');
    assert.equal(type('UUIDFilter').replace(/"""[\s\S]*?"""\n/g, ''), 'input UUIDFilter {\n  eq: UUID\n  in: [UUID!]\n  is: FilterIs\n  neq: UUID\n}');
    assert.match(type('StringListFilter'), /containedBy: \[String!\]\n {2}contains: \[String!\]\n {2}eq: \[String!\]\n {2}is: FilterIs\n {2}overlaps: \[String!\]/);
    assert.match(type('OrderByDirection'), /AscNullsFirst[\s\S]*AscNullsLast[\s\S]*DescNullsFirst[\s\S]*DescNullsLast/);
    assert.match(type('gql_post_status'), /enum gql_post_status \{\n {2}DRAFT\n {2}PUBLISHED\n\}/);
    assert.match(type('Mutation'), /insertIntogql_blog_postCollection\(objects: \[gql_blog_postInsertInput!\]!\): gql_blog_postInsertResponse\n/);
    assert.match(type('Mutation'), /updategql_blogCollection\([\s\S]*set: gql_blogUpdateInput![\s\S]*filter: gql_blogFilter[\s\S]*atMost: Int! = 1\n {2}\): gql_blogUpdateResponse!/);
    assert.match(type('Mutation'), /deleteFromgql_blogCollection\([\s\S]*atMost: Int! = 1\n {2}\): gql_blogDeleteResponse!/);
    assert.match(type('gql_blogDeleteResponse'), /affectedCount: Int![\s\S]*records: \[gql_blog!\]!/);
    assert.match(type('Query'), /gql_blogCollection\([\s\S]*?\): gql_blogConnection!\n/);
    assert.match(type('Query'), /node\([\s\S]*nodeId: ID!\n {2}\): Node/);
    assert.match(type('Query'), /gql_add_nums\(a: Int!, b: Int!\): Int/);
    assert.match(type('Query'), /gql_add_nums_defaults\(a: Int, b: Int\): Int/);
    assert.match(type('Mutation'), /gql_add_blog\(name: String!\): gql_blog/);
    for (const scalar of ['BigInt', 'BigFloat', 'UUID', 'Datetime', 'JSON', 'Cursor']) assert.ok(schema.getType(scalar), scalar);
  });

  it('each role introspects only what it may use', async () => {
    const anon = await clientSchema('anon');
    const alice = await clientSchema('alice');
    const service = await clientSchema('service');
    assert.equal(anon.getType('gql_secret'), undefined);
    assert.equal(alice.getType('gql_secret'), undefined);
    assert.ok(service.getType('gql_secret'));
    // Generated and identity-always columns are not inputs; RLS-protected tables stay writable to learners.
    assert.ok(alice.getType('gql_blog_postInsertInput'));
    assert.equal(anon.getType('gql_blog_postInsertInput'), undefined);
    assert.equal(anon.getMutationType()?.getFields().gql_add_blog, undefined);
    assert.ok(alice.getMutationType()?.getFields().gql_add_blog);
    assert.ok(alice.getQueryType()?.getFields().gql_whoami);
    assert.equal(alice.getQueryType()?.getFields().gql_secret_count, undefined);
  });
});
