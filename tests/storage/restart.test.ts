// Killing the gateway (SIGKILL, mid-upload) and starting it again: no stored file or row is lost
// or half-written, the interrupted upload leaves nothing, and start-up recovery settles what a
// crash between commit and publish would leave (a staged file whose row committed is published;
// files no row names are removed).
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { beforeAll as before, describe, test } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { env } from '../support/env.ts';
import { stackCli } from '../stack/cli.ts';
import { mintUser, objectRow, PRIVATE, setupFixtures, sql, storageDir, storageFiles, type TestUser } from './fixtures.ts';

let user: TestUser;

before(async () => {
  await setupFixtures();
  user = await mintUser();
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function gatewayPid(dir: string): number {
  return Number(readFileSync(join(dir, '..', 'gateway.pid'), 'utf8'));
}

async function waitUntil(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('a killed gateway', () => {
  test('loses nothing, keeps nothing half-written, and recovers on start', async (t) => {
    const dir = storageDir();
    if (!dir || !process.env.STACK_INSTANCE) return t.skip('needs the instance under test (STACK_INSTANCE), as npm test sets it');
    const files = user.client.storage.from(PRIVATE);

    // Objects that must survive, byte for byte.
    const kept = new Map<string, string>();
    for (let i = 0; i < 3; i++) {
      const body = randomBytes(100_000 + i);
      const path = `${user.id}/keep-${i}.bin`;
      assert.equal((await files.upload(path, body, { contentType: 'application/octet-stream' })).error, null);
      kept.set(path, sha(body));
    }

    // An upload in flight when the gateway dies.
    const { hostname, port } = new URL(env.SUPABASE_URL);
    const inflight = `${user.id}/in-flight.bin`;
    const req = request({
      host: hostname,
      port,
      method: 'POST',
      path: `/storage/v1/object/${PRIVATE}/${inflight}`,
      headers: { Authorization: `Bearer ${user.token}`, 'Content-Type': 'application/octet-stream', 'Content-Length': String(16 * 1024 * 1024) },
    });
    req.on('error', () => undefined);
    req.write(randomBytes(512 * 1024));
    await waitUntil(() => storageFiles().some((f) => f.startsWith('#staging/') && !f.includes('.probe-')), 'the upload to be staged');
    const pid = gatewayPid(dir);
    process.kill(pid, 'SIGKILL');
    req.destroy();
    await waitUntil(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 'the gateway to be gone');

    // While it is down, leave what a crash between commit and publish would leave, plus junk.
    const committedVersion = randomUUID();
    const committedPath = `${user.id}/committed-not-published.txt`;
    writeFileSync(join(dir, '#staging', committedVersion), 'made it to the database');
    await sql(
      `insert into storage.objects (bucket_id, name, owner_id, version, metadata)
       values ($1, $2, $3, $4, jsonb_build_object('size', 23, 'mimetype', 'text/plain', 'eTag', '"x"', 'cacheControl', 'no-cache', 'contentLength', 23))`,
      [PRIVATE, committedPath, user.id, committedVersion],
    );
    const orphan = `${PRIVATE}/${randomUUID()}`;
    writeFileSync(join(dir, orphan), 'no row names me');

    const { port: dbPort } = new URL(env.DB_URL);
    const started = stackCli(['start'], { STACK_DB_PORT: dbPort, STACK_API_PORT: port });
    assert.equal(started.status, 0, started.stderr);
    await waitUntil(async () => {
      const res = await fetch(`${env.SUPABASE_URL}/health`).catch(() => undefined);
      const body = (await res?.json().catch(() => undefined)) as { components?: Record<string, { status: string }> } | undefined;
      return body?.components?.storage?.status === 'ok';
    }, 'storage to report healthy');

    // Nothing of the interrupted upload.
    assert.equal(await objectRow(PRIVATE, inflight), undefined);
    assert.deepEqual(storageFiles().filter((f) => f.startsWith('#staging/') && !f.includes('.probe-')), []);
    // Everything stored before, intact.
    for (const [path, digest] of kept) {
      const dl = await files.download(path);
      assert.equal(dl.error, null, path);
      assert.equal(sha(new Uint8Array(await dl.data!.arrayBuffer())), digest, path);
    }
    // The committed row got its file; the orphan is gone.
    assert.equal(await (await files.download(committedPath)).data?.text(), 'made it to the database');
    assert.equal(storageFiles().includes(orphan), false);

    await files.remove([...kept.keys(), committedPath]);
  });
});
