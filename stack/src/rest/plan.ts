// Plan: the request resolved against the schema cache (PostgREST's Plan.hs), pure. Every table,
// column, relationship, function and cast type a request names is looked up here; what is not
// found is refused with PostgREST's error, so only known identifiers reach `render.ts`.
import { Errors } from './errors.ts';
import type { Field, Filter, JsonOp, LogicTree, OpExpr, OrderTerm, RowRange, SelectItem } from './parse.ts';
import { ALL_RANGE, hasLimitZero, LIMIT_ZERO_RANGE, restrictRange } from './parse.ts';
import type { ApiRequest, MediaType, Payload, Preferences } from './request.ts';
import {
  closest,
  qiKey,
  relIsToOne,
  routineReturnsScalar,
  routineReturnsSetOfScalar,
  routineReturnsSingle,
  type QualifiedName,
  type Relationship,
  type Routine,
  type SchemaCache,
  type Table,
} from './schema-cache.ts';

export interface PlanConfig {
  maxRows: number | null;
  extraSearchPath: string[];
  /** PostgREST db-aggregates-enabled; false on hosted Supabase. */
  aggregatesEnabled: boolean;
}

/** A column reference resolved in its node. */
export interface ResolvedField {
  column: string;
  jsonPath: JsonOp[];
  /** Wrap in to_jsonb() before applying the JSON path (the column is not json/jsonb). */
  toJson: boolean;
  /** Full-text search on a non-tsvector column: to_tsvector([lang,] col). */
  toTsVector?: { language?: string };
}

export interface SelectField {
  field: ResolvedField | { column: '*'; jsonPath: []; toJson: false };
  /** SQL type text from the cast whitelist (never user text). */
  cast?: string;
  alias?: string;
}

export type Condition =
  | { type: 'filter'; field: ResolvedField; expr: OpExpr }
  /** `rel=is.null` / `rel=not.is.null` on an embed: whether it matched. */
  | { type: 'embedNull'; isNull: boolean; embed: Embed }
  | { type: 'expr'; negated: boolean; operator: 'and' | 'or'; children: Condition[] };

export interface OrderItem {
  /** Set when ordering by a column of a to-one embed. */
  embed?: Embed;
  field: ResolvedField;
  /** For embed order: the name of the column in the embed's lateral row. */
  embedColumn?: string;
  direction?: 'asc' | 'desc';
  nulls?: 'first' | 'last';
}

export interface JoinCondition {
  /** Alias and column on the child side (the embedded table or the junction). */
  childAlias: string;
  childColumn: string;
  parentAlias: string;
  parentColumn: string;
}

export interface ReadNode {
  /** Where rows come from: a table, or the CTE `pgrst_source` of a mutation or call. */
  from: { kind: 'table'; qi: QualifiedName } | { kind: 'source' };
  alias: string;
  /** Name used in messages (the table, view or function). */
  relName: string;
  select: SelectField[];
  where: Condition[];
  order: OrderItem[];
  range: RowRange;
  embeds: Embed[];
  /** Extra columns an embed's parent orders by, added to this node's lateral row. */
  hidden: { field: ResolvedField; alias: string }[];
  /** For a child: the junction of a many-to-many, joined in this node's FROM. */
  junction?: { qi: QualifiedName; alias: string };
  joinConditions: JoinCondition[];
}

export interface Embed {
  node: ReadNode;
  /** JSON key (alias or the name used in select). */
  name: string;
  /** The name as written in select, for path look-ups. */
  relName: string;
  relAlias?: string;
  relationship: Relationship;
  toOne: boolean;
  joinType: 'left' | 'inner';
  spread: boolean;
  /** Alias of the lateral join in the parent's FROM. */
  aggAlias: string;
  /** `rel()` with nothing selected: joined for filtering only, not output. */
  empty: boolean;
  /** Output names of a spread embed, lifted into the parent. */
  spreadNames: string[];
}

export type Handler = 'json' | 'json-stripped' | 'singular' | 'singular-stripped' | 'csv' | 'none';

export interface ResponseMedia {
  handler: Handler;
  contentType: string;
}

export interface ReadPlan {
  type: 'read';
  table: Table;
  node: ReadNode;
  media: ResponseMedia;
  /** vnd.pgrst.object: exactly one row or PGRST116 (and a rollback). */
  singular: boolean;
  headOnly: boolean;
  count?: 'exact' | 'planned' | 'estimated';
  readOnly: true;
}

export interface InsertSpec {
  columns: { name: string; type: string; default: string | null }[];
  payload: Extract<Payload, { kind: 'json' }>;
  onConflict?: { resolution: 'merge-duplicates' | 'ignore-duplicates'; columns: string[] };
  applyDefaults: boolean;
  /** PUT: conditions the body must meet (the URL's primary key). */
  putConditions?: Condition[];
}

export interface MutatePlan {
  type: 'mutate';
  mutation: 'create' | 'update' | 'delete' | 'upsert';
  table: Table;
  insert?: InsertSpec;
  update?: { columns: { name: string; type: string; default: string | null }[]; payload: Extract<Payload, { kind: 'json' }>; applyDefaults: boolean };
  /** WHERE of UPDATE/DELETE (root filters and logic). */
  where: Condition[];
  /** Columns the mutation returns: `*`, names, or none (RETURNING 1). */
  returning: string[] | '*';
  node: ReadNode;
  media: ResponseMedia;
  singular: boolean;
  pkColumns: string[];
  readOnly: false;
}

export type CallArgs =
  | { kind: 'none' }
  | { kind: 'direct'; values: { param: string; type: string; variadic: boolean; value: string | string[] }[] }
  | { kind: 'json'; raw: string; isObject: boolean; params: { name: string; type: string; variadic: boolean }[] }
  | { kind: 'single'; raw: string; type: string };

export interface CallPlan {
  type: 'call';
  routine: Routine;
  args: CallArgs;
  node: ReadNode;
  media: ResponseMedia;
  singular: boolean;
  headOnly: boolean;
  count?: 'exact' | 'planned' | 'estimated';
  readOnly: boolean;
  scalar: boolean;
  setOfScalar: boolean;
  single: boolean;
  /** Columns the call's CTE must expose (select and filter columns, or all). */
  returning: string[] | '*';
}

export interface OpenApiPlan {
  type: 'openapi';
  schema: string;
  headOnly: boolean;
  readOnly: true;
}

export type Plan = ReadPlan | MutatePlan | CallPlan | OpenApiPlan;

export interface PlannedRequest {
  plan: Plan;
  /** Transaction-local settings: search_path, timezone. */
  settings: Record<string, string>;
  preferences: Preferences;
  /** Preferences the response reports as applied. */
  applied: Preferences;
}

// ---------------------------------------------------------------------------------------------
// Identifiers and casts

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

// ---------------------------------------------------------------------------------------------
// Columns of a node

interface ColumnInfo {
  name: string;
  baseType: string;
}

interface NodeContext {
  relName: string;
  /** Known columns; null means unknown (a function returning a scalar or a record). */
  columns: Map<string, ColumnInfo> | null;
}

/** The base type of a function's output column, from its regtype text (json, jsonb, tsvector…). */
function baseTypeOf(typeText: string): string {
  return typeText.toLowerCase();
}

function tableContext(table: Table): NodeContext {
  return { relName: table.name, columns: new Map(table.columns.map((c) => [c.name, { name: c.name, baseType: c.baseType }])) };
}

function resolveField(ctx: NodeContext, f: Field, opExpr?: OpExpr): ResolvedField {
  const col = ctx.columns?.get(f.name);
  if (!col) throw Errors.undefinedColumn(ctx.relName, f.name);
  const isJson = col.baseType === 'json' || col.baseType === 'jsonb';
  const out: ResolvedField = { column: f.name, jsonPath: f.jsonPath, toJson: f.jsonPath.length > 0 && !isJson };
  if (opExpr?.operation.kind === 'fts' && col.baseType !== 'tsvector') {
    out.toTsVector = opExpr.operation.language === undefined ? {} : { language: opExpr.operation.language };
  }
  return out;
}

function lastJsonKey(f: Field): string | undefined {
  const last = f.jsonPath[f.jsonPath.length - 1];
  if (!last) return undefined;
  if (last.key !== undefined) return last.key;
  for (let i = f.jsonPath.length - 1; i >= 0; i--) {
    const op = f.jsonPath[i];
    if (op?.key !== undefined) return op.key;
  }
  return f.name;
}

// ---------------------------------------------------------------------------------------------
// Relationships (findRel)

function matchFKSingleCol(hint: string, r: Relationship): boolean {
  const c = r.cardinality;
  return c.type !== 'm2m' && c.columns.length === 1 && c.columns[0]?.[0] === hint;
}

function matchFKRefSingleCol(hint: string, r: Relationship): boolean {
  const c = r.cardinality;
  return c.type !== 'm2m' && c.columns.length === 1 && c.columns[0]?.[1] === hint;
}

function matchConstraint(name: string, r: Relationship): boolean {
  const c = r.cardinality;
  return c.type !== 'm2m' && c.constraint === name;
}

function matchJunction(hint: string, r: Relationship): boolean {
  return r.cardinality.type === 'm2m' && r.cardinality.junction.name === hint;
}

function describeRelationship(r: Relationship): Record<string, string> {
  const c = r.cardinality;
  const els = (cols: string[]) => `(${cols.join(', ')})`;
  if (c.type === 'm2m') {
    return {
      cardinality: 'many-to-many',
      embedding: `${r.table.name} with ${r.foreignTable.name}`,
      relationship: `${c.junction.name} using ${c.constraint1}${els(c.sourceColumns.map(([, j]) => j))} and ${c.constraint2}${els(c.targetColumns.map(([, j]) => j))}`,
    };
  }
  const card = c.type === 'm2o' ? 'many-to-one' : c.type === 'o2m' ? 'one-to-many' : 'one-to-one';
  return {
    cardinality: card,
    embedding: `${r.table.name} with ${r.foreignTable.name}`,
    relationship: `${c.constraint} using ${r.table.name}${els(c.columns.map(([a]) => a))} and ${r.foreignTable.name}${els(c.columns.map(([, b]) => b))}`,
  };
}

function relHintName(r: Relationship): string {
  const c = r.cardinality;
  return `'${r.foreignTable.name}!${c.type === 'm2m' ? c.junction.name : c.constraint}'`;
}

export function findRelationship(cache: SchemaCache, schema: string, origin: string, target: string, hint: string | undefined): Relationship {
  const all = cache.relationships.get(qiKey({ schema, name: origin })) ?? [];
  const rels = all.filter((r) => {
    if (r.isSelf) {
      if (hint === undefined) {
        return (
          (target === r.foreignTable.name && r.cardinality.type === 'o2m') || (matchFKSingleCol(target, r) && r.cardinality.type === 'm2o')
        );
      }
      return target === r.foreignTable.name && r.cardinality.type === 'o2m' && matchFKRefSingleCol(hint, r);
    }
    if (hint === undefined) {
      return (
        target === r.foreignTable.name ||
        (matchConstraint(target, r) && !r.foreignTableIsView) ||
        (matchFKSingleCol(target, r) && !r.foreignTableIsView)
      );
    }
    return (
      target === r.foreignTable.name &&
      (matchConstraint(hint, r) || matchFKSingleCol(hint, r) || matchFKRefSingleCol(hint, r) || matchJunction(hint, r))
    );
  });
  if (rels.length === 1) return rels[0] as Relationship;
  if (rels.length === 0) {
    let suggestion: string | null = null;
    const parentRels = cache.relationships.get(qiKey({ schema, name: origin }));
    if (parentRels) {
      const children = new Set(parentRels.map((r) => r.foreignTable.name));
      if (!children.has(target)) {
        const best = closest(target, children, 0.33);
        if (best && best.score < 1) suggestion = `Perhaps you meant '${best.value}' instead of '${target}'.`;
      }
    } else {
      const parents = [...cache.relationships.keys()].map((k) => k.split('\u0000')).filter(([s]) => s === schema).map(([, n]) => n as string);
      const best = closest(origin, parents, 0.33);
      if (best) suggestion = `Perhaps you meant '${best.value}' instead of '${origin}'.`;
    }
    throw Errors.noRelationship(origin, target, hint ?? null, schema, suggestion);
  }
  throw Errors.ambiguousRelationship(
    origin,
    target,
    rels.map(describeRelationship),
    `Try changing '${target}' to one of the following: ${rels.map(relHintName).join(', ')}. Find the desired relationship in the 'details' key.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Building the read tree

interface BuildState {
  cache: SchemaCache;
  schema: string;
  aggregatesEnabled: boolean;
}

function uniqueAlias(base: string, taken: Set<string>): string {
  let a = base;
  let i = 1;
  while (taken.has(a)) a = `${base}_${++i}`;
  taken.add(a);
  return a;
}

/** Builds a node's select list and its embeds, recursively. */
function buildNode(
  state: BuildState,
  node: ReadNode,
  ctx: NodeContext,
  items: SelectItem[],
  depth: number,
  ancestorAliases: Set<string>,
  originName: string,
): void {
  const siblingAliases = new Set<string>([...ancestorAliases, node.alias]);
  for (const item of items) {
    if (item.type === 'field') {
      if (item.aggregate !== undefined) {
        throw state.aggregatesEnabled ? Errors.notImplemented('Aggregate functions are not supported by the local stack') : Errors.aggregatesNotAllowed();
      }
      if (item.field.name === '*' && item.field.jsonPath.length === 0) {
        if (item.cast !== undefined) throw Errors.undefinedColumn(ctx.relName, '*');
        node.select.push({ field: { column: '*', jsonPath: [], toJson: false } });
        continue;
      }
      const field = resolveField(ctx, item.field);
      const sf: SelectField = { field };
      if (item.cast !== undefined) sf.cast = resolveCast(item.cast, state.cache);
      const alias = item.alias ?? (item.field.jsonPath.length > 0 ? lastJsonKey(item.field) : undefined);
      if (alias !== undefined) sf.alias = alias;
      node.select.push(sf);
      continue;
    }
    const rel = findRelationship(state.cache, state.schema, originName, item.name, item.hint);
    const target = state.cache.tables.get(qiKey(rel.foreignTable));
    if (!target) throw Errors.noRelationship(originName, item.name, item.hint ?? null, state.schema, null);
    const childAlias = uniqueAlias(`${rel.foreignTable.name}_${depth + 1}`, new Set(siblingAliases));
    const relAlias = item.type === 'relation' ? item.alias : undefined;
    const aggAlias = uniqueAlias(`${node.relName}_${relAlias ?? item.name}_${depth + 1}`, siblingAliases);
    const child: ReadNode = {
      from: { kind: 'table', qi: rel.foreignTable },
      alias: childAlias,
      relName: target.name,
      select: [],
      where: [],
      order: [],
      range: ALL_RANGE,
      embeds: [],
      hidden: [],
      joinConditions: [],
    };
    const c = rel.cardinality;
    if (c.type === 'm2m') {
      const jAlias = uniqueAlias(`${c.junction.name}_${depth + 1}`, new Set([...siblingAliases, childAlias]));
      child.junction = { qi: c.junction, alias: jAlias };
      for (const [tc, jc] of c.targetColumns) child.joinConditions.push({ childAlias: jAlias, childColumn: jc, parentAlias: childAlias, parentColumn: tc });
      for (const [oc, jc] of c.sourceColumns) child.joinConditions.push({ childAlias: jAlias, childColumn: jc, parentAlias: node.alias, parentColumn: oc });
    } else {
      for (const [pc, cc] of c.columns) child.joinConditions.push({ childAlias, childColumn: cc, parentAlias: node.alias, parentColumn: pc });
    }
    const embed: Embed = {
      node: child,
      name: relAlias ?? item.name,
      relName: item.name,
      relationship: rel,
      toOne: relIsToOne(rel),
      joinType: item.joinType === 'inner' ? 'inner' : 'left',
      spread: item.type === 'spread',
      aggAlias,
      empty: false,
      spreadNames: [],
    };
    if (relAlias !== undefined) embed.relAlias = relAlias;
    buildNode(state, child, tableContext(target), item.children, depth + 1, new Set([...siblingAliases, childAlias]), target.name);
    embed.empty = child.select.length === 0 && child.embeds.every((e) => e.empty);
    if (embed.spread) {
      if (!embed.toOne) throw Errors.spreadNotToOne(node.relName, item.name);
      if (child.select.length === 0 && child.embeds.length === 0) child.select.push({ field: { column: '*', jsonPath: [], toJson: false } });
      if (child.select.some((s) => s.field.column === '*')) {
        embed.spreadNames = [...target.columns.map((col) => col.name)];
        embed.spreadNames.push(...child.embeds.filter((e) => !e.empty).flatMap((e) => (e.spread ? e.spreadNames : [e.name])));
      } else {
        embed.spreadNames = [
          ...child.select.map((s) => s.alias ?? s.field.column),
          ...child.embeds.filter((e) => !e.empty).flatMap((e) => (e.spread ? e.spreadNames : [e.name])),
        ];
      }
    }
    node.embeds.push(embed);
  }
}

function findEmbedByPath(root: ReadNode, path: string[]): ReadNode {
  let node = root;
  for (const name of path) {
    const e = node.embeds.find((x) => (x.relAlias ?? x.relName) === name);
    if (!e) throw Errors.notEmbedded(name);
    node = e.node;
  }
  return node;
}

function nodeContextFor(state: BuildState, node: ReadNode, rootCtx: NodeContext): NodeContext {
  if (node.from.kind === 'source') return rootCtx;
  const t = state.cache.tables.get(qiKey(node.from.qi));
  return t ? tableContext(t) : rootCtx;
}

function resolveFilter(ctx: NodeContext, node: ReadNode, f: Filter): Condition {
  // `rel=is.null` / `rel=not.is.null` on an embedded resource.
  if (f.field.jsonPath.length === 0 && f.expr.operation.kind === 'is' && f.expr.operation.value === 'null') {
    const embed = node.embeds.find((e) => (e.relAlias ?? e.relName) === f.field.name);
    if (embed) return { type: 'embedNull', isNull: !f.expr.negated, embed };
  }
  return { type: 'filter', field: resolveField(ctx, f.field, f.expr), expr: f.expr };
}

function resolveLogic(ctx: NodeContext, node: ReadNode, t: LogicTree): Condition {
  if (t.type === 'filter') return resolveFilter(ctx, node, t.filter);
  return { type: 'expr', negated: t.negated, operator: t.operator, children: t.children.map((c) => resolveLogic(ctx, node, c)) };
}

function resolveOrder(state: BuildState, ctx: NodeContext, node: ReadNode, term: OrderTerm): OrderItem {
  const base: Omit<OrderItem, 'field'> = {};
  if (term.direction) base.direction = term.direction;
  if (term.nulls) base.nulls = term.nulls;
  if (term.relation === undefined) return { ...base, field: resolveField(ctx, term.field) };
  const embed = node.embeds.find((e) => (e.relAlias ?? e.relName) === term.relation);
  if (!embed) throw Errors.notEmbedded(term.relation);
  if (!embed.toOne) throw Errors.relatedOrderNotToOne(node.relName, embed.relAlias ?? embed.relName);
  const target = state.cache.tables.get(qiKey(embed.relationship.foreignTable));
  const childCtx = target ? tableContext(target) : ctx;
  const child = embed.node;
  const outputs = new Set(child.select.map((s) => s.alias ?? s.field.column));
  const hasStar = child.select.some((s) => s.field.column === '*' && s.alias === undefined);
  const field = resolveField(childCtx, term.field);
  let embedColumn: string;
  if (term.field.jsonPath.length === 0 && (outputs.has(term.field.name) || (hasStar && childCtx.columns?.has(term.field.name)))) {
    embedColumn = term.field.name;
  } else {
    embedColumn = `pgrst_order_${child.hidden.length + 1}`;
    child.hidden.push({ field, alias: embedColumn });
  }
  return { ...base, embed, field, embedColumn };
}

interface TreeInput {
  rootFrom: ReadNode['from'];
  rootAlias: string;
  rootCtx: NodeContext;
  /** The name relationships are looked up from (table, or the function's table). */
  originName: string;
  isMutation: boolean;
}

/** The read tree of a request: select, embeds, then filters, logic, orders and ranges per path. */
function buildReadTree(state: BuildState, req: ApiRequest, input: TreeInput, config: PlanConfig): ReadNode {
  const root: ReadNode = {
    from: input.rootFrom,
    alias: input.rootAlias,
    relName: input.rootCtx.relName,
    select: [],
    where: [],
    order: [],
    range: ALL_RANGE,
    embeds: [],
    hidden: [],
    joinConditions: [],
  };
  buildNode(state, root, input.rootCtx, req.query.select, 0, new Set(), input.originName);
  const q = req.query;
  const filters = input.isMutation ? q.filtersNotRoot : q.filters;
  for (const [path, f] of filters) {
    const node = findEmbedByPath(root, path);
    node.where.push(resolveFilter(nodeContextFor(state, node, input.rootCtx), node, f));
  }
  const logic = input.isMutation ? q.logic.filter(([p]) => p.length > 0) : q.logic;
  for (const [path, t] of logic) {
    const node = findEmbedByPath(root, path);
    node.where.push(resolveLogic(nodeContextFor(state, node, input.rootCtx), node, t));
  }
  const seenOrder = new Set<string>();
  for (const [path, terms] of q.order) {
    const key = path.join('.');
    if (seenOrder.has(key)) continue;
    seenOrder.add(key);
    const node = findEmbedByPath(root, path);
    node.order = terms.map((t) => resolveOrder(state, nodeContextFor(state, node, input.rootCtx), node, t));
  }
  if (!input.isMutation) {
    for (const [key, range] of req.ranges) {
      const path = key.split('.').slice(0, -1);
      const node = findEmbedByPath(root, path);
      node.range = range;
    }
    const restrict = (n: ReadNode): void => {
      if (config.maxRows !== null) n.range = hasLimitZero(n.range) ? LIMIT_ZERO_RANGE : restrictRange(config.maxRows, n.range);
      for (const e of n.embeds) restrict(e.node);
    };
    restrict(root);
  }
  return root;
}

// ---------------------------------------------------------------------------------------------
// Content negotiation

function negotiate(accept: MediaType[], opts: { rpcScalar?: boolean }): ResponseMedia {
  for (const mt of accept) {
    switch (mt.kind) {
      case 'json':
      case 'any':
        return { handler: 'json', contentType: 'application/json; charset=utf-8' };
      case 'array-stripped':
        return { handler: 'json-stripped', contentType: 'application/vnd.pgrst.array+json;nulls=stripped; charset=utf-8' };
      case 'singular':
        return mt.stripped
          ? { handler: 'singular-stripped', contentType: 'application/vnd.pgrst.object+json;nulls=stripped; charset=utf-8' }
          : { handler: 'singular', contentType: 'application/vnd.pgrst.object+json; charset=utf-8' };
      case 'csv':
        if (opts.rpcScalar) continue;
        return { handler: 'csv', contentType: 'text/csv; charset=utf-8' };
      default:
        continue;
    }
  }
  throw Errors.mediaType(accept.map((m) => m.mime));
}

// ---------------------------------------------------------------------------------------------
// Tables and functions

function findTable(cache: SchemaCache, schema: string, name: string): Table {
  const t = cache.tables.get(qiKey({ schema, name }));
  if (t) return t;
  const names = [...cache.tables.values()].filter((x) => x.schema === schema).map((x) => x.name);
  const best = closest(name, names, 0.75);
  throw Errors.tableNotFound(schema, name, best?.value ?? null);
}

function matchesParams(r: Routine, keys: Set<string>, isPost: boolean, contentKind: MediaType['kind']): boolean {
  if (r.params.length === 0) return keys.size === 0 && !(isPost && ['octet', 'text', 'xml'].includes(contentKind));
  const required = r.params.filter((p) => p.required).map((p) => p.name);
  const optional = new Set(r.params.filter((p) => !p.required).map((p) => p.name));
  const rest = [...keys].filter((k) => !optional.has(k));
  if (rest.length !== required.length) return false;
  const req = new Set(required);
  return rest.every((k) => req.has(k));
}

function hasSingleUnnamedParam(r: Routine, isPost: boolean, contentKind: MediaType['kind']): boolean {
  if (!isPost || r.params.length !== 1) return false;
  const p = r.params[0];
  if (!p || p.name !== '') return false;
  if (contentKind === 'json' || contentKind === 'any') return p.type === 'json' || p.type === 'jsonb';
  if (contentKind === 'text') return p.type === 'text';
  if (contentKind === 'xml') return p.type === 'xml';
  if (contentKind === 'octet') return p.type === 'bytea';
  return false;
}

function findRoutine(cache: SchemaCache, schema: string, name: string, keys: Set<string>, isPost: boolean, contentKind: MediaType['kind']): Routine {
  const candidates = cache.routines.get(qiKey({ schema, name })) ?? [];
  const matched = candidates.filter((r) => matchesParams(r, keys, isPost, contentKind));
  const fallback = candidates.filter((r) => !matchesParams(r, keys, isPost, contentKind) && hasSingleUnnamedParam(r, isPost, contentKind));
  const signature = (r: Routine) => `${r.schema}.${r.name}(${r.params.map((p) => `${p.name} => ${p.type}`).join(', ')})`;
  if (matched.length === 1) return matched[0] as Routine;
  if (matched.length > 1) throw Errors.ambiguousFunction(matched.map(signature));
  if (fallback.length === 1) return fallback[0] as Routine;
  if (fallback.length > 1) throw Errors.ambiguousFunction(fallback.map(signature));

  const argKeys = [...keys].sort();
  const onlySingle = isPost && ['text', 'xml', 'octet'].includes(contentKind);
  const func = `${schema}.${name}`;
  const fmtPrms = (p: string) => (argKeys.length === 0 ? ' without parameters' : p);
  const message = `Could not find the function ${func}${onlySingle ? '' : fmtPrms(`(${argKeys.join(', ')})`)} in the schema cache`;
  const prmsDet = ` with parameter${argKeys.length > 1 ? 's ' : ' '}${argKeys.join(', ')}`;
  let detailTail: string;
  if (isPost && contentKind === 'text') detailTail = ' with a single unnamed text parameter';
  else if (isPost && contentKind === 'xml') detailTail = ' with a single unnamed xml parameter';
  else if (isPost && contentKind === 'octet') detailTail = ' with a single unnamed bytea parameter';
  else if (isPost && (contentKind === 'json' || contentKind === 'any')) detailTail = `${fmtPrms(prmsDet)} or with a single unnamed json/jsonb parameter`;
  else detailTail = fmtPrms(prmsDet);
  const details = `Searched for the function ${func}${detailTail}, but no matches were found in the schema cache.`;
  let hint: string | null = null;
  if (!onlySingle) {
    if (candidates.length === 0) {
      const names = [...cache.routines.values()].flat().filter((r) => r.schema === schema).map((r) => r.name);
      const best = closest(name, new Set(names), 0.75);
      if (best) hint = `Perhaps you meant to call the function ${schema}.${best.value}`;
    } else {
      const lists = candidates.map((r) => `(${r.params.map((p) => p.name).sort().join(', ')})`);
      const best = closest(`(${argKeys.join(', ')})`, lists, 0.33);
      if (best) hint = `Perhaps you meant to call the function ${schema}.${name}${best.value}`;
    }
  }
  throw Errors.noFunction(message, details, hint);
}

// ---------------------------------------------------------------------------------------------

function searchPath(schema: string, extra: string[]): string {
  return [schema, ...extra].map(quoteIdent).join(', ');
}

function respPreferences(req: ApiRequest, planType: Plan['type'], mutation?: MutatePlan['mutation'], hasPkOrOnConflict = false): Preferences {
  const p = req.preferences;
  const out: Preferences = { invalid: [] };
  if (mutation === 'create' && hasPkOrOnConflict && p.resolution) out.resolution = p.resolution;
  if (planType === 'mutate' && p.representation) out.representation = p.representation;
  if (p.count) out.count = p.count;
  if (p.transaction) out.transaction = p.transaction;
  if ((mutation === 'create' || mutation === 'update') && p.missing) out.missing = p.missing;
  if (p.handling) out.handling = p.handling;
  if (p.timezone !== undefined) out.timezone = p.timezone;
  if ((mutation === 'update' || mutation === 'delete' || planType === 'call') && p.maxAffected !== undefined) out.maxAffected = p.maxAffected;
  return out;
}

function checkStrict(req: ApiRequest): void {
  if (req.preferences.handling === 'strict' && req.preferences.invalid.length > 0) throw Errors.invalidPreferences(req.preferences.invalid);
}

function returningFor(node: ReadNode, pk: string[]): string[] | '*' {
  if (node.select.some((s) => s.field.column === '*')) return '*';
  const names = new Set<string>(node.select.map((s) => s.field.column));
  for (const e of node.embeds) {
    const c = e.relationship.cardinality;
    if (c.type === 'm2m') for (const [oc] of c.sourceColumns) names.add(oc);
    else for (const [pc] of c.columns) names.add(pc);
  }
  for (const k of pk) names.add(k);
  for (const o of node.order) if (!o.embed) names.add(o.field.column);
  return [...names];
}

function collectFilterColumns(conds: Condition[], out: Set<string>): void {
  for (const c of conds) {
    if (c.type === 'filter') out.add(c.field.column);
    else if (c.type === 'expr') collectFilterColumns(c.children, out);
  }
}

function planMutation(req: ApiRequest, cache: SchemaCache, config: PlanConfig, state: BuildState): PlannedRequest {
  const action = req.action;
  if (action.type !== 'create' && action.type !== 'update' && action.type !== 'delete' && action.type !== 'upsert') throw Errors.internal();
  const table = findTable(cache, req.schema, action.target);
  const ctx = tableContext(table);
  const node = buildReadTree(state, req, { rootFrom: { kind: 'source' }, rootAlias: table.name, rootCtx: ctx, originName: table.name, isMutation: true }, config);
  const p = req.preferences;
  const wantsBody = p.representation === 'full';
  const media = negotiate(req.accept, {});
  const returning: string[] | '*' = p.representation === 'full' || p.representation === 'headers-only' ? returningFor(node, table.pk) : [];

  const where: Condition[] = [];
  for (const f of req.query.filtersRoot) where.push(resolveFilter(ctx, node, f));
  for (const [path, t] of req.query.logic) if (path.length === 0) where.push(resolveLogic(ctx, node, t));

  const typed = (): { name: string; type: string; default: string | null }[] =>
    [...req.columns].map((name) => {
      const col = table.columnMap.get(name);
      if (!col) throw Errors.columnNotFound(table.name, name);
      return { name, type: col.type, default: col.default };
    });

  const plan: MutatePlan = {
    type: 'mutate',
    mutation: action.type,
    table,
    where,
    returning,
    node,
    media: { handler: wantsBody ? media.handler : 'none', contentType: media.contentType },
    singular: media.handler.startsWith('singular'),
    pkColumns: table.pk,
    readOnly: false,
  };

  const payload = req.payload;
  if (action.type === 'create') {
    if (payload?.kind !== 'json') throw Errors.invalidBody('Empty or invalid json');
    const columns = typed();
    const spec: InsertSpec = { columns, payload, applyDefaults: p.missing === 'default' };
    if (p.resolution) {
      const conflictCols = req.query.onConflict ?? table.pk;
      for (const c of conflictCols) if (!table.columnMap.has(c)) throw Errors.undefinedColumn(table.name, c);
      if (conflictCols.length > 0) spec.onConflict = { resolution: p.resolution, columns: conflictCols };
    }
    plan.insert = spec;
  } else if (action.type === 'upsert') {
    if (payload?.kind !== 'json') throw Errors.invalidBody('Empty or invalid json');
    const pk = table.pk;
    const rootFilters = req.query.filtersRoot;
    const filterFields = new Set(rootFilters.map((f) => f.field.name));
    const ok =
      req.query.logic.length === 0 &&
      pk.length > 0 &&
      req.query.filterFields.size === pk.length &&
      pk.every((k) => req.query.filterFields.has(k) && filterFields.has(k)) &&
      rootFilters.every((f) => !f.expr.negated && f.expr.operation.kind === 'quant' && f.expr.operation.op === 'eq' && f.expr.operation.quantifier === undefined);
    if (!ok) throw Errors.invalidPutFilters();
    const columns = typed();
    plan.insert = {
      columns,
      payload,
      applyDefaults: false,
      onConflict: { resolution: 'merge-duplicates', columns: pk },
      putConditions: rootFilters.map((f) => ({ type: 'filter', field: resolveField(ctx, f.field), expr: f.expr })),
    };
    plan.where = [];
  } else if (action.type === 'update') {
    if (payload?.kind !== 'json') throw Errors.invalidBody('Empty or invalid json');
    const columns = typed();
    if (columns.length > 0 && where.length === 0) throw Errors.safeUpdate('UPDATE');
    plan.update = { columns, payload, applyDefaults: p.missing === 'default' };
  } else if (where.length === 0) {
    throw Errors.safeUpdate('DELETE');
  }
  checkStrict(req);
  const hasPkOrOnConflict = table.pk.length > 0 || req.query.onConflict !== undefined;
  return {
    plan,
    settings: { search_path: searchPath(req.schema, config.extraSearchPath) },
    preferences: req.preferences,
    applied: respPreferences(req, 'mutate', action.type, hasPkOrOnConflict),
  };
}

function planCall(req: ApiRequest, cache: SchemaCache, config: PlanConfig, state: BuildState): PlannedRequest {
  const action = req.action;
  if (action.type !== 'call') throw Errors.internal();
  const isPost = action.invoke === 'post';
  const keys = isPost ? req.columns : new Set(req.query.rpcParams.map(([k]) => k));
  const routine = findRoutine(cache, req.schema, action.target, keys, isPost, req.contentType.kind);
  const scalar = routineReturnsScalar(routine);
  const setOfScalar = routineReturnsSetOfScalar(routine);
  const tableName = routine.returnTable?.name ?? routine.name;
  let columns: Map<string, ColumnInfo> | null = null;
  if (routine.returnColumns) columns = new Map(routine.returnColumns.map((c) => [c.name, { name: c.name, baseType: baseTypeOf(c.type) }]));
  const returnTable = routine.returnTable ? cache.tables.get(qiKey(routine.returnTable)) : undefined;
  if (returnTable && !routine.returnColumns) columns = tableContext(returnTable).columns;
  const rootCtx: NodeContext = { relName: tableName, columns };
  const node = buildReadTree(
    state,
    req,
    { rootFrom: { kind: 'source' }, rootAlias: tableName, rootCtx, originName: tableName, isMutation: false },
    config,
  );
  if ((scalar || setOfScalar) && (node.select.some((s) => s.field.column !== '*') || node.embeds.length > 0)) {
    const bad = node.select.find((s) => s.field.column !== '*');
    throw Errors.undefinedColumn(tableName, bad ? bad.field.column : (node.embeds[0]?.relName ?? ''));
  }
  const media = negotiate(req.accept, { rpcScalar: scalar || setOfScalar });

  let args: CallArgs;
  const paramByName = new Map(routine.params.map((p) => [p.name, p]));
  const firstParam = routine.params[0];
  if (routine.params.length === 1 && firstParam && firstParam.name === '') {
    const raw = req.payload?.kind === 'json' || req.payload?.kind === 'raw' ? req.payload.raw : '{}';
    args = { kind: 'single', raw, type: firstParam.type };
  } else if (!isPost || req.payload?.kind === 'params') {
    const pairs = isPost && req.payload?.kind === 'params' ? req.payload.params : req.query.rpcParams;
    const values = new Map<string, string | string[]>();
    for (const [k, v] of pairs) {
      const prm = paramByName.get(k);
      if (!prm) continue;
      if (prm.variadic) {
        const prev = values.get(k);
        values.set(k, [...(Array.isArray(prev) ? prev : prev === undefined ? [] : [prev]), v]);
      } else values.set(k, v);
    }
    const list = routine.params
      .filter((p) => values.has(p.name))
      .map((p) => ({ param: p.name, type: p.type, variadic: p.variadic, value: values.get(p.name) as string | string[] }));
    args = list.length === 0 ? { kind: 'none' } : { kind: 'direct', values: list };
  } else {
    const payload = req.payload;
    const raw = payload?.kind === 'json' ? payload.raw : '{}';
    const isObject = payload?.kind === 'json' ? payload.isObject : true;
    const params = routine.params.filter((p) => keys.has(p.name)).map((p) => ({ name: p.name, type: p.type, variadic: p.variadic }));
    args = params.length === 0 ? { kind: 'none' } : { kind: 'json', raw, isObject, params };
  }

  let returning: string[] | '*' = '*';
  if (!scalar && !setOfScalar) {
    const r = returningFor(node, []);
    if (r !== '*') {
      const names = new Set(r);
      collectFilterColumns(node.where, names);
      returning = [...names];
    }
  }
  const p = req.preferences;
  if (p.handling === 'strict' && p.maxAffected !== undefined && routineReturnsSingle(routine)) throw Errors.maxAffectedRpc();
  checkStrict(req);
  const readOnly = !isPost || routine.volatility !== 'volatile';
  const plan: CallPlan = {
    type: 'call',
    routine,
    args,
    node,
    media: action.invoke === 'head' ? { handler: 'none', contentType: media.contentType } : media,
    singular: media.handler.startsWith('singular'),
    headOnly: action.invoke === 'head',
    readOnly,
    scalar,
    setOfScalar,
    single: routineReturnsSingle(routine),
    returning,
  };
  if (p.count) plan.count = p.count;
  const settings: Record<string, string> = { search_path: searchPath(req.schema, config.extraSearchPath) };
  return { plan, settings, preferences: p, applied: respPreferences(req, 'call') };
}

export function planRequest(req: ApiRequest, cache: SchemaCache, config: PlanConfig): PlannedRequest {
  const state: BuildState = { cache, schema: req.schema, aggregatesEnabled: config.aggregatesEnabled };
  const action = req.action;
  let planned: PlannedRequest;
  switch (action.type) {
    case 'schema': {
      const ok = req.accept.some((m) => m.kind === 'openapi' || m.kind === 'json' || m.kind === 'any');
      if (!ok) throw Errors.mediaType(req.accept.map((m) => m.mime));
      planned = {
        plan: { type: 'openapi', schema: req.schema, headOnly: action.headOnly, readOnly: true },
        settings: { search_path: searchPath(req.schema, config.extraSearchPath) },
        preferences: req.preferences,
        applied: { invalid: [] },
      };
      break;
    }
    case 'read': {
      const table = findTable(cache, req.schema, action.target);
      const node = buildReadTree(
        state,
        req,
        { rootFrom: { kind: 'table', qi: table }, rootAlias: table.name, rootCtx: tableContext(table), originName: table.name, isMutation: false },
        config,
      );
      const media = negotiate(req.accept, {});
      checkStrict(req);
      const plan: ReadPlan = {
        type: 'read',
        table,
        node,
        media: action.headOnly ? { handler: 'none', contentType: media.contentType } : media,
        singular: media.handler.startsWith('singular'),
        headOnly: action.headOnly,
        readOnly: true,
      };
      if (req.preferences.count) plan.count = req.preferences.count;
      planned = {
        plan,
        settings: { search_path: searchPath(req.schema, config.extraSearchPath) },
        preferences: req.preferences,
        applied: respPreferences(req, 'read'),
      };
      break;
    }
    case 'call':
      planned = planCall(req, cache, config, state);
      break;
    default:
      planned = planMutation(req, cache, config, state);
  }
  const tz = req.preferences.timezone;
  if (tz !== undefined) {
    if (cache.timezones.has(tz)) planned.settings.timezone = tz;
    else {
      delete planned.applied.timezone;
      if (req.preferences.handling === 'strict') throw Errors.invalidPreferences([`timezone=${tz}`]);
    }
  }
  return planned;
}

