// Compiles one root field of a GraphQL operation into one SQL statement whose single value is the
// field's JSON, shaped by response key (aliases included), as pg_graphql's transpiler does
// (src/transpile.rs): connections with keyset pagination over the order by + primary key,
// `pageInfo` and `totalCount` computed beside the page, relationships as correlated subqueries,
// mutations as data-modifying CTEs. Values always travel as parameters, never in the text.
import { quoteIdent } from '../plan/columns.ts';
import {
  getArgumentValues,
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GqlColumn, GqlFunction, GqlTable, Model, ValueType } from './model.ts';
import type { RootField } from './schema.ts';

export class GraphqlError extends Error {}

export interface Statement {
  text: string;
  values: unknown[];
}

export interface CompileInput {
  schema: GraphQLSchema;
  model: Model;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

const ident = quoteIdent;
const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;
const tableRef = (t: GqlTable) => `${ident(t.table.schema)}.${ident(t.table.name)}`;

/** base64 of the JSON text, as pg_graphql encodes cursors and node ids. */
const base64Json = (jsonbExpr: string) => `translate(encode(convert_to((${jsonbExpr})::text, 'utf-8'), 'base64'), E'\\n', '')`;

/** Decodes a cursor or nodeId: base64 of a JSON array. */
function decodeArray(value: unknown, what: string): unknown[] {
  if (typeof value !== 'string') throw new GraphqlError(`Invalid ${what}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
  } catch {
    throw new GraphqlError(`Invalid ${what}`);
  }
  if (!Array.isArray(parsed)) throw new GraphqlError(`Invalid ${what}`);
  return parsed;
}

type Direction = 'AscNullsFirst' | 'AscNullsLast' | 'DescNullsFirst' | 'DescNullsLast';
interface OrderElem {
  column: GqlColumn;
  direction: Direction;
}

const DIRECTION_SQL: Record<Direction, string> = {
  AscNullsFirst: 'asc nulls first',
  AscNullsLast: 'asc nulls last',
  DescNullsFirst: 'desc nulls first',
  DescNullsLast: 'desc nulls last',
};
const REVERSED: Record<Direction, Direction> = {
  AscNullsFirst: 'DescNullsLast',
  AscNullsLast: 'DescNullsFirst',
  DescNullsFirst: 'AscNullsLast',
  DescNullsLast: 'AscNullsFirst',
};

/** A column's JSON output: BigInt, BigFloat and JSON as strings, as pg_graphql serializes them. */
export function outputSql(type: ValueType, expr: string): string {
  if (!type.list && (type.scalar === 'BigInt' || type.scalar === 'BigFloat' || type.scalar === 'JSON')) return `(${expr})::text`;
  return `to_jsonb(${expr})`;
}

/** jsonb_build_object takes at most 100 arguments: larger objects are concatenated. */
function buildObject(pairs: [string, string][]): string {
  if (pairs.length === 0) return `'{}'::jsonb`;
  const chunks: string[] = [];
  for (let i = 0; i < pairs.length; i += 50) {
    chunks.push(`jsonb_build_object(${pairs.slice(i, i + 50).map(([k, v]) => `${literal(k)}, ${v}`).join(', ')})`);
  }
  return chunks.join(' || ');
}

export class Compiler {
  readonly values: unknown[] = [];
  private blocks = 0;

  constructor(private readonly input: CompileInput) {}

  private param(value: unknown, sqlType: string): string {
    this.values.push(value === undefined ? null : value);
    return `$${this.values.length}::${sqlType}`;
  }

  private block(): string {
    this.blocks += 1;
    return `b${this.blocks}`;
  }

  /** Fields of the merged selection sets by response key, for objects of `typeName`. */
  private collect(nodes: readonly FieldNode[], typeName: string): Map<string, FieldNode[]> {
    const out = new Map<string, FieldNode[]>();
    const visit = (set: SelectionSetNode | undefined) => {
      for (const sel of set?.selections ?? []) {
        if (!this.included(sel)) continue;
        if (sel.kind === Kind.FIELD) {
          const key = sel.alias?.value ?? sel.name.value;
          out.set(key, [...(out.get(key) ?? []), sel]);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          if (this.applies(sel.typeCondition?.name.value, typeName)) visit(sel.selectionSet);
        } else {
          const frag = this.input.fragments[sel.name.value];
          if (frag && this.applies(frag.typeCondition.name.value, typeName)) visit(frag.selectionSet);
        }
      }
    };
    for (const n of nodes) visit(n.selectionSet);
    return out;
  }

  /** @skip / @include, evaluated with the request's variables. */
  private included(sel: SelectionNode): boolean {
    const skip = getDirectiveValues(GraphQLSkipDirective, sel, this.input.variables);
    if (skip?.if === true) return false;
    const include = getDirectiveValues(GraphQLIncludeDirective, sel, this.input.variables);
    return include?.if !== false;
  }

  private applies(condition: string | undefined, typeName: string): boolean {
    if (condition === undefined || condition === typeName) return true;
    // Table types implement Node.
    return condition === 'Node' && this.input.model.byTypeName.has(typeName);
  }

  private args(typeName: string, node: FieldNode): Record<string, unknown> {
    const type = this.input.schema.getType(typeName) as GraphQLObjectType;
    const def = type.getFields()[node.name.value] as GraphQLField<unknown, unknown>;
    return getArgumentValues(def, node, this.input.variables);
  }

  // ---------------------------------------------------------------------------------------------
  // Rows

  private nodeId(t: GqlTable, block: string): string {
    return base64Json(`jsonb_build_array(${[literal(t.table.schema), literal(t.table.name), ...t.pk.map((c) => `to_jsonb(${block}.${ident(c.name)})`)].join(', ')})`);
  }

  /** The JSON object of a row of `t` held in `block`. */
  nodeObject(t: GqlTable, block: string, nodes: readonly FieldNode[]): string {
    const pairs: [string, string][] = [];
    for (const [key, fields] of this.collect(nodes, t.base)) {
      const [field] = fields;
      if (!field) continue;
      const name = field.name.value;
      if (name === '__typename') continue;
      if (name === 'nodeId') {
        pairs.push([key, this.nodeId(t, block)]);
        continue;
      }
      const column = t.byField.get(name);
      if (column) {
        pairs.push([key, outputSql(column.type, `${block}.${ident(column.column.name)}`)]);
        continue;
      }
      const rel = t.relations.find((r) => r.field === name);
      const target = rel ? this.input.model.tables.get(rel.target) : undefined;
      if (!rel || !target) throw new GraphqlError(`Unknown field "${name}" on type ${t.base}`);
      const join = (child: string) => rel.pairs.map(([own, other]) => `${child}.${ident(other)} = ${block}.${ident(own)}`).join(' and ');
      if (rel.many) {
        pairs.push([key, this.connection(target, this.args(t.base, field), fields, { from: tableRef(target), join })]);
      } else {
        const child = this.block();
        pairs.push([key, `(select ${this.nodeObject(target, child, fields)} from ${tableRef(target)} ${child} where ${join(child)} limit 1)`]);
      }
    }
    return buildObject(pairs);
  }

  // ---------------------------------------------------------------------------------------------
  // Filters and order

  filter(t: GqlTable, block: string, filter: unknown): string {
    if (filter === null || filter === undefined) return 'true';
    const f = filter as Record<string, unknown>;
    const clauses: string[] = [];
    for (const [key, value] of Object.entries(f)) {
      if (value === null || value === undefined) continue;
      if (key === 'and' || key === 'or') {
        const parts = (value as unknown[]).map((v) => this.filter(t, block, v));
        clauses.push(parts.length === 0 ? 'true' : `(${parts.join(key === 'and' ? ' and ' : ' or ')})`);
      } else if (key === 'not') {
        clauses.push(`not (${this.filter(t, block, value)})`);
      } else if (key === 'nodeId') {
        const eq = (value as Record<string, unknown>).eq;
        if (eq !== null && eq !== undefined) clauses.push(this.nodeIdMatch(t, block, eq));
      } else {
        const column = t.byField.get(key);
        if (!column) throw new GraphqlError(`Invalid filter field: ${key}`);
        for (const [op, v] of Object.entries(value as Record<string, unknown>)) {
          if (v === null || v === undefined) continue;
          clauses.push(this.operator(column, `${block}.${ident(column.column.name)}`, op, v));
        }
      }
    }
    return clauses.length === 0 ? 'true' : clauses.join(' and ');
  }

  private operator(c: GqlColumn, col: string, op: string, v: unknown): string {
    const type = c.column.type;
    const text = (x: unknown) => this.param(x, 'text');
    switch (op) {
      case 'eq':
        return `${col} = ${this.param(v, type)}`;
      case 'neq':
        return `${col} <> ${this.param(v, type)}`;
      case 'gt':
        return `${col} > ${this.param(v, type)}`;
      case 'gte':
        return `${col} >= ${this.param(v, type)}`;
      case 'lt':
        return `${col} < ${this.param(v, type)}`;
      case 'lte':
        return `${col} <= ${this.param(v, type)}`;
      case 'in':
        return `${col} = any(${this.param(v, `${type}[]`)})`;
      case 'is':
        return v === 'NULL' ? `${col} is null` : `${col} is not null`;
      case 'startsWith':
        return `${col}::text ^@ ${text(v)}`;
      case 'like':
        return `${col}::text like ${text(v)}`;
      case 'ilike':
        return `${col}::text ilike ${text(v)}`;
      case 'regex':
        return `${col}::text ~ ${text(v)}`;
      case 'iregex':
        return `${col}::text ~* ${text(v)}`;
      case 'contains':
        return `${col} @> ${this.param(Array.isArray(v) ? v : [v], type)}`;
      case 'containedBy':
        return `${col} <@ ${this.param(Array.isArray(v) ? v : [v], type)}`;
      case 'overlaps':
        return `${col} && ${this.param(Array.isArray(v) ? v : [v], type)}`;
      default:
        throw new GraphqlError(`Invalid filter operation: ${op}`);
    }
  }

  /** A row of `t` is the one a nodeId names; a nodeId of another table matches nothing. */
  private nodeIdMatch(t: GqlTable, block: string, nodeId: unknown): string {
    const parts = decodeArray(nodeId, 'node id');
    const [schema, table, ...keys] = parts;
    if (schema !== t.table.schema || table !== t.table.name || keys.length !== t.pk.length) return 'false';
    return t.pk.map((c, i) => `${block}.${ident(c.name)} = ${this.scalarParam(keys[i], c.type)}`).join(' and ');
  }

  /** A JSON value (from a cursor or nodeId) as a typed parameter. */
  private scalarParam(v: unknown, sqlType: string): string {
    const value = v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return this.param(value, sqlType);
  }

  private orderBy(t: GqlTable, orderBy: unknown): OrderElem[] {
    const elems: OrderElem[] = [];
    for (const item of (orderBy as Record<string, unknown>[] | null | undefined) ?? []) {
      const entries = Object.entries(item).filter(([, v]) => v !== null && v !== undefined);
      if (entries.length !== 1) throw new GraphqlError('Invalid orderBy. Each element of orderBy must contain exactly one field');
      const [[field, direction] = ['', '']] = entries;
      const column = t.byField.get(field);
      if (!column) throw new GraphqlError(`Invalid orderBy field: ${field}`);
      elems.push({ column, direction: direction as Direction });
    }
    // pg_graphql always ends the order with the primary key, so pagination is stable.
    for (const pk of t.pk) {
      const column = t.columns.find((c) => c.column.name === pk.name);
      if (column) elems.push({ column, direction: 'AscNullsLast' });
    }
    return elems;
  }

  private orderSql(order: OrderElem[], block: string): string {
    return order.map((o) => `${block}.${ident(o.column.column.name)} ${DIRECTION_SQL[o.direction]}`).join(', ');
  }

  private cursor(order: OrderElem[], block: string): string {
    return base64Json(`jsonb_build_array(${order.map((o) => `to_jsonb(${block}.${ident(o.column.column.name)})`).join(', ')})`);
  }

  /** Rows after the cursor in `order` (pg_graphql's to_pagination_clause). */
  private pagination(order: OrderElem[], values: unknown[], block: string): string {
    if (values.length === 0) return 'false';
    const [o, ...restOrder] = order;
    const [v, ...restValues] = values;
    if (!o) throw new GraphqlError('orderBy clause incompatible with pagination cursor');
    const col = `${block}.${ident(o.column.column.name)}`;
    const val = this.scalarParam(v, o.column.column.type);
    const op = o.direction.startsWith('Asc') ? '>' : '<';
    const nullsFirst = o.direction.endsWith('NullsFirst');
    const rest = this.pagination(restOrder, restValues, block);
    return `((${col} ${op} ${val} or (${col} is not null and ${val} is null and ${nullsFirst})) or ((${col} = ${val} or (${col} is null and ${val} is null)) and ${rest}))`;
  }

  // ---------------------------------------------------------------------------------------------
  // Connections

  connection(t: GqlTable, args: Record<string, unknown>, nodes: readonly FieldNode[], source: { from: string; join: ((block: string) => string) | null }): string {
    const first = args.first as number | null | undefined;
    const last = args.last as number | null | undefined;
    const before = args.before as string | null | undefined;
    const after = args.after as string | null | undefined;
    const offset = args.offset as number | null | undefined;
    const has = (x: unknown) => x !== null && x !== undefined;
    if (has(first) && has(last)) throw new GraphqlError('only one of "first" and "last" may be provided');
    if (has(before) && has(after)) throw new GraphqlError('only one of "before" and "after" may be provided');
    if (has(first) && has(before)) throw new GraphqlError('"first" may only be used with "after"');
    if (has(last) && has(after)) throw new GraphqlError('"last" may only be used with "before"');
    if (has(first) && (first as number) < 0) throw new GraphqlError('`first` must be an unsigned integer');
    if (has(last) && (last as number) < 0) throw new GraphqlError('`last` must be an unsigned integer');
    if (has(offset) && (offset as number) < 0) throw new GraphqlError('`offset` must be an unsigned integer');

    const reverse = has(last) || has(before);
    const limit = Math.min((first ?? last ?? t.maxRows) as number, t.maxRows);
    const order = this.orderBy(t, args.orderBy);
    const recordsOrder = reverse ? order.map((o) => ({ ...o, direction: REVERSED[o.direction] })) : order;
    const block = this.block();
    const join = source.join ? source.join(block) : 'true';
    const where = this.filter(t, block, args.filter);
    let paging = 'true';
    const cursorValue = before ?? after;
    if (has(cursorValue)) {
      const values = decodeArray(cursorValue, 'cursor');
      if (values.length !== order.length) throw new GraphqlError('orderBy clause incompatible with pagination cursor');
      paging = this.pagination(recordsOrder, values, block);
    }
    const skip = (offset ?? 0) as number;
    const from = `${source.from} ${block}`;
    const pkJson = (b: string) => `jsonb_build_array(${t.pk.map((c) => `${b}.${ident(c.name)}`).join(', ')})`;

    const pairs: [string, string][] = [];
    for (const [key, fields] of this.collect(nodes, `${t.base}Connection`)) {
      const name = fields[0]?.name.value;
      if (name === 'totalCount') {
        pairs.push([key, `(select count(*) from ${from} where ${join} and ${where})`]);
      } else if (name === 'edges') {
        const edgePairs: [string, string][] = [];
        for (const [ek, ef] of this.collect(fields, `${t.base}Edge`)) {
          const en = ef[0]?.name.value;
          if (en === 'cursor') edgePairs.push([ek, this.cursor(order, block)]);
          else if (en === 'node') edgePairs.push([ek, this.nodeObject(t, block, ef)]);
        }
        pairs.push([key, `coalesce((select jsonb_agg(${buildObject(edgePairs)} order by ${this.orderSql(order, block)}) from __records ${block}), '[]'::jsonb)`]);
      } else if (name === 'pageInfo') {
        const pi: [string, string][] = [];
        for (const [pk, pf] of this.collect(fields, 'PageInfo')) {
          const pn = pf[0]?.name.value;
          const reversedOrder = order.map((o) => ({ ...o, direction: REVERSED[o.direction] }));
          if (pn === 'startCursor') pi.push([pk, `(select ${this.cursor(order, block)} from __records ${block} order by ${this.orderSql(order, block)} limit 1)`]);
          else if (pn === 'endCursor') pi.push([pk, `(select ${this.cursor(order, block)} from __records ${block} order by ${this.orderSql(reversedOrder, block)} limit 1)`]);
          else if (pn === 'hasNextPage' || pn === 'hasPreviousPage') {
            // Beyond the page in the direction of travel: one more row exists. Behind it: the
            // first row in that order is not on the page (pg_graphql's has_previous_page).
            const more = `(select count(*) > ${limit} from (select 1 from ${from} where ${join} and ${where} and ${paging} order by ${this.orderSql(recordsOrder, block)} limit ${limit + 1} offset ${skip}) __more)`;
            const behind = `(select coalesce(bool_and(not (__first.k = any(__seen.keys))), false) from (select ${pkJson(block)} as k from ${from} where ${join} and ${where} order by ${this.orderSql(recordsOrder, block)} limit 1) __first, (select array_agg(${pkJson(block)}) as keys from __records ${block}) __seen)`;
            const forward = pn === 'hasNextPage';
            pi.push([pk, forward !== reverse ? more : behind]);
          }
        }
        pairs.push([key, buildObject(pi)]);
      }
    }
    return `(with __records as (select ${block}.* from ${from} where ${join} and ${where} and ${paging} order by ${this.orderSql(recordsOrder, block)} limit ${limit} offset ${skip}) select ${buildObject(pairs)})`;
  }

  // ---------------------------------------------------------------------------------------------
  // Root fields

  root(field: RootField, typeName: string, nodes: readonly FieldNode[]): { statement: Statement; atMost?: number; nodeType?: string } | null {
    const [node] = nodes;
    if (!node) throw new GraphqlError('no field');
    const args = this.args(typeName, node);
    const done = (text: string) => ({ text, values: this.values });
    switch (field.kind) {
      case 'collection':
        return { statement: done(`select ${this.connection(field.table, args, nodes, { from: tableRef(field.table), join: null })} as value`) };
      case 'byPk': {
        const t = field.table;
        const b = this.block();
        const match = t.pk
          .map((k) => {
            const c = t.columns.find((x) => x.column.name === k.name);
            if (!c) throw new GraphqlError(`Missing primary key column(s): ${k.name}`);
            return `${b}.${ident(k.name)} = ${this.param(args[c.field], k.type)}`;
          })
          .join(' and ');
        return { statement: done(`select ${this.nodeObject(t, b, nodes)} as value from ${tableRef(t)} ${b} where ${match}`) };
      }
      case 'node': {
        const parts = decodeArray(args.nodeId, 'node id');
        const [schema, table, ...keys] = parts;
        const t = [...this.input.model.tables.values()].find((x) => x.table.schema === schema && x.table.name === table);
        if (!t || keys.length !== t.pk.length) return null;
        const b = this.block();
        const match = t.pk.map((c, i) => `${b}.${ident(c.name)} = ${this.scalarParam(keys[i], c.type)}`).join(' and ');
        return { statement: done(`select ${this.nodeObject(t, b, nodes)} as value from ${tableRef(t)} ${b} where ${match}`), nodeType: t.base };
      }
      case 'function':
        return { statement: done(`select ${this.functionCall(field.fn, args, nodes)} as value`) };
      case 'insert':
        return { statement: done(this.insert(field.table, args, nodes)) };
      case 'update':
        return { statement: done(this.update(field.table, args, nodes)), atMost: args.atMost as number };
      case 'delete':
        return { statement: done(this.delete(field.table, args, nodes)), atMost: args.atMost as number };
    }
  }

  private functionCall(fn: GqlFunction, args: Record<string, unknown>, nodes: readonly FieldNode[]): string {
    const named = fn.args.filter((a) => a.field in args).map((a) => `${ident(a.sqlName)} => ${this.param(args[a.field], a.sqlType)}`);
    const call = `${ident(fn.routine.schema)}.${ident(fn.routine.name)}(${named.join(', ')})`;
    const r = fn.returns;
    if (r.kind === 'scalar') return outputSql(r.type, call);
    const t = this.input.model.tables.get(r.table);
    if (!t) throw new GraphqlError(`Unknown type of ${fn.field}`);
    if (r.kind === 'connection') return this.connection(t, args, nodes, { from: call, join: null });
    const b = this.block();
    // A row of nulls is null, as in Postgres (and pg_graphql).
    return `(select ${this.nodeObject(t, b, nodes)} from ${call} ${b} where not (${b} is null))`;
  }

  private response(t: GqlTable, kind: string, nodes: readonly FieldNode[], block: string): string {
    const pairs: [string, string][] = [];
    for (const [key, fields] of this.collect(nodes, `${t.base}${kind}Response`)) {
      const name = fields[0]?.name.value;
      if (name === 'affectedCount') pairs.push([key, 'count(*)']);
      else if (name === 'records') pairs.push([key, `coalesce(jsonb_agg(${this.nodeObject(t, block, fields)}), '[]'::jsonb)`]);
    }
    return buildObject(pairs);
  }

  private insert(t: GqlTable, args: Record<string, unknown>, nodes: readonly FieldNode[]): string {
    const objects = (args.objects as Record<string, unknown>[] | undefined) ?? [];
    if (objects.length === 0) throw new GraphqlError('At least one record must be provided to objects');
    const columns = t.columns.filter((c) => c.insertable && objects.some((o) => o[c.field] !== undefined));
    let values: string;
    if (columns.length === 0) {
      if (objects.length !== 1) throw new GraphqlError('At least one mapping must be provided to objects');
      values = 'default values';
    } else {
      const rows = objects.map((o) => `(${columns.map((c) => (o[c.field] === undefined ? 'default' : this.param(o[c.field], c.column.type))).join(', ')})`);
      values = `(${columns.map((c) => ident(c.column.name)).join(', ')}) values ${rows.join(', ')}`;
    }
    const b = this.block();
    return `with __affected as (insert into ${tableRef(t)} ${values} returning *) select ${this.response(t, 'Insert', nodes, b)} as value, count(*) as affected from __affected ${b}`;
  }

  private update(t: GqlTable, args: Record<string, unknown>, nodes: readonly FieldNode[]): string {
    const set = (args.set as Record<string, unknown> | undefined) ?? {};
    const columns = t.columns.filter((c) => c.updatable && set[c.field] !== undefined);
    if (columns.length === 0) throw new GraphqlError('At least one mapping must be provided to set argument');
    const target = this.block();
    const assignments = columns.map((c) => `${ident(c.column.name)} = ${this.param(set[c.field], c.column.type)}`).join(', ');
    const where = this.filter(t, target, args.filter);
    const b = this.block();
    return `with __affected as (update ${tableRef(t)} as ${target} set ${assignments} where ${where} returning ${target}.*) select ${this.response(t, 'Update', nodes, b)} as value, count(*) as affected from __affected ${b}`;
  }

  private delete(t: GqlTable, args: Record<string, unknown>, nodes: readonly FieldNode[]): string {
    const target = this.block();
    const where = this.filter(t, target, args.filter);
    const b = this.block();
    return `with __affected as (delete from ${tableRef(t)} as ${target} where ${where} returning ${target}.*) select ${this.response(t, 'Delete', nodes, b)} as value, count(*) as affected from __affected ${b}`;
  }
}
