// Realtime's REST broadcast API: `POST /api/broadcast` (batch; what channel.send() uses before
// subscribing and what servers call) and `POST /api/broadcast/:topic/events/:event` (httpSend).
// The caller is the bearer token (or the apikey), checked as Realtime's AuthTenant plug does;
// private messages need the INSERT policy on realtime.messages, exactly as on a socket.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { bearerToken } from '../kit/jwt.ts';
import type { GatewayEnv } from '../kit/service.ts';
import { DatabaseUnavailable, emptyPolicies, RlsPolicyError, writeAuthorizations } from './authorization.ts';
import { topicKey } from './hub.ts';
import { batchBroadcastBody, flexibleBoolean } from './messages.ts';
import type { Runtime } from './runtime.ts';
import { verifyRealtimeToken } from './token.ts';

type Ctx = Context<GatewayEnv>;

async function caller(rt: Runtime, c: Ctx) {
  const token = bearerToken(c.req.header('authorization')) ?? c.req.header('apikey') ?? c.req.query('apikey');
  if (!token) return undefined;
  const v = await verifyRealtimeToken(token, rt.ctx.jwtKeys);
  return v.ok ? v.claims : undefined;
}

function headersOf(c: Ctx): Record<string, string> {
  const out: Record<string, string> = {};
  c.req.raw.headers.forEach((v, k) => {
    if (k !== 'authorization' && k !== 'apikey') out[k] = v;
  });
  return out;
}

async function mayWrite(rt: Runtime, c: Ctx, claims: Record<string, unknown> & { role: string }, topic: string): Promise<true | 'denied' | 'error'> {
  try {
    const p = await writeAuthorizations(rt.admin(), { topic, role: claims.role, claims, headers: headersOf(c) }, emptyPolicies(), false);
    return p.broadcast.write === true ? true : 'denied';
  } catch (e) {
    if (e instanceof RlsPolicyError) return 'denied';
    if (e instanceof DatabaseUnavailable) return 'error';
    throw e;
  }
}

/** Ecto changeset errors as Realtime's ChangesetView renders them. */
function changesetErrors(issues: { path: PropertyKey[]; message: string }[]): Record<string, unknown> {
  const errors: Record<string, unknown> = {};
  for (const issue of issues) {
    const [head, index, field] = issue.path;
    if (head === 'messages' && typeof index === 'number' && field !== undefined) {
      const list = ((errors.messages as Record<string, string[]>[] | undefined) ??= []);
      const entry = (list[index] ??= {});
      (entry[String(field)] ??= []).push(issue.message);
    } else {
      const key = String(head ?? 'messages');
      ((errors[key] as string[] | undefined) ??= []).push(issue.message);
    }
  }
  if (Array.isArray(errors.messages)) errors.messages = Array.from(errors.messages as unknown[], (e) => e ?? {});
  return errors;
}

export function broadcastRoutes(rt: Runtime): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();

  app.post('/api/broadcast', async (c) => {
    const claims = await caller(rt, c);
    if (!claims) return c.json({ message: 'Unauthorized' }, 401);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ errors: { messages: ["can't be blank"] } }, 422);
    }
    const parsed = batchBroadcastBody.safeParse(body);
    if (!parsed.success) return c.json({ errors: changesetErrors(parsed.error.issues) }, 422);
    const tooLarge = parsed.data.messages.map((m, i) => [i, Buffer.byteLength(JSON.stringify(m.payload)) > rt.limits.maxPayloadBytes] as const).filter(([, big]) => big);
    if (tooLarge.length) {
      return c.json({ errors: changesetErrors(tooLarge.map(([i]) => ({ path: ['messages', i, 'payload'], message: 'Payload size exceeds tenant limit' }))) }, 422);
    }
    const allowed = new Map<string, boolean>();
    for (const m of parsed.data.messages) {
      const isPrivate = m.private === true;
      if (isPrivate) {
        let ok = allowed.get(m.topic);
        if (ok === undefined) {
          const r = await mayWrite(rt, c, claims, m.topic);
          if (r === 'error') return c.json({ message: 'Tenant database unavailable' }, 422);
          ok = r === true;
          allowed.set(m.topic, ok);
        }
        if (!ok) continue; // Realtime skips private messages the caller may not send.
      }
      const payload: Record<string, unknown> = { payload: m.payload, event: m.event, type: 'broadcast' };
      if (m.id) payload.meta = { id: m.id };
      rt.hub.broadcastJson(topicKey(m.topic, isPrivate), payload);
    }
    return c.body(null, 202);
  });

  app.post('/api/broadcast/:topic/events/:event', async (c) => {
    const claims = await caller(rt, c);
    if (!claims) return c.json({ message: 'Unauthorized' }, 401);
    const topic = c.req.param('topic');
    const event = c.req.param('event');
    const priv = flexibleBoolean.safeParse(c.req.query('private'));
    const isPrivate = priv.success && priv.data;
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    let body: Buffer;
    let encoding: 'json' | 'binary';
    if (type === 'application/octet-stream') {
      body = Buffer.from(await c.req.arrayBuffer());
      encoding = 'binary';
    } else if (type === 'application/json' || type === '') {
      const text = await c.req.text();
      try {
        JSON.parse(text);
      } catch {
        return c.json({ errors: { payload: ["can't be blank"] } }, 422);
      }
      body = Buffer.from(text);
      encoding = 'json';
    } else {
      return c.json({ message: 'Unsupported content type' }, 415);
    }
    if (body.length === 0) return c.json({ errors: { payload: ["can't be blank"] } }, 422);
    if (body.length > rt.limits.maxPayloadBytes) return c.json({ errors: { payload: ['Payload size exceeds tenant limit'] } }, 422);
    if (isPrivate) {
      const r = await mayWrite(rt, c, claims, topic);
      if (r === 'error') return c.json({ message: 'Tenant database unavailable' }, 422);
      if (r !== true) return c.json({ message: 'Unauthorized' }, 403);
    }
    rt.hub.broadcastUser(topicKey(topic, isPrivate), { userEvent: event, encoding, body });
    return c.body(null, 202);
  });

  return app;
}
