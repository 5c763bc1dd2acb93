// The read tree: the select, embeds, filters, logic trees, order and ranges of a request, resolved
// node by node (PostgREST's ReadPlanTree).
import { Errors } from '../errors.ts';
import type { ApiRequest } from '../request.ts';
import { qiKey, relIsToOne, type SchemaCache, type Table } from '../schema-cache.ts';
import { ALL_RANGE, hasLimitZero, LIMIT_ZERO_RANGE, restrictRange } from '../range.ts';
import type { Filter, LogicTree, OrderTerm, SelectItem } from '../parse/ast.ts';
import type { Condition, Embed, OrderItem, PlanConfig, ReadNode, SelectField, SpreadSelect } from './types.ts';
import { lastJsonKey, type NodeContext, resolveCast, resolveField, tableContext } from './columns.ts';
import { findRelationship } from './relationships.ts';

export interface BuildState {
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

/**
 * The columns and computed fields of a table or view; `alias` names the node in errors, as
 * PostgreSQL names the embedded node's alias in PostgREST's (`column messages_1.sum does not exist`).
 */
export function relationContext(state: BuildState, table: Table, alias?: string): NodeContext {
  const ctx = tableContext(table, state.cache);
  return alias === undefined ? ctx : { ...ctx, relName: alias };
}

/** Builds a node's select list and its embeds, recursively (PostgREST's initReadRequest, addRels). */
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
      if (item.aggregate !== undefined && !state.aggregatesEnabled) throw Errors.aggregatesNotAllowed();
      const agg: Pick<SelectField, 'aggregate' | 'aggregateCast'> = {};
      if (item.aggregate !== undefined) agg.aggregate = item.aggregate;
      if (item.aggregateCast !== undefined) agg.aggregateCast = resolveCast(item.aggregateCast, state.cache);
      if (item.field.name === '*' && item.field.jsonPath.length === 0) {
        if (item.cast !== undefined) throw Errors.undefinedColumn(ctx.relName, '*');
        const sf: SelectField = { field: { column: '*', jsonPath: [], toJson: false }, ...agg };
        if (item.alias !== undefined) sf.alias = item.alias;
        node.select.push(sf);
        continue;
      }
      // `select=count` on a relation without such a column or computed field is, in PostgREST,
      // `"rel"."count"`: PostgreSQL's functional notation for count(rel), the rows of the node.
      const rowCount = item.field.name === 'count' && item.field.jsonPath.length === 0 && !ctx.columns?.has('count') && !ctx.computed?.fields.has('count');
      const field = rowCount ? { column: 'count', jsonPath: [], toJson: false } : resolveField(ctx, item.field);
      const sf: SelectField = { field, ...agg };
      if (item.cast !== undefined) sf.cast = resolveCast(item.cast, state.cache);
      const alias = item.alias ?? (item.aggregate === undefined && item.field.jsonPath.length > 0 ? lastJsonKey(item.field) : undefined);
      if (alias !== undefined) sf.alias = alias;
      node.select.push(sf);
      continue;
    }
    const rel = findRelationship(state.cache, state.schema, originName, item.name, item.hint);
    const target = state.cache.tables.get(qiKey(rel.foreignTable));
    if (!target) throw Errors.noRelationship(originName, item.name, item.hint ?? null, state.schema, null);
    const childAlias = uniqueAlias(`${rel.foreignTable.name}_${depth + 1}`, new Set(siblingAliases));
    const relAlias = item.type === 'relation' ? item.alias : undefined;
    // Not made unique: two embeds of one name without aliases fail in PostgreSQL (42712), as in PostgREST.
    const aggAlias = `${node.relName}_${relAlias ?? item.name}_${depth + 1}`;
    const c = rel.cardinality;
    const child: ReadNode = {
      from:
        c.type === 'computed'
          ? { kind: 'computed', qi: rel.foreignTable, fn: c.function, parentAlias: node.alias, argType: rel.table }
          : { kind: 'table', qi: rel.foreignTable },
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
    if (c.type === 'm2m') {
      const jAlias = uniqueAlias(`${c.junction.name}_${depth + 1}`, new Set([...siblingAliases, childAlias]));
      child.junction = { qi: c.junction, alias: jAlias };
      for (const [tc, jc] of c.targetColumns) child.joinConditions.push({ childAlias: jAlias, childColumn: jc, parentAlias: childAlias, parentColumn: tc });
      for (const [oc, jc] of c.sourceColumns) child.joinConditions.push({ childAlias: jAlias, childColumn: jc, parentAlias: node.alias, parentColumn: oc });
    } else if (c.type !== 'computed') {
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
      spreadSelects: [],
    };
    if (relAlias !== undefined) embed.relAlias = relAlias;
    buildNode(state, child, relationContext(state, target, childAlias), item.children, depth + 1, new Set([...siblingAliases, childAlias]), target.name);
    embed.empty = child.select.length === 0 && child.embeds.every((e) => e.empty);
    if (embed.spread && child.select.length === 0 && child.embeds.length === 0) child.select.push({ field: { column: '*', jsonPath: [], toJson: false } });
    node.embeds.push(embed);
  }
}

// ---------------------------------------------------------------------------------------------
// Aggregates and spreads, once the tree is built (PostgREST's expandStars, addAliases,
// addRelSelects, hoistSpreadAggFunctions and the to-many spread check).

/** An aggregate moved out of a to-one spread: applied where the spread's column lands. */
interface HoistedAgg {
  embedAggAlias: string;
  name: string;
  aggregate: NonNullable<SelectField['aggregate']>;
  aggregateCast?: string;
  alias?: string;
}

const isStar = (s: SelectField): boolean => s.field.column === '*' && s.field.jsonPath.length === 0;

/** `*` as the relation's columns, so they can be grouped by or lifted out of a to-many spread. */
function expandStars(state: BuildState, node: ReadNode): void {
  const qi = node.from.kind === 'source' ? null : node.from.qi;
  const table = qi ? state.cache.tables.get(qiKey(qi)) : undefined;
  if (!table || !node.select.some((s) => isStar(s) && s.aggregate === undefined)) return;
  node.select = node.select.flatMap((s) =>
    isStar(s) && s.aggregate === undefined ? table.columns.map((col) => ({ field: { column: col.name, jsonPath: [], toJson: false } })) : [s],
  );
}

function spreadSelectsOf(state: BuildState, child: ReadNode): SpreadSelect[] {
  const out: SpreadSelect[] = [];
  const qi = child.from.kind === 'source' ? null : child.from.qi;
  const table = qi ? state.cache.tables.get(qiKey(qi)) : undefined;
  for (const s of child.select) {
    if (isStar(s) && s.aggregate === undefined && s.alias === undefined) out.push(...(table?.columns ?? []).map((col) => ({ name: col.name })));
    else out.push({ name: s.alias ?? s.field.column });
  }
  for (const e of child.embeds) {
    if (e.empty) continue;
    if (e.spread) out.push(...e.spreadSelects.map((x) => ({ name: x.alias ?? x.name })));
    else out.push({ name: e.name });
  }
  return out;
}

function finishNode(state: BuildState, node: ReadNode, depth: number, spread: 'none' | 'to-one' | 'to-many', aggAbove: boolean): HoistedAgg[] {
  const hasAgg = aggAbove || node.select.some((s) => s.aggregate !== undefined) || spread === 'to-many';
  if (hasAgg) expandStars(state, node);
  if (spread !== 'none') {
    for (const s of node.select) {
      if (s.aggregate === undefined || s.alias !== undefined) continue;
      s.alias = s.aggregate;
      if (isStar(s) && spread === 'to-one') s.field = { column: '*', jsonPath: [], toJson: false, fullRow: true };
    }
  }
  const fromChildren: HoistedAgg[] = [];
  for (const e of node.embeds) {
    const childSpread = !e.spread ? 'none' : e.toOne ? 'to-one' : 'to-many';
    const hoisted = finishNode(state, e.node, depth + 1, childSpread, hasAgg);
    if (e.spread) {
      e.spreadSelects = spreadSelectsOf(state, e.node);
      if (childSpread === 'to-many' && (e.node.select.some((s) => s.aggregate !== undefined) || e.node.embeds.some((x) => x.spreadSelects.some((y) => y.aggregate !== undefined)))) {
        throw Errors.notImplemented('Aggregates are not implemented for one-to-many or many-to-many spreads.');
      }
    }
    fromChildren.push(...hoisted.map((h) => ({ ...h, embedAggAlias: e.aggAlias })));
  }
  if (spread === 'to-one' && depth > 0) {
    const own: HoistedAgg[] = [];
    for (const s of node.select) {
      if (s.aggregate === undefined) continue;
      const h: HoistedAgg = { embedAggAlias: '', name: s.alias ?? s.field.column, aggregate: s.aggregate };
      if (s.aggregateCast !== undefined) h.aggregateCast = s.aggregateCast;
      if (s.alias !== undefined) h.alias = s.alias;
      own.push(h);
      delete s.aggregate;
      delete s.aggregateCast;
    }
    return [...own, ...fromChildren];
  }
  for (const h of fromChildren) {
    const e = node.embeds.find((x) => x.aggAlias === h.embedAggAlias);
    const target = e?.spreadSelects.find((x) => x.name === h.name && x.aggregate === undefined);
    if (!target) continue;
    target.aggregate = h.aggregate;
    if (h.aggregateCast !== undefined) target.aggregateCast = h.aggregateCast;
    if (h.alias !== undefined) target.alias = h.alias;
  }
  return [];
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
  return t ? relationContext(state, t, node.alias) : rootCtx;
}

export function resolveFilter(ctx: NodeContext, node: ReadNode, f: Filter): Condition {
  // `rel=is.null` / `rel=not.is.null` on an embedded resource.
  if (f.field.jsonPath.length === 0 && f.expr.operation.kind === 'is' && f.expr.operation.value === 'null') {
    const embed = node.embeds.find((e) => (e.relAlias ?? e.relName) === f.field.name);
    if (embed) return { type: 'embedNull', isNull: !f.expr.negated, embed };
  }
  return { type: 'filter', field: resolveField(ctx, f.field, f.expr), expr: f.expr };
}

export function resolveLogic(ctx: NodeContext, node: ReadNode, t: LogicTree): Condition {
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
  const childCtx = target ? relationContext(state, target, embed.node.alias) : ctx;
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
export function buildReadTree(state: BuildState, req: ApiRequest, input: TreeInput, config: PlanConfig): ReadNode {
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
  finishNode(state, root, 0, 'none', false);
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

