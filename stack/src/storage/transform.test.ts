import assert from 'node:assert/strict';
import { test } from 'vitest';
import { StorageError } from './errors.ts';
import { outputFormat, parseTransformBody, parseTransformationString, parseTransformQuery, resizingType, transformationSegments } from './transform.ts';

const message = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return e instanceof StorageError ? `${e.code}: ${e.message}` : String(e);
  }
};

test('query options are parsed and checked like the route schema', () => {
  assert.deepEqual(parseTransformQuery({ width: '100', height: '0', resize: 'contain', format: 'webp', quality: '20', download: 'x', token: 'y' }), {
    width: 100,
    height: 0,
    resize: 'contain',
    format: 'webp',
    quality: 20,
  });
  assert.equal(message(() => parseTransformQuery({ width: '-1' })), 'InvalidRequest: querystring/width must be >= 0');
  assert.equal(message(() => parseTransformQuery({ width: 'abc' })), 'InvalidRequest: querystring/width must be integer');
  assert.equal(message(() => parseTransformQuery({ height: '2.5' })), 'InvalidRequest: querystring/height must be integer');
  assert.equal(message(() => parseTransformQuery({ quality: '19' })), 'InvalidRequest: querystring/quality must be >= 20');
  assert.equal(message(() => parseTransformQuery({ format: 'origin\n' })), 'InvalidRequest: querystring/format must be equal to one of the allowed values');
  assert.equal(message(() => parseTransformQuery({ gravity: 'up' })), 'InvalidRequest: querystring/gravity must be equal to one of the allowed values');
  assert.equal(message(() => parseTransformQuery({ gravity: 'fp' })), "InvalidRequest: querystring must have required property 'x_offset'");
  assert.equal(message(() => parseTransformQuery({ gravity: 'fp', x_offset: '0.5', y_offset: '-0.1' })), 'InvalidRequest: querystring/y_offset must be >= 0');
  assert.equal(message(() => parseTransformBody({ width: '100' })), 'InvalidRequest: body/transform/width must be integer');
  assert.deepEqual(parseTransformBody({ width: 10, gravity: 'sowe', x_offset: -5 }), { width: 10, gravity: 'sowe', x_offset: -5 });
});

test('segments: clamped sizes, the resizing type imgproxy calls it, format unless origin, gravity', () => {
  assert.deepEqual(transformationSegments({}), []);
  assert.deepEqual(transformationSegments({ width: 5000, height: 0, quality: 60 }), ['width:2000', 'resizing_type:fill', 'quality:60']);
  assert.deepEqual(transformationSegments({ width: 10, height: 20, resize: 'contain', format: 'avif' }), ['height:20', 'width:10', 'resizing_type:fit', 'format:avif']);
  assert.deepEqual(transformationSegments({ height: 1, resize: 'fill', format: 'origin' }), ['height:1', 'resizing_type:force']);
  assert.deepEqual(transformationSegments({ gravity: 'fp', x_offset: 0, y_offset: 1 }), ['gravity:fp:0:1']);
  assert.deepEqual(transformationSegments({ gravity: 'no' }), ['gravity:no']);
  assert.deepEqual(transformationSegments({ gravity: 'we', x_offset: 10 }), ['gravity:we:10:0']);
  assert.deepEqual(transformationSegments({ width: 100, height: 100 }, true), ['height:100', 'width:100', 'resize:undefined']);
  assert.equal(resizingType(undefined), 'fill');
});

test('a signed token’s transformations read back to the same options', () => {
  for (const o of [{ width: 100, height: 50, quality: 60 }, { width: 10, resize: 'contain' as const, format: 'webp' as const }, { height: 5, gravity: 'fp' as const, x_offset: 0.25, y_offset: 0.75 }]) {
    const back = parseTransformationString(transformationSegments(o, true).join(','));
    assert.deepEqual(transformationSegments(back), transformationSegments(o));
  }
  assert.deepEqual(parseTransformationString('width:abc,resize:undefined,format:gif,bogus:1,height:'), {});
});

test('output format: explicit, origin, WebP for clients that accept it', () => {
  assert.equal(outputFormat('png', undefined, undefined), 'png');
  assert.equal(outputFormat('png', undefined, '*/*'), 'png');
  assert.equal(outputFormat('jpeg', undefined, 'image/avif,image/webp,*/*;q=0.8'), 'webp');
  assert.equal(outputFormat('jpeg', 'origin', 'image/webp'), 'jpeg');
  assert.equal(outputFormat('gif', 'avif', undefined), 'avif');
  assert.equal(outputFormat('gif', undefined, 'image/webpx'), 'gif');
});
