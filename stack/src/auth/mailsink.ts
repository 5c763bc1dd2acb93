// The local mail sink (Supabase runs Inbucket/Mailpit for this): every email auth sends is kept
// in a JSON-lines file under the instance directory and served at /mail/v1 — JSON for tests and
// scripts, a plain HTML page for people. It holds live magic links and codes, and unlike
// Inbucket it shares its origin with the API, so no other web page may read it: no CORS at all
// (the gateway leaves /mail/v1 out), the JSON API only with the service_role key in a header,
// the page only to a top-level, same-site visit, and only for loopback host names, so that a
// rebound DNS name cannot pass for the API's origin.
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Hono, type Context, type Next } from 'hono';
import type { GatewayContext } from '../kit/context.ts';
import { escapeHtml, isCrossSite, isLoopbackHost, localSinkHeaders } from '../kit/local-sinks.ts';
import type { GatewayEnv, Service } from '../kit/service.ts';

export interface MailMessage {
  id: string;
  created_at: string;
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** signup, invite, magiclink, recovery, email_change, reauthentication. */
  type: string;
  /** The one-time code the email carries, if any. */
  otp: string | null;
  /** The hashed token the link carries (auth.one_time_tokens.token_hash). */
  token_hash: string | null;
  /** The verification link (…/auth/v1/verify?token=…&type=…&redirect_to=…). */
  action_link: string | null;
  redirect_to: string | null;
}

const KEEP = 1000;

export class MailSink {
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    // Keep the file small across long-lived instances: only the newest messages survive a restart.
    const all = this.readAll();
    if (all.length > KEEP) this.writeAll(all.slice(-KEEP));
  }

  static forInstance(dir: string): MailSink {
    return new MailSink(join(dir, 'mail', 'messages.jsonl'));
  }

  add(message: Omit<MailMessage, 'id' | 'created_at'>): MailMessage {
    const stored: MailMessage = { id: randomUUID(), created_at: new Date().toISOString(), ...message };
    appendFileSync(this.file, `${JSON.stringify(stored)}\n`);
    return stored;
  }

  private readAll(): MailMessage[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as MailMessage];
        } catch {
          return [];
        }
      });
  }

  private writeAll(messages: MailMessage[]): void {
    writeFileSync(this.file, messages.map((m) => `${JSON.stringify(m)}\n`).join(''));
  }

  /** Newest first; `to` matches any recipient, case-insensitively. */
  list(filter: { to?: string; limit?: number } = {}): MailMessage[] {
    const to = filter.to?.toLowerCase();
    const matching = this.readAll()
      .filter((m) => !to || m.to.some((addr) => addr.toLowerCase() === to))
      .reverse();
    return filter.limit ? matching.slice(0, filter.limit) : matching;
  }

  get(id: string): MailMessage | undefined {
    return this.readAll().find((m) => m.id === id);
  }

  /** Deletes the messages to `to` (all when omitted); returns how many went. */
  clear(to?: string): number {
    const all = this.readAll();
    const keep = to ? all.filter((m) => !m.to.some((addr) => addr.toLowerCase() === to.toLowerCase())) : [];
    this.writeAll(keep);
    return all.length - keep.length;
  }
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}code{background:#f4f4f4;padding:0 .2rem}
.mail{border:1px solid #ccc;padding:1rem;margin:1rem 0}</style></head>
<body>${body}</body></html>`;
}

/** `/mail/v1`: the sink's HTTP API and page, for this machine only (see the file comment). */
export function mailService(ctx: GatewayContext, sink: MailSink = MailSink.forInstance(ctx.inst.dir)): Service {
  const app = new Hono<GatewayEnv>();

  app.use('*', localSinkHeaders);
  app.use('*', async (c, next) => {
    if (!isLoopbackHost(c.req.header('host'))) return c.json({ message: 'The mail sink answers only on localhost / 127.0.0.1' }, 403);
    return next();
  });
  // The JSON API: the service_role key, in a header (a cross-origin page cannot send one without
  // a CORS preflight, which the sink never grants; a query parameter would not need one).
  const requireServiceRole = async (c: Context<GatewayEnv>, next: Next) => {
    const apikey = c.req.header('apikey');
    const jwt = c.get('jwt');
    if (apikey === undefined && jwt === undefined) return c.json({ message: 'No API key found in request' }, 401);
    const bearerIsServiceRole = jwt?.ok === true && jwt.claims.role === 'service_role';
    if (apikey !== ctx.keys.serviceRoleKey && !bearerIsServiceRole) {
      return c.json({ message: 'The mail sink needs the service_role key (apikey header or Authorization: Bearer)' }, 403);
    }
    return next();
  };
  app.use('/messages', requireServiceRole);
  app.use('/messages/*', requireServiceRole);

  app.get('/messages', (c) => {
    const to = c.req.query('to') || undefined;
    const limitRaw = c.req.query('limit');
    const limit = limitRaw && /^\d+$/.test(limitRaw) ? Number(limitRaw) : undefined;
    const messages = sink.list({ to, limit });
    return c.json({ total: messages.length, messages });
  });

  app.get('/messages/:id', (c) => {
    const m = sink.get(c.req.param('id'));
    return m ? c.json(m) : c.json({ message: 'message not found' }, 404);
  });

  app.delete('/messages', (c) => c.json({ deleted: sink.clear(c.req.query('to') || undefined) }));

  const listPage = (c: Context<GatewayEnv>) => {
    // A developer opening the page (typed, bookmarked, or a link from the page itself) is fine;
    // another site fetching, framing or posting to it is not.
    if (isCrossSite({ secFetchSite: c.req.header('sec-fetch-site'), origin: c.req.header('origin'), host: c.req.header('host') })) {
      return c.json({ message: 'The mail sink page cannot be read from another site' }, 403);
    }
    const to = c.req.query('to') || undefined;
    const messages = sink.list({ to, limit: 200 });
    const rows = messages
      .map(
        (m) => `<div class="mail" id="${escapeHtml(m.id)}">
<p><b>${escapeHtml(m.subject)}</b><br>To: ${escapeHtml(m.to.join(', '))} · ${escapeHtml(m.created_at)} · type <code>${escapeHtml(m.type)}</code>${
          m.otp ? ` · code <code>${escapeHtml(m.otp)}</code>` : ''
        }</p>
${m.action_link ? `<p><a href="${escapeHtml(m.action_link)}">${escapeHtml(m.action_link)}</a></p>` : ''}
<iframe sandbox title="message body" style="width:100%;height:12rem;border:0" srcdoc="${escapeHtml(m.html)}"></iframe></div>`,
      )
      .join('\n');
    const filter = `<form><label>Recipient <input name="to" value="${escapeHtml(to ?? '')}"></label> <button>Filter</button></form>`;
    return c.html(page('Mail sink', `<h1>Mail sink</h1><p>${messages.length} message(s), newest first. JSON: <code>GET /mail/v1/messages?to=…</code> with the service_role key as <code>apikey</code> header.</p>${filter}${rows}`));
  };
  // Both /mail/v1 and /mail/v1/ show the page.
  app.get('/', listPage);
  app.get('/*', (c) => (c.req.path.endsWith('/mail/v1/') ? listPage(c) : c.json({ message: 'not found' }, 404)));

  return {
    prefix: '/mail/v1',
    name: 'mail',
    app,
    async health() {
      sink.list({ limit: 1 });
      return true;
    },
  };
}
