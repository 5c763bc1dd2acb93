// Settings the project's config.toml does not exercise, on auth-only gateways started with AUTH_*
// overrides against the same database: the Custom Access Token hook, the hourly email limit,
// refresh-token reuse after the interval, autoconfirm sign-up and anonymous sign-in.
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import pg from 'pg';
import { env } from '../support/env.ts';
import { adminClient, anonClient, authFetch, jwtClaims, latestMail, PASSWORD, randomIp, sleep, startAuthGateway, uniqueEmail, type AuthGateway } from './helpers.ts';

const ip = randomIp();
const db = new pg.Pool({ connectionString: env.DB_URL, max: 2 });

const HOOK_SCHEMA = `
create schema if not exists auth_hook_test;
create or replace function auth_hook_test.custom_claims(event jsonb) returns jsonb
language plpgsql set search_path = '' as $$
declare
  claims jsonb := event->'claims';
  email text := claims->>'email';
begin
  if email like 'hook-blocked%' then
    return jsonb_build_object('error', jsonb_build_object('http_code', 403, 'message', 'Blocked by the access token hook'));
  end if;
  if email like 'hook-broken%' then
    return jsonb_build_object('claims', claims - 'session_id');
  end if;
  claims := claims || jsonb_build_object('org_roles', jsonb_build_array('teacher'), 'hook_method', event->>'authentication_method',
                                         'hook_user', event->>'user_id', 'hook_role', current_user);
  return jsonb_build_object('claims', claims);
end $$;
grant usage on schema auth_hook_test to supabase_auth_admin;
grant execute on function auth_hook_test.custom_claims(jsonb) to supabase_auth_admin;
`;

let limited: AuthGateway;
let open: AuthGateway;

before(async () => {
  await db.query(HOOK_SCHEMA);
  [limited, open] = await Promise.all([
    startAuthGateway({
      AUTH_HOOK_CUSTOM_ACCESS_TOKEN_URI: 'pg-functions://postgres/auth_hook_test/custom_claims',
      AUTH_RATE_LIMIT_EMAIL_SENT: '2',
      AUTH_REFRESH_TOKEN_REUSE_INTERVAL: '1',
    }),
    startAuthGateway({ AUTH_EMAIL_ENABLE_CONFIRMATIONS: 'false', AUTH_ENABLE_ANONYMOUS_SIGN_INS: 'true' }),
  ]);
});

after(async () => {
  await Promise.all([limited?.stop(), open?.stop()]);
  await db.query('drop schema if exists auth_hook_test cascade');
  await db.end();
});

describe('custom access token hook (pg-functions)', () => {
  test('its claims are signed into the access token, on sign-in and on refresh', async () => {
    const email = uniqueEmail('hook-ok');
    const { data: created } = await adminClient(ip, limited).auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    const client = anonClient(ip, limited);
    const { data, error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
    assert.equal(error, null);
    const claims = jwtClaims(data.session!.access_token);
    assert.deepEqual(claims.org_roles, ['teacher']);
    assert.equal(claims.hook_method, 'password');
    assert.equal(claims.hook_user, created.user!.id);
    assert.equal(claims.hook_role, 'supabase_auth_admin');
    assert.deepEqual(Object.keys(claims), [...Object.keys(claims)].sort(), 'claims from the hook come out sorted, as Go encodes a map');
    for (const required of ['aud', 'exp', 'iat', 'sub', 'email', 'phone', 'role', 'aal', 'session_id', 'is_anonymous']) {
      assert.ok(required in claims, required);
    }
    const refreshed = await client.auth.refreshSession({ refresh_token: data.session!.refresh_token });
    assert.equal(jwtClaims(refreshed.data.session!.access_token).hook_method, 'token_refresh');
    // The stack's own gateway runs the project's hook (config.toml): no organisations, no roles.
    const plain = await anonClient(ip).auth.signInWithPassword({ email, password: PASSWORD });
    assert.deepEqual(jwtClaims(plain.data.session!.access_token).org_roles, {});
  });

  test('an {error} output is the response; no session is left behind', async () => {
    const email = uniqueEmail('hook-blocked');
    const { data: created } = await adminClient(ip, limited).auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    const { data, error } = await anonClient(ip, limited).auth.signInWithPassword({ email, password: PASSWORD });
    assert.deepEqual(data, { user: null, session: null });
    assert.equal(error?.status, 403);
    assert.equal(error?.message, 'Blocked by the access token hook');
    const raw = await authFetch('/token?grant_type=password', { body: { email, password: PASSWORD }, ip, target: limited });
    assert.deepEqual(raw.body, { code: 403, error_code: 'unknown', msg: 'Blocked by the access token hook' });
    const [{ count }] = (await db.query<{ count: string }>('select count(*) from auth.sessions where user_id = $1', [created.user!.id])).rows as [{ count: string }];
    assert.equal(count, '0');
  });

  test('claims missing a required claim: 500, and still no session', async () => {
    const email = uniqueEmail('hook-broken');
    await adminClient(ip, limited).auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    const raw = await authFetch('/token?grant_type=password', {
      body: { email, password: PASSWORD },
      ip,
      target: limited,
      headers: { 'X-Supabase-Api-Version': '2024-01-01' },
    });
    assert.equal(raw.status, 500);
    assert.deepEqual(raw.body, {
      code: 'unexpected_failure',
      message: 'output claims do not conform to the expected schema: \n- (root): session_id is required\n',
    });
  });
});

describe('email_sent (instance-wide, per hour)', () => {
  test('the third email of the hour: 429 over_email_send_rate_limit, and nothing is written', async () => {
    const client = anonClient(randomIp(), limited);
    assert.equal((await client.auth.signUp({ email: uniqueEmail('mail1'), password: PASSWORD })).error, null);
    assert.equal((await client.auth.signUp({ email: uniqueEmail('mail2'), password: PASSWORD })).error, null);
    const third = uniqueEmail('mail3');
    const { data, error } = await client.auth.signUp({ email: third, password: PASSWORD });
    assert.deepEqual(data, { user: null, session: null });
    assert.equal(error?.code, 'over_email_send_rate_limit');
    assert.equal(error?.status, 429);
    assert.equal(error?.message, 'email rate limit exceeded');
    const rows = (await db.query('select 1 from auth.users where email = $1', [third])).rows;
    assert.equal(rows.length, 0, 'the sign-up was rolled back');
    // Admin-generated links send nothing and are not limited.
    assert.equal((await adminClient(ip, limited).auth.admin.generateLink({ type: 'signup', email: third, password: PASSWORD })).error, null);
  });
});

describe('refresh token reuse after the interval', () => {
  test('revokes the whole session family: refresh_token_already_used', async () => {
    const email = uniqueEmail('reuse');
    await adminClient(ip, limited).auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    const client = anonClient(ip, limited);
    const t0 = (await client.auth.signInWithPassword({ email, password: PASSWORD })).data.session!;
    const t1 = (await client.auth.refreshSession({ refresh_token: t0.refresh_token })).data.session!;
    const t2 = (await client.auth.refreshSession({ refresh_token: t1.refresh_token })).data.session!;
    await sleep(1500);
    const stolen = await client.auth.refreshSession({ refresh_token: t0.refresh_token });
    assert.deepEqual(stolen.data, { user: null, session: null });
    assert.equal(stolen.error?.code, 'refresh_token_already_used');
    assert.equal(stolen.error?.message, 'Invalid Refresh Token: Already Used');
    const sessionId = jwtClaims(t0.access_token).session_id;
    const tokens = (await db.query<{ revoked: boolean }>('select revoked from auth.refresh_tokens where session_id = $1', [sessionId])).rows;
    assert.deepEqual(tokens.map((t) => t.revoked), [true, true, true]);
    await sleep(1500);
    const legit = await client.auth.refreshSession({ refresh_token: t2.refresh_token });
    assert.equal(legit.error?.code, 'refresh_token_already_used');
  });
});

describe('confirmations off (autoconfirm)', () => {
  test('signUp answers a session; a repeated sign-up is 422 user_already_exists', async () => {
    const email = uniqueEmail('auto');
    const client = anonClient(ip, open);
    const { data, error } = await client.auth.signUp({ email, password: PASSWORD });
    assert.equal(error, null);
    assert.equal(data.session!.user.id, data.user!.id);
    assert.ok(data.user!.email_confirmed_at);
    assert.deepEqual((jwtClaims(data.session!.access_token).amr as { method: string }[]).map((a) => a.method), ['password']);
    const again = await client.auth.signUp({ email, password: PASSWORD });
    assert.equal(again.error?.code, 'user_already_exists');
    assert.equal(again.error?.status, 422);
    assert.equal(again.error?.message, 'User already registered');
    const settings = await authFetch('/settings', { target: open, ip });
    assert.equal((settings.body as { mailer_autoconfirm: boolean }).mailer_autoconfirm, true);
  });

  test('anonymous sign-in: an anonymous user who can later add an email', async () => {
    const client = anonClient(ip, open);
    const { data, error } = await client.auth.signInAnonymously({ options: { data: { guest: true } } });
    assert.equal(error, null);
    const claims = jwtClaims(data.session!.access_token);
    assert.equal(claims.is_anonymous, true);
    assert.equal(claims.role, 'authenticated');
    assert.equal(claims.email, '');
    assert.deepEqual((claims.amr as { method: string }[]).map((a) => a.method), ['anonymous']);
    assert.deepEqual(data.user!.identities, []);
    assert.deepEqual(data.user!.app_metadata, {});
    const email = uniqueEmail('anon-upgrade');
    const upgraded = await client.auth.updateUser({ email });
    assert.equal(upgraded.error, null);
    assert.equal(upgraded.data.user!.email, email);
    assert.equal(upgraded.data.user!.is_anonymous, false);
  });

  test('mail sent under autoconfirm still reaches the sink (magic link)', async () => {
    const email = uniqueEmail('auto-magic');
    const client = anonClient(ip, open);
    assert.equal((await client.auth.signUp({ email, password: PASSWORD })).error, null);
    assert.equal((await client.auth.signInWithOtp({ email })).error, null);
    const mail = await latestMail(email, 'magiclink', open);
    assert.match(mail.otp!, /^\d{6}$/);
  });
});
