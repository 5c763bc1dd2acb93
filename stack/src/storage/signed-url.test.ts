import assert from 'node:assert/strict';
import { test } from 'vitest';
import { decodeJwt, SignJWT } from 'jose';
import { StorageError } from './errors.ts';
import { assertValidExpiresIn, SCOPE_DOWNLOAD, SCOPE_UPLOAD, UrlSigner } from './signed-url.ts';

const key = new TextEncoder().encode('super-secret-jwt-token-with-at-least-32-characters-long');
const signer = new UrlSigner(key);
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof StorageError ? e.code : String(e)));

test('download tokens: {url, scope, iat, exp}, bound to one object', async () => {
  const token = await signer.signDownload('avatars/u/cat.png', 60);
  const claims = decodeJwt(token);
  assert.deepEqual(Object.keys(claims).sort(), ['exp', 'iat', 'scope', 'url']);
  assert.equal(claims.exp! - claims.iat!, 60);
  assert.equal((await signer.verify(token, 'avatars/u/cat.png', SCOPE_DOWNLOAD)).url, 'avatars/u/cat.png');
  assert.equal(await code(signer.verify(token, 'avatars/u/dog.png', SCOPE_DOWNLOAD)), 'InvalidSignature');
  assert.equal(await code(signer.verify(token, 'avatars/u/cat.png', SCOPE_UPLOAD)), 'InvalidSignature');
  assert.equal(await code(signer.verify(`${token}x`, 'avatars/u/cat.png', SCOPE_DOWNLOAD)), 'InvalidJWT');
  const other = await new UrlSigner(new TextEncoder().encode('another-secret-another-secret-another-secret')).signDownload('avatars/u/cat.png', 60);
  assert.equal(await code(signer.verify(other, 'avatars/u/cat.png', SCOPE_DOWNLOAD)), 'InvalidJWT');
});

test('upload tokens carry owner and upsert and cannot download', async () => {
  const token = await signer.signUpload('b/k.txt', 'user-1', true);
  const payload = await signer.verify(token, 'b/k.txt', SCOPE_UPLOAD);
  assert.equal(payload.owner, 'user-1');
  assert.equal(payload.upsert, true);
  assert.equal(await code(signer.verify(token, 'b/k.txt', SCOPE_DOWNLOAD)), 'InvalidSignature');
});

test('legacy tokens without scope are told apart by `upsert`', async () => {
  const legacyDownload = await new SignJWT({ url: 'b/k' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1m').sign(key);
  assert.equal(await code(signer.verify(legacyDownload, 'b/k', SCOPE_DOWNLOAD)), 'ok');
  assert.equal(await code(signer.verify(legacyDownload, 'b/k', SCOPE_UPLOAD)), 'InvalidSignature');
});

test('expired tokens and bad expiries are refused', async () => {
  const expired = await new SignJWT({ url: 'b/k', scope: 'download' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(1000).setExpirationTime(1001).sign(key);
  await assert.rejects(signer.verify(expired, 'b/k', SCOPE_DOWNLOAD), /"exp" claim timestamp check failed/);
  assertValidExpiresIn(1);
  for (const bad of [0, -1, 1.5, Number.MAX_SAFE_INTEGER, '60']) assert.throws(() => assertValidExpiresIn(bad), /Invalid Parameter expiresIn/);
});
