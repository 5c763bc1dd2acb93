// MFA with TOTP, as supabase-js drives it (`auth.mfa.*`) against GoTrue's rules: enrol, challenge,
// verify, unenrol; `aal2` and the `totp` AMR in the access token after verifying, kept by refresh;
// the weaker sessions end; aal1 sessions cannot add or remove factors nor change the password; a
// row-level-security policy on `(auth.jwt()->>'aal') = 'aal2'` shows the row only to the aal2 token.
// The project's config.toml leaves MFA off (checked on the stack's own gateway); the rest runs on an
// auth-only gateway with `[auth.mfa.totp]` switched on through AUTH_* overrides.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import pg from 'pg';
import type { SupabaseClient } from '@supabase/supabase-js';
import { testClient } from '../support/client.ts';
import { env } from '../support/env.ts';
import { adminClient, anonClient, authFetch, jwtClaims, PASSWORD, randomIp, startAuthGateway, uniqueEmail, type AuthGateway } from './helpers.ts';

const ip = randomIp();
const db = new pg.Pool({ connectionString: env.DB_URL, max: 2 });
let gw: AuthGateway;

/** RFC 6238 with SHA-1, six digits, 30-second steps, written here independently of the server. */
function totp(secretBase32: string, at = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secretBase32.replace(/=+$/, '')) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const RLS_SQL = `
drop table if exists public.authf_mfa_vault;
create table public.authf_mfa_vault (owner uuid primary key, secret text not null);
alter table public.authf_mfa_vault enable row level security;
create policy authf_mfa_vault_select_aal2 on public.authf_mfa_vault for select to authenticated
  using (owner = (select auth.uid()) and (select auth.jwt() ->> 'aal') = 'aal2');
grant select on public.authf_mfa_vault to authenticated;
notify pgrst, 'reload schema';
`;

before(async () => {
  await db.query(RLS_SQL);
  gw = await startAuthGateway({
    AUTH_MFA_TOTP_ENROLL_ENABLED: 'true',
    AUTH_MFA_TOTP_VERIFY_ENABLED: 'true',
    AUTH_MFA_MAX_ENROLLED_FACTORS: '3',
    AUTH_MFA_PHONE_ENROLL_ENABLED: 'true',
    AUTH_MFA_PHONE_VERIFY_ENABLED: 'true',
    AUTH_EMAIL_ENABLE_CONFIRMATIONS: 'false',
    AUTH_ENABLE_ANONYMOUS_SIGN_INS: 'true',
  });
});

after(async () => {
  await gw?.stop();
  await db.query('drop table if exists public.authf_mfa_vault; notify pgrst, \'reload schema\';');
  await db.end();
});

/** A confirmed user signed in with a password on the MFA gateway. */
async function signedIn(tag: string, clientIp = ip): Promise<{ client: SupabaseClient; email: string; id: string }> {
  const email = uniqueEmail(tag);
  const { data: created } = await adminClient(clientIp, gw).auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  const client = anonClient(clientIp, gw);
  const { error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
  assert.equal(error, null);
  return { client, email, id: created.user!.id };
}

/** Enrols and verifies a TOTP factor: the aal2 session and the factor's secret. */
async function withVerifiedFactor(client: SupabaseClient): Promise<{ factorId: string; secret: string; accessToken: string; refreshToken: string }> {
  const { data: enrolled, error } = await client.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'phone app' });
  assert.equal(error, null);
  const { data: verified, error: verifyError } = await client.auth.mfa.challengeAndVerify({ factorId: enrolled!.id, code: totp(enrolled!.totp.secret) });
  assert.equal(verifyError, null);
  return { factorId: enrolled!.id, secret: enrolled!.totp.secret, accessToken: verified!.access_token, refreshToken: verified!.refresh_token };
}

describe('MFA off (the project config.toml)', () => {
  test('enroll answers 422 mfa_totp_enroll_not_enabled, as GoTrue does', async () => {
    const email = uniqueEmail('mfa-off');
    await adminClient(ip).auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    const client = anonClient(ip);
    await client.auth.signInWithPassword({ email, password: PASSWORD });
    const { data, error } = await client.auth.mfa.enroll({ factorType: 'totp' });
    assert.equal(data, null);
    assert.equal(error?.status, 422);
    assert.equal(error?.code, 'mfa_totp_enroll_not_enabled');
    assert.equal(error?.message, 'MFA enroll is disabled for TOTP');
  });
});

describe('TOTP enrolment', () => {
  test('returns the secret, its otpauth URI and a QR code as SVG; the factor is unverified', async () => {
    const { client, email } = await signedIn('mfa-enroll');
    const { data, error } = await client.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'laptop' });
    assert.equal(error, null);
    assert.equal(data!.type, 'totp');
    assert.equal(data!.friendly_name, 'laptop');
    assert.match(data!.totp.secret, /^[A-Z2-7]{32}$/);
    const uri = new URL(data!.totp.uri);
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.searchParams.get('secret'), data!.totp.secret);
    assert.equal(uri.searchParams.get('issuer'), '127.0.0.1:5173', 'the site_url host, as GoTrue defaults the issuer');
    assert.ok(decodeURIComponent(uri.pathname).endsWith(`:${email}`));
    // supabase-js turns the SVG into a data URL.
    assert.match(data!.totp.qr_code, /^data:image\/svg\+xml;utf-8,<svg/);
    const factors = await client.auth.mfa.listFactors();
    assert.equal(factors.data!.totp.length, 0, 'only verified factors are listed by type');
    assert.deepEqual(factors.data!.all.map((f) => [f.id, f.status, f.factor_type]), [[data!.id, 'unverified', 'totp']]);
    const aal = await client.auth.mfa.getAuthenticatorAssuranceLevel();
    assert.deepEqual([aal.data!.currentLevel, aal.data!.nextLevel], ['aal1', 'aal1']);
  });

  test('a second factor with the same name: 422 mfa_factor_name_conflict; past max_enrolled_factors: 422', async () => {
    const { client } = await signedIn('mfa-names');
    assert.equal((await client.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'a' })).error, null);
    const dup = await client.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'a' });
    assert.equal(dup.error?.code, 'mfa_factor_name_conflict');
    assert.equal(dup.error?.message, 'A factor with the friendly name "a" for this user already exists');
    assert.equal((await client.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'b' })).error, null);
    assert.equal((await client.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'c' })).error, null);
    const fourth = await client.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'd' });
    assert.equal(fourth.error?.status, 422);
    assert.equal(fourth.error?.code, 'too_many_enrolled_mfa_factors');
  });

  test('phone factors enrol but cannot be challenged without an SMS provider; WebAuthn is refused; an unknown type is 400', async () => {
    const { client } = await signedIn('mfa-types');
    const phone = await client.auth.mfa.enroll({ factorType: 'phone', phone: '+14155550100', friendlyName: 'my phone' });
    assert.equal(phone.error, null);
    assert.deepEqual([phone.data!.type, phone.data!.friendly_name, phone.data!.phone], ['phone', 'my phone', '+14155550100']);
    const { data: factors } = await client.auth.mfa.listFactors();
    assert.deepEqual(factors!.all.map((f) => [f.factor_type, f.status, (f as { phone?: string }).phone]), [['phone', 'unverified', '14155550100']]);
    const challenge = await client.auth.mfa.challenge({ factorId: phone.data!.id });
    assert.equal(challenge.error?.status, 500);
    assert.equal(challenge.error?.message, 'Failed to get SMS provider');
    const webauthn = await authFetch('/factors', { body: { factor_type: 'webauthn' }, bearer: (await client.auth.getSession()).data.session!.access_token, ip, target: gw });
    assert.equal((webauthn.body as { error_code: string }).error_code, 'mfa_webauthn_enroll_not_enabled');
    const raw = await authFetch('/factors', { body: { factor_type: 'sms' }, bearer: (await client.auth.getSession()).data.session!.access_token, ip, target: gw });
    assert.equal(raw.status, 400);
    assert.deepEqual(raw.body, { code: 400, error_code: 'validation_failed', msg: 'factor_type needs to be totp, phone, or webauthn' });
  });

  test('an anonymous user cannot enrol', async () => {
    const client = anonClient(ip, gw);
    assert.equal((await client.auth.signInAnonymously()).error, null);
    const { error } = await client.auth.mfa.enroll({ factorType: 'totp' });
    assert.equal(error?.status, 403);
    assert.equal(error?.code, 'no_authorization');
    assert.equal(error?.message, 'Anonymous user not allowed to perform these actions');
  });

  test('without a session: refused (no token: 401; the anon key supabase-js sends: 403 bad_jwt)', async () => {
    const { data, error } = await anonClient(ip, gw).auth.mfa.enroll({ factorType: 'totp' });
    assert.equal(data, null);
    assert.equal(error?.status, 403);
    assert.equal(error?.code, 'bad_jwt');
    assert.equal(error?.message, 'invalid claim: missing sub claim');
    const raw = await fetch(`${gw.url}/auth/v1/factors`, { method: 'POST', body: '{"factor_type":"totp"}', headers: { apikey: gw.anonKey, 'X-Forwarded-For': ip } });
    assert.equal(raw.status, 401);
    assert.deepEqual(await raw.json(), { code: 401, error_code: 'no_authorization', msg: 'This endpoint requires a valid Bearer token' });
  });
});

describe('challenge and verify', () => {
  test('a wrong code: 422 mfa_verification_failed, the session stays aal1', async () => {
    const { client } = await signedIn('mfa-wrong');
    const { data: f } = await client.auth.mfa.enroll({ factorType: 'totp' });
    const { data: ch, error: chError } = await client.auth.mfa.challenge({ factorId: f!.id });
    assert.equal(chError, null);
    assert.equal(ch!.type, 'totp');
    const lifetime = ch!.expires_at - Math.floor(Date.now() / 1000);
    assert.ok(lifetime > 290 && lifetime <= 300, `challenge expires in ${lifetime}s`);
    const wrong = String((Number(totp(f!.totp.secret)) + 500_000) % 1_000_000).padStart(6, '0');
    const { data, error } = await client.auth.mfa.verify({ factorId: f!.id, challengeId: ch!.id, code: wrong });
    assert.equal(data, null);
    assert.equal(error?.status, 422);
    assert.equal(error?.code, 'mfa_verification_failed');
    assert.equal(error?.message, 'Invalid TOTP code entered');
    // A code of 90 seconds ago is outside the one-step window.
    const stale = await client.auth.mfa.verify({ factorId: f!.id, challengeId: ch!.id, code: totp(f!.totp.secret, Date.now() - 90_000) });
    assert.equal(stale.error?.code, 'mfa_verification_failed');
    const session = (await client.auth.getSession()).data.session!;
    assert.equal(jwtClaims(session.access_token).aal, 'aal1');
  });

  test('the right code: aal2 and the totp AMR in the token, kept by refresh; weaker sessions end', async () => {
    const { client, email, id } = await signedIn('mfa-ok');
    const other = anonClient(ip, gw);
    const otherSession = (await other.auth.signInWithPassword({ email, password: PASSWORD })).data.session!;
    const { factorId, accessToken, refreshToken } = await withVerifiedFactor(client);
    const claims = jwtClaims(accessToken);
    assert.equal(claims.aal, 'aal2');
    assert.equal(claims.sub, id);
    assert.deepEqual((claims.amr as { method: string }[]).map((a) => a.method).sort(), ['password', 'totp']);
    const aal = await client.auth.mfa.getAuthenticatorAssuranceLevel();
    assert.deepEqual([aal.data!.currentLevel, aal.data!.nextLevel], ['aal2', 'aal2']);
    const factors = await client.auth.mfa.listFactors();
    assert.deepEqual(factors.data!.totp.map((f) => [f.id, f.status]), [[factorId, 'verified']]);

    const refreshed = await client.auth.refreshSession({ refresh_token: refreshToken });
    assert.equal(refreshed.error, null);
    assert.equal(jwtClaims(refreshed.data.session!.access_token).aal, 'aal2');
    const [row] = (await db.query<{ aal: string; factor_id: string }>('select aal, factor_id from auth.sessions where id = $1', [claims.session_id])).rows;
    assert.deepEqual(row, { aal: 'aal2', factor_id: factorId });

    // The aal1 session signed in before the factor was verified is gone, its refresh tokens with it.
    const stale = await other.auth.refreshSession({ refresh_token: otherSession.refresh_token });
    assert.equal(stale.error?.code, 'refresh_token_not_found');
    assert.equal((await db.query('select 1 from auth.sessions where id = $1', [jwtClaims(otherSession.access_token).session_id])).rows.length, 0);

    // A new password sign-in is aal1 with aal2 as the next level.
    const later = anonClient(ip, gw);
    await later.auth.signInWithPassword({ email, password: PASSWORD });
    const next = await later.auth.mfa.getAuthenticatorAssuranceLevel();
    assert.deepEqual([next.data!.currentLevel, next.data!.nextLevel], ['aal1', 'aal2']);
  });

  test('a challenge is single-use and bound to the address it was made from', async () => {
    const { client } = await signedIn('mfa-once');
    const { data: f } = await client.auth.mfa.enroll({ factorType: 'totp' });
    const { data: ch } = await client.auth.mfa.challenge({ factorId: f!.id });
    assert.equal((await client.auth.mfa.verify({ factorId: f!.id, challengeId: ch!.id, code: totp(f!.totp.secret) })).error, null);
    const replay = await client.auth.mfa.verify({ factorId: f!.id, challengeId: ch!.id, code: totp(f!.totp.secret) });
    assert.equal(replay.error?.code, 'mfa_ip_address_mismatch');

    const { data: ch2 } = await client.auth.mfa.challenge({ factorId: f!.id });
    const token = (await client.auth.getSession()).data.session!.access_token;
    const elsewhere = await authFetch(`/factors/${f!.id}/verify`, { body: { challenge_id: ch2!.id, code: totp(f!.totp.secret) }, bearer: token, ip: randomIp(), target: gw });
    assert.equal(elsewhere.status, 422);
    assert.deepEqual(elsewhere.body, { code: 422, error_code: 'mfa_ip_address_mismatch', msg: 'Challenge and verify IP addresses mismatch.' });
  });

  test('an expired challenge: 422 mfa_challenge_expired, and it is deleted', async () => {
    const { client } = await signedIn('mfa-expired');
    const { data: f } = await client.auth.mfa.enroll({ factorType: 'totp' });
    const { data: ch } = await client.auth.mfa.challenge({ factorId: f!.id });
    await db.query("update auth.mfa_challenges set created_at = now() - interval '301 seconds' where id = $1", [ch!.id]);
    const { error } = await client.auth.mfa.verify({ factorId: f!.id, challengeId: ch!.id, code: totp(f!.totp.secret) });
    assert.equal(error?.code, 'mfa_challenge_expired');
    assert.equal(error?.message, `MFA challenge ${ch!.id} has expired, verify against another challenge or create a new challenge.`);
    assert.equal((await db.query('select 1 from auth.mfa_challenges where id = $1', [ch!.id])).rows.length, 0);
  });

  test("another user's factor is not found, whatever is asked of it", async () => {
    const alice = await signedIn('mfa-alice');
    const { data: f } = await alice.client.auth.mfa.enroll({ factorType: 'totp' });
    const mallory = await signedIn('mfa-mallory');
    const challenge = await mallory.client.auth.mfa.challenge({ factorId: f!.id });
    assert.equal(challenge.error?.status, 404);
    assert.equal(challenge.error?.code, 'mfa_factor_not_found');
    const unenroll = await mallory.client.auth.mfa.unenroll({ factorId: f!.id });
    assert.equal(unenroll.error?.code, 'mfa_factor_not_found');
    const { data: ch } = await alice.client.auth.mfa.challenge({ factorId: f!.id });
    const verify = await mallory.client.auth.mfa.verify({ factorId: f!.id, challengeId: ch!.id, code: totp(f!.totp.secret) });
    assert.equal(verify.error?.code, 'mfa_factor_not_found');
    assert.equal((await db.query("select status from auth.mfa_factors where id = $1", [f!.id])).rows[0].status, 'unverified');
  });
});

describe('what an aal1 session may not do once a factor is verified', () => {
  test('add a factor (403), remove one (422), change the password (401 insufficient_aal)', async () => {
    const { client, email } = await signedIn('mfa-aal1');
    const { factorId } = await withVerifiedFactor(client);
    const weak = anonClient(ip, gw);
    await weak.auth.signInWithPassword({ email, password: PASSWORD });
    const enroll = await weak.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'second' });
    assert.equal(enroll.error?.status, 403);
    assert.equal(enroll.error?.code, 'insufficient_aal');
    assert.equal(enroll.error?.message, 'AAL2 required to enroll a new factor');
    const unenroll = await weak.auth.mfa.unenroll({ factorId });
    assert.equal(unenroll.error?.status, 422);
    assert.equal(unenroll.error?.code, 'insufficient_aal');
    assert.equal(unenroll.error?.message, 'AAL2 required to unenroll verified factor');
    const password = await weak.auth.updateUser({ password: 'Another-pass-77' });
    assert.equal(password.error?.status, 401);
    assert.equal(password.error?.code, 'insufficient_aal');
    assert.equal((await client.auth.updateUser({ password: 'Another-pass-77' })).error, null, 'the aal2 session may');
  });

  test('unenrolling at aal2 removes the factor; the next token is aal1 again', async () => {
    const { client } = await signedIn('mfa-unenroll');
    const { factorId, refreshToken } = await withVerifiedFactor(client);
    const { data, error } = await client.auth.mfa.unenroll({ factorId });
    assert.equal(error, null);
    assert.equal(data!.id, factorId);
    const factors = await client.auth.mfa.listFactors();
    assert.deepEqual([factors.data!.all.length, factors.data!.totp.length], [0, 0]);
    const refreshed = await client.auth.refreshSession({ refresh_token: refreshToken });
    const claims = jwtClaims(refreshed.data.session!.access_token);
    assert.equal(claims.aal, 'aal1');
    assert.deepEqual((claims.amr as { method: string }[]).map((a) => a.method), ['password']);
  });
});

describe('row-level security on the aal claim', () => {
  test("a policy requiring aal2 shows the row to the aal2 token only, never to another user's", async () => {
    const { client, id } = await signedIn('mfa-rls');
    await db.query('insert into public.authf_mfa_vault (owner, secret) values ($1, $2)', [id, 'recovery codes']);
    const aal1Token = (await client.auth.getSession()).data.session!.access_token;
    const rows = async (token: string) => {
      const { data, error } = await testClient(env.ANON_KEY, token).from('authf_mfa_vault').select('secret');
      assert.equal(error, null);
      return data;
    };
    // The REST schema cache may still be reloading after the table was created.
    for (let i = 0; i < 50; i++) {
      const { error } = await testClient(env.ANON_KEY, aal1Token).from('authf_mfa_vault').select('secret');
      if (!error) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(await rows(aal1Token), []);
    const { accessToken } = await withVerifiedFactor(client);
    assert.deepEqual(await rows(accessToken), [{ secret: 'recovery codes' }]);
    const other = await signedIn('mfa-rls-other');
    const { accessToken: otherAal2 } = await withVerifiedFactor(other.client);
    assert.deepEqual(await rows(otherAal2), [], 'aal2 alone does not open another user\'s row');
  });
});

describe('admin factor management (service_role)', () => {
  test('lists factors without their secrets, deletes one and the sessions it raised fall back to aal1', async () => {
    const { client, id } = await signedIn('mfa-admin');
    const { factorId, refreshToken } = await withVerifiedFactor(client);
    const admin = adminClient(ip, gw).auth.admin.mfa;
    const { data: listed, error } = await admin.listFactors({ userId: id });
    assert.equal(error, null);
    assert.deepEqual(listed!.factors.map((f) => [f.id, f.factor_type, f.status]), [[factorId, 'totp', 'verified']]);
    assert.ok(!('secret' in listed!.factors[0]!), 'the TOTP secret never leaves the server after enrolment');
    const raw = await authFetch(`/admin/users/${id}/factors`, { bearer: gw.serviceRoleKey, ip, target: gw });
    assert.doesNotMatch(raw.text, /"secret"/);

    const removed = await admin.deleteFactor({ userId: id, id: factorId });
    assert.equal(removed.error, null);
    assert.equal((await admin.listFactors({ userId: id })).data!.factors.length, 0);
    const refreshed = await client.auth.refreshSession({ refresh_token: refreshToken });
    assert.equal(jwtClaims(refreshed.data.session!.access_token).aal, 'aal1');

    const userToken = refreshed.data.session!.access_token;
    const asUser = await authFetch(`/admin/users/${id}/factors`, { bearer: userToken, ip, target: gw });
    assert.equal(asUser.status, 403, 'a user token is not an admin');
  });
});
