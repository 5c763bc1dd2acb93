// What pg_graphql reads beyond the REST schema cache: the caller's privileges (its schema shows
// only the tables, columns and functions the role may use), enum labels, column and function
// type names. One query per role, re-run when the schema cache reloads.
import { z } from 'zod';

export type Query = (text: string, values: unknown[]) => Promise<Record<string, unknown>[]>;

const CATALOG_SQL = `
select pg_catalog.json_build_object(
  'enums', coalesce((
    select pg_catalog.json_agg(pg_catalog.json_build_object('schema', n.nspname, 'name', t.typname,
      'values', (select pg_catalog.json_agg(e.enumlabel order by e.enumsortorder) from pg_catalog.pg_enum e where e.enumtypid = t.oid)))
    from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
    where t.typtype = 'e' and n.nspname = any($1::text[])), '[]'),
  'tables', coalesce((
    select pg_catalog.json_agg(pg_catalog.json_build_object(
      'schema', n.nspname, 'name', c.relname,
      'select', pg_catalog.has_any_column_privilege($2, c.oid, 'SELECT'),
      'insert', pg_catalog.has_any_column_privilege($2, c.oid, 'INSERT'),
      'update', pg_catalog.has_any_column_privilege($2, c.oid, 'UPDATE'),
      'delete', pg_catalog.has_table_privilege($2, c.oid, 'DELETE'),
      'columns', coalesce((
        select pg_catalog.json_agg(pg_catalog.json_build_object(
          'name', a.attname,
          'type', coalesce(bt.typname, t.typname),
          'element', et.typname,
          'select', pg_catalog.has_column_privilege($2, c.oid, a.attnum, 'SELECT'),
          'insert', pg_catalog.has_column_privilege($2, c.oid, a.attnum, 'INSERT'),
          'update', pg_catalog.has_column_privilege($2, c.oid, a.attnum, 'UPDATE')))
        from pg_catalog.pg_attribute a
        join pg_catalog.pg_type t on t.oid = a.atttypid
        left join pg_catalog.pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype
        left join pg_catalog.pg_type et on et.oid = coalesce(bt.typelem, t.typelem) and coalesce(bt.typcategory, t.typcategory) = 'A'
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]')))
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = any($1::text[]) and c.relkind in ('r', 'v', 'm', 'f', 'p') and not c.relispartition), '[]'),
  'functions', coalesce((
    select pg_catalog.json_agg(pg_catalog.json_build_object(
      'schema', n.nspname, 'name', p.proname,
      'execute', pg_catalog.has_function_privilege($2, p.oid, 'EXECUTE'),
      'returns', coalesce(bt.typname, t.typname),
      'returnsElement', et.typname,
      'argTypes', coalesce((select pg_catalog.json_agg(coalesce(abt.typname, at.typname) order by k.i)
        from unnest(p.proargtypes::oid[]) with ordinality as k(oid, i)
        join pg_catalog.pg_type at on at.oid = k.oid
        left join pg_catalog.pg_type abt on at.typtype = 'd' and abt.oid = at.typbasetype), '[]'),
      'argElements', coalesce((select pg_catalog.json_agg(et2.typname order by k.i)
        from unnest(p.proargtypes::oid[]) with ordinality as k(oid, i)
        join pg_catalog.pg_type at on at.oid = k.oid
        left join pg_catalog.pg_type et2 on et2.oid = at.typelem and at.typcategory = 'A'), '[]'),
      'overloaded', (select pg_catalog.count(*) from pg_catalog.pg_proc q where q.pronamespace = p.pronamespace and q.proname = p.proname) > 1))
    from pg_catalog.pg_proc p
    join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    join pg_catalog.pg_type t on t.oid = p.prorettype
    left join pg_catalog.pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype
    left join pg_catalog.pg_type et on et.oid = coalesce(bt.typelem, t.typelem) and coalesce(bt.typcategory, t.typcategory) = 'A'
    where n.nspname = any($1::text[]) and p.prokind = 'f'), '[]')
) as catalog`;

const Privileges = z.object({ select: z.boolean(), insert: z.boolean(), update: z.boolean() });

const CatalogSchema = z.object({
  enums: z.array(z.object({ schema: z.string(), name: z.string(), values: z.array(z.string()).nullable() })),
  tables: z.array(
    Privileges.extend({
      schema: z.string(),
      name: z.string(),
      delete: z.boolean(),
      columns: z.array(Privileges.extend({ name: z.string(), type: z.string(), element: z.string().nullable() })),
    }),
  ),
  functions: z.array(
    z.object({
      schema: z.string(),
      name: z.string(),
      execute: z.boolean(),
      returns: z.string(),
      returnsElement: z.string().nullable(),
      argTypes: z.array(z.string()),
      argElements: z.array(z.string().nullable()),
      overloaded: z.boolean(),
    }),
  ),
});

export type Catalog = z.infer<typeof CatalogSchema>;
export type CatalogTable = Catalog['tables'][number];
export type CatalogFunction = Catalog['functions'][number];

/** The catalog as `role` sees it (the has_*_privilege checks name the role). */
export async function loadCatalog(query: Query, schemas: string[], role: string): Promise<Catalog> {
  const rows = await query(CATALOG_SQL, [schemas, role]);
  return CatalogSchema.parse(rows[0]?.catalog);
}
