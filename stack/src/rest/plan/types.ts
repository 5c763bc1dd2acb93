// The plan (PostgREST's Plan.hs types): the request resolved against the schema cache, what
// render.ts turns into SQL and respond.ts into an HTTP answer.
import type { Payload, Preferences } from '../request.ts';
import type { AnyRelationship, QualifiedName, Routine, Table } from '../schema-cache.ts';
import type { RowRange } from '../range.ts';
import type { Aggregate, JsonOp, OpExpr } from '../parse/ast.ts';

export interface PlanConfig {
  maxRows: number | null;
  extraSearchPath: string[];
  /** PostgREST db-aggregates-enabled; false on hosted Supabase unless set in the database. */
  aggregatesEnabled: boolean;
  /** PostgREST db-plan-enabled: EXPLAIN answers for `Accept: application/vnd.pgrst.plan`. */
  planEnabled: boolean;
}

/** A column reference resolved in its node. */
export interface ResolvedField {
  column: string;
  jsonPath: JsonOp[];
  /** Wrap in to_jsonb() before applying the JSON path (the column is not json/jsonb). */
  toJson: boolean;
  /** Full-text search on a non-tsvector column: to_tsvector([lang,] col). */
  toTsVector?: { language?: string };
  /** A computed field: `column` is the function `fn(row::argType)` (PostgREST's `table.fn`). */
  computed?: { fn: QualifiedName; argType: QualifiedName };
}

export interface SelectField {
  /** `fullRow`: the node's whole row (PostgREST's cfFullRow), what a spread's `count()` counts. */
  field: ResolvedField | { column: '*'; jsonPath: []; toJson: false; fullRow?: boolean };
  /** SQL type text from the cast whitelist (never user text). */
  cast?: string;
  alias?: string;
  /** `col.sum()`, `count()`…: grouped by the node's other selected columns. */
  aggregate?: Aggregate;
  aggregateCast?: string;
}

/** A column a spread embed lifts into its parent (PostgREST's SpreadSelectField). */
export interface SpreadSelect {
  /** Output name in the spread's subquery. */
  name: string;
  /** Output name in the parent, when it differs (hoisted aggregates). */
  alias?: string;
  /** An aggregate hoisted from a to-one spread into the parent. */
  aggregate?: Aggregate;
  aggregateCast?: string;
}

export type Condition =
  | { type: 'filter'; field: ResolvedField; expr: OpExpr }
  /** `rel=is.null` / `rel=not.is.null` on an embed: whether it matched. */
  | { type: 'embedNull'; isNull: boolean; embed: Embed }
  | { type: 'expr'; negated: boolean; operator: 'and' | 'or'; children: Condition[] };

export interface OrderItem {
  /** Set when ordering by a column of a to-one embed. */
  embed?: Embed;
  field: ResolvedField;
  /** For embed order: the name of the column in the embed's lateral row. */
  embedColumn?: string;
  direction?: 'asc' | 'desc';
  nulls?: 'first' | 'last';
}

export interface JoinCondition {
  /** Alias and column on the child side (the embedded table or the junction). */
  childAlias: string;
  childColumn: string;
  parentAlias: string;
  parentColumn: string;
}

export interface ReadNode {
  /**
   * Where rows come from: a table, the CTE `pgrst_source` of a mutation or call, or a computed
   * relationship `fn(parent_row::argType)` returning rows of `qi`.
   */
  from:
    | { kind: 'table'; qi: QualifiedName }
    | { kind: 'source' }
    | { kind: 'computed'; qi: QualifiedName; fn: QualifiedName; parentAlias: string; argType: QualifiedName };
  alias: string;
  /** Name used in messages (the table, view or function). */
  relName: string;
  select: SelectField[];
  where: Condition[];
  order: OrderItem[];
  range: RowRange;
  embeds: Embed[];
  /** Extra columns an embed's parent orders by, added to this node's lateral row. */
  hidden: { field: ResolvedField; alias: string }[];
  /** For a child: the junction of a many-to-many, joined in this node's FROM. */
  junction?: { qi: QualifiedName; alias: string };
  joinConditions: JoinCondition[];
}

export interface Embed {
  node: ReadNode;
  /** JSON key (alias or the name used in select). */
  name: string;
  /** The name as written in select, for path look-ups. */
  relName: string;
  relAlias?: string;
  relationship: AnyRelationship;
  toOne: boolean;
  joinType: 'left' | 'inner';
  spread: boolean;
  /** Alias of the lateral join in the parent's FROM. */
  aggAlias: string;
  /** `rel()` with nothing selected: joined for filtering only, not output. */
  empty: boolean;
  /** Columns of a spread embed, lifted into the parent (a to-many spread gives arrays). */
  spreadSelects: SpreadSelect[];
}

export type Handler = 'json' | 'json-stripped' | 'singular' | 'singular-stripped' | 'csv' | 'none';

export interface ResponseMedia {
  handler: Handler;
  contentType: string;
  /** `Accept: application/vnd.pgrst.plan…` (db-plan-enabled): answer the EXPLAIN of the statement. */
  explain?: { format: 'json' | 'text'; options: ('analyze' | 'verbose' | 'settings' | 'buffers' | 'wal')[] };
}

export interface ReadPlan {
  type: 'read';
  table: Table;
  node: ReadNode;
  media: ResponseMedia;
  /** vnd.pgrst.object: exactly one row or PGRST116 (and a rollback). */
  singular: boolean;
  headOnly: boolean;
  count?: 'exact' | 'planned' | 'estimated';
  readOnly: true;
}

export interface InsertSpec {
  columns: { name: string; type: string; default: string | null }[];
  payload: Extract<Payload, { kind: 'json' }>;
  onConflict?: { resolution: 'merge-duplicates' | 'ignore-duplicates'; columns: string[] };
  applyDefaults: boolean;
  /** PUT: conditions the body must meet (the URL's primary key). */
  putConditions?: Condition[];
}

export interface MutatePlan {
  type: 'mutate';
  mutation: 'create' | 'update' | 'delete' | 'upsert';
  table: Table;
  insert?: InsertSpec;
  update?: { columns: { name: string; type: string; default: string | null }[]; payload: Extract<Payload, { kind: 'json' }>; applyDefaults: boolean };
  /** WHERE of UPDATE/DELETE (root filters and logic). */
  where: Condition[];
  /** Columns the mutation returns: `*`, names, or none (RETURNING 1). */
  returning: string[] | '*';
  node: ReadNode;
  media: ResponseMedia;
  singular: boolean;
  pkColumns: string[];
  readOnly: false;
}

export type CallArgs =
  | { kind: 'none' }
  | { kind: 'direct'; values: { param: string; type: string; variadic: boolean; value: string | string[] }[] }
  | { kind: 'json'; raw: string; isObject: boolean; params: { name: string; type: string; variadic: boolean }[] }
  | { kind: 'single'; raw: string; type: string };

export interface CallPlan {
  type: 'call';
  routine: Routine;
  args: CallArgs;
  node: ReadNode;
  media: ResponseMedia;
  singular: boolean;
  headOnly: boolean;
  count?: 'exact' | 'planned' | 'estimated';
  readOnly: boolean;
  scalar: boolean;
  setOfScalar: boolean;
  single: boolean;
  /** Columns the call's CTE must expose (select and filter columns, or all). */
  returning: string[] | '*';
}

export interface OpenApiPlan {
  type: 'openapi';
  schema: string;
  headOnly: boolean;
  readOnly: true;
}

export type Plan = ReadPlan | MutatePlan | CallPlan | OpenApiPlan;

export interface PlannedRequest {
  plan: Plan;
  /** Transaction-local settings: search_path, timezone. */
  settings: Record<string, string>;
  preferences: Preferences;
  /** Preferences the response reports as applied. */
  applied: Preferences;
}

