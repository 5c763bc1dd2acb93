// `import-users`: people from a CSV (columns in rows.ts) invited to an organisation by its owners
// and admins: each good row becomes an e-mail invitation through invite_to_organization() (via
// import_invitations()), never a membership: nobody joins until they accept.
//   POST (see _shared/imports.ts for the body) mode=dry_run: 200 report, nothing written.
//   mode=commit: 201 with the invitations when every row is good; otherwise 422 and none is sent.
// Report: {mode, committed, total, valid, invited, invitations: [{line, invitation_id, email, role,
// status, expires_at}], renewed: [{line, email}] (already pending: renewed), errors: [{line, reason}]}.
// Duplicated addresses and malformed rows are errors naming their line. Errors: 401, 400, 413,
// 403 not owner/admin of the organisation.
import type { SupabaseClient } from '@supabase/supabase-js';
import { corsHeaders, json } from '../_shared/cors.ts';
import type { CsvIssue } from '../_shared/csv.ts';
import { callerClient, dbError, errorResponse, requireUser } from '../_shared/request.ts';
import { type DbReport, readImportRequest, readRows, report } from '../_shared/imports.ts';
import { COLUMNS, type PersonRow, toPerson } from './rows.ts';

type ClientFor = (authorization: string) => SupabaseClient;

export function makeHandler(clientFor: ClientFor = callerClient) {
  return async (req: Request): Promise<Response> => {
    if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
    if (req.method !== 'POST') {
      await req.body?.cancel();
      return json({ error: `Cannot ${req.method} import-users: it only answers POST` }, 405, { Allow: 'POST, OPTIONS' });
    }
    try {
      const { authorization } = requireUser(req.headers.get('authorization'));
      const input = await readImportRequest(req);
      const table = readRows(input.csv, COLUMNS);
      const errors: CsvIssue[] = [...table.issues];
      const valid: Omit<PersonRow, 'name'>[] = [];
      for (const row of table.rows) {
        const p = toPerson(row);
        if (p.ok) valid.push({ line: p.value.line, email: p.value.email, role: p.value.role });
        else errors.push({ line: row.line, reason: p.reason });
      }
      let db: DbReport | null = null;
      if (valid.length) {
        const { data, error } = await clientFor(authorization).rpc('import_invitations', {
          p_organization: input.organizationId,
          p_rows: valid,
          p_dry_run: input.mode === 'dry_run' || errors.length > 0,
        });
        if (error) throw dbError('invite the people of this file', error);
        db = data as DbReport;
      }
      const { status, body } = report(input.mode, table.rows.length + table.issues.length, errors, db, {
        invited: 0,
        invitations: [],
      });
      return json({ ...body, renewed: db?.renewed ?? [] }, status);
    } catch (e) {
      await req.body?.cancel().catch(() => {});
      return errorResponse(e);
    }
  };
}

export const handler = makeHandler();
