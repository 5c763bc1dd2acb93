import assert from 'node:assert/strict';
import type { SupabaseClient } from '@supabase/supabase-js';
import { categorySlug, makeHandler, titleFromName } from './handler.ts';
import { minimalPdf } from './testing_pdf.ts';

const ORG = '6f1c2b7e-1d2a-4c3b-9e4f-0a1b2c3d4e5f';
function token(claims: Record<string, unknown>): string {
  const part = (v: unknown) => btoa(JSON.stringify(v)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}
const auth = `Bearer ${token({ sub: 'u1', role: 'authenticated' })}`;

function fake(error: unknown = null) {
  const calls: Record<string, unknown>[] = [];
  const client = {
    rpc: (_fn: string, args: Record<string, unknown>) => {
      calls.push(args);
      const chunks = args.p_chunks as string[];
      return Promise.resolve(error ? { data: null, error } : { data: { document_id: 'd1', chunk_count: chunks.length, title: args.p_title, source_kind: args.p_source_kind }, error: null });
    },
  };
  return { clientFor: () => client as unknown as SupabaseClient, calls };
}

function upload(file: File | null, extra: Record<string, string> = {}) {
  const form = new FormData();
  form.append('organization_id', ORG);
  form.append('category', 'Sales Objections');
  for (const [k, v] of Object.entries(extra)) form.set(k, v);
  if (file) form.append('file', file);
  return new Request('http://localhost/training-material', { method: 'POST', headers: { Authorization: auth }, body: form });
}

Deno.test('a PDF is extracted, chunked and stored with its category, title from the file name', async () => {
  const { clientFor, calls } = fake();
  const res = await makeHandler(clientFor)(upload(new File([minimalPdf(['Price objection: acknowledge first.'])], 'price-objection_v2.pdf')));
  assert.equal(res.status, 201);
  assert.deepEqual(await res.json(), { document_id: 'd1', chunk_count: 1, title: 'price objection v2', source_kind: 'pdf', pages: 1 });
  assert.equal(calls[0]!.p_category, 'sales-objections', 'the name is sent as its slug');
  assert.equal(calls[0]!.p_organization, ORG);
  assert.equal(calls[0]!.p_file_name, 'price-objection_v2.pdf');
  assert.match((calls[0]!.p_chunks as string[])[0]!, /Price objection: acknowledge first\./);
});

Deno.test('a Markdown file keeps the given title', async () => {
  const { clientFor, calls } = fake();
  const res = await makeHandler(clientFor)(upload(new File(['# Follow up\n\nCall back within 48 hours.'], 'f.md'), { title: 'Follow-up rules' }));
  assert.equal(res.status, 201);
  assert.equal(calls[0]!.p_title, 'Follow-up rules');
  assert.equal(calls[0]!.p_source_kind, 'markdown');
});

Deno.test('invalid fields, no file, a binary file: 400/400/415 before the database', async () => {
  const { clientFor, calls } = fake();
  const h = makeHandler(clientFor);
  let res = await h(upload(new File(['x'], 'a.txt'), { category: 'Cooking' }));
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /^category must be one of: Pre Consultation/);
  res = await h(upload(null));
  assert.equal(res.status, 400);
  assert.equal((await res.json()).code, 'missing_file');
  res = await h(upload(new File([new Uint8Array([0x50, 0x4b, 3, 4, 0])], 'deck.docx')));
  assert.equal(res.status, 415);
  await res.body?.cancel();
  assert.equal(calls.length, 0);
});

Deno.test('a learner: the database\'s 42501 is a 403 naming the action', async () => {
  const { clientFor } = fake({ code: '42501', message: 'only owners, admins and instructors of this organisation add training material' });
  const res = await makeHandler(clientFor)(upload(new File(['Some guidance text.'], 'g.txt')));
  assert.equal(res.status, 403);
  assert.match((await res.json()).error, /^Cannot store the training document: only owners/);
});

Deno.test('categories by slug or name, any case', () => {
  assert.equal(categorySlug('Upselling / Cross Selling'), 'upselling-cross-selling');
  assert.equal(categorySlug(' smp-sales '), 'smp-sales');
  assert.equal(categorySlug('sales follow UP'), 'sales-follow-up');
  assert.equal(categorySlug('Cooking'), undefined);
});

Deno.test('titleFromName', () => {
  assert.equal(titleFromName('C:\\docs\\retail_sales-guide.txt'), 'retail sales guide');
  assert.equal(titleFromName(null), undefined);
});
