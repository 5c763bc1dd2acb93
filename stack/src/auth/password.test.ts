import assert from 'node:assert/strict';
import { test } from 'vitest';
import { passwordProblem } from './password.ts';

const policy = { minLength: 8, requiredCharacters: ['abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789'] };

test('a password meeting the policy passes', () => {
  assert.equal(passwordProblem('letters123', policy), undefined);
});

test('every failed rule is named, in GoTrue’s words', () => {
  const e = passwordProblem('abc', policy);
  assert.equal(e?.status, 422);
  assert.equal(e?.code, 'weak_password');
  assert.deepEqual(e?.reasons, ['length', 'characters']);
  assert.equal(
    e?.message,
    'Password should be at least 8 characters. Password should contain at least one character of each: abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ, 0123456789.',
  );
  assert.deepEqual(passwordProblem('onlyletters', policy)?.reasons, ['characters']);
});

test('over 72 bytes is a validation error, not a weak password', () => {
  const e = passwordProblem('a1'.repeat(37), policy);
  assert.equal(e?.status, 400);
  assert.equal(e?.code, 'validation_failed');
  assert.equal(e?.message, 'Password cannot be longer than 72 characters');
});
