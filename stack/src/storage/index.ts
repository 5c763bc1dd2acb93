// `/storage/v1`: Supabase Storage's REST API (buckets, objects, signed URLs) over the `storage`
// schema, with object bytes in files under the instance directory. One route per file under
// routes/, delegating to the domain object (storage.ts); errors rendered in one place.
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { decodeJwt } from 'jose';
import { supabaseDir } from '../config.ts';
import type { GatewayContext } from '../kit/context.ts';
import type { GatewayEnv, Service } from '../kit/service.ts';
import { FileBackend } from './backend.ts';
import { type Caller, StorageDb } from './db.ts';
import { ERRORS, toStorageError } from './errors.ts';
import { StorageHttp } from './http.ts';
import { isValidBucketName, isValidKey, validateAllowedMimeTypes } from './limits.ts';
import { UrlSigner } from './signed-url.ts';
import { TusStore } from './tus-store.ts';
import { Storage, type StorageDeps } from './storage.ts';
import createBucket from './routes/bucket/create-bucket.ts';
import deleteBucket from './routes/bucket/delete-bucket.ts';
import emptyBucket from './routes/bucket/empty-bucket.ts';
import getBucket from './routes/bucket/get-bucket.ts';
import listBuckets from './routes/bucket/list-buckets.ts';
import updateBucket from './routes/bucket/update-bucket.ts';
import copyObject from './routes/object/copy-object.ts';
import createObject from './routes/object/create-object.ts';
import deleteObject from './routes/object/delete-object.ts';
import deleteObjects from './routes/object/delete-objects.ts';
import getObjectInfo from './routes/object/get-object-info.ts';
import getObject from './routes/object/get-object.ts';
import getPublicObject from './routes/object/get-public-object.ts';
import getSignedObject from './routes/object/get-signed-object.ts';
import getSignedUploadUrl from './routes/object/get-signed-upload-url.ts';
import getSignedUrl from './routes/object/get-signed-url.ts';
import getSignedUrls from './routes/object/get-signed-urls.ts';
import listObjects from './routes/object/list-objects.ts';
import listObjectsV2 from './routes/object/list-objects-v2.ts';
import moveObject from './routes/object/move-object.ts';
import updateObject from './routes/object/update-object.ts';
import uploadSignedObject from './routes/object/upload-signed-object.ts';
import renderImage from './routes/render/render-image.ts';
import resumable from './routes/tus/resumable.ts';

/**
 * Registration order matters where paths overlap (`/object/sign/b/k` also matches
 * `/object/:bucket/*`): the specific routes come first, as Storage's router prefers them.
 */
const ROUTES = [
  createBucket,
  listBuckets,
  emptyBucket,
  getBucket,
  updateBucket,
  deleteBucket,
  getSignedUploadUrl,
  uploadSignedObject,
  getSignedUrls,
  getSignedUrl,
  getSignedObject,
  listObjects,
  listObjectsV2,
  moveObject,
  copyObject,
  getObjectInfo,
  getPublicObject,
  getObject,
  createObject,
  updateObject,
  deleteObjects,
  deleteObject,
  renderImage,
  resumable,
];

const MIME_BY_EXTENSION: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.mp4': 'video/mp4',
  '.mp3': 'audio/mpeg',
  '.csv': 'text/csv',
};

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** The `/storage/v1` routes over a StorageHttp, with Storage's 404 and error rendering. */
export function storageApp(http: StorageHttp, log: (record: Record<string, unknown>) => void): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  for (const register of ROUTES) register(app, http);
  app.all('*', (c) => {
    const url = new URL(c.req.url);
    throw ERRORS.RouteNotFound(c.req.method, `${url.pathname.replace(/^\/storage\/v1/, '')}${url.search}`);
  });
  app.onError((err, c) => {
    const e = toStorageError(err);
    if (e.httpStatusCode === 503) {
      log({ level: 'warn', msg: 'storage: database unavailable', request_id: c.get('requestId'), err: e.cause instanceof Error ? e.cause.message : e.message });
    } else if (e.userStatusCode >= 500) {
      const cause = e.cause instanceof Error ? (e.cause.stack ?? e.cause.message) : e.stack;
      log({ level: 'error', msg: 'storage: request failed', request_id: c.get('requestId'), code: e.code, err: cause });
    }
    return c.json(e.render(), e.userStatusCode as 400);
  });
  return app;
}

export function storageService(ctx: GatewayContext): Service {
  const backend = new FileBackend(join(ctx.inst.dir, 'storage'));
  const tus = new TusStore(backend);
  const deps: StorageDeps = {
    backend,
    signer: new UrlSigner(ctx.jwtKeys.secret),
    globalFileSizeLimit: ctx.config.storage.file_size_limit,
    imageTransformation: ctx.config.storage.image_transformation.enabled,
    log: (r) => ctx.log(r),
  };
  const superCaller: Caller = {
    role: 'service_role',
    claims: decodeJwt(ctx.keys.serviceRoleKey) as Record<string, unknown>,
    token: ctx.keys.serviceRoleKey,
    owner: undefined,
  };
  const pool = () => ctx.pool('supabase_storage_admin');
  const adminDb = (operation: string) => new StorageDb(pool, superCaller, { method: 'INIT', path: '', headers: {}, operation }, superCaller);

  /** config.toml's buckets, created or brought up to date; their objects_path files uploaded once. */
  async function syncConfigBuckets(): Promise<void> {
    const admin = new Storage(adminDb('storage.bucket.create'), deps);
    for (const [id, b] of Object.entries(ctx.config.storage.buckets)) {
      if (!isValidBucketName(id)) {
        ctx.log({ level: 'warn', msg: 'storage: skipping a config.toml bucket with an invalid name', bucket: id });
        continue;
      }
      const mimeTypes = b.allowed_mime_types?.filter((t) => t) ?? null;
      if (mimeTypes) validateAllowedMimeTypes(mimeTypes);
      await admin.db.tx((q) => q.upsertBucket({ id, public: b.public, file_size_limit: b.file_size_limit ?? null, allowed_mime_types: mimeTypes }));
      if (!b.objects_path) continue;
      const dir = resolve(supabaseDir(), b.objects_path);
      const files = await filesUnder(dir).catch(() => [] as string[]);
      const objects = admin.from(id);
      for (const file of files) {
        const key = relative(dir, file).split('\\').join('/');
        if (!isValidKey(key)) continue;
        const exists = await admin.db.tx((q) => q.findObject(id, key), { readOnly: true });
        if (exists) continue;
        await objects.uploadFromRequest(
          {
            contentType: MIME_BY_EXTENSION[extname(file).toLowerCase()] ?? 'application/octet-stream',
            cacheControl: 'max-age=3600',
            xMetadata: undefined,
            contentLength: undefined,
            body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
          },
          { objectName: key, owner: undefined, isUpsert: false },
        );
      }
    }
  }

  async function start(): Promise<void> {
    const db = adminDb('storage.admin.recover');
    const { published, removed } = await backend.recover(
      (versions) => db.tx((q) => q.bucketsOfVersions(versions), { readOnly: true }),
      () => db.tx((q) => q.allVersions(), { readOnly: true }),
    );
    if (published + removed > 0) ctx.log({ level: 'info', msg: 'storage: recovered the data directory', published, removed });
    const expired = await tus.sweepExpired();
    if (expired > 0) ctx.log({ level: 'info', msg: 'storage: removed expired resumable uploads', expired });
    await syncConfigBuckets();
  }

  // Requests wait for start-up (recovery must finish before any upload stages a file); a failed
  // start (database not up yet) is retried by the next request.
  let starting: Promise<void> | undefined;
  let startError: string | undefined;
  const ready = (): Promise<void> => {
    starting ??= start().then(
      () => {
        startError = undefined;
      },
      (e: unknown) => {
        starting = undefined;
        startError = e instanceof Error ? e.message : String(e);
        throw e;
      },
    );
    return starting;
  };
  ready().catch((e: unknown) => ctx.log({ level: 'error', msg: 'storage: start-up failed, retrying on the next request', err: e instanceof Error ? e.message : String(e) }));

  const http = new StorageHttp(pool, deps, superCaller, ready, tus);
  const app = storageApp(http, (r) => ctx.log(r));

  return {
    prefix: '/storage/v1',
    name: 'storage',
    app,
    async health() {
      const writable = await backend.writable();
      if (writable !== true) return writable;
      try {
        await ready();
        await adminDb('storage.health').tx((q) => q.ping(), { readOnly: true });
      } catch (e) {
        return `storage: ${startError ?? (e instanceof Error ? e.message : String(e))}`;
      }
      return true;
    },
  };
}
