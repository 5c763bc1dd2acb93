// Resumable uploads (Storage's TUS lifecycle, src/http/routes/tus/lifecycle.ts): the same rules as
// a plain upload, checked at the same points as upstream: the bucket and its size limit when the
// upload is created, the caller's INSERT (or upsert) policy on every request that writes, the
// bucket's MIME types against the declared type at creation, and, when the last byte arrives,
// against what the bytes are (content-type.ts) before the object row is written.
import { checkDestination, SNIFF_BYTES, sniffMimeType } from './content-type.ts';
import { ERRORS, TUS_ERRORS } from './errors.ts';
import { isEmptyFolder, maxUploadSize, mustBeValidBucketName, mustBeValidKey, validateMimeType } from './limits.ts';
import type { Storage } from './storage.ts';
import { cacheControlOf, TUS_UPLOAD_EXPIRY_MS, type UploadId, type UploadInfo } from './tus.ts';
import type { TusStore } from './tus-store.ts';

export interface ResumableCaller {
  /** The caller's domain object (RLS as the caller; service_role for signed uploads). */
  storage: Storage;
  store: TusStore;
  /** Recorded as the object's owner. */
  owner: string | undefined;
  /** Who may continue an upload this caller creates. */
  creator: string;
  /** `x-upsert: true` (or the signed token's `upsert`). */
  isUpsert: boolean;
  /** A signed upload URL's token already granted the upload: no policy check. */
  preauthorized: boolean;
}

export interface UploadState {
  id: UploadId;
  info: UploadInfo;
  offset: number;
  /** The object was written: the upload is complete. */
  finished: boolean;
}

function userMetadataOf(info: Pick<UploadInfo, 'metadata'>): Record<string, unknown> | undefined {
  const raw = info.metadata.metadata;
  if (!raw) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export class ResumableUploads {
  constructor(private readonly c: ResumableCaller) {}

  private get global(): number {
    return this.c.storage.deps.globalFileSizeLimit;
  }

  /** Upstream's `maxSize`: the bucket's limit, never above the global one (NoSuchBucket without a bucket). */
  async maxSize(bucketId: string): Promise<number> {
    const bucket = await this.c.storage.asSuperUser().findBucket(bucketId);
    return maxUploadSize(this.global, bucket.file_size_limit);
  }

  private async canUpload(info: Pick<UploadInfo, 'bucket' | 'objectName' | 'metadata' | 'size'>): Promise<void> {
    if (this.c.preauthorized) return;
    await this.c.storage.canUpload({
      bucketId: info.bucket,
      objectName: info.objectName,
      owner: this.c.owner,
      isUpsert: this.c.isUpsert,
      userMetadata: userMetadataOf(info),
      metadata: { mimetype: info.metadata.contentType ?? undefined, contentLength: info.size ?? undefined },
    });
  }

  /** The upload a request names, if the caller may work on it. */
  private async find(id: UploadId): Promise<{ info: UploadInfo; offset: number }> {
    const upload = await this.c.store.get(id.version);
    if (!upload || upload.info.bucket !== id.bucket || upload.info.objectName !== id.objectName || upload.info.creator !== this.c.creator) {
      throw TUS_ERRORS.FileNotFound();
    }
    if (upload.info.expiresAt <= Date.now()) {
      await this.c.store.remove(id.version);
      throw TUS_ERRORS.FileNoLongerExists();
    }
    return upload;
  }

  /**
   * POST: a new upload of `length` bytes (null: declared later, creation-defer-length), with the
   * first bytes when the request carries them.
   */
  async create(o: { length: number | null; metadata: Record<string, string | null> | undefined; body: ReadableStream<Uint8Array> | null; version: string }): Promise<UploadState> {
    if (!o.metadata) throw ERRORS.MetadataRequired();
    const bucketId = o.metadata.bucketName ?? '';
    const objectName = o.metadata.objectName ?? '';
    mustBeValidBucketName(bucketId);
    mustBeValidKey(objectName);
    const max = isEmptyFolder(objectName) ? 0 : await this.maxSize(bucketId);
    if (o.length !== null && o.length > max) throw TUS_ERRORS.MaxSizeExceeded();
    const now = Date.now();
    const metadata: Record<string, string | null> = { ...o.metadata, cacheControl: cacheControlOf(o.metadata.cacheControl) };
    const info: UploadInfo = {
      bucket: bucketId,
      objectName,
      version: o.version,
      size: o.length,
      metadata,
      creator: this.c.creator,
      createdAt: now,
      expiresAt: now + TUS_UPLOAD_EXPIRY_MS,
    };
    await this.canUpload(info);
    const bucket = await this.c.storage.asSuperUser().findBucket(bucketId);
    if (bucket.allowed_mime_types?.length && !isEmptyFolder(objectName)) {
      validateMimeType(metadata.contentType || 'application/octet-stream', bucket.allowed_mime_types);
    }
    const id = { bucket: bucketId, objectName, version: o.version };
    const lock = await this.c.store.lock(o.version);
    let offset = 0;
    try {
      await this.c.store.create(info);
      if (o.body) {
        try {
          offset = await this.c.store.append(o.version, 0, o.body, o.length ?? max, lock.signal, o.length === null ? TUS_ERRORS.MaxSizeExceeded : TUS_ERRORS.SizeExceeded);
        } catch (e) {
          // The client never learnt this upload's URL: nothing can resume it.
          await this.c.store.remove(o.version);
          throw e;
        }
      }
      if (offset === o.length) await this.finish(info);
    } finally {
      lock.release();
    }
    return { id, info, offset, finished: offset === o.length };
  }

  /** Takes an upload for this request, once the caller is known to be its creator (no one else can disturb it). */
  private async lock(id: UploadId) {
    await this.find(id);
    return this.c.store.lock(id.version);
  }

  /** HEAD: how much of the upload arrived. */
  async head(id: UploadId): Promise<UploadState> {
    const lock = await this.lock(id);
    try {
      const upload = await this.find(id);
      return { id, ...upload, finished: false };
    } finally {
      lock.release();
    }
  }

  /**
   * PATCH: bytes at `offset`; the object is written when the last one arrives. `uploadLength`
   * declares the size of an upload created without one (once).
   */
  async patch(
    id: UploadId,
    offset: number,
    body: ReadableStream<Uint8Array> | null,
    o: { contentLength: number | undefined; uploadLength: number | undefined },
  ): Promise<UploadState> {
    const lock = await this.lock(id);
    let upload: { info: UploadInfo; offset: number };
    let newOffset: number;
    try {
      upload = await this.find(id);
      await this.canUpload(upload.info);
      if (upload.offset !== offset) throw TUS_ERRORS.InvalidOffset();
      const max = isEmptyFolder(upload.info.objectName) ? 0 : await this.maxSize(upload.info.bucket);
      if (o.uploadLength !== undefined) {
        if (upload.info.size !== null || o.uploadLength < offset) throw TUS_ERRORS.InvalidLength();
        if (o.uploadLength > max) throw TUS_ERRORS.MaxSizeExceeded();
        upload.info = await this.c.store.declareLength(id.version, o.uploadLength);
      }
      const room = (upload.info.size ?? max) - offset;
      if (o.contentLength !== undefined && o.contentLength > room) throw upload.info.size === null ? TUS_ERRORS.MaxSizeExceeded() : TUS_ERRORS.SizeExceeded();
      // Past a declared length the upload's size is exceeded; without one, the bucket's limit.
      newOffset = await this.c.store.append(id.version, offset, body, room, lock.signal, upload.info.size === null ? TUS_ERRORS.MaxSizeExceeded : TUS_ERRORS.SizeExceeded);
      if (newOffset === upload.info.size) await this.finish(upload.info);
    } finally {
      lock.release();
    }
    return { id, info: upload.info, offset: newOffset, finished: newOffset === upload.info.size };
  }

  /** DELETE: an unfinished upload is dropped. */
  async terminate(id: UploadId): Promise<void> {
    const lock = await this.lock(id);
    try {
      const upload = await this.find(id);
      await this.canUpload(upload.info);
      await this.c.store.remove(id.version);
    } finally {
      lock.release();
    }
  }

  /**
   * The last byte arrived: the bucket's rules once more (they may have changed, and now the bytes
   * can be seen), then the object is written under the upload's version. A refused upload is gone.
   */
  private async finish(info: UploadInfo): Promise<void> {
    const storage = this.c.storage;
    let mimeType: string;
    try {
      const bucket = await storage.asSuperUser().findBucket(info.bucket);
      const head = await this.c.store.readHead(info.version, SNIFF_BYTES);
      mimeType = checkDestination({
        objectName: info.objectName,
        storedMimeType: info.metadata.contentType || 'application/octet-stream',
        requestedMimeType: undefined,
        sniffedMimeType: sniffMimeType(head),
        size: info.size ?? 0,
        bucket,
        globalFileSizeLimit: this.global,
      });
    } catch (e) {
      await this.c.store.remove(info.version);
      throw e;
    }
    const staged = await this.c.store.stage(info.version);
    await storage.asSuperUser().from(info.bucket).completeStagedUpload(staged, {
      objectName: info.objectName,
      owner: this.c.owner,
      isUpsert: this.c.isUpsert,
      mimeType,
      cacheControl: info.metadata.cacheControl ?? 'no-cache',
      userMetadata: userMetadataOf(info),
    });
  }
}
