// What the local sinks share (the mail sink at /mail/v1, auth's Inbucket; the Resend sink at
// /resend/v1): they hold live links and codes, so they answer only on loopback host names, never to
// a cross-site request, with headers that keep them out of caches and frames. And what the edge
// functions get for Resend locally: the sink's address and the instance's service_role key as the
// API key, unless functions/.env sets a RESEND_API_KEY of its own (then they send for real, through
// RESEND_BASE_URL if that is set too, else https://api.resend.com).
import type { Context, Next } from 'hono';
import type { GatewayEnv } from './service.ts';

/** Where the gateway mounts the local Resend sink. */
export const RESEND_SINK_PREFIX = '/resend/v1';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** A host name only this machine answers to (the gateway listens on 127.0.0.1). */
export function isLoopbackHost(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.trim().toLowerCase();
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** Requests a browser makes on behalf of another site: a cross-site fetch, frame or form. */
export function isCrossSite(headers: { secFetchSite: string | undefined; origin: string | undefined; host: string | undefined }): boolean {
  const site = headers.secFetchSite?.toLowerCase();
  if (site !== undefined && site !== 'none' && site !== 'same-origin') return true;
  if (headers.origin === undefined) return false;
  try {
    return new URL(headers.origin).host.toLowerCase() !== (headers.host ?? '').toLowerCase();
  } catch {
    return true;
  }
}

/** Headers of every sink answer: never cached, never framed, nothing loaded from elsewhere. */
const SINK_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

/** Middleware of the local sinks (mail and Resend): SINK_HEADERS on every answer. */
export async function localSinkHeaders(c: Context<GatewayEnv>, next: Next): Promise<void> {
  await next();
  for (const [k, v] of Object.entries(SINK_HEADERS)) c.header(k, v);
}

export function localResendEnv(secrets: Record<string, string>, apiUrl: string, serviceRoleKey: string): Record<string, string> {
  if (secrets.RESEND_API_KEY) return {};
  return { RESEND_API_KEY: serviceRoleKey, RESEND_BASE_URL: `${apiUrl}${RESEND_SINK_PREFIX}` };
}
