// Parse: the query string grammar of PostgREST (ApiRequest/QueryParams.hs), pure. Splits the
// query string and hands each parameter to its parser (select.ts, filter.ts, order.ts);
// `limit`/`offset` per embed path; `columns`; `on_conflict`.
import { ALL_RANGE, rangeLimit, restrictRange, type RowRange } from '../range.ts';
import type { EmbedPath, Filter, LogicTree, OrderTerm, QueryParams } from './ast.ts';
import { eofP, fieldName, run, ws } from './cursor.ts';
import { parseFilter, parseLogic } from './filter.ts';
import { parseOrder } from './order.ts';
import { parseSelect } from './select.ts';

// ---------------------------------------------------------------------------------------------
// columns, on_conflict

function columnList(source: string, value: string): string[] {
  return run(source, value, (c) => {
    const cols = [fieldName(c)];
    for (;;) {
      ws(c);
      if (c.peek() !== ',') break;
      c.next();
      ws(c);
      cols.push(fieldName(c));
    }
    eofP(c);
    return cols;
  });
}

// ---------------------------------------------------------------------------------------------
// ranges

const INTEGER = /^\s*[+-]?\d+\s*$/;

function readInteger(v: string): number | undefined {
  return INTEGER.test(v) ? Number(v.trim()) : undefined;
}
// ---------------------------------------------------------------------------------------------
// the whole query string

/** Splits a raw query string like Haskell's parseQueryReplacePlus: `+` is a space; no `=` → no value. */
export function splitQuery(raw: string): [string, string | undefined][] {
  const q = raw.startsWith('?') ? raw.slice(1) : raw;
  if (q === '') return [];
  return q
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const i = p.indexOf('=');
      const k = i === -1 ? p : p.slice(0, i);
      const v = i === -1 ? undefined : p.slice(i + 1);
      return [decodeComponent(k), v === undefined ? undefined : decodeComponent(v)];
    });
}

function decodeComponent(s: string): string {
  const plus = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    // Invalid percent-escapes are kept literally, byte by byte where possible.
    return plus.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

function lastSegment(key: string): string {
  const parts = key.split('.');
  return parts[parts.length - 1] ?? '';
}

const RESERVED = new Set(['select', 'columns', 'on_conflict']);
const RESERVED_EMBEDDABLE = new Set(['order', 'limit', 'offset', 'and', 'or']);

function canonicalQuery(pairs: [string, string | undefined][]): string {
  // Network.HTTP.Base.urlEncode: only [A-Za-z0-9-_.~] stay as they are.
  const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return [...pairs]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${enc(k)}=${enc(v ?? '')}`)
    .join('&');
}

export function parseQueryParams(rawQuery: string, isRpcRead: boolean): QueryParams {
  const pairs = splitQuery(rawQuery);
  const nonEmpty = pairs.filter((p): p is [string, string] => p[1] !== undefined);
  const lookup = (name: string): string | undefined => pairs.find(([k]) => k === name)?.[1];

  const order: [EmbedPath, OrderTerm[]][] = [];
  const logic: [EmbedPath, LogicTree][] = [];
  const filters: [EmbedPath, Filter][] = [];
  const rpcParams: [string, string][] = [];
  for (const [k, v] of nonEmpty) {
    const last = lastSegment(k);
    if (last === 'order') {
      const { path, terms } = parseOrder(k, v);
      order.push([path, terms]);
    }
  }
  for (const [k, v] of nonEmpty) {
    const last = lastSegment(k);
    if (last === 'and' || last === 'or') {
      const { path, tree } = parseLogic(k, v);
      logic.push([path, tree]);
    }
  }
  const columnsRaw = lookup('columns');
  const columns = columnsRaw === undefined ? undefined : columnList(`failed to parse columns parameter (${columnsRaw})`, columnsRaw);
  const selectRaw = lookup('select') ?? '*';
  const select = parseSelect(selectRaw);
  const filterFields = new Set<string>();
  for (const [k, v] of nonEmpty) {
    if (RESERVED.has(k) || RESERVED_EMBEDDABLE.has(lastSegment(k))) continue;
    filterFields.add(k);
    const f = parseFilter(k, v, isRpcRead);
    if (f.expr) filters.push([f.path, { field: f.field, expr: f.expr }]);
    else rpcParams.push([f.field.name, f.raw ?? v]);
  }
  const onConflictRaw = lookup('on_conflict');
  const onConflict =
    onConflictRaw === undefined ? undefined : columnList(`failed to parse on_conflict parameter (${onConflictRaw})`, onConflictRaw);

  const limits = new Map<string, RowRange>();
  const offsets = new Map<string, RowRange>();
  for (const [k, v] of nonEmpty) {
    const last = lastSegment(k);
    if (last === 'limit') limits.set(k, restrictRange(readInteger(v), ALL_RANGE));
    if (last === 'offset') {
      const key = [...k.split('.').slice(0, -1), 'limit'].join('.');
      const o = readInteger(v);
      offsets.set(key, o === undefined ? ALL_RANGE : { lower: o, upper: null });
    }
  }
  const ranges = new Map<string, RowRange>();
  for (const [k, l] of limits) {
    const o = offsets.get(k);
    if (o) {
      const lim = rangeLimit(l) ?? 0;
      ranges.set(k, { lower: o.lower, upper: o.lower + lim - 1 });
    } else ranges.set(k, l);
  }
  for (const [k, o] of offsets) if (!ranges.has(k)) ranges.set(k, o);

  const result: QueryParams = {
    canonical: canonicalQuery(pairs),
    rpcParams,
    ranges,
    order,
    logic,
    select,
    filters,
    filtersRoot: filters.filter(([p]) => p.length === 0).map(([, f]) => f),
    filtersNotRoot: filters.filter(([p]) => p.length > 0),
    filterFields,
  };
  if (columns) result.columns = columns;
  if (onConflict) result.onConflict = onConflict;
  return result;
}

