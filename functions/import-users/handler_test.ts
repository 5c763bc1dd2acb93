import assert from 'node:assert/strict';
import type { SupabaseClient } from '@supabase/supabase-js';
import { makeHandler } from './handler.ts';

const ORG = '6f1c2b7e-1d2a-4c3b-9e4f-0a1b2c3d4e5f';
function token(claims: Record<string, unknown>): string {
  const part = (v: unknown) => btoa(JSON.stringify(v)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}
const auth = `Bearer ${token({ sub: 'u1', role: 'authenticated' })}`;

function fake(answer: (args: Record<string, unknown>) => { data: unknown; error: unknown }) {
  const calls: [string, Record<string, unknown>][] = [];
  const client = { rpc: (fn: string, args: Record<string, unknown>) => (calls.push([fn, args]), Promise.resolve(answer(args))) };
  return { clientFor: () => client as unknown as SupabaseClient, calls };
}
const post = (body: unknown) =>
  new Request('http://localhost/import-users', { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

Deno.test('dry run: malformed rows from zod and duplicates from the database, by line; names are not sent', async () => {
  const { clientFor, calls } = fake(() => ({
    data: { committed: false, errors: [{ line: 4, reason: 'duplicate: ana@example.com is already on line 2' }], renewed: [] },
    error: null,
  }));
  const csv = 'email,name,role\nana@example.com,Ana,learner\nnope,Bo,learner\nANA@example.com,Ana again,\n';
  const res = await makeHandler(clientFor)(post({ organization_id: ORG, csv }));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {
    mode: 'dry_run', committed: false, total: 3, valid: 1, skipped: [], invited: 0, invitations: [],
    errors: [
      { line: 3, reason: '"nope" is not an e-mail address' },
      { line: 4, reason: 'duplicate: ana@example.com is already on line 2' },
    ],
    renewed: [],
  });
  assert.equal(calls[0]![0], 'import_invitations');
  assert.deepEqual(calls[0]![1].p_rows, [{ line: 2, email: 'ana@example.com', role: 'learner' }, { line: 4, email: 'ana@example.com', role: 'learner' }]);
});

Deno.test('commit of good rows: 201 with the invitations', async () => {
  const invitations = [{ line: 2, invitation_id: 'i1', email: 'ana@example.com', role: 'learner', status: 'pending', expires_at: 'x' }];
  const { clientFor, calls } = fake(() => ({ data: { committed: true, errors: [], invited: 1, invitations, renewed: [] }, error: null }));
  const res = await makeHandler(clientFor)(post({ organization_id: ORG, csv: 'email\nana@example.com\n', mode: 'commit' }));
  assert.equal(res.status, 201);
  const body = await res.json();
  assert.equal(body.invited, 1);
  assert.deepEqual(body.invitations, invitations);
  assert.equal(calls[0]![1].p_dry_run, false);
});

Deno.test('a learner: 403 from the database\'s 42501', async () => {
  const { clientFor } = fake(() => ({ data: null, error: { code: '42501', message: 'only owners and admins of this organisation invite members' } }));
  const res = await makeHandler(clientFor)(post({ organization_id: ORG, csv: 'email\nana@example.com\n', mode: 'commit' }));
  assert.equal(res.status, 403);
  assert.match((await res.json()).error, /^Cannot invite the people of this file: only owners and admins/);
});

Deno.test('no e-mail column: 400 naming it', async () => {
  const res = await makeHandler()(post({ organization_id: ORG, csv: 'name,role\nAna,learner\n' }));
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, 'the header (line 1) lacks the column email (or e_mail, email_address, e_mail_address)');
});
