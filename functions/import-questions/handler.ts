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
import { callerClient, errorResponse, requireUser } from '../_shared/request.ts';
import { importRows, readImportRequest, readRows, report } from '../_shared/imports.ts';
import { COLUMNS, toQuestion } from './rows.ts';

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
      const table = readRows(input.csv, COLUMNS); // a 400/413 before any database call
      const { total, errors, db, skipped } = await importRows(clientFor(authorization), input, table, toQuestion, {
        name: 'import_questions',
        action: 'import the questions',
      });
      const { status, body } = report(input.mode, total, errors, db, {
        imported: 0,
        question_ids: [],
      }, skipped);
      return json(body, status);
    } catch (e) {
      await req.body?.cancel().catch(() => {});
      return errorResponse(e);
    }
  };
}

export const handler = makeHandler();
