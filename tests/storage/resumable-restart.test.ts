// A resumable upload outlives the gateway: killed (SIGKILL) with an upload half done, started
// again, the client's HEAD finds the bytes that were received and the upload completes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll as before, describe, test } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import * as tus from 'tus-js-client';
import { env } from '../support/env.ts';
import { stackCli } from '../stack/cli.ts';
import { mintUser, objectRow, PRIVATE, setupFixtures, storageDir, type TestUser } from './fixtures.ts';

const ENDPOINT = `${env.SUPABASE_URL}/storage/v1/upload/resumable`;
const CHUNK = 64 * 1024;
let user: TestUser;

before(async () => {
  await setupFixtures();
  user = await mintUser();
});

async function waitUntil(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting for ${what}`);
}

function start(body: Buffer, name: string, extra: Partial<tus.UploadOptions>): { upload: tus.Upload; done: Promise<{ method: string; offset: string | undefined }[]> } {
  const seen: { method: string; offset: string | undefined }[] = [];
  let upload!: tus.Upload;
  const done = new Promise<typeof seen>((resolve, reject) => {
    upload = new tus.Upload(body, {
      endpoint: ENDPOINT,
      retryDelays: [],
      chunkSize: CHUNK,
      headers: { authorization: `Bearer ${user.token}` },
      metadata: { bucketName: PRIVATE, objectName: name, contentType: 'application/octet-stream' },
      onAfterResponse: (req, res) => void seen.push({ method: req.getMethod(), offset: res.getHeader('Upload-Offset') }),
      onError: reject,
      onSuccess: () => resolve(seen),
      ...extra,
    });
    upload.start();
  });
  return { upload, done };
}

describe('a resumable upload across a gateway crash', () => {
  test('resumes from what the killed gateway had received', async (t) => {
    const dir = storageDir();
    if (!dir || !process.env.STACK_INSTANCE) return t.skip('needs the instance under test (STACK_INSTANCE), as npm test sets it');
    const body = randomBytes(4 * CHUNK);
    const name = `${user.id}/crash.bin`;

    const first = start(body, name, {});
    await new Promise<void>((resolve, reject) => {
      first.upload.options.onChunkComplete = (_n, accepted) => {
        if (accepted >= 2 * CHUNK) first.upload.abort().then(resolve, reject);
      };
      first.done.then(() => reject(new Error('finished too soon')), reject);
    });
    const url = first.upload.url;
    assert.ok(url);

    const pid = Number(readFileSync(join(dir, '..', 'gateway.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 'the gateway to be gone');
    const { port } = new URL(env.SUPABASE_URL);
    const { port: dbPort } = new URL(env.DB_URL);
    const started = stackCli(['start'], { STACK_DB_PORT: dbPort, STACK_API_PORT: port });
    assert.equal(started.status, 0, started.stderr);
    await waitUntil(async () => {
      const res = await fetch(`${env.SUPABASE_URL}/health`).catch(() => undefined);
      const health = (await res?.json().catch(() => undefined)) as { components?: Record<string, { status: string }> } | undefined;
      return health?.components?.storage?.status === 'ok';
    }, 'storage to report healthy');

    const seen = await start(body, name, { uploadUrl: url }).done;
    assert.deepEqual(seen, [
      { method: 'HEAD', offset: String(2 * CHUNK) },
      { method: 'PATCH', offset: String(3 * CHUNK) },
      { method: 'PATCH', offset: String(4 * CHUNK) },
    ]);
    assert.equal((await objectRow(PRIVATE, name))?.owner_id, user.id);
    const dl = await user.client.storage.from(PRIVATE).download(name);
    assert.ok(Buffer.from(await dl.data!.arrayBuffer()).equals(body));
    await user.client.storage.from(PRIVATE).remove([name]);
  });
});
