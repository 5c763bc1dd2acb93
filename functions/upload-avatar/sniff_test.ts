import assert from 'node:assert/strict';
import { describeBytes, sniffImage } from './sniff.ts';

const bytes = (...b: number[]) => new Uint8Array(b);
const text = (s: string) => new TextEncoder().encode(s);

Deno.test('PNG, JPEG and WebP are recognised by their magic numbers', () => {
  assert.deepEqual(sniffImage(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13)), { mime: 'image/png', extension: 'png' });
  assert.deepEqual(sniffImage(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16)), { mime: 'image/jpeg', extension: 'jpg' });
  assert.deepEqual(sniffImage(new Uint8Array([...text('RIFF'), 0x24, 0, 0, 0, ...text('WEBPVP8 ')])), { mime: 'image/webp', extension: 'webp' });
});

Deno.test('an SVG or HTML file is refused whatever its name would say', () => {
  const svg = text('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
  assert.equal(sniffImage(svg), null);
  assert.equal(describeBytes(svg), 'an SVG image');
  const html = text('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>');
  assert.equal(sniffImage(html), null);
  assert.equal(describeBytes(html), 'an HTML document');
  assert.equal(describeBytes(text('\uFEFF  <svg></svg>')), 'an SVG image');
});

Deno.test('truncated or near-miss headers are not images', () => {
  assert.equal(sniffImage(new Uint8Array()), null);
  assert.equal(sniffImage(bytes(0x89, 0x50, 0x4e, 0x47)), null, 'a PNG signature cut short');
  assert.equal(sniffImage(bytes(0xff, 0xd8)), null);
  assert.equal(sniffImage(new Uint8Array([...text('RIFF'), 0, 0, 0, 0, ...text('WAVE')])), null, 'a RIFF that is audio');
  assert.equal(sniffImage(text('GIF89a')), null, 'GIF is not accepted');
  assert.equal(describeBytes(text('GIF89a')), 'a GIF image');
  assert.equal(describeBytes(new Uint8Array()), 'an empty file');
  assert.equal(describeBytes(bytes(1, 2, 3)), 'not a PNG, JPEG or WebP image');
});
