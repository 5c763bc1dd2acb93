// `[auth] enable_signup = false`, as GoTrue's GOTRUE_DISABLE_SIGNUP does it (auth-js's docker-test
// signup-disabled runs against such a GoTrue): nobody signs themselves up (password, magic link,
// anonymous), while the people already there still sign in and the service role still creates
// and invites users. Runs on an auth-only gateway with AUTH_ENABLE_SIGNUP=false over the test
// database; the stack's own gateway keeps the project's settings.
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import pg from 'pg';
import { env } from '../support/env.ts';
import { adminClient, anonClient, authFetch, PASSWORD, randomIp, startAuthGateway, uniqueEmail, type AuthGateway } from './helpers.ts';

const ip = randomIp();
const db = new pg.Pool({ connectionString: env.DB_URL, max: 1 });
let gw: AuthGateway;

before(async () => {
  gw = await startAuthGateway({ AUTH_ENABLE_SIGNUP: 'false', AUTH_ENABLE_ANONYMOUS_SIGN_INS: 'true' });
});

after(async () => {
  await gw?.stop();
  await db.end();
});

describe('signups off', () => {
  test('/settings says so', async () => {
    const res = await authFetch('/settings', { target: gw, ip });
    assert.equal(res.status, 200);
    assert.equal((res.body as { disable_signup: boolean }).disable_signup, true);
  });

  test('signUp with a password: 422 signup_disabled, no user made', async () => {
    const email = uniqueEmail('nosignup');
    const { data, error } = await anonClient(ip, gw).auth.signUp({ email, password: PASSWORD });
    assert.equal(data.user, null);
    assert.equal(error?.status, 422);
    assert.equal(error?.code, 'signup_disabled');
    assert.equal(error?.message, 'Signups not allowed for this instance');
    const { rows } = await db.query('select 1 from auth.users where email = $1', [email]);
    assert.equal(rows.length, 0, 'the refused sign-up left no user behind');
  });

  test('a magic link to a new address signs nobody up; anonymous sign-in is a sign-up too', async () => {
    const otp = await anonClient(ip, gw).auth.signInWithOtp({ email: uniqueEmail('nosignup-otp') });
    assert.equal(otp.error?.status, 422);
    assert.equal(otp.error?.code, 'signup_disabled');
    assert.equal(otp.error?.message, 'Signups not allowed for this instance');

    const anon = await anonClient(ip, gw).auth.signInAnonymously();
    assert.equal(anon.data.session, null);
    assert.equal(anon.error?.code, 'signup_disabled');
    assert.equal(anon.error?.message, 'Signups not allowed for this instance');
  });

  test('the service role still creates users, and they sign in', async () => {
    const email = uniqueEmail('nosignup-admin');
    const created = await adminClient(ip, gw).auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    assert.equal(created.error, null);
    const signedIn = await anonClient(ip, gw).auth.signInWithPassword({ email, password: PASSWORD });
    assert.equal(signedIn.error, null);
    assert.equal(signedIn.data.user!.id, created.data.user!.id);
  });
});
