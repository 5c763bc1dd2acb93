import assert from 'node:assert/strict';
import { test } from 'vitest';
import { AuthError } from './errors.ts';
import { claimViolations, interpretHookOutput } from './hooks.ts';

const claims = { aud: 'authenticated', exp: 2, iat: 1, sub: 's', email: '', phone: '', role: 'authenticated', aal: 'aal1', session_id: 'x', is_anonymous: false };

test('valid claims pass through', () => {
  assert.deepEqual(interpretHookOutput({ claims: { ...claims, extra: 1 } }), { ...claims, extra: 1 });
  assert.deepEqual(claimViolations(claims), []);
});

test('a missing or mistyped required claim is a 500 naming it', () => {
  const { session_id: _, ...rest } = claims;
  assert.throws(() => interpretHookOutput({ claims: rest }), (e: unknown) => e instanceof AuthError && e.status === 500 && /session_id is required/.test(e.message));
  assert.deepEqual(claimViolations({ ...claims, exp: 'soon' }), ['exp: Invalid type.']);
});

test('{error} becomes the response: its status (default 500) and message, no code', () => {
  assert.throws(
    () => interpretHookOutput({ error: { http_code: 403, message: 'nope' } }),
    (e: unknown) => e instanceof AuthError && e.status === 403 && e.code === undefined && e.message === 'nope',
  );
  assert.throws(() => interpretHookOutput({ error: { message: 'nope' } }), (e: unknown) => e instanceof AuthError && e.status === 500);
  assert.throws(() => interpretHookOutput({}), /output claims field is missing/);
  assert.throws(() => interpretHookOutput(null), /Error unmarshaling JSON output/);
});
