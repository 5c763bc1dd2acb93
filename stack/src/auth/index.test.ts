// The auth app with app.request() and no database: what is answered before any query runs.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { readConfig } from '../config.ts';
import { resolveSettings } from './config.ts';
import type { Db } from './db.ts';
import type { AuthDeps } from './deps.ts';
import { authApp } from './index.ts';
import { loadJwtKeys } from '../kit/jwt-keys.ts';
import { Mailer } from './mailer.ts';
import { MailSink } from './mailsink.ts';
import { createLimiters } from './ratelimit.ts';

async function deps(): Promise<AuthDeps> {
  const settings = resolveSettings(readConfig().auth, 54321);
  const limiters = createLimiters(settings.rateLimit);
  const noDb = new Proxy({}, { get: () => () => Promise.reject(new Error('no database in this test')) }) as unknown as Db;
  return {
    settings,
    db: noDb,
    jwtKeys: await loadJwtKeys('x'.repeat(32), undefined),
    mailer: new Mailer(settings, new MailSink(join(mkdtempSync(join(tmpdir(), 'auth-')), 'm.jsonl')), limiters.email),
    limiters,
    log: () => undefined,
  };
}

const app = authApp(await deps());

test('GET /settings reflects config.toml', async () => {
  const res = await app.request('/settings');
  assert.equal(res.status, 200);
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(body.mailer_autoconfirm, false);
  assert.equal(body.disable_signup, false);
});

test('bad JSON is a 400 bad_json before anything touches the database', async () => {
  const res = await app.request('/signup', { method: 'POST', body: '{', headers: { 'X-Supabase-Api-Version': '2024-01-01' } });
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('x-sb-error-code'), 'bad_json');
  assert.equal(res.headers.get('x-supabase-api-version'), '2024-01-01');
  assert.equal(((await res.json()) as { code: string }).code, 'bad_json');
});

test('a database failure is a 500 unexpected_failure with no detail leaked', async () => {
  const res = await app.request('/signup', { method: 'POST', body: JSON.stringify({ email: 'a@example.com', password: 'abcdefgh1' }) });
  assert.equal(res.status, 500);
  assert.deepEqual(await res.json(), { code: 500, error_code: 'unexpected_failure', msg: 'Unexpected failure, please check server logs for more information' });
});

test('/user without a bearer: 401 no_authorization', async () => {
  const res = await app.request('/user');
  assert.equal(res.status, 401);
  assert.equal(((await res.json()) as { error_code: string }).error_code, 'no_authorization');
});

test('unknown paths: Go’s plain 404', async () => {
  const res = await app.request('/nothing-here');
  assert.equal(res.status, 404);
  assert.equal(await res.text(), '404 page not found');
});
