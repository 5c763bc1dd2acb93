import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { FileBackend, parseRange } from './backend.ts';
import { StorageError } from './errors.ts';

async function* bytes(...chunks: (string | Error)[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) {
    if (c instanceof Error) throw c;
    yield Buffer.from(c);
  }
}

async function backend(): Promise<FileBackend> {
  const b = new FileBackend(mkdtempSync(join(tmpdir(), 'storage-backend-')));
  await b.init();
  return b;
}

const staging = (b: FileBackend) => readdirSync(join(b.root, '#staging'));

test('stage, then publish after the commit: the file appears in its bucket only then', async () => {
  const b = await backend();
  const s = await b.stage(bytes('hello ', 'world'), 100);
  assert.equal(s.size, 11);
  assert.equal(s.eTag, '"5eb63bbbe01eeed093cb22bb8f5acdc3"');
  assert.deepEqual(staging(b), [s.version]);
  assert.equal(existsSync(join(b.root, 'bkt', s.version)), false);
  await b.publish('bkt', s.version);
  assert.deepEqual(staging(b), []);
  assert.equal(readFileSync(join(b.root, 'bkt', s.version), 'utf8'), 'hello world');
  assert.equal((await b.statObject('bkt', s.version))?.size, 11);
  const chunks: Buffer[] = [];
  for await (const c of b.readObject('bkt', s.version, { start: 6, end: 10 })) chunks.push(Buffer.from(c));
  assert.equal(Buffer.concat(chunks).toString(), 'world');
});

test('an upload over the limit or cut off by the client leaves no staged file', async () => {
  const b = await backend();
  await assert.rejects(b.stage(bytes('12345', '6'), 5), (e: unknown) => e instanceof StorageError && e.code === 'EntityTooLarge');
  await assert.rejects(b.stage(bytes('partial', new Error('aborted')), 100), /aborted/);
  assert.deepEqual(staging(b), []);
});

test('copies are hard links; removing one version keeps the other', async () => {
  const b = await backend();
  const s = await b.stage(bytes('shared'), 100);
  await b.publish('a', s.version);
  const copy = await b.stageLink('a', s.version);
  await b.publish('b', copy);
  await b.remove('a', s.version);
  assert.equal(readFileSync(join(b.root, 'b', copy), 'utf8'), 'shared');
  await assert.rejects(b.stageLink('a', s.version), (e: unknown) => e instanceof StorageError && e.code === 'NoSuchKey');
});

test('bucket directories never leave the root', async () => {
  const b = await backend();
  for (const bad of ['..', '.', '../x', 'a/b', '#staging', '']) {
    assert.throws(() => b.bucketDir(bad), (e: unknown) => e instanceof StorageError && e.code === 'InvalidBucketName', bad);
  }
  assert.throws(() => b.objectPath('ok', '../../etc/passwd'), /invalid object version/);
});

test('recovery publishes staged files whose row committed, drops the rest, sweeps unreferenced files', async () => {
  const b = await backend();
  const committed = await b.stage(bytes('committed'), 100);
  const orphan = await b.stage(bytes('never committed'), 100);
  const kept = await b.stage(bytes('kept'), 100);
  await b.publish('bkt', kept.version);
  const superseded = await b.stage(bytes('old version'), 100);
  await b.publish('bkt', superseded.version);
  writeFileSync(join(b.root, '#staging', 'junk.tmp'), 'x');
  mkdirSync(join(b.root, 'empty'), { recursive: true });

  const rows = new Map([[committed.version, 'bkt']]);
  const result = await b.recover(
    async (versions) => new Map(versions.filter((v) => rows.has(v)).map((v) => [v, rows.get(v)!])),
    async () => new Set([`bkt/${committed.version}`, `bkt/${kept.version}`]),
  );
  assert.deepEqual(result, { published: 1, removed: 3 });
  assert.deepEqual(staging(b), []);
  assert.deepEqual(readdirSync(join(b.root, 'bkt')).sort(), [committed.version, kept.version].sort());
  assert.equal(readFileSync(join(b.root, 'bkt', committed.version), 'utf8'), 'committed');
  assert.equal(await b.writable(), true);
});

test('byte ranges', () => {
  assert.equal(parseRange(undefined, 10), undefined);
  assert.deepEqual(parseRange('bytes=0-4', 10), { start: 0, end: 4 });
  assert.deepEqual(parseRange('bytes=5-', 10), { start: 5, end: 9 });
  assert.deepEqual(parseRange('bytes=-3', 10), { start: 7, end: 9 });
  assert.deepEqual(parseRange('bytes=8-100', 10), { start: 8, end: 9 });
  for (const bad of ['bytes=10-', 'bytes=5-2', 'items=0-1', 'bytes=-0', 'bytes=-']) {
    assert.throws(() => parseRange(bad, 10), (e: unknown) => e instanceof StorageError && e.code === 'InvalidRange', bad);
  }
});
