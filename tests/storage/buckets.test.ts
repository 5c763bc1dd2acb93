// Bucket CRUD through supabase-js: what service_role may do, what a user without a bucket policy
// may not, and Storage's error envelopes.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { beforeAll as before, describe, test } from 'vitest';
import { mintUser, serviceClient, setupFixtures, sql, text, type TestUser } from './fixtures.ts';

const service = serviceClient();
let user: TestUser;

before(async () => {
  await setupFixtures();
  user = await mintUser();
});

const fresh = () => `st-bucket-${randomUUID().slice(0, 8)}`;

describe('buckets as service_role', () => {
  test('create, get, list, update, empty, delete', async () => {
    const id = fresh();
    assert.deepEqual(await service.storage.createBucket(id, { public: false, fileSizeLimit: '1MB', allowedMimeTypes: ['image/png'] }), {
      data: { name: id },
      error: null,
    });

    const got = await service.storage.getBucket(id);
    assert.equal(got.error, null);
    assert.deepEqual(
      { ...got.data, created_at: typeof got.data?.created_at, updated_at: typeof got.data?.updated_at },
      {
        id,
        name: id,
        owner: '',
        public: false,
        created_at: 'string',
        updated_at: 'string',
        file_size_limit: 1000000,
        allowed_mime_types: ['image/png'],
      },
    );

    const listed = await service.storage.listBuckets();
    assert.equal(listed.error, null);
    const mine = listed.data?.find((b) => b.id === id);
    assert.ok(mine, 'the new bucket is listed');
    assert.equal(mine.type, 'STANDARD');

    assert.deepEqual(await service.storage.updateBucket(id, { public: true, fileSizeLimit: 2048, allowedMimeTypes: null as unknown as string[] }), {
      data: { message: 'Successfully updated' },
      error: null,
    });
    const [row] = await sql<{ public: boolean; file_size_limit: string; allowed_mime_types: string[] | null }>(
      'select public, file_size_limit, allowed_mime_types from storage.buckets where id = $1',
      [id],
    );
    assert.deepEqual(row, { public: true, file_size_limit: '2048', allowed_mime_types: null });

    await service.storage.from(id).upload('a.txt', text('a'), { contentType: 'text/plain' });
    const notEmpty = await service.storage.deleteBucket(id);
    assert.equal(notEmpty.data, null);
    assert.equal(notEmpty.error?.message, 'The bucket you tried to delete is not empty');
    assert.equal((notEmpty.error as { statusCode?: string }).statusCode, '409');
    assert.equal((notEmpty.error as { status?: number }).status, 400);

    assert.deepEqual(await service.storage.emptyBucket(id), {
      data: { message: 'Empty bucket has been queued. Completion may take up to an hour.' },
      error: null,
    });
    assert.deepEqual(await service.storage.deleteBucket(id), { data: { message: 'Successfully deleted' }, error: null });

    const gone = await service.storage.getBucket(id);
    assert.equal(gone.data, null);
    assert.deepEqual(
      { message: gone.error?.message, statusCode: (gone.error as { statusCode?: string }).statusCode, code: (gone.error as { code?: string }).code },
      { message: 'Bucket not found', statusCode: '404', code: 'NoSuchBucket' },
    );
  });

  test('a duplicate bucket is refused with 409 Duplicate', async () => {
    const id = fresh();
    await service.storage.createBucket(id);
    const dup = await service.storage.createBucket(id);
    assert.equal(dup.data, null);
    assert.equal(dup.error?.message, 'The resource already exists');
    assert.equal((dup.error as { statusCode?: string }).statusCode, '409');
    assert.equal((dup.error as { code?: string }).code, 'BucketAlreadyExists');
    await service.storage.deleteBucket(id);
  });

  test('invalid bucket names and sizes above the global limit are refused', async () => {
    for (const name of ['../escape', 'a/b', ' padded', '..']) {
      const r = await service.storage.createBucket(name);
      assert.equal(r.data, null, name);
      assert.equal(r.error?.message, 'Bucket name invalid', name);
    }
    const big = await service.storage.createBucket(fresh(), { public: false, fileSizeLimit: '100GB' });
    assert.equal(big.error?.message, 'The object exceeded the maximum allowed size');
    const badMime = await service.storage.createBucket(fresh(), { public: false, allowedMimeTypes: ['not a mime'] });
    assert.equal(badMime.error?.message, 'mime type not a mime is not supported');
  });
});

describe('buckets as a user without bucket policies', () => {
  test('listBuckets is empty, createBucket is refused by RLS', async () => {
    assert.deepEqual(await user.client.storage.listBuckets(), { data: [], error: null });
    const r = await user.client.storage.createBucket(fresh());
    assert.equal(r.data, null);
    assert.equal(r.error?.message, 'new row violates row-level security policy');
    assert.equal((r.error as { statusCode?: string }).statusCode, '403');
  });

  test('emptyBucket is for service_role only (403)', async () => {
    const r = await user.client.storage.emptyBucket('st-private');
    assert.equal(r.data, null);
    assert.equal((r.error as { status?: number }).status, 403);
    assert.equal(r.error?.message, 'Access denied: Invalid role');
  });

  test('a request without a valid token is refused', async () => {
    const res = await fetch(`${process.env.SUPABASE_URL}/storage/v1/bucket`, { headers: { Authorization: 'Bearer not-a-jwt' } });
    assert.equal(res.status, 400);
    const body = (await res.json()) as Record<string, string>;
    assert.equal(body.statusCode, '403');
    assert.equal(body.code, 'AccessDenied');
  });
});
