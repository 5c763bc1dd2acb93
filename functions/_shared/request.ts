// What the upload and import functions share: the caller (from the bearer the gateway verified),
// a per-request supabase-js client acting as that caller (so RLS applies), bodies read with a
// size limit, and one error shape `{error, code?, details?}` with the HTTP status chosen here.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { decodeJwt } from 'jose';
import { json } from './cors.ts';

/** An error answered as JSON: `{error, code?, details?}` with its HTTP status. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly code?: string, readonly details?: unknown) {
    super(message);
  }
}

export function errorResponse(e: unknown): Response {
  if (e instanceof HttpError) {
    const body: Record<string, unknown> = { error: e.message };
    if (e.code) body.code = e.code;
    if (e.details !== undefined) body.details = e.details;
    return json(body, e.status);
  }
  console.error(e);
  return json({ error: `unexpected failure: ${e instanceof Error ? e.message : String(e)}` }, 500);
}

/** The signed-in user's id from `Authorization: Bearer <jwt>`, or a 401 naming what is missing. */
export function requireUser(authorization: string | null): { userId: string; authorization: string } {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (!token) throw new HttpError(401, 'sign in first: this function acts as a signed-in user');
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token);
  } catch {
    throw new HttpError(401, 'sign in first: the bearer token is not a JWT');
  }
  if (claims.role !== 'authenticated' || typeof claims.sub !== 'string' || claims.sub === '') {
    throw new HttpError(401, 'sign in first: this function needs a user\'s access token, not an API key');
  }
  return { userId: claims.sub, authorization: `Bearer ${token}` };
}

/** A supabase-js client that acts as the caller: every query runs under the caller's RLS. */
export function callerClient(authorization: string): SupabaseClient {
  const url = Deno.env.get('SUPABASE_URL');
  const key = Deno.env.get('SUPABASE_ANON_KEY');
  if (!url || !key) throw new HttpError(500, 'function misconfigured: SUPABASE_URL and SUPABASE_ANON_KEY are not set');
  return createClient(url, key, {
    global: { headers: { Authorization: authorization } },
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}

/** The HTTP status for an error PostgREST relays from the database (its SQLSTATE in `code`). */
export function statusForDbCode(code: string | undefined): number {
  switch (code) {
    case '42501':
      return 403;
    case 'PT404':
      return 404;
    case 'PT409':
    case '23505':
      return 409;
    case '22023':
    case '22P02':
    case '23514':
      return 400;
    case 'PT429':
      return 429;
    default:
      return 502;
  }
}

/** Turns a supabase-js error of `action` into an HttpError that names the action. */
export function dbError(action: string, error: { message: string; code?: string; hint?: string | null }): HttpError {
  const hint = error.hint ? ` (${error.hint})` : '';
  return new HttpError(statusForDbCode(error.code), `Cannot ${action}: ${error.message}${hint}`, error.code);
}

/** Reads at most `limit` bytes of a body; more is a 413 naming `what` and the limit. */
export async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number, what: string): Promise<Uint8Array<ArrayBuffer>> {
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(what, limit);
    chunks.push(chunk);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return all;
}

export function tooLarge(what: string, limit: number): HttpError {
  return new HttpError(413, `${what} is too large: the limit is ${formatBytes(limit)}`, 'payload_too_large', { limit_bytes: limit });
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
}

export interface Upload {
  /** Text fields of a multipart form, or the query string of a raw upload. */
  fields: Record<string, string>;
  /** The file (the form's `file` field, or the whole raw body), if any. */
  file: { name: string | null; type: string | null; bytes: Uint8Array<ArrayBuffer> } | null;
}

/** Room for the multipart envelope and the text fields on top of the file limit. */
const FORM_OVERHEAD = 64 * 1024;

/**
 * Reads an upload: multipart/form-data (a `file` field plus text fields), or a raw body (the
 * file itself, fields in the query string). The file may hold at most `fileLimit` bytes (413).
 */
export async function readUpload(req: Request, fileLimit: number, what: string): Promise<Upload> {
  const type = req.headers.get('content-type') ?? '';
  const declared = Number(req.headers.get('content-length') ?? NaN);
  const multipart = /^multipart\/form-data/i.test(type);
  const bodyLimit = fileLimit + (multipart ? FORM_OVERHEAD : 0);
  if (Number.isFinite(declared) && declared > bodyLimit) {
    await req.body?.cancel();
    throw tooLarge(what, fileLimit);
  }
  const bytes = await readLimited(req.body, bodyLimit, what);
  const query = Object.fromEntries(new URL(req.url).searchParams);
  if (!multipart) {
    return { fields: query, file: bytes.byteLength ? { name: query.name ?? null, type: type || null, bytes } : null };
  }
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { 'content-type': type } }).formData();
  } catch {
    throw new HttpError(400, 'the body is not valid multipart/form-data', 'invalid_body');
  }
  const fields: Record<string, string> = { ...query };
  let file: Upload['file'] = null;
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else if (name === 'file' && !file) {
      const data = new Uint8Array(await value.arrayBuffer());
      if (data.byteLength > fileLimit) throw tooLarge(what, fileLimit);
      file = { name: value.name || null, type: value.type || null, bytes: data };
    }
  }
  return { fields, file };
}
