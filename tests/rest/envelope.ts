// Whole-envelope expectations for supabase-js (postgrest-js) results.
import { STATUS_CODES } from 'node:http';

export interface Envelope {
  success: boolean;
  error: unknown;
  data: unknown;
  count: number | null;
  status: number;
  statusText: string;
}

export function ok(data: unknown, status = 200, count: number | null = null): Envelope {
  return { success: true, error: null, data, count, status, statusText: STATUS_CODES[status] ?? '' };
}

export function fail(
  status: number,
  error: { code: string; message: string; details?: unknown; hint?: string | null },
): Envelope {
  return {
    success: false,
    error: { code: error.code, details: error.details ?? null, hint: error.hint ?? null, message: error.message },
    data: null,
    count: null,
    status,
    statusText: STATUS_CODES[status] ?? '',
  };
}

/** A supabase-js result as a plain object, for deepStrictEqual. */
export function plain(r: object): Envelope {
  return JSON.parse(JSON.stringify(r)) as Envelope;
}
