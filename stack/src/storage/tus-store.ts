// Unfinished resumable uploads on disk, beside the object files:
//
//   storage/#tus/<version>        the bytes received so far (fsynced after every request)
//   storage/#tus/<version>.json   what the upload is: bucket, object name, size, metadata, creator
//
// The offset of an upload is the size of its file, so what survived an interruption is exactly
// what a HEAD reports. A finished upload's file is moved into the backend's staging area under its
// version, from where the usual commit-then-publish protocol makes it an object. One request at a
// time works on an upload: a new one (a client resuming after a dropped connection) aborts the
// request that still holds it, as tus-node-server's lockers do.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { constants, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ERRORS, StorageError, TUS_ERRORS } from './errors.ts';
import type { FileBackend, StagedFile } from './backend.ts';
import { type UploadInfo, uploadInfoSchema } from './tus.ts';

const TUS_DIR = '#tus';
const VERSION = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** How long a request waits for the one holding an upload to let go. */
const LOCK_TIMEOUT_MS = 5000;

interface Holder {
  abort: AbortController;
  released: Promise<void>;
}

export interface Lock {
  /** Aborted when another request takes the upload over. */
  signal: AbortSignal;
  release(): void;
}

export class TusStore {
  readonly dir: string;
  private readonly holders = new Map<string, Holder>();
  private lastSweep = 0;

  constructor(private readonly backend: FileBackend) {
    this.dir = join(backend.root, TUS_DIR);
  }

  private paths(version: string): { data: string; info: string } {
    if (!VERSION.test(version)) throw ERRORS.InvalidUploadId();
    return { data: join(this.dir, version), info: join(this.dir, `${version}.json`) };
  }

  /** Takes the upload for this request; a request still holding it is aborted first. */
  async lock(version: string): Promise<Lock> {
    const deadline = Date.now() + LOCK_TIMEOUT_MS;
    for (let current = this.holders.get(version); current; current = this.holders.get(version)) {
      current.abort.abort(TUS_ERRORS.LockAborted());
      const left = deadline - Date.now();
      if (left <= 0) throw TUS_ERRORS.LockTimeout();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        current.released.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), left);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) throw TUS_ERRORS.LockTimeout();
    }
    let release!: () => void;
    const holder: Holder = { abort: new AbortController(), released: new Promise<void>((resolve) => (release = resolve)) };
    this.holders.set(version, holder);
    return {
      signal: holder.abort.signal,
      release: () => {
        if (this.holders.get(version) === holder) this.holders.delete(version);
        release();
      },
    };
  }

  async create(info: UploadInfo): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const p = this.paths(info.version);
    const fh = await open(p.data, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    await fh.close();
    await writeFile(p.info, JSON.stringify(info), { mode: 0o600, flush: true });
  }

  /** Records the size of an upload created without one; returns the updated record. */
  async declareLength(version: string, size: number): Promise<UploadInfo> {
    const upload = await this.get(version);
    if (!upload) throw TUS_ERRORS.FileNotFound();
    const info = { ...upload.info, size };
    const p = this.paths(version);
    await writeFile(`${p.info}.tmp`, JSON.stringify(info), { mode: 0o600, flush: true });
    await rename(`${p.info}.tmp`, p.info);
    return info;
  }

  /** The upload and its offset; undefined when there is none. */
  async get(version: string): Promise<{ info: UploadInfo; offset: number } | undefined> {
    const p = this.paths(version);
    let raw: string;
    try {
      raw = await readFile(p.info, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const parsed = uploadInfoSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) throw ERRORS.InternalError(parsed.error, 'a resumable upload record is damaged');
    const s = await stat(p.data).catch(() => undefined);
    if (!s) return undefined;
    return { info: parsed.data, offset: s.size };
  }

  /**
   * Appends the body at `offset` (the file's size), at most `max` bytes: past that, `tooMuch()`
   * (SizeExceeded) and nothing of this body is kept.
   * Stops when `signal` aborts or the body fails (the client went away); what arrived is kept and
   * synced either way. Returns the new offset.
   */
  async append(
    version: string,
    offset: number,
    body: ReadableStream<Uint8Array> | null,
    max: number,
    signal: AbortSignal,
    tooMuch: () => StorageError = TUS_ERRORS.SizeExceeded,
  ): Promise<number> {
    const p = this.paths(version);
    const fh = await open(p.data, constants.O_WRONLY | constants.O_APPEND);
    let written = 0;
    let failure: unknown;
    let overflow = false;
    try {
      const s = await fh.stat();
      if (s.size !== offset) throw TUS_ERRORS.InvalidOffset();
      if (body) {
        const reader = body.getReader();
        const onAbort = () => void reader.cancel().catch(() => undefined);
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          for (;;) {
            if (signal.aborted) throw signal.reason instanceof StorageError ? signal.reason : TUS_ERRORS.LockAborted();
            let chunk: ReadableStreamReadResult<Uint8Array>;
            try {
              chunk = await reader.read();
            } catch (e) {
              throw signal.aborted && signal.reason instanceof StorageError ? signal.reason : ERRORS.RequestAborted(e);
            }
            // A cancelled read ends the stream: that is the takeover, not the end of the body.
            if (signal.aborted) throw signal.reason instanceof StorageError ? signal.reason : TUS_ERRORS.LockAborted();
            if (chunk.done) break;
            let bytes = chunk.value;
            if (written + bytes.length > max) {
              bytes = bytes.subarray(0, max - written);
              overflow = true;
              failure = tooMuch();
            }
            let off = 0;
            while (off < bytes.length) off += (await fh.write(bytes, off, bytes.length - off)).bytesWritten;
            written += bytes.length;
            if (failure) break;
          }
        } finally {
          signal.removeEventListener('abort', onAbort);
          if (failure || signal.aborted) await reader.cancel().catch(() => undefined);
          else reader.releaseLock();
        }
      }
    } catch (e) {
      failure ??= e;
    } finally {
      // Too many bytes: the request is refused whole, nothing of it is kept.
      if (overflow) {
        await fh.truncate(offset).catch(() => undefined);
        written = 0;
      }
      await fh.sync().catch(() => undefined);
      await fh.close().catch(() => undefined);
    }
    if (failure) throw failure;
    return offset + written;
  }

  /** Size and MD5 of the complete bytes, then the file moves to the backend's staging area. */
  async stage(version: string): Promise<StagedFile> {
    const p = this.paths(version);
    const md5 = createHash('md5');
    let size = 0;
    for await (const chunk of createReadStream(p.data)) {
      md5.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    await this.backend.stageExisting(p.data, version);
    await rm(p.info, { force: true });
    return { version, size, eTag: `"${md5.digest('hex')}"` };
  }

  async remove(version: string): Promise<void> {
    const p = this.paths(version);
    await rm(p.data, { force: true });
    await rm(p.info, { force: true });
  }

  /** Removes uploads past their expiry (and leftovers without a record); returns how many. */
  async sweepExpired(now = Date.now()): Promise<number> {
    let entries: string[];
    try {
      entries = await readdir(this.dir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const version of new Set(entries.map((f) => (f.endsWith('.json') ? f.slice(0, -5) : f)))) {
      if (!VERSION.test(version) || this.holders.has(version)) continue;
      const upload = await this.get(version).catch(() => undefined);
      if (!upload || upload.info.expiresAt <= now) {
        await this.remove(version);
        removed++;
      }
    }
    return removed;
  }

  /** Sweeps expired uploads at most every ten minutes (called as uploads are created). */
  async maybeSweep(now = Date.now()): Promise<void> {
    if (now - this.lastSweep < 10 * 60 * 1000) return;
    this.lastSweep = now;
    await this.sweepExpired(now).catch(() => undefined);
  }

  /** The first `n` bytes of an upload (to see what it is). */
  async readHead(version: string, n: number): Promise<Uint8Array> {
    const fh = await open(this.paths(version).data, constants.O_RDONLY);
    try {
      const buf = Buffer.alloc(n);
      const { bytesRead } = await fh.read(buf, 0, n, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }
}
