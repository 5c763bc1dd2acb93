// Image transformations: download(path, {transform}), getPublicUrl and createSignedUrl with
// transform, the /render/image routes' query options, limits and errors, under RLS.
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import sharp from 'sharp';
import { env } from '../support/env.ts';
import { anonClient, mintUser, PRIVATE, PUBLIC, serviceClient, setupFixtures, text, type TestUser } from './fixtures.ts';

let owner: TestUser;
let other: TestUser;
const service = serviceClient();
const RENDER = `${env.SUPABASE_URL}/storage/v1/render/image`;

/** A 400×200 PNG: left half red, right half blue. */
const png = () =>
  sharp({ create: { width: 400, height: 200, channels: 3, background: '#ff0000' } })
    .composite([{ input: { create: { width: 200, height: 200, channels: 3, background: '#0000ff' } }, left: 200, top: 0 }])
    .png()
    .toBuffer();

let pngPath: string;
let textPath: string;
let publicPath: string;

before(async () => {
  await setupFixtures();
  owner = await mintUser();
  other = await mintUser();
  const image = await png();
  pngPath = `${owner.id}/pic.png`;
  textPath = `${owner.id}/note.txt`;
  publicPath = `${owner.id}/public.png`;
  const files = owner.client.storage.from(PRIVATE);
  assert.equal((await files.upload(pngPath, image, { contentType: 'image/png', cacheControl: '120' })).error, null);
  assert.equal((await files.upload(textPath, text('not an image'), { contentType: 'text/plain' })).error, null);
  assert.equal((await owner.client.storage.from(PUBLIC).upload(publicPath, image, { contentType: 'image/png' })).error, null);
});

after(async () => {
  await service.storage.from(PRIVATE).remove([pngPath, textPath]);
  await service.storage.from(PUBLIC).remove([publicPath]);
});

async function dims(blob: Blob | Buffer): Promise<{ format: string | undefined; width: number | undefined; height: number | undefined }> {
  const buf = Buffer.isBuffer(blob) ? blob : Buffer.from(await blob.arrayBuffer());
  const m = await sharp(buf).metadata();
  return { format: m.format, width: m.width, height: m.height };
}

const errorOf = (e: unknown) => {
  const err = e as { message?: string; status?: number; statusCode?: string; code?: string } | null;
  return { message: err?.message, status: err?.status, statusCode: err?.statusCode, code: err?.code };
};

describe('download(path, { transform })', () => {
  test('resizes: cover crops to the box, contain fits inside it, fill stretches, one side keeps the ratio', async () => {
    const files = owner.client.storage.from(PRIVATE);
    const cases: [Record<string, unknown>, { width: number; height: number }][] = [
      [{ width: 100, height: 100 }, { width: 100, height: 100 }],
      [{ width: 100, height: 100, resize: 'cover' }, { width: 100, height: 100 }],
      [{ width: 100, height: 100, resize: 'contain' }, { width: 100, height: 50 }],
      [{ width: 100, height: 100, resize: 'fill' }, { width: 100, height: 100 }],
      [{ width: 100 }, { width: 100, height: 50 }],
      [{ height: 50 }, { width: 100, height: 50 }],
      [{ width: 1000, height: 1000, resize: 'contain' }, { width: 400, height: 200 }],
    ];
    for (const [transform, expected] of cases) {
      const res = await files.download(pngPath, { transform });
      assert.equal(res.error, null, JSON.stringify(transform));
      assert.equal(res.data?.type, 'image/png', 'the source format without an Accept for WebP');
      assert.deepEqual(await dims(res.data!), { format: 'png', ...expected }, JSON.stringify(transform));
    }
  });

  test('gravity and focal points move the crop', async () => {
    const colour = async (transform: Record<string, unknown>) => {
      const res = await fetch(`${RENDER}/authenticated/${PRIVATE}/${pngPath}?${new URLSearchParams(transform as Record<string, string>)}`, { headers: { authorization: `Bearer ${owner.token}` } });
      assert.equal(res.status, 200);
      const { data } = await sharp(Buffer.from(await res.arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
      return [data[0], data[1], data[2]];
    };
    assert.deepEqual(await colour({ width: '100', height: '200', gravity: 'we' }), [255, 0, 0]);
    assert.deepEqual(await colour({ width: '100', height: '200', gravity: 'ea' }), [0, 0, 255]);
    assert.deepEqual(await colour({ width: '100', height: '200', gravity: 'fp', x_offset: '0.9', y_offset: '0.5' }), [0, 0, 255]);
  });

  test('formats: webp and avif on request, webp for clients that accept it, origin keeps the source', async () => {
    const url = `${RENDER}/authenticated/${PRIVATE}/${pngPath}`;
    const get = (query: string, accept?: string) =>
      fetch(`${url}?${query}`, { headers: { authorization: `Bearer ${owner.token}`, ...(accept ? { accept } : {}) } });
    const webp = await get('width=50&format=webp');
    assert.deepEqual([webp.status, webp.headers.get('content-type'), webp.headers.get('x-transformations')], [200, 'image/webp', 'width:50,resizing_type:fill,format:webp']);
    assert.deepEqual(await dims(Buffer.from(await webp.arrayBuffer())), { format: 'webp', width: 50, height: 25 });
    const avif = await get('width=50&format=avif');
    assert.deepEqual([avif.status, avif.headers.get('content-type')], [200, 'image/avif']);
    assert.equal((await dims(Buffer.from(await avif.arrayBuffer()))).format, 'heif');
    const accepted = await get('width=50', 'image/avif,image/webp,*/*');
    assert.deepEqual([accepted.headers.get('content-type'), accepted.headers.get('vary')], ['image/webp', 'Accept']);
    const origin = await get('width=50&format=origin', 'image/webp,*/*');
    assert.equal(origin.headers.get('content-type'), 'image/png');
  });

  test('the headers of a render: the object’s ETag and cache settings, what was applied, quality', async () => {
    const res = await fetch(`${RENDER}/authenticated/${PRIVATE}/${pngPath}?width=3000&height=20&quality=50&download=small.png`, { headers: { authorization: `Bearer ${owner.token}` } });
    assert.equal(res.status, 200);
    const info = await owner.client.storage.from(PRIVATE).info(pngPath);
    const body = Buffer.from(await res.arrayBuffer());
    assert.deepEqual(
      {
        etag: res.headers.get('etag'),
        cacheControl: res.headers.get('cache-control'),
        transformations: res.headers.get('x-transformations'),
        length: res.headers.get('content-length'),
        disposition: res.headers.get('content-disposition'),
        nosniff: res.headers.get('x-content-type-options'),
      },
      {
        etag: info.data?.etag,
        cacheControl: 'max-age=120',
        transformations: 'height:20,width:2000,resizing_type:fill,quality:50',
        length: String(body.length),
        disposition: "attachment; filename=small.png; filename*=UTF-8''small.png",
        nosniff: 'nosniff',
      },
    );
    assert.deepEqual(await dims(body), { format: 'png', width: 400, height: 20 }, 'never enlarged: clamped to 2000 wide, then cropped to the source width');
  });

  test('a source that is not an image is refused with Storage’s error', async () => {
    const res = await owner.client.storage.from(PRIVATE).download(textPath, { transform: { width: 10 } });
    assert.equal(res.data, null);
    assert.deepEqual(errorOf(res.error), { message: 'The source image is invalid or unsupported for rendering', status: 400, statusCode: '400', code: 'InvalidRequest' });
  });

  test('an empty transform downloads the object itself', async () => {
    const res = await owner.client.storage.from(PRIVATE).download(textPath, { transform: {} });
    assert.equal(await res.data?.text(), 'not an image');
  });
});

describe('query options out of range', () => {
  test('are the route’s validation errors, before any rendering', async () => {
    const cases: [string, string][] = [
      ['width=-1', 'querystring/width must be >= 0'],
      ['height=1.5', 'querystring/height must be integer'],
      ['quality=5', 'querystring/quality must be >= 20'],
      ['quality=101', 'querystring/quality must be <= 100'],
      ['format=gif', 'querystring/format must be equal to one of the allowed values'],
      ['resize=crop', 'querystring/resize must be equal to one of the allowed values'],
      ['gravity=fp&x_offset=0.5', "querystring must have required property 'y_offset'"],
      ['gravity=fp&x_offset=2&y_offset=0', 'querystring/x_offset must be <= 1'],
    ];
    for (const [query, message] of cases) {
      const res = await fetch(`${RENDER}/public/${PUBLIC}/${publicPath}?${query}`);
      assert.deepEqual({ query, status: res.status, body: await res.json() }, { query, status: 400, body: { statusCode: '400', error: 'Bad Request', message, code: 'InvalidRequest' } });
    }
  });
});

describe('public and signed render URLs', () => {
  test('getPublicUrl with transform renders objects of public buckets for anyone', async () => {
    const { data } = anonClient().storage.from(PUBLIC).getPublicUrl(publicPath, { transform: { width: 40, height: 40 } });
    assert.equal(data.publicUrl, `${RENDER}/public/${PUBLIC}/${publicPath}?width=40&height=40`);
    const res = await fetch(data.publicUrl);
    assert.deepEqual([res.status, res.headers.get('x-transformations')], [200, 'height:40,width:40,resizing_type:fill']);
    assert.deepEqual(await dims(Buffer.from(await res.arrayBuffer())), { format: 'png', width: 40, height: 40 });
  });

  test('but not of private ones', async () => {
    const res = await fetch(`${RENDER}/public/${PRIVATE}/${pngPath}?width=40`);
    assert.deepEqual({ status: res.status, body: await res.json() }, { status: 400, body: { statusCode: '404', error: 'Bucket not found', message: 'Bucket not found', code: 'NoSuchBucket' } });
  });

  test('createSignedUrl with transform signs a render URL whose token carries the transformations', async () => {
    const signed = await owner.client.storage.from(PRIVATE).createSignedUrl(pngPath, 60, { transform: { width: 200, height: 200, quality: 60 } });
    assert.equal(signed.error, null);
    assert.match(signed.data!.signedUrl, new RegExp(`^${RENDER}/sign/${PRIVATE}/${pngPath}\\?token=`));
    const res = await fetch(signed.data!.signedUrl);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-transformations'), 'height:200,width:200,resizing_type:fill,quality:60');
    assert.ok(Number(res.headers.get('content-length')) > 0);
    assert.ok(res.headers.get('expires'));
    assert.deepEqual(await dims(Buffer.from(await res.arrayBuffer())), { format: 'png', width: 200, height: 200 });
    // Query options cannot change what was signed.
    const tampered = await fetch(`${signed.data!.signedUrl}&width=10`);
    assert.equal((await dims(Buffer.from(await tampered.arrayBuffer()))).width, 200);
    // The token names one object.
    const token = new URL(signed.data!.signedUrl).searchParams.get('token');
    const elsewhere = await fetch(`${RENDER}/sign/${PRIVATE}/${textPath}?token=${token}`);
    assert.deepEqual(await elsewhere.json(), { statusCode: '400', error: 'InvalidSignature', message: 'Invalid signature', code: 'InvalidSignature' });
  });

  test('an empty transform signs a plain object URL; a transform needs read access', async () => {
    const plain = await owner.client.storage.from(PRIVATE).createSignedUrl(pngPath, 60, { transform: {} });
    assert.match(plain.data!.signedUrl, new RegExp(`/storage/v1/object/sign/${PRIVATE}/`));
    const denied = await other.client.storage.from(PRIVATE).createSignedUrl(pngPath, 60, { transform: { width: 10 } });
    assert.deepEqual(errorOf(denied.error), { message: 'Object not found', status: 400, statusCode: '404', code: 'NoSuchKey' });
    const invalid = await owner.client.storage.from(PRIVATE).createSignedUrl(pngPath, 60, { transform: { width: -5 } });
    assert.deepEqual(errorOf(invalid.error), { message: 'body/transform/width must be >= 0', status: 400, statusCode: '400', code: 'InvalidRequest' });
  });
});

describe('RLS', () => {
  test('another user cannot render the owner’s private image; anon cannot use the authenticated route at all', async () => {
    const res = await other.client.storage.from(PRIVATE).download(pngPath, { transform: { width: 10 } });
    assert.deepEqual(errorOf(res.error), { message: 'Object not found', status: 400, statusCode: '404', code: 'NoSuchKey' });
    const anon = await fetch(`${RENDER}/authenticated/${PRIVATE}/${pngPath}?width=10`);
    assert.equal(anon.status, 400);
    assert.deepEqual((await anon.json()).code, 'AccessDenied');
  });
});

describe('info with transformation options', () => {
  test('echoes what would be applied in X-Transformations, as Storage does', async () => {
    const res = await fetch(`${env.SUPABASE_URL}/storage/v1/object/info/authenticated/${PRIVATE}/${pngPath}?width=10&format=webp`, { headers: { authorization: `Bearer ${owner.token}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-transformations'), 'width:10,resizing_type:fill,format:webp');
  });
});
