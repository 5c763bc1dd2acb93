// The e-mail provider seam: Resend through its SDK (npm:resend), at RESEND_BASE_URL when set (the
// local stack's sink at /resend/v1, or a test's fake server), else https://api.resend.com. The SDK
// never throws for HTTP failures: it returns `{ data, error }`, which is classified here.
import { Resend } from 'resend';
import { z } from 'zod';

export interface OutgoingEmail {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  tags?: Array<{ name: string; value: string }>;
}

export type SendOutcome =
  | { ok: true; id: string }
  | {
    ok: false;
    /**
     * unavailable: Resend could not be reached; transient: 429, 5xx or a concurrent request with the
     * same key (try again later); rejected: any other 4xx (the request or the key is wrong);
     * duplicate: the key was already used with another payload in Resend's 24 hours, so an e-mail
     * went out under it (409 invalid_idempotent_request).
     */
    kind: 'unavailable' | 'transient' | 'rejected' | 'duplicate';
    status: number | null;
    name: string;
    message: string;
  };

export interface Mailer {
  send(email: OutgoingEmail, idempotencyKey: string): Promise<SendOutcome>;
}

/** Resend's error body `{ statusCode, name, message }`, as the SDK hands it over. */
const ResendError = z.object({
  statusCode: z.number().int().nullish(),
  name: z.string().optional(),
  message: z.string().optional(),
});
const ResendCreated = z.object({ id: z.string().min(1) });

export function classify(status: number | null, name: string): Exclude<SendOutcome, { ok: true }>['kind'] {
  if (status === null) return 'unavailable';
  if (status === 409 && name === 'invalid_idempotent_request') return 'duplicate';
  if (status === 429 || status >= 500 || status === 409) return 'transient';
  return 'rejected';
}

/** What a failed outcome says, naming Resend: "Resend returned 422 validation_error: …". */
export function describeFailure(o: Exclude<SendOutcome, { ok: true }>): string {
  if (o.kind === 'unavailable') return `Resend is unreachable: ${o.message}`;
  return `Resend returned ${o.status} ${o.name}: ${o.message}`;
}

export interface ResendOptions {
  apiKey: string;
  /** Default https://api.resend.com. */
  baseUrl?: string;
  /** Longest wait for one request. */
  timeoutMs?: number;
}

export function resendMailer(options: ResendOptions): Mailer {
  const client = new Resend(
    options.apiKey,
    options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, '') } : undefined,
  );
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    async send(email, idempotencyKey) {
      let result: { data: unknown; error: unknown };
      try {
        result = await client.emails.send(
          {
            from: email.from,
            to: email.to,
            subject: email.subject,
            html: email.html,
            text: email.text,
            tags: email.tags,
          },
          { idempotencyKey, signal: AbortSignal.timeout(timeoutMs) } as { idempotencyKey: string },
        );
      } catch (e) {
        return {
          ok: false,
          kind: 'unavailable',
          status: null,
          name: 'application_error',
          message: (e as Error).message,
        };
      }
      if (result.error) {
        const err = ResendError.safeParse(result.error);
        const status = err.success ? err.data.statusCode ?? null : null;
        const name = (err.success && err.data.name) || 'application_error';
        const message = (err.success && err.data.message) || 'no message';
        return { ok: false, kind: classify(status, name), status, name, message };
      }
      const created = ResendCreated.safeParse(result.data);
      if (!created.success) {
        return {
          ok: false,
          kind: 'transient',
          status: 200,
          name: 'invalid_response',
          message: 'the answer carried no e-mail id',
        };
      }
      return { ok: true, id: created.data.id };
    },
  };
}
