// GoTrue's error contract: both body formats negotiated by X-Supabase-Api-Version, the exact
// error codes supabase-js branches on, bad/expired/unsigned JWTs and malformed bodies answered
// with a 4xx (never a 5xx), and the per-client request rate limit.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'vitest';
import fc from 'fast-check';
import { UnsecuredJWT } from 'jose';
import { env } from '../support/env.ts';
import { fuzzParams } from '../support/fuzz.ts';
import { requestFrom, untrustedLoopback } from '../support/peer.ts';
import { accessToken } from '../support/tokens.ts';
import { adminClient, anonClient, authFetch, PASSWORD, randomIp, uniqueEmail } from './helpers.ts';

const ip = randomIp();
describe('error body formats', () => {
  test('without X-Supabase-Api-Version: {code: status, error_code, msg}', async () => {
    const r = await authFetch('/token?grant_type=password', { body: { email: uniqueEmail('nobody'), password: PASSWORD }, ip });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
    assert.equal(r.headers.get('x-sb-error-code'), 'invalid_credentials');
    assert.equal(r.headers.get('x-supabase-api-version'), null);
  });

  test('with 2024-01-01 (or any later date): {code, message} and the version echoed', async () => {
    for (const version of ['2024-01-01', '2025-06-30']) {
      const r = await authFetch('/token?grant_type=password', {
        body: { email: uniqueEmail('nobody'), password: PASSWORD },
        headers: { 'X-Supabase-Api-Version': version },
        ip,
      });
      assert.equal(r.status, 400);
      assert.deepEqual(r.body, { code: 'invalid_credentials', message: 'Invalid login credentials' });
      assert.equal(r.headers.get('x-supabase-api-version'), '2024-01-01');
      assert.equal(r.headers.get('x-sb-error-code'), 'invalid_credentials');
    }
  });

  test('an earlier or malformed version falls back to the initial format', async () => {
    for (const version of ['2023-12-31', 'yesterday', '2024-02-30']) {
      const r = await authFetch('/token?grant_type=password', {
        body: { email: uniqueEmail('nobody'), password: PASSWORD },
        headers: { 'X-Supabase-Api-Version': version },
        ip,
      });
      assert.deepEqual(r.body, { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' }, version);
      assert.equal(r.headers.get('x-supabase-api-version'), null);
    }
  });

  test('weak_password carries its reasons in both formats', async () => {
    const body = { email: uniqueEmail('weak'), password: 'abc' };
    const legacy = await authFetch('/signup', { body, ip });
    assert.equal(legacy.status, 422);
    const message = 'Password should be at least 8 characters. Password should contain at least one character of each: abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ, 0123456789.';
    assert.deepEqual(legacy.body, { code: 422, error_code: 'weak_password', msg: message, weak_password: { reasons: ['length', 'characters'] } });
    const current = await authFetch('/signup', { body, ip, headers: { 'X-Supabase-Api-Version': '2024-01-01' } });
    assert.deepEqual(current.body, { code: 'weak_password', message, weak_password: { reasons: ['length', 'characters'] } });
    const { data, error } = await anonClient(ip).auth.signUp(body);
    assert.deepEqual(data, { user: null, session: null });
    assert.equal(error?.name, 'AuthWeakPasswordError');
    assert.equal(error?.code, 'weak_password');
    assert.deepEqual((error as unknown as { reasons: string[] }).reasons, ['length', 'characters']);
  });
});

describe('bearer tokens', () => {
  const getUser = (token: string) => anonClient(ip).auth.getUser(token);
  const prefix = 'invalid JWT: unable to parse or verify signature, ';

  test('no Authorization header: 401 no_authorization', async () => {
    const r = await authFetch('/user', { ip });
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { code: 401, error_code: 'no_authorization', msg: 'This endpoint requires a valid Bearer token' });
  });

  test('the anon key is no user: 403 bad_jwt (missing sub)', async () => {
    const { data, error } = await getUser(env.ANON_KEY);
    assert.deepEqual(data, { user: null });
    assert.equal(error?.code, 'bad_jwt');
    assert.equal(error?.status, 403);
    assert.equal(error?.message, 'invalid claim: missing sub claim');
  });

  test('a bad signature, an expired token, alg none and garbage: 403 bad_jwt', async () => {
    const sub = randomUUID();
    const good = await accessToken({ sub });
    const badSignature = `${good.slice(0, good.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    const expired = await accessToken({ sub, expiresIn: -60 });
    const none = new UnsecuredJWT({ sub, role: 'service_role', aud: 'authenticated', exp: Math.floor(Date.now() / 1000) + 600 }).encode();
    const cases: [string, string][] = [
      [badSignature, 'token signature is invalid: signature is invalid'],
      [expired, 'token has invalid claims: token is expired'],
      [none, 'token signature is invalid: signing method none is invalid'],
      ['not-a-jwt', 'token is malformed: token contains an invalid number of segments'],
    ];
    for (const [token, reason] of cases) {
      const { data, error } = await getUser(token);
      assert.deepEqual(data, { user: null });
      assert.equal(error?.name, 'AuthApiError', reason);
      assert.equal(error?.code, 'bad_jwt');
      assert.equal(error?.status, 403);
      assert.equal(error?.message, prefix + reason);
    }
  });

  test('an unsigned token claiming service_role gets nothing from the admin API', async () => {
    const none = new UnsecuredJWT({ role: 'service_role', exp: Math.floor(Date.now() / 1000) + 600 }).encode();
    const r = await authFetch('/admin/users', { bearer: none, ip, headers: { 'X-Supabase-Api-Version': '2024-01-01' } });
    assert.equal(r.status, 403);
    assert.deepEqual(r.body, { code: 'bad_jwt', message: `${prefix}token signature is invalid: signing method none is invalid` });
  });

  test('a valid token for a user that does not exist: 403 user_not_found', async () => {
    const { error } = await getUser(await accessToken({ sub: randomUUID() }));
    assert.equal(error?.code, 'user_not_found');
    assert.equal(error?.status, 403);
    assert.equal(error?.message, 'User from sub claim in JWT does not exist');
  });

  test('a token whose session is gone: session_not_found (AuthSessionMissingError in supabase-js)', async () => {
    const admin = adminClient(ip);
    const email = uniqueEmail('nosession');
    const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    assert.equal(created.error, null);
    const token = await accessToken({ sub: created.data.user!.id, session_id: randomUUID() });
    const { data, error } = await getUser(token);
    assert.deepEqual(data, { user: null });
    assert.equal(error?.name, 'AuthSessionMissingError');
    const raw = await authFetch('/user', { bearer: token, ip });
    assert.equal(raw.status, 403);
    assert.deepEqual(raw.body, { code: 403, error_code: 'session_not_found', msg: 'Session from session_id claim in JWT does not exist' });
  });
});

describe('malformed requests', () => {
  test('malformed JSON, a non-object body, wrong types, an empty body: 400 bad_json', async () => {
    for (const rawBody of ['{"email":', '[1,2]', '"text"', '{"email": 5, "password": "x"}', '']) {
      const r = await authFetch('/signup', { method: 'POST', rawBody, ip, headers: { 'X-Supabase-Api-Version': '2024-01-01' } });
      assert.equal(r.status, 400, rawBody);
      const body = r.body as { code: string; message: string };
      assert.equal(body.code, 'bad_json', rawBody);
      assert.match(body.message, /^Could not parse request body as JSON: /);
    }
  });

  test('a body over 1 MiB: 413 request_entity_too_large', async () => {
    const r = await authFetch('/signup', { body: { email: 'x@example.com', password: 'y'.repeat(1 << 20) }, ip });
    assert.equal(r.status, 413);
    assert.deepEqual(r.body, { code: 413, error_code: 'request_entity_too_large', msg: 'Request body too large (max 1048576 bytes)' });
  });

  test('validation failures name the problem', async () => {
    const cases: [unknown, number, string, string][] = [
      [{ email: 'not-an-email', password: PASSWORD }, 400, 'validation_failed', 'Unable to validate email address: invalid format'],
      [{ email: uniqueEmail('nopw') }, 400, 'validation_failed', 'Signup requires a valid password'],
      [{ email: uniqueEmail('both'), phone: '15551234567', password: PASSWORD }, 400, 'validation_failed', 'Only an email address or phone number should be provided on signup.'],
      [{}, 422, 'anonymous_provider_disabled', 'Anonymous sign-ins are disabled'],
      [{ email: uniqueEmail('long'), password: 'Aa1'.repeat(30) }, 400, 'validation_failed', 'Password cannot be longer than 72 characters'],
    ];
    for (const [body, status, code, msg] of cases) {
      const r = await authFetch('/signup', { body, ip });
      assert.equal(r.status, status, JSON.stringify(body));
      assert.deepEqual(r.body, { code: status, error_code: code, msg });
    }
  });

  test('token endpoint: unknown grant type, missing refresh token', async () => {
    const unknown = await authFetch('/token?grant_type=client_credentials', { body: {}, ip });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body, { code: 400, error_code: 'invalid_credentials', msg: 'unsupported_grant_type' });
    const missing = await authFetch('/token?grant_type=refresh_token', { body: {}, ip });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, { error: 'invalid_request', error_description: 'refresh_token required' });
  });

  test('verify with a wrong code: 403 otp_expired', async () => {
    const { data, error } = await anonClient(ip).auth.verifyOtp({ email: uniqueEmail('ghost'), token: '123456', type: 'email' });
    assert.deepEqual(data, { user: null, session: null });
    assert.equal(error?.code, 'otp_expired');
    assert.equal(error?.status, 403);
    assert.equal(error?.message, 'Token has expired or is invalid');
  });

  test('an unknown path is GoTrue’s plain 404', async () => {
    const r = await authFetch('/nope', { ip });
    assert.equal(r.status, 404);
    assert.equal(r.text, '404 page not found');
  });

  test('random bodies on every endpoint never produce a 5xx', async () => {
    const token = await accessToken({ sub: randomUUID() });
    const endpoints: [string, string, string | undefined][] = [
      ['POST', '/signup', undefined],
      ['POST', '/token?grant_type=password', undefined],
      ['POST', '/token?grant_type=refresh_token', undefined],
      ['POST', '/token?grant_type=pkce', undefined],
      ['POST', '/verify', undefined],
      ['POST', '/otp', undefined],
      ['POST', '/magiclink', undefined],
      ['POST', '/recover', undefined],
      ['POST', '/resend', undefined],
      ['PUT', '/user', token],
      ['POST', '/admin/users', env.SERVICE_ROLE_KEY],
      ['POST', '/admin/generate_link', env.SERVICE_ROLE_KEY],
      ['POST', '/invite', env.SERVICE_ROLE_KEY],
    ];
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.dictionary(fc.string(), fc.string()), fc.array(fc.string()));
    const body = fc.oneof(
      fc.record(
        {
          email: fc.oneof(value, fc.emailAddress()),
          password: value,
          token: value,
          token_hash: value,
          type: fc.oneof(value, fc.constantFrom('signup', 'recovery', 'magiclink', 'email', 'invite', 'email_change', 'sms')),
          data: value,
          refresh_token: value,
          auth_code: value,
          code_verifier: value,
          code_challenge: value,
          code_challenge_method: value,
          create_user: value,
        },
        { requiredKeys: [] },
      ),
      fc.json(),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints), body, async ([method, path, bearer], b) => {
        const rawBody = typeof b === 'string' ? b : JSON.stringify(b);
        const r = await authFetch(path, { method, rawBody, bearer, ip: randomIp() });
        assert.ok(r.status < 500, `${method} ${path} ${rawBody} → ${r.status} ${r.text}`);
      }),
      fuzzParams(300, 'AUTH_FUZZ_SEED'),
    );
  });
});

describe('rate limit', () => {
  test('sign-ins from one client beyond the burst of 30: 429 over_request_rate_limit; others unaffected', async () => {
    const client = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      const r = await authFetch('/token?grant_type=password', { body: { email: uniqueEmail('rl'), password: PASSWORD }, ip: client });
      statuses.push(r.status);
      if (r.status === 429) {
        assert.deepEqual(r.body, { code: 429, error_code: 'over_request_rate_limit', msg: 'Request rate limit reached' });
        assert.equal(r.headers.get('x-sb-error-code'), 'over_request_rate_limit');
      }
    }
    assert.deepEqual(statuses.slice(0, 30), Array(30).fill(400));
    assert.equal(statuses[30], 429);
    const { error } = await anonClient(randomIp()).auth.signInWithPassword({ email: uniqueEmail('rl'), password: PASSWORD });
    assert.equal(error?.code, 'invalid_credentials');
  });
});

describe('rate limit: the client address is the connection, not what the client claims', () => {
  test('50 wrong passwords with 50 made-up X-Forwarded-For values from one address: 429 after the burst of 30', async () => {
    const from = untrustedLoopback();
    const email = uniqueEmail('xff');
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const r = await requestFrom(from, '/auth/v1/token?grant_type=password', {
        method: 'POST',
        headers: { apikey: env.ANON_KEY, 'Content-Type': 'application/json', 'X-Forwarded-For': randomIp() },
        body: JSON.stringify({ email, password: `wrong-${i}` }),
      });
      statuses.push(r.status);
      if (r.status === 429) assert.deepEqual(r.body, { code: 429, error_code: 'over_request_rate_limit', msg: 'Request rate limit reached' });
    }
    assert.deepEqual(statuses.slice(0, 30), Array(30).fill(400));
    assert.deepEqual(statuses.slice(30), Array(20).fill(429));
  });

  test('behind a trusted proxy, entries a client prepends to X-Forwarded-For do not give it a new bucket', async () => {
    const client = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      const r = await authFetch('/token?grant_type=password', {
        body: { email: uniqueEmail('xff'), password: PASSWORD },
        headers: { 'X-Forwarded-For': `${randomIp()}, ${client}` },
      });
      statuses.push(r.status);
    }
    assert.deepEqual(statuses.slice(0, 30), Array(30).fill(400));
    assert.equal(statuses[30], 429);
  });
});

describe('service endpoints', () => {
  test('health, settings and the JWKS (empty for HS256)', async () => {
    const health = await authFetch('/health', { ip });
    assert.equal(health.status, 200);
    assert.deepEqual(Object.keys(health.body as object), ['version', 'name', 'description']);
    assert.equal((health.body as { name: string }).name, 'GoTrue');
    const settings = await authFetch('/settings', { ip });
    const s = settings.body as Record<string, unknown> & { external: Record<string, boolean> };
    assert.equal(s.disable_signup, false);
    assert.equal(s.mailer_autoconfirm, false);
    assert.equal(s.phone_autoconfirm, false);
    assert.equal(s.external.email, true);
    assert.equal(s.external.phone, false);
    assert.equal(s.external.anonymous_users, false);
    assert.equal(s.external.google, false);
    const jwks = await fetch(`${env.SUPABASE_URL}/auth/v1/.well-known/jwks.json`);
    assert.equal(jwks.status, 200);
    assert.deepEqual(await jwks.json(), { keys: [] });
  });
});

describe('features that are off here', () => {
  test('OAuth providers: /authorize refuses (none enabled locally)', async () => {
    const res = await fetch(`${env.SUPABASE_URL}/auth/v1/authorize?provider=google`, { redirect: 'manual' });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { code: 400, error_code: 'validation_failed', msg: 'Unsupported provider: provider is not enabled' });
  });

  test('MFA enrolment: 422 mfa_totp_enroll_not_enabled, as GoTrue with [auth.mfa] off', async () => {
    const email = uniqueEmail('mfa');
    await adminClient(ip).auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    const client = anonClient(ip);
    assert.equal((await client.auth.signInWithPassword({ email, password: PASSWORD })).error, null);
    const { data, error } = await client.auth.mfa.enroll({ factorType: 'totp' });
    assert.equal(data, null);
    assert.equal(error?.code, 'mfa_totp_enroll_not_enabled');
    assert.equal(error?.status, 422);
    assert.equal(error?.message, 'MFA enroll is disabled for TOTP');
  });
});
