// `send-email` (verify_jwt = true, service role only): drains the e-mail outbox through Resend.
// pg_cron posts `{}` every minute (job ascend-send-email); an operator or a test may post
// `{ "limit": 10 }`, or `{ "email": { to, template, data, idempotency_key? } }` to queue one
// e-mail and send it at once. Answers 200 with what was sent; 502 naming Resend when it refused
// or failed an e-mail (the row is retried with backoff); 503 when Resend is unreachable or not
// configured; 500 when the outbox itself failed.
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { corsHeaders, json } from '../_shared/cors.ts';
import { drainOutbox, type DrainReport } from './drain.ts';
import { type Outbox, OutboxError, supabaseOutbox } from './outbox.ts';
import { type Mailer, resendMailer } from './resend.ts';
import { isTemplateName, TEMPLATE_NAMES } from './templates.ts';

/** The function's settings, from its environment (functions/.env, or Supabase secrets). */
export const Settings = z.object({
  SUPABASE_URL: z.string().url(),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1),
  RESEND_API_KEY: z.string().min(1).optional(),
  RESEND_BASE_URL: z.string().url().optional(),
  EMAIL_FROM: z.string().min(3).default('Ascend <onboarding@resend.dev>'),
  APP_URL: z.string().url().default('http://127.0.0.1:5173'),
  SEND_EMAIL_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(8),
  /** Requests per second to Resend; default 2 (Resend's default team limit) for api.resend.com, no limit elsewhere. */
  SEND_EMAIL_RATE: z.coerce.number().min(0).max(1000).optional(),
});

/** The rate when SEND_EMAIL_RATE is not set: Resend's default limit against Resend itself, none against a sink. */
export function defaultRate(baseUrl: string | undefined): number {
  const host = baseUrl ? new URL(baseUrl).hostname : 'api.resend.com';
  return host === 'api.resend.com' ? 2 : 0;
}
export type Settings = z.infer<typeof Settings>;

const TEMPLATE_KIND: Record<string, string> = {
  weekly_progress: 'weekly_progress',
  streak_at_risk: 'streak_reminder',
  achievement: 'achievement',
  level_up: 'achievement',
  assignment_due: 'assignment',
  report_ready: 'training_report',
  invitation: 'invitation',
};

export const SendRequest = z.object({
  limit: z.number().int().min(1).max(100).default(50),
  max: z.number().int().min(1).max(10_000).default(1000),
  email: z.object({
    to: z.string().email().max(320),
    template: z.string().refine(isTemplateName, { message: `template must be one of ${TEMPLATE_NAMES.join(', ')}` }),
    data: z.record(z.string(), z.unknown()).default({}),
    idempotency_key: z.string().min(1).max(256).optional(),
  }).optional(),
}).strict();

export interface Deps {
  outbox: Outbox;
  /** Undefined when RESEND_API_KEY is not set. */
  mailer: Mailer | undefined;
  from: string;
  appUrl: string;
  concurrency: number;
  /** Requests per second to Resend (0: no limit). */
  ratePerSecond?: number;
  budgetMs?: number;
}

/** The role claim of the (gateway-verified) bearer token. */
export function callerRole(authorization: string | null): string | undefined {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  try {
    const { role } = decodeJwt(token);
    return typeof role === 'string' ? role : undefined;
  } catch {
    return undefined;
  }
}

/** 200 all sent; 502 Resend refused or failed one; 503 Resend unreachable; 500 a template failed. */
export function statusOf(report: DrainReport): number {
  const failures = report.results.filter((r) => r.status === 'retrying');
  if (failures.some((r) => r.status === 'retrying' && r.reason === 'provider')) return 502;
  if (failures.some((r) => r.status === 'retrying' && r.reason === 'unavailable')) return 503;
  if (failures.length > 0) return 500;
  return 200;
}

function summary(report: DrainReport): string | undefined {
  const first = report.results.find((r) => r.status === 'retrying');
  if (!first || first.status !== 'retrying') return undefined;
  return report.failed === 1
    ? first.error
    : `${first.error} (and ${report.failed - 1} more failed; they will be retried)`;
}

export function createHandler(deps: () => Deps): (req: Request) => Promise<Response> {
  return async (req) => {
    if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
    if (req.method !== 'POST') {
      return json({ error: `Cannot ${req.method} send-email: it only answers POST` }, 405, { Allow: 'POST, OPTIONS' });
    }
    if (callerRole(req.headers.get('authorization')) !== 'service_role') {
      return json({ error: 'Cannot send email: send-email needs the service_role key' }, 403);
    }
    const raw = await req.text();
    let body: unknown = {};
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        return json({ error: 'Cannot send email: the body is not JSON' }, 400);
      }
    }
    const parsed = SendRequest.safeParse(body);
    if (!parsed.success) {
      return json({
        error: 'Cannot send email: invalid request',
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      }, 400);
    }
    let d: Deps;
    try {
      d = deps();
    } catch (err) {
      return json({ error: `Cannot send email: the function's settings are invalid (${(err as Error).message})` }, 503);
    }
    if (!d.mailer) {
      return json({ error: 'Cannot send email: RESEND_API_KEY is not set (see README, "send-email")' }, 503);
    }
    try {
      let queued: boolean | undefined;
      const e = parsed.data.email;
      if (e) {
        queued = await d.outbox.enqueue({
          kind: TEMPLATE_KIND[e.template] ?? 'system',
          recipient: e.to.toLowerCase(),
          template: e.template,
          data: e.data,
          idempotencyKey: e.idempotency_key ?? `direct:${crypto.randomUUID()}`,
        });
      }
      const report = await drainOutbox({
        outbox: d.outbox,
        mailer: d.mailer,
        from: d.from,
        appUrl: d.appUrl,
        batchSize: parsed.data.limit,
        maxEmails: parsed.data.max,
        concurrency: d.concurrency,
        ratePerSecond: d.ratePerSecond ?? 0,
        budgetMs: d.budgetMs ?? 50_000,
      });
      const status = statusOf(report);
      return json({
        ...(status === 200 ? {} : { error: summary(report) }),
        ...(queued === undefined ? {} : { queued }),
        ...report,
      }, status);
    } catch (err) {
      if (err instanceof OutboxError) return json({ error: err.message }, 500);
      throw err;
    }
  };
}

/** Dependencies from the environment, built once per process. */
let cached: Deps | undefined;
export function depsFromEnv(env: Record<string, string | undefined> = Deno.env.toObject()): Deps {
  if (cached) return cached;
  const s = Settings.parse(env);
  cached = {
    outbox: supabaseOutbox(s.SUPABASE_URL, s.SUPABASE_SERVICE_ROLE_KEY),
    mailer: s.RESEND_API_KEY ? resendMailer({ apiKey: s.RESEND_API_KEY, baseUrl: s.RESEND_BASE_URL }) : undefined,
    from: s.EMAIL_FROM,
    appUrl: s.APP_URL,
    concurrency: s.SEND_EMAIL_CONCURRENCY,
    ratePerSecond: s.SEND_EMAIL_RATE ?? defaultRate(s.RESEND_BASE_URL),
  };
  return cached;
}

export const handler = createHandler(() => depsFromEnv());
