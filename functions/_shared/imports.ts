// The request and report shape both CSV imports share (import-questions, import-users):
//   POST multipart/form-data {file: <csv>, organization_id, mode?}, or
//        application/json {organization_id, csv: "<csv text>", mode?}, or
//        text/csv with ?organization_id=…&mode=…
//   mode: "dry_run" (default: validate every row, write nothing) or "commit" (write every row,
//   or nothing at all if any row is bad).
//   skip_lines (optional): CSV lines to leave out, e.g. the bad rows a dry run named ("4,9" in a
//   form or the query, [4, 9] in JSON), so the other rows can be committed with their own lines.
// The report: {mode, committed, total, valid, skipped: [line], errors: [{line, reason}], ...what
// was written}; total counts the rows not skipped.
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { CsvError, type CsvIssue, type CsvRow, parseCsv } from './csv.ts';
import { dbError, HttpError, readLimited, readUpload } from './request.ts';

export const MAX_CSV_BYTES = 2 * 1024 * 1024;
export const MAX_ROWS = 1000;

const SKIP_LINES = `skip_lines must be at most ${MAX_ROWS} CSV line numbers (2 or more), e.g. "4,9"`;

const request = z.object({
  organization_id: z.uuid({ error: 'organization_id must be the id (uuid) of your organisation' }),
  mode: z.enum(['dry_run', 'commit'], { error: 'mode must be dry_run (the default) or commit' }).default('dry_run'),
  skip_lines: z
    .union([z.array(z.unknown()), z.string()], { error: SKIP_LINES })
    .optional()
    .transform((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : (v ?? [])))
    .pipe(z.array(z.coerce.number({ error: SKIP_LINES }).int({ error: SKIP_LINES }).min(2, { error: SKIP_LINES })).max(MAX_ROWS, { error: SKIP_LINES })),
});

export interface ImportRequest {
  organizationId: string;
  mode: 'dry_run' | 'commit';
  csv: string;
  /** CSV lines left out of the import (sorted, no duplicates). */
  skipLines: number[];
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'the CSV file is not UTF-8 text: save it as CSV UTF-8 and send it again', 'invalid_csv');
  }
}

/** Reads the organisation, the mode and the CSV text of an import request (at most 2 MB). */
export async function readImportRequest(req: Request): Promise<ImportRequest> {
  const type = req.headers.get('content-type') ?? '';
  let fields: Record<string, unknown>;
  let csv: string | undefined;
  if (/^application\/json/i.test(type)) {
    const bytes = await readLimited(req.body, MAX_CSV_BYTES + 4096, 'the CSV file');
    try {
      fields = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new HttpError(400, 'the body is not valid JSON', 'invalid_body');
    }
    if (typeof fields !== 'object' || fields === null) throw new HttpError(400, 'the body must be a JSON object', 'invalid_body');
    csv = typeof fields.csv === 'string' ? fields.csv : undefined;
  } else {
    const upload = await readUpload(req, MAX_CSV_BYTES, 'the CSV file');
    fields = upload.fields;
    csv = upload.file ? decodeUtf8(upload.file.bytes) : undefined;
  }
  const parsed = request.safeParse({ organization_id: fields.organization_id, mode: fields.mode || undefined, skip_lines: fields.skip_lines || undefined });
  if (!parsed.success) {
    throw new HttpError(400, parsed.error.issues.map((i) => i.message).join('; '), 'invalid_request');
  }
  if (csv === undefined || csv.trim() === '') {
    throw new HttpError(400, 'no CSV: send a `file` field (multipart/form-data), `csv` (JSON) or the CSV as the body', 'missing_file');
  }
  const skipLines = [...new Set(parsed.data.skip_lines)].sort((a, b) => a - b);
  return { organizationId: parsed.data.organization_id, mode: parsed.data.mode, csv, skipLines };
}

/** The CSV's rows, with a 400 naming the line of a file that cannot be read or lacks columns. */
export function readRows(csv: string, required: Record<string, string[]>): { header: string[]; rows: CsvRow[]; issues: CsvIssue[] } {
  let table;
  try {
    table = parseCsv(csv);
  } catch (e) {
    if (e instanceof CsvError) throw new HttpError(400, e.message, 'invalid_csv', { line: e.line });
    throw e;
  }
  const missing = Object.entries(required).filter(([, names]) => !names.some((n) => table.header.includes(n)));
  if (missing.length) {
    throw new HttpError(
      400,
      `the header (line 1) lacks the column${missing.length > 1 ? 's' : ''} ${missing.map(([k, names]) => names.length > 1 ? `${k} (or ${names.slice(1).join(', ')})` : k).join(', ')}`,
      'invalid_csv',
      { line: 1, header: table.header },
    );
  }
  const count = table.rows.length + table.issues.length;
  if (count === 0) throw new HttpError(400, 'the CSV has a header but no rows', 'invalid_csv', { line: 1 });
  if (count > MAX_ROWS) {
    throw new HttpError(413, `the CSV has ${count} rows: at most ${MAX_ROWS} per file, split it`, 'too_many_rows', { limit_rows: MAX_ROWS });
  }
  return table;
}

/** The value of the first present column among `names`. */
export function column(values: Record<string, string>, names: string[]): string | undefined {
  for (const n of names) if (n in values) return values[n];
  return undefined;
}

/** One reason per row from zod's issues: `field: message; field: message`. */
export function reasonOf(error: z.ZodError): string {
  return error.issues.map((i) => i.message).join('; ');
}

export function byLine(a: CsvIssue, b: CsvIssue): number {
  return a.line - b.line;
}

/** What the database answered for the rows that passed the checks in TypeScript. */
export interface DbReport {
  committed: boolean;
  errors: CsvIssue[];
  [written: string]: unknown;
}

/**
 * The whole report of an import: problems found while reading the CSV and checking rows (zod),
 * merged with those the database found (unknown exam, duplicates...), by line. The database
 * commits only when the mode is commit and no row at all is bad.
 */
export function report(
  mode: ImportRequest['mode'],
  total: number,
  localErrors: CsvIssue[],
  db: DbReport | null,
  empty: Record<string, unknown>,
  skipped: number[] = [],
): { status: number; body: Record<string, unknown> } {
  const errors = [...localErrors, ...(db?.errors ?? [])].sort(byLine);
  const committed = Boolean(db?.committed) && errors.length === 0;
  const written = committed && db ? Object.fromEntries(Object.keys(empty).map((k) => [k, db[k]])) : empty;
  const body = { mode, committed, total, valid: total - errors.length, skipped, ...written, errors };
  return { status: mode === 'dry_run' ? 200 : committed ? 201 : 422, body };
}

/** A row checked in TypeScript: its value, or why it is refused. */
export type RowCheck<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * The part both imports share after reading the request: check every row (`check`), send the
 * good ones to the import RPC (a dry run when asked, or when any row is bad, so nothing is
 * half-imported), and return the CSV's problems with what the database answered.
 */
export async function importRows<T>(
  client: SupabaseClient,
  input: ImportRequest,
  table: { rows: CsvRow[]; issues: CsvIssue[] },
  check: (row: CsvRow) => RowCheck<T>,
  rpc: { name: string; action: string },
): Promise<{ total: number; errors: CsvIssue[]; db: DbReport | null; skipped: number[] }> {
  const skip = new Set(input.skipLines);
  const skipped = [...table.rows, ...table.issues].map((r) => r.line).filter((line) => skip.has(line)).sort((a, b) => a - b);
  const errors: CsvIssue[] = table.issues.filter((i) => !skip.has(i.line));
  const valid: T[] = [];
  for (const row of table.rows) {
    if (skip.has(row.line)) continue;
    const c = check(row);
    if (c.ok) valid.push(c.value);
    else errors.push({ line: row.line, reason: c.reason });
  }
  let db: DbReport | null = null;
  if (valid.length) {
    const { data, error } = await client.rpc(rpc.name, {
      p_organization: input.organizationId,
      p_rows: valid,
      p_dry_run: input.mode === 'dry_run' || errors.length > 0,
    });
    if (error) throw dbError(rpc.action, error);
    db = data as DbReport;
  }
  return { total: table.rows.length + table.issues.length - skipped.length, errors, db, skipped };
}
