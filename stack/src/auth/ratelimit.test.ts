import assert from 'node:assert/strict';
import { test } from 'vitest';
import { createLimiters, IntervalLimiter, KeyedTokenBucket } from './ratelimit.ts';

test('token bucket: a full burst, then the refill rate, per key', () => {
  const b = new KeyedTokenBucket(30 / 300, 30);
  const t = 1_000_000;
  for (let i = 0; i < 30; i++) assert.equal(b.allow('1.2.3.4', t), true);
  assert.equal(b.allow('1.2.3.4', t), false);
  assert.equal(b.allow('5.6.7.8', t), true, 'another client has its own bucket');
  assert.equal(b.allow('1.2.3.4', t + 9_000), false, 'one token takes 10 s at 30 per 5 min');
  assert.equal(b.allow('1.2.3.4', t + 10_000), true);
});

test('interval limiter: N per window, reset on the next window', () => {
  const l = new IntervalLimiter(2, 3_600_000, 0);
  assert.deepEqual([l.allow(1), l.allow(2), l.allow(3)], [true, true, false]);
  assert.equal(l.allow(3_600_001), true);
});

test('limiters from [auth.rate_limit]', () => {
  const l = createLimiters({ emailSent: 30, anonymousUsers: 30, tokenRefresh: 150, signInSignUps: 60, tokenVerifications: 30, web3: 30, mfaChallengeAndVerify: 15 });
  assert.equal(l.token.ratePerSecond, 0.5);
  // sign_in_sign_ups refills every bucket GoTrue derives from GOTRUE_RATE_LIMIT_OTP.
  for (const bucket of [l.signups, l.recover, l.resend, l.magicLink, l.otp, l.user]) {
    assert.equal(bucket.ratePerSecond, 60 / 300);
    assert.equal(bucket.burst, 60, 'all 60 of the 5-minute allowance at once');
  }
  const low = createLimiters({ emailSent: 30, anonymousUsers: 30, tokenRefresh: 150, signInSignUps: 10, tokenVerifications: 30, web3: 30, mfaChallengeAndVerify: 15 });
  assert.equal(low.signups.burst, 30, "never below GoTrue's burst");
  assert.equal(l.factorVerify.ratePerSecond, 15 / 60);
  assert.equal(l.token.burst, 30);
  assert.equal(l.anonymousSignIns.burst, 30);
  assert.equal(l.email.events, 30);
});
