// Plan: the request resolved against the schema cache (PostgREST's Plan.hs), pure. Every table,
// column, relationship, function and cast type a request names is looked up here; what is not
// found is refused with PostgREST's error, so only known identifiers reach `render.ts`.
// This file: tables and functions, mutations, calls, and planRequest, the entry point.
import { Errors } from '../errors.ts';
import type { ApiRequest, MediaType, Preferences } from '../request.ts';
import {
  closest,
  qiKey,
  type Routine,
  routineReturnsScalar,
  routineReturnsSetOfScalar,
  routineReturnsSingle,
  type SchemaCache,
  type Table,
} from '../schema-cache.ts';
import { buildReadTree, type BuildState, resolveFilter, resolveLogic } from './read-tree.ts';
import type {
  CallArgs,
  CallPlan,
  Condition,
  InsertSpec,
  MutatePlan,
  Plan,
  PlanConfig,
  PlannedRequest,
  ReadNode,
  ReadPlan,
} from './types.ts';
import { baseTypeOf, type ColumnInfo, type NodeContext, quoteIdent, resolveField, tableContext } from './columns.ts';
import { negotiate } from './negotiate.ts';

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
  // PostgREST's order is its catalog query's (unordered); by parameter types matches what it shows.
  const byTypes = (list: Routine[]) => [...list].sort((a, b) => (a.params.map((x) => x.type).join(',') < b.params.map((x) => x.type).join(',') ? -1 : 1));
  if (matched.length > 1) throw Errors.ambiguousFunction(byTypes(matched).map(signature));
  if (fallback.length === 1) return fallback[0] as Routine;
  if (fallback.length > 1) throw Errors.ambiguousFunction(byTypes(fallback).map(signature));

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

function conditionsUseComputed(conds: Condition[]): boolean {
  return conds.some((c) => (c.type === 'filter' ? c.field.computed !== undefined : c.type === 'expr' ? conditionsUseComputed(c.children) : false));
}

/** The source's columns a node needs; all of them (`*`) when a computed field or relationship takes its whole row. */
function returningFor(node: ReadNode, pk: string[]): string[] | '*' {
  if (node.select.some((s) => s.field.column === '*')) return '*';
  const wholeRow =
    node.select.some((s) => 'computed' in s.field && s.field.computed !== undefined) ||
    node.order.some((o) => !o.embed && o.field.computed !== undefined) ||
    conditionsUseComputed(node.where) ||
    node.embeds.some((e) => e.relationship.cardinality.type === 'computed');
  if (wholeRow) return '*';
  const names = new Set<string>(node.select.map((s) => s.field.column));
  for (const e of node.embeds) {
    const c = e.relationship.cardinality;
    if (c.type === 'm2m') for (const [oc] of c.sourceColumns) names.add(oc);
    else if (c.type !== 'computed') for (const [pc] of c.columns) names.add(pc);
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
  const ctx = tableContext(table, cache);
  const node = buildReadTree(state, req, { rootFrom: { kind: 'source' }, rootAlias: table.name, rootCtx: ctx, originName: table.name, isMutation: true }, config);
  const p = req.preferences;
  const wantsBody = p.representation === 'full';
  const media = negotiate(req.accept, { planEnabled: config.planEnabled });
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
    media: { ...media, handler: wantsBody ? media.handler : 'none' },
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
  // Computed fields of the returned table apply to the call's rows (its whole row is returned).
  const computed = returnTable ? tableContext(returnTable, cache).computed : undefined;
  if (computed) rootCtx.computed = computed;
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
  const media = negotiate(req.accept, { rpcScalar: scalar || setOfScalar, planEnabled: config.planEnabled });

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
    media: action.invoke === 'head' ? { ...media, handler: 'none' } : media,
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
        { rootFrom: { kind: 'table', qi: table }, rootAlias: table.name, rootCtx: tableContext(table, cache), originName: table.name, isMutation: false },
        config,
      );
      const media = negotiate(req.accept, { planEnabled: config.planEnabled });
      checkStrict(req);
      const plan: ReadPlan = {
        type: 'read',
        table,
        node,
        media: action.headOnly ? { ...media, handler: 'none' } : media,
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

