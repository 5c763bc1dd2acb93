// Draining the outbox: claim due rows, render, send each with the row's idempotency key as
// Resend's Idempotency-Key, report each row back. The order of effects is what makes "never twice"
// hold:
//  1. claim_email_outbox marks rows `sending` under FOR UPDATE SKIP LOCKED, so two concurrent
//     drains never get the same row; a claim is reclaimable only 10 minutes later.
//  2. the send carries Idempotency-Key = email_outbox.idempotency_key, and the rendered payload is
//     a pure function of the row, so a resend is the same request byte for byte.
//  3. complete_email_outbox records the provider's id (or the error, for a retry with backoff).
// A crash between 2 and 3 leaves the row `sending`; ten minutes later it is claimed again and sent
// again with the same key, and Resend (which keeps keys 24 hours) answers with the first e-mail's
// id instead of sending another; that id is then recorded. A 409 invalid_idempotent_request (the
// key was used with another payload, e.g. after a template change) also means it went out: the
// row is completed as sent, without an id.
import { type Completion, type Outbox, type OutboxRow } from './outbox.ts';
import { describeFailure, type Mailer, type SendOutcome } from './resend.ts';
import { renderTemplate, TemplateError } from './templates.ts';

export interface DrainOptions {
  outbox: Outbox;
  mailer: Mailer;
  /** The sender, e.g. "Ascend <no-reply@example.com>" (EMAIL_FROM). */
  from: string;
  appUrl: string;
  /** Rows per claim (1–100). */
  batchSize: number;
  /** Sends in flight at once. */
  concurrency: number;
  /** Stop claiming new batches after this long. */
  budgetMs: number;
  /** Stop after this many rows in total. */
  maxEmails: number;
  /** Requests per second to the provider (Resend limits each team; 0: no limit). */
  ratePerSecond: number;
}

/** What became of one row; duration_ms: render, send and complete, for this row. */
export type RowOutcome =
  | { status: 'sent'; provider_message_id: string | null }
  | { status: 'retrying'; reason: 'provider' | 'unavailable' | 'template'; error: string };
export type RowResult = { id: number; duration_ms: number } & RowOutcome;

export interface DrainReport {
  claimed: number;
  sent: number;
  failed: number;
  /** Claimed but not tried, because the provider was failing: handed back (release_email_outbox). */
  released: number;
  results: RowResult[];
}

/** A failure that says nothing about the e-mail and everything about the provider or our key. */
export function haltsTheRun(outcome: SendOutcome): boolean {
  if (outcome.ok || outcome.kind === 'duplicate') return false;
  return outcome.kind !== 'rejected' || outcome.status === 401 || outcome.status === 403;
}

/** Spaces calls `perSecond` apart (0: no spacing). */
export function pacer(perSecond: number): () => Promise<void> {
  let next = 0;
  return async () => {
    if (perSecond <= 0) return;
    const now = performance.now();
    const at = Math.max(now, next);
    next = at + 1000 / perSecond;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  };
}

async function sendOne(row: OutboxRow, o: DrainOptions, pace: () => Promise<void>): Promise<[RowResult, boolean]> {
  const started = performance.now();
  const ms = () => Math.round((performance.now() - started) * 100) / 100;
  let outcome: SendOutcome;
  try {
    const email = renderTemplate(row.template, row.template_data, { appUrl: o.appUrl });
    await pace();
    outcome = await o.mailer.send(
      {
        from: o.from,
        to: [row.recipient],
        ...email,
        tags: [{ name: 'category', value: row.kind.replace(/[^A-Za-z0-9_-]/g, '_') }],
      },
      row.idempotency_key,
    );
  } catch (e) {
    const error = e instanceof TemplateError ? e.message : `Cannot send email: ${(e as Error).message}`;
    await o.outbox.complete(row.id, { error });
    return [{ id: row.id, duration_ms: ms(), status: 'retrying', reason: 'template', error }, false];
  }
  let completion: Completion;
  let result: RowOutcome;
  if (outcome.ok) {
    completion = { providerMessageId: outcome.id };
    result = { status: 'sent', provider_message_id: outcome.id };
  } else if (outcome.kind === 'duplicate') {
    completion = { providerMessageId: null };
    result = { status: 'sent', provider_message_id: null };
  } else {
    const error = `Cannot send email: ${describeFailure(outcome)}`;
    completion = { error };
    result = {
      status: 'retrying',
      reason: outcome.kind === 'unavailable' ? 'unavailable' : 'provider',
      error,
    };
  }
  await o.outbox.complete(row.id, completion);
  return [{ id: row.id, duration_ms: ms(), ...result }, haltsTheRun(outcome)];
}

/** Runs `work` over `items` with at most `limit` at once; results in input order. */
export async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

/**
 * Claims and sends until the outbox has nothing due, the budget is spent, or Resend is failing.
 * Once a send fails for a reason that is Resend's or the key's (429, 5xx, unreachable, 401/403),
 * the rest of the batch is not tried: it is released, without losing an attempt.
 */
export async function drainOutbox(o: DrainOptions): Promise<DrainReport> {
  const started = Date.now();
  const pace = pacer(o.ratePerSecond);
  const report: DrainReport = { claimed: 0, sent: 0, failed: 0, released: 0, results: [] };
  let halted = false;
  while (!halted && report.claimed < o.maxEmails && Date.now() - started < o.budgetMs) {
    const rows = await o.outbox.claim(Math.min(o.batchSize, o.maxEmails - report.claimed));
    report.claimed += rows.length;
    const untried: number[] = [];
    const results = await mapLimited(rows, o.concurrency, async (row) => {
      if (halted) {
        untried.push(row.id);
        return undefined;
      }
      const [result, halts] = await sendOne(row, o, pace);
      if (halts) halted = true;
      return result;
    });
    for (const r of results) {
      if (!r) continue;
      report.results.push(r);
      if (r.status === 'sent') report.sent++;
      else report.failed++;
    }
    for (let i = 0; i < untried.length; i += 100) report.released += await o.outbox.release(untried.slice(i, i + 100));
    // A short batch means nothing else is due (the next run comes in a minute).
    if (rows.length < o.batchSize) break;
  }
  return report;
}
