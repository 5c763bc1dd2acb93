import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { SignJWT } from 'jose';
import { parseJoin } from './messages.ts';
import { expiredPartitions, partitionName, wantedDays } from './partitions.ts';
import { readLimits, WindowCounter } from './limits.ts';
import { verifyRealtimeToken } from './token.ts';
import { loadJwtKeys } from '../kit/jwt-keys.ts';

describe('limits', () => {
  test('Supabase Free-plan defaults, overridable by environment', () => {
    const l = readLimits({});
    assert.equal(l.maxEventsPerSecond, 100);
    assert.equal(l.maxChannelsPerClient, 100);
    assert.equal(l.maxPayloadBytes, 256_500);
    assert.equal(l.maxConcurrentUsers, 0);
    assert.equal(readLimits({ REALTIME_MAX_EVENTS_PER_SECOND: '5', REALTIME_MAX_PAYLOAD_SIZE_KB: 'x' }).maxEventsPerSecond, 5);
    assert.equal(readLimits({ REALTIME_MAX_PAYLOAD_SIZE_KB: 'x' }).maxPayloadBytes, 256_500);
  });

  test('window counter', () => {
    const w = new WindowCounter(2, 1000);
    assert.equal(w.hit(0), true);
    assert.equal(w.hit(10), true);
    assert.equal(w.hit(20), false);
    assert.equal(w.hit(1000), true);
    assert.equal(new WindowCounter(0, 1000).hit(0, 1e9), true, '0 = unlimited');
  });
});

describe('join payload', () => {
  test('defaults, flexible booleans, lenient casting as Realtime does', () => {
    const j = parseJoin({ config: { broadcast: { self: 'TRUE', ack: 'nope' }, presence: { key: 'k' }, private: 'true', postgres_changes: [null, { event: '*', schema: 'public' }] }, access_token: 't' });
    assert.equal(j.newApi, true);
    assert.equal(j.config.broadcast.self, true);
    assert.equal(j.config.broadcast.ack, false);
    assert.equal(j.config.private, true);
    assert.equal(j.presenceKey, 'k');
    assert.deepEqual(j.config.postgres_changes, [{ event: '*', schema: 'public' }]);
    assert.equal(j.accessToken, 't');
    const empty = parseJoin('garbage');
    assert.equal(empty.newApi, false);
    assert.equal(empty.config.private, false);
    assert.equal(empty.presenceKey, undefined);
    assert.equal(parseJoin({ config: { presence: { key: '' } } }).presenceKey, undefined);
  });
});

describe('partitions', () => {
  test('yesterday to today+3, names, expiry after 72 hours', () => {
    const now = new Date('2026-03-01T10:00:00Z');
    assert.deepEqual(wantedDays(now), ['2026-02-28', '2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04']);
    assert.equal(partitionName('2026-03-01'), 'messages_2026_03_01');
    assert.deepEqual(expiredPartitions(['messages_2026_02_25', 'messages_2026_02_26', 'messages_2026_02_27', 'messages_default'], now), ['messages_2026_02_25']);
  });
});

describe('tokens', () => {
  const secret = 'a-secret-that-is-long-enough-for-hs256-xx';
  const key = new TextEncoder().encode(secret);
  const keys = loadJwtKeys(secret, undefined);
  const sign = (claims: Record<string, unknown>, k = key) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(k);
  const now = 1_800_000_000_000;

  test('valid, expired, missing claims, bad signature, malformed', async () => {
    const ok = await verifyRealtimeToken(await sign({ role: 'authenticated', exp: now / 1000 + 60 }), await keys, now);
    assert.equal(ok.ok, true);
    const expired = await verifyRealtimeToken(await sign({ role: 'anon', exp: now / 1000 - 42 }), await keys, now);
    assert.deepEqual(expired.ok ? null : [expired.code, expired.message], ['InvalidJWTToken', 'Token has expired 42 seconds ago']);
    const noRole = await verifyRealtimeToken(await sign({ exp: now / 1000 + 60 }), await keys, now);
    assert.deepEqual(noRole.ok ? null : [noRole.code, noRole.message], ['InvalidJWTToken', 'Fields `role` and `exp` are required in JWT']);
    const forged = await verifyRealtimeToken(await sign({ role: 'anon', exp: now / 1000 + 60 }, new TextEncoder().encode('another-secret-another-secret-another-sec')), await keys, now);
    assert.deepEqual(forged.ok ? null : [forged.code, forged.message], ['JwtSignatureError', 'Failed to validate JWT signature']);
    const junk = await verifyRealtimeToken('not-a-jwt', await keys, now);
    assert.deepEqual(junk.ok ? null : [junk.code, junk.message], ['MalformedJWT', 'The token provided is not a valid JWT']);
  });
});
