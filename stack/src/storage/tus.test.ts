import assert from 'node:assert/strict';
import { test } from 'vitest';
import { StorageError } from './errors.ts';
import { cacheControlOf, decodeUploadId, encodeUploadId, parseSizeHeader, parseUploadMetadata, stringifyUploadMetadata } from './tus.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const code = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return e instanceof StorageError ? `${e.code} ${e.httpStatusCode}` : String(e);
  }
};

test('Upload-Metadata: base64 values, keys without values, and tus-node-server’s refusals', () => {
  assert.deepEqual(parseUploadMetadata(`bucketName ${b64('avatars')},objectName ${b64('u/ä.png')},flag`), { bucketName: 'avatars', objectName: 'u/ä.png', flag: null });
  for (const bad of ['', ' ', 'a b c', 'a !!!!', `a ${b64('x')},a ${b64('y')}`, 'k\u00e9y', 'a,,b', 'a abc']) assert.equal(code(() => parseUploadMetadata(bad)), 'TusError 400', bad);
  const meta = { bucketName: 'b', objectName: 'k/x.bin', empty: null };
  assert.deepEqual(parseUploadMetadata(stringifyUploadMetadata(meta)), meta);
});

test('upload ids: base64url of bucket/object/version, checked', () => {
  const id = { bucket: 'avatars', objectName: 'u/dir/cat.png', version: '0b3d5c1e-8f52-4a7c-9d2a-4e1f6a7b8c9d' };
  assert.deepEqual(decodeUploadId(encodeUploadId(id)), id);
  assert.equal(code(() => decodeUploadId(Buffer.from('a/b').toString('base64url'))), 'InvalidUploadId 400');
  assert.equal(code(() => decodeUploadId(Buffer.from('avatars/../x/0b3d5c1e-8f52-4a7c-9d2a-4e1f6a7b8c9d').toString('base64url'))), 'InvalidUploadId 400');
  assert.equal(code(() => decodeUploadId(Buffer.from('avatars/x/not-a-version').toString('base64url'))), 'InvalidUploadId 400');
});

test('sizes and cache control', () => {
  assert.equal(parseSizeHeader('0'), 0);
  assert.equal(parseSizeHeader('123'), 123);
  for (const bad of [undefined, '', '-1', '1.5', '1e3', ' 1', '99999999999999999999']) assert.equal(parseSizeHeader(bad), undefined);
  assert.equal(cacheControlOf('3600'), 'max-age=3600');
  assert.equal(cacheControlOf('soon'), 'no-cache');
  assert.equal(cacheControlOf(undefined), 'no-cache');
});
