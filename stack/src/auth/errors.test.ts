import assert from 'node:assert/strict';
import { test } from 'vitest';
import { AuthError, badRequest, ErrorCode, internal, negotiateApiVersion, OAuthError, renderError, weakPassword } from './errors.ts';

test('API version: 2024-01-01 for valid dates from then on, else the initial version', () => {
  assert.equal(negotiateApiVersion(undefined), 'initial');
  assert.equal(negotiateApiVersion('2024-01-01'), '2024-01-01');
  assert.equal(negotiateApiVersion('2030-12-31'), '2024-01-01');
  assert.equal(negotiateApiVersion('2023-12-31'), 'initial');
  assert.equal(negotiateApiVersion('2024-02-30'), 'initial');
  assert.equal(negotiateApiVersion('2024-1-1'), 'initial');
});

test('initial format: {code: status, error_code, msg}', () => {
  const r = renderError(badRequest(ErrorCode.invalidCredentials, 'Invalid login credentials'), undefined);
  assert.deepEqual(r, {
    status: 400,
    body: { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' },
    headers: { 'x-sb-error-code': 'invalid_credentials' },
  });
});

test('2024-01-01 format: {code, message}, version echoed', () => {
  const r = renderError(badRequest(ErrorCode.invalidCredentials, 'Invalid login credentials'), '2024-01-01');
  assert.deepEqual(r, {
    status: 400,
    body: { code: 'invalid_credentials', message: 'Invalid login credentials' },
    headers: { 'X-Supabase-Api-Version': '2024-01-01', 'x-sb-error-code': 'invalid_credentials' },
  });
});

test('no code: unexpected_failure for 500, unknown otherwise; error_id on 5xx (initial format)', () => {
  assert.deepEqual(renderError(new AuthError(403, undefined, 'hook says no'), undefined).body, { code: 403, error_code: 'unknown', msg: 'hook says no' });
  assert.deepEqual(renderError(internal('boom'), undefined, 'req-1').body, { code: 500, error_code: 'unexpected_failure', msg: 'boom', error_id: 'req-1' });
  assert.deepEqual(renderError(new Error('secret detail'), '2024-01-01').body, {
    code: 'unexpected_failure',
    message: 'Unexpected failure, please check server logs for more information',
  });
});

test('weak_password carries reasons; OAuth errors are {error, error_description}', () => {
  assert.deepEqual(renderError(weakPassword('too short', ['length']), '2024-01-01').body, {
    code: 'weak_password',
    message: 'too short',
    weak_password: { reasons: ['length'] },
  });
  assert.deepEqual(renderError(new OAuthError('invalid_request', 'refresh_token required'), undefined), {
    status: 400,
    body: { error: 'invalid_request', error_description: 'refresh_token required' },
    headers: {},
  });
});
