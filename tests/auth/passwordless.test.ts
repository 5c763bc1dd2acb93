// Everything that goes through an email: password recovery (code and link), magic links and
// email OTP (with and without creating the user), resend, and the PKCE variant of the links.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { testClient } from '../support/client.ts';
import { env } from '../support/env.ts';
import { adminClient, anonClient, authFetch, clickLink, fragmentParams, jwtClaims, latestMail, mailbox, PASSWORD, randomIp, sleep, uniqueEmail } from './helpers.ts';

const ip = randomIp();

async function confirmedUser(tag: string): Promise<string> {
  const email = uniqueEmail(tag);
  const { error } = await adminClient(ip).auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  assert.equal(error, null);
  return email;
}

describe('password recovery', () => {
  test('recover answers {} for known and unknown addresses alike; only the known gets mail', async () => {
    const email = await confirmedUser('recover');
    const ghost = uniqueEmail('ghost');
    const client = anonClient(ip);
    assert.deepEqual(await client.auth.resetPasswordForEmail(email), { data: {}, error: null });
    assert.deepEqual(await client.auth.resetPasswordForEmail(ghost), { data: {}, error: null });
    assert.equal((await mailbox(ghost)).length, 0);
    const mail = await latestMail(email, 'recovery');
    assert.equal(mail.subject, 'Reset your password');

    // The code signs in (amr otp) and the new password is set from that session.
    const { data, error } = await client.auth.verifyOtp({ email, token: mail.otp!, type: 'recovery' });
    assert.equal(error, null);
    assert.equal(data.user!.email, email);
    assert.deepEqual((jwtClaims(data.session!.access_token).amr as { method: string }[]).map((a) => a.method), ['otp']);
    const updated = await client.auth.updateUser({ password: 'Recovered-pass-3' });
    assert.equal(updated.error, null);
    assert.equal((await anonClient(ip).auth.signInWithPassword({ email, password: 'Recovered-pass-3' })).error, null);

    // The code is spent.
    const again = await anonClient(ip).auth.verifyOtp({ email, token: mail.otp!, type: 'recovery' });
    assert.equal(again.error?.code, 'otp_expired');
  });

  test('the recovery link honours an allowed redirect_to and refuses others (falls back to site_url)', async () => {
    const email = await confirmedUser('recover-link');
    const client = anonClient(ip);
    assert.equal((await client.auth.resetPasswordForEmail(email, { redirectTo: 'http://127.0.0.1:5173/reset?x=1' })).error, null);
    const mail = await latestMail(email, 'recovery');
    assert.equal(mail.redirect_to, 'http://127.0.0.1:5173/reset?x=1');
    assert.ok(mail.action_link!.endsWith('&type=recovery&redirect_to=http%3A%2F%2F127.0.0.1%3A5173%2Freset%3Fx%3D1'), mail.action_link!);
    const { status, location } = await clickLink(mail.action_link!);
    assert.equal(status, 303);
    assert.ok(location.startsWith('http://127.0.0.1:5173/reset?x=1#access_token='), location);
    assert.equal(fragmentParams(location).type, 'recovery');

    await sleep(1100);
    assert.equal((await client.auth.resetPasswordForEmail(email, { redirectTo: 'https://evil.example.net/' })).error, null);
    assert.equal((await latestMail(email, 'recovery')).redirect_to, 'http://127.0.0.1:5173');
  });

  test('recover without an address: 400 validation_failed', async () => {
    const r = await authFetch('/recover', { body: { email: '' }, ip });
    assert.deepEqual(r.body, { code: 400, error_code: 'validation_failed', msg: 'Password recovery requires an email' });
  });
});

describe('magic link and email OTP', () => {
  test('a confirmed user gets a sign-in link and code; the code signs in', async () => {
    const email = await confirmedUser('magic');
    const client = anonClient(ip);
    assert.deepEqual(await client.auth.signInWithOtp({ email }), { data: { user: null, session: null }, error: null });
    const mail = await latestMail(email, 'magiclink');
    assert.equal(mail.subject, 'Your sign-in link');
    const { data, error } = await client.auth.verifyOtp({ email, token: mail.otp!, type: 'email' });
    assert.equal(error, null);
    assert.equal(data.session!.user.email, email);
  });

  test('the magic link signs in by redirect', async () => {
    const email = await confirmedUser('magic-link');
    assert.equal((await anonClient(ip).auth.signInWithOtp({ email })).error, null);
    const { status, location } = await clickLink((await latestMail(email, 'magiclink')).action_link!);
    assert.equal(status, 303);
    const f = fragmentParams(location);
    assert.equal(f.type, 'magiclink');
    assert.equal(jwtClaims(f.access_token!).email, email);
  });

  test('a new address with create_user: a confirmation email, and its code signs in', async () => {
    const email = uniqueEmail('otp-new');
    const client = anonClient(ip);
    assert.equal((await client.auth.signInWithOtp({ email, options: { data: { plan: 'free' } } })).error, null);
    const mail = await latestMail(email, 'signup');
    const { data, error } = await client.auth.verifyOtp({ email, token: mail.otp!, type: 'email' });
    assert.equal(error, null);
    assert.equal(data.user!.user_metadata.plan, 'free');
    assert.equal(data.user!.user_metadata.email_verified, true);
  });

  test('a new address with create_user false: 422 otp_disabled', async () => {
    const { data, error } = await anonClient(ip).auth.signInWithOtp({ email: uniqueEmail('otp-none'), options: { shouldCreateUser: false } });
    assert.deepEqual(data, { user: null, session: null });
    assert.equal(error?.code, 'otp_disabled');
    assert.equal(error?.status, 422);
    assert.equal(error?.message, 'Signups not allowed for otp');
  });
});

describe('resend', () => {
  test('resend signup sends a new confirmation; for a confirmed user it is a silent {}', async () => {
    const email = uniqueEmail('resend');
    const client = anonClient(ip);
    assert.equal((await client.auth.signUp({ email, password: PASSWORD })).error, null);
    const first = await latestMail(email, 'signup');
    await sleep(1100);
    assert.deepEqual(await client.auth.resend({ type: 'signup', email }), { data: { user: null, session: null }, error: null });
    const second = await latestMail(email, 'signup');
    assert.notEqual(second.id, first.id);
    // Only the newest code is valid.
    assert.equal((await client.auth.verifyOtp({ email, token: first.otp!, type: 'signup' })).error?.code, 'otp_expired');
    assert.equal((await client.auth.verifyOtp({ email, token: second.otp!, type: 'signup' })).error, null);
    await sleep(1100);
    assert.equal((await client.auth.resend({ type: 'signup', email })).error, null);
    assert.equal((await mailbox(email)).length, 2);
  });

  test('an unknown type: 400 validation_failed', async () => {
    const r = await authFetch('/resend', { body: { type: 'fax', email: uniqueEmail('x') }, ip });
    assert.deepEqual(r.body, { code: 400, error_code: 'validation_failed', msg: 'Missing one of these types: signup, email_change, sms, phone_change' });
  });
});

describe('PKCE', () => {
  test('sign-up link → ?code= → exchangeCodeForSession', async () => {
    const email = uniqueEmail('pkce');
    const client = testClient(env.ANON_KEY, undefined, { auth: { flowType: 'pkce' }, global: { headers: { 'X-Forwarded-For': ip } } });
    assert.equal((await client.auth.signUp({ email, password: PASSWORD })).error, null);
    const mail = await latestMail(email, 'signup');
    assert.ok(mail.token_hash!.startsWith('pkce_'));
    const { status, location } = await clickLink(mail.action_link!);
    assert.equal(status, 303);
    const code = new URL(location).searchParams.get('code');
    assert.match(code ?? '', /^[0-9a-f-]{36}$/);
    const { data, error } = await client.auth.exchangeCodeForSession(code!);
    assert.equal(error, null);
    assert.equal(data.user!.email, email);
    assert.deepEqual((jwtClaims(data.session!.access_token).amr as { method: string }[]).map((a) => a.method), ['email/signup']);
    // The code is single-use.
    const again = await authFetch('/token?grant_type=pkce', { body: { auth_code: code, code_verifier: 'x'.repeat(43) }, ip });
    assert.equal(again.status, 404);
    assert.deepEqual(again.body, { code: 404, error_code: 'flow_state_not_found', msg: 'invalid flow state, no valid flow state found' });
  });
});
