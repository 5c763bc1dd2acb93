// Request plumbing shared by the route groups: JSON bodies validated with zod the way Go's
// json.Unmarshal treats them (unknown keys ignored, null as the zero value, wrong types a 400
// bad_json), client IP and user agent, `redirect_to` checked against the allow list.
import { isIP } from 'node:net';
import type { Context } from 'hono';
import { z } from 'zod';
import { edge } from '../kit/forwarded.ts';
import type { GatewayEnv } from '../kit/service.ts';
import type { AuthSettings } from './config.ts';
import { AuthError, badRequest, ErrorCode } from './errors.ts';
import type { GrantInfo } from './tokens.ts';

export type Ctx = Context<GatewayEnv>;

const MAX_BODY = 1 << 20;

/** A Go `string` field: absent or null reads as "". */
export const str = z
  .string()
  .nullish()
  .transform((v) => v ?? '');
/** A Go `*string` field: null/absent stay undefined, "" is kept. */
export const optStr = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);
export const bool = z
  .boolean()
  .nullish()
  .transform((v) => v ?? false);
/** A Go `map[string]interface{}` field. */
export const obj = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((v) => v ?? undefined);

const GO_TYPES: Record<string, string> = { string: 'string', boolean: 'bool', object: 'map[string]interface {}', record: 'map[string]interface {}' };

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Reads the raw body (at most 1 MiB, like GoTrue's limitRequestBody). */
export async function rawBody(c: Ctx): Promise<string> {
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_BODY) {
    throw new AuthError(413, ErrorCode.requestEntityTooLarge, `Request body too large (max ${MAX_BODY} bytes)`);
  }
  return text;
}

/**
 * Parses the body as JSON, whatever the Content-Type (GoTrue does not look at it), against
 * `schema` (an object schema of the fields the endpoint reads).
 */
export async function readBody<S extends z.ZodType>(c: Ctx, schema: S, goType: string): Promise<z.output<S>> {
  const text = await rawBody(c);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const detail = text.trim() === '' ? 'unexpected end of JSON input' : (e as Error).message;
    throw badRequest(ErrorCode.badJson, `Could not parse request body as JSON: ${detail}`);
  }
  if (value === null) value = {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(ErrorCode.badJson, `Could not parse request body as JSON: json: cannot unmarshal ${jsonKind(value)} into Go value of type ${goType}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '?';
    let actual: unknown = value;
    for (const key of issue?.path ?? []) actual = (actual as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey];
    const expected = issue && 'expected' in issue ? GO_TYPES[String(issue.expected)] ?? String(issue.expected) : 'value';
    throw badRequest(
      ErrorCode.badJson,
      `Could not parse request body as JSON: json: cannot unmarshal ${jsonKind(actual)} into Go struct field ${goType.replace(/^api\./, '')}.${field} of type ${expected}`,
    );
  }
  return parsed.data;
}

/**
 * The client address, as the edge determined it: the connection's peer, or, behind a trusted
 * proxy (STACK_TRUSTED_PROXIES), the address that proxy forwarded (kit/forwarded.ts). A
 * client-sent X-Forwarded-For from anyone else is ignored.
 */
export function clientIp(c: Ctx): string {
  return edge(c).client;
}

/**
 * The key GoTrue rate-limits on. GoTrue keys on the header named by GOTRUE_RATE_LIMIT_HEADER,
 * which only the edge in front of it may set; here the gateway is that edge, and the key is the
 * client address it determined, so made-up X-Forwarded-For values all land in the peer's bucket.
 */
export function rateLimitKey(c: Ctx): string {
  return clientIp(c);
}

export function grantInfo(c: Ctx): GrantInfo {
  const ip = clientIp(c);
  return { userAgent: c.req.header('user-agent') ?? '', ip: isIP(ip) ? ip : '' };
}

/** The audience a request asks for (X-JWT-AUD), else the default. */
export function requestAud(c: Ctx, settings: AuthSettings): string {
  return c.req.header('x-jwt-aud') || settings.aud;
}

function globToRegExp(pattern: string): RegExp {
  // gobwas/glob with separators '.' and '/': * stops at them, ** does not.
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (ch === '*') re += '[^./]*';
    else if (ch === '?') re += '[^./]';
    else if (ch === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${pattern
          .slice(i + 1, end)
          .split(',')
          .map((alt) => alt.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^./]*'))
          .join('|')})`;
        i = end;
      }
    } else re += ch.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function isLocalhost(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '[::1]';
}

/** GoTrue's IsRedirectURLValid: same site as site_url, a loopback address, or an allow-list match. */
export function isRedirectUrlValid(settings: Pick<AuthSettings, 'siteUrl' | 'redirectAllowList'>, redirectUrl: string): boolean {
  if (!redirectUrl) return false;
  let base: URL;
  let ref: URL;
  try {
    base = new URL(settings.siteUrl);
    ref = new URL(redirectUrl);
  } catch {
    return false;
  }
  const host = ref.hostname.replace(/^\[|\]$/g, '');
  if (base.hostname === ref.hostname && base.protocol === ref.protocol && (base.port === ref.port || isLocalhost(host))) return true;
  const isHttp = ref.protocol === 'http:' || ref.protocol === 'https:';
  if (/^[0-9]+$/.test(host)) return false;
  if (isIP(host)) return host === '::1' || host.startsWith('127.');
  if (isHttp && !/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(host)) return false;
  const target = redirectUrl.split('#')[0]!;
  return settings.redirectAllowList.some((pattern) => globToRegExp(pattern).test(target));
}

/**
 * GoTrue's GetReferrer: a valid `redirect_to` (header, then query), else a valid Referer, else
 * site_url. A valid `redirect_to` from the body (admin generate_link) comes first.
 */
export function referrer(c: Ctx, settings: AuthSettings, fromBody?: string): string {
  const candidates = [fromBody, c.req.header('redirect_to'), c.req.query('redirect_to'), c.req.header('referer')];
  for (const candidate of candidates) {
    if (candidate && isRedirectUrlValid(settings, candidate)) return candidate;
  }
  return settings.siteUrl;
}

/** Go's url.Values.Encode: keys sorted, QueryEscape'd. */
export function encodeGoValues(values: Record<string, string>): string {
  const esc = (s: string) =>
    encodeURIComponent(s)
      .replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+');
  return Object.keys(values)
    .sort()
    .map((k) => `${esc(k)}=${esc(values[k]!)}`)
    .join('&');
}

/** One request against a per-client bucket; GoTrue's 429 when it is empty. */
export function enforceRateLimit(c: Ctx, bucket: { allow(key: string): boolean }): void {
  if (!bucket.allow(rateLimitKey(c))) throw new AuthError(429, ErrorCode.overRequestRateLimit, 'Request rate limit reached');
}

/**
 * `url` with its fragment replaced and, when `query` is given, those query keys set (the whole
 * query then re-encoded sorted, as Go's url.Values does). The URL is otherwise left as written
 * (no trailing slash added), as Go's url.URL.String() leaves it.
 */
export function withFragment(url: string, fragment: string, query?: Record<string, string>): string {
  const hashAt = url.indexOf('#');
  let base = hashAt >= 0 ? url.slice(0, hashAt) : url;
  if (query) {
    const qAt = base.indexOf('?');
    const existing = new URLSearchParams(qAt >= 0 ? base.slice(qAt + 1) : '');
    const merged: Record<string, string> = {};
    for (const [k, v] of existing) merged[k] ??= v;
    Object.assign(merged, query);
    base = `${qAt >= 0 ? base.slice(0, qAt) : base}?${encodeGoValues(merged)}`;
  }
  return fragment ? `${base}#${fragment}` : base;
}
