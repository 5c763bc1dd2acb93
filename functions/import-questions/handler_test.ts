import assert from 'node:assert/strict';
import type { SupabaseClient } from '@supabase/supabase-js';
import { makeHandler } from './handler.ts';

const ORG = '6f1c2b7e-1d2a-4c3b-9e4f-0a1b2c3d4e5f';
function token(claims: Record<string, unknown>): string {
  const part = (v: unknown) => btoa(JSON.stringify(v)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}
const auth = `Bearer ${token({ sub: 'u1', role: 'authenticated' })}`;
const HEADER = 'exam,domain,stem,option_a,option_b,option_c,option_d,correct_answer,explanation_a,explanation_b,explanation_c,explanation_d';
const GOOD = (n: number) => `security,1.0,Good question number ${n} about security?,a,b,c,d,A,w,x,y,z`;

function fake(answer: (args: Record<string, unknown>) => { data: unknown; error: unknown }) {
  const calls: Record<string, unknown>[] = [];
  const client = { rpc: (_fn: string, args: Record<string, unknown>) => (calls.push(args), Promise.resolve(answer(args))) };
  return { clientFor: () => client as unknown as SupabaseClient, calls };
}

function post(body: unknown) {
  return new Request('http://localhost/import-questions', {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

Deno.test('dry run: rows failing zod and rows the database refuses are reported by line; nothing committed', async () => {
  const { clientFor, calls } = fake(() => ({
    data: { committed: false, errors: [{ line: 4, reason: 'unknown exam' }], imported: 0, question_ids: [] },
    error: null,
  }));
  const csv = [HEADER, GOOD(1), 'security,1.0,Short,a,b,c,d,A,w,x,y,z', GOOD(3).replace('security', 'nope'), 'security,1.0'].join('\n');
  const res = await makeHandler(clientFor)(post({ organization_id: ORG, csv }));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {
    mode: 'dry_run',
    committed: false,
    total: 4,
    skipped: [],
    valid: 1,
    imported: 0,
    question_ids: [],
    errors: [
      { line: 3, reason: 'the question text must hold at least 10 characters' },
      { line: 4, reason: 'unknown exam' },
      { line: 5, reason: 'has 2 fields, the header has 12' },
    ],
  });
  assert.equal(calls.length, 1);
  assert.equal(calls[0]!.p_dry_run, true);
  assert.equal((calls[0]!.p_rows as unknown[]).length, 2);
});

Deno.test('commit with a bad row: the database only validates (dry run), 422, nothing imported', async () => {
  const { clientFor, calls } = fake(() => ({ data: { committed: false, errors: [] }, error: null }));
  const csv = [HEADER, GOOD(1), 'security,1.0,Short,a,b,c,d,A,w,x,y,z'].join('\n');
  const res = await makeHandler(clientFor)(post({ organization_id: ORG, csv, mode: 'commit' }));
  assert.equal(res.status, 422);
  const body = await res.json();
  assert.equal(body.committed, false);
  assert.equal(body.imported, 0);
  assert.deepEqual(body.errors, [{ line: 3, reason: 'the question text must hold at least 10 characters' }]);
  assert.equal(calls[0]!.p_dry_run, true);
});

Deno.test('commit of good rows: 201 with the new question ids', async () => {
  const { clientFor, calls } = fake(() => ({ data: { committed: true, errors: [], imported: 2, question_ids: [7, 8] }, error: null }));
  const res = await makeHandler(clientFor)(post({ organization_id: ORG, csv: [HEADER, GOOD(1), GOOD(2)].join('\r\n'), mode: 'commit' }));
  assert.equal(res.status, 201);
  assert.deepEqual(await res.json(), { mode: 'commit', committed: true, total: 2, valid: 2, skipped: [], imported: 2, question_ids: [7, 8], errors: [] });
  assert.equal(calls[0]!.p_dry_run, false);
  assert.equal(calls[0]!.p_organization, ORG);
});

Deno.test('a caller who is not staff: the database\'s 42501 becomes a 403 naming the action', async () => {
  const { clientFor } = fake(() => ({ data: null, error: { code: '42501', message: 'only owners, admins and instructors of this organisation import questions into its bank', hint: null } }));
  const res = await makeHandler(clientFor)(post({ organization_id: ORG, csv: [HEADER, GOOD(1)].join('\n') }));
  assert.equal(res.status, 403);
  assert.deepEqual(await res.json(), {
    error: 'Cannot import the questions: only owners, admins and instructors of this organisation import questions into its bank',
    code: '42501',
  });
});

Deno.test('request problems are 400s naming what is wrong', async () => {
  const h = makeHandler(fake(() => ({ data: null, error: null })).clientFor);
  const cases: [unknown, RegExp][] = [
    [{ organization_id: 'x', csv: 'a' }, /organization_id must be the id/],
    [{ organization_id: ORG, csv: 'a', mode: 'now' }, /mode must be dry_run/],
    [{ organization_id: ORG }, /no CSV/],
    [{ organization_id: ORG, csv: 'exam,domain\nsecurity,1.0' }, /lacks the columns stem \(or question, question_text\), option_a/],
    [{ organization_id: ORG, csv: `${HEADER}\n` }, /header but no rows/],
    [{ organization_id: ORG, csv: `${HEADER}\n"unclosed` }, /not valid CSV/],
  ];
  for (const [body, message] of cases) {
    const res = await h(post(body));
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.match((await res.json()).error, message);
  }
});

Deno.test('multipart upload with the file field works too', async () => {
  const { clientFor } = fake(() => ({ data: { committed: false, errors: [] }, error: null }));
  const form = new FormData();
  form.append('organization_id', ORG);
  form.append('file', new File([[HEADER, GOOD(1)].join('\n')], 'questions.csv', { type: 'text/csv' }));
  const res = await makeHandler(clientFor)(new Request('http://localhost/import-questions', { method: 'POST', headers: { Authorization: auth }, body: form }));
  assert.equal(res.status, 200);
  assert.equal((await res.json()).valid, 1);
});

Deno.test('more than 1000 rows: 413', async () => {
  const csv = [HEADER, ...Array.from({ length: 1001 }, (_, i) => GOOD(i))].join('\n');
  const res = await makeHandler()(post({ organization_id: ORG, csv }));
  assert.equal(res.status, 413);
  assert.equal((await res.json()).code, 'too_many_rows');
});
