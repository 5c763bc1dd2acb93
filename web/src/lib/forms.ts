// Form validation shared by the actions: zod errors become one message per field, shown beside it.
import type { z } from 'zod';

export type FieldErrors = Partial<Record<string, string>>;

/** The first message of each field (the form itself under `_form`). */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : '_form';
    out[key] ??= issue.message;
  }
  return out;
}

/** FormData as a plain object: repeated names become arrays (checkbox groups). */
export function formObject(data: FormData, arrays: string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(data.keys())) {
    const values = data.getAll(key).filter((v): v is string => typeof v === 'string');
    out[key] = arrays.includes(key) ? values : (values[0] ?? '');
  }
  for (const key of arrays) out[key] ??= [];
  return out;
}

/** A safe place to go after signing in: a path on this site, never another origin. */
export function safeNext(next: string | null | undefined, fallback = '/app'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
