// A small schema for the GraphQL modules' unit tests (no database): blog ← blog_post (one-to-many),
// blog ← blog_detail (one-to-one), a table without a key, a view keyed by directive, a table the
// role may not read, and three functions (a query, a mutation, one without EXECUTE).
import { buildSchemaCache, type Column, type RawSchema, type TableRow } from '../schema-cache.ts';
import type { Catalog } from './catalog.ts';
import { buildModel } from './model.ts';
import { buildSchema, type BuiltSchema } from './schema.ts';

const TYPNAME: Record<string, string> = { integer: 'int4', bigint: 'int8', text: 'text', uuid: 'uuid', 'text[]': '_text' };

function col(name: string, position: number, type: string, nullable = true): Column {
  return { name, position, description: null, nullable, type, dataType: type, baseType: TYPNAME[type] ?? type, maxLength: null, default: null, enum: [], generated: false };
}

function table(name: string, columns: Column[], pk: string[], extra: Partial<TableRow> = {}): TableRow {
  return { schema: 'public', name, kind: 'r', description: null, insertable: true, updatable: true, deletable: true, columns, pk, ...extra };
}

export function raw(schemaComment: string | null): RawSchema {
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
export function catalog(cache: RawSchema): Catalog {
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

/** The built schema for a `public` schema comment (e.g. `@graphql({"inflect_names": true})`). */
export function builtSchema(schemaComment: string | null): BuiltSchema {
  const r = raw(schemaComment);
  return buildSchema(buildModel(buildSchemaCache(r, ['public']), catalog(r)));
}
