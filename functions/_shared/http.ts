// Small HTTP helpers shared by the functions: JSON errors, request bodies checked with zod, and
// PostgREST errors translated to a status and a message that names the failed action.
import type { z } from 'zod';
import { json } from './cors.ts';

export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

export function errorResponse(e: HttpError): Response {
  return json({ error: e.message, ...e.extra }, e.status);
}

/** The JSON body parsed with `schema`; 400 naming each invalid field otherwise. */
export async function readJson<T>(req: Request, schema: z.ZodType<T>, what: string): Promise<T> {
  let raw: unknown;
  try {
    const text = await req.text();
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new HttpError(400, `Cannot ${what}: the body is not JSON`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    throw new HttpError(400, `Cannot ${what}: ${issues.join('; ')}`, { issues });
  }
  return parsed.data;
}

export interface PgError {
  code?: string;
  message: string;
  details?: string | null;
  hint?: string | null;
}

const STATUS: Record<string, number> = {
  '42501': 403,
  PGRST116: 404,
  PT404: 404,
  PT409: 409,
  PT410: 410,
  '22023': 400,
  '22P02': 400,
  '23502': 400,
  '23503': 400,
  '23514': 400,
  '23505': 409,
};

/** A database error as an HttpError: the status its code means, and what we were doing. */
export function dbError(action: string, error: PgError): HttpError {
  const status = STATUS[error.code ?? ''] ?? 500;
  const reason = error.code === '42501' ? `not allowed (${error.message})` : error.message;
  return new HttpError(status, `Cannot ${action}: ${reason}`, error.hint ? { hint: error.hint } : {});
}
