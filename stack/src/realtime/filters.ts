// postgres_changes subscription parameters, parsed as Realtime's
// Extensions.PostgresCdcRls.Subscriptions.parse_subscription_params does: event → action filter,
// schema/table (`*` wildcards), `filter` = comma-separated `column=op.value` conditions (AND).
import type { PostgresChangeParams } from './messages.ts';

export type Action = '*' | 'INSERT' | 'UPDATE' | 'DELETE';

/** Operators the platform's realtime.equality_op and the local evaluator both support. */
export const FILTER_OPS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'like', 'ilike'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export interface Filter {
  column: string;
  op: FilterOp;
  /** For `in`: a Postgres array literal `{a,b}` (Realtime rewrites `(a,b)` so). */
  value: string;
}

export interface SubscriptionParams {
  action: Action;
  schema: string;
  table: string;
  filters: Filter[];
  select: string[] | null;
}

export function actionFilter(event: unknown): Action {
  if (typeof event !== 'string' || event === '*') return '*';
  const e = event.toUpperCase();
  return e === 'INSERT' || e === 'UPDATE' || e === 'DELETE' ? e : '*';
}

/** Splits on commas outside parentheses and double quotes. */
export function splitTopLevel(filter: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let prev = '';
  let cur = '';
  for (let i = 0; i < filter.length; i++) {
    const ch = filter[i]!;
    if (quoted) {
      if (ch === '\\' && i + 1 < filter.length) {
        cur += ch + filter[i + 1];
        prev = filter[i + 1]!;
        i++;
        continue;
      }
      if (ch === '"') quoted = false;
      cur += ch;
      prev = ch;
      continue;
    }
    if (ch === '"' && (prev === '.' || prev === '(' || prev === ',')) quoted = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
      prev = '';
      continue;
    }
    cur += ch;
    prev = ch;
  }
  out.push(cur);
  return out;
}

function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  let acc = '';
  for (let i = 1; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\' && i + 1 < value.length) {
      acc += value[i + 1];
      i++;
    } else if (ch === '"') {
      return i === value.length - 1 ? acc : value;
    } else acc += ch;
  }
  return value;
}

/** Elixir's `inspect` of a list of strings, for error messages that match Realtime's. */
const inspectList = (parts: string[]): string => `[${parts.map((p) => JSON.stringify(p)).join(', ')}]`;

function parseSegment(segment: string): Filter | string {
  const trimmed = segment.trim();
  if (trimmed === '') return 'filter must not contain empty segments (check for extra commas)';
  const eq = trimmed.indexOf('=');
  if (eq < 0) return inspectList([trimmed]);
  const column = trimmed.slice(0, eq);
  const opValue = trimmed.slice(eq + 1);
  const dot = opValue.indexOf('.');
  if (dot < 0) return inspectList([opValue]);
  const op = opValue.slice(0, dot);
  const value = opValue.slice(dot + 1);
  if (!(FILTER_OPS as readonly string[]).includes(op)) return inspectList([op, value]);
  if (op === 'in') {
    if (value.length < 2 || !value.startsWith('(') || !value.endsWith(')')) return '`in` filter value must be wrapped by parentheses';
    return { column, op: 'in', value: `{${value.slice(1, -1)}}` };
  }
  return { column, op: op as FilterOp, value: unquote(value) };
}

export function parseFilters(filter: string): Filter[] | string {
  const trimmed = filter.trim();
  if (trimmed === '') return [];
  const out: Filter[] = [];
  for (const seg of splitTopLevel(trimmed)) {
    const f = parseSegment(seg);
    if (typeof f === 'string') return f;
    out.push(f);
  }
  return out;
}

/** The subscription a binding asks for, or the error Realtime reports for it. */
export function parseSubscriptionParams(params: PostgresChangeParams): SubscriptionParams | { error: string } {
  const action = actionFilter(params.event);
  let select: string[] | null = null;
  if (params.select !== undefined) {
    const cols = params.select.filter((c) => typeof c === 'string');
    select = cols.length ? cols : null;
  }
  const has = (k: string) => Object.hasOwn(params, k) && (params as Record<string, unknown>)[k] !== undefined;
  let schema: string;
  let table: string;
  let filters: Filter[] = [];
  if (typeof params.schema === 'string' && typeof params.table === 'string' && typeof params.filter === 'string') {
    const parsed = parseFilters(params.filter);
    if (typeof parsed === 'string') return { error: `Error parsing \`filter\` params: ${parsed}` };
    [schema, table, filters] = [params.schema, params.table, parsed];
  } else if (typeof params.schema === 'string' && typeof params.table === 'string' && !has('filter')) {
    [schema, table] = [params.schema, params.table];
  } else if (typeof params.schema === 'string' && !has('table') && !has('filter')) {
    [schema, table] = [params.schema, '*'];
  } else if (typeof params.table === 'string' && !has('schema') && !has('filter')) {
    [schema, table] = ['public', params.table];
  } else {
    return { error: `No subscription params provided. Please provide at least a \`schema\` or \`table\` to subscribe to: ${JSON.stringify(params)}` };
  }
  if (select && (schema === '*' || table === '*')) {
    return { error: 'Column selection is not supported for wildcard subscriptions. Provide an explicit schema and table name.' };
  }
  return { action, schema, table, filters, select };
}

/** How Realtime prints subscription params in its error messages. */
export function paramsToLog(p: SubscriptionParams): string {
  const filters = p.filters.map((f) => `{${JSON.stringify(f.column)}, ${JSON.stringify(f.op)}, ${JSON.stringify(f.value)}}`);
  const select = p.select ? inspectList(p.select) : 'nil';
  return `event: ${p.action}, schema: ${p.schema}, table: ${p.table}, filters: [${filters.join(', ')}], select: ${select}`;
}

/** A stable small integer id for a binding, as Realtime's :erlang.phash2(params). */
export function bindingId(params: unknown): number {
  const text = JSON.stringify(params, Object.keys(params as object).sort());
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % 134217728;
}
