// Row ranges (PostgREST's RangeQuery.hs): `limit`/`offset` and the `Range` header become
// inclusive ranges, which the planner restricts by max-rows and the renderer turns into
// LIMIT/OFFSET; respond reports them in Content-Range.

/** An inclusive row range, PostgREST's NonnegRange; `upper` null = unbounded. */
export interface RowRange {
  lower: number;
  upper: number | null;
}

export const ALL_RANGE: RowRange = { lower: 0, upper: null };

export function rangeIsEmpty(r: RowRange): boolean {
  return r.upper !== null && r.upper < r.lower;
}

export function intersectRanges(a: RowRange, b: RowRange): RowRange {
  const lower = Math.max(a.lower, b.lower);
  const upper = a.upper === null ? b.upper : b.upper === null ? a.upper : Math.min(a.upper, b.upper);
  return { lower, upper };
}

/** restrictRange: at most `limit` rows from the range's offset. */
export function restrictRange(limit: number | undefined, r: RowRange): RowRange {
  if (limit === undefined) return r;
  return intersectRanges(r, { lower: Number.MIN_SAFE_INTEGER, upper: r.lower + limit - 1 });
}

export function rangeLimit(r: RowRange): number | undefined {
  return r.upper === null ? undefined : 1 + r.upper - r.lower;
}

export function hasLimitZero(r: RowRange): boolean {
  return r.upper === -1;
}

export const LIMIT_ZERO_RANGE: RowRange = { lower: 0, upper: -1 };

export function sameRange(a: RowRange, b: RowRange): boolean {
  return (rangeIsEmpty(a) && rangeIsEmpty(b)) || (a.lower === b.lower && a.upper === b.upper);
}

/** The `Range: 0-9` request header (GET only); anything malformed means all rows. */
export function parseRangeHeader(value: string | undefined): RowRange {
  if (value === undefined) return ALL_RANGE;
  const m = /^([0-9]+)-([0-9]*)$/.exec(value);
  if (!m) return ALL_RANGE;
  const lower = Number(m[1]);
  const upper = m[2] === '' ? null : Number(m[2]);
  return intersectRanges({ lower, upper: null }, { lower: Number.MIN_SAFE_INTEGER, upper });
}

