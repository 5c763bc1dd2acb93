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
import type { CsvRow } from '../_shared/csv.ts';
import { callerClient, errorResponse, requireUser } from '../_shared/request.ts';
import { importRows, readImportRequest, readRows, report, type RowCheck } from '../_shared/imports.ts';
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
      const table = readRows(input.csv, COLUMNS); // a 400/413 before any database call
      // the name is checked but not sent: invitees choose their own when they sign up
      const invitee = (row: CsvRow): RowCheck<Omit<PersonRow, 'name'>> => {
        const p = toPerson(row);
        return p.ok ? { ok: true, value: { line: p.value.line, email: p.value.email, role: p.value.role } } : p;
      };
      const { total, errors, db, skipped } = await importRows(clientFor(authorization), input, table, invitee, {
        name: 'import_invitations',
        action: 'invite the people of this file',
      });
      const { status, body } = report(input.mode, total, errors, db, {
        invited: 0,
        invitations: [],
      }, skipped);
      return json({ ...body, renewed: db?.renewed ?? [] }, status);
    } catch (e) {
      await req.body?.cancel().catch(() => {});
      return errorResponse(e);
    }
  };
}

export const handler = makeHandler();
