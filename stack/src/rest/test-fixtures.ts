// A small schema cache for the REST modules' unit tests (no database): clients → projects
// (one-to-many), projects ↔ tasks through project_tasks (many-to-many), users with two foreign keys
// to clients (ambiguous), a self-reference, and a few functions.
import { RestError } from './errors.ts';
import { buildSchemaCache, type Column, type RawSchema, type SchemaCache } from './schema-cache.ts';

function col(name: string, position: number, type: string, extra: Partial<Column> = {}): Column {
  const base = type.replace(/\(.*\)$/, '');
  const baseType = ({ integer: 'int4', bigint: 'int8', text: 'text', jsonb: 'jsonb', json: 'json', boolean: 'bool', tsvector: 'tsvector', 'text[]': '_text', uuid: 'uuid' } as Record<string, string>)[base] ?? base;
  return { name, position, description: null, nullable: true, type, dataType: base, baseType, maxLength: null, default: null, enum: [], generated: false, ...extra };
}

export const RAW: RawSchema = {
  tables: [
    {
      schema: 'api',
      name: 'clients',
      kind: 'r',
      description: 'Clients\nPeople who pay',
      insertable: true,
      updatable: true,
      deletable: true,
      columns: [col('id', 1, 'integer', { nullable: false }), col('name', 2, 'text', { nullable: false, description: 'Full name' }), col('meta', 3, 'jsonb'), col('doc', 4, 'tsvector')],
      pk: ['id'],
    },
    {
      schema: 'api',
      name: 'projects',
      kind: 'r',
      description: null,
      insertable: true,
      updatable: true,
      deletable: true,
      columns: [
        col('id', 1, 'integer', { nullable: false }),
        col('name', 2, 'text'),
        col('client_id', 3, 'integer'),
        col('budget', 4, 'bigint', { default: '100' }),
        col('tags', 5, 'text[]'),
        col('parent_id', 6, 'integer'),
      ],
      pk: ['id'],
    },
    {
      schema: 'api',
      name: 'tasks',
      kind: 'r',
      description: null,
      insertable: true,
      updatable: true,
      deletable: true,
      columns: [col('id', 1, 'integer', { nullable: false }), col('title', 2, 'text')],
      pk: ['id'],
    },
    {
      schema: 'api',
      name: 'project_tasks',
      kind: 'r',
      description: null,
      insertable: true,
      updatable: true,
      deletable: true,
      columns: [col('project_id', 1, 'integer', { nullable: false }), col('task_id', 2, 'integer', { nullable: false })],
      pk: ['project_id', 'task_id'],
    },
    {
      schema: 'api',
      name: 'users',
      kind: 'r',
      description: null,
      insertable: true,
      updatable: true,
      deletable: true,
      columns: [col('id', 1, 'integer', { nullable: false }), col('home_client', 2, 'integer'), col('work_client', 3, 'integer')],
      pk: ['id'],
    },
    {
      schema: 'api',
      name: 'project_view',
      kind: 'v',
      description: null,
      insertable: true,
      updatable: true,
      deletable: true,
      columns: [col('pid', 1, 'integer'), col('client_id', 2, 'integer')],
      pk: [],
    },
    {
      schema: 'api',
      name: 'client_names',
      kind: 'v',
      description: null,
      insertable: false,
      updatable: false,
      deletable: false,
      columns: [col('name', 1, 'text')],
      pk: [],
    },
  ],
  foreignKeys: [
    { table_schema: 'api', table_name: 'projects', foreign_table_schema: 'api', foreign_table_name: 'clients', is_self: false, constraint_name: 'projects_client_id_fkey', cols_and_fcols: [['client_id', 'id']], one_to_one: false },
    { table_schema: 'api', table_name: 'projects', foreign_table_schema: 'api', foreign_table_name: 'projects', is_self: true, constraint_name: 'projects_parent_id_fkey', cols_and_fcols: [['parent_id', 'id']], one_to_one: false },
    { table_schema: 'api', table_name: 'project_tasks', foreign_table_schema: 'api', foreign_table_name: 'projects', is_self: false, constraint_name: 'project_tasks_project_id_fkey', cols_and_fcols: [['project_id', 'id']], one_to_one: false },
    { table_schema: 'api', table_name: 'project_tasks', foreign_table_schema: 'api', foreign_table_name: 'tasks', is_self: false, constraint_name: 'project_tasks_task_id_fkey', cols_and_fcols: [['task_id', 'id']], one_to_one: false },
    { table_schema: 'api', table_name: 'users', foreign_table_schema: 'api', foreign_table_name: 'clients', is_self: false, constraint_name: 'users_home_client_fkey', cols_and_fcols: [['home_client', 'id']], one_to_one: false },
    { table_schema: 'api', table_name: 'users', foreign_table_schema: 'api', foreign_table_name: 'clients', is_self: false, constraint_name: 'users_work_client_fkey', cols_and_fcols: [['work_client', 'id']], one_to_one: false },
  ],
  viewKeyDependencies: [
    { table_schema: 'api', table_name: 'projects', view_schema: 'api', view_name: 'project_view', constraint_name: 'projects_pkey', constraint_type: 'p', column_dependencies: [['id', ['pid']]] },
    { table_schema: 'api', table_name: 'projects', view_schema: 'api', view_name: 'project_view', constraint_name: 'projects_client_id_fkey', constraint_type: 'f', column_dependencies: [['client_id', ['client_id']]] },
  ],
  routines: [
    // Computed field, computed relationships (SETOF, and ROWS 1) of a client row.
    { schema: 'api', name: 'client_label', description: null, args: [['', 'clients', 'i']], nargs: 1, nargdefaults: 0, volatility: 's', returns_set: false, return_type: 'text', returns_composite: false, return_rel_schema: null, return_rel_name: null, return_rel_kind: null, return_rel_columns: null, arg_rel_schema: 'api', arg_rel_name: 'clients', prorows: 0, return_base_type: 'text' },
    { schema: 'api', name: 'client_projects', description: null, args: [['c', 'clients', 'i']], nargs: 1, nargdefaults: 0, volatility: 's', returns_set: true, return_type: 'projects', returns_composite: true, return_rel_schema: 'api', return_rel_name: 'projects', return_rel_kind: 'r', return_rel_columns: null, arg_rel_schema: 'api', arg_rel_name: 'clients', prorows: 1000 },
    { schema: 'api', name: 'top_project', description: null, args: [['c', 'clients', 'i']], nargs: 1, nargdefaults: 0, volatility: 's', returns_set: true, return_type: 'projects', returns_composite: true, return_rel_schema: 'api', return_rel_name: 'projects', return_rel_kind: 'r', return_rel_columns: null, arg_rel_schema: 'api', arg_rel_name: 'clients', prorows: 1 },
    { schema: 'api', name: 'add', description: 'Adds', args: [['a', 'integer', 'i'], ['b', 'integer', 'i']], nargs: 2, nargdefaults: 0, volatility: 'i', returns_set: false, return_type: 'int4', returns_composite: false, return_rel_schema: null, return_rel_name: null, return_rel_kind: null, return_rel_columns: null },
    { schema: 'api', name: 'echo', description: null, args: [['', 'jsonb', 'i']], nargs: 1, nargdefaults: 0, volatility: 's', returns_set: false, return_type: 'jsonb', returns_composite: false, return_rel_schema: null, return_rel_name: null, return_rel_kind: null, return_rel_columns: null },
    { schema: 'api', name: 'search', description: null, args: [['q', 'text', 'i'], ['lim', 'integer', 'i']], nargs: 2, nargdefaults: 1, volatility: 's', returns_set: true, return_type: 'projects', returns_composite: true, return_rel_schema: 'api', return_rel_name: 'projects', return_rel_kind: 'r', return_rel_columns: [['id', 'integer'], ['name', 'text'], ['client_id', 'integer'], ['budget', 'bigint'], ['tags', 'text[]'], ['parent_id', 'integer']] },
    { schema: 'api', name: 'touch', description: null, args: [], nargs: 0, nargdefaults: 0, volatility: 'v', returns_set: false, return_type: 'void', returns_composite: false, return_rel_schema: null, return_rel_name: null, return_rel_kind: null, return_rel_columns: null },
    { schema: 'api', name: 'pairs', description: null, args: [['n', 'integer', 'i'], ['i', 'integer', 't'], ['sq', 'integer', 't']], nargs: 1, nargdefaults: 0, volatility: 'i', returns_set: true, return_type: 'record', returns_composite: true, return_rel_schema: null, return_rel_name: null, return_rel_kind: null, return_rel_columns: null },
    { schema: 'api', name: 'names', description: null, args: [], nargs: 0, nargdefaults: 0, volatility: 's', returns_set: true, return_type: 'text', returns_composite: false, return_rel_schema: null, return_rel_name: null, return_rel_kind: null, return_rel_columns: null },
    { schema: 'api', name: 'two_unnamed', description: null, args: [['', 'integer', 'i'], ['', 'integer', 'i']], nargs: 2, nargdefaults: 0, volatility: 'i', returns_set: false, return_type: 'int4', returns_composite: false, return_rel_schema: null, return_rel_name: null, return_rel_kind: null, return_rel_columns: null },
  ],
  types: [
    { schema: 'pg_catalog', name: 'text' },
    { schema: 'pg_catalog', name: 'int4' },
    { schema: 'pg_catalog', name: 'jsonb' },
    { schema: 'api', name: 'mood' },
  ],
  schemas: [{ schema: 'api', description: 'The API\nEverything public' }],
  timezones: ['UTC', 'Europe/Paris'],
};

export function testCache(): SchemaCache {
  return buildSchemaCache(RAW, ['api', 'other'], 0);
}

/** The RestError `f` throws; fails the test when it throws nothing or something else. */
export function refusal(f: () => unknown): RestError {
  try {
    f();
  } catch (e) {
    if (e instanceof RestError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}
