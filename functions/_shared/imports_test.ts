import assert from 'node:assert/strict';
import { HttpError } from './request.ts';
import { readImportRequest, readRows, report } from './imports.ts';

const ORG = '6f1c2b7e-1d2a-4c3b-9e4f-0a1b2c3d4e5f';

Deno.test('an import request from JSON, a form or a raw CSV body; dry run by default', async () => {
  const json = await readImportRequest(new Request('http://x', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ organization_id: ORG, csv: 'a\n1' }) }));
  assert.deepEqual(json, { organizationId: ORG, mode: 'dry_run', csv: 'a\n1' });
  const raw = await readImportRequest(new Request(`http://x?organization_id=${ORG}&mode=commit`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a\n1' }));
  assert.deepEqual(raw, { organizationId: ORG, mode: 'commit', csv: 'a\n1' });
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
    body: { mode: 'dry_run', committed: false, total: 3, valid: 1, imported: 0, errors: [{ line: 2, reason: 'a' }, { line: 4, reason: 'b' }] },
  });
  assert.equal(report('commit', 1, [{ line: 2, reason: 'x' }], null, empty).status, 422);
  assert.deepEqual(report('commit', 1, [], { committed: true, errors: [], imported: 1 }, empty), {
    status: 201,
    body: { mode: 'commit', committed: true, total: 1, valid: 1, imported: 1, errors: [] },
  });
});
