// Identifiers, casts and the columns of a node: every column and cast type a request names is
// looked up in the schema cache; what is not found is refused with PostgREST's error.
import { Errors } from '../errors.ts';
import { qiKey, type ComputedField, type SchemaCache, type Table } from '../schema-cache.ts';
import type { Field, OpExpr } from '../parse/ast.ts';
import type { ResolvedField } from './types.ts';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** SQL spellings of PostgreSQL type names that are not plain pg_type names. */
const TYPE_ALIASES: Record<string, string> = {
  int: 'integer',
  integer: 'integer',
  smallint: 'smallint',
  bigint: 'bigint',
  real: 'real',
  float: 'double precision',
  'double precision': 'double precision',
  decimal: 'numeric',
  boolean: 'boolean',
  char: 'character',
  character: 'character',
  'character varying': 'character varying',
  varchar: 'character varying',
  'timestamp with time zone': 'timestamp with time zone',
  'timestamp without time zone': 'timestamp without time zone',
  'time with time zone': 'time with time zone',
  'time without time zone': 'time without time zone',
  'bit varying': 'bit varying',
};

export function resolveCast(cast: string, cache: SchemaCache): string {
  const key = cast.trim().toLowerCase().replace(/\s+/g, ' ');
  const alias = TYPE_ALIASES[key];
  if (alias) return alias;
  const t = cache.types.get(key);
  if (t) return `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
  throw Errors.undefinedType(cast.trim());
}

export interface ColumnInfo {
  name: string;
  baseType: string;
}

export interface NodeContext {
  relName: string;
  /** Known columns; null means unknown (a function returning a scalar or a record). */
  columns: Map<string, ColumnInfo> | null;
  /** Computed fields of the node's table or view, and that relation (the functions' argument type). */
  computed?: { fields: Map<string, ComputedField>; argType: { schema: string; name: string } };
}

/** The base type of a function's output column, from its regtype text (json, jsonb, tsvector…). */
export function baseTypeOf(typeText: string): string {
  return typeText.toLowerCase();
}

/** The columns of a table or view and, given the cache, its computed fields. */
export function tableContext(table: Table, cache?: SchemaCache): NodeContext {
  const ctx: NodeContext = { relName: table.name, columns: new Map(table.columns.map((c) => [c.name, { name: c.name, baseType: c.baseType }])) };
  const fields = cache?.computedFields.get(qiKey(table));
  if (fields) ctx.computed = { fields, argType: { schema: table.schema, name: table.name } };
  return ctx;
}

export function resolveField(ctx: NodeContext, f: Field, opExpr?: OpExpr): ResolvedField {
  const computed = ctx.columns?.has(f.name) ? undefined : ctx.computed?.fields.get(f.name);
  const col = ctx.columns?.get(f.name) ?? (computed ? { name: f.name, baseType: computed.baseType } : undefined);
  if (!col) throw Errors.undefinedColumn(ctx.relName, f.name);
  const isJson = col.baseType === 'json' || col.baseType === 'jsonb';
  const out: ResolvedField = { column: f.name, jsonPath: f.jsonPath, toJson: f.jsonPath.length > 0 && !isJson };
  if (computed && ctx.computed) out.computed = { fn: computed.function, argType: ctx.computed.argType };
  if (opExpr?.operation.kind === 'fts' && col.baseType !== 'tsvector') {
    out.toTsVector = opExpr.operation.language === undefined ? {} : { language: opExpr.operation.language };
  }
  return out;
}

export function lastJsonKey(f: Field): string | undefined {
  const last = f.jsonPath[f.jsonPath.length - 1];
  if (!last) return undefined;
  if (last.key !== undefined) return last.key;
  for (let i = f.jsonPath.length - 1; i >= 0; i--) {
    const op = f.jsonPath[i];
    if (op?.key !== undefined) return op.key;
  }
  return f.name;
}

