import assert from 'node:assert/strict';
import { test } from 'vitest';
import { jwtRefusal } from './auth.ts';
import { FUNCTION_ERRORS, functionError, unauthorized } from './errors.ts';

const valid = async (token: string) => token === 'good';

test('verify_jwt refusals use the edge runtime wording', async () => {
  assert.equal(await jwtRefusal(undefined, valid), 'Missing authorization header');
  assert.equal(await jwtRefusal('', valid), 'Missing authorization header');
  assert.equal(await jwtRefusal('Basic dXNlcjpwdw==', valid), "Auth header is not 'Bearer {token}'");
  assert.equal(await jwtRefusal('bearer good', valid), "Auth header is not 'Bearer {token}'", 'the scheme is case-sensitive');
  assert.equal(await jwtRefusal('Bearer', valid), 'Invalid JWT');
  assert.equal(await jwtRefusal('Bearer bad', valid), 'Invalid JWT');
  assert.equal(await jwtRefusal('Bearer good', valid), undefined);
});

test('runtime errors are {code, message} with their status', async () => {
  for (const [code, { status, message }] of Object.entries(FUNCTION_ERRORS)) {
    const res = functionError(code as keyof typeof FUNCTION_ERRORS);
    assert.equal(res.status, status);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(await res.json(), { code, message });
  }
  assert.equal(FUNCTION_ERRORS.BOOT_ERROR.status, 503);
  assert.equal(FUNCTION_ERRORS.WORKER_ERROR.status, 500);
  assert.equal(FUNCTION_ERRORS.WORKER_LIMIT.status, 546);
  assert.deepEqual(await functionError('NOT_FOUND').json(), { code: 'NOT_FOUND', message: 'Requested function was not found' });
  const u = unauthorized('Invalid JWT');
  assert.equal(u.status, 401);
  assert.deepEqual(await u.json(), { msg: 'Invalid JWT' });
});
