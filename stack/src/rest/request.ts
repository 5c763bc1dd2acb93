// Parse, HTTP side: what the client asked for (PostgREST's ApiRequest.hs), pure. Resource and
// action from method and path, schema from Accept-Profile/Content-Profile, the Prefer header,
// the Accept media types, the Range header and limit/offset, and the body (JSON, CSV, form).
import { Errors } from './errors.ts';
import {
  ALL_RANGE,
  hasLimitZero,
  intersectRanges,
  LIMIT_ZERO_RANGE,
  parseRangeHeader,
  rangeIsEmpty,
  type RowRange,
  sameRange,
} from './range.ts';
import type { QueryParams } from './parse/ast.ts';
import { parseQueryParams } from './parse/query-params.ts';

export type Action =
  | { type: 'read'; target: string; headOnly: boolean }
  | { type: 'create'; target: string }
  | { type: 'update'; target: string }
  | { type: 'delete'; target: string }
  | { type: 'upsert'; target: string }
  | { type: 'call'; target: string; invoke: 'get' | 'head' | 'post' }
  | { type: 'schema'; headOnly: boolean };

export type MediaKind =
  | 'json'
  | 'array-stripped'
  | 'singular'
  | 'csv'
  | 'openapi'
  | 'geojson'
  | 'any'
  | 'urlencoded'
  | 'text'
  | 'xml'
  | 'octet'
  | 'plan'
  | 'other';

export interface MediaType {
  kind: MediaKind;
  /** For `singular`: `nulls=stripped`. */
  stripped?: boolean;
  /** As written (lower-cased main/sub type), for error messages. */
  mime: string;
  /** `application/vnd.pgrst.plan[+json|+text]; for="…"; options=…`: EXPLAIN of the `for` response. */
  plan?: { format: 'json' | 'text'; for: MediaType; options: PlanOption[] };
}

export const PLAN_OPTIONS = ['analyze', 'verbose', 'settings', 'buffers', 'wal'] as const;
export type PlanOption = (typeof PLAN_OPTIONS)[number];

export interface Preferences {
  resolution?: 'merge-duplicates' | 'ignore-duplicates';
  representation?: 'full' | 'minimal' | 'headers-only';
  count?: 'exact' | 'planned' | 'estimated';
  transaction?: 'commit' | 'rollback';
  missing?: 'default' | 'null';
  handling?: 'strict' | 'lenient';
  timezone?: string;
  maxAffected?: number;
  invalid: string[];
}

export type Payload =
  /** A JSON document (also CSV and form bodies, converted); keys null when `columns=` decides. */
  | { kind: 'json'; raw: string; keys: Set<string> | null; isObject: boolean }
  /** Form parameters for an RPC call. */
  | { kind: 'params'; params: [string, string][] }
  /** The raw body for a function taking one unnamed text/bytea/xml argument. */
  | { kind: 'raw'; raw: string };

export interface ApiRequest {
  method: string;
  /** The path behind the gateway prefix, e.g. `/conf_items`; what `request.path` shows. */
  path: string;
  action: Action;
  schema: string;
  negotiatedByProfile: boolean;
  query: QueryParams;
  topLevelRange: RowRange;
  ranges: Map<string, RowRange>;
  payload?: Payload;
  /** Columns from `columns=` or the payload's keys. */
  columns: Set<string>;
  preferences: Preferences;
  accept: MediaType[];
  contentType: MediaType;
}

export interface HttpRequest {
  method: string;
  /** Path after the service prefix, still percent-encoded; '' or '/' for the root. */
  path: string;
  /** Raw query string without '?'. */
  query: string;
  /** Header lookup, case-insensitive. */
  header(name: string): string | undefined;
  body: string;
}

export interface RequestConfig {
  schemas: string[];
  /** PostgREST's `db-tx-end`; decides whether `Prefer: tx` is read at all (default `commit`). */
  txEnd?: TxEnd;
}

/**
 * PostgREST's `db-tx-end`: how each request's transaction ends. `commit` (the default, and what
 * hosted Supabase runs) and `rollback` ignore `Prefer: tx`; the `-allow-override` forms let the
 * client choose with `Prefer: tx=commit|rollback`.
 */
export const TX_END_VALUES = ['commit', 'commit-allow-override', 'rollback', 'rollback-allow-override'] as const;
export type TxEnd = (typeof TX_END_VALUES)[number];

export function txAllowOverride(txEnd: TxEnd): boolean {
  return txEnd.endsWith('-allow-override');
}

export function txRollbackAll(txEnd: TxEnd): boolean {
  return txEnd.startsWith('rollback');
}

/** `db-tx-end` from the gateway's environment (`PGRST_DB_TX_END`, PostgREST's own variable). */
export function readTxEnd(env: NodeJS.ProcessEnv = process.env): TxEnd {
  const raw = env.PGRST_DB_TX_END;
  if (raw === undefined || raw === '') return 'commit';
  if ((TX_END_VALUES as readonly string[]).includes(raw)) return raw as TxEnd;
  throw new Error(`PGRST_DB_TX_END="${raw}" is not one of ${TX_END_VALUES.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// Media types

export function decodeMediaType(raw: string): MediaType {
  const [typePart = '', ...paramParts] = raw.split(';');
  const mime = typePart.trim().toLowerCase();
  const params = new Map<string, string>();
  for (const p of paramParts) {
    const i = p.indexOf('=');
    if (i === -1) continue;
    params.set(p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  const stripped = params.get('nulls') === 'stripped';
  switch (mime) {
    case 'application/json':
      return { kind: 'json', mime };
    case 'application/geo+json':
      return { kind: 'geojson', mime };
    case 'text/csv':
      return { kind: 'csv', mime };
    case 'text/plain':
      return { kind: 'text', mime };
    case 'text/xml':
      return { kind: 'xml', mime };
    case 'application/openapi+json':
      return { kind: 'openapi', mime };
    case 'application/x-www-form-urlencoded':
      return { kind: 'urlencoded', mime };
    case 'application/octet-stream':
      return { kind: 'octet', mime };
    case 'application/vnd.pgrst.plan':
    case 'application/vnd.pgrst.plan+text':
    case 'application/vnd.pgrst.plan+json': {
      // PostgREST's getPlan: the media type explained (default JSON) and the EXPLAIN options.
      const format = mime.endsWith('+json') ? 'json' : 'text';
      const forType = decodeMediaType(params.get('for') ?? 'application/json');
      const given = (params.get('options') ?? '').split('|');
      const options = PLAN_OPTIONS.filter((o) => given.includes(o));
      const shown =
        `application/vnd.pgrst.plan+${format}; for="${forType.mime}"` + (options.length > 0 ? `; options=${options.join('|')}` : '');
      return { kind: 'plan', mime: shown, plan: { format, for: forType, options } };
    }
    case 'application/vnd.pgrst.object+json':
    case 'application/vnd.pgrst.object':
      return { kind: 'singular', stripped, mime: stripped ? `${mime};nulls=stripped` : mime };
    case 'application/vnd.pgrst.array+json':
    case 'application/vnd.pgrst.array':
      return stripped ? { kind: 'array-stripped', mime: `${mime};nulls=stripped` } : { kind: 'json', mime: 'application/json' };
    case '*/*':
      return { kind: 'any', mime };
    default:
      return { kind: 'other', mime: typePart.trim() };
  }
}

/** The Accept header's media types, highest quality first (stable for equal q). */
export function parseAccept(header: string | undefined): MediaType[] {
  if (header === undefined || header.trim() === '') return [{ kind: 'any', mime: '*/*' }];
  const items = header
    .split(',')
    .map((part, i) => {
      const segs = part.split(';');
      let q = 1;
      const keep: string[] = [segs[0] ?? ''];
      for (const s of segs.slice(1)) {
        const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(s);
        if (m) q = Number(m[1]);
        else keep.push(s);
      }
      return { mt: decodeMediaType(keep.join(';')), q, i };
    })
    .filter((x) => x.mt.mime !== '' && x.q > 0);
  items.sort((a, b) => b.q - a.q || a.i - b.i);
  return items.map((x) => x.mt);
}

// ---------------------------------------------------------------------------------------------
// Prefer

const ACCEPTED_PREFS = new Set([
  'resolution=merge-duplicates',
  'resolution=ignore-duplicates',
  'return=representation',
  'return=minimal',
  'return=headers-only',
  'count=exact',
  'count=planned',
  'count=estimated',
  'tx=commit',
  'tx=rollback',
  'missing=default',
  'missing=null',
  'handling=strict',
  'handling=lenient',
]);

/**
 * The Prefer header as PostgREST's `fromHeaders`: `tx=` is read only when `db-tx-end` allows an
 * override; otherwise it is dropped, yet still a known preference (never PGRST122), and it is not
 * echoed in Preference-Applied.
 */
export function parsePrefer(header: string | undefined, allowTxOverride = false): Preferences {
  const prefs = (header ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const first = <T extends string>(prefix: string, values: readonly T[]): T | undefined => {
    for (const p of prefs) {
      if (!p.startsWith(prefix)) continue;
      const v = p.slice(prefix.length) as T;
      if (values.includes(v)) return v;
    }
    return undefined;
  };
  const out: Preferences = { invalid: [] };
  const resolution = first('resolution=', ['merge-duplicates', 'ignore-duplicates'] as const);
  if (resolution) out.resolution = resolution;
  const ret = first('return=', ['representation', 'minimal', 'headers-only'] as const);
  if (ret) out.representation = ret === 'representation' ? 'full' : ret;
  const count = first('count=', ['exact', 'planned', 'estimated'] as const);
  if (count) out.count = count;
  const tx = allowTxOverride ? first('tx=', ['commit', 'rollback'] as const) : undefined;
  if (tx) out.transaction = tx;
  const missing = first('missing=', ['default', 'null'] as const);
  if (missing) out.missing = missing;
  const handling = first('handling=', ['strict', 'lenient'] as const);
  if (handling) out.handling = handling;
  const tz = prefs.find((p) => p.startsWith('timezone='));
  if (tz !== undefined) out.timezone = tz.slice('timezone='.length);
  const ma = prefs.find((p) => p.startsWith('max-affected='));
  if (ma !== undefined && /^\d+$/.test(ma.slice('max-affected='.length))) out.maxAffected = Number(ma.slice('max-affected='.length));
  out.invalid = prefs.filter((p) => !ACCEPTED_PREFS.has(p) && !p.startsWith('timezone=') && !p.startsWith('max-affected='));
  return out;
}

/** The Preference-Applied header value for what was honoured. */
export function preferenceApplied(p: Preferences): string | undefined {
  const vals: string[] = [];
  if (p.resolution) vals.push(`resolution=${p.resolution}`);
  if (p.missing) vals.push(`missing=${p.missing}`);
  if (p.representation) vals.push(`return=${p.representation === 'full' ? 'representation' : p.representation}`);
  if (p.count) vals.push(`count=${p.count}`);
  if (p.transaction) vals.push(`tx=${p.transaction}`);
  if (p.handling) vals.push(`handling=${p.handling}`);
  if (p.timezone !== undefined) vals.push(`timezone=${p.timezone}`);
  if (p.handling === 'strict' && p.maxAffected !== undefined) vals.push(`max-affected=${p.maxAffected}`);
  return vals.length === 0 ? undefined : vals.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Path and action

function pathSegments(path: string): string[] {
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  if (trimmed === '') return [];
  return trimmed.split('/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw Errors.invalidPath();
    }
  });
}

function getAction(segments: string[], method: string): Action {
  if (segments.length === 0) {
    if (method === 'GET' || method === 'HEAD') return { type: 'schema', headOnly: method === 'HEAD' };
    throw Errors.unsupportedMethod(method);
  }
  if (segments.length === 2 && segments[0] === 'rpc') {
    const target = segments[1] as string;
    if (method === 'GET') return { type: 'call', target, invoke: 'get' };
    if (method === 'HEAD') return { type: 'call', target, invoke: 'head' };
    if (method === 'POST') return { type: 'call', target, invoke: 'post' };
    throw Errors.invalidRpcMethod(method);
  }
  if (segments.length !== 1) throw Errors.invalidPath();
  const target = segments[0] as string;
  switch (method) {
    case 'GET':
      return { type: 'read', target, headOnly: false };
    case 'HEAD':
      return { type: 'read', target, headOnly: true };
    case 'POST':
      return { type: 'create', target };
    case 'PUT':
      return { type: 'upsert', target };
    case 'PATCH':
      return { type: 'update', target };
    case 'DELETE':
      return { type: 'delete', target };
    default:
      throw Errors.unsupportedMethod(method);
  }
}

function getSchema(config: RequestConfig, method: string, header: (n: string) => string | undefined): { schema: string; negotiated: boolean } {
  const profile = ['DELETE', 'PATCH', 'POST', 'PUT'].includes(method) ? header('content-profile') : header('accept-profile');
  if (profile !== undefined) {
    if (!config.schemas.includes(profile)) throw Errors.unacceptableSchema(profile, config.schemas);
    return { schema: profile, negotiated: true };
  }
  return { schema: config.schemas[0] ?? 'public', negotiated: config.schemas.length !== 1 };
}

// ---------------------------------------------------------------------------------------------
// Body

/** RFC 4180 CSV into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i += 1;
      continue;
    }
    if (ch === ',') {
      row.push(field);
      field = '';
      fieldStarted = false;
      i += 1;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += ch;
    fieldStarted = true;
    i += 1;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (fieldStarted || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Checks a JSON document as PostgREST's payloadAttributes does; returns its keys. One departure:
 * PostgREST truncates a top-level string, number, boolean or null to `[]` and answers a write of
 * it 201 with nothing written (its open bug #1323); for table writes (`rowsOnly`) that is refused
 * here with the 400 PostgREST gives an array holding such a value.
 */
function jsonPayload(raw: string, value: unknown, rowsOnly = false): Payload {
  if (Array.isArray(value)) {
    if (value.length === 0) return { kind: 'json', raw: '[]', keys: new Set(), isObject: false };
    const firstEl: unknown = value[0];
    if (typeof firstEl !== 'object' || firstEl === null || Array.isArray(firstEl)) throw Errors.invalidBody('All object keys must match');
    const keys = new Set(Object.keys(firstEl));
    const uniform = value.every(
      (el: unknown) =>
        typeof el === 'object' &&
        el !== null &&
        !Array.isArray(el) &&
        Object.keys(el).length === keys.size &&
        Object.keys(el).every((k) => keys.has(k)),
    );
    if (!uniform) throw Errors.invalidBody('All object keys must match');
    return { kind: 'json', raw, keys, isObject: false };
  }
  if (typeof value === 'object' && value !== null) return { kind: 'json', raw, keys: new Set(Object.keys(value)), isObject: true };
  if (rowsOnly) throw Errors.invalidBody('All object keys must match');
  return { kind: 'json', raw: '[]', keys: new Set(), isObject: false };
}

function parseFormParams(body: string): [string, string][] {
  return body
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const i = p.indexOf('=');
      const dec = (s: string) => {
        try {
          return decodeURIComponent(s.replace(/\+/g, ' '));
        } catch {
          return s;
        }
      };
      return i === -1 ? [dec(p), ''] : [dec(p.slice(0, i)), dec(p.slice(i + 1))];
    });
}

function getPayload(body: string, contentType: MediaType, action: Action, columns: string[] | undefined): Payload | undefined {
  const isProc = action.type === 'call';
  const shouldParse = action.type === 'create' || action.type === 'update' || action.type === 'upsert' || (isProc && action.invoke === 'post');
  if (!shouldParse) return undefined;
  const columnsApply = action.type === 'create' || action.type === 'update' || isProc;
  switch (contentType.kind) {
    case 'json':
    case 'any': {
      const isEmpty = body.trim() === '';
      if (columns !== undefined && columnsApply) {
        if (isEmpty && isProc) return { kind: 'json', raw: '{}', keys: null, isObject: true };
        if (isEmpty) throw Errors.invalidBody('Empty or invalid json');
        let value: unknown;
        try {
          value = JSON.parse(body);
        } catch {
          throw Errors.invalidBody('Empty or invalid json');
        }
        return { kind: 'json', raw: body, keys: null, isObject: typeof value === 'object' && value !== null && !Array.isArray(value) };
      }
      if (isEmpty && isProc) return { kind: 'json', raw: '{}', keys: new Set(), isObject: true };
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        throw Errors.invalidBody('Empty or invalid json');
      }
      return jsonPayload(body, value, !isProc);
    }
    case 'csv': {
      let rows: string[][];
      try {
        rows = parseCsv(body);
      } catch (e) {
        throw Errors.invalidBody((e as Error).message);
      }
      const [header, ...data] = rows;
      if (!header) return { kind: 'json', raw: '[]', keys: new Set(), isObject: false };
      if (data.some((r) => r.length !== header.length)) throw Errors.invalidBody('All lines must have same number of fields');
      const objs = data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] === 'NULL' ? null : r[i]])));
      const raw = JSON.stringify(objs);
      return jsonPayload(raw, objs);
    }
    case 'urlencoded': {
      const params = parseFormParams(body);
      if (isProc) return { kind: 'params', params };
      const obj = Object.fromEntries(params);
      return { kind: 'json', raw: JSON.stringify(obj), keys: new Set(Object.keys(obj)), isObject: true };
    }
    case 'text':
    case 'xml':
    case 'octet':
      if (isProc) return { kind: 'raw', raw: body };
      throw Errors.invalidBody(`Content-Type not acceptable: ${contentType.mime}`);
    default:
      throw Errors.invalidBody(`Content-Type not acceptable: ${contentType.mime}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Ranges

function getRanges(method: string, query: QueryParams, rangeHeader: string | undefined): { top: RowRange; ranges: Map<string, RowRange> } {
  const headerRange = method === 'GET' ? parseRangeHeader(rangeHeader) : ALL_RANGE;
  const limitRange = query.ranges.get('limit') ?? ALL_RANGE;
  const headerAndLimit = intersectRanges(headerRange, limitRange);
  const ranges = new Map(query.ranges);
  const top = hasLimitZero(limitRange) ? LIMIT_ZERO_RANGE : headerAndLimit;
  ranges.set('limit', top);
  const invalid = rangeIsEmpty(top) && !hasLimitZero(limitRange);
  if (invalid) throw rangeIsEmpty(headerRange) ? Errors.lowerGtUpper() : Errors.negativeLimit();
  if (method === 'PUT' && !sameRange(top, ALL_RANGE)) throw Errors.putLimit();
  return { top, ranges };
}

// ---------------------------------------------------------------------------------------------

export function parseRequest(req: HttpRequest, config: RequestConfig): ApiRequest {
  const method = req.method.toUpperCase();
  const segments = pathSegments(req.path);
  const header = (n: string) => req.header(n);
  const action = getAction(segments, method);
  const { schema, negotiated } = getSchema(config, method, header);
  const isRpcRead = action.type === 'call' && action.invoke !== 'post';
  const query = parseQueryParams(req.query, isRpcRead);
  const { top, ranges } = getRanges(method, query, header('range'));
  const contentTypeHeader = header('content-type');
  const contentType = contentTypeHeader === undefined ? { kind: 'json' as const, mime: 'application/json' } : decodeMediaType(contentTypeHeader);
  const payload = getPayload(req.body, contentType, action, query.columns);
  let columns = new Set<string>();
  if (payload?.kind === 'json') {
    if (payload.keys !== null) columns = payload.keys;
    else if (query.columns) columns = new Set(query.columns);
  } else if (payload?.kind === 'params') columns = new Set(payload.params.map(([k]) => k));
  const out: ApiRequest = {
    method,
    path: req.path === '' ? '/' : req.path,
    action,
    schema,
    negotiatedByProfile: negotiated,
    query,
    topLevelRange: top,
    ranges,
    columns,
    preferences: parsePrefer(header('prefer'), txAllowOverride(config.txEnd ?? 'commit')),
    accept: parseAccept(header('accept')),
    contentType,
  };
  if (payload) out.payload = payload;
  return out;
}

