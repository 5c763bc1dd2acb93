// Object bytes on disk. Layout under the instance's data directory:
//
//   storage/<bucket id>/<version>   one immutable file per object version
//   storage/#staging/<version>      bytes written, not yet published
//
// Files are named by the object's version (a server-made UUID), never by its key, so no key can
// reach outside its bucket directory; bucket ids are validated and checked to stay inside the root.
// A version's file never changes once published: a new upload is a new version, copies are hard
// links, moves within a bucket touch no file at all.
//
// Writing protocol (no file or row lost or half-written, whatever is interrupted):
//   1. stage: stream to `#staging/<version>`, fsync the file;
//   2. commit the object row that names the version (the caller's transaction);
//   3. publish: rename into `<bucket>/<version>`, fsync the directory.
// An upload interrupted before 2 leaves a staged file nobody names, removed at once (or by the
// next start's recovery); a crash between 2 and 3 leaves a staged file whose row exists, and
// recovery publishes it. Superseded versions are removed after their replacement commits; what a
// crash leaves behind there is an unreferenced file, which the start-up sweep deletes.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { constants, link, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { ERRORS } from './errors.ts';
import { isValidBucketName } from './limits.ts';

const STAGING = '#staging';
const VERSION = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface StagedFile {
  version: string;
  size: number;
  /** Quoted hex MD5, as S3 and Storage report it. */
  eTag: string;
}

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

export class FileBackend {
  readonly root: string;
  private readonly stagingDir: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.stagingDir = join(this.root, STAGING);
  }

  async init(): Promise<void> {
    await mkdir(this.stagingDir, { recursive: true });
  }

  newVersion(): string {
    return randomUUID();
  }

  /** `<root>/<bucket>`; throws for anything that would not be a direct child of the root. */
  bucketDir(bucketId: string): string {
    if (!isValidBucketName(bucketId)) throw ERRORS.InvalidBucketName(bucketId);
    const dir = resolve(this.root, bucketId);
    const rel = relative(this.root, dir);
    if (!rel || rel.startsWith('..') || isAbsolute(rel) || rel.includes('/') || rel === STAGING) {
      throw ERRORS.InvalidBucketName(bucketId);
    }
    return dir;
  }

  objectPath(bucketId: string, version: string): string {
    if (!VERSION.test(version)) throw ERRORS.InternalError(undefined, `invalid object version ${version}`);
    return join(this.bucketDir(bucketId), version);
  }

  private stagedPath(version: string): string {
    if (!VERSION.test(version)) throw ERRORS.InternalError(undefined, `invalid object version ${version}`);
    return join(this.stagingDir, version);
  }

  /**
   * Streams `body` into a staged file, at most `maxSize` bytes (EntityTooLarge past that), and
   * fsyncs it. On any failure, including the body erroring because the client went away, the
   * staged file is removed and the error rethrown.
   */
  async stage(body: AsyncIterable<Uint8Array>, maxSize: number, version = this.newVersion()): Promise<StagedFile> {
    const path = this.stagedPath(version);
    const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    const md5 = createHash('md5');
    let size = 0;
    try {
      for await (const chunk of body) {
        size += chunk.length;
        if (size > maxSize) throw ERRORS.EntityTooLarge();
        md5.update(chunk);
        let off = 0;
        while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
      }
      await fh.sync();
      await fh.close();
    } catch (e) {
      await fh.close().catch(() => undefined);
      await unlink(path).catch(() => undefined);
      throw e;
    }
    return { version, size, eTag: `"${md5.digest('hex')}"` };
  }

  /** Stages a hard link to a published version (copies and cross-bucket moves). */
  async stageLink(bucketId: string, version: string, newVersion = this.newVersion()): Promise<string> {
    const staged = this.stagedPath(newVersion);
    if (!VERSION.test(version)) throw ERRORS.NoSuchKey(version);
    try {
      await link(this.objectPath(bucketId, version), staged);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw ERRORS.NoSuchKey(version);
      throw e;
    }
    return newVersion;
  }

  /** Drops a staged file whose row did not commit. */
  async discard(version: string): Promise<void> {
    await unlink(this.stagedPath(version)).catch(() => undefined);
  }

  /** Moves a staged file into its bucket once its row has committed. */
  async publish(bucketId: string, version: string): Promise<void> {
    const dir = this.bucketDir(bucketId);
    await mkdir(dir, { recursive: true });
    await rename(this.stagedPath(version), join(dir, version));
    await fsyncDir(dir);
    await fsyncDir(this.stagingDir);
  }

  /** Removes a published version (after the row that named it is gone or points elsewhere). */
  async remove(bucketId: string, version: string | null | undefined): Promise<void> {
    if (!version || !VERSION.test(version)) return;
    await unlink(this.objectPath(bucketId, version)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }

  async removeBucketDir(bucketId: string): Promise<void> {
    await rm(this.bucketDir(bucketId), { recursive: true, force: true });
  }

  async statObject(bucketId: string, version: string | null | undefined): Promise<Stats | undefined> {
    if (!version || !VERSION.test(version)) return undefined;
    try {
      return await stat(this.objectPath(bucketId, version));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /** Up to `n` leading bytes of a published version (to see what it is). */
  async readHead(bucketId: string, version: string, n: number): Promise<Uint8Array> {
    if (!VERSION.test(version)) throw ERRORS.NoSuchKey(version);
    const fh = await open(this.objectPath(bucketId, version), constants.O_RDONLY);
    try {
      const buf = Buffer.alloc(n);
      const { bytesRead } = await fh.read(buf, 0, n, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  /** The bytes of a version (or a range of them) as a web stream. */
  readObject(bucketId: string, version: string, range?: ByteRange): ReadableStream<Uint8Array> {
    const file = createReadStream(this.objectPath(bucketId, version), range ? { start: range.start, end: range.end } : {});
    return Readable.toWeb(file) as ReadableStream<Uint8Array>;
  }

  /**
   * Start-up recovery: a staged file whose version a row names is published into that row's
   * bucket; any other staged file is dropped. Then every bucket file no row names is removed.
   * Must run before any request is served.
   */
  async recover(lookup: (versions: string[]) => Promise<Map<string, string>>, referenced: () => Promise<Set<string>>): Promise<{ published: number; removed: number }> {
    await this.init();
    let published = 0;
    let removed = 0;
    const staged = (await readdir(this.stagingDir)).filter((f) => VERSION.test(f));
    const owners = staged.length ? await lookup(staged) : new Map<string, string>();
    for (const f of await readdir(this.stagingDir)) {
      const bucket = VERSION.test(f) ? owners.get(f) : undefined;
      if (bucket && isValidBucketName(bucket)) {
        await this.publish(bucket, f);
        published++;
      } else {
        await rm(join(this.stagingDir, f), { recursive: true, force: true });
        removed++;
      }
    }
    const live = await referenced();
    for (const entry of await readdir(this.root, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === STAGING) continue;
      if (!isValidBucketName(entry.name)) continue;
      const dir = join(this.root, entry.name);
      for (const f of await readdir(dir)) {
        if (!live.has(`${entry.name}/${f}`)) {
          await rm(join(dir, f), { recursive: true, force: true });
          removed++;
        }
      }
    }
    return { published, removed };
  }

  /** True when a file can be created, written, synced and removed under the root. */
  async writable(): Promise<true | string> {
    const probe = join(this.stagingDir, `.probe-${process.pid}-${Date.now()}`);
    try {
      const fh = await open(probe, 'w');
      await fh.write('ok');
      await fh.sync();
      await fh.close();
      await unlink(probe);
      return true;
    } catch (e) {
      return `storage directory ${this.root} is not writable: ${(e as Error).message}`;
    }
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** One `bytes=a-b` range of a file of `size` bytes; undefined for none; InvalidRange if unsatisfiable. */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) throw ERRORS.InvalidRange();
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw ERRORS.InvalidRange();
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) throw ERRORS.InvalidRange();
  return { start, end };
}
