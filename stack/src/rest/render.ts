// Render: a plan as SQL text plus bound values (PostgREST's QueryBuilder.hs, SqlFragment.hs and
// Statements.hs), pure. Identifiers come only from the plan (checked against the schema cache)
// and are always quoted; every value from the request is a `$n` parameter. The one statement
// returns one row: total_result_set, page_total, body, response GUCs, location, inserted.
import { quoteIdent as q } from './plan/columns.ts';
import { ALL_RANGE, rangeLimit, sameRange } from './range.ts';
import type { Aggregate, OpExpr } from './parse/ast.ts';
import type {
  CallPlan,
  Condition,
  Embed,
  Handler,
  MutatePlan,
  OrderItem,
  Plan,
  ReadNode,
  ReadPlan,
  ResolvedField,
  SelectField,
} from './plan/types.ts';

export interface SqlStatement {
  text: string;
  values: (string | null)[];
}

export interface RenderedPlan {
  main: SqlStatement;
  /** EXPLAIN of the count query, for `count=planned|estimated`. */
  explain?: SqlStatement;
  /** `main` is an EXPLAIN whose rows are the response body, in this format. */
  planFormat?: 'json' | 'text';
}

export interface RenderConfig {
  maxRows: number | null;
}

class Params {
  readonly values: (string | null)[] = [];
  add(v: string | null): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

const SOURCE = 'pgrst_source';

// ---------------------------------------------------------------------------------------------
// Fragments

/** A PostgreSQL array literal of text values, as PostgREST's pgBuildArrayLiteral. */
export function arrayLiteral(values: string[]): string {
  const esc = (v: string) => `"${v.replace(/\u0000/g, '').replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return `{${values.map(esc).join(',')}}`;
}

function column(alias: string, name: string): string {
  return name === '*' ? `${q(alias)}.*` : `${q(alias)}.${q(name)}`;
}

export function renderField(alias: string, f: ResolvedField, p: Params): string {
  // A computed field is `fn(row)`; the row is cast to the function's argument type, as PostgREST
  // does for computed relationships, so it also applies to the rows of a mutation or call CTE.
  let expr = f.computed
    ? `${q(f.computed.fn.schema)}.${q(f.computed.fn.name)}(${q(alias)}::${q(f.computed.argType.schema)}.${q(f.computed.argType.name)})`
    : column(alias, f.column);
  if (f.jsonPath.length > 0) {
    if (f.toJson) expr = `to_jsonb(${expr})`;
    for (const op of f.jsonPath) {
      expr += op.arrow + (op.key !== undefined ? p.add(op.key) : `${p.add(String(Number(op.index)))}::int`);
    }
  }
  if (f.toTsVector) expr = `to_tsvector(${f.toTsVector.language !== undefined ? `${p.add(f.toTsVector.language)}, ` : ''}${expr})`;
  return expr;
}

const SIMPLE_OPS: Record<string, string> = { neq: '<>', cs: '@>', cd: '<@', ov: '&&', sl: '<<', sr: '>>', nxr: '&<', nxl: '&>', adj: '-|-' };
const QUANT_OPS: Record<string, string> = { eq: '=', gte: '>=', gt: '>', lte: '<=', lt: '<', like: 'like', ilike: 'ilike', match: '~', imatch: '~*' };
const FTS_FUNCS: Record<string, string> = { fts: 'to_tsquery', plfts: 'plainto_tsquery', phfts: 'phraseto_tsquery', wfts: 'websearch_to_tsquery' };
const IS_VALUES: Record<string, string> = { null: 'NULL', not_null: 'NOT NULL', true: 'TRUE', false: 'FALSE', unknown: 'UNKNOWN' };

function renderFilter(alias: string, field: ResolvedField, e: OpExpr, p: Params): string {
  const lhs = renderField(alias, field, p);
  const not = e.negated ? 'NOT ' : '';
  const op = e.operation;
  switch (op.kind) {
    case 'simple':
      return `${not}${lhs} ${SIMPLE_OPS[op.op]} ${p.add(op.value)}`;
    case 'quant': {
      const v = op.op === 'like' || op.op === 'ilike' ? op.value.replace(/\*/g, '%') : op.value;
      const param = p.add(v);
      const rhs = op.quantifier === 'any' ? `ANY(${param})` : op.quantifier === 'all' ? `ALL(${param})` : param;
      return `${not}${lhs} ${QUANT_OPS[op.op]} ${rhs}`;
    }
    case 'is':
      return `${not}${lhs} IS ${IS_VALUES[op.value]}`;
    case 'isdistinct':
      return `${not}${lhs} IS DISTINCT FROM ${p.add(op.value)}`;
    case 'in':
      if (op.values.length === 1 && op.values[0] === '') return `${not}${lhs} = ANY('{}')`;
      return `${not}${lhs} = ANY(${p.add(arrayLiteral(op.values))})`;
    case 'fts':
      return `${not}${lhs} @@ ${FTS_FUNCS[op.op]}(${op.language !== undefined ? `${p.add(op.language)}, ` : ''}${p.add(op.value)})`;
  }
}

export function renderCondition(alias: string, c: Condition, p: Params): string {
  switch (c.type) {
    case 'filter':
      return renderFilter(alias, c.field, c.expr, p);
    case 'embedNull': {
      const a = q(c.embed.aggAlias);
      if (c.embed.toOne) return `row_to_json(${a}.*) IS ${c.isNull ? '' : 'NOT '}NULL`;
      return `${a}.${a} IS ${c.isNull ? '' : 'NOT '}NULL`;
    }
    case 'expr': {
      const inner = c.children.map((ch) => renderCondition(alias, ch, p)).join(c.operator === 'and' ? ' AND ' : ' OR ');
      return `${c.negated ? 'NOT ' : ''}(${inner})`;
    }
  }
}

function renderOrder(alias: string, items: OrderItem[], p: Params): string {
  if (items.length === 0) return '';
  const terms = items.map((o) => {
    const expr = o.embed && o.embedColumn ? column(o.embed.aggAlias, o.embedColumn) : renderField(alias, o.field, p);
    const dir = o.direction === 'asc' ? ' ASC' : o.direction === 'desc' ? ' DESC' : '';
    const nulls = o.nulls === 'first' ? ' NULLS FIRST' : o.nulls === 'last' ? ' NULLS LAST' : '';
    return `${expr}${dir}${nulls}`;
  });
  return ` ORDER BY ${terms.join(', ')}`;
}

function renderRange(node: ReadNode, p: Params): string {
  if (sameRange(node.range, ALL_RANGE)) return '';
  const limit = rangeLimit(node.range);
  return ` LIMIT ${limit === undefined ? 'ALL' : p.add(String(limit))} OFFSET ${p.add(String(node.range.lower))}`;
}

/** SUM(expr), COUNT(expr)… with the optional cast of the result (PostgREST's pgFmtApplyAggregate). */
function applyAggregate(expr: string, aggregate: Aggregate | undefined, cast: string | undefined): string {
  if (aggregate === undefined) return expr;
  const agg = `${aggregate.toUpperCase()}(${expr})`;
  return cast === undefined ? agg : `CAST(${agg} AS ${cast})`;
}

function renderSelectField(alias: string, s: SelectField, p: Params): string {
  const f = s.field;
  let expr = f.column === '*' ? ('fullRow' in f && f.fullRow ? q(alias) : column(alias, '*')) : renderField(alias, f as ResolvedField, p);
  if (s.cast !== undefined) expr = `CAST(${expr} AS ${s.cast})`;
  expr = applyAggregate(expr, s.aggregate, s.aggregateCast);
  if (s.alias !== undefined) expr += ` AS ${q(s.alias)}`;
  else if (s.aggregate === undefined && (s.cast !== undefined || (f as ResolvedField).computed !== undefined) && f.column !== '*') expr += ` AS ${q(f.column)}`;
  return expr;
}

function embedOutputs(e: Embed): string[] {
  const a = q(e.aggAlias);
  if (e.empty) return [];
  if (e.spread) {
    return e.spreadSelects.map((s) => {
      const expr = applyAggregate(`${a}.${q(s.name)}`, s.aggregate, s.aggregateCast);
      return s.alias !== undefined ? `${expr} AS ${q(s.alias)}` : expr;
    });
  }
  if (e.toOne) {
    const hidden = e.node.hidden.map((h) => h.alias);
    const obj = `row_to_json(${a}.*)::jsonb`;
    return [`${hidden.length > 0 ? `(${obj} - '{${hidden.join(',')}}'::text[])` : obj} AS ${q(e.name)}`];
  }
  return [`COALESCE(${a}.${a}, '[]') AS ${q(e.name)}`];
}

function renderJoin(e: Embed, p: Params): string {
  const a = q(e.aggAlias);
  const kind = e.joinType === 'inner' ? 'INNER' : 'LEFT';
  const sub = renderNode(e.node, p);
  if (e.toOne) return ` ${kind} JOIN LATERAL (${sub}) AS ${a} ON TRUE`;
  // A to-many spread lifts each of its columns into the parent as an array (PostgREST 13).
  const spreadArrays = e.spread ? e.spreadSelects.map((s) => `, COALESCE(json_agg(${a}.${q(s.name)}), '[]')::jsonb AS ${q(s.alias ?? s.name)}`).join('') : '';
  const agg = `SELECT json_agg(${a}.*)::jsonb AS ${a}${spreadArrays} FROM (${sub}) AS ${a}`;
  return ` ${kind} JOIN LATERAL (${agg}) AS ${a} ON ${e.joinType === 'inner' ? `${a}.${a} IS NOT NULL` : 'TRUE'}`;
}

function renderFrom(node: ReadNode): string {
  const f = node.from;
  const from =
    f.kind === 'table'
      ? `${q(f.qi.schema)}.${q(f.qi.name)}`
      : f.kind === 'computed'
        ? `${q(f.fn.schema)}.${q(f.fn.name)}(${q(f.parentAlias)}::${q(f.argType.schema)}.${q(f.argType.name)})`
        : q(SOURCE);
  let out = ` FROM ${from} AS ${q(node.alias)}`;
  if (node.junction) out += `, ${q(node.junction.qi.schema)}.${q(node.junction.qi.name)} AS ${q(node.junction.alias)}`;
  return out;
}

function whereClause(node: ReadNode, p: Params, conditions: Condition[]): string {
  const parts = [
    ...node.joinConditions.map((j) => `${column(j.childAlias, j.childColumn)} = ${column(j.parentAlias, j.parentColumn)}`),
    ...conditions.map((c) => renderCondition(node.alias, c, p)),
  ];
  return parts.length === 0 ? '' : ` WHERE ${parts.join(' AND ')}`;
}

/** SELECT … FROM … [joins] WHERE … ORDER BY … LIMIT … of one node and its embeds. */
export function renderNode(node: ReadNode, p: Params): string {
  const outputs: string[] = [];
  const defaultStar = node.select.length === 0 && node.embeds.length === 0;
  if (defaultStar) outputs.push(column(node.alias, '*'));
  for (const s of node.select) outputs.push(renderSelectField(node.alias, s, p));
  for (const h of node.hidden) outputs.push(`${renderField(node.alias, h.field, p)} AS ${q(h.alias)}`);
  for (const e of node.embeds) outputs.push(...embedOutputs(e));
  const joins = node.embeds.map((e) => renderJoin(e, p)).join('');
  return `SELECT ${outputs.join(', ')}${renderFrom(node)}${joins}${whereClause(node, p, node.where)}${renderGroup(node, p)}${renderOrder(node.alias, node.order, p)}${renderRange(node, p)}`;
}

/** GROUP BY the node's other outputs when it aggregates (PostgREST's groupF). */
function renderGroup(node: ReadNode, p: Params): string {
  const aggregated =
    node.select.some((s) => s.aggregate !== undefined) || node.embeds.some((e) => e.spread && e.spreadSelects.some((s) => s.aggregate !== undefined));
  if (!aggregated) return '';
  const terms: string[] = [];
  for (const s of node.select) {
    if (s.aggregate !== undefined) continue;
    if (s.alias !== undefined) terms.push(q(s.alias));
    else terms.push(s.field.column === '*' ? column(node.alias, '*') : renderField(node.alias, s.field as ResolvedField, p));
  }
  for (const e of node.embeds) {
    if (e.empty) continue;
    if (!e.spread) terms.push(q(e.name));
    else for (const s of e.spreadSelects) if (s.aggregate === undefined) terms.push(`${q(e.aggAlias)}.${q(s.alias ?? s.name)}`);
  }
  return terms.length === 0 ? '' : ` GROUP BY ${terms.join(', ')}`;
}

function embedsInConditions(conds: Condition[], out: Set<Embed>): void {
  for (const c of conds) {
    if (c.type === 'embedNull') out.add(c.embed);
    else if (c.type === 'expr') embedsInConditions(c.children, out);
  }
}

/** The root's rows without limit, order or output: what `count=exact` counts. */
export function renderCountQuery(node: ReadNode, p: Params): string {
  const needed = new Set<Embed>();
  embedsInConditions(node.where, needed);
  const joins = node.embeds
    .filter((e) => e.joinType === 'inner' || needed.has(e))
    .map((e) => renderJoin(e, p))
    .join('');
  return `SELECT 1${renderFrom(node)}${joins}${whereClause(node, p, node.where)}`;
}

// ---------------------------------------------------------------------------------------------
// Bodies

function bodyExpr(handler: Handler, scalar: boolean, setOfScalar: boolean, singleComposite = false): string {
  const value = scalar || setOfScalar ? '_postgrest_t.pgrst_scalar' : '_postgrest_t';
  const one = scalar || singleComposite;
  switch (handler) {
    case 'json':
      if (one) return `coalesce((json_agg(${value})->0)::text, 'null')`;
      return `coalesce(json_agg(${value}), '[]')::text`;
    case 'json-stripped':
      if (one) return `coalesce(json_strip_nulls(json_agg(${value})->0)::text, 'null')`;
      return `coalesce(json_strip_nulls(json_agg(${value})), '[]')::text`;
    case 'singular':
      return `coalesce((json_agg(${value})->0)::text, 'null')`;
    case 'singular-stripped':
      return `coalesce(json_strip_nulls(json_agg(${value})->0)::text, 'null')`;
    case 'csv':
      return (
        `(SELECT coalesce(string_agg(a.k, ','), '') FROM (SELECT json_object_keys(r)::text AS k FROM (SELECT row_to_json(hh) AS r FROM ${SOURCE} AS hh LIMIT 1) s) a)` +
        ` || E'\\n' || coalesce(string_agg(substring(_postgrest_t::text, 2, length(_postgrest_t::text) - 2), E'\\n'), '')`
      );
    case 'none':
      return `''::text`;
  }
}

const GUC_COLUMNS =
  "nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status";

function countParts(
  shouldCount: boolean,
  countQuery: () => string,
  pageCount: string,
  cfg: RenderConfig,
  ranged: boolean,
  estimated: boolean,
): { cte: string; total: string } {
  if (!shouldCount) return { cte: '', total: 'null::bigint' };
  if (cfg.maxRows === null && !ranged) return { cte: '', total: pageCount };
  const limit = estimated && cfg.maxRows !== null ? ` LIMIT ${cfg.maxRows + 1}` : '';
  return { cte: `, pgrst_source_count AS (${countQuery()}${limit})`, total: '(SELECT pg_catalog.count(*) FROM pgrst_source_count)' };
}

function renderRead(plan: ReadPlan, cfg: RenderConfig): RenderedPlan {
  const p = new Params();
  const source = renderNode(plan.node, p);
  const count = countParts(
    plan.count === 'exact' || plan.count === 'estimated',
    () => renderCountQuery(plan.node, p),
    'pg_catalog.count(_postgrest_t)',
    cfg,
    !sameRange(plan.node.range, ALL_RANGE),
    plan.count === 'estimated',
  );
  const main = {
    text:
      `WITH ${SOURCE} AS (${source})${count.cte} ` +
      `SELECT ${count.total} AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, ${bodyExpr(plan.media.handler, false, false)} AS body, ${GUC_COLUMNS}, ` +
      `null::text[] AS location, null::int AS response_inserted FROM (SELECT * FROM ${SOURCE}) _postgrest_t`,
    values: p.values,
  };
  const out: RenderedPlan = { main };
  if (plan.count === 'planned' || plan.count === 'estimated') {
    const ep = new Params();
    out.explain = { text: `EXPLAIN (FORMAT JSON) ${renderCountQuery(plan.node, ep)}`, values: ep.values };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Mutations

type TypedColumn = { name: string; type: string; default: string | null };

/** FROM (SELECT $n AS json_data) pgrst_payload, [defaults,] LATERAL (SELECT cols FROM json_to_record…) pgrst_body */
function jsonBodyFrom(raw: string, isObject: boolean, columns: TypedColumn[], applyDefaults: boolean, limitOne: boolean, p: Params): string {
  const jsonb = applyDefaults;
  const payload = `(SELECT ${p.add(raw)}::${jsonb ? 'jsonb' : 'json'} AS json_data) pgrst_payload`;
  let defaults = '';
  let source = 'pgrst_payload.json_data';
  if (applyDefaults) {
    const withDefaults = columns.filter((c) => c.default !== null);
    const obj = `jsonb_build_object(${withDefaults.map((c) => `${p.add(c.name)}::text, ${c.default}`).join(', ')})`;
    defaults = isObject
      ? `, LATERAL (SELECT ${obj} || pgrst_payload.json_data AS val) pgrst_json_defs`
      : `, LATERAL (SELECT jsonb_agg(${obj} || elem) AS val FROM jsonb_array_elements(pgrst_payload.json_data) elem) pgrst_json_defs`;
    source = 'pgrst_json_defs.val';
  }
  const toRecord = `${jsonb ? 'jsonb' : 'json'}_to_record${isObject ? '' : 'set'}`;
  const arrayElements = `${jsonb ? 'jsonb' : 'json'}_array_elements`;
  let lateral: string;
  if (columns.length === 0) {
    lateral = isObject ? 'SELECT FROM (values(1)) _' : `SELECT FROM ${arrayElements}(${source}) _`;
  } else {
    const names = columns.map((c) => q(c.name)).join(', ');
    const typed = columns.map((c) => `${q(c.name)} ${c.type}`).join(', ');
    lateral = `SELECT ${names} FROM ${toRecord}(${source}) AS _(${typed})${limitOne ? ' LIMIT 1' : ''}`;
  }
  return `FROM ${payload}${defaults}, LATERAL (${lateral}) pgrst_body`;
}

function returningClause(alias: string, returning: string[] | '*'): string {
  if (returning === '*') return ` RETURNING ${column(alias, '*')}`;
  if (returning.length === 0) return ' RETURNING 1';
  return ` RETURNING ${returning.map((c) => column(alias, c)).join(', ')}`;
}

const INSERTED_INC =
  "set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) + 1)::text, true) <> '0'";
const INSERTED_DEC =
  "set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) - 1)::text, true) <> '-1'";

function renderMutation(plan: MutatePlan, p: Params): string {
  const t = plan.table;
  const target = `${q(t.schema)}.${q(t.name)}`;
  const alias = t.name;
  if (plan.insert) {
    const ins = plan.insert;
    const cols = ins.columns.map((c) => q(c.name)).join(', ');
    const merge = ins.onConflict?.resolution === 'merge-duplicates';
    let sql = `INSERT INTO ${target} AS ${q(alias)}${ins.columns.length > 0 ? `(${cols})` : ''} SELECT ${ins.columns.map((c) => column('pgrst_body', c.name)).join(', ')} `;
    sql += jsonBodyFrom(ins.payload.raw, ins.payload.isObject, ins.columns, ins.applyDefaults, false, p);
    const conds: string[] = [];
    if (ins.putConditions || merge) conds.push(INSERTED_INC);
    if (ins.putConditions) conds.push(...ins.putConditions.map((c) => renderCondition('pgrst_body', c, p)));
    if (conds.length > 0) sql += ` WHERE ${conds.join(' AND ')}`;
    if (ins.onConflict && ins.onConflict.columns.length > 0) {
      sql += ` ON CONFLICT(${ins.onConflict.columns.map(q).join(', ')}) `;
      if (ins.onConflict.resolution === 'ignore-duplicates' || ins.columns.length === 0) sql += 'DO NOTHING';
      else sql += `DO UPDATE SET ${ins.columns.map((c) => `${q(c.name)} = EXCLUDED.${q(c.name)}`).join(', ')} WHERE ${INSERTED_DEC}`;
    }
    return sql + returningClause(alias, plan.returning);
  }
  if (plan.update) {
    const up = plan.update;
    if (up.columns.length === 0) {
      const cols = plan.returning === '*' ? column(alias, '*') : plan.returning.length === 0 ? 'NULL' : plan.returning.map((c) => column(alias, c)).join(', ');
      return `SELECT ${cols} FROM ${target} AS ${q(alias)} WHERE false`;
    }
    const sets = up.columns.map((c) => `${q(c.name)} = ${column('pgrst_body', c.name)}`).join(', ');
    let sql = `UPDATE ${target} AS ${q(alias)} SET ${sets} ${jsonBodyFrom(up.payload.raw, up.payload.isObject, up.columns, up.applyDefaults, false, p)}`;
    if (plan.where.length > 0) sql += ` WHERE ${plan.where.map((c) => renderCondition(alias, c, p)).join(' AND ')}`;
    return sql + returningClause(alias, plan.returning);
  }
  let sql = `DELETE FROM ${target} AS ${q(alias)}`;
  if (plan.where.length > 0) sql += ` WHERE ${plan.where.map((c) => renderCondition(alias, c, p)).join(' AND ')}`;
  return sql + returningClause(alias, plan.returning);
}

function renderWrite(plan: MutatePlan): RenderedPlan {
  const p = new Params();
  const mutation = renderMutation(plan, p);
  const select = plan.media.handler === 'none' ? `SELECT * FROM ${SOURCE}` : renderNode(plan.node, p);
  const isInsert = plan.insert !== undefined;
  let location = 'null::text[]';
  if (isInsert && plan.pkColumns.length > 0) {
    const pk = p.add(arrayLiteral(plan.pkColumns));
    location =
      `CASE WHEN pg_catalog.count(_postgrest_t) = 1 THEN coalesce((WITH data AS (SELECT row_to_json(_) AS row FROM ${SOURCE} AS _ LIMIT 1) ` +
      `SELECT array_agg(json_data.key || '=' || coalesce('eq.' || json_data.value, 'is.null')) FROM data CROSS JOIN json_each_text(data.row) AS json_data ` +
      `WHERE json_data.key = ANY(${pk}::text[])), array[]::text[]) ELSE array[]::text[] END`;
  }
  const tracksInserted = isInsert && (plan.insert?.putConditions !== undefined || plan.insert?.onConflict?.resolution === 'merge-duplicates');
  const inserted = tracksInserted ? "nullif(current_setting('pgrst.inserted', true), '')::int" : 'null::int';
  return {
    main: {
      text:
        `WITH ${SOURCE} AS (${mutation}) ` +
        `SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, ${bodyExpr(plan.media.handler, false, false)} AS body, ${GUC_COLUMNS}, ` +
        `${location} AS location, ${inserted} AS response_inserted FROM (${select}) _postgrest_t`,
      values: p.values,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Calls

function renderCallSource(plan: CallPlan, p: Params): string {
  const r = plan.routine;
  const fn = `${q(r.schema)}.${q(r.name)}`;
  const scalar = plan.scalar || plan.setOfScalar;
  const callIt = (args: string) => (scalar ? `(SELECT ${fn}(${args}) pgrst_scalar) pgrst_call` : `${fn}(${args}) pgrst_call`);
  const columns = scalar
    ? 'pgrst_call.pgrst_scalar'
    : plan.returning === '*'
      ? 'pgrst_call.*'
      : plan.returning.length === 0
        ? 'pgrst_call.*'
        : plan.returning.map((c) => column('pgrst_call', c)).join(', ');
  const a = plan.args;
  switch (a.kind) {
    case 'none':
      return `SELECT ${columns} FROM ${callIt('')}`;
    case 'single':
      return `SELECT ${columns} FROM ${callIt(`${p.add(a.raw)}::${a.type}`)}`;
    case 'direct': {
      const args = a.values
        .map((v) => {
          const value = Array.isArray(v.value) ? `${p.add(arrayLiteral(v.value))}::text[]::${v.type}` : `${p.add(v.value)}::${v.type}`;
          return `${v.variadic ? 'VARIADIC ' : ''}${q(v.param)} := ${value}`;
        })
        .join(', ');
      return `SELECT ${columns} FROM ${callIt(args)}`;
    }
    case 'json': {
      const body = jsonBodyFrom(a.raw, a.isObject, a.params.map((x) => ({ name: x.name, type: x.type, default: null })), false, true, p);
      const args = a.params.map((x) => `${x.variadic ? 'VARIADIC ' : ''}${q(x.name)} := ${column('pgrst_body', x.name)}`).join(', ');
      return `SELECT ${columns} ${body}, LATERAL ${callIt(args)}`;
    }
  }
}

function renderCall(plan: CallPlan, cfg: RenderConfig): RenderedPlan {
  const p = new Params();
  const call = renderCallSource(plan, p);
  const select = renderNode(plan.node, p);
  const pageCount = plan.single ? '1' : 'pg_catalog.count(_postgrest_t)';
  const count = countParts(
    plan.count === 'exact' || plan.count === 'estimated',
    () => renderCountQuery(plan.node, p),
    pageCount,
    cfg,
    !sameRange(plan.node.range, ALL_RANGE),
    plan.count === 'estimated',
  );
  return {
    main: {
      text:
        `WITH ${SOURCE} AS (${call})${count.cte} ` +
        `SELECT ${count.total} AS total_result_set, ${pageCount} AS page_total, ${bodyExpr(plan.media.handler, plan.scalar, plan.setOfScalar, plan.single && !plan.scalar)} AS body, ${GUC_COLUMNS}, ` +
        `null::text[] AS location, null::int AS response_inserted FROM (${select}) _postgrest_t`,
      values: p.values,
    },
  };
}

export function renderPlan(plan: Exclude<Plan, { type: 'openapi' }>, cfg: RenderConfig): RenderedPlan {
  const rendered = plan.type === 'read' ? renderRead(plan, cfg) : plan.type === 'mutate' ? renderWrite(plan) : renderCall(plan, cfg);
  const explain = plan.media.explain;
  if (!explain) return rendered;
  // `Accept: application/vnd.pgrst.plan…`: the main statement's EXPLAIN (PostgREST's explainF).
  const options = [`FORMAT ${explain.format.toUpperCase()}`, ...explain.options.map((o) => o.toUpperCase())];
  return { main: { text: `EXPLAIN (${options.join(', ')}) ${rendered.main.text}`, values: rendered.main.values }, planFormat: explain.format };
}
