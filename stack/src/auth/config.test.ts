import assert from 'node:assert/strict';
import { test } from 'vitest';
import { readConfig } from '../config.ts';
import { envName, hookFunctionName, parseGoDuration, resolveSettings, withEnvOverrides } from './config.ts';

test('Go durations', () => {
  assert.equal(parseGoDuration('1s'), 1000);
  assert.equal(parseGoDuration('1m30s'), 90_000);
  assert.equal(parseGoDuration('250ms'), 250);
  assert.equal(parseGoDuration('2h'), 7_200_000);
  assert.throws(() => parseGoDuration('10'));
  assert.throws(() => parseGoDuration(''));
});

test('hook URIs become the quoted function GoTrue calls', () => {
  assert.equal(hookFunctionName('pg-functions://postgres/public/custom_access_token_hook'), '"public"."custom_access_token_hook"');
  assert.throws(() => hookFunctionName('https://example.com/hook'), /only pg-functions/);
  assert.throws(() => hookFunctionName('pg-functions://postgres/public'), /expected/);
});

test('the project config as GoTrue sees it', () => {
  const s = resolveSettings(readConfig().auth, 54321);
  assert.equal(s.externalUrl, 'http://127.0.0.1:54321/auth/v1');
  assert.equal(s.email.autoconfirm, false);
  assert.equal(s.email.secureEmailChange, true);
  assert.equal(s.email.maxFrequencyMs, 1000);
  assert.deepEqual(s.password, { minLength: 8, requiredCharacters: ['abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789'] });
  assert.equal(s.refreshTokenReuseInterval, 10);
  assert.deepEqual(s.hooks.customAccessToken, {
    enabled: true,
    uri: 'pg-functions://postgres/public/custom_access_token_hook',
    functionName: '"public"."custom_access_token_hook"',
  });
});

test('AUTH_* overrides, typed like the TOML keys and validated', () => {
  assert.equal(envName(['rate_limit', 'email_sent']), 'AUTH_RATE_LIMIT_EMAIL_SENT');
  const auth = withEnvOverrides(readConfig().auth, {
    AUTH_RATE_LIMIT_EMAIL_SENT: '2',
    AUTH_EMAIL_ENABLE_CONFIRMATIONS: 'false',
    AUTH_HOOK_CUSTOM_ACCESS_TOKEN_URI: 'pg-functions://postgres/tests/hook',
    AUTH_ADDITIONAL_REDIRECT_URLS: 'http://a.test, http://b.test',
  });
  const s = resolveSettings(auth, 1);
  assert.equal(s.rateLimit.emailSent, 2);
  assert.equal(s.email.autoconfirm, true);
  assert.deepEqual(s.hooks.customAccessToken, { enabled: true, uri: 'pg-functions://postgres/tests/hook', functionName: '"tests"."hook"' });
  assert.deepEqual(s.redirectAllowList, ['http://a.test', 'http://b.test']);
  assert.throws(() => withEnvOverrides(readConfig().auth, { AUTH_JWT_EXPIRY: 'soon' }), /auth\.jwt_expiry/);
});

test('[auth.mfa], [auth.sms] and manual linking: off in the project, each switchable', () => {
  const off = resolveSettings(readConfig().auth, 1);
  assert.deepEqual([off.mfa.totp, off.mfa.phone, off.mfa.webauthn], [{ enroll: false, verify: false }, { enroll: false, verify: false }, { enroll: false, verify: false }]);
  assert.equal(off.mfa.maxEnrolledFactors, 10);
  assert.equal(off.phoneEnabled, false);
  assert.equal(off.manualLinking, false);
  assert.deepEqual(off.web3, { solana: false, ethereum: false });

  const on = resolveSettings(
    withEnvOverrides(readConfig().auth, {
      AUTH_MFA_TOTP_ENROLL_ENABLED: 'true',
      AUTH_MFA_TOTP_VERIFY_ENABLED: 'true',
      AUTH_MFA_MAX_ENROLLED_FACTORS: '3',
      AUTH_SMS_ENABLE_SIGNUP: 'true',
      AUTH_SMS_ENABLE_CONFIRMATIONS: 'true',
      AUTH_SMS_TEST_OTP: '4155550100=123456, 4155550101=654321',
      AUTH_ENABLE_MANUAL_LINKING: 'true',
    }),
    1,
  );
  assert.deepEqual(on.mfa.totp, { enroll: true, verify: true });
  assert.equal(on.mfa.maxEnrolledFactors, 3);
  assert.equal(on.phoneEnabled, true);
  assert.equal(on.sms.autoconfirm, false);
  assert.deepEqual(on.sms.testOtp, { '4155550100': '123456', '4155550101': '654321' });
  assert.equal(on.manualLinking, true);
});

test('the CLI spelling of [auth.sms]: enable_signup, test_otp keys with "+", numeric codes', () => {
  const auth = readConfig().auth;
  const s = resolveSettings({ ...auth, sms: { ...auth.sms, enable_signup: true, test_otp: { '+1 415 555 0100': '123456' } } }, 1);
  assert.equal(s.phoneEnabled, true);
  assert.deepEqual(s.sms.testOtp, { '14155550100': '123456' });
});
