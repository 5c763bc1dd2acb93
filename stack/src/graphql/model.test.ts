// pg_graphql's naming, with and without `inflect_names`, and its exposure rules (primary key
// required, views by directive, privileges), on a schema cache built without a database.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { printSchema } from 'graphql';
import { baseTypeName, commentDirective, foreignKeyFieldName } from './names.ts';
import { runGraphql } from './index.ts';
import { buildSchemaCache } from '../rest/schema-cache.ts';
import { buildModel } from './model.ts';
import { buildSchema } from './schema.ts';
import { builtSchema, catalog, raw } from './test-fixtures.ts';

function sdl(schemaComment: string | null): string {
  return printSchema(builtSchema(schemaComment).schema);
}

describe('names', () => {
  it('inflects snake_case to PascalCase types, as pg_graphql', () => {
    assert.equal(baseTypeName('account_holder', true), 'AccountHolder');
    assert.equal(baseTypeName('account_BY_email', true), 'AccountBYEmail');
    assert.equal(baseTypeName('account_holder', false), 'account_holder');
  });

  it('names foreign key fields from the column, else the table', () => {
    assert.equal(foreignKeyFieldName({ targetTypeBase: 'Blog', columns: ['blog_id'], inflect: true, unique: true }), 'blog');
    assert.equal(foreignKeyFieldName({ targetTypeBase: 'Person', columns: ['author_id'], inflect: true, unique: true }), 'author');
    assert.equal(foreignKeyFieldName({ targetTypeBase: 'blog', columns: ['blogId'], inflect: false, unique: true }), 'blog');
    assert.equal(foreignKeyFieldName({ targetTypeBase: 'blog', columns: ['blog_id'], inflect: false, unique: true }), 'blog');
    assert.equal(foreignKeyFieldName({ targetTypeBase: 'BlogPost', columns: ['id'], inflect: true, unique: false }), 'blogPostCollection');
  });

  it('reads comment directives and keeps the rest as the description', () => {
    assert.deepEqual(commentDirective('Blogs\n@graphql({"totalCount": {"enabled": true}})'), { directive: { totalCount: { enabled: true } }, description: 'Blogs' });
    assert.deepEqual(commentDirective('plain'), { directive: {}, description: 'plain' });
    assert.deepEqual(commentDirective('@graphql(not json)'), { directive: {}, description: '@graphql(not json)' });
  });
});

describe('the schema with inflect_names', () => {
  const schema = sdl('@graphql({"inflect_names": true})');

  it('types, collections and mutations in PascalCase and camelCase', () => {
    assert.match(schema, /type BlogPost implements Node \{\n {2}"""Globally Unique Record Identifier"""\n {2}nodeId: ID!\n {2}id: Int!\n {2}blogId: Int!\n {2}title: String!\n {2}tags: \[String\]\n {2}blog: Blog\n\}/);
    assert.match(schema, /blogPostCollection\(/);
    assert.match(schema, /insertIntoBlogPostCollection\(objects: \[BlogPostInsertInput!\]!\): BlogPostInsertResponse/);
    assert.match(schema, /updateBlogPostCollection\(/);
    assert.match(schema, /deleteFromBlogPostCollection\(/);
    assert.match(schema, /displayName: String/);
  });

  it('relationships: to-many as a collection, a unique key as one object, both ways', () => {
    assert.match(schema, /type Blog implements Node \{[\s\S]*blogPostCollection\([\s\S]*\): BlogPostConnection!\n[\s\S]*blogDetail: BlogDetail\n\}/);
    assert.match(schema, /type BlogDetail implements Node \{[\s\S]*blog: Blog\n\}/);
  });

  it('functions: leading underscore dropped, arguments inflected; volatile ones are mutations', () => {
    assert.match(schema, /type Query \{[\s\S]*getPostCount\(pBlogId: Int!\): Int/);
    assert.match(schema, /type Mutation \{[\s\S]*addPost\(title: String!\): BlogPost/);
  });

  it('what pg_graphql leaves out: no primary key, no privileges, no EXECUTE', () => {
    assert.doesNotMatch(schema, /NoKey|noKey/);
    assert.doesNotMatch(schema, /Hidden/);
    assert.doesNotMatch(schema, /secretFn/);
    // A view takes its key from the primary_key_columns directive.
    assert.match(schema, /blogViewCollection\(/);
  });
});

describe('the schema without inflection (the default)', () => {
  const schema = sdl(null);

  it('keeps SQL names', () => {
    assert.match(schema, /type blog_post implements Node \{[\s\S]*blog_id: Int![\s\S]*blog: blog\n\}/);
    assert.match(schema, /blog_postCollection\(/);
    assert.match(schema, /insertIntoblog_postCollection\(objects: \[blog_postInsertInput!\]!\): blog_postInsertResponse/);
    assert.match(schema, /get_post_count\(p_blog_id: Int!\): Int/);
    assert.match(schema, /type blog implements Node \{[\s\S]*blog_postCollection\([\s\S]*blog_detail: blog_detail\n\}/);
  });
});

describe('a role that may write nothing', () => {
  it('has no Mutation type, as in pg_graphql', () => {
    const r = raw(null);
    const readOnly = catalog(r);
    readOnly.tables = readOnly.tables.map((t) => ({ ...t, insert: false, update: false, delete: false, columns: t.columns.map((c) => ({ ...c, insert: false, update: false })) }));
    readOnly.functions = readOnly.functions.filter((f) => f.name !== 'add_post');
    const built = buildSchema(buildModel(buildSchemaCache(r, ['public']), readOnly));
    assert.equal(built.schema.getMutationType(), undefined);
  });
});

describe('introspection directive', () => {
  const run = async (comment: string | null, query: string) => {
    const built = builtSchema(comment);
    const runner = { query: async () => { throw new Error('no database here'); } };
    return runGraphql(built, runner, { query });
  };

  it('is off unless the schema opts in, as pg_graphql', async () => {
    assert.deepEqual(await run(null, '{ __schema { queryType { name } } }'), { data: null, errors: [{ message: 'Unknown field "__schema" on type Query' }] });
    assert.deepEqual(await run(null, '{ __type(name: "blog") { name } }'), { data: null, errors: [{ message: 'Unknown field "__type" on type Query' }] });
    const on = await run('@graphql({"introspection": true})', '{ __schema { queryType { name } } }');
    assert.deepEqual(JSON.parse(JSON.stringify(on)), { data: { __schema: { queryType: { name: 'Query' } } } });
  });
});
