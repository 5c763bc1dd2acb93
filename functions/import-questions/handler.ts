// `import-questions`: questions from a CSV (columns in rows.ts) into an organisation's bank, as
// drafts, by its owners, admins and instructors (the caller's JWT: RLS and import_questions()
// decide).
//   POST (see _shared/imports.ts for the body) mode=dry_run: 200 report, nothing written.
//   mode=commit: 201 report with question_ids when every row is good; otherwise 422 with the same
//   report and nothing written (one transaction in import_questions()).
// Report: {mode, committed, total, valid, imported, question_ids, errors: [{line, reason}]}.
// Errors: 401 not signed in, 400 unreadable CSV or request, 413 over 2 MB or 1000 rows, 403 not
// staff of the organisation.
import type { SupabaseClient } from '@supabase/supabase-js';
import { corsHeaders, json } from '../_shared/cors.ts';
import type { CsvIssue } from '../_shared/csv.ts';
import { callerClient, dbError, errorResponse, requireUser } from '../_shared/request.ts';
import { type DbReport, readImportRequest, readRows, report } from '../_shared/imports.ts';
import { COLUMNS, type QuestionRow, toQuestion } from './rows.ts';

type ClientFor = (authorization: string) => SupabaseClient;

export function makeHandler(clientFor: ClientFor = callerClient) {
  return async (req: Request): Promise<Response> => {
    if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
    if (req.method !== 'POST') {
      await req.body?.cancel();
      return json({ error: `Cannot ${req.method} import-questions: it only answers POST` }, 405, { Allow: 'POST, OPTIONS' });
    }
    try {
      const { authorization } = requireUser(req.headers.get('authorization'));
      const input = await readImportRequest(req);
      const table = readRows(input.csv, COLUMNS);
      const errors: CsvIssue[] = [...table.issues];
      const valid: QuestionRow[] = [];
      for (const row of table.rows) {
        const q = toQuestion(row);
        if (q.ok) valid.push(q.value);
        else errors.push({ line: row.line, reason: q.reason });
      }
      let db: DbReport | null = null;
      if (valid.length) {
        const { data, error } = await clientFor(authorization).rpc('import_questions', {
          p_organization: input.organizationId,
          p_rows: valid,
          p_dry_run: input.mode === 'dry_run' || errors.length > 0,
        });
        if (error) throw dbError('import the questions', error);
        db = data as DbReport;
      }
      const { status, body } = report(input.mode, table.rows.length + table.issues.length, errors, db, {
        imported: 0,
        question_ids: [],
      });
      return json(body, status);
    } catch (e) {
      await req.body?.cancel().catch(() => {});
      return errorResponse(e);
    }
  };
}

export const handler = makeHandler();
