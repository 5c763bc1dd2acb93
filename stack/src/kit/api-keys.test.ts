import assert from 'node:assert/strict';
import { test } from 'vitest';
import { SignJWT } from 'jose';
import { DEFAULT_JWT_SECRET } from '../config.ts';
import { loadJwtKeys } from './jwt-keys.ts';
import { apiKeys, legacyJwtOf, opaqueKey, resolveApiKey } from './api-keys.ts';

const SECRET = 'a-test-secret-a-test-secret-a-test-secret';
const jwtKey = await loadJwtKeys(SECRET, undefined);
const sign = (claims: Record<string, unknown>, secret = SECRET) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setExpirationTime('1h').sign(new TextEncoder().encode(secret));

test('the default JWT secret yields the Supabase CLI’s local keys', async () => {
  const keys = await apiKeys(await loadJwtKeys(DEFAULT_JWT_SECRET, undefined));
  assert.equal(keys.publishableKey, 'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH');
  assert.equal(keys.secretKey, 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz');
});

test('another secret yields its own opaque keys, the same every time, in Supabase’s shape', async () => {
  const a = await apiKeys(jwtKey);
  assert.deepEqual(await apiKeys(jwtKey), a);
  assert.match(a.publishableKey, /^sb_publishable_[A-Za-z0-9_-]{22}_[A-Za-z0-9_-]{8}$/);
  assert.match(a.secretKey, /^sb_secret_[A-Za-z0-9_-]{22}_[A-Za-z0-9_-]{8}$/);
  assert.notEqual(opaqueKey('sb_secret_', SECRET), opaqueKey('sb_secret_', `${SECRET}x`));
  assert.notEqual(a.publishableKey.slice(15), a.secretKey.slice(10));
});

test('resolveApiKey: none is anon, opaque keys are their JWTs, project JWTs pass, anything else is refused', async () => {
  const keys = await apiKeys(jwtKey);
  assert.equal(await resolveApiKey(undefined, keys, jwtKey), keys.anonKey);
  assert.equal(await resolveApiKey(keys.publishableKey, keys, jwtKey), keys.anonKey);
  assert.equal(await resolveApiKey(keys.secretKey, keys, jwtKey), keys.serviceRoleKey);
  assert.equal(await resolveApiKey(keys.serviceRoleKey, keys, jwtKey), keys.serviceRoleKey);
  for (const role of ['anon', 'authenticated', 'service_role']) {
    const token = await sign({ role });
    assert.equal(await resolveApiKey(token, keys, jwtKey), token);
  }
  for (const bad of [await sign({ role: 'anon' }, `${SECRET}-other`), await sign({ role: 'postgres' }), await sign({}), 'sb_secret_x', 'nope']) {
    assert.equal(await resolveApiKey(bad, keys, jwtKey), undefined, bad);
  }
  assert.equal(legacyJwtOf('other', keys), 'other');
});
