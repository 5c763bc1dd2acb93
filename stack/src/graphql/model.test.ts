// pg_graphql's naming, with and without `inflect_names`, and its exposure rules (primary key
// required, views by directive, privileges), on a schema cache built without a database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { printSchema } from 'graphql';
import { buildSchemaCache, type Column, type RawSchema, type TableRow } from '../rest/schema-cache.ts';
import type { Catalog } from './catalog.ts';
import { buildModel } from './model.ts';
import { baseTypeName, commentDirective, foreignKeyFieldName } from './names.ts';
import { runGraphql } from './index.ts';
import { buildSchema } from './schema.ts';

const TYPNAME: Record<string, string> = { integer: 'int4', bigint: 'int8', text: 'text', uuid: 'uuid', 'text[]': '_text' };

function col(name: string, position: number, type: string, nullable = true): Column {
  return { name, position, description: null, nullable, type, dataType: type, baseType: TYPNAME[type] ?? type, maxLength: null, default: null, enum: [], generated: false };
}

function table(name: string, columns: Column[], pk: string[], extra: Partial<TableRow> = {}): TableRow {
  return { schema: 'public', name, kind: 'r', description: null, insertable: true, updatable: true, deletable: true, columns, pk, ...extra };
}

function raw(schemaComment: string | null): RawSchema {
  return {
    tables: [
      table('blog', [col('id', 1, 'integer', false), col('owner_id', 2, 'uuid'), col('display_name', 3, 'text')], ['id']),
      table('blog_post', [col('id', 1, 'integer', false), col('blog_id', 2, 'integer', false), col('title', 3, 'text', false), col('tags', 4, 'text[]')], ['id']),
      table('blog_detail', [col('blog_id', 1, 'integer', false), col('body', 2, 'text')], ['blog_id']),
      table('no_key', [col('x', 1, 'integer')], []),
      table('blog_view', [col('id', 1, 'integer'), col('display_name', 2, 'text')], [], { kind: 'v', description: '@graphql({"primary_key_columns": ["id"]})' }),
      table('hidden', [col('id', 1, 'integer', false)], ['id']),
    ],
    foreignKeys: [
      { table_schema: 'public', table_name: 'blog_post', foreign_table_schema: 'public', foreign_table_name: 'blog', is_self: false, constraint_name: 'blog_post_blog_id_fkey', cols_and_fcols: [['blog_id', 'id']], one_to_one: false },
      { table_schema: 'public', table_name: 'blog_detail', foreign_table_schema: 'public', foreign_table_name: 'blog', is_self: false, constraint_name: 'blog_detail_blog_id_fkey', cols_and_fcols: [['blog_id', 'id']], one_to_one: true },
    ],
    routines: [
      { schema: 'public', name: '_get_post_count', description: null, args: [['p_blog_id', 'integer', 'i']], nargs: 1, nargdefaults: 0, volatility: 's', returns_set: false, return_type: 'int4', returns_composite: false, return_rel_schema: null, return_rel_name: null, return_rel_kind: null, return_rel_columns: null },
      { schema: 'public', name: 'add_post', description: null, args: [['title', 'text', 'i']], nargs: 1, nargdefaults: 0, volatility: 'v', returns_set: false, return_type: 'blog_post', returns_composite: true, return_rel_schema: 'public', return_rel_name: 'blog_post', return_rel_kind: 'r', return_rel_columns: null },
      { schema: 'public', name: 'secret_fn', description: null, args: [], nargs: 0, nargdefaults: 0, volatility: 's', returns_set: false, return_type: 'int4', returns_composite: false, return_rel_schema: null, return_rel_name: null, return_rel_kind: null, return_rel_columns: null },
    ],
    types: [],
    schemas: [{ schema: 'public', description: schemaComment }],
    timezones: [],
  };
}

const all = { select: true, insert: true, update: true };
function catalog(cache: RawSchema): Catalog {
  return {
    enums: [],
    tables: cache.tables.map((t) => ({
      schema: t.schema,
      name: t.name,
      ...(t.name === 'hidden' ? { select: false, insert: false, update: false } : all),
      delete: t.name !== 'hidden',
      columns: t.columns.map((c) => ({ name: c.name, type: c.baseType.replace(/^_/, ''), element: c.baseType.startsWith('_') ? c.baseType.slice(1) : null, ...all })),
    })),
    functions: [
      { schema: 'public', name: '_get_post_count', execute: true, returns: 'int4', returnsElement: null, argTypes: ['int4'], argElements: [null], overloaded: false },
      { schema: 'public', name: 'add_post', execute: true, returns: 'blog_post', returnsElement: null, argTypes: ['text'], argElements: [null], overloaded: false },
      { schema: 'public', name: 'secret_fn', execute: false, returns: 'int4', returnsElement: null, argTypes: [], argElements: [], overloaded: false },
    ],
  };
}

function sdl(schemaComment: string | null): string {
  const r = raw(schemaComment);
  return printSchema(buildSchema(buildModel(buildSchemaCache(r, ['public']), catalog(r))).schema);
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

describe('introspection directive', () => {
  const run = async (comment: string | null, query: string) => {
    const r = raw(comment);
    const built = buildSchema(buildModel(buildSchemaCache(r, ['public']), catalog(r)));
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
