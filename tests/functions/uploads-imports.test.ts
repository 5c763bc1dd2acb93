// The upload and import functions through the gateway, as real signed-in users: an organisation
// owner (who created it), a learner who accepted an invitation, and the functions acting as each
// caller (their JWT, so RLS and the SQL functions decide):
//   upload-avatar      a disguised SVG is refused (415); a real PNG lands in the caller's folder
//   import-questions   bad rows reported by line, nothing imported on dry run nor on a refused
//                      commit; a good file imports everything as drafts; skip_lines commits the
//                      good rows of a file with bad ones; a learner is refused
//   import-users       rows become invitations, never memberships; duplicates reported by line
//   training-material  a PDF is extracted and chunked; members find it with search_training_material
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import sharp from 'sharp';
import { minimalPdf } from '../../functions/training-material/testing_pdf.ts';
import { PASSWORD, adminClient, anonClient, randomIp, uniqueEmail } from '../auth/helpers.ts';
import { testClient } from '../support/client.ts';
import { env } from '../support/env.ts';

const FN = `${env.SUPABASE_URL}/functions/v1`;
const ip = randomIp();
const db = new pg.Client({ connectionString: env.DB_URL });

interface Actor {
  id: string;
  email: string;
  token: string;
  client: SupabaseClient;
}

async function signUp(tag: string): Promise<Actor> {
  const email = uniqueEmail(tag);
  const created = await adminClient(ip).auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  assert.equal(created.error, null);
  const signedIn = await anonClient(ip).auth.signInWithPassword({ email, password: PASSWORD });
  assert.equal(signedIn.error, null);
  const token = signedIn.data.session!.access_token;
  return { id: created.data.user!.id, email, token, client: testClient(env.ANON_KEY, token) };
}

async function call(fn: string, actor: Actor, body: BodyInit, headers: Record<string, string> = {}) {
  const res = await fetch(`${FN}/${fn}`, { method: 'POST', headers: { Authorization: `Bearer ${actor.token}`, apikey: env.ANON_KEY, ...headers }, body });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), body: text ? JSON.parse(text) : null };
}

/** A real 1×1 PNG (transparent pixel). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let owner: Actor;
let learner: Actor;
let orgId: string;

before(async () => {
  await db.connect();
  owner = await signUp('import-owner');
  learner = await signUp('import-learner');
  const slug = `imports-${owner.id.slice(0, 8)}`;
  const created = await owner.client.rpc('create_organization', { p_name: 'Imports Org', p_slug: slug });
  assert.equal(created.error, null, created.error?.message);
  orgId = (created.data as { id: string }).id;
  const invited = await owner.client.rpc('invite_to_organization', { p_organization: orgId, p_email: learner.email, p_role: 'learner' });
  assert.equal(invited.error, null, invited.error?.message);
  const accepted = await learner.client.rpc('accept_invitation', { p_invitation: (invited.data as { invitation_id: string }).invitation_id });
  assert.equal(accepted.error, null, accepted.error?.message);
});

after(async () => {
  await db.query('delete from public.organizations where id = $1', [orgId]);
  await db.end();
});

describe('upload-avatar', () => {
  test('an SVG named .png and sent as image/png is refused with 415 and stores nothing', async () => {
    const form = new FormData();
    form.append('file', new Blob(['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>'], { type: 'image/png' }), 'me.png');
    const r = await call('upload-avatar', learner, form);
    assert.equal(r.status, 415);
    assert.equal(r.type, 'application/json');
    assert.equal(r.body.code, 'unsupported_media_type');
    assert.match(r.body.error, /its content is an SVG image \(named me\.png\); upload a PNG, JPEG or WebP image/);
    const listed = await learner.client.storage.from('avatars').list(learner.id);
    assert.deepEqual(listed.data, []);
  });

  test('a photo gets its thumbnail through storage image transformations', async () => {
    const photo = await sharp({ create: { width: 512, height: 384, channels: 3, background: '#3366cc' } }).png().toBuffer();
    const form = new FormData();
    form.append('file', new Blob([photo], { type: 'image/png' }), 'me.png');
    const r = await call('upload-avatar', learner, form);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const thumb = await fetch(r.body.thumbnail_url, { headers: { Accept: 'image/png' } });
    assert.equal(thumb.status, 200);
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    assert.ok(meta.width! <= 128 && meta.height! <= 128 && meta.width! > 0, `${meta.width}x${meta.height}`);
  });

  test('a real PNG is stored under the caller\'s folder and becomes the profile photo', async () => {
    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'application/octet-stream' }), 'whatever.bin');
    const r = await call('upload-avatar', learner, form);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.match(r.body.photo_path, new RegExp(`^${learner.id}/photo-[0-9a-z]+-[0-9a-f]{8}\\.png$`));
    assert.equal(r.body.content_type, 'image/png');
    assert.equal(r.body.size, PNG.length);
    assert.equal(r.body.url, `${env.SUPABASE_URL}/storage/v1/object/public/avatars/${r.body.photo_path}`);
    assert.equal(r.body.thumbnail_url, `${env.SUPABASE_URL}/storage/v1/render/image/public/avatars/${r.body.photo_path}?width=128&height=128`);

    const { rows } = await db.query('select owner_id, metadata ->> $2 as mimetype from storage.objects where bucket_id = $3 and name = $1', [r.body.photo_path, 'mimetype', 'avatars']);
    assert.deepEqual(rows, [{ owner_id: learner.id, mimetype: 'image/png' }], 'stored as the caller, as image/png');
    const profile = await learner.client.from('profiles').select('photo_path').eq('id', learner.id).single();
    assert.equal(profile.data?.photo_path, r.body.photo_path);
    const download = await fetch(r.body.url);
    assert.equal(download.status, 200);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), PNG);

    // A second upload replaces it: the old object is deleted.
    const again = new FormData();
    again.append('file', new Blob([PNG]), 'two.png');
    const r2 = await call('upload-avatar', learner, again);
    assert.equal(r2.status, 201);
    const listed = await learner.client.storage.from('avatars').list(learner.id);
    assert.deepEqual(listed.data?.map((o) => `${learner.id}/${o.name}`), [r2.body.photo_path]);
  });
});

const HEADER = 'Exam,Domain,Question,Option A,Option B,Option C,Option D,Correct Answer,Explanation A,Explanation B,Explanation C,Explanation D';
const good = (n: number) => `security,1.0,"Imported question ${n}: which control, of these, is preventive?",Firewall rule,Audit log,Camera footage,Incident report,a,Yes: it blocks.,No: it records.,No: it records.,No: after the fact.`;

async function orgQuestions(): Promise<{ status: string }[]> {
  const { rows } = await db.query('select status::text from public.questions where organization_id = $1', [orgId]);
  return rows;
}

describe('import-questions', () => {
  const bad = [
    HEADER,
    good(1),
    'security,1.0,Too short,a,b,c,d,A,w,x,y,z',
    good(3).replace('security', 'cooking'),
    'security,1.0,"A question whose answer is not a letter?",a,b,c,d,E,w,x,y,z',
    'security,1.0,only three fields',
    good(1),
  ].join('\n');

  test('a dry run names each bad row with its line and reason, and imports nothing', async () => {
    const r = await call('import-questions', owner, JSON.stringify({ organization_id: orgId, csv: bad }), { 'Content-Type': 'application/json' });
    assert.equal(r.status, 200);
    assert.deepEqual({ ...r.body, errors: undefined }, { mode: 'dry_run', committed: false, total: 6, valid: 1, skipped: [], imported: 0, question_ids: [], errors: undefined });
    assert.deepEqual(r.body.errors.map((e: { line: number }) => e.line), [3, 4, 5, 6, 7]);
    assert.equal(r.body.errors[0].reason, 'the question text must hold at least 10 characters');
    assert.match(r.body.errors[1].reason, /^unknown exam 'cooking'/);
    assert.equal(r.body.errors[2].reason, 'the correct answer "E" must be A, B, C or D');
    assert.equal(r.body.errors[3].reason, 'has 3 fields, the header has 12');
    assert.equal(r.body.errors[4].reason, 'the same question as line 2');
    assert.deepEqual(await orgQuestions(), []);
  });

  test('a commit with bad rows is refused (422) and imports nothing at all', async () => {
    const form = new FormData();
    form.append('organization_id', orgId);
    form.append('mode', 'commit');
    form.append('file', new Blob([bad], { type: 'text/csv' }), 'questions.csv');
    const r = await call('import-questions', owner, form);
    assert.equal(r.status, 422);
    assert.equal(r.body.committed, false);
    assert.equal(r.body.errors.length, 5);
    assert.deepEqual(await orgQuestions(), []);
  });

  test('a commit of a good file imports every row, as drafts of the organisation', async () => {
    const csv = [HEADER, good(1), good(2), good(3)].join('\r\n');
    const r = await call('import-questions', owner, csv, { 'Content-Type': 'text/csv' });
    assert.equal(r.status, 400, 'organization_id is required');
    const ok = await fetch(`${FN}/import-questions?organization_id=${orgId}&mode=commit`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${owner.token}`, 'Content-Type': 'text/csv' },
      body: csv,
    });
    const body = await ok.json();
    assert.equal(ok.status, 201, JSON.stringify(body));
    assert.deepEqual({ ...body, question_ids: body.question_ids.length }, { mode: 'commit', committed: true, total: 3, valid: 3, skipped: [], imported: 3, question_ids: 3, errors: [] });
    assert.deepEqual(await orgQuestions(), [{ status: 'draft' }, { status: 'draft' }, { status: 'draft' }]);
  });

  test('a learner of the organisation cannot import (403), not even a dry run', async () => {
    const r = await call('import-questions', learner, JSON.stringify({ organization_id: orgId, csv: [HEADER, good(9)].join('\n') }), { 'Content-Type': 'application/json' });
    assert.equal(r.status, 403);
    assert.match(r.body.error, /^Cannot import the questions: only owners, admins and instructors of this organisation/);
    assert.equal(r.body.code, '42501');
    assert.equal((await orgQuestions()).length, 3);
  });

  test('skip_lines leaves the bad rows a dry run named out: the good rows are committed, the report lists what was skipped', async () => {
    const csv = [HEADER, good(11), 'security,1.0,"A question whose answer is not a letter?",a,b,c,d,E,w,x,y,z', good(12)].join('\n');
    const dry = await call('import-questions', owner, JSON.stringify({ organization_id: orgId, csv }), { 'Content-Type': 'application/json' });
    assert.deepEqual(dry.body.errors.map((e: { line: number }) => e.line), [3]);
    const form = new FormData();
    form.append('organization_id', orgId);
    form.append('mode', 'commit');
    form.append('skip_lines', '3');
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'questions.csv');
    const r = await call('import-questions', owner, form);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual({ ...r.body, question_ids: r.body.question_ids.length }, { mode: 'commit', committed: true, total: 2, valid: 2, skipped: [3], imported: 2, question_ids: 2, errors: [] });
    assert.equal((await orgQuestions()).length, 5);
  });
});

describe('import-users', () => {
  test('rows become invitations, never memberships; duplicates and malformed rows are reported by line', async () => {
    const a = uniqueEmail('invitee-a');
    const b = uniqueEmail('invitee-b');
    const members = async () => (await db.query('select count(*)::int as n from public.organization_members where organization_id = $1', [orgId])).rows[0].n;
    const before = await members();

    const dry = await call('import-users', owner, JSON.stringify({ organization_id: orgId, csv: `email,name,role\n${a},Ana,learner\nnot-an-email,Bo,learner\n${a.toUpperCase()},Ana again,\n${b},Cy,instructor\n` }), { 'Content-Type': 'application/json' });
    assert.equal(dry.status, 200);
    assert.deepEqual(dry.body.errors, [
      { line: 3, reason: '"not-an-email" is not an e-mail address' },
      { line: 4, reason: `duplicate: ${a} is already on line 2` },
    ]);
    assert.equal(dry.body.invited, 0);

    const commit = await call('import-users', owner, JSON.stringify({ organization_id: orgId, mode: 'commit', csv: `email,name,role\n${a},Ana,learner\n${b},Cy,instructor\n${learner.email},Already member,learner\n` }), { 'Content-Type': 'application/json' });
    assert.equal(commit.status, 201, JSON.stringify(commit.body));
    assert.equal(commit.body.invited, 3);
    assert.deepEqual(commit.body.invitations.map((i: { line: number; email: string; role: string; status: string }) => [i.line, i.email, i.role, i.status]), [
      [2, a, 'learner', 'pending'],
      [3, b, 'instructor', 'pending'],
      [4, learner.email, 'learner', 'pending'],
    ]);
    assert.equal(await members(), before, 'nobody became a member');
    const { rows } = await db.query('select email, status::text from public.organization_invitations where organization_id = $1 and email = any($2) order by email', [orgId, [a, b]]);
    assert.deepEqual(rows, [{ email: a, status: 'pending' }, { email: b, status: 'pending' }].sort((x, y) => x.email.localeCompare(y.email)));
  });

  test('a learner cannot invite (403)', async () => {
    const r = await call('import-users', learner, JSON.stringify({ organization_id: orgId, mode: 'commit', csv: `email\n${uniqueEmail('x')}\n` }), { 'Content-Type': 'application/json' });
    assert.equal(r.status, 403);
    assert.match(r.body.error, /only owners and admins of this organisation invite members/);
  });
});

describe('training-material', () => {
  test('a PDF is extracted, chunked and found by members with search_training_material', async () => {
    const form = new FormData();
    form.append('organization_id', orgId);
    form.append('category', 'Sales Objections');
    form.append('file', new Blob([minimalPdf(['When the customer says the price is too high,', 'acknowledge it and ask what value means to them.'])], { type: 'application/pdf' }), 'price-objections.pdf');
    const r = await call('training-material', owner, form);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.source_kind, 'pdf');
    assert.equal(r.body.title, 'price objections');
    assert.equal(r.body.chunk_count, 1);
    assert.equal(r.body.pages, 1);

    const found = await learner.client.rpc('search_training_material', { p_organization: orgId, p_query: 'customer complains about the price', p_category: 'Sales Objections', p_limit: 3 });
    assert.equal(found.error, null);
    assert.equal(found.data.length, 1);
    assert.equal(found.data[0].document_id, r.body.document_id);
    assert.match(found.data[0].snippet, /\*\*price\*\*/);
  });

  test('a learner cannot add material (403); an Office file is not training material (415)', async () => {
    const form = new FormData();
    form.append('organization_id', orgId);
    form.append('category', 'General Sales');
    form.append('file', new Blob(['Some notes.']), 'notes.txt');
    const r = await call('training-material', learner, form);
    assert.equal(r.status, 403);
    assert.match(r.body.error, /^Cannot store the training document: only owners, admins and instructors/);
    const bin = new FormData();
    bin.append('organization_id', orgId);
    bin.append('category', 'General Sales');
    bin.append('file', new Blob([new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0])]), 'deck.pptx');
    const refused = await call('training-material', owner, bin);
    assert.equal(refused.status, 415);
  });
});
