import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { test } from 'vitest';
import sharp from 'sharp';
import { StorageError } from './errors.ts';
import { renderImage, sourceFormat, UNSUPPORTED_SOURCE } from './image.ts';

const dir = mkdtempSync(join(tmpdir(), 'image-'));

async function file(name: string, bytes: Buffer): Promise<{ path: string; size: number; head: Buffer }> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, size: bytes.length, head: bytes.subarray(0, 1024) };
}

/** 300×100: red | green | blue thirds. */
const stripes = () =>
  sharp({ create: { width: 300, height: 100, channels: 3, background: '#ff0000' } })
    .composite([
      { input: { create: { width: 100, height: 100, channels: 3, background: '#00ff00' } }, left: 100, top: 0 },
      { input: { create: { width: 100, height: 100, channels: 3, background: '#0000ff' } }, left: 200, top: 0 },
    ])
    .png()
    .toBuffer();

async function look(buf: Buffer): Promise<{ format: string | undefined; width: number | undefined; height: number | undefined; first: number[] }> {
  const m = await sharp(buf).metadata();
  const { data } = await sharp(buf).raw().toBuffer({ resolveWithObject: true });
  return { format: m.format, width: m.width, height: m.height, first: [data[0]!, data[1]!, data[2]!] };
}

test('sources: only raster images whose bytes say so', async () => {
  assert.equal(sourceFormat(await stripes()), 'png');
  assert.equal(sourceFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), undefined);
  assert.equal(sourceFormat(Buffer.from('%PDF-1.4')), undefined);
  const f = await file('note.txt', Buffer.from('hello'));
  await assert.rejects(renderImage(f.path, f.size, f.head, { width: 1 }, undefined), (e: unknown) => e instanceof StorageError && e.message === UNSUPPORTED_SOURCE && e.httpStatusCode === 400);
  const broken = await file('broken.png', Buffer.concat([(await stripes()).subarray(0, 40)]));
  await assert.rejects(renderImage(broken.path, broken.size, broken.head, { width: 1 }, undefined), (e: unknown) => e instanceof StorageError && e.httpStatusCode === 400);
});

test('fill crops the centre by default and where the gravity says; never enlarges', async () => {
  const f = await file('stripes.png', await stripes());
  const render = async (o: Parameters<typeof renderImage>[3]) => look((await renderImage(f.path, f.size, f.head, o, undefined)).body);
  assert.deepEqual(await render({ width: 100, height: 100 }), { format: 'png', width: 100, height: 100, first: [0, 255, 0] });
  assert.deepEqual((await render({ width: 100, height: 100, gravity: 'we' })).first, [255, 0, 0]);
  assert.deepEqual((await render({ width: 100, height: 100, gravity: 'ea' })).first, [0, 0, 255]);
  assert.deepEqual((await render({ width: 100, height: 100, gravity: 'we', x_offset: 200 })).first, [0, 0, 255]);
  assert.deepEqual((await render({ width: 100, height: 100, gravity: 'fp', x_offset: 0, y_offset: 0.5 })).first, [255, 0, 0]);
  assert.deepEqual(await render({ width: 600, height: 50 }).then((r) => [r.width, r.height]), [300, 50]);
  assert.deepEqual(await render({ width: 1000 }).then((r) => [r.width, r.height]), [300, 100]);
  assert.deepEqual(await render({ width: 30, height: 30, resize: 'contain' }).then((r) => [r.width, r.height]), [30, 10]);
  assert.deepEqual(await render({ width: 30, height: 30, resize: 'fill' }).then((r) => [r.width, r.height]), [30, 30]);
});

test('output formats and content types; EXIF orientation applied', async () => {
  const f = await file('stripes2.png', await stripes());
  assert.equal((await renderImage(f.path, f.size, f.head, { width: 10, format: 'webp' }, undefined)).contentType, 'image/webp');
  assert.equal((await renderImage(f.path, f.size, f.head, { width: 10, format: 'avif' }, undefined)).contentType, 'image/avif');
  assert.equal((await renderImage(f.path, f.size, f.head, { width: 10 }, 'image/webp')).contentType, 'image/webp');
  assert.equal((await renderImage(f.path, f.size, f.head, { width: 10, format: 'origin' }, 'image/webp')).contentType, 'image/png');
  const rotated = await file('rotated.jpg', await sharp(await stripes()).jpeg().withMetadata({ orientation: 6 }).toBuffer());
  const r = await look((await renderImage(rotated.path, rotated.size, rotated.head, {}, undefined)).body);
  assert.deepEqual([r.format, r.width, r.height], ['jpeg', 100, 300]);
});

test('limits: source bytes and resolution', async () => {
  const f = await file('big.png', await stripes());
  await assert.rejects(renderImage(f.path, 25_000_001, f.head, {}, undefined), /file is too large/);
  // A PNG whose header says 10000×6000: refused from the header, before any decoding.
  const png = Buffer.from(await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } }).png().toBuffer());
  png.writeUInt32BE(10000, 16);
  png.writeUInt32BE(6000, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  const huge = await file('huge.png', png);
  await assert.rejects(renderImage(huge.path, huge.size, huge.head, { width: 10 }, undefined), /resolution is too large/);
});
