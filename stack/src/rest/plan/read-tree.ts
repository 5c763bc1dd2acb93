// The read tree: the select, embeds, filters, logic trees, order and ranges of a request, resolved
// node by node (PostgREST's ReadPlanTree).
import { Errors } from '../errors.ts';
import type { ApiRequest } from '../request.ts';
import { qiKey, relIsToOne, type SchemaCache } from '../schema-cache.ts';
import { ALL_RANGE, hasLimitZero, LIMIT_ZERO_RANGE, restrictRange } from '../range.ts';
import type { Filter, LogicTree, OrderTerm, SelectItem } from '../parse/ast.ts';
import type { Condition, Embed, OrderItem, PlanConfig, ReadNode, SelectField } from './types.ts';
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

