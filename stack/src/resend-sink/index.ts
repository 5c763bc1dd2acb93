// `/resend/v1`: a local, Resend-compatible API for the send-email function (RESEND_BASE_URL points
// here unless functions/.env sets a real RESEND_API_KEY). It answers what the Resend SDK uses:
// `POST /emails`, `POST /emails/batch` (x-batch-validation strict or permissive), `GET /emails/:id`,
// `GET /emails` (Resend's list, plus `?to=` here), with Resend's Idempotency-Key semantics (the
// same key and body within 24 hours: the first answer again, nothing new sent; another body: 409
// invalid_idempotent_request; a key outside 1–256 characters: 400 invalid_idempotency_key) and its
// error bodies `{ statusCode, name, message }` (401 missing_api_key, 403 validation_error for a
// wrong key, 422 missing_required_field / validation_error, 404 not_found).
//
// Like the auth mail sink it holds what e-mails say (invitation links), so it is for this machine
// only: no CORS (the gateway leaves /resend/v1 out), loopback host names only, the API key is the
// instance's service_role key, and the page at `/resend/v1/` refuses cross-site requests. Tests
// make sends fail with `POST /resend/v1/sink/faults { to?, status, name?, message?, times? }`.
import { Hono, type Context, type Next } from 'hono';
import { z } from 'zod';
import { escapeHtml, isCrossSite, isLoopbackHost, localSinkHeaders, RESEND_SINK_PREFIX } from '../kit/local-sinks.ts';
import type { GatewayContext } from '../kit/context.ts';
import type { GatewayEnv, Service } from '../kit/service.ts';
import { fingerprint, ResendStore, type SinkEmail } from './store.ts';

export const PREFIX = RESEND_SINK_PREFIX;

/** Resend's error body. */
export function resendError(c: Context<GatewayEnv>, statusCode: number, name: string, message: string) {
  return c.json({ statusCode, name, message }, statusCode as 400);
}

// `email@example.com` or `Name <email@example.com>`, as Resend accepts them.
const ADDRESS = /^(?:[^<>]*<\s*[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+\s*>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/;
const addressList = z.union([z.string(), z.array(z.string()).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));
const TAG = /^[A-Za-z0-9_-]{1,256}$/;

export const EmailBody = z.object({
  from: z.string().optional(),
  to: addressList.optional(),
  subject: z.string().optional(),
  html: z.string().optional(),
  text: z.string().optional(),
  cc: addressList.optional(),
  bcc: addressList.optional(),
  reply_to: addressList.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  tags: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  scheduled_at: z.string().optional(),
  attachments: z.array(z.object({ filename: z.string().optional(), content: z.unknown().optional(), path: z.string().optional() })).optional(),
  template: z.unknown().optional(),
  topic_id: z.string().optional(),
});
export type EmailBody = z.infer<typeof EmailBody>;

type Checked = { ok: true; email: Omit<SinkEmail, 'object' | 'id' | 'created_at' | 'last_event' | 'idempotency_key'> } | { ok: false; name: string; message: string };

/** Resend's checks of one e-mail, with its error names and messages. */
export function checkEmail(raw: unknown, inBatch = false): Checked {
  const parsed = EmailBody.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, name: 'validation_error', message: `Invalid \`${issue.path.join('.') || 'body'}\` field. ${issue.message}` };
  }
  const b = parsed.data;
  for (const field of ['from', 'to', 'subject'] as const) {
    if (b[field] === undefined || b[field] === '') return { ok: false, name: 'missing_required_field', message: `Missing \`${field}\` field.` };
  }
  if (b.html === undefined && b.text === undefined && b.template === undefined) {
    return { ok: false, name: 'missing_required_field', message: 'Missing `html` or `text` field.' };
  }
  const format = 'The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.';
  if (!ADDRESS.test(b.from!)) return { ok: false, name: 'validation_error', message: `Invalid \`from\` field. ${format}` };
  for (const field of ['to', 'cc', 'bcc', 'reply_to'] as const) {
    const list = b[field];
    if (list && list.length > 50) return { ok: false, name: 'validation_error', message: `Too many recipients in \`${field}\`: at most 50.` };
    if (list?.some((a) => !ADDRESS.test(a))) return { ok: false, name: 'validation_error', message: `Invalid \`${field}\` field. ${format}` };
  }
  if (b.tags?.some((t) => !TAG.test(t.name) || !TAG.test(t.value))) {
    return { ok: false, name: 'validation_error', message: 'Tags should only contain ASCII letters, numbers, underscores, or dashes.' };
  }
  if (inBatch && (b.attachments || b.scheduled_at)) {
    return { ok: false, name: 'validation_error', message: '`attachments` and `scheduled_at` are not supported in batch sending.' };
  }
  return {
    ok: true,
    email: {
      from: b.from!,
      to: b.to!,
      subject: b.subject!,
      html: b.html ?? null,
      text: b.text ?? null,
      cc: b.cc ?? null,
      bcc: b.bcc ?? null,
      reply_to: b.reply_to ?? null,
      scheduled_at: b.scheduled_at ?? null,
      tags: b.tags ?? null,
    },
  };
}

const FaultBody = z.object({
  to: z.string().min(3).optional(),
  status: z.number().int().min(400).max(599),
  name: z.string().min(1).default('application_error'),
  message: z.string().min(1).default('The local Resend sink was told to fail this send.'),
  times: z.number().int().min(1).max(10_000).default(1),
});


export function resendSinkService(ctx: GatewayContext, store: ResendStore = ResendStore.forInstance(ctx.inst.dir)): Service {
  const app = new Hono<GatewayEnv>();

  app.use('*', localSinkHeaders);
  app.use('*', async (c, next) => {
    if (!isLoopbackHost(c.req.header('host'))) return resendError(c, 403, 'validation_error', 'The local Resend sink answers only on localhost / 127.0.0.1');
    return next();
  });

  // The API key: the instance's service_role key, as `Authorization: Bearer` (what the SDK sends)
  // or, for people and scripts reading the JSON, as the `apikey` header.
  const requireKey = async (c: Context<GatewayEnv>, next: Next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const apikey = c.req.header('apikey');
    if (bearer === undefined && apikey === undefined) return resendError(c, 401, 'missing_api_key', 'Missing API key in the authorization header.');
    const jwt = c.get('jwt');
    const ok = bearer === ctx.keys.serviceRoleKey || apikey === ctx.keys.serviceRoleKey || (jwt?.ok === true && jwt.claims.role === 'service_role');
    if (!ok) return resendError(c, 403, 'validation_error', 'API key is invalid');
    return next();
  };
  app.use('/emails', requireKey);
  app.use('/emails/*', requireKey);
  app.use('/sink/*', requireKey);

  /** Parses the JSON body, or answers Resend's 422 for one that is not. */
  const jsonBody = async (c: Context<GatewayEnv>): Promise<{ ok: true; body: unknown } | { ok: false; res: Response }> => {
    try {
      return { ok: true, body: await c.req.json() };
    } catch {
      return { ok: false, res: resendError(c, 422, 'validation_error', 'The request body is not valid JSON.') };
    }
  };

  /** Idempotency-Key handling around a send; `send` answers [status, body]. */
  const idempotent = (c: Context<GatewayEnv>, body: unknown, send: () => [number, unknown]): Response => {
    const key = c.req.header('idempotency-key');
    if (key === undefined) {
      const [status, out] = send();
      return c.json(out, status as 200);
    }
    if (key.length < 1 || key.length > 256) return resendError(c, 400, 'invalid_idempotency_key', 'The key must be between 1-256 chars.');
    const print = fingerprint(c.req.path, body);
    const seen = store.recall(key);
    if (seen && seen.fingerprint !== print) {
      return resendError(c, 409, 'invalid_idempotent_request', 'Same idempotency key used with a different request payload.');
    }
    if (seen) return c.json(seen.body, seen.status as 200);
    const [status, out] = send();
    if (status === 200) store.remember(key, print, status, out);
    return c.json(out, status as 200);
  };

  app.post('/emails', async (c) => {
    const parsed = await jsonBody(c);
    if (!parsed.ok) return parsed.res;
    const checked = checkEmail(parsed.body);
    if (!checked.ok) return resendError(c, 422, checked.name, checked.message);
    const key = c.req.header('idempotency-key') ?? null;
    return idempotent(c, parsed.body, () => {
      const fault = store.takeFault(checked.email.to);
      if (fault) return [fault.status, { statusCode: fault.status, name: fault.name, message: fault.message }];
      return [200, { id: store.add({ ...checked.email, idempotency_key: key }).id }];
    });
  });

  app.post('/emails/batch', async (c) => {
    const parsed = await jsonBody(c);
    if (!parsed.ok) return parsed.res;
    if (!Array.isArray(parsed.body) || parsed.body.length < 1 || parsed.body.length > 100) {
      return resendError(c, 422, 'validation_error', 'The batch must be an array of 1 to 100 emails.');
    }
    const permissive = c.req.header('x-batch-validation') === 'permissive';
    const checked = parsed.body.map((e) => checkEmail(e, true));
    const firstBad = checked.findIndex((x) => !x.ok);
    if (!permissive && firstBad >= 0) {
      const bad = checked[firstBad] as Extract<Checked, { ok: false }>;
      return resendError(c, 422, bad.name, `emails[${firstBad}]: ${bad.message}`);
    }
    const key = c.req.header('idempotency-key') ?? null;
    return idempotent(c, parsed.body, () => {
      const good = checked.flatMap((x) => (x.ok ? [x.email] : []));
      const fault = store.takeFault(good.flatMap((e) => e.to));
      if (fault) return [fault.status, { statusCode: fault.status, name: fault.name, message: fault.message }];
      const data = good.map((e) => ({ id: store.add({ ...e, idempotency_key: key }).id }));
      if (!permissive) return [200, { data }];
      const errors = checked.flatMap((x, index) => (x.ok ? [] : [{ index, message: x.message }]));
      return [200, { data, errors }];
    });
  });

  app.get('/emails', (c) => {
    const limitRaw = c.req.query('limit');
    const limit = limitRaw && /^\d+$/.test(limitRaw) ? Math.min(Number(limitRaw), 1000) : 100;
    const data = store.list({ to: c.req.query('to') || undefined, limit: limit + 1 });
    return c.json({ object: 'list', has_more: data.length > limit, data: data.slice(0, limit) });
  });

  app.get('/emails/:id', (c) => {
    const e = store.get(c.req.param('id'));
    return e ? c.json(e) : resendError(c, 404, 'not_found', 'Email not found');
  });

  // Sink only: forget e-mails (and, for all, the idempotency keys), and tell sends to fail.
  app.delete('/emails', (c) => c.json({ deleted: store.clear(c.req.query('to') || undefined) }));
  app.post('/sink/faults', async (c) => {
    const parsed = await jsonBody(c);
    if (!parsed.ok) return parsed.res;
    const f = FaultBody.safeParse(parsed.body);
    if (!f.success) return resendError(c, 422, 'validation_error', f.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    store.addFault(f.data);
    return c.json({ ok: true });
  });
  app.delete('/sink/faults', (c) => {
    store.clearFaults();
    return c.json({ ok: true });
  });

  const page = (c: Context<GatewayEnv>) => {
    if (isCrossSite({ secFetchSite: c.req.header('sec-fetch-site'), origin: c.req.header('origin'), host: c.req.header('host') })) {
      return resendError(c, 403, 'validation_error', 'The Resend sink page cannot be read from another site');
    }
    const to = c.req.query('to') || undefined;
    const emails = store.list({ to, limit: 200 });
    const rows = emails
      .map(
        (e) => `<div class="mail" id="${escapeHtml(e.id)}">
<p><b>${escapeHtml(e.subject)}</b><br>From: ${escapeHtml(e.from)} · To: ${escapeHtml(e.to.join(', '))} · ${escapeHtml(e.created_at)}${
          e.idempotency_key ? ` · key <code>${escapeHtml(e.idempotency_key)}</code>` : ''
        }${e.tags?.length ? ` · ${e.tags.map((t) => `<code>${escapeHtml(`${t.name}=${t.value}`)}</code>`).join(' ')}` : ''}</p>
${e.html !== null ? `<iframe sandbox title="message body" style="width:100%;height:16rem;border:0" srcdoc="${escapeHtml(e.html)}"></iframe>` : `<pre>${escapeHtml(e.text ?? '')}</pre>`}</div>`,
      )
      .join('\n');
    const filter = `<form><label>Recipient <input name="to" value="${escapeHtml(to ?? '')}"></label> <button>Filter</button></form>`;
    return c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Resend sink</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:2rem;max-width:70rem}code{background:#f4f4f4;padding:0 .2rem}
.mail{border:1px solid #ccc;padding:1rem;margin:1rem 0}</style></head>
<body><h1>Resend sink</h1><p>${emails.length} e-mail(s) sent by the edge functions, newest first (${store.count()} kept).
JSON: <code>GET ${PREFIX}/emails?to=…</code> with the service_role key as <code>apikey</code> header.</p>${filter}${rows}</body></html>`);
  };
  app.get('/', page);
  app.get('/*', (c) => (c.req.path === `${PREFIX}/` ? page(c) : resendError(c, 404, 'not_found', 'The requested endpoint does not exist.')));
  app.all('/*', (c) => resendError(c, 405, 'method_not_allowed', 'Method is not allowed for the requested path.'));

  return {
    prefix: PREFIX,
    name: 'resend',
    app,
    async health() {
      store.list({ limit: 1 });
      return true;
    },
  };
}
