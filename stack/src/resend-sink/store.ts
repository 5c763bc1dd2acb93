// The Resend sink's memory: every e-mail accepted, kept in a JSON-lines file under the instance
// directory (the newest KEEP survive a restart) and indexed in memory; the idempotency keys of the
// last 24 hours, as Resend keeps them; and the failures a test asked for.
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** An accepted e-mail, in the shape of Resend's `GET /emails/:id`. */
export interface SinkEmail {
  object: 'email';
  id: string;
  to: string[];
  from: string;
  created_at: string;
  subject: string;
  html: string | null;
  text: string | null;
  bcc: string[] | null;
  cc: string[] | null;
  reply_to: string[] | null;
  last_event: 'delivered';
  scheduled_at: string | null;
  tags: Array<{ name: string; value: string }> | null;
  /** Sink only: the Idempotency-Key it was sent with. */
  idempotency_key: string | null;
}

export interface Fault {
  /** Only sends to this address fail (case-insensitive); undefined: every send. */
  to: string | undefined;
  status: number;
  name: string;
  message: string;
  /** How many more sends fail. */
  remaining: number;
}

interface Remembered {
  fingerprint: string;
  status: number;
  body: unknown;
  at: number;
}

export const KEEP = 5000;
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export class ResendStore {
  private emails: SinkEmail[] = [];
  private byId = new Map<string, SinkEmail>();
  private keys = new Map<string, Remembered>();
  private faults: Fault[] = [];

  constructor(readonly file: string, private readonly now: () => number = Date.now) {
    mkdirSync(dirname(file), { recursive: true });
    const all = existsSync(file)
      ? readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').flatMap((l) => {
          try {
            return [JSON.parse(l) as SinkEmail];
          } catch {
            return [];
          }
        })
      : [];
    const kept = all.slice(-KEEP);
    if (kept.length !== all.length) writeFileSync(file, kept.map((e) => `${JSON.stringify(e)}\n`).join(''));
    for (const e of kept) this.index(e);
  }

  static forInstance(dir: string): ResendStore {
    return new ResendStore(join(dir, 'resend', 'emails.jsonl'));
  }

  private index(e: SinkEmail): void {
    this.emails.push(e);
    this.byId.set(e.id, e);
  }

  add(email: Omit<SinkEmail, 'object' | 'id' | 'created_at' | 'last_event'>): SinkEmail {
    const stored: SinkEmail = { object: 'email', id: randomUUID(), created_at: new Date(this.now()).toISOString(), last_event: 'delivered', ...email };
    appendFileSync(this.file, `${JSON.stringify(stored)}\n`);
    this.index(stored);
    // A long-lived instance (benchmarks) keeps the newest KEEP, in memory and on disk.
    if (this.emails.length >= 2 * KEEP) this.trim();
    return stored;
  }

  private trim(): void {
    const kept = this.emails.slice(-KEEP);
    this.emails = [];
    this.byId.clear();
    for (const e of kept) this.index(e);
    writeFileSync(this.file, kept.map((e) => `${JSON.stringify(e)}\n`).join(''));
  }

  get(id: string): SinkEmail | undefined {
    return this.byId.get(id);
  }

  /** Newest first; `to` matches any recipient, case-insensitively. */
  list(filter: { to?: string; limit?: number } = {}): SinkEmail[] {
    const to = filter.to?.toLowerCase();
    const out: SinkEmail[] = [];
    for (let i = this.emails.length - 1; i >= 0 && (filter.limit === undefined || out.length < filter.limit); i--) {
      const e = this.emails[i]!;
      if (!to || e.to.some((a) => a.toLowerCase() === to)) out.push(e);
    }
    return out;
  }

  count(): number {
    return this.emails.length;
  }

  /** Deletes the e-mails to `to` (all when omitted) and, with all, the idempotency keys; returns how many went. */
  clear(to?: string): number {
    const before = this.emails.length;
    const lower = to?.toLowerCase();
    const keep = lower ? this.emails.filter((e) => !e.to.some((a) => a.toLowerCase() === lower)) : [];
    this.emails = [];
    this.byId.clear();
    if (!lower) this.keys.clear();
    for (const e of keep) this.index(e);
    writeFileSync(this.file, keep.map((e) => `${JSON.stringify(e)}\n`).join(''));
    return before - keep.length;
  }

  /** The first answer given to this key, when the key is within its 24 hours. */
  recall(key: string): Remembered | undefined {
    const r = this.keys.get(key);
    if (r && this.now() - r.at > IDEMPOTENCY_WINDOW_MS) {
      this.keys.delete(key);
      return undefined;
    }
    return r;
  }

  remember(key: string, fingerprint: string, status: number, body: unknown): void {
    this.keys.set(key, { fingerprint, status, body, at: this.now() });
  }

  addFault(f: { to?: string | undefined; status: number; name: string; message: string; times: number }): void {
    this.faults.push({ to: f.to?.toLowerCase(), status: f.status, name: f.name, message: f.message, remaining: f.times });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** The fault this send meets (consuming one of its times), if any. */
  takeFault(recipients: string[]): Fault | undefined {
    const lower = recipients.map((r) => r.toLowerCase());
    const f = this.faults.find((x) => x.remaining > 0 && (x.to === undefined || lower.includes(x.to)));
    if (!f) return undefined;
    f.remaining--;
    this.faults = this.faults.filter((x) => x.remaining > 0);
    return f;
  }
}

/** The same request gives the same fingerprint: method, path and body. */
export function fingerprint(path: string, body: unknown): string {
  return createHash('sha256').update(`${path}\n${JSON.stringify(body)}`).digest('hex');
}
