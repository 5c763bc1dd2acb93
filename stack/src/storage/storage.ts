// The storage domain (Supabase Storage's src/storage/storage.ts and object.ts): buckets and the
// objects in them, each operation checked by RLS as the caller the way the Storage API checks it
// (a rolled-back permission test as the caller, then the change as service_role under a per-key
// lock), with bytes staged, committed and published by the file backend so that no interruption
// leaves a row without its file or a file that matters without its row.
import type { FileBackend, StagedFile } from './backend.ts';
import { checkDestination, SNIFF_BYTES, sniffMimeType } from './content-type.ts';
import type { BucketRow, ListBucketOptions, ObjectMetadata, ObjectRow, Queries, SearchRow, StorageDb } from './db.ts';
import { escapeLike } from './db.ts';
import { ERRORS, ErrorCode, StorageError } from './errors.ts';
import { isEmptyFolder, MAX_OBJECTS_PER_REQUEST, maxUploadSize, mustBeValidBucketName, mustBeValidKey, parseFileSizeLimit, validateAllowedMimeTypes } from './limits.ts';
import { SCOPE_DOWNLOAD, SCOPE_UPLOAD, type DownloadToken, type UploadToken, type UrlSigner } from './signed-url.ts';
import { readUpload, type UploadInput } from './uploader.ts';

export interface StorageDeps {
  backend: FileBackend;
  signer: UrlSigner;
  /** `[storage] file_size_limit` in bytes. */
  globalFileSizeLimit: number;
  log(record: Record<string, unknown>): void;
}

/** Deletes are applied in batches of this many rows (and files). */
const DELETE_BATCH = 500;

export class Storage {
  constructor(
    readonly db: StorageDb,
    readonly deps: StorageDeps,
  ) {}

  asSuperUser(): Storage {
    return new Storage(this.db.asSuperUser(), this.deps);
  }

  from(bucketId: string): ObjectStorage {
    mustBeValidBucketName(bucketId);
    return new ObjectStorage(this, bucketId);
  }

  // ---- buckets -------------------------------------------------------------------------------

  async findBucket(id: string, opts: { isPublic?: boolean } = {}): Promise<BucketRow> {
    const bucket = await this.db.tx((q) => q.findBucket(id, opts), { readOnly: true });
    if (!bucket) throw ERRORS.NoSuchBucket(id);
    return bucket;
  }

  async findBucketOrUndefined(id: string): Promise<BucketRow | undefined> {
    return this.db.tx((q) => q.findBucket(id), { readOnly: true });
  }

  listBuckets(opts: ListBucketOptions): Promise<BucketRow[]> {
    return this.db.tx((q) => q.listBuckets(opts), { readOnly: true });
  }

  private sizeLimit(value: number | string | null | undefined): number | null | undefined {
    if (value === undefined || value === null) return value;
    const bytes = parseFileSizeLimit(value);
    if (bytes > this.deps.globalFileSizeLimit) throw ERRORS.EntityTooLarge();
    return bytes;
  }

  private mimeTypes(types: string[] | null | undefined): string[] | null | undefined {
    if (!types) return types;
    const list = types.filter((t) => t);
    validateAllowedMimeTypes(list);
    return list;
  }

  async createBucket(b: {
    id: string | undefined;
    name: string;
    owner: string | undefined;
    public: boolean;
    fileSizeLimit: number | string | null | undefined;
    allowedMimeTypes: string[] | null | undefined;
  }): Promise<void> {
    if (b.name.trim() !== b.name) throw ERRORS.InvalidBucketName(b.name);
    mustBeValidBucketName(b.name);
    const id = b.id || b.name;
    mustBeValidBucketName(id);
    const row = {
      id,
      name: b.name,
      owner: b.owner,
      public: b.public,
      file_size_limit: this.sizeLimit(b.fileSizeLimit),
      allowed_mime_types: this.mimeTypes(b.allowedMimeTypes),
    };
    try {
      await this.db.tx((q) => q.insertBucket(row));
    } catch (e) {
      if (e instanceof StorageError && e.code === ErrorCode.ResourceAlreadyExists) throw ERRORS.BucketAlreadyExists(id, e);
      throw e;
    }
  }

  async updateBucket(
    id: string,
    f: { public?: boolean | undefined; fileSizeLimit?: number | string | null | undefined; allowedMimeTypes?: string[] | null | undefined },
  ): Promise<void> {
    mustBeValidBucketName(id);
    if (f.public === undefined && f.fileSizeLimit === undefined && f.allowedMimeTypes === undefined) throw ERRORS.NoContentProvided();
    const fields = { public: f.public, file_size_limit: this.sizeLimit(f.fileSizeLimit), allowed_mime_types: this.mimeTypes(f.allowedMimeTypes) };
    const updated = await this.db.tx((q) => q.updateBucket(id, fields));
    if (!updated) throw ERRORS.NoSuchBucket(id);
  }

  /** Deletes an empty bucket (RLS on storage.buckets decides who may). */
  async deleteBucket(id: string): Promise<void> {
    mustBeValidBucketName(id);
    const count = await this.db.asSuperUser().tx((q) => q.countObjects(id, 1), { readOnly: true });
    if (count > 0) throw ERRORS.BucketNotEmpty(id);
    let deleted: number;
    try {
      deleted = await this.db.tx((q) => q.deleteBucket(id));
    } catch (e) {
      // An object the caller cannot see still keeps the bucket.
      if (e instanceof StorageError && e.code === ErrorCode.ResourceReferenced) throw ERRORS.BucketNotEmpty(id);
      throw e;
    }
    if (!deleted) throw ERRORS.NoSuchBucket(id);
    await this.deps.backend.removeBucketDir(id).catch((e: Error) => this.deps.log({ level: 'warn', msg: 'storage: could not remove bucket directory', bucket: id, err: e.message }));
  }

  /** Deletes every object of a bucket (service_role only, enforced by the route). */
  async emptyBucket(id: string): Promise<void> {
    mustBeValidBucketName(id);
    await this.findBucket(id);
    const objects = this.from(id);
    for (;;) {
      const names = await this.db.tx((q) => q.objectNamesInBucket(id, DELETE_BATCH), { readOnly: true });
      if (names.length === 0) return;
      const deleted = await objects.deleteObjects(names);
      if (deleted.length === 0) return;
    }
  }

  // ---- shared by object operations ------------------------------------------------------------

  /** Upstream's `canUpload`: the INSERT (or upsert) the upload will make, as the caller, rolled back. */
  async canUpload(o: {
    bucketId: string;
    objectName: string;
    owner: string | undefined;
    isUpsert: boolean;
    userMetadata: Record<string, unknown> | undefined;
    metadata: Record<string, unknown> | undefined;
  }): Promise<void> {
    const write = { bucket_id: o.bucketId, name: o.objectName, owner: o.owner, version: '1', metadata: o.metadata, user_metadata: o.userMetadata };
    try {
      await this.db.testPermission(async (q) => {
        if (o.isUpsert) await q.upsertObject(write);
        else await q.insertObject(write);
      });
    } catch (e) {
      if (e instanceof StorageError && e.code === ErrorCode.ResourceAlreadyExists) throw ERRORS.KeyAlreadyExists(o.objectName, e);
      throw e;
    }
  }

  /**
   * Runs a service_role transaction that commits rows naming staged files, then publishes them.
   * `staged` is filled by `work` as it stages. When the transaction fails the staged files are
   * settled by what the database says (a commit that failed late may still have happened).
   */
  async commitStaged<T>(staged: { bucket: string; version: string }[], work: (q: Queries) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await this.db.asSuperUser().tx(work);
    } catch (e) {
      await this.settle(staged);
      throw e;
    }
    for (const s of staged) await this.deps.backend.publish(s.bucket, s.version);
    return result;
  }

  private async settle(staged: { version: string }[]): Promise<void> {
    if (staged.length === 0) return;
    let owners: Map<string, string>;
    try {
      owners = await this.db.asSuperUser().tx((q) => q.bucketsOfVersions(staged.map((s) => s.version)), { readOnly: true });
    } catch {
      return; // the database cannot say: start-up recovery will
    }
    for (const s of staged) {
      const bucket = owners.get(s.version);
      if (bucket) await this.deps.backend.publish(bucket, s.version);
      else await this.deps.backend.discard(s.version);
    }
  }

  async removeFiles(rows: Pick<ObjectRow, 'bucket_id' | 'version'>[]): Promise<void> {
    for (const r of rows) {
      await this.deps.backend.remove(r.bucket_id, r.version).catch((e: Error) =>
        this.deps.log({ level: 'warn', msg: 'storage: could not remove an object file', bucket: r.bucket_id, version: r.version, err: e.message }),
      );
    }
  }
}

export interface SearchOptions {
  limit?: number | undefined;
  offset?: number | undefined;
  search?: string | undefined;
  sortBy?: { column?: string | undefined; order?: string | undefined } | undefined;
}

export class ObjectStorage {
  constructor(
    private readonly storage: Storage,
    readonly bucketId: string,
  ) {}

  private get db(): StorageDb {
    return this.storage.db;
  }

  private get backend(): FileBackend {
    return this.storage.deps.backend;
  }

  /**
   * The destination bucket's rules for an existing object's bytes (copy, cross-bucket move):
   * its MIME types, against the label and what the bytes are, and its size limit. Returns the
   * type the object is written with.
   */
  private async checkDestinationRules(
    source: ObjectRow,
    bucket: BucketRow,
    objectName: string,
    requestedMimeType: string | undefined,
  ): Promise<string> {
    if (!source.version) throw ERRORS.NoSuchKey(source.name);
    const stats = await this.backend.statObject(this.bucketId, source.version);
    if (!stats) throw ERRORS.NoSuchKey(source.name);
    const head = await this.backend.readHead(this.bucketId, source.version, SNIFF_BYTES);
    const stored = source.metadata?.mimetype;
    return checkDestination({
      objectName,
      storedMimeType: typeof stored === 'string' ? stored : undefined,
      requestedMimeType,
      sniffedMimeType: sniffMimeType(head),
      size: stats.size,
      bucket,
      globalFileSizeLimit: this.storage.deps.globalFileSizeLimit,
    });
  }

  async findObject(name: string): Promise<ObjectRow> {
    mustBeValidKey(name);
    const obj = await this.db.tx((q) => q.findObject(this.bucketId, name), { readOnly: true });
    if (!obj) throw ERRORS.NoSuchKey(name);
    return obj;
  }

  /** Reads an upload request and stores it; returns the new row's id and `<bucket>/<key>`. */
  async uploadFromRequest(input: UploadInput, o: { objectName: string; owner: string | undefined; isUpsert: boolean }): Promise<{ id: string; path: string }> {
    mustBeValidKey(o.objectName);
    const bucket = await this.storage.asSuperUser().findBucket(this.bucketId);
    const maxFileSize = isEmptyFolder(o.objectName) ? 0 : maxUploadSize(this.storage.deps.globalFileSizeLimit, bucket.file_size_limit);
    const file = await readUpload(input, { objectName: o.objectName, maxFileSize, allowedMimeTypes: bucket.allowed_mime_types });
    await this.storage.canUpload({
      bucketId: this.bucketId,
      objectName: o.objectName,
      owner: o.owner,
      isUpsert: o.isUpsert,
      userMetadata: file.userMetadata,
      metadata: { mimetype: file.mimeType, contentLength: file.declaredLength },
    });
    const staged = await this.backend.stage(file.body, maxFileSize);
    const row = await this.completeUpload(staged, {
      objectName: o.objectName,
      owner: o.owner,
      isUpsert: o.isUpsert,
      mimeType: file.mimeType,
      cacheControl: file.cacheControl,
      userMetadata: file.userMetadata,
    });
    return { id: row.id, path: `${this.bucketId}/${o.objectName}` };
  }

  private async completeUpload(
    staged: StagedFile,
    o: { objectName: string; owner: string | undefined; isUpsert: boolean; mimeType: string; cacheControl: string; userMetadata: Record<string, unknown> | undefined },
  ): Promise<ObjectRow> {
    const metadata: ObjectMetadata = {
      eTag: staged.eTag,
      size: staged.size,
      mimetype: o.mimeType,
      cacheControl: o.cacheControl,
      lastModified: new Date().toISOString(),
      contentLength: staged.size,
      httpStatusCode: 200,
    };
    const { row, previous } = await this.storage.commitStaged([{ bucket: this.bucketId, version: staged.version }], async (q) => {
      await q.lockObject(this.bucketId, o.objectName);
      const current = await q.findObject(this.bucketId, o.objectName, { forUpdate: true });
      if (current && !o.isUpsert) throw ERRORS.KeyAlreadyExists(o.objectName);
      const written = await q.upsertObject({
        bucket_id: this.bucketId,
        name: o.objectName,
        owner: o.owner,
        version: staged.version,
        metadata,
        user_metadata: { ...o.userMetadata },
      });
      return { row: written, previous: current };
    });
    if (previous && previous.version !== staged.version) await this.storage.removeFiles([previous]);
    return row;
  }

  /** DELETE /object/<bucket>/<key>: the DELETE policy decides; a denied delete is AccessDenied. */
  async deleteObject(name: string): Promise<void> {
    const exists = await this.storage.asSuperUser().db.tx((q) => q.findObject(this.bucketId, name), { readOnly: true });
    if (!exists) throw ERRORS.NoSuchKey(name);
    const deleted = await this.db.tx((q) => q.deleteObjects(this.bucketId, [name]));
    if (deleted.length === 0) throw ERRORS.AccessDenied('Access denied');
    await this.storage.removeFiles(deleted);
  }

  /** Deletes what the caller may delete of `names`; returns the deleted rows. */
  async deleteObjects(names: string[]): Promise<ObjectRow[]> {
    if (names.length > MAX_OBJECTS_PER_REQUEST) {
      throw ERRORS.InvalidRequest(`Bulk object requests are limited to ${MAX_OBJECTS_PER_REQUEST} objects per request.`);
    }
    const results: ObjectRow[] = [];
    for (let i = 0; i < names.length; i += DELETE_BATCH) {
      const batch = names.slice(i, i + DELETE_BATCH);
      const deleted = await this.db.tx((q) => q.deleteObjects(this.bucketId, batch));
      await this.storage.removeFiles(deleted);
      results.push(...deleted);
    }
    return results;
  }

  /** Moves/renames an object; needs SELECT and UPDATE (old and new row) as the caller. */
  async moveObject(sourceKey: string, destinationBucket: string, destinationKey: string, owner: string | undefined): Promise<{ id: string; name: string }> {
    mustBeValidKey(destinationKey);
    mustBeValidBucketName(destinationBucket);
    await this.db.testPermission(async (q) => {
      if (!(await q.findObject(this.bucketId, sourceKey))) throw ERRORS.NoSuchKey(sourceKey);
      const updated = await q.updateObject(this.bucketId, sourceKey, { bucket_id: destinationBucket, name: destinationKey, owner });
      if (!updated) throw ERRORS.NoSuchKey(sourceKey);
    });
    const crossBucket = destinationBucket !== this.bucketId;
    // Another bucket's rules apply to what moves into it, as to an upload there.
    const destination = crossBucket ? await this.storage.asSuperUser().findBucket(destinationBucket) : undefined;
    if (!crossBucket && destinationKey === sourceKey) {
      const same = await this.storage.asSuperUser().from(this.bucketId).findObject(sourceKey);
      return { id: same.id, name: same.name };
    }
    const staged: { bucket: string; version: string }[] = [];
    const { row, oldVersion } = await this.storage.commitStaged(staged, async (q) => {
      for (const [b, k] of sortedKeys([this.bucketId, sourceKey], [destinationBucket, destinationKey])) await q.lockObject(b, k);
      const source = await q.findObject(this.bucketId, sourceKey, { forUpdate: true });
      if (!source) throw ERRORS.NoSuchKey(sourceKey);
      if (destination) await this.checkDestinationRules(source, destination, destinationKey, undefined);
      let version: string | undefined;
      if (crossBucket && source.version) {
        // The file goes to the other bucket's directory under a new version; within a bucket
        // the version (and its file) stays as it is.
        version = await this.backend.stageLink(this.bucketId, source.version);
        staged.push({ bucket: destinationBucket, version });
      }
      const moved = await q.updateObject(this.bucketId, sourceKey, {
        bucket_id: destinationBucket,
        name: destinationKey,
        owner,
        ...(version ? { version } : {}),
      });
      if (!moved) throw ERRORS.NoSuchKey(sourceKey);
      return { row: moved, oldVersion: source.version };
    });
    if (crossBucket) await this.storage.removeFiles([{ bucket_id: this.bucketId, version: oldVersion }]);
    return { id: row.id, name: row.name };
  }

  /** Copies an object; needs SELECT on the source and INSERT (or upsert) on the destination. */
  async copyObject(o: {
    sourceKey: string;
    destinationBucket: string;
    destinationKey: string;
    owner: string | undefined;
    copyMetadata: boolean;
    metadata: { cacheControl?: string | undefined; mimetype?: string | undefined } | undefined;
    userMetadata: Record<string, unknown> | undefined;
    upsert: boolean;
  }): Promise<ObjectRow> {
    mustBeValidKey(o.destinationKey);
    mustBeValidBucketName(o.destinationBucket);
    const origin = await this.db.tx((q) => q.findObject(this.bucketId, o.sourceKey), { readOnly: true });
    if (!origin) throw ERRORS.NoSuchKey(o.sourceKey);
    const destination = await this.storage.asSuperUser().findBucket(o.destinationBucket);
    const requestedMimeType = o.copyMetadata ? undefined : o.metadata?.mimetype;
    const metadata: Record<string, unknown> = { ...origin.metadata };
    if (!o.copyMetadata) {
      if (o.metadata?.cacheControl !== undefined) metadata.cacheControl = o.metadata.cacheControl;
      if (requestedMimeType !== undefined) metadata.mimetype = requestedMimeType;
    }
    const userMetadata = o.copyMetadata ? (origin.user_metadata ?? undefined) : o.userMetadata;
    await this.storage.canUpload({
      bucketId: o.destinationBucket,
      objectName: o.destinationKey,
      owner: o.owner,
      isUpsert: o.upsert,
      userMetadata,
      metadata,
    });
    const staged: { bucket: string; version: string }[] = [];
    const { row, previous } = await this.storage.commitStaged(staged, async (q) => {
      for (const [b, k] of sortedKeys([this.bucketId, o.sourceKey], [o.destinationBucket, o.destinationKey])) await q.lockObject(b, k);
      const source = await q.findObject(this.bucketId, o.sourceKey, { forShare: true });
      if (!source?.version) throw ERRORS.NoSuchKey(o.sourceKey);
      // The version being linked is checked, not the one read before the lock.
      const mimetype = await this.checkDestinationRules(source, destination, o.destinationKey, requestedMimeType);
      const current = await q.findObject(o.destinationBucket, o.destinationKey, { forUpdate: true });
      if (current && !o.upsert) throw ERRORS.KeyAlreadyExists(o.destinationKey);
      const version = await this.backend.stageLink(this.bucketId, source.version);
      staged.push({ bucket: o.destinationBucket, version });
      const written = await q.upsertObject({
        bucket_id: o.destinationBucket,
        name: o.destinationKey,
        owner: o.owner,
        version,
        metadata: { ...metadata, mimetype, lastModified: new Date().toISOString() },
        user_metadata: userMetadata,
      });
      return { row: written, previous: current };
    });
    if (previous) await this.storage.removeFiles([previous]);
    return row;
  }

  /** POST /object/list: folders and files below a prefix, through storage.search under RLS. */
  async searchObjects(prefix: string, o: SearchOptions): Promise<SearchRow[]> {
    let p = prefix;
    if (p.length > 0 && !p.endsWith('/')) p = `${p}/`;
    const sortColumn = o.sortBy?.column ?? 'name';
    const escape = sortColumn !== 'name';
    const safePrefix = escape ? escapeLike(p) : p;
    const safeSearch = escape ? escapeLike(o.search ?? '') : (o.search ?? '');
    return this.db.tx(
      (q) =>
        q.search({
          prefix: safePrefix,
          bucketId: this.bucketId,
          limit: o.limit || 100,
          levels: (safePrefix + safeSearch).split('/').length,
          offset: o.offset || 0,
          search: safeSearch,
          sortColumn,
          sortOrder: o.sortBy?.order ?? 'asc',
        }),
      { readOnly: true },
    );
  }

  /** A download URL for an object the caller can read. */
  async signObjectUrl(name: string, expiresIn: number): Promise<string> {
    await this.findObject(name);
    const url = `${this.bucketId}/${name}`;
    const token = await this.storage.deps.signer.signDownload(url, expiresIn);
    return `/object/sign/${url}?token=${token}`;
  }

  async signObjectUrls(paths: string[], expiresIn: number): Promise<{ error: string | null; path: string; signedURL: string | null }[]> {
    const found = new Set(await this.db.tx((q) => q.findObjectNames(this.bucketId, paths), { readOnly: true }));
    return Promise.all(
      paths.map(async (path) => {
        if (!found.has(path)) return { error: 'Either the object does not exist or you do not have access to it', path, signedURL: null };
        const url = `${this.bucketId}/${path}`;
        return { error: null, path, signedURL: `/object/sign/${url}?token=${await this.storage.deps.signer.signDownload(url, expiresIn)}` };
      }),
    );
  }

  /** An upload URL, if the caller may insert (or upsert) the object now. */
  async signUploadObjectUrl(
    name: string,
    owner: string | undefined,
    o: { upsert: boolean; userMetadata: Record<string, unknown> | undefined; metadata: Record<string, unknown> },
  ): Promise<{ url: string; token: string }> {
    mustBeValidKey(name);
    await this.storage.canUpload({ bucketId: this.bucketId, objectName: name, owner, isUpsert: o.upsert, userMetadata: o.userMetadata, metadata: o.metadata });
    const url = `${this.bucketId}/${name}`;
    const token = await this.storage.deps.signer.signUpload(url, owner, o.upsert);
    return { url: `/object/upload/sign/${url}?token=${token}`, token };
  }

  verifyDownloadToken(token: string, name: string): Promise<DownloadToken> {
    return this.storage.deps.signer.verify(token, `${this.bucketId}/${name}`, SCOPE_DOWNLOAD);
  }

  verifyUploadToken(token: string, name: string): Promise<UploadToken> {
    return this.storage.deps.signer.verify(token, `${this.bucketId}/${name}`, SCOPE_UPLOAD);
  }
}

/** Two keys in a stable order, so concurrent moves/copies lock without deadlocking. */
function sortedKeys(a: [string, string], b: [string, string]): [string, string][] {
  const ka = `${a[0]}/${a[1]}`;
  const kb = `${b[0]}/${b[1]}`;
  if (ka === kb) return [a];
  return ka < kb ? [a, b] : [b, a];
}
