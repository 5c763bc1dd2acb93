// The Resend sink inside the gateway app, without a port: Resend's wire format, idempotency, errors,
// faults, and the same protections as the auth mail sink.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { DEFAULT_JWT_SECRET, readConfig, type Instance } from '../config.ts';
import { createApp } from '../gateway/app.ts';
import { createContext } from '../kit/context.ts';
import { localResendEnv } from '../kit/local-sinks.ts';
import { checkEmail, resendSinkService } from './index.ts';
import { KEEP, ResendStore } from './store.ts';

const root = mkdtempSync(join(tmpdir(), 'resend-sink-'));
const inst: Instance = { name: 't', dir: root, dataDir: root, logFile: '', dbPort: 1, apiPort: 1, jwtSecret: DEFAULT_JWT_SECRET, disposable: true };
const ctx = { ...(await createContext(inst, readConfig())), log: () => undefined };
let clock = Date.parse('2026-12-06T10:00:00Z');
const store = new ResendStore(join(root, 'emails.jsonl'), () => clock);
const app = createApp(ctx, [resendSinkService(ctx, store)]);
const key = ctx.keys.serviceRoleKey;

const email = { from: 'Ascend <no-reply@ascend.test>', to: ['ada@example.com'], subject: 'Hello', html: '<p>Hi</p>', text: 'Hi' };
function call(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  return app.request(`http://127.0.0.1:54321/resend/v1${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { Host: '127.0.0.1:54321', Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
}

test('POST /emails answers { id } and GET /emails/:id the e-mail, in Resend\'s shape', async () => {
  const res = await call('/emails', { body: { ...email, tags: [{ name: 'category', value: 'welcome' }] } });
  assert.equal(res.status, 200);
  const { id } = await res.json();
  assert.match(id, /^[0-9a-f-]{36}$/);
  const got = await (await call(`/emails/${id}`)).json();
  assert.deepEqual(got, {
    object: 'email', id, to: ['ada@example.com'], from: email.from, created_at: '2026-12-06T10:00:00.000Z', subject: 'Hello',
    html: '<p>Hi</p>', text: 'Hi', bcc: null, cc: null, reply_to: null, last_event: 'delivered', scheduled_at: null,
    tags: [{ name: 'category', value: 'welcome' }], idempotency_key: null,
  });
  const missing = await call('/emails/00000000-0000-4000-8000-000000000000');
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), { statusCode: 404, name: 'not_found', message: 'Email not found' });
});

test('a single address is accepted as a string; GET /emails lists newest first, by recipient', async () => {
  await call('/emails', { body: { ...email, to: 'grace@example.com', subject: 'one' } });
  await call('/emails', { body: { ...email, to: 'GRACE@example.com', subject: 'two' } });
  const list = await (await call('/emails?to=grace@example.com')).json();
  assert.equal(list.object, 'list');
  assert.deepEqual(list.data.map((e: { subject: string }) => e.subject), ['two', 'one']);
});

test('Idempotency-Key: the same body replays the first answer, another body is a 409, a bad key a 400', async () => {
  const headers = { 'Idempotency-Key': 'notification:42' };
  const before = store.count();
  const a = await (await call('/emails', { body: email, headers })).json();
  const b = await (await call('/emails', { body: email, headers })).json();
  assert.deepEqual(a, b);
  assert.equal(store.count(), before + 1, 'one e-mail');
  const other = await call('/emails', { body: { ...email, subject: 'changed' }, headers });
  assert.equal(other.status, 409);
  assert.deepEqual(await other.json(), { statusCode: 409, name: 'invalid_idempotent_request', message: 'Same idempotency key used with a different request payload.' });
  const long = await call('/emails', { body: email, headers: { 'Idempotency-Key': 'x'.repeat(257) } });
  assert.equal(long.status, 400);
  assert.equal((await long.json()).name, 'invalid_idempotency_key');
  clock += 24 * 60 * 60 * 1000 + 1;
  const later = await (await call('/emails', { body: email, headers })).json();
  assert.notEqual(later.id, a.id, 'keys last 24 hours');
});

test('validation errors are 422 with Resend\'s names and messages', async () => {
  const cases: Array<[unknown, string, RegExp]> = [
    [{ ...email, to: undefined }, 'missing_required_field', /^Missing `to` field\.$/],
    [{ ...email, from: 'nobody' }, 'validation_error', /^Invalid `from` field/],
    [{ ...email, to: ['not-an-address'] }, 'validation_error', /^Invalid `to` field/],
    [{ ...email, html: undefined, text: undefined }, 'missing_required_field', /`html` or `text`/],
    [{ ...email, tags: [{ name: 'bad tag', value: 'x' }] }, 'validation_error', /Tags should only contain/],
    [{ ...email, subject: 5 }, 'validation_error', /^Invalid `subject` field/],
  ];
  for (const [body, name, message] of cases) {
    const res = await call('/emails', { body });
    assert.equal(res.status, 422, JSON.stringify(body));
    const err = await res.json();
    assert.equal(err.statusCode, 422);
    assert.equal(err.name, name);
    assert.match(err.message, message);
  }
  assert.equal((await call('/emails', { body: '{nope' })).status, 422);
});

test('the key: missing is 401 missing_api_key, wrong is 403', async () => {
  const none = await app.request('http://127.0.0.1:54321/resend/v1/emails', { method: 'POST', headers: { Host: '127.0.0.1:54321' }, body: JSON.stringify(email) });
  assert.equal(none.status, 401);
  assert.deepEqual(await none.json(), { statusCode: 401, name: 'missing_api_key', message: 'Missing API key in the authorization header.' });
  const wrong = await call('/emails', { body: email, headers: { Authorization: 'Bearer re_123' } });
  assert.equal(wrong.status, 403);
  assert.deepEqual(await wrong.json(), { statusCode: 403, name: 'validation_error', message: 'API key is invalid' });
  const anon = await call('/emails', { headers: { Authorization: `Bearer ${ctx.keys.anonKey}` } });
  assert.equal(anon.status, 403, 'the anon key is not enough, even to read');
  const viaApikey = await app.request('http://127.0.0.1:54321/resend/v1/emails', { headers: { Host: '127.0.0.1:54321', apikey: key } });
  assert.equal(viaApikey.status, 200);
});

test('batch: strict refuses all on one bad e-mail; permissive sends the good ones; the key covers the batch', async () => {
  const strict = await call('/emails/batch', { body: [email, { ...email, to: ['bad'] }] });
  assert.equal(strict.status, 422);
  assert.match((await strict.json()).message, /^emails\[1\]: Invalid `to` field/);
  const permissive = await call('/emails/batch', { body: [email, { ...email, to: ['bad'] }], headers: { 'x-batch-validation': 'permissive' } });
  const p = await permissive.json();
  assert.equal(p.data.length, 1);
  assert.deepEqual(p.errors, [{ index: 1, message: 'Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.' }]);
  const headers = { 'Idempotency-Key': 'batch:1' };
  const a = await (await call('/emails/batch', { body: [email, email], headers })).json();
  const b = await (await call('/emails/batch', { body: [email, email], headers })).json();
  assert.equal(a.data.length, 2);
  assert.deepEqual(a, b);
  assert.equal((await call('/emails/batch', { body: [{ ...email, scheduled_at: 'in 1 hour' }] })).status, 422);
});

test('faults: sends to an address fail as told, the given number of times, and are not remembered under the key', async () => {
  assert.equal((await call('/sink/faults', { body: { to: 'Down@example.com', status: 500, name: 'internal_server_error', times: 1 } })).status, 200);
  const other = await call('/emails', { body: email });
  assert.equal(other.status, 200, 'other recipients are unaffected');
  const headers = { 'Idempotency-Key': 'fault:1' };
  const failed = await call('/emails', { body: { ...email, to: ['down@example.com'] }, headers });
  assert.equal(failed.status, 500);
  assert.deepEqual(await failed.json(), { statusCode: 500, name: 'internal_server_error', message: 'The local Resend sink was told to fail this send.' });
  const retried = await call('/emails', { body: { ...email, to: ['down@example.com'] }, headers });
  assert.equal(retried.status, 200);
  assert.equal((await call('/sink/faults', { body: { status: 200 } })).status, 422);
});

test('protected like the mail sink: loopback only, no CORS, no cross-site page, not cached', async () => {
  const rebound = await app.request('http://attacker.example/resend/v1/emails', { headers: { Host: 'attacker.example', Authorization: `Bearer ${key}` } });
  assert.equal(rebound.status, 403);
  const pre = await app.request('http://127.0.0.1:54321/resend/v1/emails', {
    method: 'OPTIONS',
    headers: { Host: '127.0.0.1:54321', Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
  });
  assert.equal(pre.headers.get('access-control-allow-origin'), null);
  const page = await app.request('http://127.0.0.1:54321/resend/v1/', { headers: { Host: '127.0.0.1:54321' } });
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<h1>Resend sink<\/h1>/);
  assert.match(html, /srcdoc="&lt;p&gt;Hi&lt;\/p&gt;"/, 'bodies shown in a sandboxed frame, escaped');
  assert.equal(page.headers.get('cache-control'), 'no-store');
  const framed = await app.request('http://127.0.0.1:54321/resend/v1/', { headers: { Host: '127.0.0.1:54321', 'Sec-Fetch-Site': 'cross-site' } });
  assert.equal(framed.status, 403);
});

test('the store survives a restart; DELETE clears', async () => {
  const again = new ResendStore(store.file);
  assert.equal(again.count(), store.count());
  const res = await call('/emails', { method: 'DELETE' });
  assert.ok((await res.json()).deleted > 0);
  assert.equal(store.count(), 0);
});

test('checkEmail and the functions\' local environment', () => {
  assert.equal(checkEmail({ ...email, to: 'A <a@b.co>' }).ok, true);
  assert.deepEqual(localResendEnv({}, 'http://127.0.0.1:54321', 'k'), { RESEND_API_KEY: 'k', RESEND_BASE_URL: 'http://127.0.0.1:54321/resend/v1' });
  assert.deepEqual(localResendEnv({ RESEND_API_KEY: 're_real' }, 'http://127.0.0.1:54321', 'k'), {});
});

test('the store keeps the newest e-mails when it grows past twice KEEP', () => {
  const small = new ResendStore(join(mkdtempSync(join(tmpdir(), 'resend-trim-')), 'e.jsonl'));
  const base = { from: 'a@b.co', html: null, text: 'x', cc: null, bcc: null, reply_to: null, scheduled_at: null, tags: null, idempotency_key: null };
  for (let i = 0; i < 2 * KEEP; i++) small.add({ ...base, to: [`n${i}@b.co`], subject: String(i) });
  assert.equal(small.count(), KEEP);
  assert.equal(small.list({ limit: 1 })[0]!.subject, String(2 * KEEP - 1));
  assert.equal(new ResendStore(small.file).count(), KEEP);
});
