// The parsed query string (PostgREST's ApiRequest/QueryParams.hs types): select trees, filters,
// logic trees, order terms, and the whole of a request's query parameters.
import type { RowRange } from '../range.ts';

export type JsonOp = { arrow: '->' | '->>'; key: string; index?: undefined } | { arrow: '->' | '->>'; index: string; key?: undefined };

export interface Field {
  name: string;
  jsonPath: JsonOp[];
}

export type Aggregate = 'sum' | 'avg' | 'count' | 'max' | 'min';

export type SelectItem =
  | { type: 'field'; field: Field; alias?: string; cast?: string; aggregate?: Aggregate; aggregateCast?: string }
  | { type: 'relation'; name: string; alias?: string; hint?: string; joinType?: 'inner' | 'left'; children: SelectItem[] }
  | { type: 'spread'; name: string; hint?: string; joinType?: 'inner' | 'left'; children: SelectItem[] };

export type QuantOp = 'eq' | 'gte' | 'gt' | 'lte' | 'lt' | 'like' | 'ilike' | 'match' | 'imatch';
export type SimpleOp = 'neq' | 'cs' | 'cd' | 'ov' | 'sl' | 'sr' | 'nxr' | 'nxl' | 'adj';
export type FtsOp = 'fts' | 'plfts' | 'phfts' | 'wfts';
export type IsVal = 'null' | 'not_null' | 'true' | 'false' | 'unknown';

export type Operation =
  | { kind: 'quant'; op: QuantOp; quantifier?: 'any' | 'all'; value: string }
  | { kind: 'simple'; op: SimpleOp; value: string }
  | { kind: 'in'; values: string[] }
  | { kind: 'is'; value: IsVal }
  | { kind: 'isdistinct'; value: string }
  | { kind: 'fts'; op: FtsOp; language?: string; value: string };

export interface OpExpr {
  negated: boolean;
  operation: Operation;
}

export interface Filter {
  field: Field;
  expr: OpExpr;
}

export type LogicTree =
  | { type: 'filter'; filter: Filter }
  | { type: 'expr'; negated: boolean; operator: 'and' | 'or'; children: LogicTree[] };

export interface OrderTerm {
  /** Set for `relation(column)` terms, ordering by a to-one embed. */
  relation?: string;
  field: Field;
  direction?: 'asc' | 'desc';
  nulls?: 'first' | 'last';
}

export type EmbedPath = string[];

export interface QueryParams {
  /** Query parameters sorted by name, for Content-Location. */
  canonical: string;
  /** Parameters without an operator: the arguments of an RPC read (GET/HEAD). */
  rpcParams: [string, string][];
  /** `limit`/`offset` ranges keyed by path, e.g. `limit`, `clients.limit`. */
  ranges: Map<string, RowRange>;
  order: [EmbedPath, OrderTerm[]][];
  logic: [EmbedPath, LogicTree][];
  columns?: string[];
  select: SelectItem[];
  filters: [EmbedPath, Filter][];
  filtersRoot: Filter[];
  filtersNotRoot: [EmbedPath, Filter][];
  /** The names of all filter parameters (keys), as written. */
  filterFields: Set<string>;
  onConflict?: string[];
}

