// The schema cache: what the REST service knows of the exposed schemas — tables and views with
// their columns, primary keys, foreign-key relationships (many-to-one, one-to-many, one-to-one
// and many-to-many through junction tables, as PostgREST's SchemaCache.hs derives them), functions
// with their parameters, volatility and return shape, type names usable in casts, comments.
// This module is pure: the introspection SQL is text here, `db.ts` runs it and hands the rows
// to `buildSchemaCache`.

export interface QualifiedName {
  schema: string;
  name: string;
}

export const qiKey = (q: QualifiedName): string => `${q.schema}\u0000${q.name}`;

export interface Column {
  name: string;
  position: number;
  description: string | null;
  nullable: boolean;
  /** format_type with typmod, e.g. `character varying(20)`: used in json_to_record definitions. */
  type: string;
  /** format_type without typmod, e.g. `character varying`: OpenAPI. */
  dataType: string;
  /** Base type name after domains, e.g. `jsonb`, `tsvector`, `int4`. */
  baseType: string;
  maxLength: number | null;
  default: string | null;
  enum: string[];
  generated: boolean;
}

export interface Table {
  schema: string;
  name: string;
  description: string | null;
  isView: boolean;
  insertable: boolean;
  updatable: boolean;
  deletable: boolean;
  columns: Column[];
  columnMap: Map<string, Column>;
  pk: string[];
}

export type Cardinality =
  | { type: 'm2o'; constraint: string; columns: [string, string][] }
  | { type: 'o2m'; constraint: string; columns: [string, string][] }
  | { type: 'o2o'; constraint: string; columns: [string, string][]; isParent: boolean }
  | {
      type: 'm2m';
      junction: QualifiedName;
      constraint1: string;
      constraint2: string;
      /** (origin column, junction column) pairs. */
      sourceColumns: [string, string][];
      /** (target column, junction column) pairs. */
      targetColumns: [string, string][];
    };

export interface Relationship {
  table: QualifiedName;
  foreignTable: QualifiedName;
  isSelf: boolean;
  cardinality: Cardinality;
  tableIsView: boolean;
  foreignTableIsView: boolean;
}

/**
 * A computed relationship (PostgREST's ComputedRelationship): `function(origin_row)` returning a
 * table's or view's rows; one row (not SETOF, or ROWS 1) embeds as an object, else as an array.
 */
export interface ComputedRelationship {
  table: QualifiedName;
  foreignTable: QualifiedName;
  isSelf: boolean;
  cardinality: { type: 'computed'; function: QualifiedName; singleRow: boolean };
  tableIsView: boolean;
  foreignTableIsView: boolean;
}

export type AnyRelationship = Relationship | ComputedRelationship;

export const relIsToOne = (r: AnyRelationship): boolean =>
  r.cardinality.type === 'm2o' || r.cardinality.type === 'o2o' || (r.cardinality.type === 'computed' && r.cardinality.singleRow);

/** A computed field: `function(row)` returning a scalar, selected, filtered and ordered as `row.function`. */
export interface ComputedField {
  function: QualifiedName;
  /** Base type name of the result (json, jsonb, tsvector…). */
  baseType: string;
}

export interface RoutineParam {
  name: string;
  /** regtype text, e.g. `integer`, `character varying`, `public.mood`. */
  type: string;
  required: boolean;
  variadic: boolean;
}

export interface Routine {
  schema: string;
  name: string;
  description: string | null;
  params: RoutineParam[];
  volatility: 'volatile' | 'stable' | 'immutable';
  returnsSet: boolean;
  returnsComposite: boolean;
  returnsVoid: boolean;
  /** The relation whose row type the function returns, for embedding from its result. */
  returnTable: QualifiedName | null;
  /** Output columns of a composite result (table row type, OUT/TABLE parameters), null if unknown. */
  returnColumns: { name: string; type: string }[] | null;
}

export const routineReturnsScalar = (r: Routine): boolean => !r.returnsSet && !r.returnsComposite;
export const routineReturnsSetOfScalar = (r: Routine): boolean => r.returnsSet && !r.returnsComposite;
export const routineReturnsSingle = (r: Routine): boolean => !r.returnsSet;

export interface SchemaCache {
  schemas: string[];
  tables: Map<string, Table>;
  /** Relationships keyed by the origin table (qiKey). */
  relationships: Map<string, Relationship[]>;
  /** Computed relationships (functions of a row returning rows), keyed by the origin table or view. */
  computedRelationships: Map<string, ComputedRelationship[]>;
  /** Computed fields by table or view (qiKey), then by function name. */
  computedFields: Map<string, Map<string, ComputedField>>;
  routines: Map<string, Routine[]>;
  /** Type names usable in `::cast`, lower-cased → qualified name. */
  types: Map<string, QualifiedName>;
  timezones: Set<string>;
  schemaDescriptions: Map<string, string | null>;
  loadedAt: number;
}

// ---------------------------------------------------------------------------------------------
// Introspection SQL; every query takes the exposed schemas as $1 (text[]).

export const TABLES_SQL = `
select n.nspname::text as schema, c.relname::text as name, c.relkind::text as kind,
  pg_catalog.obj_description(c.oid, 'pg_class') as description,
  (c.relkind in ('r', 'p') or (pg_catalog.pg_relation_is_updatable(c.oid::regclass, true) & 8) = 8) as insertable,
  (c.relkind in ('r', 'p') or (pg_catalog.pg_relation_is_updatable(c.oid::regclass, true) & 4) = 4) as updatable,
  (c.relkind in ('r', 'p') or (pg_catalog.pg_relation_is_updatable(c.oid::regclass, true) & 16) = 16) as deletable,
  coalesce((
    select pg_catalog.json_agg(pg_catalog.json_build_object(
      'name', a.attname,
      'position', a.attnum,
      'description', pg_catalog.col_description(c.oid, a.attnum),
      'nullable', not (a.attnotnull or t.typtype = 'd' and t.typnotnull),
      'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
      'dataType', pg_catalog.format_type(a.atttypid, null),
      'baseType', coalesce(bt.typname, t.typname),
      'maxLength', case when a.atttypid in ('varchar'::regtype, 'bpchar'::regtype) and a.atttypmod > 4 then a.atttypmod - 4 end,
      'default', case
                   when t.typbasetype <> 0 and ad.adbin is null then pg_catalog.pg_get_expr(t.typdefaultbin, 0)
                   when a.attidentity = 'd' then pg_catalog.format('nextval(%L)', (
                     select seq.objid::regclass from pg_catalog.pg_depend seq
                     where seq.refobjid = a.attrelid and seq.refobjsubid = a.attnum and seq.deptype = 'i' limit 1))
                   when a.attgenerated <> '' then null
                   else pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) end,
      'generated', a.attgenerated <> '' or a.attidentity = 'a',
      'enum', coalesce((select pg_catalog.json_agg(e.enumlabel::text order by e.enumsortorder) from pg_catalog.pg_enum e
                        where e.enumtypid = coalesce(bt.oid, t.oid)), '[]')
    ) order by a.attnum)
    from pg_catalog.pg_attribute a
    join pg_catalog.pg_type t on t.oid = a.atttypid
    left join pg_catalog.pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype
    left join pg_catalog.pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  ), '[]') as columns,
  coalesce((
    select pg_catalog.json_agg(a.attname::text order by k.ord)
    from pg_catalog.pg_constraint con
    cross join lateral unnest(con.conkey) with ordinality as k(attnum, ord)
    join pg_catalog.pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum
    where con.conrelid = c.oid and con.contype = 'p'
  ), '[]') as pk
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = any($1::text[]) and c.relkind in ('r', 'v', 'm', 'f', 'p') and not c.relispartition
order by n.nspname, c.relname`;

/**
 * Every foreign key, also between unexposed tables, which exposed views may show (PostgREST
 * filters the relevant ones once tables are known). No parameters.
 */
export const FOREIGN_KEYS_SQL = `
with pks_uniques as (
  select conrelid, pg_catalog.array_agg(key order by key) as cols
  from pg_catalog.pg_constraint, unnest(conkey) as _(key)
  where contype in ('p', 'u') and connamespace <> 'pg_catalog'::regnamespace
  group by oid, conrelid
)
select ns1.nspname::text as table_schema, tab.relname::text as table_name,
  ns2.nspname::text as foreign_table_schema, other.relname::text as foreign_table_name,
  traint.conrelid = traint.confrelid as is_self,
  traint.conname::text as constraint_name,
  column_info.cols_and_fcols,
  (column_info.cols in (select cols from pks_uniques where conrelid = traint.conrelid)) as one_to_one
from pg_catalog.pg_constraint traint
join lateral (
  select pg_catalog.json_agg(pg_catalog.json_build_array(cols.attname, refs.attname) order by ord) as cols_and_fcols,
         pg_catalog.array_agg(cols.attnum order by cols.attnum) as cols
  from unnest(traint.conkey, traint.confkey) with ordinality as _(col, ref, ord)
  join pg_catalog.pg_attribute cols on cols.attrelid = traint.conrelid and cols.attnum = col
  join pg_catalog.pg_attribute refs on refs.attrelid = traint.confrelid and refs.attnum = ref
) as column_info on true
join pg_catalog.pg_namespace ns1 on ns1.oid = traint.connamespace
join pg_catalog.pg_class tab on tab.oid = traint.conrelid
join pg_catalog.pg_class other on other.oid = traint.confrelid
join pg_catalog.pg_namespace ns2 on ns2.oid = other.relnamespace
where traint.contype = 'f' and traint.conparentid = 0
order by traint.conrelid, traint.conname`;

export const ROUTINES_SQL = `
with args as (
  select p.oid,
    pg_catalog.json_agg(pg_catalog.json_build_array(
      coalesce(a.name, ''),
      case a.type when 'bit'::regtype then 'bit varying' when 'bit[]'::regtype then 'bit varying[]'
                  when 'character'::regtype then 'character varying' when 'character[]'::regtype then 'character varying[]'
                  else a.type::regtype::text end,
      a.mode
    ) order by a.idx) as args
  from pg_catalog.pg_proc p
  cross join lateral unnest(
    coalesce(p.proargnames, array_fill(''::text, array[coalesce(pg_catalog.array_length(p.proallargtypes, 1), p.pronargs)])),
    coalesce(p.proallargtypes, p.proargtypes::oid[]),
    coalesce(p.proargmodes::text[], array_fill('i'::text, array[p.pronargs]))
  ) with ordinality as a(name, type, mode, idx)
  join pg_catalog.pg_namespace pn on pn.oid = p.pronamespace
  where pn.nspname = any($1::text[])
  group by p.oid
)
select pn.nspname::text as schema, p.proname::text as name, pg_catalog.obj_description(p.oid, 'pg_proc') as description,
  coalesce(args.args, '[]') as args, p.pronargs as nargs, p.pronargdefaults as nargdefaults,
  p.provolatile::text as volatility, p.proretset as returns_set,
  coalesce(bt.typname, t.typname)::text as return_type,
  (coalesce(bt.typtype, t.typtype) = 'c' or coalesce(p.proargmodes::text[] && '{t,b,o}', false)) as returns_composite,
  rn.nspname::text as return_rel_schema, rc.relname::text as return_rel_name, rc.relkind::text as return_rel_kind,
  coalesce((
    select pg_catalog.json_agg(pg_catalog.json_build_array(a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)) order by a.attnum)
    from pg_catalog.pg_attribute a
    where a.attrelid = rc.oid and a.attnum > 0 and not a.attisdropped
  ), null) as return_rel_columns,
  arn.nspname::text as arg_rel_schema, arc.relname::text as arg_rel_name, p.prorows::float8 as prorows,
  coalesce(bt.typname, t.typname)::text as return_base_type
from pg_catalog.pg_proc p
join pg_catalog.pg_namespace pn on pn.oid = p.pronamespace
left join args on args.oid = p.oid
join pg_catalog.pg_type t on t.oid = p.prorettype
left join pg_catalog.pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype
left join pg_catalog.pg_class rc on rc.oid = coalesce(bt.typrelid, t.typrelid) and coalesce(bt.typrelid, t.typrelid) <> 0
left join pg_catalog.pg_namespace rn on rn.oid = rc.relnamespace
left join pg_catalog.pg_type at0 on p.pronargs > 0 and at0.oid = p.proargtypes[0]
left join pg_catalog.pg_class arc on arc.oid = at0.typrelid and at0.typrelid <> 0
left join pg_catalog.pg_namespace arn on arn.oid = arc.relnamespace
where pn.nspname = any($1::text[]) and p.prokind = 'f' and t.oid <> 'trigger'::regtype
order by pn.nspname, p.proname, p.oid`;

/**
 * Which base-table key columns each view exposes (PostgREST's allViewsKeyDependencies, read from
 * the views' parsed query trees in pg_rewrite), so views get the primary keys and foreign-key
 * relationships of their base tables. `$1`: the exposed schemas.
 */
export const VIEW_KEY_DEPENDENCIES_SQL = `
with recursive
pks_fks as (
  select contype::text as contype, conname, array_length(conkey, 1) as ncol, conrelid as resorigtbl, col as resorigcol, ord
  from pg_catalog.pg_constraint
  left join lateral unnest(conkey) with ordinality as _(col, ord) on true
  where contype in ('p', 'f')
  union
  select concat(contype, '_ref') as contype, conname, array_length(confkey, 1) as ncol, confrelid, col, ord
  from pg_catalog.pg_constraint
  left join lateral unnest(confkey) with ordinality as _(col, ord) on true
  where contype = 'f'
),
views as (
  select c.oid as view_id, n.nspname as view_schema, c.relname as view_name, r.ev_action as view_definition
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  join pg_catalog.pg_rewrite r on r.ev_class = c.oid
  where c.relkind in ('v', 'm') and n.nspname not in ('pg_catalog', 'information_schema')
),
transform_json as (
  select view_id, view_schema, view_name,
    replace(replace(replace(replace(replace(replace(replace(regexp_replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
      view_definition::text,
      '<>', '()'),
      ',', ''),
      E'\\\\{', ''),
      E'\\\\}', ''),
      ' :targetList ', ',"targetList":'),
      ' :resno ', ',"resno":'),
      ' :resorigtbl ', ',"resorigtbl":'),
      ' :resorigcol ', ',"resorigcol":'),
      '{', '{ :'),
      '((', '{(('),
      '({', '{({'),
      ' :[^}{,]+', ',"":', 'g'),
      ',"":}', '}'),
      ',"":,', ','),
      '{(', '('),
      '{,', '{'),
      '(', '['),
      ')', ']'),
      ' ', ','
    )::json as view_definition
  from views
),
target_entries as (
  select view_id, view_schema, view_name, json_array_elements(view_definition->0->'targetList') as entry
  from transform_json
),
results as (
  select view_id, view_schema, view_name, (entry->>'resno')::int as view_column,
    (entry->>'resorigtbl')::oid as resorigtbl, (entry->>'resorigcol')::int as resorigcol
  from target_entries
),
recursion(view_id, view_schema, view_name, view_column, resorigtbl, resorigcol, is_cycle, path) as (
  select r.*, false, array[resorigtbl] from results r where view_schema = any($1::text[])
  union all
  select view.view_id, view.view_schema, view.view_name, view.view_column, tab.resorigtbl, tab.resorigcol,
    tab.resorigtbl = any(path), path || tab.resorigtbl
  from recursion view
  join results tab on view.resorigtbl = tab.view_id and view.resorigcol = tab.view_column
  where not is_cycle
),
repeated_references as (
  select view_id, view_schema, view_name, resorigtbl, resorigcol, pg_catalog.array_agg(attname::text) as view_columns
  from recursion
  join pg_catalog.pg_attribute vcol on vcol.attrelid = view_id and vcol.attnum = view_column
  group by view_id, view_schema, view_name, resorigtbl, resorigcol
)
select sch.nspname::text as table_schema, tbl.relname::text as table_name, rep.view_schema::text as view_schema,
  rep.view_name::text as view_name, pks_fks.conname::text as constraint_name, pks_fks.contype as constraint_type,
  pg_catalog.json_agg(pg_catalog.json_build_array(col.attname, view_columns) order by pks_fks.ord) as column_dependencies
from repeated_references rep
join pks_fks using (resorigtbl, resorigcol)
join pg_catalog.pg_class tbl on tbl.oid = rep.resorigtbl
join pg_catalog.pg_attribute col on col.attrelid = tbl.oid and col.attnum = rep.resorigcol
join pg_catalog.pg_namespace sch on sch.oid = tbl.relnamespace
group by sch.nspname, tbl.relname, rep.view_schema, rep.view_name, pks_fks.conname, pks_fks.contype, pks_fks.ncol
having ncol = pg_catalog.count(*)`;

export const TYPES_SQL = `
select n.nspname::text as schema, t.typname::text as name
from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
where (n.nspname = any($1::text[]) or n.nspname in ('pg_catalog', 'extensions'))
  and t.typtype in ('b', 'd', 'e', 'r', 'm') and t.typelem = 0 and t.typname !~ '^_' and t.typisdefined`;

export const SCHEMAS_SQL = `
select n.nspname::text as schema, pg_catalog.obj_description(n.oid, 'pg_namespace') as description
from pg_catalog.pg_namespace n where n.nspname = any($1::text[])`;

export const TIMEZONES_SQL = `select name::text from pg_catalog.pg_timezone_names`;

// ---------------------------------------------------------------------------------------------
// Raw rows → cache

export interface TableRow {
  schema: string;
  name: string;
  kind: string;
  description: string | null;
  insertable: boolean;
  updatable: boolean;
  deletable: boolean;
  columns: Omit<Column, never>[];
  pk: string[];
}

export interface ForeignKeyRow {
  table_schema: string;
  table_name: string;
  foreign_table_schema: string;
  foreign_table_name: string;
  is_self: boolean;
  constraint_name: string;
  cols_and_fcols: [string, string][];
  one_to_one: boolean;
}

export interface RoutineRow {
  schema: string;
  name: string;
  description: string | null;
  args: [string, string, string][];
  nargs: number;
  nargdefaults: number;
  volatility: string;
  returns_set: boolean;
  return_type: string;
  returns_composite: boolean;
  return_rel_schema: string | null;
  return_rel_name: string | null;
  return_rel_kind: string | null;
  return_rel_columns: [string, string][] | null;
  /** The relation whose row type the first argument is (computed fields and relationships). */
  arg_rel_schema?: string | null;
  arg_rel_name?: string | null;
  prorows?: number;
  return_base_type?: string;
}

export interface ViewKeyDependencyRow {
  table_schema: string;
  table_name: string;
  view_schema: string;
  view_name: string;
  constraint_name: string;
  /** `p` primary key, `f` foreign key (referencing side), `f_ref` foreign key (referenced side). */
  constraint_type: string;
  /** (table column, the view columns showing it) in key order. */
  column_dependencies: [string, string[]][];
}

export interface RawSchema {
  tables: TableRow[];
  foreignKeys: ForeignKeyRow[];
  /** Optional so fixtures without views need not list them. */
  viewKeyDependencies?: ViewKeyDependencyRow[];
  routines: RoutineRow[];
  types: { schema: string; name: string }[];
  schemas: { schema: string; description: string | null }[];
  timezones: string[];
}

function toRoutine(r: RoutineRow): Routine {
  const inputs: RoutineParam[] = [];
  const outputs: { name: string; type: string }[] = [];
  let inputIndex = 0;
  for (const [name, type, mode] of r.args) {
    if (mode === 'i' || mode === 'b' || mode === 'v') {
      inputIndex += 1;
      inputs.push({ name, type, required: inputIndex <= r.nargs - r.nargdefaults, variadic: mode === 'v' });
    }
    if (mode === 'o' || mode === 'b' || mode === 't') outputs.push({ name, type });
  }
  const returnTable =
    r.return_rel_schema !== null && r.return_rel_name !== null && r.return_rel_kind !== 'c'
      ? { schema: r.return_rel_schema, name: r.return_rel_name }
      : null;
  let returnColumns: { name: string; type: string }[] | null = null;
  if (r.returns_composite) {
    if (outputs.length > 0) returnColumns = outputs;
    else if (r.return_rel_columns) returnColumns = r.return_rel_columns.map(([name, type]) => ({ name, type }));
  }
  const volatility = r.volatility === 'i' ? 'immutable' : r.volatility === 's' ? 'stable' : 'volatile';
  return {
    schema: r.schema,
    name: r.name,
    description: r.description,
    params: inputs,
    volatility,
    returnsSet: r.returns_set,
    returnsComposite: r.returns_composite,
    returnsVoid: r.return_type === 'void' && !r.returns_composite,
    returnTable,
    returnColumns,
  };
}

/** A function is callable when its inputs are all named, or it takes one unnamed json/text/… value. */
function callable(r: Routine): boolean {
  const unnamed = r.params.filter((p) => p.name === '');
  if (unnamed.length === 0) return true;
  return unnamed.length === 1 && r.params.length === 1 && ['bytea', 'json', 'jsonb', 'text', 'xml'].includes(unnamed[0]?.type ?? '');
}

const swap = (cols: [string, string][]): [string, string][] => cols.map(([a, b]) => [b, a]);

/** Every way of picking one view column per table column (a column may be shown several times). */
function expandKeyDepCols(cols: [string, string[]][]): [string, string][][] {
  let out: [string, string][][] = [[]];
  for (const [tableCol, viewCols] of cols) out = out.flatMap((prefix) => viewCols.map((v): [string, string][] => [...prefix, [tableCol, v]]));
  return out;
}

/** View-to-table, table-to-view and view-to-view copies of each many-to-one / one-to-one relationship. */
function viewRelationships(rels: Relationship[], deps: ViewKeyDependencyRow[], tables: Map<string, Table>): Relationship[] {
  const out: Relationship[] = [];
  const isView = (q: QualifiedName) => tables.get(qiKey(q))?.isView ?? true;
  for (const r of rels) {
    const c = r.cardinality;
    if (c.type !== 'm2o' && !(c.type === 'o2o' && !c.isParent)) continue;
    const card = (columns: [string, string][]): Cardinality =>
      c.type === 'm2o' ? { type: 'm2o', constraint: c.constraint, columns } : { type: 'o2o', constraint: c.constraint, columns, isParent: false };
    const depsOf = (q: QualifiedName, type: string) =>
      deps.filter((d) => d.table_schema === q.schema && d.table_name === q.name && d.constraint_name === c.constraint && d.constraint_type === type);
    const viewTable = depsOf(r.table, 'f');
    const tableView = depsOf(r.foreignTable, 'f_ref');
    for (const vt of viewTable) {
      const view = { schema: vt.view_schema, name: vt.view_name };
      for (const kdc of expandKeyDepCols(vt.column_dependencies)) {
        const columns = kdc.map(([, vCol], i): [string, string] => [vCol, c.columns[i]?.[1] ?? '']);
        out.push({ table: view, foreignTable: r.foreignTable, isSelf: false, cardinality: card(columns), tableIsView: isView(view), foreignTableIsView: false });
      }
    }
    for (const tv of tableView) {
      const view = { schema: tv.view_schema, name: tv.view_name };
      for (const kdc of expandKeyDepCols(tv.column_dependencies)) {
        const columns = kdc.map(([, vCol], i): [string, string] => [c.columns[i]?.[0] ?? '', vCol]);
        out.push({ table: r.table, foreignTable: view, isSelf: false, cardinality: card(columns), tableIsView: false, foreignTableIsView: isView(view) });
      }
    }
    for (const vt of viewTable) {
      for (const kdc1 of expandKeyDepCols(vt.column_dependencies)) {
        for (const tv of tableView) {
          for (const kdc2 of expandKeyDepCols(tv.column_dependencies)) {
            const v1 = { schema: vt.view_schema, name: vt.view_name };
            const v2 = { schema: tv.view_schema, name: tv.view_name };
            const columns = kdc1.map(([, a], i): [string, string] => [a, kdc2[i]?.[1] ?? '']);
            out.push({ table: v1, foreignTable: v2, isSelf: qiKey(v1) === qiKey(v2), cardinality: card(columns), tableIsView: isView(v1), foreignTableIsView: isView(v2) });
          }
        }
      }
    }
  }
  return out;
}

export function buildSchemaCache(raw: RawSchema, schemas: string[], now = Date.now()): SchemaCache {
  const tables = new Map<string, Table>();
  for (const t of raw.tables) {
    const columns = [...t.columns].sort((a, b) => a.position - b.position);
    tables.set(qiKey(t), {
      schema: t.schema,
      name: t.name,
      description: t.description,
      isView: t.kind === 'v' || t.kind === 'm',
      insertable: t.insertable,
      updatable: t.updatable,
      deletable: t.deletable,
      columns,
      columnMap: new Map(columns.map((c) => [c.name, c])),
      pk: t.pk,
    });
  }

  // Many-to-one and one-to-one from each foreign key.
  const base: Relationship[] = [];
  for (const fk of raw.foreignKeys) {
    const table = { schema: fk.table_schema, name: fk.table_name };
    const foreignTable = { schema: fk.foreign_table_schema, name: fk.foreign_table_name };
    const t = tables.get(qiKey(table));
    const ft = tables.get(qiKey(foreignTable));
    base.push({
      table,
      foreignTable,
      isSelf: fk.is_self,
      cardinality: fk.one_to_one
        ? { type: 'o2o', constraint: fk.constraint_name, columns: fk.cols_and_fcols, isParent: false }
        : { type: 'm2o', constraint: fk.constraint_name, columns: fk.cols_and_fcols },
      tableIsView: t?.isView ?? false,
      foreignTableIsView: ft?.isView ?? false,
    });
  }

  // Views: the primary keys and foreign-key relationships of their base tables, through the
  // columns they expose (PostgREST's addViewPrimaryKeys and addViewM2OAndO2ORels).
  const deps = raw.viewKeyDependencies ?? [];
  for (const t of tables.values()) {
    if (!t.isView) continue;
    const pk = deps
      .filter((d) => d.constraint_type === 'p' && d.view_schema === t.schema && d.view_name === t.name)
      .flatMap((d) => d.column_dependencies.map(([, viewCols]) => viewCols[0]).filter((c): c is string => c !== undefined));
    if (pk.length > 0) t.pk = pk;
  }
  base.push(...viewRelationships(base, deps, tables));

  // Many-to-many: a table with foreign keys to two tables whose columns are all in its primary key.
  const m2m: Relationship[] = [];
  const byTable = new Map<string, Relationship[]>();
  for (const r of base) {
    if (r.cardinality.type !== 'm2o') continue;
    const k = qiKey(r.table);
    byTable.set(k, [...(byTable.get(k) ?? []), r]);
  }
  for (const [jtKey, rels] of byTable) {
    const jt = tables.get(jtKey);
    const pk = new Set(jt?.pk ?? []);
    for (const r1 of rels) {
      for (const r2 of rels) {
        if (r1.cardinality.type !== 'm2o' || r2.cardinality.type !== 'm2o') continue;
        if (r1.cardinality.constraint === r2.cardinality.constraint) continue;
        const jtCols = [...r1.cardinality.columns.map(([c]) => c), ...r2.cardinality.columns.map(([c]) => c)];
        if (!jtCols.every((c) => pk.has(c))) continue;
        m2m.push({
          table: r1.foreignTable,
          foreignTable: r2.foreignTable,
          isSelf: qiKey(r1.foreignTable) === qiKey(r2.foreignTable),
          cardinality: {
            type: 'm2m',
            junction: r1.table,
            constraint1: r1.cardinality.constraint,
            constraint2: r2.cardinality.constraint,
            sourceColumns: swap(r1.cardinality.columns),
            targetColumns: swap(r2.cardinality.columns),
          },
          tableIsView: r1.foreignTableIsView,
          foreignTableIsView: r2.foreignTableIsView,
        });
      }
    }
  }

  const inverse: Relationship[] = [];
  for (const r of base) {
    const c = r.cardinality;
    if (c.type === 'm2o') {
      inverse.push({
        table: r.foreignTable,
        foreignTable: r.table,
        isSelf: r.isSelf,
        cardinality: { type: 'o2m', constraint: c.constraint, columns: swap(c.columns) },
        tableIsView: r.foreignTableIsView,
        foreignTableIsView: r.tableIsView,
      });
    } else if (c.type === 'o2o') {
      inverse.push({
        table: r.foreignTable,
        foreignTable: r.table,
        isSelf: r.isSelf,
        cardinality: { type: 'o2o', constraint: c.constraint, columns: swap(c.columns), isParent: !c.isParent },
        tableIsView: r.foreignTableIsView,
        foreignTableIsView: r.tableIsView,
      });
    }
  }

  const exposed = new Set(schemas);
  const relationships = new Map<string, Relationship[]>();
  for (const r of [...base, ...m2m, ...inverse]) {
    if (!exposed.has(r.table.schema) || !exposed.has(r.foreignTable.schema)) continue;
    if (r.cardinality.type === 'm2m' && !exposed.has(r.cardinality.junction.schema)) continue;
    if (!tables.has(qiKey(r.table)) || !tables.has(qiKey(r.foreignTable))) continue;
    const k = qiKey(r.table);
    relationships.set(k, [...(relationships.get(k) ?? []), r]);
  }

  // Computed fields and relationships (PostgREST's allComputedRels): one required argument, the
  // row type of a table or view; a scalar result is a field, a relation's rows a relationship.
  const computedFields = new Map<string, Map<string, ComputedField>>();
  const computedRelationships = new Map<string, ComputedRelationship[]>();
  for (const row of raw.routines) {
    if (!row.arg_rel_schema || !row.arg_rel_name || row.nargs - row.nargdefaults > 1) continue;
    const origin = { schema: row.arg_rel_schema, name: row.arg_rel_name };
    const originTable = tables.get(qiKey(origin));
    if (!originTable || origin.schema !== row.schema) continue;
    const fn = { schema: row.schema, name: row.name };
    const k = qiKey(origin);
    if (row.return_rel_schema !== null && row.return_rel_name !== null && row.return_rel_kind !== 'c') {
      if (row.nargs !== 1) continue;
      const target = { schema: row.return_rel_schema, name: row.return_rel_name };
      const targetTable = tables.get(qiKey(target));
      if (!targetTable) continue;
      computedRelationships.set(k, [
        ...(computedRelationships.get(k) ?? []),
        {
          table: origin,
          foreignTable: target,
          isSelf: qiKey(origin) === qiKey(target),
          cardinality: { type: 'computed', function: fn, singleRow: !row.returns_set || row.prorows === 1 },
          tableIsView: originTable.isView,
          foreignTableIsView: targetTable.isView,
        },
      ]);
    } else if (!row.returns_composite && !row.returns_set && row.return_type !== 'void') {
      const fields = computedFields.get(k) ?? new Map<string, ComputedField>();
      fields.set(row.name, { function: fn, baseType: row.return_base_type ?? row.return_type });
      computedFields.set(k, fields);
    }
  }

  const routines = new Map<string, Routine[]>();
  for (const row of raw.routines) {
    const r = toRoutine(row);
    if (!callable(r)) continue;
    const k = qiKey(r);
    routines.set(k, [...(routines.get(k) ?? []), r]);
  }

  const types = new Map<string, QualifiedName>();
  const rank = (s: string) => (s === 'pg_catalog' ? 0 : exposed.has(s) ? 1 + schemas.indexOf(s) : 1000);
  for (const t of raw.types) {
    const k = t.name.toLowerCase();
    const prev = types.get(k);
    if (!prev || rank(t.schema) < rank(prev.schema)) types.set(k, t);
  }

  return {
    schemas,
    tables,
    relationships,
    computedRelationships,
    computedFields,
    routines,
    types,
    timezones: new Set(raw.timezones),
    schemaDescriptions: new Map(raw.schemas.map((s) => [s.schema, s.description])),
    loadedAt: now,
  };
}

// ---------------------------------------------------------------------------------------------
// Fuzzy suggestions for hints ("Perhaps you meant …"), like PostgREST's FuzzySet look-ups.

function levenshtein(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n] ?? 0;
}

export function similarity(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const max = Math.max(x.length, y.length);
  return max === 0 ? 1 : 1 - levenshtein(x, y) / max;
}

/** The closest candidate with at least `minScore` similarity, or null. */
export function closest(needle: string, candidates: Iterable<string>, minScore: number): { value: string; score: number } | null {
  let best: { value: string; score: number } | null = null;
  for (const c of candidates) {
    const score = similarity(needle, c);
    if (score >= minScore && (best === null || score > best.score)) best = { value: c, score };
  }
  return best;
}
