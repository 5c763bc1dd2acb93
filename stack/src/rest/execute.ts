// What happens inside the request's transaction, as PostgREST's MainTx.hs does it: run the main
// statement, refuse a singular response that is not one row (PGRST116), a max-affected overrun
// (PGRST124) or a PUT that did not match its URL (PGRST115) — each rolling back — run the
// EXPLAIN for planned counts, and end the transaction as `db-tx-end` and (when it allows an
// override) `Prefer: tx` say. Pure but for the `Runner` the caller hands in (db.ts runs it inside
// the request scope).
import { Errors } from './errors.ts';
import type { RenderedPlan, SqlStatement } from './render.ts';
import type { ResultRow } from './respond.ts';
import type { PlannedRequest } from './plan/types.ts';

export interface Runner {
  query<T>(statement: SqlStatement): Promise<T[]>;
  /**
   * Runs the transaction's last statement and commits with it, in one round trip, when it
   * succeeds. A runner without it commits afterwards.
   */
  queryAndCommit?<T>(statement: SqlStatement): Promise<T[]>;
}

export interface Outcome {
  row: ResultRow;
  explainTotal: number | null;
  /** End the transaction with ROLLBACK (tx=rollback, or db-tx-end=rollback*) instead of COMMIT. */
  rollback: boolean;
}

export interface ExecuteOptions {
  /** `db-tx-end` is `rollback` or `rollback-allow-override`: roll back unless `Prefer: tx=commit` was honoured. */
  rollbackAll?: boolean;
}

const EMPTY_ROW: ResultRow = {
  total_result_set: null,
  page_total: 0,
  body: null,
  response_headers: null,
  response_status: null,
  location: null,
  response_inserted: null,
};

function planRows(explain: unknown): number | null {
  const first = Array.isArray(explain) ? (explain[0] as { Plan?: { 'Plan Rows'?: unknown } } | undefined) : undefined;
  const n = first?.Plan?.['Plan Rows'];
  return typeof n === 'number' ? Math.round(n) : null;
}

/** The rows of an EXPLAIN as PostgREST answers them: one line each (JSON as one document). */
function planBody(rows: { 'QUERY PLAN': unknown }[], format: 'json' | 'text'): string {
  return rows.map((r) => `${format === 'json' ? JSON.stringify(r['QUERY PLAN']) : String(r['QUERY PLAN'])}\n`).join('');
}

export async function execute(planned: PlannedRequest, rendered: RenderedPlan, runner: Runner, options: ExecuteOptions = {}): Promise<Outcome> {
  const plan = planned.plan;
  const p = planned.preferences;
  // PostgREST's optionalRollback: `p.transaction` is only set when db-tx-end allows an override.
  const rollback = p.transaction === 'rollback' || (options.rollbackAll === true && p.transaction !== 'commit');
  if (rendered.planFormat) {
    const rows = await runner.query<{ 'QUERY PLAN': unknown }>(rendered.main);
    return { row: { ...EMPTY_ROW, body: planBody(rows, rendered.planFormat) }, explainTotal: null, rollback };
  }
  const singular = plan.type !== 'openapi' && plan.singular;
  const maxAffectedApplies =
    (plan.type === 'mutate' && (plan.mutation === 'update' || plan.mutation === 'delete')) || plan.type === 'call';
  const maxAffected = maxAffectedApplies && p.handling === 'strict' && p.maxAffected !== undefined ? p.maxAffected : undefined;
  const upsert = plan.type === 'mutate' && plan.mutation === 'upsert';
  // When nothing after the main statement can end the transaction with ROLLBACK, it commits in
  // the same round trip.
  const last = !rollback && !singular && maxAffected === undefined && !upsert && rendered.explain === undefined;
  const rows = await (last && runner.queryAndCommit ? runner.queryAndCommit<ResultRow>(rendered.main) : runner.query<ResultRow>(rendered.main));
  const row = rows[0] ?? EMPTY_ROW;
  const queryTotal = Number(row.page_total);

  if (singular && queryTotal !== 1) throw Errors.singular(queryTotal);
  if (maxAffected !== undefined && queryTotal > maxAffected) throw Errors.maxAffected(queryTotal);
  if (upsert && queryTotal !== 1) throw Errors.putMatchingPk();

  let explainTotal: number | null = null;
  if (rendered.explain) {
    const ex = await runner.query<{ 'QUERY PLAN': unknown }>(rendered.explain);
    explainTotal = planRows(ex[0]?.['QUERY PLAN']);
  }
  if (rollback) await runner.query({ text: 'SET CONSTRAINTS ALL IMMEDIATE', values: [] });
  return { row, explainTotal, rollback };
}
