// Bucket limits (file_size_limit, allowed_mime_types with wildcards) and object-name validation:
// refused with Storage's codes, and nothing stored when refused.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { beforeAll as before, describe, test } from 'vitest';
import { env } from '../support/env.ts';
import { LIMIT_BYTES, LIMITED, mintUser, objectRow, PRIVATE, serviceClient, setupFixtures, sql, storageDir, storageFiles, text, type TestUser } from './fixtures.ts';

let user: TestUser;

before(async () => {
  await setupFixtures();
  user = await mintUser();
});

const err = (e: unknown) => {
  const x = e as { message?: string; statusCode?: string; code?: string; status?: number } | null;
  return { message: x?.message, statusCode: x?.statusCode, code: x?.code, status: x?.status };
};

describe('file_size_limit', () => {
  test('an object at the limit is stored; one byte more is a 413, raw or multipart', async () => {
    const files = user.client.storage.from(LIMITED);
    assert.equal((await files.upload(`${user.id}/exact.txt`, new Uint8Array(LIMIT_BYTES), { contentType: 'text/plain' })).error, null);

    const raw = await files.upload(`${user.id}/big.txt`, new Uint8Array(LIMIT_BYTES + 1), { contentType: 'text/plain' });
    assert.equal(raw.data, null);
    assert.deepEqual(err(raw.error), { message: 'The object exceeded the maximum allowed size', statusCode: '413', code: 'EntityTooLarge', status: 400 });

    const form = await files.upload(`${user.id}/big-form.txt`, new Blob([new Uint8Array(64 * 1024)], { type: 'text/plain' }));
    assert.deepEqual(err(form.error), { message: 'The object exceeded the maximum allowed size', statusCode: '413', code: 'EntityTooLarge', status: 400 });

    assert.equal(await objectRow(LIMITED, `${user.id}/big.txt`), undefined);
    assert.equal(await objectRow(LIMITED, `${user.id}/big-form.txt`), undefined);
  });

  test('a streamed body without Content-Length is cut off at the limit', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new Uint8Array(512));
        controller.close();
      },
    });
    const files = user.client.storage.from(LIMITED);
    const r = await files.upload(`${user.id}/streamed.txt`, body, { contentType: 'text/plain' });
    assert.equal(err(r.error).code, 'EntityTooLarge');
    assert.equal(await objectRow(LIMITED, `${user.id}/streamed.txt`), undefined);
  });
});

describe('allowed_mime_types', () => {
  test('image/* admits any image, text/plain only itself; others are 415 invalid_mime_type', async () => {
    const files = user.client.storage.from(LIMITED);
    assert.equal((await files.upload(`${user.id}/ok.webp`, text('x'), { contentType: 'image/webp' })).error, null);
    assert.equal((await files.upload(`${user.id}/ok.png`, new Blob(['x'], { type: 'image/png' }))).error, null);
    for (const type of ['text/html', 'application/pdf', 'video/mp4']) {
      const r = await files.upload(`${user.id}/bad-${type.replace('/', '-')}`, text('x'), { contentType: type });
      assert.deepEqual(err(r.error), { message: `mime type ${type} is not supported`, statusCode: '415', code: 'InvalidMimeType', status: 400 }, type);
    }
    const form = await files.upload(`${user.id}/bad-form`, new Blob(['<p>'], { type: 'text/html' }));
    assert.equal(err(form.error).code, 'InvalidMimeType');
  });

  test('the label decides, as on Storage: JPEG bytes labelled image/png are stored and served as image/png; markup never passes as an image', async () => {
    // storage-js's "can upload a file with a valid mime type" uploads a JPEG as image/png into a
    // bucket that allows image/png alone.
    const admin = serviceClient().storage;
    const bucket = 'st-png-only';
    if ((await admin.getBucket(bucket)).error) assert.equal((await admin.createBucket(bucket, { public: true, allowedMimeTypes: ['image/png'] })).error, null);
    const files = admin.from(bucket);
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
    assert.equal((await files.upload(`${user.id}/photo.png`, jpeg, { contentType: 'image/png', upsert: true })).error, null);
    const got = await fetch(files.getPublicUrl(`${user.id}/photo.png`).data.publicUrl);
    assert.deepEqual([got.status, got.headers.get('content-type'), got.headers.get('x-content-type-options')], [200, 'image/png', 'nosniff']);
    assert.deepEqual(new Uint8Array(await got.arrayBuffer()), jpeg);

    for (const [name, bytes, sniffed] of [
      ['svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'image/svg+xml'],
      ['html', '<!DOCTYPE html><script>alert(1)</script>', 'text/html'],
    ] as const) {
      const r = await files.upload(`${user.id}/${name}.png`, text(bytes), { contentType: 'image/png' });
      assert.deepEqual(err(r.error), { message: `mime type ${sniffed} is not supported`, statusCode: '415', code: 'InvalidMimeType', status: 400 }, name);
      assert.equal(await objectRow(bucket, `${user.id}/${name}.png`), undefined);
    }
  });

  test('HTML is never served as HTML', async () => {
    const files = user.client.storage.from(PRIVATE);
    await files.upload(`${user.id}/page.html`, text('<script>alert(1)</script>'), { contentType: 'text/html' });
    const signed = await files.createSignedUrl(`${user.id}/page.html`, 60);
    const res = await fetch(signed.data!.signedUrl);
    assert.equal(res.headers.get('content-type'), 'text/plain');
    await files.remove([`${user.id}/page.html`]);
  });
});

describe('object names', () => {
  test('path traversal, empty segments and control characters are refused with InvalidKey', async () => {
    const files = user.client.storage.from(PRIVATE);
    const before = storageFiles();
    const names = [
      `${user.id}%2F..%2F..%2Fescape.txt`,
      `${user.id}/..%2F..%2Fescape.txt`,
      `${user.id}/a%2F%2Fb.txt`,
      `${user.id}/bad\u0001name.txt`,
      `${user.id}/nul%00.txt`,
      `${user.id}/back%5Cslash.txt`,
    ];
    for (const name of names) {
      const r = await files.upload(name, text('x'), { contentType: 'text/plain' });
      assert.equal(r.data, null, name);
      assert.equal(err(r.error).code, 'InvalidKey', name);
    }
    for (const dest of ['../../escape.txt', `${user.id}/../../x`, `/etc/passwd`, `${user.id}/./x`]) {
      await files.upload(`${user.id}/src.txt`, text('x'), { contentType: 'text/plain', upsert: true });
      const mv = await files.move(`${user.id}/src.txt`, dest);
      assert.equal(err(mv.error).code, 'InvalidKey', dest);
      const cp = await files.copy(`${user.id}/src.txt`, dest);
      assert.equal(err(cp.error).code, 'InvalidKey', dest);
    }
    const rows = await sql("select name from storage.objects where name like '%..%' or name like '%escape%' or name like '/%'");
    assert.deepEqual(rows, []);
    if (storageDir()) {
      const added = storageFiles().filter((f) => !before.includes(f));
      // Only the src.txt versions may have appeared, inside the bucket's directory.
      assert.ok(added.every((f) => f.startsWith(`${PRIVATE}/`) && /^[^/]+\/[0-9a-f-]{36}$/.test(f)), added.join(', '));
    }
  });

  test('a raw HTTP request (no URL normalization) cannot escape either', async () => {
    const { hostname, port } = new URL(env.SUPABASE_URL);
    for (const path of [
      `/storage/v1/object/${PRIVATE}/${user.id}/../../../escape.txt`,
      `/storage/v1/object/${PRIVATE}/${user.id}/%2e%2e/%2e%2e/escape.txt`,
      `/storage/v1/object/..%2F..%2Fescape/${user.id}/x.txt`,
    ]) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: hostname, port, method: 'POST', path, headers: { Authorization: `Bearer ${user.token}`, 'Content-Type': 'text/plain' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end('x');
      });
      assert.notEqual(status, 200, path);
    }
    assert.deepEqual(await sql("select name from storage.objects where name like '%escape%' or bucket_id like '%escape%'"), []);
  });
});
