import assert from 'node:assert/strict';
import { afterEach, test, vi } from 'vitest';
import { SignJWT } from 'jose';
import { cachedTokenCount, JWT_CACHE_MAX_ENTRIES, verifyJwt } from './jwt.ts';
import { loadJwtKeys } from './jwt-keys.ts';

const SECRET = 'a-test-secret-a-test-secret-a-test-secret';
const bytes = (secret: string) => new TextEncoder().encode(secret);
/** The project's key set with only the HS256 secret (no signing_keys_path). */
const keysOf = (secret: string) => loadJwtKeys(secret, undefined);
const sign = (claims: Record<string, unknown>, secret = SECRET) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(bytes(secret));
const now = () => Math.floor(Date.now() / 1000);

afterEach(() => vi.useRealTimers());

test('a verified token is cached: the second check answers the same frozen claims', async () => {
  const key = await keysOf(SECRET);
  const token = await sign({ role: 'authenticated', sub: 'u1', app_metadata: { provider: 'email' }, exp: now() + 3600 });
  const first = await verifyJwt(token, key);
  const second = await verifyJwt(token, key);
  assert.ok(first.ok && second.ok);
  assert.equal(second.claims, first.claims);
  assert.equal(cachedTokenCount(key), 1);
  assert.ok(Object.isFrozen(first.claims) && Object.isFrozen(first.claims.app_metadata));
});

test('a cached token that expires is refused as expired, as jose refuses it', async () => {
  const key = await keysOf(SECRET);
  const exp = now() + 60;
  const token = await sign({ role: 'authenticated', exp });
  assert.equal((await verifyJwt(token, key)).ok, true);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime((exp - 1) * 1000);
  assert.equal((await verifyJwt(token, key)).ok, true);
  vi.setSystemTime(exp * 1000);
  assert.deepEqual(await verifyJwt(token, key), { ok: false, reason: 'expired', message: 'JWT expired' });
  assert.equal(cachedTokenCount(key), 0);
});

test('a token verified under one secret is never accepted under another (secret rotation)', async () => {
  const oldKey = await keysOf(SECRET);
  const token = await sign({ role: 'service_role', exp: now() + 3600 });
  assert.equal((await verifyJwt(token, oldKey)).ok, true);
  const rotated = await verifyJwt(token, await keysOf(`${SECRET}-rotated`));
  assert.equal(rotated.ok, false);
  assert.equal(!rotated.ok && rotated.reason, 'invalid');
});

test('failures are not cached, and the cache keeps at most its bound, dropping the oldest', async () => {
  const key = await keysOf(SECRET);
  const forged = await sign({ role: 'service_role' }, 'another-secret-another-secret-another');
  assert.equal((await verifyJwt(forged, key)).ok, false);
  assert.equal(cachedTokenCount(key), 0);
  const exp = now() + 3600;
  const tokens = await Promise.all(Array.from({ length: JWT_CACHE_MAX_ENTRIES + 1 }, (_, i) => sign({ role: 'authenticated', sub: `u${i}`, exp })));
  const results = [];
  for (const t of tokens) results.push(await verifyJwt(t, key));
  assert.equal(cachedTokenCount(key), JWT_CACHE_MAX_ENTRIES);
  const [first, last] = [results[0], results.at(-1)];
  const [firstAgain, lastAgain] = [await verifyJwt(tokens[0] as string, key), await verifyJwt(tokens.at(-1) as string, key)];
  assert.ok(first?.ok && last?.ok && firstAgain.ok && lastAgain.ok);
  assert.equal(lastAgain.claims, last.claims);
  assert.notEqual(firstAgain.claims, first.claims);
});
