// Resumable uploads (TUS at /upload/resumable) through tus-js-client, as Supabase documents them:
// the object they write, resuming after an interruption, and the same rules as a plain upload
// (RLS, bucket size and MIME limits, what the bytes are, duplicates, upsert), plus the protocol's
// own answers and signed upload URLs.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import * as tus from 'tus-js-client';
import { env } from '../support/env.ts';
import { LIMITED, mintUser, objectRow, PRIVATE, RASTER, serviceClient, setupFixtures, sql, storageDir, storageFiles, type TestUser } from './fixtures.ts';

const ENDPOINT = `${env.SUPABASE_URL}/storage/v1/upload/resumable`;
let owner: TestUser;
let other: TestUser;
const service = serviceClient();

before(async () => {
  await setupFixtures();
  owner = await mintUser();
  other = await mintUser();
});

after(async () => {
  for (const bucket of [PRIVATE, LIMITED, RASTER]) {
    const { data } = await service.storage.from(bucket).listV2({ prefix: `${owner.id}/` });
    if (data?.objects.length) await service.storage.from(bucket).remove(data.objects.map((o) => o.name));
  }
});

interface Seen {
  method: string;
  status: number;
  offset: string | undefined;
}

interface UploadOptions {
  user?: TestUser;
  bucket: string;
  name: string;
  body: Buffer | Readable;
  contentType?: string;
  upsert?: boolean;
  extra?: Partial<tus.UploadOptions>;
  headers?: Record<string, string>;
}

function upload(o: UploadOptions): { done: Promise<{ url: string; seen: Seen[] }>; handle: tus.Upload } {
  const seen: Seen[] = [];
  let handle!: tus.Upload;
  const done = new Promise<{ url: string; seen: Seen[] }>((resolve, reject) => {
    handle = new tus.Upload(o.body, {
      endpoint: ENDPOINT,
      retryDelays: [],
      headers: o.headers ?? { authorization: `Bearer ${(o.user ?? owner).token}`, ...(o.upsert ? { 'x-upsert': 'true' } : {}) },
      metadata: {
        bucketName: o.bucket,
        objectName: o.name,
        contentType: o.contentType ?? 'application/octet-stream',
        cacheControl: '3600',
        metadata: JSON.stringify({ via: 'tus' }),
      },
      onAfterResponse: (req, res) => void seen.push({ method: req.getMethod(), status: res.getStatus(), offset: res.getHeader('Upload-Offset') }),
      onError: reject,
      onSuccess: () => resolve({ url: handle.url!, seen }),
      ...o.extra,
    });
    handle.start();
  });
  return { done, handle };
}

/** The status and body of a failed upload's last response. */
async function failure(p: Promise<unknown>): Promise<{ status: number | undefined; body: string | undefined }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof tus.DetailedError) return { status: e.originalResponse?.getStatus(), body: e.originalResponse?.getBody() };
    throw e;
  }
  throw new Error('the upload succeeded');
}

const tusFiles = () => storageFiles().filter((f) => f.startsWith('#tus/') || f.startsWith('#staging/'));

describe('an upload', () => {
  test('in chunks writes the object, with its type, cache control, metadata, owner and bytes', async () => {
    const body = randomBytes(200_000);
    const name = `${owner.id}/chunks.bin`;
    const before = tusFiles();
    const { seen } = await upload({ bucket: PRIVATE, name, body, extra: { chunkSize: 64 * 1024, uploadDataDuringCreation: false } }).done;
    assert.deepEqual(
      seen.map((s) => [s.method, s.status, s.offset]),
      [['POST', 201, undefined], ['PATCH', 204, '65536'], ['PATCH', 204, '131072'], ['PATCH', 204, '196608'], ['PATCH', 204, '200000']],
    );
    const info = await owner.client.storage.from(PRIVATE).info(name);
    assert.deepEqual(
      { size: info.data?.size, contentType: info.data?.contentType, cacheControl: info.data?.cacheControl, metadata: info.data?.metadata },
      { size: 200_000, contentType: 'application/octet-stream', cacheControl: 'max-age=3600', metadata: { via: 'tus' } },
    );
    const dl = await owner.client.storage.from(PRIVATE).download(name);
    assert.ok(Buffer.from(await dl.data!.arrayBuffer()).equals(body));
    assert.equal((await objectRow(PRIVATE, name))?.owner_id, owner.id);
    assert.deepEqual(tusFiles(), before, 'nothing is left behind');
  });

  test('with its data in the creation request takes one request', async () => {
    const body = randomBytes(5000);
    const { seen } = await upload({ bucket: PRIVATE, name: `${owner.id}/one.bin`, body, extra: { uploadDataDuringCreation: true } }).done;
    assert.deepEqual(seen.map((s) => [s.method, s.status, s.offset]), [['POST', 201, '5000']]);
  });

  test('resumes where it stopped after the client aborted it', async () => {
    const body = randomBytes(256 * 1024);
    const name = `${owner.id}/resumed.bin`;
    let url: string | null = null;
    const first = upload({ bucket: PRIVATE, name, body, extra: { chunkSize: 64 * 1024, uploadDataDuringCreation: false } });
    await new Promise<void>((resolve, reject) => {
      first.handle.options.onChunkComplete = (_size, accepted) => {
        url = first.handle.url;
        if (accepted >= 64 * 1024) first.handle.abort().then(resolve, reject);
      };
      first.done.catch(reject);
    });
    assert.ok(url);
    assert.equal((await objectRow(PRIVATE, name)), undefined, 'no object before the last byte');
    const second = upload({ bucket: PRIVATE, name, body, extra: { uploadUrl: url, chunkSize: 64 * 1024 } });
    const { seen } = await second.done;
    assert.deepEqual(seen[0], { method: 'HEAD', status: 200, offset: String(64 * 1024) });
    assert.deepEqual(seen.slice(1).map((s) => s.method), ['PATCH', 'PATCH', 'PATCH']);
    const dl = await owner.client.storage.from(PRIVATE).download(name);
    assert.ok(Buffer.from(await dl.data!.arrayBuffer()).equals(body));
  });

  /** Creates an upload and starts a PATCH that sends `sent` bytes of `body`, then stalls. */
  async function stalledPatch(name: string, body: Buffer, sent: number): Promise<{ location: string; abort: AbortController; response: Promise<Response | undefined> }> {
    const headers = { authorization: `Bearer ${owner.token}`, 'tus-resumable': '1.0.0' };
    const created = await fetch(ENDPOINT, {
      method: 'POST',
      headers: {
        ...headers,
        'upload-length': String(body.length),
        'upload-metadata': `bucketName ${Buffer.from(PRIVATE).toString('base64')},objectName ${Buffer.from(name).toString('base64')}`,
      },
    });
    assert.equal(created.status, 201);
    const location = created.headers.get('location')!;
    const abort = new AbortController();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(body.subarray(0, sent));
      },
    });
    const response = fetch(location, {
      method: 'PATCH',
      headers: { ...headers, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: stream,
      duplex: 'half',
      signal: abort.signal,
    } as RequestInit).catch(() => undefined);
    // Until the server holds what was sent (on disk, when the test can see the instance's files).
    const version = Buffer.from(location.split('/').pop()!, 'base64url').toString().split('/').pop()!;
    const root = storageDir();
    for (let i = 0; i < 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (!root) {
        if (i >= 20) break;
        continue;
      }
      const path = join(root, '#tus', version);
      if (existsSync(path) && statSync(path).size >= sent) break;
    }
    return { location, abort, response };
  }

  test('resumes after the connection dropped in the middle of a request, from the bytes that arrived', async () => {
    const body = randomBytes(3 * 1024 * 1024);
    const name = `${owner.id}/dropped.bin`;
    const stalled = await stalledPatch(name, body, 1024 * 1024);
    stalled.abort.abort();
    await stalled.response;
    const { seen } = await upload({ bucket: PRIVATE, name, body, extra: { uploadUrl: stalled.location } }).done;
    assert.deepEqual(seen.map((s) => [s.method, s.status, s.offset]), [
      ['HEAD', 200, String(1024 * 1024)],
      ['PATCH', 204, String(body.length)],
    ]);
    const dl = await owner.client.storage.from(PRIVATE).download(name);
    assert.ok(Buffer.from(await dl.data!.arrayBuffer()).equals(body));
  });

  test('a client resuming while its old request still hangs takes the upload over', async () => {
    const body = randomBytes(2 * 1024 * 1024);
    const name = `${owner.id}/taken-over.bin`;
    const stalled = await stalledPatch(name, body, 512 * 1024);
    const { seen } = await upload({ bucket: PRIVATE, name, body, extra: { uploadUrl: stalled.location } }).done;
    assert.deepEqual(seen[0], { method: 'HEAD', status: 200, offset: String(512 * 1024) });
    const old = await stalled.response;
    assert.deepEqual([old?.status, await old?.text()], [400, 'Request aborted due to lock acquired']);
    stalled.abort.abort();
    const dl = await owner.client.storage.from(PRIVATE).download(name);
    assert.ok(Buffer.from(await dl.data!.arrayBuffer()).equals(body));
  });
});

describe('an upload of unknown length (creation-defer-length)', () => {
  test('declares its length with the last bytes, from a stream', async () => {
    const body = randomBytes(150_000);
    const name = `${owner.id}/deferred.bin`;
    const source = Readable.from([body.subarray(0, 70_000), body.subarray(70_000)]);
    const { seen } = await upload({ bucket: PRIVATE, name, body: source, extra: { uploadLengthDeferred: true, chunkSize: 64 * 1024 } }).done;
    assert.deepEqual(seen[0], { method: 'POST', status: 201, offset: undefined });
    assert.ok(seen.slice(1).every((s) => s.method === 'PATCH' && s.status === 204));
    assert.equal(seen.at(-1)?.offset, '150000');
    const dl = await owner.client.storage.from(PRIVATE).download(name);
    assert.ok(Buffer.from(await dl.data!.arrayBuffer()).equals(body));
  });

  test('still within the bucket’s size limit', async () => {
    const source = Readable.from([randomBytes(3000)]);
    const res = await failure(upload({ bucket: LIMITED, name: `${owner.id}/deferred.txt`, body: source, contentType: 'text/plain', extra: { uploadLengthDeferred: true, chunkSize: 4096 } }).done);
    assert.deepEqual(res, { status: 413, body: 'Maximum size exceeded\n' });
  });
});

describe('the rules of a plain upload', () => {
  test('RLS: no upload into another user’s folder', async () => {
    const res = await failure(upload({ bucket: PRIVATE, name: `${owner.id}/theirs.bin`, body: randomBytes(10), user: other }).done);
    assert.deepEqual(res, { status: 403, body: 'new row violates row-level security policy' });
  });

  test('a bucket that does not exist, and one whose size limit the upload exceeds', async () => {
    assert.deepEqual(await failure(upload({ bucket: 'st-missing', name: `${owner.id}/x.bin`, body: randomBytes(10) }).done), { status: 404, body: 'Bucket not found' });
    assert.deepEqual(await failure(upload({ bucket: LIMITED, name: `${owner.id}/big.txt`, body: randomBytes(2048), contentType: 'text/plain' }).done), {
      status: 413,
      body: 'Maximum size exceeded\n',
    });
  });

  test('the bucket’s MIME types, by the declared type and then by what the bytes are', async () => {
    assert.deepEqual(await failure(upload({ bucket: LIMITED, name: `${owner.id}/doc.pdf`, body: randomBytes(10), contentType: 'application/pdf' }).done), {
      status: 415,
      body: 'mime type application/pdf is not supported',
    });
    const before = tusFiles();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const name = `${owner.id}/fake.png`;
    assert.deepEqual(await failure(upload({ bucket: RASTER, name, body: svg, contentType: 'image/png', extra: { uploadDataDuringCreation: false } }).done), {
      status: 415,
      body: 'mime type image/svg+xml is not supported',
    });
    assert.equal(await objectRow(RASTER, name), undefined);
    assert.deepEqual(tusFiles(), before, 'the refused bytes are gone');
    // A plain upload of the same bytes meets the same rule.
    const plain = await owner.client.storage.from(RASTER).upload(name, svg, { contentType: 'image/png' });
    assert.deepEqual(
      { message: plain.error?.message, statusCode: (plain.error as { statusCode?: string } | null)?.statusCode },
      { message: 'mime type image/svg+xml is not supported', statusCode: '415' },
    );
    assert.equal(await objectRow(RASTER, name), undefined);
    assert.deepEqual(tusFiles(), before);
  });

  test('an existing object is replaced only with x-upsert', async () => {
    const name = `${owner.id}/twice.bin`;
    await upload({ bucket: PRIVATE, name, body: Buffer.from('first') }).done;
    assert.deepEqual(await failure(upload({ bucket: PRIVATE, name, body: Buffer.from('second') }).done), { status: 409, body: 'The resource already exists' });
    await upload({ bucket: PRIVATE, name, body: Buffer.from('third'), upsert: true }).done;
    assert.equal(await (await owner.client.storage.from(PRIVATE).download(name)).data?.text(), 'third');
  });
});

describe('the protocol', () => {
  const create = (token: string, length: number, extra: Record<string, string> = {}) =>
    fetch(ENDPOINT, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'tus-resumable': '1.0.0',
        'upload-length': String(length),
        'upload-metadata': `bucketName ${Buffer.from(PRIVATE).toString('base64')},objectName ${Buffer.from(`${owner.id}/proto-${Math.random()}.bin`).toString('base64')}`,
        ...extra,
      },
    });

  test("a browser may read every header of the protocol (CORS), as tus-js-client needs them", async () => {
    const created = await create(owner.token, 3, { origin: 'http://localhost:5173' });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('access-control-allow-origin'), '*');
    const exposed = new Set((created.headers.get('access-control-expose-headers') ?? '').split(',').map((h) => h.trim().toLowerCase()));
    for (const h of ['location', 'tus-resumable', 'upload-offset', 'upload-length', 'upload-metadata', 'upload-defer-length', 'upload-concat', 'upload-expires', 'tus-version', 'tus-extension', 'tus-max-size']) {
      assert.ok(exposed.has(h), `${h} is exposed`);
    }
  });

  test('Tus-Resumable is required; lengths and metadata are checked', async () => {
    const noVersion = await fetch(ENDPOINT, { method: 'POST', headers: { authorization: `Bearer ${owner.token}`, 'upload-length': '3' } });
    assert.deepEqual([noVersion.status, noVersion.headers.get('tus-resumable'), await noVersion.text()], [412, '1.0.0', 'Tus-Resumable Required\n']);
    const badLength = await create(owner.token, 0, { 'upload-length': 'x' });
    assert.deepEqual([badLength.status, await badLength.text()], [400, 'Invalid upload-length\n']);
    const both = await create(owner.token, 0, { 'upload-defer-length': '1' });
    assert.deepEqual([both.status, await both.text()], [400, 'Upload-Length or Upload-Defer-Length header required\n']);
    const concat = await create(owner.token, 0, { 'upload-concat': 'partial' });
    assert.equal(concat.status, 501);
    const badMeta = await create(owner.token, 3, { 'upload-metadata': 'bucketName !!!' });
    assert.equal(badMeta.status, 400);
    assert.match(await badMeta.text(), /^Upload-Metadata is invalid/);
    const badKey = await create(owner.token, 3, { 'upload-metadata': `bucketName ${Buffer.from(PRIVATE).toString('base64')},objectName ${Buffer.from('../x').toString('base64')}` });
    assert.deepEqual([badKey.status, await badKey.text(), badKey.headers.get('location')], [400, 'Invalid key: ../x', null]);
  });

  test('HEAD, PATCH offsets, DELETE; only the creator sees an upload', async () => {
    const created = await create(owner.token, 10);
    assert.equal(created.status, 201);
    const location = created.headers.get('location')!;
    assert.match(location, new RegExp(`^${ENDPOINT}/[A-Za-z0-9_-]+$`));
    assert.ok(created.headers.get('upload-expires'));
    const headers = { authorization: `Bearer ${owner.token}`, 'tus-resumable': '1.0.0' };
    const patch = (offset: number, body: string, extra: Record<string, string> = {}) =>
      fetch(location, { method: 'PATCH', headers: { ...headers, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream', ...extra }, body });
    const first = await patch(0, 'abcd');
    assert.deepEqual([first.status, first.headers.get('upload-offset')], [204, '4']);
    const conflict = await patch(0, 'abcd');
    assert.deepEqual([conflict.status, await conflict.text()], [409, 'Upload-Offset conflict\n']);
    const wrongType = await patch(4, 'efgh', { 'content-type': 'text/plain' });
    assert.deepEqual([wrongType.status, await wrongType.text()], [403, 'Content-Type header required\n']);
    const tooMuch = await patch(4, 'efghijklmnop');
    assert.deepEqual([tooMuch.status, await tooMuch.text()], [413, "upload's size exceeded\n"]);
    const head = await fetch(location, { method: 'HEAD', headers });
    assert.deepEqual(
      [head.status, head.headers.get('upload-offset'), head.headers.get('upload-length'), head.headers.get('cache-control')],
      [200, '4', '10', 'no-store'],
      'a refused request leaves nothing behind',
    );
    const foreign = await fetch(location, { method: 'HEAD', headers: { ...headers, authorization: `Bearer ${other.token}` } });
    assert.equal(foreign.status, 404);
    assert.equal((await fetch(location, { method: 'DELETE', headers })).status, 204);
    const created2 = await create(owner.token, 10);
    const location2 = created2.headers.get('location')!;
    const del = await fetch(location2, { method: 'DELETE', headers });
    assert.equal(del.status, 204);
    const gone = await fetch(location2, { method: 'PATCH', headers: { ...headers, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body: 'x' });
    assert.deepEqual([gone.status, await gone.text()], [404, 'The file for this url was not found\n']);
  });

  test('without a token: Storage’s JSON error, as for any authenticated route', async () => {
    const res = await fetch(ENDPOINT, { method: 'POST', headers: { 'tus-resumable': '1.0.0', 'upload-length': '1' } });
    assert.equal(res.status, 400);
    assert.deepEqual(((await res.json()) as { code: string }).code, 'AccessDenied');
  });
});

describe('signed upload URLs', () => {
  test('a signed upload token in x-signature uploads without a bearer, as the signer', async () => {
    const name = `${owner.id}/signed.bin`;
    const signed = await owner.client.storage.from(PRIVATE).createSignedUploadUrl(name);
    assert.equal(signed.error, null);
    const body = randomBytes(3000);
    const done = upload({ bucket: PRIVATE, name, body, headers: { 'x-signature': signed.data!.token }, extra: { endpoint: `${ENDPOINT}/sign`, chunkSize: 1000 } });
    const { url } = await done.done;
    assert.match(url, new RegExp(`^${ENDPOINT}/sign/`));
    assert.equal((await objectRow(PRIVATE, name))?.owner_id, owner.id);
    const dl = await owner.client.storage.from(PRIVATE).download(name);
    assert.ok(Buffer.from(await dl.data!.arrayBuffer()).equals(body));
  });

  test('no token, a token for another object, a token that is not one', async () => {
    const name = `${owner.id}/signed-2.bin`;
    const signed = await owner.client.storage.from(PRIVATE).createSignedUploadUrl(name);
    const at = (headers: Record<string, string>, objectName = name) => failure(upload({ bucket: PRIVATE, name: objectName, body: randomBytes(10), headers, extra: { endpoint: `${ENDPOINT}/sign` } }).done);
    assert.deepEqual(await at({}), { status: 400, body: 'Missing x-signature header' });
    assert.deepEqual(await at({ 'x-signature': signed.data!.token }, `${owner.id}/elsewhere.bin`), { status: 400, body: 'Invalid signature' });
    assert.deepEqual(await at({ 'x-signature': 'not-a-token' }), { status: 400, body: 'Invalid Compact JWS' });
    const rows = await sql('select 1 from storage.objects where bucket_id = $1 and name = $2', [PRIVATE, name]);
    assert.equal(rows.length, 0);
  });
});
