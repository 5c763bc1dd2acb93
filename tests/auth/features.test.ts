// The auth features config.toml switches, as GoTrue does them: anonymous sign-ins, phone sign-in
// with `[auth.sms.test_otp]`, manual identity linking, reauthentication before a password change,
// GoTrue's JSON refusals of what is off (SAML, web3 and id_token grants, anonymous, linking,
// phone), and the sign-in/sign-up rate limit following `[auth.rate_limit] sign_in_sign_ups`.
// What the project's config.toml turns off is checked on the stack's own gateway; what it does not
// turn on runs on an auth-only gateway with AUTH_* overrides, against the same database.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import pg from 'pg';
import { env } from '../support/env.ts';
import { adminClient, anonClient, authFetch, jwtClaims, latestMail, PASSWORD, randomIp, sleep, startAuthGateway, uniqueEmail, type AuthGateway } from './helpers.ts';

const ip = randomIp();
const db = new pg.Pool({ connectionString: env.DB_URL, max: 2 });
let gw: AuthGateway;

/** Fresh numbers per run (the test instance keeps its users between runs of one file). */
const number = () => `1555${randomInt(1_000_000, 9_999_999)}`;
const PHONES = { signup: number(), otp: number(), change: number(), reauth: number() };
const CODES = { signup: '123456', otp: '654321', change: '111222', reauth: '333444' };

before(async () => {
  gw = await startAuthGateway({
    AUTH_ENABLE_ANONYMOUS_SIGN_INS: 'true',
    AUTH_ENABLE_MANUAL_LINKING: 'true',
    AUTH_EMAIL_ENABLE_CONFIRMATIONS: 'false',
    AUTH_EMAIL_SECURE_PASSWORD_CHANGE: 'true',
    AUTH_SMS_ENABLE_SIGNUP: 'true',
    AUTH_SMS_ENABLE_CONFIRMATIONS: 'true',
    AUTH_SMS_MAX_FREQUENCY: '5s',
    AUTH_SMS_TEST_OTP: Object.entries(PHONES)
      .map(([k, phone]) => `${phone}=${CODES[k as keyof typeof CODES]}`)
      .join(','),
    AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS: '60',
  });
});

after(async () => {
  await gw?.stop();
  await db.end();
});

describe('anonymous sign-ins', () => {
  test('off in config.toml: 422 anonymous_provider_disabled, as GoTrue answers', async () => {
    const { data, error } = await anonClient(ip).auth.signInAnonymously();
    assert.deepEqual(data, { user: null, session: null });
    assert.equal(error?.status, 422);
    assert.equal(error?.code, 'anonymous_provider_disabled');
    assert.equal(error?.message, 'Anonymous sign-ins are disabled');
  });

  test('on: is_anonymous in the token and on the user; updateUser with email and password converts it', async () => {
    const client = anonClient(ip, gw);
    const { data, error } = await client.auth.signInAnonymously();
    assert.equal(error, null);
    assert.equal(data.user!.is_anonymous, true);
    assert.equal(jwtClaims(data.session!.access_token).is_anonymous, true);
    const id = data.user!.id;
    // A password alone would leave an account nobody can sign in to.
    const alone = await client.auth.updateUser({ password: PASSWORD });
    assert.equal(alone.error?.status, 422);
    assert.equal(alone.error?.message, 'Updating password of an anonymous user without an email or phone is not allowed');

    const email = uniqueEmail('anon-convert');
    const converted = await client.auth.updateUser({ email, password: PASSWORD });
    assert.equal(converted.error, null);
    assert.equal(converted.data.user!.id, id);
    assert.equal(converted.data.user!.is_anonymous, false);
    assert.deepEqual(converted.data.user!.identities!.map((i) => [i.provider, i.identity_data!.email]), [['email', email]]);
    const signedIn = await anonClient(ip, gw).auth.signInWithPassword({ email, password: PASSWORD });
    assert.equal(signedIn.error, null);
    assert.equal(signedIn.data.user!.id, id);
    assert.equal(jwtClaims(signedIn.data.session!.access_token).is_anonymous, false);
  });
});

describe('phone sign-in with [auth.sms.test_otp]', () => {
  test('off in config.toml: the phone refusals GoTrue sends', async () => {
    const signUp = await anonClient(ip).auth.signUp({ phone: PHONES.signup, password: PASSWORD });
    assert.equal(signUp.error?.status, 400);
    assert.equal(signUp.error?.code, 'phone_provider_disabled');
    assert.equal(signUp.error?.message, 'Phone signups are disabled');
    const otp = await anonClient(ip).auth.signInWithOtp({ phone: PHONES.signup });
    assert.equal(otp.error?.code, 'phone_provider_disabled');
    assert.equal(otp.error?.message, 'Unsupported phone provider');
  });

  test('signUp with a phone: no session until the test code is verified (type sms); then password sign-in', async () => {
    const client = anonClient(ip, gw);
    const { data, error } = await client.auth.signUp({ phone: `+${PHONES.signup.slice(0, 4)} ${PHONES.signup.slice(4)}`, password: PASSWORD, options: { data: { nickname: 'ph' } } });
    assert.equal(error, null);
    assert.equal(data.session, null);
    assert.equal(data.user!.phone, PHONES.signup, 'stored as E.164 digits, "+" and spaces dropped');
    assert.equal(data.user!.phone_confirmed_at, undefined);
    assert.deepEqual(data.user!.app_metadata, { provider: 'phone', providers: ['phone'] });
    assert.deepEqual(data.user!.identities!.map((i) => i.provider), ['phone']);

    const unconfirmed = await client.auth.signInWithPassword({ phone: PHONES.signup, password: PASSWORD });
    assert.equal(unconfirmed.error?.code, 'phone_not_confirmed');
    assert.equal(unconfirmed.error?.message, 'Phone not confirmed');

    const early = await client.auth.resend({ type: 'sms', phone: PHONES.signup });
    assert.equal(early.error?.code, 'over_sms_send_rate_limit', 'max_frequency applies to resends too');
    await db.query("update auth.users set confirmation_sent_at = now() - interval '10 seconds' where id = $1", [data.user!.id]);
    const resent = await client.auth.resend({ type: 'sms', phone: PHONES.signup });
    assert.equal(resent.error, null);
    assert.equal(resent.data.messageId, 'test-otp');

    const wrong = await client.auth.verifyOtp({ phone: PHONES.signup, token: '000000', type: 'sms' });
    assert.equal(wrong.error?.status, 403);
    assert.equal(wrong.error?.code, 'otp_expired');
    assert.equal(wrong.error?.message, 'Token has expired or is invalid');

    const verified = await client.auth.verifyOtp({ phone: PHONES.signup, token: CODES.signup, type: 'sms' });
    assert.equal(verified.error, null);
    assert.ok(verified.data.user!.phone_confirmed_at);
    const claims = jwtClaims(verified.data.session!.access_token);
    assert.equal(claims.phone, PHONES.signup);
    assert.deepEqual((claims.amr as { method: string }[]).map((a) => a.method), ['otp']);

    const signedIn = await anonClient(ip, gw).auth.signInWithPassword({ phone: PHONES.signup, password: PASSWORD });
    assert.equal(signedIn.error, null);
    assert.equal(signedIn.data.user!.id, data.user!.id);
  });

  test('signInWithOtp creates the user, verifyOtp signs in; max_frequency holds the next SMS back', async () => {
    const client = anonClient(ip, gw);
    const sent = await client.auth.signInWithOtp({ phone: PHONES.otp });
    assert.equal(sent.error, null);
    const again = await client.auth.signInWithOtp({ phone: PHONES.otp });
    assert.equal(again.error?.status, 429);
    assert.equal(again.error?.code, 'over_sms_send_rate_limit');
    assert.match(again.error!.message, /^For security purposes, you can only request this after \d seconds\.$/);
    const { data, error } = await client.auth.verifyOtp({ phone: PHONES.otp, token: CODES.otp, type: 'sms' });
    assert.equal(error, null);
    assert.equal(data.user!.phone, PHONES.otp);
    // The code of another test number does not open this one.
    const cross = await anonClient(ip, gw).auth.verifyOtp({ phone: PHONES.otp, token: CODES.signup, type: 'sms' });
    assert.equal(cross.error?.code, 'otp_expired');
  });

  test("signing up with the unconfirmed email of a phone-confirmed user never signs in as them", async () => {
    const email = uniqueEmail('phone-victim');
    const { data: victim, error } = await adminClient(ip).auth.admin.createUser({ email, phone: number(), phone_confirm: true, password: PASSWORD });
    assert.equal(error, null);
    assert.ok(victim.user!.phone_confirmed_at);
    const { data, error: signUpError } = await anonClient(ip).auth.signUp({ email, password: 'Attacker-pass-1' });
    assert.equal(signUpError, null);
    assert.equal(data.session, null, 'no session: the email was not proven, the phone was not this sign-up');
    const attempt = await anonClient(ip).auth.signInWithPassword({ email, password: 'Attacker-pass-1' });
    assert.notEqual(attempt.error, null);
  });

  test('no SMS provider runs locally: numbers outside test_otp fail as GoTrue fails without one; WhatsApp is refused', async () => {
    const other = await anonClient(ip, gw).auth.signInWithOtp({ phone: number() });
    assert.equal(other.error?.status, 500);
    assert.equal(other.error?.message, 'Unable to get SMS provider');
    const whatsapp = await anonClient(ip, gw).auth.signInWithOtp({ phone: PHONES.signup, options: { channel: 'whatsapp' } });
    assert.equal(whatsapp.error?.status, 400);
    assert.match(whatsapp.error!.message, /^Invalid channel, supported values are 'sms' or 'whatsapp'/);
  });
});

describe('manual identity linking', () => {
  test('off in config.toml: linkIdentity and unlinkIdentity answer 404 manual_linking_disabled', async () => {
    const email = uniqueEmail('link-off');
    await adminClient(ip).auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    const client = anonClient(ip);
    await client.auth.signInWithPassword({ email, password: PASSWORD });
    const link = await client.auth.linkIdentity({ provider: 'google', options: { skipBrowserRedirect: true } });
    assert.equal(link.error?.status, 404);
    assert.equal(link.error?.code, 'manual_linking_disabled');
    assert.equal(link.error?.message, 'Manual linking is disabled');
    const { data } = await client.auth.getUserIdentities();
    const unlink = await client.auth.unlinkIdentity(data!.identities[0]!);
    assert.equal(unlink.error?.code, 'manual_linking_disabled');
  });

  test('on: a phone identity added by phone change can be unlinked; the last identity cannot', async () => {
    const email = uniqueEmail('link-on');
    const client = anonClient(ip, gw);
    assert.equal((await client.auth.signUp({ email, password: PASSWORD })).error, null);
    // Adding a phone: a phone_change code (the test code of the number) makes a phone identity.
    assert.equal((await client.auth.updateUser({ phone: PHONES.change })).error, null);
    const changed = await client.auth.verifyOtp({ phone: PHONES.change, token: CODES.change, type: 'phone_change' });
    assert.equal(changed.error, null);
    assert.equal(changed.data.user!.phone, PHONES.change);
    const { data: before } = await client.auth.getUserIdentities();
    assert.deepEqual(before!.identities.map((i) => i.provider).sort(), ['email', 'phone']);

    const phoneIdentity = before!.identities.find((i) => i.provider === 'phone')!;
    const unlinked = await client.auth.unlinkIdentity(phoneIdentity);
    assert.equal(unlinked.error, null);
    const { data: user } = await client.auth.getUser();
    assert.equal(user.user!.phone, '');
    assert.deepEqual(user.user!.app_metadata.providers, ['email']);

    const last = await client.auth.unlinkIdentity(before!.identities.find((i) => i.provider === 'email')!);
    assert.equal(last.error?.status, 422);
    assert.equal(last.error?.code, 'single_identity_not_deletable');
    assert.equal(last.error?.message, 'User must have at least 1 identity after unlinking');
  });

  test("another user's identity cannot be unlinked; OAuth providers cannot be linked offline", async () => {
    const victim = anonClient(ip, gw);
    await victim.auth.signUp({ email: uniqueEmail('link-victim'), password: PASSWORD });
    const victimIdentity = (await victim.auth.getUserIdentities()).data!.identities[0]!;
    const mallory = anonClient(ip, gw);
    await mallory.auth.signUp({ email: uniqueEmail('link-mallory'), password: PASSWORD });
    const token = (await mallory.auth.getSession()).data.session!.access_token;
    // Mallory has one identity: the count rule answers first, as in GoTrue.
    const raw = await authFetch(`/user/identities/${victimIdentity.identity_id}`, { method: 'DELETE', bearer: token, ip, target: gw });
    assert.equal(raw.status, 422);
    assert.equal((await db.query('select 1 from auth.identities where id = $1', [victimIdentity.identity_id])).rows.length, 1);
    const link = await mallory.auth.linkIdentity({ provider: 'google', options: { skipBrowserRedirect: true } });
    assert.equal(link.error?.status, 400);
    assert.equal(link.error?.message, 'Unsupported provider: provider is not enabled');
  });
});

describe('reauthentication (secure_password_change)', () => {
  test('a session older than a day needs the emailed nonce to change the password', async () => {
    const email = uniqueEmail('reauth');
    const client = anonClient(ip, gw);
    const { data } = await client.auth.signUp({ email, password: PASSWORD });
    await db.query("update auth.sessions set created_at = now() - interval '25 hours' where id = $1", [jwtClaims(data.session!.access_token).session_id]);
    const needed = await client.auth.updateUser({ password: 'Fresh-pass-2026' });
    assert.equal(needed.error?.status, 400);
    assert.equal(needed.error?.code, 'reauthentication_needed');
    const reauth = await client.auth.reauthenticate();
    assert.equal(reauth.error, null);
    assert.deepEqual(reauth.data, { user: null, session: null });
    const nonce = (await latestMail(email, 'reauthentication', gw)).otp!;
    const wrong = await client.auth.updateUser({ password: 'Fresh-pass-2026', nonce: nonce === '000000' ? '111111' : '000000' });
    assert.equal(wrong.error?.code, 'reauthentication_not_valid');
    assert.equal(wrong.error?.message, 'Nonce has expired or is invalid');
    assert.equal((await client.auth.updateUser({ password: 'Fresh-pass-2026', nonce })).error, null);
    assert.equal((await anonClient(ip, gw).auth.signInWithPassword({ email, password: 'Fresh-pass-2026' })).error, null);
  });

  test('a phone-only user is reauthenticated by SMS (the test code)', async () => {
    const client = anonClient(ip, gw);
    await client.auth.signInWithOtp({ phone: PHONES.reauth });
    await client.auth.verifyOtp({ phone: PHONES.reauth, token: CODES.reauth, type: 'sms' });
    await sleep(5100); // the number's max_frequency since the sign-in code
    const { error } = await client.auth.reauthenticate();
    assert.equal(error, null);
    const [row] = (await db.query<{ sent: boolean }>('select reauthentication_sent_at is not null as sent from auth.users where phone = $1', [PHONES.reauth])).rows;
    assert.equal(row!.sent, true);
  });
});

describe("what is off answers with GoTrue's JSON errors", () => {
  test('SAML SSO: 404 saml_provider_disabled "SAML 2.0 is disabled"', async () => {
    const { data, error } = await anonClient(ip).auth.signInWithSSO({ domain: 'example.com' });
    assert.equal(data, null);
    assert.equal(error?.status, 404);
    assert.equal(error?.code, 'saml_provider_disabled');
    assert.equal(error?.message, 'SAML 2.0 is disabled');
    const metadata = await authFetch('/sso/saml/metadata', { ip });
    assert.equal(metadata.status, 404);
    assert.deepEqual(metadata.body, { code: 404, error_code: 'saml_provider_disabled', msg: 'SAML 2.0 is disabled' });
  });

  test('web3 grant: 422 web3_provider_disabled', async () => {
    const { data, error } = await anonClient(ip).auth.signInWithWeb3({ chain: 'ethereum', message: 'sign in', signature: '0x00' as `0x${string}` });
    assert.deepEqual(data, { user: null, session: null });
    assert.equal(error?.status, 422);
    assert.equal(error?.code, 'web3_provider_disabled');
    assert.equal(error?.message, 'Web3 provider is disabled');
  });

  test('id_token grant: a disabled provider is 400 provider_disabled; a missing token the OAuth error', async () => {
    const { data, error } = await anonClient(ip).auth.signInWithIdToken({ provider: 'google', token: 'not-a-jwt' });
    assert.deepEqual(data, { user: null, session: null });
    assert.equal(error?.status, 400);
    assert.equal(error?.code, 'provider_disabled');
    assert.equal(error?.message, 'Provider (issuer "https://accounts.google.com") is not enabled');
    const custom = await anonClient(ip).auth.signInWithIdToken({ provider: 'custom:acme', token: 'x' });
    assert.equal(custom.error?.message, 'Custom OAuth providers are disabled');
    const missing = await authFetch('/token?grant_type=id_token', { body: { provider: 'google' }, ip });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, { error: 'invalid request', error_description: 'id_token required' });
  });

  test('an unknown grant type and an unknown path keep GoTrue\'s answers', async () => {
    const grant = await authFetch('/token?grant_type=magic', { body: {}, ip });
    assert.deepEqual(grant.body, { code: 400, error_code: 'invalid_credentials', msg: 'unsupported_grant_type' });
    const path = await authFetch('/no-such-route', { ip });
    assert.equal(path.status, 404);
    assert.equal(path.text, '404 page not found');
  });
});

describe('[auth.rate_limit] sign_in_sign_ups', () => {
  test('N requests per client per 5 minutes (never a burst below 30), then refilled at N per 5 minutes', async () => {
    const attempt = async (clientIp: string, target?: AuthGateway) =>
      (await authFetch('/signup', { body: { email: uniqueEmail('rl'), password: '' }, ip: clientIp, target })).status;
    // config.toml: 30.
    const slowIp = randomIp();
    const slow: number[] = [];
    for (let i = 0; i < 31; i++) slow.push(await attempt(slowIp));
    assert.ok(slow.slice(0, 30).every((s) => s === 400), 'the first 30 reach the handler (and fail validation)');
    assert.equal(slow[30], 429, 'the 31st is over the limit');
    assert.deepEqual(
      (await authFetch('/signup', { body: { email: uniqueEmail('rl'), password: '' }, ip: slowIp })).body,
      { code: 429, error_code: 'over_request_rate_limit', msg: 'Request rate limit reached' },
    );
    // The gateway: 60, so 60 at once; the refill (one every 5 s) adds at most one while we ask.
    const fastIp = randomIp();
    const fast: number[] = [];
    for (let i = 0; i < 66; i++) fast.push(await attempt(fastIp, gw));
    assert.ok(fast.slice(0, 60).every((s) => s === 400), `60 allowed: ${fast.indexOf(429)}`);
    const passed = fast.filter((s) => s === 400).length;
    assert.ok(passed >= 60 && passed <= 62, `${passed} of 66 passed`);
    assert.equal(fast[65], 429);
    // Another client is not affected.
    assert.equal(await attempt(randomIp()), 400);
  });
});
