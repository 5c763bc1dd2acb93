// Objects through supabase-js, one block per actor: the owner of a folder (everything works),
// another user (everything denied), anon on a public bucket (reads only), service_role.
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { env } from '../support/env.ts';
import { anonClient, mintUser, objectRow, PRIVATE, PUBLIC, serviceClient, setupFixtures, text, type TestUser } from './fixtures.ts';

let owner: TestUser;
let other: TestUser;
const anon = anonClient();
const service = serviceClient();

before(async () => {
  await setupFixtures();
  owner = await mintUser();
  other = await mintUser();
});

after(async () => {
  // Leave the buckets as we found them for the next run.
  for (const bucket of [PRIVATE, PUBLIC]) {
    for (const u of [owner, other]) {
      const { data } = await service.storage.from(bucket).list(u.id, { limit: 1000 });
      if (data?.length) await service.storage.from(bucket).remove(data.map((f) => `${u.id}/${f.name}`));
    }
  }
});

const statusCode = (e: unknown) => (e as { statusCode?: string } | null)?.statusCode;
const code = (e: unknown) => (e as { code?: string } | null)?.code;

describe('the owner of a folder', () => {
  test('uploads a raw body and a Blob (multipart), with metadata, and downloads them', async () => {
    const files = owner.client.storage.from(PRIVATE);
    const raw = await files.upload(`${owner.id}/raw.txt`, text('raw body'), { contentType: 'text/plain', cacheControl: '60', metadata: { kind: 'raw' } });
    assert.equal(raw.error, null);
    assert.equal(raw.data?.path, `${owner.id}/raw.txt`);
    assert.equal(raw.data?.fullPath, `${PRIVATE}/${owner.id}/raw.txt`);
    assert.match(raw.data?.id ?? '', /^[0-9a-f-]{36}$/);

    const blob = new Blob(['multipart body'], { type: 'text/markdown' });
    const multi = await files.upload(`${owner.id}/docs/readme.md`, blob, { metadata: { kind: 'form' } });
    assert.equal(multi.error, null);

    const dl = await files.download(`${owner.id}/raw.txt`);
    assert.equal(dl.error, null);
    assert.equal(await dl.data?.text(), 'raw body');
    const dl2 = await files.download(`${owner.id}/docs/readme.md`);
    assert.equal(await dl2.data?.text(), 'multipart body');
    assert.equal(dl2.data?.type, 'text/markdown');

    const info = await files.info(`${owner.id}/raw.txt`);
    assert.equal(info.error, null);
    assert.deepEqual(
      { name: info.data?.name, size: info.data?.size, contentType: info.data?.contentType, cacheControl: info.data?.cacheControl, metadata: info.data?.metadata, bucketId: info.data?.bucketId },
      { name: `${owner.id}/raw.txt`, size: 8, contentType: 'text/plain', cacheControl: 'max-age=60', metadata: { kind: 'raw' }, bucketId: PRIVATE },
    );
    assert.match(String(info.data?.etag), /^"[0-9a-f]{32}"$/);
    const formInfo = await files.info(`${owner.id}/docs/readme.md`);
    assert.deepEqual(formInfo.data?.metadata, { kind: 'form' });
    assert.equal(formInfo.data?.cacheControl, 'max-age=3600');

    assert.deepEqual(await files.exists(`${owner.id}/raw.txt`), { data: true, error: null });
    const missing = await files.exists(`${owner.id}/nope.txt`);
    assert.equal(missing.data, false);

    const row = await objectRow(PRIVATE, `${owner.id}/raw.txt`);
    assert.equal(row?.owner_id, owner.id);
  });

  test('a second upload to the same path is a 409 Duplicate unless upsert; update() replaces', async () => {
    const files = owner.client.storage.from(PRIVATE);
    const path = `${owner.id}/dup.txt`;
    assert.equal((await files.upload(path, text('v1'), { contentType: 'text/plain' })).error, null);
    const dup = await files.upload(path, text('v2'), { contentType: 'text/plain' });
    assert.equal(dup.data, null);
    assert.deepEqual({ message: dup.error?.message, statusCode: statusCode(dup.error), code: code(dup.error) }, {
      message: 'The resource already exists',
      statusCode: '409',
      code: 'KeyAlreadyExists',
    });
    const before = await objectRow(PRIVATE, path);
    assert.equal((await files.upload(path, text('v2'), { contentType: 'text/plain', upsert: true })).error, null);
    assert.equal(await (await files.download(path)).data?.text(), 'v2');
    assert.equal((await files.update(path, text('v3'), { contentType: 'text/plain' })).error, null);
    assert.equal(await (await files.download(path)).data?.text(), 'v3');
    const after = await objectRow(PRIVATE, path);
    assert.equal(after?.id, before?.id, 'an upsert keeps the object id');
    assert.notEqual(after?.version, before?.version, 'and makes a new version');
  });

  test('lists folders and files with prefix, limit, offset, sort and search', async () => {
    const files = owner.client.storage.from(PRIVATE);
    for (const name of ['b.txt', 'a.txt', 'c.txt', 'sub/x.txt']) {
      assert.equal((await files.upload(`${owner.id}/list/${name}`, text(name), { contentType: 'text/plain' })).error, null);
    }
    const root = await files.list();
    assert.equal(root.error, null);
    const folder = root.data?.find((e) => e.name === owner.id);
    assert.ok(folder, 'the user folder is listed at the root');
    assert.equal(folder.id, null);

    const listed = await files.list(`${owner.id}/list`);
    assert.equal(listed.error, null);
    assert.deepEqual(
      listed.data?.map((e) => [e.name, e.id === null]),
      [
        ['a.txt', false],
        ['b.txt', false],
        ['c.txt', false],
        ['sub', true],
      ],
    );
    const a = listed.data?.[0];
    assert.equal(a?.metadata?.size, 5);
    assert.equal(a?.metadata?.mimetype, 'text/plain');

    const page = await files.list(`${owner.id}/list`, { limit: 2, offset: 1 });
    assert.deepEqual(page.data?.map((e) => e.name), ['b.txt', 'c.txt']);
    const desc = await files.list(`${owner.id}/list`, { sortBy: { column: 'name', order: 'desc' } });
    assert.deepEqual(desc.data?.map((e) => e.name), ['sub', 'c.txt', 'b.txt', 'a.txt']);
    const searched = await files.list(`${owner.id}/list`, { search: 'b' });
    assert.deepEqual(searched.data?.map((e) => e.name), ['b.txt']);
    const byDate = await files.list(`${owner.id}/list`, { sortBy: { column: 'created_at', order: 'asc' } });
    assert.deepEqual(byDate.data?.map((e) => e.name), ['sub', 'b.txt', 'a.txt', 'c.txt']);
  });

  test('moves, copies and removes', async () => {
    const files = owner.client.storage.from(PRIVATE);
    await files.upload(`${owner.id}/mv/src.txt`, text('move me'), { contentType: 'text/plain' });
    assert.deepEqual((await files.move(`${owner.id}/mv/src.txt`, `${owner.id}/mv/dst.txt`)).data?.message, 'Successfully moved');
    assert.equal((await files.download(`${owner.id}/mv/src.txt`)).data, null);
    assert.equal(await (await files.download(`${owner.id}/mv/dst.txt`)).data?.text(), 'move me');

    const copied = await files.copy(`${owner.id}/mv/dst.txt`, `${owner.id}/mv/copy.txt`);
    assert.deepEqual(copied, { data: { path: `${PRIVATE}/${owner.id}/mv/copy.txt` }, error: null });
    assert.equal(await (await files.download(`${owner.id}/mv/copy.txt`)).data?.text(), 'move me');
    assert.equal(await (await files.download(`${owner.id}/mv/dst.txt`)).data?.text(), 'move me');

    // Across buckets: the file follows the row.
    const cross = await files.move(`${owner.id}/mv/copy.txt`, `${owner.id}/moved.txt`, { destinationBucket: PUBLIC });
    assert.equal(cross.error, null);
    assert.equal(await (await owner.client.storage.from(PUBLIC).download(`${owner.id}/moved.txt`)).data?.text(), 'move me');

    const removed = await files.remove([`${owner.id}/mv/dst.txt`, `${owner.id}/mv/never-existed.txt`]);
    assert.equal(removed.error, null);
    assert.deepEqual(removed.data?.map((r) => r.name), [`${owner.id}/mv/dst.txt`]);
    assert.equal((await files.download(`${owner.id}/mv/dst.txt`)).data, null);
    assert.equal(await objectRow(PRIVATE, `${owner.id}/mv/dst.txt`), undefined);
  });

  test('signed URLs: create, batch, download through them; tokens are bound to their object', async () => {
    const files = owner.client.storage.from(PRIVATE);
    await files.upload(`${owner.id}/signed.txt`, text('signed content'), { contentType: 'text/plain' });
    const signed = await files.createSignedUrl(`${owner.id}/signed.txt`, 60);
    assert.equal(signed.error, null);
    assert.ok(signed.data?.signedUrl.startsWith(`${env.SUPABASE_URL}/storage/v1/object/sign/${PRIVATE}/${owner.id}/signed.txt?token=`));
    const res = await fetch(signed.data!.signedUrl);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'signed content');
    assert.ok(res.headers.get('expires'), 'a signed download carries Expires');

    const dl = await files.createSignedUrl(`${owner.id}/signed.txt`, 60, { download: 'renamed.txt' });
    const dlRes = await fetch(dl.data!.signedUrl);
    assert.equal(dlRes.headers.get('content-disposition'), "attachment; filename=renamed.txt; filename*=UTF-8''renamed.txt");

    // The token of one object does not open another.
    const token = new URL(signed.data!.signedUrl).searchParams.get('token');
    const wrong = await fetch(`${env.SUPABASE_URL}/storage/v1/object/sign/${PRIVATE}/${owner.id}/raw.txt?token=${token}`);
    assert.equal(wrong.status, 400);
    assert.equal(((await wrong.json()) as { code: string }).code, 'InvalidSignature');
    const forged = await fetch(`${env.SUPABASE_URL}/storage/v1/object/sign/${PRIVATE}/${owner.id}/signed.txt?token=${token}x`);
    assert.equal(((await forged.json()) as { code: string }).code, 'InvalidJWT');

    const batch = await files.createSignedUrls([`${owner.id}/signed.txt`, `${owner.id}/missing.txt`], 60);
    assert.equal(batch.error, null);
    assert.equal(batch.data?.[0]?.error, null);
    assert.equal(await (await fetch(batch.data![0]!.signedUrl!)).text(), 'signed content');
    assert.deepEqual(batch.data?.[1], {
      error: 'Either the object does not exist or you do not have access to it',
      path: `${owner.id}/missing.txt`,
      signedURL: null,
      signedUrl: null,
    });

    const none = await files.createSignedUrl(`${owner.id}/missing.txt`, 60);
    assert.equal(none.data, null);
    assert.equal(statusCode(none.error), '404');
  });

  test('signed upload URLs: create, upload through them, download', async () => {
    const files = owner.client.storage.from(PRIVATE);
    const path = `${owner.id}/via-signed-upload.txt`;
    const url = await files.createSignedUploadUrl(path);
    assert.equal(url.error, null);
    assert.equal(url.data?.path, path);
    assert.ok(url.data?.signedUrl.includes(`/object/upload/sign/${PRIVATE}/${path}?token=`));
    // Anyone holding the token may upload, once, as the user who signed it.
    const up = await anon.storage.from(PRIVATE).uploadToSignedUrl(path, url.data!.token, text('uploaded with a token'), { contentType: 'text/plain' });
    assert.deepEqual(up, { data: { path, fullPath: `${PRIVATE}/${path}` }, error: null });
    assert.equal(await (await files.download(path)).data?.text(), 'uploaded with a token');
    assert.equal((await objectRow(PRIVATE, path))?.owner_id, owner.id);
    const again = await anon.storage.from(PRIVATE).uploadToSignedUrl(path, url.data!.token, text('twice'), { contentType: 'text/plain' });
    assert.equal(code(again.error), 'KeyAlreadyExists');

    // A download token cannot be used to upload.
    const dl = await files.createSignedUrl(path, 60);
    const dlToken = new URL(dl.data!.signedUrl).searchParams.get('token')!;
    const replay = await anon.storage.from(PRIVATE).uploadToSignedUrl(path, dlToken, text('x'), { contentType: 'text/plain', upsert: true });
    assert.equal(code(replay.error), 'InvalidSignature');

    // Signing needs the INSERT policy now.
    const denied = await other.client.storage.from(PRIVATE).createSignedUploadUrl(`${owner.id}/not-yours.txt`);
    assert.equal(denied.data, null);
    assert.equal(statusCode(denied.error), '403');
  });
});

describe('another user', () => {
  test('cannot read, list, sign, overwrite, move, copy or remove the owner’s files', async () => {
    const path = `${owner.id}/private.txt`;
    assert.equal((await owner.client.storage.from(PRIVATE).upload(path, text('secret'), { contentType: 'text/plain' })).error, null);
    const files = other.client.storage.from(PRIVATE);

    const dl = await files.download(path);
    assert.equal(dl.data, null);
    assert.equal(statusCode(dl.error), '404');
    assert.equal(dl.error?.message, 'Object not found');

    assert.deepEqual(await files.list(owner.id), { data: [], error: null });
    assert.equal(statusCode((await files.createSignedUrl(path, 60)).error), '404');
    assert.equal((await files.info(path)).error?.message, 'Object not found');

    const up = await files.upload(`${owner.id}/intruder.txt`, text('x'), { contentType: 'text/plain' });
    assert.deepEqual({ message: up.error?.message, statusCode: statusCode(up.error), code: code(up.error) }, {
      message: 'new row violates row-level security policy',
      statusCode: '403',
      code: 'AccessDenied',
    });
    const upsert = await files.upload(path, text('overwrite'), { contentType: 'text/plain', upsert: true });
    assert.equal(statusCode(upsert.error), '403');

    const mv = await files.move(path, `${other.id}/stolen.txt`);
    assert.equal(mv.data, null);
    assert.equal(statusCode(mv.error), '404');
    const cp = await files.copy(path, `${other.id}/copied.txt`);
    assert.equal(cp.data, null);
    assert.equal(statusCode(cp.error), '404');

    assert.deepEqual(await files.remove([path]), { data: [], error: null });
    assert.equal(await (await owner.client.storage.from(PRIVATE).download(path)).data?.text(), 'secret');
    assert.ok(await objectRow(PRIVATE, path), 'the row is still there');
  });

  test('cannot move their own file into the owner’s folder', async () => {
    const files = other.client.storage.from(PRIVATE);
    await files.upload(`${other.id}/mine.txt`, text('mine'), { contentType: 'text/plain' });
    const mv = await files.move(`${other.id}/mine.txt`, `${owner.id}/planted.txt`);
    assert.equal(mv.error?.message, 'new row violates row-level security policy');
    assert.equal(await objectRow(PRIVATE, `${owner.id}/planted.txt`), undefined);
  });
});

describe('anon', () => {
  test('reads a public bucket without any policy, but cannot upload to it', async () => {
    const path = `${owner.id}/avatar.png`;
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal((await owner.client.storage.from(PUBLIC).upload(path, png, { contentType: 'image/png' })).error, null);

    const { data } = anon.storage.from(PUBLIC).getPublicUrl(path);
    assert.equal(data.publicUrl, `${env.SUPABASE_URL}/storage/v1/object/public/${PUBLIC}/${path}`);
    const res = await fetch(data.publicUrl);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), png);
    const head = await fetch(data.publicUrl, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '8');

    const dl = await anon.storage.from(PUBLIC).download(path);
    assert.equal(dl.error, null);
    assert.equal(dl.data?.size, 8);
    // Without any token at all, the public bucket still answers.
    assert.equal((await fetch(`${env.SUPABASE_URL}/storage/v1/object/${PUBLIC}/${path}`)).status, 200);

    const up = await anon.storage.from(PUBLIC).upload(`${owner.id}/anon.png`, png, { contentType: 'image/png' });
    assert.equal(up.data, null);
    assert.equal(up.error?.message, 'new row violates row-level security policy');
    assert.equal(statusCode(up.error), '403');
  });

  test('cannot read a private bucket, even by its public URL', async () => {
    const path = `${owner.id}/raw.txt`;
    const res = await fetch(anon.storage.from(PRIVATE).getPublicUrl(path).data.publicUrl);
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { statusCode: '404', error: 'Bucket not found', message: 'Bucket not found', code: 'NoSuchBucket' });
    const dl = await anon.storage.from(PRIVATE).download(path);
    assert.equal(statusCode(dl.error), '404');
  });
});

describe('service_role', () => {
  test('bypasses RLS', async () => {
    const files = service.storage.from(PRIVATE);
    const path = `${owner.id}/by-service.txt`;
    assert.equal((await files.upload(path, text('admin'), { contentType: 'text/plain' })).error, null);
    assert.equal((await objectRow(PRIVATE, path))?.owner_id, null);
    assert.equal(await (await owner.client.storage.from(PRIVATE).download(path)).data?.text(), 'admin');
    const listed = await files.list(owner.id);
    assert.ok(listed.data?.some((f) => f.name === 'by-service.txt'));
  });
});
