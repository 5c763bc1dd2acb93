// The GraphQL model of the exposed schema as one role sees it, derived from the REST schema
// cache and the role's catalog (catalog.ts) with pg_graphql's rules: a table needs a primary key
// (a view one from its `primary_key_columns` directive) and a selectable column; names follow
// the schema's `inflect_names` directive; `totalCount` and `max_rows` follow table directives.
import { qiKey, type Column, type Routine, type SchemaCache, type Table } from '../schema-cache.ts';
import type { Catalog, CatalogFunction } from './catalog.ts';
import { argumentName, baseTypeName, columnFieldName, commentDirective, foreignKeyFieldName, functionFieldName, isValidName, lowerFirst } from './names.ts';

export type ScalarName = 'Int' | 'Float' | 'String' | 'Boolean' | 'BigInt' | 'BigFloat' | 'UUID' | 'Date' | 'Time' | 'Datetime' | 'JSON' | 'Opaque';

/** A value's GraphQL type: a scalar or an enum, possibly a list of them. */
export interface ValueType {
  scalar: ScalarName | null;
  /** GraphQL enum type name when the SQL type is an exposed enum. */
  enumName: string | null;
  list: boolean;
}

export interface GqlColumn {
  column: Column;
  field: string;
  type: ValueType;
  insertable: boolean;
  updatable: boolean;
}

export interface GqlRelation {
  field: string;
  /** qiKey of the target table. */
  target: string;
  many: boolean;
  /** (column of this table, column of the target) pairs. */
  pairs: [string, string][];
}

export interface GqlTable {
  key: string;
  table: Table;
  /** Type name base, e.g. `BlogPost` or `blog_post`. */
  base: string;
  description: string | null;
  columns: GqlColumn[];
  byField: Map<string, GqlColumn>;
  pk: Column[];
  relations: GqlRelation[];
  canInsert: boolean;
  canUpdate: boolean;
  canDelete: boolean;
  totalCount: boolean;
  maxRows: number;
}

export interface GqlArg {
  sqlName: string;
  field: string;
  /** SQL type for the cast, e.g. `integer`, `public.mood`, `text[]`. */
  sqlType: string;
  type: ValueType;
  required: boolean;
}

export type GqlReturn = { kind: 'scalar'; type: ValueType } | { kind: 'row'; table: string } | { kind: 'connection'; table: string };

export interface GqlFunction {
  routine: Routine;
  field: string;
  mutation: boolean;
  args: GqlArg[];
  returns: GqlReturn;
  description: string | null;
}

export interface GqlEnum {
  name: string;
  sqlName: string;
  values: string[];
}

export interface Model {
  schema: string;
  inflect: boolean;
  introspection: boolean;
  tables: Map<string, GqlTable>;
  /** Table by GraphQL object type name, and by the `[schema, table]` of a nodeId. */
  byTypeName: Map<string, GqlTable>;
  functions: GqlFunction[];
  enums: Map<string, GqlEnum>;
}

const SCALARS: Record<string, ScalarName> = {
  int2: 'Int', int4: 'Int', int8: 'BigInt', float4: 'Float', float8: 'Float', numeric: 'BigFloat',
  text: 'String', varchar: 'String', bpchar: 'String', char: 'String', name: 'String', citext: 'String',
  bool: 'Boolean', date: 'Date', time: 'Time', timestamp: 'Datetime', timestamptz: 'Datetime', uuid: 'UUID',
  json: 'JSON', jsonb: 'JSON',
};

/** pg_graphql's default page size. */
export const DEFAULT_MAX_ROWS = 30;

const COLLECTION_ARGS = new Set(['first', 'last', 'before', 'after', 'offset', 'filter', 'orderBy']);

function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

export function buildModel(cache: SchemaCache, catalog: Catalog, schema = 'public'): Model {
  const { directive: schemaDirective } = commentDirective(cache.schemaDescriptions.get(schema) ?? null);
  const inflect = schemaDirective.inflect_names === true;
  const introspection = schemaDirective.introspection === true;
  const schemaMaxRows = positiveInt(schemaDirective.max_rows) ?? DEFAULT_MAX_ROWS;

  const enums = new Map<string, GqlEnum>();
  for (const e of catalog.enums) {
    if (e.schema !== schema) continue;
    const name = baseTypeName(e.name, inflect);
    const values = (e.values ?? []).filter(isValidName);
    if (isValidName(name) && values.length > 0) enums.set(e.name, { name, sqlName: e.name, values });
  }

  const valueType = (typname: string, element: string | null): ValueType => {
    const one = (t: string): ValueType => {
      const en = enums.get(t);
      if (en) return { scalar: null, enumName: en.name, list: false };
      return { scalar: SCALARS[t] ?? 'Opaque', enumName: null, list: false };
    };
    if (element !== null) return { ...one(element), list: true };
    return one(typname);
  };

  const privileges = new Map(catalog.tables.filter((t) => t.schema === schema).map((t) => [t.name, t]));
  const tables = new Map<string, GqlTable>();
  const byTypeName = new Map<string, GqlTable>();
  for (const table of cache.tables.values()) {
    if (table.schema !== schema) continue;
    const priv = privileges.get(table.name);
    if (!priv?.select) continue;
    const { directive, description } = commentDirective(table.description);
    const base = typeof directive.name === 'string' ? directive.name : baseTypeName(table.name, inflect);
    if (!isValidName(base)) continue;
    const pkNames = table.isView && Array.isArray(directive.primary_key_columns) ? directive.primary_key_columns.filter((c): c is string => typeof c === 'string') : table.pk;
    const pk = pkNames.map((n) => table.columnMap.get(n)).filter((c): c is Column => c !== undefined);
    if (pk.length === 0 || pk.length !== pkNames.length) continue;
    const colPriv = new Map(priv.columns.map((c) => [c.name, c]));
    const columns: GqlColumn[] = [];
    for (const column of table.columns) {
      const cp = colPriv.get(column.name);
      if (!cp?.select) continue;
      const { directive: cd } = commentDirective(column.description);
      const field = typeof cd.name === 'string' ? cd.name : columnFieldName(column.name, inflect);
      if (!isValidName(field) || field === 'nodeId') continue;
      columns.push({
        column,
        field,
        type: valueType(cp.type, cp.element),
        insertable: cp.insert && !column.generated && table.insertable,
        updatable: cp.update && !column.generated && table.updatable,
      });
    }
    if (columns.length === 0) continue;
    // Every primary key column must be readable, or nodeId and cursors could not be built.
    if (!pk.every((c) => columns.some((g) => g.column.name === c.name))) continue;
    const totalCount = directive.totalCount;
    const t: GqlTable = {
      key: qiKey(table),
      table,
      base,
      description,
      columns,
      byField: new Map(columns.map((c) => [c.field, c])),
      pk,
      relations: [],
      canInsert: columns.some((c) => c.insertable),
      canUpdate: columns.some((c) => c.updatable),
      canDelete: priv.delete && table.deletable,
      totalCount: totalCount !== null && typeof totalCount === 'object' && (totalCount as Record<string, unknown>).enabled === true,
      maxRows: positiveInt(directive.max_rows) ?? schemaMaxRows,
    };
    if (byTypeName.has(base)) continue;
    tables.set(t.key, t);
    byTypeName.set(base, t);
  }

  // Relationships both ways, named as pg_graphql names foreign keys.
  for (const t of tables.values()) {
    const used = new Set<string>(['nodeId', ...t.columns.map((c) => c.field)]);
    for (const r of cache.relationships.get(t.key) ?? []) {
      const c = r.cardinality;
      if (c.type === 'm2m') continue;
      // pg_graphql infers no relationships for views (only its `foreign_keys` directive would);
      // the REST cache's view relationships (from base tables, as PostgREST) stay out.
      if (r.tableIsView || r.foreignTableIsView) continue;
      const target = tables.get(qiKey(r.foreignTable));
      if (!target) continue;
      const many = c.type === 'o2m';
      // Named from this side's columns: the key's own columns going forward (blog_post.blog_id →
      // `blog`), the referenced ones going back (blog.id → `blog_postCollection`).
      const field = foreignKeyFieldName({ targetTypeBase: target.base, columns: c.columns.map(([own]) => own), inflect, unique: !many });
      if (used.has(field) || !isValidName(field)) continue;
      used.add(field);
      t.relations.push({ field, target: target.key, many, pairs: c.columns });
    }
  }

  const fnCatalog = new Map<string, CatalogFunction>(catalog.functions.filter((f) => f.schema === schema).map((f) => [f.name, f]));
  const functions: GqlFunction[] = [];
  const rootNames = new Set<string>(['node']);
  for (const t of tables.values()) rootNames.add(`${lowerFirst(t.base)}Collection`).add(`${lowerFirst(t.base)}ByPk`);
  for (const [key, overloads] of cache.routines) {
    if (!key.startsWith(`${schema}\u0000`) || overloads.length !== 1) continue;
    const routine = overloads[0];
    const info = routine ? fnCatalog.get(routine.name) : undefined;
    if (!routine || !info || info.overloaded || !info.execute) continue;
    const fn = toFunction(routine, info, { inflect, tables, valueType });
    if (!fn || rootNames.has(fn.field)) continue;
    rootNames.add(fn.field);
    functions.push(fn);
  }

  return { schema, inflect, introspection, tables, byTypeName, functions, enums };
}

function toFunction(
  routine: Routine,
  info: CatalogFunction,
  ctx: { inflect: boolean; tables: Map<string, GqlTable>; valueType: (t: string, e: string | null) => ValueType },
): GqlFunction | null {
  const field = functionFieldName(routine.name, ctx.inflect);
  if (!isValidName(field)) return null;
  if (info.argTypes.length !== routine.params.length) return null;
  const args: GqlArg[] = [];
  for (const [i, p] of routine.params.entries()) {
    if (p.name === '' || p.variadic) return null;
    const type = ctx.valueType(info.argTypes[i] ?? '', info.argElements[i] ?? null);
    if (type.scalar === 'Opaque') return null;
    const name = argumentName(p.name, ctx.inflect);
    if (!isValidName(name)) return null;
    args.push({ sqlName: p.name, field: name, sqlType: p.type, type, required: p.required });
  }
  let returns: GqlReturn;
  const rt = routine.returnTable ? ctx.tables.get(qiKey(routine.returnTable)) : undefined;
  if (routine.returnTable) {
    if (!rt) return null;
    returns = routine.returnsSet ? { kind: 'connection', table: rt.key } : { kind: 'row', table: rt.key };
    if (routine.returnsSet && args.some((a) => COLLECTION_ARGS.has(a.field))) return null;
  } else {
    if (routine.returnsSet || routine.returnsComposite || routine.returnsVoid) return null;
    if (['record', 'void', 'trigger', 'event_trigger', 'internal', 'anyelement'].includes(info.returns)) return null;
    returns = { kind: 'scalar', type: ctx.valueType(info.returns, info.returnsElement) };
  }
  const { description } = commentDirective(routine.description);
  return { routine, field, mutation: routine.volatility === 'volatile', args, returns, description };
}
