// Respond: the result row of a plan as PostgREST's HTTP response (Response.hs, RangeQuery.hs),
// pure. Status (200/201/204/206/416), Content-Range, Content-Location, Location,
// Preference-Applied, Content-Profile, and the response.status / response.headers GUCs.
import { Errors } from './errors.ts';
import { type ApiRequest, preferenceApplied } from './request.ts';
import type { RowRange } from './range.ts';
import type { CallPlan, MutatePlan, PlannedRequest, ReadPlan } from './plan/types.ts';

/** What the main statement returns (node-postgres gives bigint as string). */
export interface ResultRow {
  total_result_set: string | number | null;
  page_total: string | number;
  body: string | null;
  response_headers: string | null;
  response_status: string | null;
  location: string[] | null;
  response_inserted: number | null;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function contentRange(lower: number, upper: number, total: number | null): string {
  const totalNotZero = total !== 0;
  const range = totalNotZero && lower <= upper ? `${lower}-${upper}` : '*';
  return `${range}/${total === null ? '*' : total}`;
}

export function rangeStatus(range: RowRange, queryTotal: number, tableTotal: number | null): { status: number; contentRange: string } {
  const lower = range.lower;
  const upper = lower + queryTotal - 1;
  let status = 200;
  if (tableTotal !== null) {
    if (lower > tableTotal) status = 416;
    else if (1 + upper - lower < tableTotal) status = 206;
  }
  return { status, contentRange: contentRange(lower, upper, tableTotal) };
}

const toNumber = (v: string | number | null): number | null => (v === null ? null : Number(v));

/** Applies response.status and response.headers set by SQL; GUC headers win over ours. */
function overrideFromGucs(row: ResultRow, status: number, headers: Record<string, string>): { status: number; headers: Record<string, string> } {
  let st = status;
  if (row.response_status !== null) {
    const n = /^\d+/.exec(row.response_status.trim());
    if (!n) throw Errors.gucStatus();
    st = Number(n[0]);
    if (st < 100 || st > 599) throw Errors.gucStatus();
  }
  if (row.response_headers === null) return { status: st, headers };
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.response_headers);
  } catch {
    throw Errors.gucHeaders();
  }
  if (!Array.isArray(parsed)) throw Errors.gucHeaders();
  const guc: Record<string, string> = {};
  for (const item of parsed) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw Errors.gucHeaders();
    const entries = Object.entries(item as Record<string, unknown>);
    const first = entries[0];
    if (entries.length !== 1 || !first || typeof first[1] !== 'string') throw Errors.gucHeaders();
    guc[first[0]] = first[1];
  }
  const lower = new Set(Object.keys(guc).map((k) => k.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (!lower.has(k.toLowerCase())) out[k] = v;
  return { status: st, headers: { ...out, ...guc } };
}

function contentTypeHeaders(contentType: string, req: ApiRequest): Record<string, string> {
  const h: Record<string, string> = { 'Content-Type': contentType };
  if (req.negotiatedByProfile) h['Content-Profile'] = req.schema;
  return h;
}

function withPreferenceApplied(headers: Record<string, string>, planned: PlannedRequest): Record<string, string> {
  const v = preferenceApplied(planned.applied);
  return v === undefined ? headers : { ...headers, 'Preference-Applied': v };
}

function outOfBoundsBody(range: RowRange, total: number | null): string {
  return JSON.stringify(Errors.outOfBounds(range.lower, total ?? 0).body());
}

export function tableTotalFor(
  count: 'exact' | 'planned' | 'estimated' | undefined,
  total: number | null,
  explainTotal: number | null,
  maxRows: number | null,
): number | null {
  if (count === 'planned') return explainTotal;
  if (count === 'estimated') {
    if (total !== null && maxRows !== null && total > maxRows) return explainTotal === null ? total : Math.max(total, explainTotal);
    return total;
  }
  return total;
}

function respondRead(plan: ReadPlan, planned: PlannedRequest, req: ApiRequest, row: ResultRow, tableTotal: number | null): HttpResponse {
  const queryTotal = Number(row.page_total);
  const { status, contentRange: cr } = rangeStatus(req.topLevelRange, queryTotal, tableTotal);
  let headers: Record<string, string> = {
    'Content-Range': cr,
    'Content-Location': `/${plan.table.name}${req.query.canonical === '' ? '' : `?${req.query.canonical}`}`,
    ...contentTypeHeaders(status === 416 ? 'application/json; charset=utf-8' : plan.media.contentType, req),
  };
  headers = withPreferenceApplied(headers, planned);
  const body = status === 416 ? outOfBoundsBody(req.topLevelRange, tableTotal) : plan.headOnly ? '' : (row.body ?? '');
  const o = overrideFromGucs(row, status, headers);
  return { status: o.status, headers: o.headers, body };
}

function encodeQueryValue(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

function respondMutation(plan: MutatePlan, planned: PlannedRequest, req: ApiRequest, row: ResultRow): HttpResponse {
  const queryTotal = Number(row.page_total);
  const count = planned.preferences.count === 'exact' || planned.preferences.count === 'estimated' ? queryTotal : null;
  const rep = planned.preferences.representation;
  const full = rep === 'full';
  const body = full ? (row.body ?? '') : '';
  const ct = full ? contentTypeHeaders(plan.media.contentType, req) : {};
  let status: number;
  let headers: Record<string, string> = {};
  switch (plan.mutation) {
    case 'create': {
      if (row.location && row.location.length > 0) {
        const qs = row.location
          .map((kv) => {
            const i = kv.indexOf('=');
            return `${encodeQueryValue(kv.slice(0, i))}=${encodeQueryValue(kv.slice(i + 1))}`;
          })
          .join('&');
        headers.Location = `/${plan.table.name}?${qs}`;
      }
      headers['Content-Range'] = contentRange(1, 0, count);
      const inserted = row.response_inserted;
      status = inserted !== null && inserted <= 0 && planned.preferences.resolution === 'merge-duplicates' ? 200 : 201;
      break;
    }
    case 'update':
      headers['Content-Range'] = contentRange(0, queryTotal - 1, count);
      status = full ? 200 : 204;
      break;
    case 'delete':
      headers['Content-Range'] = contentRange(1, 0, count);
      status = full ? 200 : 204;
      break;
    case 'upsert': {
      const inserted = row.response_inserted ?? 0;
      status = full ? (inserted > 0 ? 201 : 200) : 204;
      break;
    }
  }
  headers = withPreferenceApplied({ ...headers, ...ct }, planned);
  const o = overrideFromGucs(row, status, headers);
  return { status: o.status, headers: o.headers, body: o.status === 204 ? '' : body };
}

function respondCall(plan: CallPlan, planned: PlannedRequest, req: ApiRequest, row: ResultRow, tableTotal: number | null): HttpResponse {
  const queryTotal = Number(row.page_total);
  const { status, contentRange: cr } = rangeStatus(req.topLevelRange, queryTotal, tableTotal);
  let headers: Record<string, string> = { 'Content-Range': cr };
  let st = status;
  let body: string;
  if (plan.routine.returnsVoid) {
    st = 204;
    body = '';
  } else {
    headers = { ...headers, ...contentTypeHeaders(status === 416 ? 'application/json; charset=utf-8' : plan.media.contentType, req) };
    body = status === 416 ? outOfBoundsBody(req.topLevelRange, tableTotal) : plan.headOnly ? '' : (row.body ?? '');
  }
  headers = withPreferenceApplied(headers, planned);
  const o = overrideFromGucs(row, st, headers);
  return { status: o.status, headers: o.headers, body };
}

export function respond(planned: PlannedRequest, req: ApiRequest, row: ResultRow, explainTotal: number | null, maxRows: number | null): HttpResponse {
  const plan = planned.plan;
  // An EXPLAIN answer (PostgREST's DbPlanResult): 200, the plan media type, the plan as body.
  if (plan.type !== 'openapi' && plan.media.explain) return { status: 200, headers: contentTypeHeaders(plan.media.contentType, req), body: row.body ?? '' };
  switch (plan.type) {
    case 'read': {
      const total = tableTotalFor(plan.count, toNumber(row.total_result_set), explainTotal, maxRows);
      return respondRead(plan, planned, req, row, total);
    }
    case 'call': {
      const total = tableTotalFor(plan.count === 'planned' ? undefined : plan.count, toNumber(row.total_result_set), explainTotal, maxRows);
      return respondCall(plan, planned, req, row, total);
    }
    case 'mutate':
      return respondMutation(plan, planned, req, row);
    case 'openapi':
      throw Errors.internal();
  }
}
