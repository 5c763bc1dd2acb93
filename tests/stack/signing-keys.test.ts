// Asymmetric JWT signing keys as `supabase start` serves them with `[auth] signing_keys_path`:
// second gateways over the test database (AUTH_SIGNING_KEYS_PATH, keys generated here, never in
// git) sign access tokens with the first key, publish the public parts at
// /auth/v1/.well-known/jwks.json, and every service (auth, REST, GraphQL, storage, realtime,
// functions' verify_jwt, the API key check) accepts tokens of any configured key and of the legacy
// HS256 secret, and refuses forged ones: alg confusion, alg none, an unknown or borrowed kid, expiry.
import assert from 'node:assert/strict';
import { createPublicKey, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { createRemoteJWKSet, decodeProtectedHeader, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { generateSigningKey, type GeneratedKey } from '../../stack/src/kit/jwt-keys.ts';
import { PASSWORD, randomIp, startAuthGateway, uniqueEmail, type AuthGateway } from '../auth/helpers.ts';
import { clientOptions } from '../support/client.ts';
import { env } from '../support/env.ts';
import { accessToken } from '../support/tokens.ts';
import { subscribe, waitFor } from '../realtime/support.ts';
import { stackCli } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'signing-keys-'));
const ip = randomIp();

/** Signs the first gateway's tokens; a key as `supabase gen signing-key --algorithm ES256` writes it. */
const es = generateSigningKey('ES256');
/** A second key that only verifies, as a previous key does during a rotation. */
const previous: GeneratedKey = { ...generateSigningKey('RS256'), key_ops: ['verify'] };
/** The second gateway's key, as auth-js's test suite writes it: Node's JWK export plus kid, key_ops, alg. */
const { use: _use, ext: _ext, ...rs } = generateSigningKey('RS256');

function keyFile(name: string, keys: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(keys, null, 2));
  return path;
}
const esFile = keyFile('es.json', [es, previous]);
const rsFile = keyFile('rs.json', [rs]);

const now = () => Math.floor(Date.now() / 1000);
async function signWith(jwk: Record<string, unknown>, claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const { kid, alg, use: _u, key_ops: _k, ext: _e, ...material } = jwk;
  return new SignJWT({ aud: 'authenticated', role: 'authenticated', exp: now() + 600, ...claims })
    .setProtectedHeader({ alg: alg as string, kid: kid as string, typ: 'JWT', ...header })
    .sign(await importJWK(material as JWK, alg as string));
}
const hs256 = (secret: string, claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
  new SignJWT({ aud: 'authenticated', role: 'authenticated', exp: now() + 600, ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header })
    .sign(new TextEncoder().encode(secret));

let esGw: AuthGateway;
let rsGw: AuthGateway;
const clients: SupabaseClient[] = [];
function clientOf(gw: AuthGateway, key: string, extra: Parameters<typeof clientOptions>[0] = {}): SupabaseClient {
  const c = createClient(gw.url, key, clientOptions({ ...extra, global: { ...extra.global, headers: { 'X-Forwarded-For': ip } } }));
  clients.push(c);
  return c;
}

before(async () => {
  [esGw, rsGw] = await Promise.all([
    startAuthGateway({ AUTH_SIGNING_KEYS_PATH: esFile }, 'main.ts'),
    startAuthGateway({ AUTH_SIGNING_KEYS_PATH: rsFile, AUTH_EMAIL_ENABLE_CONFIRMATIONS: 'false' }),
  ]);
}, 90_000);

after(async () => {
  await Promise.all(clients.map((c) => c.removeAllChannels().catch(() => undefined)));
  await Promise.all([esGw?.stop(), rsGw?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the JWKS', () => {
  test('publishes the public part of every configured key, as GoTrue does, without an API key', async () => {
    const res = await fetch(`${esGw.url}/auth/v1/.well-known/jwks.json`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=600');
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    assert.deepEqual(keys[0], { alg: 'ES256', crv: 'P-256', ext: true, key_ops: ['verify'], kid: es.kid, kty: 'EC', use: 'sig', x: es.x, y: es.y });
    assert.deepEqual(keys[1], { alg: 'RS256', e: previous.e, ext: true, key_ops: ['verify'], kid: previous.kid, kty: 'RSA', n: previous.n, use: 'sig' });
    assert.equal(keys.length, 2);
    for (const key of keys) for (const m of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.ok(!(m in key), `${String(key.kid)} publishes "${m}"`);
  });

  test('the stack signing HS256 publishes an empty set: the secret is never published', async () => {
    const res = await fetch(env.JWKS_URL);
    assert.deepEqual(await res.json(), { keys: [] });
  });
});

describe('RS256, as auth-js’s asymmetric-jwt test runs it', () => {
  test('sign-up returns an RS256 token with the kid; getClaims verifies it locally against the JWKS', async () => {
    const fetched: string[] = [];
    const client = clientOf(rsGw, rsGw.anonKey, {
      global: { fetch: (input: RequestInfo | URL, init?: RequestInit) => (fetched.push(String(input)), fetch(input, init)) },
    });
    const email = uniqueEmail('rs256');
    const { data: signUp, error } = await client.auth.signUp({ email, password: PASSWORD });
    assert.equal(error, null);
    const token = signUp.session!.access_token;
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'RS256', kid: rs.kid, typ: 'JWT' });
    // An independent verifier (jose) trusts it through the published keys alone.
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${rsGw.url}/auth/v1/.well-known/jwks.json`)));
    assert.equal(payload.email, email);

    fetched.length = 0;
    const { data, error: claimsError } = await client.auth.getClaims();
    assert.equal(claimsError, null);
    assert.equal(data!.claims.email, email);
    assert.deepEqual(fetched, [`${rsGw.url}/auth/v1/.well-known/jwks.json`], 'verified locally: the JWKS is the only request');
  });

  test('getClaims: a tampered signature is refused locally, a bad HS256 token by the server', async () => {
    const client = clientOf(rsGw, rsGw.anonKey);
    const { data: signUp } = await client.auth.signUp({ email: uniqueEmail('rs256-bad'), password: PASSWORD });
    const [h, p, s] = signUp.session!.access_token.split('.') as [string, string, string];
    const tampered = `${h}.${p}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    const local = await client.auth.getClaims(tampered);
    assert.equal(local.data, null);
    assert.match(local.error!.message, /Invalid JWT signature/);
    const forged = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${p}.invalid_signature_that_is_not_base64url_encoded`;
    const remote = await client.auth.getClaims(forged);
    assert.equal(remote.data, null);
    assert.match(remote.error!.message, /unable to parse or verify signature/);
  });
});

describe('every service accepts the configured keys and the legacy secret', () => {
  let userId = '';
  let email = '';
  const tokens: Record<string, string> = {};

  before(async () => {
    email = uniqueEmail('es256');
    const admin = clientOf(esGw, esGw.serviceRoleKey);
    const { data: created, error } = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    assert.equal(error, null);
    userId = created.user!.id;
    const { data: session } = await clientOf(esGw, esGw.anonKey).auth.signInWithPassword({ email, password: PASSWORD });
    tokens['ES256 (signed in)'] = session.session!.access_token;
    tokens['RS256 (previous key)'] = await signWith(previous, { sub: userId, email });
    tokens['HS256 (legacy secret)'] = await accessToken({ sub: userId, email, session_id: undefined });
  });

  test('sign-in signs with the first key, its kid in the header', () => {
    assert.deepEqual(decodeProtectedHeader(tokens['ES256 (signed in)']!), { alg: 'ES256', kid: es.kid, typ: 'JWT' });
  });

  const asUser = (token: string) => ({ apikey: env.ANON_KEY, Authorization: `Bearer ${token}` });

  test('auth: GET /user', async () => {
    for (const [name, token] of Object.entries(tokens)) {
      const res = await fetch(`${esGw.url}/auth/v1/user`, { headers: asUser(token) });
      assert.equal(res.status, 200, name);
      assert.equal(((await res.json()) as { id: string }).id, userId, name);
    }
  });

  test('auth admin: a supabase_admin JWT of the signing key, without exp (auth-js’s own admin token)', async () => {
    const { kid, alg: _a, use: _u, key_ops: _k, ext: _e, ...material } = es;
    const admin = await new SignJWT({ sub: '1234567890', role: 'supabase_admin' }).setProtectedHeader({ alg: 'ES256', kid }).sign(await importJWK(material as JWK, 'ES256'));
    const res = await fetch(`${esGw.url}/auth/v1/admin/users/${userId}`, { headers: asUser(admin) });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { email: string }).email, email);
  });

  test('REST and GraphQL see the user (RLS on profiles)', async () => {
    for (const [name, token] of Object.entries(tokens)) {
      const rest = await fetch(`${esGw.url}/rest/v1/profiles?select=id`, { headers: asUser(token) });
      assert.equal(rest.status, 200, name);
      assert.deepEqual(await rest.json(), [{ id: userId }], name);
      const gql = await fetch(`${esGw.url}/graphql/v1`, {
        method: 'POST',
        headers: { ...asUser(token), 'Content-Type': 'application/json' },
        body: JSON.stringify({ query: '{ profilesCollection { edges { node { id } } } }' }),
      });
      assert.equal(gql.status, 200, name);
      assert.deepEqual(await gql.json(), { data: { profilesCollection: { edges: [{ node: { id: userId } }] } } }, name);
    }
  });

  test('storage: the user uploads under their own folder', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
    for (const [name, token] of Object.entries(tokens)) {
      const path = `${userId}/${randomUUID()}.png`;
      const res = await fetch(`${esGw.url}/storage/v1/object/avatars/${path}`, {
        method: 'POST',
        headers: { ...asUser(token), 'Content-Type': 'image/png' },
        body: png,
      });
      assert.equal(res.status, 200, `${name}: ${await res.clone().text()}`);
      assert.equal(((await res.json()) as { Key: string }).Key, `avatars/${path}`, name);
    }
  });

  test('functions: verify_jwt lets them through', async () => {
    for (const [name, token] of Object.entries(tokens)) {
      const res = await fetch(`${esGw.url}/functions/v1/health`, { headers: asUser(token) });
      assert.equal(res.status, 200, name);
      assert.equal(((await res.json()) as { caller: string }).caller, 'authenticated', name);
    }
  }, 60_000);

  test('realtime: join with one, refresh the channel with the others', async () => {
    const [first, ...rest] = Object.values(tokens) as [string, ...string[]];
    const c = clientOf(esGw, esGw.anonKey, { accessToken: async () => first });
    await c.realtime.setAuth(first);
    const system: Record<string, unknown>[] = [];
    const ch = c.channel(`keys-${randomUUID()}`).on('system', {}, (m: Record<string, unknown>) => void system.push(m));
    await subscribe(ch);
    for (const token of rest) await c.realtime.setAuth(token);
    // Each refresh was checked; none closed the channel. A broadcast round trip proves it is live.
    const got = new Promise((resolve) => ch.on('broadcast', { event: 'ping' }, resolve));
    const other = clientOf(esGw, esGw.anonKey);
    const sender = other.channel(ch.subTopic);
    await subscribe(sender);
    assert.equal(await sender.send({ type: 'broadcast', event: 'ping', payload: {} }), 'ok');
    await got;
    assert.equal(system.filter((m) => m.status === 'error').length, 0, JSON.stringify(system));
  });

  test('API keys: a JWT of a configured key is a key (auth-js signs its own); the opaque keys stand for the signed ones', async () => {
    const anon = await signWith(previous, { iss: 'supabase-demo', role: 'anon', aud: undefined });
    for (const key of [anon, env.PUBLISHABLE_KEY]) {
      const res = await fetch(`${esGw.url}/rest/v1/exams?select=id&limit=1`, { headers: { apikey: key } });
      assert.equal(res.status, 200);
      await res.body?.cancel();
      const profiles = await fetch(`${esGw.url}/rest/v1/profiles?select=id`, { headers: { apikey: key } });
      assert.equal(((await profiles.json()) as { code: string }).code, '42501', 'anon may not read profiles: the key acts as anon');
    }
    const service = await fetch(`${esGw.url}/rest/v1/profiles?select=id&id=eq.${userId}`, { headers: { apikey: env.SECRET_KEY } });
    assert.deepEqual(await service.json(), [{ id: userId }]);
  });
});

describe('forged tokens are refused by every service', () => {
  const NO_KEY = 'No suitable key or wrong key type';
  const BAD_CRYPTO = 'JWT cryptographic operation failed';
  /** Each forgery, and what PostgREST says of it (its JwtDecodeErr wording). */
  const forged: Record<string, [() => Promise<string>, string]> = {
    'alg confusion: HS256 keyed with the public key, naming its kid': [() =>
      hs256(createPublicKey({ key: previous as JWK & { kty: string }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString(), { role: 'service_role' }, { kid: previous.kid }), NO_KEY],
    'alg confusion: HS256 keyed with the published JWK, no kid': [async () => {
      const { keys } = (await (await fetch(`${esGw.url}/auth/v1/.well-known/jwks.json`)).json()) as { keys: unknown[] };
      return hs256(JSON.stringify(keys[0]), { role: 'service_role' });
    }, BAD_CRYPTO],
    'alg none': [async () => `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: es.kid })).toString('base64url')}.${Buffer.from(JSON.stringify({ role: 'service_role', exp: now() + 600 })).toString('base64url')}.`, 'Wrong or unsupported encoding algorithm'],
    'an unknown kid': [() => signWith(generateSigningKey('ES256'), { role: 'service_role' }), NO_KEY],
    'another key under a configured kid': [() => signWith({ ...generateSigningKey('ES256'), kid: es.kid }, { role: 'service_role' }), BAD_CRYPTO],
    'ES256 under the RSA key’s kid': [() => signWith({ ...generateSigningKey('ES256'), kid: previous.kid }, { role: 'service_role' }), NO_KEY],
    expired: [() => signWith(es, { role: 'service_role', exp: now() - 30 }), 'JWT expired'],
  };
  const bearer = (token: string) => ({ apikey: env.ANON_KEY, Authorization: `Bearer ${token}` });

  for (const [name, [make, restMessage]] of Object.entries(forged)) {
    test(name, async () => {
      const token = await make();
      const user = await fetch(`${esGw.url}/auth/v1/user`, { headers: bearer(token) });
      assert.equal(user.status, 403, 'auth');
      assert.equal(((await user.json()) as { error_code: string }).error_code, 'bad_jwt');
      const admin = await fetch(`${esGw.url}/auth/v1/admin/users`, { headers: bearer(token) });
      assert.equal(admin.status, 403, 'auth admin');
      await admin.body?.cancel();

      const rest = await fetch(`${esGw.url}/rest/v1/profiles?select=id`, { headers: bearer(token) });
      assert.equal(rest.status, 401, 'REST');
      const restError = (await rest.json()) as { code: string; message: string };
      assert.deepEqual([restError.code, restError.message], [name === 'expired' ? 'PGRST303' : 'PGRST301', restMessage], 'REST');
      const gql = await fetch(`${esGw.url}/graphql/v1`, { method: 'POST', headers: { ...bearer(token), 'Content-Type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      assert.equal(gql.status, 401, 'GraphQL');
      await gql.body?.cancel();

      const storage = await fetch(`${esGw.url}/storage/v1/bucket`, { headers: bearer(token) });
      assert.equal(storage.status, 400, 'storage');
      assert.deepEqual(Object.entries((await storage.json()) as object).slice(0, 2), [['statusCode', '403'], ['error', 'Unauthorized']], 'storage');

      const fn = await fetch(`${esGw.url}/functions/v1/health`, { headers: bearer(token) });
      assert.equal(fn.status, 401, 'functions');
      assert.deepEqual(await fn.json(), { msg: 'Invalid JWT' });

      const asKey = await fetch(`${esGw.url}/rest/v1/profiles?select=id`, { headers: { apikey: token } });
      assert.equal(asKey.status, 401, 'as the apikey');
      assert.deepEqual(await asKey.json(), { message: 'Invalid authentication credentials' });

      const c = clientOf(esGw, esGw.anonKey, { accessToken: async () => token });
      await c.realtime.setAuth(token);
      await assert.rejects(subscribe(c.channel(`keys-${randomUUID()}`), 10_000), 'realtime join');
    });
  }

  test('realtime: a forged token sent on a joined channel closes it', async () => {
    const token = await signWith(es, { sub: randomUUID() });
    const c = clientOf(esGw, esGw.anonKey, { accessToken: async () => token });
    await c.realtime.setAuth(token);
    const system: Record<string, unknown>[] = [];
    const ch = c.channel(`keys-${randomUUID()}`).on('system', {}, (m: Record<string, unknown>) => void system.push(m));
    await subscribe(ch);
    await c.realtime.setAuth(await signWith({ ...generateSigningKey('ES256'), kid: es.kid }, { sub: randomUUID() }));
    await waitFor(() => system.find((m) => m.status === 'error'), 5000, 'the shutdown system message');
    await waitFor(() => ch.state === 'closed', 5000, 'channel closed');
  });
});

describe('status', () => {
  test('prints API keys signed with the signing key, which the stack accepts, and the JWKS URL', async () => {
    const r = stackCli(['status', '-o', 'env'], { AUTH_SIGNING_KEYS_PATH: esFile });
    assert.equal(r.status, 0, r.stderr);
    const vars = Object.fromEntries(r.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    assert.equal(vars.JWKS_URL, `${vars.API_URL}/auth/v1/.well-known/jwks.json`);
    assert.equal(vars.PUBLISHABLE_KEY, env.PUBLISHABLE_KEY);
    assert.equal(vars.SECRET_KEY, env.SECRET_KEY);
    for (const [name, role] of [['ANON_KEY', 'anon'], ['SERVICE_ROLE_KEY', 'service_role']] as const) {
      const key = vars[name]!;
      assert.deepEqual(decodeProtectedHeader(key), { alg: 'ES256', kid: es.kid, typ: 'JWT' }, name);
      const { payload } = await jwtVerify(key, createRemoteJWKSet(new URL(`${esGw.url}/auth/v1/.well-known/jwks.json`)));
      assert.equal(payload.role, role);
      const res = await fetch(`${esGw.url}/rest/v1/exams?select=id&limit=1`, { headers: { apikey: key } });
      assert.equal(res.status, 200, name);
      await res.body?.cancel();
    }
  });

  test('a bad signing keys file stops `start` with an error naming it', () => {
    const bad = keyFile('bad.json', [{ ...es, d: undefined }]);
    const r = stackCli(['start'], { AUTH_SIGNING_KEYS_PATH: bad });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, new RegExp(`cannot load the JWT signing keys in ${bad.replace(/[.]/g, '\\.')}: key 1 "d": missing or not a string`));
  });
});
