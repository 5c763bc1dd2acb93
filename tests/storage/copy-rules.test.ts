// A copy or a move into another bucket obeys that bucket's rules as an upload would: its MIME
// types (for the label and for what the bytes are) and its size limit; a caller-chosen
// `metadata.mimetype` is taken only when the bytes are of that type. Every download of user
// content says `nosniff` and carries a sandboxing CSP. The attack this closes: SVG bytes copied
// into an image bucket (or relabelled on copy) and served as image/svg+xml from the API's origin.
import assert from 'node:assert/strict';
import { beforeAll as before, describe, test } from 'vitest';
import { env } from '../support/env.ts';
import { mintUser, objectRow, PRIVATE, PUBLIC, RASTER, RASTER_LIMIT_BYTES, setupFixtures, text, type TestUser } from './fixtures.ts';

const SVG = text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>');
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const STORAGE = `${env.SUPABASE_URL}/storage/v1`;
const USER_CONTENT = { 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; sandbox" };

let user: TestUser;

before(async () => {
  await setupFixtures();
  user = await mintUser();
});

const err = (e: unknown) => {
  const x = e as { message?: string; statusCode?: string; code?: string } | null;
  return { message: x?.message, statusCode: x?.statusCode, code: x?.code };
};
const unsupported = (type: string) => ({ message: `mime type ${type} is not supported`, statusCode: '415', code: 'InvalidMimeType' });

async function upload(bucket: string, name: string, body: Uint8Array, contentType: string): Promise<string> {
  const path = `${user.id}/${name}`;
  const r = await user.client.storage.from(bucket).upload(path, body, { contentType, upsert: true });
  assert.equal(r.error, null, `${bucket}/${path}: ${JSON.stringify(r.error)}`);
  return path;
}

/** POST /object/copy as storage-js would send it, plus the `metadata` storage-js does not expose. */
async function rawCopy(body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${STORAGE}/object/copy`, {
    method: 'POST',
    headers: { apikey: env.ANON_KEY, Authorization: `Bearer ${user.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function userContentHeaders(res: Response): Record<string, string | null> {
  return Object.fromEntries(Object.keys(USER_CONTENT).map((k) => [k, res.headers.get(k)]));
}

describe('copy and move check the destination bucket', () => {
  test('an SVG copied into a raster-only bucket is refused (415), and nothing is stored there', async () => {
    const src = await upload(PRIVATE, 'logo.svg', SVG, 'image/svg+xml');
    const r = await user.client.storage.from(PRIVATE).copy(src, `${user.id}/avatar.png`, { destinationBucket: RASTER });
    assert.deepEqual(err(r.error), unsupported('image/svg+xml'));
    assert.equal(await objectRow(RASTER, `${user.id}/avatar.png`), undefined);
  });

  test('SVG bytes labelled image/png are refused by the raster bucket as what they are', async () => {
    const src = await upload(PRIVATE, 'fake.png', SVG, 'image/png');
    const r = await user.client.storage.from(PRIVATE).copy(src, `${user.id}/fake.png`, { destinationBucket: RASTER });
    assert.deepEqual(err(r.error), unsupported('image/svg+xml'));
    assert.equal(await objectRow(RASTER, `${user.id}/fake.png`), undefined);
  });

  test('a caller-chosen metadata.mimetype is not trusted: a relabelling the bytes do not bear out is a 415', async () => {
    const svgAsText = await upload(PRIVATE, 'svg.txt', SVG, 'text/plain');
    const intoRaster = await rawCopy({ bucketId: PRIVATE, sourceKey: svgAsText, destinationBucket: RASTER, destinationKey: `${user.id}/relabelled.png`, copyMetadata: false, metadata: { mimetype: 'image/png' } });
    assert.deepEqual([intoRaster.status, intoRaster.json.statusCode, intoRaster.json.error], [400, '415', 'invalid_mime_type']);
    assert.equal(await objectRow(RASTER, `${user.id}/relabelled.png`), undefined);

    const plain = await upload(PRIVATE, 'note.txt', text('just text'), 'text/plain');
    const asSvg = await rawCopy({ bucketId: PRIVATE, sourceKey: plain, destinationKey: `${user.id}/note.svg`, copyMetadata: false, metadata: { mimetype: 'image/svg+xml' } });
    assert.deepEqual([asSvg.json.statusCode, asSvg.json.message], ['415', 'mime type image/svg+xml is not supported']);
    assert.equal(await objectRow(PRIVATE, `${user.id}/note.svg`), undefined);

    // A relabelling the bytes bear out is fine (octet-stream that is a PNG).
    const blob = await upload(PRIVATE, 'blob.bin', PNG, 'application/octet-stream');
    const asPng = await rawCopy({ bucketId: PRIVATE, sourceKey: blob, destinationBucket: RASTER, destinationKey: `${user.id}/blob.png`, copyMetadata: false, metadata: { mimetype: 'image/png' } });
    assert.equal(asPng.status, 200, JSON.stringify(asPng.json));
    const dl = await fetch(`${STORAGE}/object/public/${RASTER}/${user.id}/blob.png`);
    assert.equal(dl.headers.get('content-type'), 'image/png');
    await dl.body?.cancel();
  });

  test('the destination size limit applies to a copy (413)', async () => {
    const big = new Uint8Array(RASTER_LIMIT_BYTES + 1);
    big.set(PNG);
    const src = await upload(PRIVATE, 'big.png', big, 'image/png');
    const r = await user.client.storage.from(PRIVATE).copy(src, `${user.id}/big.png`, { destinationBucket: RASTER });
    assert.deepEqual(err(r.error), { message: 'The object exceeded the maximum allowed size', statusCode: '413', code: 'EntityTooLarge' });
    assert.equal(await objectRow(RASTER, `${user.id}/big.png`), undefined);
  });

  test('a move into another bucket obeys its rules too; the source stays where it was', async () => {
    const src = await upload(PRIVATE, 'move.svg', SVG, 'image/svg+xml');
    const r = await user.client.storage.from(PRIVATE).move(src, `${user.id}/moved.png`, { destinationBucket: RASTER });
    assert.deepEqual(err(r.error), unsupported('image/svg+xml'));
    assert.equal(await objectRow(RASTER, `${user.id}/moved.png`), undefined);
    assert.ok(await objectRow(PRIVATE, src));
    // Within a bucket nothing changes: a rename is not a new upload.
    assert.equal((await user.client.storage.from(PRIVATE).move(src, `${user.id}/renamed.svg`)).error, null);
  });

  test('a real PNG copies and moves into the raster bucket', async () => {
    const src = await upload(PRIVATE, 'real.png', PNG, 'image/png');
    assert.equal((await user.client.storage.from(PRIVATE).copy(src, `${user.id}/real.png`, { destinationBucket: RASTER })).error, null);
    assert.equal((await user.client.storage.from(PRIVATE).move(src, `${user.id}/real-moved.png`, { destinationBucket: RASTER })).error, null);
    const dl = await user.client.storage.from(RASTER).download(`${user.id}/real-moved.png`);
    assert.deepEqual(new Uint8Array(await dl.data!.arrayBuffer()), PNG);
  });
});

describe('downloads of user content', () => {
  test('nosniff and a sandboxing CSP on authenticated, public, signed and HEAD responses', async () => {
    const priv = await upload(PRIVATE, 'served.svg', SVG, 'image/svg+xml');
    const pub = await upload(PUBLIC, 'served.svg', SVG, 'image/svg+xml');
    const auth = { apikey: env.ANON_KEY, Authorization: `Bearer ${user.token}` };
    const signed = await user.client.storage.from(PRIVATE).createSignedUrl(priv, 60);
    assert.equal(signed.error, null);
    const responses: [string, Response][] = [
      ['authenticated', await fetch(`${STORAGE}/object/authenticated/${PRIVATE}/${priv}`, { headers: auth })],
      ['object', await fetch(`${STORAGE}/object/${PRIVATE}/${priv}`, { headers: auth })],
      ['public', await fetch(`${STORAGE}/object/public/${PUBLIC}/${pub}`)],
      ['signed', await fetch(signed.data!.signedUrl)],
      ['head', await fetch(`${STORAGE}/object/public/${PUBLIC}/${pub}`, { method: 'HEAD' })],
      ['range', await fetch(`${STORAGE}/object/public/${PUBLIC}/${pub}`, { headers: { Range: 'bytes=0-3' } })],
    ];
    for (const [what, res] of responses) {
      assert.ok(res.status === 200 || res.status === 206, `${what}: ${res.status}`);
      assert.deepEqual(userContentHeaders(res), USER_CONTENT, what);
      await res.body?.cancel();
    }
  });
});
