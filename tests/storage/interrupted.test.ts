// An upload the client abandons mid-body leaves nothing behind: no object row, no staged or
// published file; the key stays free for the next upload.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { beforeAll as before, describe, test } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { env } from '../support/env.ts';
import { LIMITED, mintUser, objectRow, PRIVATE, PUBLIC, setupFixtures, sql, storageDir, storageFiles, text, type TestUser } from './fixtures.ts';

let user: TestUser;

before(async () => {
  await setupFixtures();
  user = await mintUser();
});

const staged = () => storageFiles().filter((f) => f.startsWith('#staging/') && !f.includes('.probe-'));

/**
 * Starts an upload of `total` bytes, sends `head` then the first `sent` bytes of the file, waits
 * until the server is writing it (its staged file exists, when the data directory is known), and
 * destroys the connection.
 */
async function abandonUpload(path: string, headers: Record<string, string>, head: Buffer, total: number, sent: number): Promise<boolean> {
  const { hostname, port } = new URL(env.SUPABASE_URL);
  const req = request({
    host: hostname,
    port,
    method: 'POST',
    path: `/storage/v1/object/${PRIVATE}/${path}`,
    headers: { Authorization: `Bearer ${user.token}`, 'Content-Length': String(head.length + total), ...headers },
  });
  let answered = false;
  req.on('response', (res) => {
    answered = true;
    res.resume();
  });
  req.on('error', () => undefined);
  req.write(head);
  req.write(Buffer.alloc(sent, 7));
  // Polled until the staged file appears: on a busy machine (CI) the server may take seconds.
  let sawStaging = false;
  const deadline = Date.now() + 10_000;
  for (let i = 0; Date.now() < deadline && !answered; i++) {
    await sleep(20);
    if (staged().length > 0) {
      sawStaging = true;
      break;
    }
    if (!storageDir() && i >= 10) break;
  }
  req.destroy();
  return sawStaging;
}

/** Polls `check` until it holds, for up to 10 s (the clean-up runs after the connection drops). */
async function settled(check: () => Promise<boolean>): Promise<boolean> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    if (await check()) return true;
    await sleep(30);
  }
  return check();
}

describe('interrupted uploads', () => {
  test('a raw body cut off mid-way leaves no row and no file', async () => {
    const path = `${user.id}/interrupted.bin`;
    const filesBefore = storageFiles().filter((f) => f.startsWith(`${PRIVATE}/`));
    const sawStaging = await abandonUpload(path, { 'Content-Type': 'application/octet-stream' }, Buffer.alloc(0), 8 * 1024 * 1024, 512 * 1024);
    if (storageDir()) assert.ok(sawStaging, 'the server had started writing the upload');

    assert.ok(await settled(async () => staged().length === 0), `staged files left: ${staged().join(', ')}`);
    assert.equal(await objectRow(PRIVATE, path), undefined);
    assert.deepEqual(
      storageFiles().filter((f) => f.startsWith(`${PRIVATE}/`) && !filesBefore.includes(f)),
      [],
      'no file was published',
    );

    // The key is free and the server well: the same upload now succeeds.
    const again = await user.client.storage.from(PRIVATE).upload(path, text('complete'), { contentType: 'application/octet-stream' });
    assert.equal(again.error, null);
    assert.equal(await (await user.client.storage.from(PRIVATE).download(path)).data?.text(), 'complete');
    await user.client.storage.from(PRIVATE).remove([path]);
  });

  test('a multipart body cut off mid-file leaves no row and no file', async () => {
    const path = `${user.id}/interrupted-form.bin`;
    const boundary = '----storage-test-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="cacheControl"\r\n\r\n3600\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name=""; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const sawStaging = await abandonUpload(path, { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, head, 8 * 1024 * 1024, 512 * 1024);
    if (storageDir()) assert.ok(sawStaging, 'the server had started writing the upload');
    assert.ok(await settled(async () => staged().length === 0), `staged files left: ${staged().join(', ')}`);
    assert.equal(await objectRow(PRIVATE, path), undefined);
  });

  test('at rest, every object row of the test buckets has its file and every file its row', async (t) => {
    if (!storageDir()) return t.skip('the data directory of the instance is not known (STACK_INSTANCE unset)');
    const buckets = [PRIVATE, PUBLIC, LIMITED];
    const rows = await sql<{ key: string }>("select bucket_id || '/' || version as key from storage.objects where bucket_id = any($1::text[])", [buckets]);
    const files = storageFiles().filter((f) => buckets.some((b) => f.startsWith(`${b}/`)));
    assert.deepEqual(
      rows.map((r) => r.key).filter((k) => !files.includes(k)),
      [],
      'rows without a file',
    );
    const keys = new Set(rows.map((r) => r.key));
    assert.deepEqual(
      files.filter((f) => !keys.has(f)),
      [],
      'files without a row',
    );
  });

  test('the storage directory is writable and reported healthy', async () => {
    const res = await fetch(`${env.SUPABASE_URL}/health`);
    const body = (await res.json()) as { components: Record<string, { status: string }> };
    assert.deepEqual(body.components.storage, { status: 'ok' });
  });
});
