// POST /object/list-v2: Storage's `listObjectsV2` (src/storage/object.ts) without the database.
// The continuation token is upstream's: base64 of `l:<start after>\no:<order>\nc:<column>\na:<after>`
// lines, so a cursor from hosted Supabase means the same thing here. The rows come from the
// queries in db.ts (flat, or grouped into folders at the first `/` after the prefix); this module
// turns them into `{hasNext, nextCursor, nextCursorKey, folders, objects}`.
import { ERRORS } from './errors.ts';

/** Most rows one page returns (upstream caps `limit` at 1000). */
export const MAX_LIST_V2_KEYS = 1000;

export type ListV2SortColumn = 'name' | 'updated_at' | 'created_at';
export type ListV2SortOrder = 'asc' | 'desc';

export interface ContinuationToken {
  startAfter: string;
  sortOrder?: string | undefined;
  sortColumn?: string | undefined;
  sortColumnAfter?: string | undefined;
}

const TOKEN_PARTS: [string, keyof ContinuationToken][] = [
  ['l', 'startAfter'],
  ['o', 'sortOrder'],
  ['c', 'sortColumn'],
  ['a', 'sortColumnAfter'],
];

export function encodeContinuationToken(t: ContinuationToken): string {
  let out = '';
  for (const [k, field] of TOKEN_PARTS) {
    const v = t[field];
    if (v) out += `${k}:${v}\n`;
  }
  return Buffer.from(out.slice(0, -1)).toString('base64');
}

/** InvalidParameter for anything that is not such a token. */
export function decodeContinuationToken(token: string): ContinuationToken {
  const result: ContinuationToken = { startAfter: '', sortOrder: 'asc' };
  for (const part of Buffer.from(token, 'base64').toString().split('\n')) {
    const m = /^(\S):(.*)/.exec(part);
    const field = m ? TOKEN_PARTS.find(([k]) => k === m[1])?.[1] : undefined;
    if (!m || !field) throw ERRORS.InvalidParameter('continuation token');
    result[field] = m[2] ?? '';
  }
  return result;
}

/** A row as the list queries return it: a folder has `id: null`. */
export interface ListV2Row {
  key?: string;
  name: string;
  id: string | null;
  updated_at: Date | string | null;
  created_at: Date | string | null;
  last_accessed_at: Date | string | null;
  metadata: Record<string, unknown> | null;
}

/** What the database is asked for one page. */
export interface ListV2Query {
  prefix: string;
  /** Rows to fetch: one more than the page, to know whether there is a next one. */
  maxKeys: number;
  /** Continue after this name (a folder's name has no trailing `/`). */
  startAfter: string | undefined;
  sortColumn: ListV2SortColumn;
  sortOrder: ListV2SortOrder;
  /** The cursor's timestamp when sorting by a timestamp column. */
  sortColumnAfter: string | undefined;
  /** `split_part(name, '/', levels)` is a row's `key` (delimited listings). */
  levels: number;
}

export interface ListV2Options {
  prefix?: string | undefined;
  withDelimiter?: boolean | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
  sortBy?: { column: ListV2SortColumn; order?: ListV2SortOrder | undefined } | undefined;
}

export interface ListV2Plan {
  query: ListV2Query;
  limit: number;
  delimited: boolean;
  cursor: ContinuationToken | undefined;
}

const asOrder = (v: string | undefined): ListV2SortOrder => (v?.toLowerCase() === 'desc' ? 'desc' : 'asc');
const asColumn = (v: string | undefined): ListV2SortColumn => (v === 'updated_at' || v === 'created_at' ? v : 'name');

/** The query for a request; a cursor's order and column win over the request's, as upstream. */
export function planListV2(o: ListV2Options): ListV2Plan {
  const limit = Math.min(o.limit || MAX_LIST_V2_KEYS, MAX_LIST_V2_KEYS);
  const cursor = o.cursor ? decodeContinuationToken(o.cursor) : undefined;
  const prefix = o.prefix || '';
  return {
    limit,
    delimited: o.withDelimiter === true,
    cursor,
    query: {
      prefix,
      maxKeys: limit + 1,
      startAfter: cursor?.startAfter || undefined,
      sortColumn: asColumn(cursor?.sortColumn || o.sortBy?.column),
      sortOrder: asOrder(cursor?.sortOrder || o.sortBy?.order),
      sortColumnAfter: cursor?.sortColumnAfter,
      levels: prefix ? prefix.split('/').length : 1,
    },
  };
}

export interface ListV2Result {
  hasNext: boolean;
  nextCursor?: string;
  nextCursorKey?: string;
  folders: Record<string, unknown>[];
  objects: Record<string, unknown>[];
}

function iso(v: Date | string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v.toISOString() : v;
}

/**
 * One row as upstream sends it, in its query's column order: delimited listings (search_v2) lead
 * with `key`, flat ones (a plain select) with `id`.
 */
function rowJson(r: ListV2Row, name: string): Record<string, unknown> {
  const times = { updated_at: iso(r.updated_at), created_at: iso(r.created_at), last_accessed_at: iso(r.last_accessed_at) };
  if (r.key !== undefined) return { key: r.key, name, id: r.id, ...times, metadata: r.metadata };
  return { id: r.id, name, metadata: r.metadata, ...times };
}

/** The response for the rows of a plan (at most `limit + 1` of them). */
export function listV2Result(plan: ListV2Plan, rows: ListV2Row[], requestedSort: ListV2Options['sortBy']): ListV2Result {
  const truncated = rows.length > plan.limit;
  const count = truncated ? plan.limit : rows.length;
  const folders: Record<string, unknown>[] = [];
  const objects: Record<string, unknown>[] = [];
  for (const r of rows.slice(0, count)) {
    if (r.id === null) folders.push(rowJson(r, r.name.endsWith('/') ? r.name : `${r.name}/`));
    else objects.push(rowJson(r, r.name));
  }
  if (!truncated) return { hasNext: false, folders, objects };
  const last = rows[count - 1]!;
  const column = (plan.cursor?.sortColumn || requestedSort?.column) as ListV2SortColumn | undefined;
  const after = column && column !== 'name' ? last[column] : undefined;
  const nextCursor = encodeContinuationToken({
    startAfter: last.name,
    sortOrder: plan.cursor?.sortOrder || requestedSort?.order,
    sortColumn: column,
    sortColumnAfter: after ? new Date(after).toISOString() : undefined,
  });
  return { hasNext: true, nextCursor, nextCursorKey: last.name, folders, objects };
}
