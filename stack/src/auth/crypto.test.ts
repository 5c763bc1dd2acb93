import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'vitest';
import { generateOtp, hashPassword, isBcryptHash, pkceMismatch, randomPassword, secureAlphanumeric, tokenHash, verifyPassword } from './crypto.ts';

test('OTPs are zero-padded digits of the configured length', () => {
  for (let i = 0; i < 50; i++) assert.match(generateOtp(6), /^\d{6}$/);
  assert.match(generateOtp(10), /^\d{10}$/);
});

test('token hashes: hex sha224 of address + code (GoTrue crypto.GenerateTokenHash)', () => {
  assert.equal(tokenHash('a@example.com', '123456'), createHash('sha224').update('a@example.com123456').digest('hex'));
  assert.equal(tokenHash('a@example.com', '123456').length, 56);
});

test('refresh tokens: 12 lower-case base32 characters', () => {
  for (let i = 0; i < 50; i++) assert.match(secureAlphanumeric(12), /^[a-z2-7]{12}$/);
});

test('bcrypt: $2a$ cost 10 written, $2a/$2b/$2y read', async () => {
  const hash = await hashPassword('Secret-123');
  assert.match(hash, /^\$2a\$10\$/);
  assert.ok(isBcryptHash(hash));
  assert.equal(await verifyPassword('Secret-123', hash), true);
  assert.equal(await verifyPassword('secret-123', hash), false);
  assert.equal(await verifyPassword('Secret-123', hash.replace('$2a$', '$2b$')), true);
  assert.equal(await verifyPassword('Secret-123', hash.replace('$2a$', '$2y$')), true);
  assert.equal(await verifyPassword('x', null), false);
  assert.equal(await verifyPassword('x', ''), false);
});

test('random passwords satisfy every required set', () => {
  const pw = randomPassword(33, ['abc', '012', '!']);
  assert.equal(pw.length, 33);
  assert.ok(/[abc]/.test(pw) && /[012]/.test(pw) && pw.includes('!'));
});

test('PKCE: s256 and plain', () => {
  const verifier = 'v'.repeat(43);
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  assert.equal(pkceMismatch(challenge, 's256', verifier), undefined);
  assert.equal(pkceMismatch(challenge, 'S256', 'w'.repeat(43)), 'code challenge does not match previously saved code verifier');
  assert.equal(pkceMismatch(verifier, 'plain', verifier), undefined);
  assert.equal(pkceMismatch(verifier, 'md5', verifier), 'code challenge method not supported');
});
