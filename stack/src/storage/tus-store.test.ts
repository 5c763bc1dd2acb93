import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { FileBackend } from './backend.ts';
import { StorageError } from './errors.ts';
import type { UploadInfo } from './tus.ts';
import { TusStore } from './tus-store.ts';

function setup(): { store: TusStore; backend: FileBackend } {
  const backend = new FileBackend(mkdtempSync(join(tmpdir(), 'tus-store-')));
  return { store: new TusStore(backend), backend };
}

function info(size: number, over: Partial<UploadInfo> = {}): UploadInfo {
  const now = Date.now();
  return { bucket: 'b', objectName: 'k/x.bin', version: randomUUID(), size, metadata: {}, creator: 'u', createdAt: now, expiresAt: now + 60_000, ...over };
}

const stream = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk));
      c.close();
    },
  });

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof StorageError ? `${e.httpStatusCode} ${e.message}` : String(e)));

test('bytes append at the offset; the offset is what is on disk', async () => {
  const { store } = setup();
  const i = info(10);
  await store.create(i);
  assert.equal((await store.get(i.version))?.offset, 0);
  const lock = await store.lock(i.version);
  assert.equal(await store.append(i.version, 0, stream('abc', 'de'), 10, lock.signal), 5);
  assert.equal(await code(store.append(i.version, 3, stream('x'), 10, lock.signal)), '409 Upload-Offset conflict\n');
  lock.release();
  assert.deepEqual(await store.get(i.version), { info: i, offset: 5 });
});

test('too many bytes: 413 and nothing of that request is kept', async () => {
  const { store } = setup();
  const i = info(6);
  await store.create(i);
  const lock = await store.lock(i.version);
  await store.append(i.version, 0, stream('ab'), 6, lock.signal);
  assert.equal(await code(store.append(i.version, 2, stream('cd', 'efgh'), 4, lock.signal)), "413 upload's size exceeded\n");
  lock.release();
  assert.equal((await store.get(i.version))?.offset, 2);
});

test('a new request takes an upload over: the holder is aborted, keeping what it wrote', async () => {
  const { store } = setup();
  const i = info(100);
  await store.create(i);
  const first = await store.lock(i.version);
  let push!: (s: string) => void;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      push = (s) => c.enqueue(new TextEncoder().encode(s));
    },
  });
  const writing = code(store.append(i.version, 0, body, 100, first.signal).finally(() => first.release()));
  push('hello');
  // The holder has written the 5 bytes (the offset is the file's size) before the takeover: a
  // fixed pause was not always long enough on a busy machine.
  for (const deadline = Date.now() + 10_000; (await store.get(i.version))?.offset !== 5 && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 5));
  }
  const second = await store.lock(i.version);
  assert.equal(await writing, '400 Request aborted due to lock acquired');
  assert.equal((await store.get(i.version))?.offset, 5);
  second.release();
});

test('staging moves the bytes into the backend’s staging area with their size and MD5', async () => {
  const { store, backend } = setup();
  await backend.init();
  const i = info(3);
  await store.create(i);
  const lock = await store.lock(i.version);
  await store.append(i.version, 0, stream('abc'), 3, lock.signal);
  lock.release();
  const staged = await store.stage(i.version);
  assert.deepEqual(staged, { version: i.version, size: 3, eTag: '"900150983cd24fb0d6963f7d28e17f72"' });
  assert.equal(await store.get(i.version), undefined);
  await backend.publish('b', i.version);
  assert.equal(readFileSync(backend.objectPath('b', i.version), 'utf8'), 'abc');
});

test('expired uploads and orphaned files are swept; live ones stay', async () => {
  const { store } = setup();
  const live = info(1);
  const old = info(1, { expiresAt: Date.now() - 1 });
  await store.create(live);
  await store.create(old);
  assert.equal(await store.sweepExpired(), 1);
  assert.ok(await store.get(live.version));
  assert.equal(await store.get(old.version), undefined);
  assert.ok(!existsSync(join(store.dir, `${old.version}.json`)));
});
