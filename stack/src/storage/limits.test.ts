import assert from 'node:assert/strict';
import { test } from 'vitest';
import { StorageError } from './errors.ts';
import { isValidBucketName, isValidKey, maxUploadSize, mustBeValidKey, parseFileSizeLimit, validateAllowedMimeTypes, validateMimeType } from './limits.ts';

test('keys: Supabase charset, and nothing that could name another path', () => {
  for (const ok of ['a.txt', 'folder/cat.png', "a b/(1)!*'&$=@;:+,?-_.txt", 'u/.emptyFolderPlaceholder', 'x..y/z']) {
    assert.equal(isValidKey(ok), true, ok);
  }
  for (const bad of ['', '..', '../x', 'a/../b', 'a/./b', './a', '/abs', 'a//b', 'trailing/', 'nul\0', 'ctl\u0001', 'back\\slash', 'ünï', 'a%2F', 'x'.repeat(1025)]) {
    assert.equal(isValidKey(bad), false, JSON.stringify(bad));
  }
  assert.throws(
    () => mustBeValidKey('../x'),
    (e: unknown) => e instanceof StorageError && e.code === 'InvalidKey' && e.message === 'Invalid key: ../x',
  );
});

test('bucket names: charset, length, never a path', () => {
  assert.equal(isValidBucketName('avatars'), true);
  assert.equal(isValidBucketName('x'.repeat(100)), true);
  for (const bad of ['', '.', '..', 'a/b', 'x'.repeat(101), 'nul\0']) assert.equal(isValidBucketName(bad), false, bad);
});

test('MIME types: wildcards by type, exact subtypes otherwise', () => {
  validateMimeType('image/png', ['image/*']);
  validateMimeType('text/plain', ['image/*', 'text/plain']);
  assert.throws(() => validateMimeType('text/plain;charset=UTF-8', ['text/plain']), /mime type text\/plain;charset=UTF-8 is not supported/);
  assert.throws(() => validateMimeType('text/html', ['image/*', 'text/plain']), (e: unknown) => e instanceof StorageError && e.render().statusCode === '415');
  assert.throws(() => validateMimeType('nonsense', ['image/*']), /not supported/);
  validateAllowedMimeTypes(['image/*', 'text/plain; charset=utf-8', 'application/vnd.api+json']);
  assert.throws(() => validateAllowedMimeTypes(['not a mime']), /mime type not a mime is not supported/);
});

test('bucket size limits: bytes or decimal units, capped by the global limit', () => {
  assert.equal(parseFileSizeLimit(1024), 1024);
  assert.equal(parseFileSizeLimit('1MB'), 1_000_000);
  assert.equal(parseFileSizeLimit('1.5kb'), 1500);
  assert.equal(parseFileSizeLimit('20GB'), 20_000_000_000);
  assert.throws(() => parseFileSizeLimit('1 MiB'), /Invalid file size format/);
  assert.throws(() => parseFileSizeLimit(-1), /Invalid file size format/);
  assert.equal(maxUploadSize(50, null), 50);
  assert.equal(maxUploadSize(50, 10), 10);
  assert.equal(maxUploadSize(50, 100), 50);
});
