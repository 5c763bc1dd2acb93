// An in-memory outbox with the semantics of claim_email_outbox / complete_email_outbox, for unit
// tests of the drain: claims mark rows sending (attempts + 1, reclaimable after 10 minutes),
// errors requeue with 2^(attempts-1) minutes of backoff, failed after max_attempts.
import type { Completion, Outbox, OutboxRow } from '../outbox.ts';

export interface MemoryRow extends OutboxRow {
  status: 'queued' | 'sending' | 'sent' | 'failed';
  next_attempt_at: number;
  last_error: string | null;
  provider_message_id: string | null;
}

export class MemoryOutbox implements Outbox {
  rows: MemoryRow[] = [];
  now = Date.now();
  /** Makes complete() throw, as if the database went away after the send. */
  failComplete = false;

  add(row: Partial<OutboxRow> & Pick<OutboxRow, 'template' | 'template_data'>): MemoryRow {
    const id = this.rows.length + 1;
    const r: MemoryRow = {
      id,
      kind: 'system',
      recipient: `learner${id}@example.com`,
      idempotency_key: `test:${id}`,
      attempts: 0,
      max_attempts: 5,
      status: 'queued',
      next_attempt_at: this.now,
      last_error: null,
      provider_message_id: null,
      ...row,
    };
    this.rows.push(r);
    return r;
  }

  claim(limit: number): Promise<OutboxRow[]> {
    const due = this.rows
      .filter((r) =>
        (r.status === 'queued' || r.status === 'sending') && r.next_attempt_at <= this.now &&
        r.attempts < r.max_attempts
      )
      .slice(0, limit);
    for (const r of due) {
      r.status = 'sending';
      r.attempts++;
      r.next_attempt_at = this.now + 10 * 60_000;
    }
    return Promise.resolve(due.map((r) => structuredClone(r)));
  }

  complete(id: number, c: Completion): Promise<void> {
    if (this.failComplete) return Promise.reject(new Error('connection lost'));
    const r = this.rows.find((x) => x.id === id);
    if (!r || r.status !== 'sending') return Promise.reject(new Error(`row ${id} is not sending`));
    if ('error' in c) {
      r.status = r.attempts >= r.max_attempts ? 'failed' : 'queued';
      r.next_attempt_at = this.now + 2 ** Math.max(r.attempts - 1, 0) * 60_000;
      r.last_error = c.error;
    } else {
      r.status = 'sent';
      r.provider_message_id = c.providerMessageId;
      r.last_error = null;
    }
    return Promise.resolve();
  }

  release(ids: number[]): Promise<number> {
    let n = 0;
    for (const r of this.rows) {
      if (ids.includes(r.id) && r.status === 'sending') {
        r.status = 'queued';
        r.attempts = Math.max(r.attempts - 1, 0);
        r.next_attempt_at = this.now + 60_000;
        n++;
      }
    }
    return Promise.resolve(n);
  }

  enqueue(
    e: { kind: string; recipient: string; template: string; data: Record<string, unknown>; idempotencyKey: string },
  ) {
    if (this.rows.some((r) => r.idempotency_key === e.idempotencyKey)) return Promise.resolve(false);
    this.add({
      kind: e.kind,
      recipient: e.recipient,
      template: e.template,
      template_data: e.data,
      idempotency_key: e.idempotencyKey,
    });
    return Promise.resolve(true);
  }
}
