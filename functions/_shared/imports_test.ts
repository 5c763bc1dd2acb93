import assert from 'node:assert/strict';
import { HttpError } from './request.ts';
import { importRows, readImportRequest, readRows, report } from './imports.ts';
import type { SupabaseClient } from '@supabase/supabase-js';

const ORG = '6f1c2b7e-1d2a-4c3b-9e4f-0a1b2c3d4e5f';

Deno.test('an import request from JSON, a form or a raw CSV body; dry run by default', async () => {
  const json = await readImportRequest(new Request('http://x', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ organization_id: ORG, csv: 'a\n1' }) }));
  assert.deepEqual(json, { organizationId: ORG, mode: 'dry_run', csv: 'a\n1', skipLines: [] });
  const raw = await readImportRequest(new Request(`http://x?organization_id=${ORG}&mode=commit`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a\n1' }));
  assert.deepEqual(raw, { organizationId: ORG, mode: 'commit', csv: 'a\n1', skipLines: [] });
  await assert.rejects(
    readImportRequest(new Request(`http://x?organization_id=${ORG}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: new Uint8Array([0xff, 0xfe, 0x41]) })),
    (e: unknown) => e instanceof HttpError && e.status === 400 && /not UTF-8/.test(e.message),
  );
});

Deno.test('readRows names missing columns', () => {
  assert.throws(() => readRows('x,y\n1,2', { email: ['email'], name: ['name', 'full_name'] }), (e: unknown) => e instanceof HttpError && e.message === 'the header (line 1) lacks the columns email, name (or full_name)');
});

Deno.test('report: merged errors by line; commit only when the database committed and no row is bad', () => {
  const empty = { imported: 0 };
  assert.deepEqual(report('dry_run', 3, [{ line: 4, reason: 'b' }], { committed: false, errors: [{ line: 2, reason: 'a' }] }, empty), {
    status: 200,
    body: { mode: 'dry_run', committed: false, total: 3, valid: 1, skipped: [], imported: 0, errors: [{ line: 2, reason: 'a' }, { line: 4, reason: 'b' }] },
  });
  assert.equal(report('commit', 1, [{ line: 2, reason: 'x' }], null, empty).status, 422);
  assert.deepEqual(report('commit', 1, [], { committed: true, errors: [], imported: 1 }, empty), {
    status: 201,
    body: { mode: 'commit', committed: true, total: 1, valid: 1, skipped: [], imported: 1, errors: [] },
  });
});

Deno.test('skip_lines: from a form or the query as "4,9", from JSON as numbers; anything else is a 400', async () => {
  const form = new FormData();
  form.set('organization_id', ORG);
  form.set('mode', 'commit');
  form.set('skip_lines', '9, 4,4');
  form.set('file', new File(['a\n1'], 'x.csv', { type: 'text/csv' }));
  assert.deepEqual((await readImportRequest(new Request('http://x', { method: 'POST', body: form }))).skipLines, [4, 9]);
  const json = await readImportRequest(new Request('http://x', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ organization_id: ORG, csv: 'a\n1', skip_lines: [3] }) }));
  assert.deepEqual(json.skipLines, [3]);
  for (const bad of ['x', '1', '2.5']) {
    await assert.rejects(
      readImportRequest(new Request(`http://x?organization_id=${ORG}&skip_lines=${bad}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a\n1' })),
      (e: unknown) => e instanceof HttpError && e.status === 400 && /skip_lines/.test(e.message),
      `skip_lines=${bad}`,
    );
  }
});

Deno.test('importRows leaves the skipped lines out: not checked, not sent, not counted, listed as skipped', async () => {
  const sent: unknown[] = [];
  const client = { rpc: (_name: string, args: { p_rows: unknown[]; p_dry_run: boolean }) => {
    sent.push(args);
    return Promise.resolve({ data: { committed: !args.p_dry_run, errors: [] }, error: null });
  } } as unknown as SupabaseClient;
  const table = readRows('n\nok\nbad\nok too\n"a","b"', { n: ['n'] });
  const check = (row: { line: number; values: Record<string, string> }) =>
    row.values.n === 'bad' ? { ok: false as const, reason: 'bad row' } : { ok: true as const, value: row.line };
  const input = { organizationId: ORG, mode: 'commit' as const, csv: '', skipLines: [3, 5, 40] };
  const out = await importRows(client, input, table, check, { name: 'import_things', action: 'import' });
  assert.deepEqual(out, { total: 2, errors: [], db: { committed: true, errors: [] }, skipped: [3, 5] });
  assert.deepEqual(sent, [{ p_organization: ORG, p_rows: [2, 4], p_dry_run: false }]);
  const without = await importRows(client, { ...input, skipLines: [] }, table, check, { name: 'import_things', action: 'import' });
  assert.deepEqual(without.errors.map((e) => e.line).sort(), [3, 5], 'not skipped, the bad row and the short record are errors');
  assert.equal(sent.length, 2);
  assert.equal((sent[1] as { p_dry_run: boolean }).p_dry_run, true, 'and nothing is committed');
});
