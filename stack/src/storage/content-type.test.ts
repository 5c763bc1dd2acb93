// What bytes are, and the destination rules of a copy or cross-bucket move.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { checkDestination, mimeEssence, sniffMimeType, type DestinationCheck } from './content-type.ts';
import { StorageError } from './errors.ts';

const bytes = (...xs: (number[] | string)[]) => new Uint8Array(xs.flatMap((x) => (typeof x === 'string' ? [...Buffer.from(x)] : x)));
const SVG = bytes('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'rest');

describe('sniffMimeType', () => {
  test('raster images and PDF by signature', () => {
    assert.equal(sniffMimeType(PNG), 'image/png');
    assert.equal(sniffMimeType(bytes([0xff, 0xd8, 0xff, 0xe0])), 'image/jpeg');
    assert.equal(sniffMimeType(bytes('GIF89a....')), 'image/gif');
    assert.equal(sniffMimeType(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 ')), 'image/webp');
    assert.equal(sniffMimeType(bytes([0, 0, 0, 28], 'ftypavif')), 'image/avif');
    assert.equal(sniffMimeType(bytes('%PDF-1.7')), 'application/pdf');
  });
  test('markup a browser would run: SVG (with or without a prolog, BOM, white space), HTML, XML', () => {
    assert.equal(sniffMimeType(SVG), 'image/svg+xml');
    assert.equal(sniffMimeType(bytes([0xef, 0xbb, 0xbf], '  \n<SVG width="1">')), 'image/svg+xml');
    assert.equal(sniffMimeType(bytes('<!DOCTYPE html><p>hi')), 'text/html');
    assert.equal(sniffMimeType(bytes('<script>alert(1)</script>')), 'text/html');
    assert.equal(sniffMimeType(bytes('<?xml version="1.0"?><feed/>')), 'application/xml');
  });
  test('anything else is not recognised', () => {
    for (const b of [bytes(''), bytes('hello'), bytes('x'), bytes('{"a":1}'), bytes('<notatag')]) assert.equal(sniffMimeType(b), undefined);
  });
});

describe('checkDestination', () => {
  const raster = { file_size_limit: 2048, allowed_mime_types: ['image/png', 'image/jpeg', 'image/webp'] };
  const open = { file_size_limit: null, allowed_mime_types: null };
  const check = (o: Partial<DestinationCheck>) =>
    checkDestination({ objectName: 'u/a', storedMimeType: 'image/png', requestedMimeType: undefined, sniffedMimeType: 'image/png', size: 10, bucket: raster, globalFileSizeLimit: 50_000_000, ...o });
  const fails = (o: Partial<DestinationCheck>, code: string, status: string, message: string) =>
    assert.throws(
      () => check(o),
      (e: unknown) => {
        assert.ok(e instanceof StorageError);
        const r = e.render();
        assert.deepEqual([r.code, r.statusCode, r.message], [code, status, message]);
        return true;
      },
    );

  test('an object whose label and bytes the bucket allows keeps its type', () => {
    assert.equal(check({}), 'image/png');
    assert.equal(check({ storedMimeType: 'image/jpeg', sniffedMimeType: 'image/jpeg' }), 'image/jpeg');
    assert.equal(check({ storedMimeType: 'text/plain', sniffedMimeType: undefined, bucket: open }), 'text/plain');
  });
  test('a label the destination does not allow is a 415', () => {
    fails({ storedMimeType: 'image/svg+xml', sniffedMimeType: 'image/svg+xml' }, 'InvalidMimeType', '415', 'mime type image/svg+xml is not supported');
    fails({ storedMimeType: 'text/plain', sniffedMimeType: undefined }, 'InvalidMimeType', '415', 'mime type text/plain is not supported');
  });
  test('SVG bytes labelled image/png are refused by a raster-only bucket', () => {
    fails({ storedMimeType: 'image/png', sniffedMimeType: 'image/svg+xml' }, 'InvalidMimeType', '415', 'mime type image/svg+xml is not supported');
    fails({ storedMimeType: 'image/png', sniffedMimeType: 'text/html' }, 'InvalidMimeType', '415', 'mime type text/html is not supported');
  });
  test('raster bytes under another allowed raster label keep the label, as Storage trusts it', () => {
    assert.equal(check({ storedMimeType: 'image/png', sniffedMimeType: 'image/jpeg', bucket: { ...raster, allowed_mime_types: ['image/png'] } }), 'image/png');
  });
  test('a caller-chosen type is taken only when the bytes are of that type', () => {
    fails({ storedMimeType: 'text/plain', requestedMimeType: 'image/svg+xml', sniffedMimeType: undefined, bucket: open }, 'InvalidMimeType', '415', 'mime type image/svg+xml is not supported');
    fails({ storedMimeType: 'text/plain', requestedMimeType: 'image/png', sniffedMimeType: 'image/svg+xml' }, 'InvalidMimeType', '415', 'mime type image/png is not supported');
    assert.equal(check({ storedMimeType: 'application/octet-stream', requestedMimeType: 'image/png', sniffedMimeType: 'image/png' }), 'image/png');
    // Asking for the stored type (parameters aside) is no relabelling.
    assert.equal(check({ storedMimeType: 'text/plain', requestedMimeType: 'TEXT/PLAIN', sniffedMimeType: undefined, bucket: open }), 'text/plain');
  });
  test('the destination size limit (never above the global one) is a 413', () => {
    assert.equal(check({ size: 2048 }), 'image/png');
    fails({ size: 2049 }, 'EntityTooLarge', '413', 'The object exceeded the maximum allowed size');
    fails({ size: 101, bucket: open, globalFileSizeLimit: 100 }, 'EntityTooLarge', '413', 'The object exceeded the maximum allowed size');
  });
  test('mimeEssence', () => {
    assert.equal(mimeEssence(' Text/Plain; charset=UTF-8'), 'text/plain');
  });
});
