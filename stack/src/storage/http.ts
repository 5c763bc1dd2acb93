// What the storage routes share: who the caller is (from the token the gateway verified), the
// domain object for the request, path and body parsing, the JSON shapes Storage answers with, and
// serving an object's bytes with Storage's headers.
import type { Context } from 'hono';
import type pg from 'pg';
import type { z } from 'zod';
import { edge } from '../kit/forwarded.ts';
import type { GatewayEnv } from '../kit/service.ts';
import type { FileBackend } from './backend.ts';
import { type BucketRow, type Caller, type ObjectRow, StorageDb } from './db.ts';
import { ERRORS } from './errors.ts';
import { parseRange } from './backend.ts';
import { SNIFF_BYTES } from './content-type.ts';
import { renderImage } from './image.ts';
import { type TransformOptions, transformationSegments } from './transform.ts';
import { TusStore } from './tus-store.ts';
import { Storage, type StorageDeps } from './storage.ts';
import type { UploadInput } from './uploader.ts';

export type StorageContext = Context<GatewayEnv>;

/** Storage's operation names, the values of `storage.operation()` (src/http/routes/operations.ts). */
export const OP = {
  CREATE_BUCKET: 'storage.bucket.create',
  DELETE_BUCKET: 'storage.bucket.delete',
  EMPTY_BUCKET: 'storage.bucket.empty',
  LIST_BUCKET: 'storage.bucket.list',
  GET_BUCKET: 'storage.bucket.get',
  UPDATE_BUCKET: 'storage.bucket.update',
  COPY_OBJECT: 'storage.object.copy',
  CREATE_OBJECT: 'storage.object.upload',
  DELETE_OBJECT: 'storage.object.delete',
  DELETE_OBJECTS: 'storage.object.delete_many',
  GET_PUBLIC_OBJECT: 'storage.object.get_public',
  GET_AUTH_OBJECT: 'storage.object.get_authenticated',
  INFO_PUBLIC_OBJECT: 'storage.object.info_public',
  GET_AUTH_OBJECT_INFO: 'object.get_authenticated_info',
  HEAD_AUTH_OBJECT_INFO: 'object.head_authenticated_info',
  GET_SIGNED_OBJECT: 'storage.object.get_signed',
  SIGN_UPLOAD_URL: 'storage.object.sign_upload_url',
  SIGN_OBJECT_URL: 'storage.object.sign',
  SIGN_OBJECT_URLS: 'storage.object.sign_many',
  LIST_OBJECTS: 'storage.object.list',
  LIST_OBJECTS_V2: 'storage.object.list_v2',
  MOVE_OBJECT: 'storage.object.move',
  UPDATE_OBJECT: 'storage.object.upload_update',
  UPLOAD_SIGN_OBJECT: 'storage.object.upload_signed',
  RENDER_AUTH_IMAGE: 'storage.render.image_authenticated',
  RENDER_PUBLIC_IMAGE: 'storage.render.image_public',
  RENDER_SIGNED_IMAGE: 'storage.render.image_sign',
  TUS_CREATE_UPLOAD: 'storage.tus.upload.create',
  TUS_UPLOAD_PART: 'storage.tus.upload.part',
  TUS_GET_UPLOAD: 'storage.tus.upload.get',
  TUS_DELETE_UPLOAD: 'storage.tus.upload.delete',
  TUS_OPTIONS: 'storage.tus.options',
} as const;

/**
 * How a route authenticates, as upstream's route groups do:
 * - `jwt`: a valid token is required (AccessDenied otherwise);
 * - `optional`: an invalid or missing token makes the caller anonymous (allowInvalidJwt);
 * - `none`: public and signed routes, which act as service_role after their own checks.
 */
export type AuthMode = 'jwt' | 'optional' | 'none';

export interface RequestStorage {
  storage: Storage;
  caller: Caller;
  /** A valid token came with the request (upstream's `request.isAuthenticated`). */
  isAuthenticated: boolean;
}

const PREFIX = '/storage/v1';
const ANON: Caller = { role: 'anon', claims: { role: 'anon' }, token: '', owner: undefined };

export class StorageHttp {
  constructor(
    private readonly pool: () => pg.Pool,
    readonly deps: StorageDeps,
    private readonly superCaller: Caller,
    private readonly ready: () => Promise<void>,
    /** Unfinished resumable uploads (one store per service: it holds their locks). */
    readonly tus: TusStore = new TusStore(deps.backend),
  ) {}

  get backend(): FileBackend {
    return this.deps.backend;
  }

  /** The caller and the domain object for this request; throws AccessDenied in `jwt` mode without a valid token. */
  async storage(c: StorageContext, operation: string, mode: AuthMode): Promise<RequestStorage> {
    await this.ready();
    const jwt = c.get('jwt');
    let caller = ANON;
    let isAuthenticated = false;
    if (mode !== 'none') {
      if (jwt?.ok) {
        const claims = jwt.claims as Record<string, unknown>;
        const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
        caller = { role: typeof claims.role === 'string' ? claims.role : 'anon', claims, token: jwt.token, owner: sub };
        isAuthenticated = true;
        if (sub) c.set('userId', sub);
      } else if (mode === 'jwt') {
        const message = !jwt ? 'Invalid Compact JWS' : jwt.reason === 'expired' ? '"exp" claim timestamp check failed' : jwt.message;
        throw ERRORS.AccessDenied(message);
      }
    }
    const url = new URL(c.req.url);
    const db = new StorageDb(
      this.pool,
      caller,
      {
        method: c.req.method,
        path: url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname,
        // X-Forwarded-For as the edge sends it on (a client's own is not believed).
        headers: { ...Object.fromEntries(c.req.raw.headers), 'x-forwarded-for': edge(c).forwardedFor },
        operation,
      },
      this.superCaller,
    );
    return { storage: new Storage(db, this.deps), caller, isAuthenticated };
  }
}

/**
 * `{bucket, key}` of a path `<prefix>/<fixed segments...>/<bucket>/<key...>`, percent-decoded
 * as Storage's router decodes its `*` parameter. `fixed` counts the segments after the prefix.
 */
export function bucketAndKey(c: StorageContext, fixed: number): { bucket: string; key: string } {
  const path = new URL(c.req.url).pathname;
  const rest = (path.startsWith(PREFIX) ? path.slice(PREFIX.length) : path).split('/').slice(1 + fixed);
  const [rawBucket = '', ...rawKey] = rest;
  try {
    return { bucket: decodeURIComponent(rawBucket), key: decodeURIComponent(rawKey.join('/')) };
  } catch {
    throw ERRORS.InvalidKey(rawKey.join('/'));
  }
}

/** A JSON body checked against a schema; failures read like Storage's validation errors. */
export async function jsonBody<T extends z.ZodType>(c: StorageContext, schema: T): Promise<z.infer<T>> {
  let raw: unknown;
  const text = await c.req.text();
  if (text.trim() === '') raw = {};
  else {
    try {
      raw = JSON.parse(text);
    } catch {
      throw ERRORS.ValidationError('Body is not valid JSON');
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `body/${issue.path.join('/')}` : 'body';
    throw ERRORS.ValidationError(`${where} ${issue?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}

export function uploadInput(c: StorageContext): UploadInput {
  const length = c.req.header('content-length');
  const n = length === undefined ? undefined : Number(length);
  return {
    contentType: c.req.header('content-type'),
    cacheControl: c.req.header('cache-control'),
    xMetadata: c.req.header('x-metadata'),
    contentLength: n !== undefined && Number.isFinite(n) && n >= 0 ? n : undefined,
    body: c.req.raw.body,
  };
}

function iso(d: Date | string | null | undefined): string | null {
  if (d === null || d === undefined) return null;
  return d instanceof Date ? d.toISOString() : d;
}

/** An object row as Storage's `objectSchema` serializes it (strings never null, as fast-json-stringify). */
type ObjectLike = { name: string } & { [K in Exclude<keyof ObjectRow, 'metadata' | 'user_metadata'>]?: ObjectRow[K] | null } & {
  metadata?: Record<string, unknown> | null;
  user_metadata?: Record<string, unknown> | null;
};

export function objectJson(r: ObjectLike): Record<string, unknown> {
  const out: Record<string, unknown> = { name: r.name };
  if ('bucket_id' in r) out.bucket_id = r.bucket_id ?? '';
  if ('owner' in r) out.owner = r.owner ?? '';
  if ('owner_id' in r) out.owner_id = r.owner_id ?? '';
  if ('version' in r) out.version = r.version ?? '';
  if ('id' in r) out.id = r.id ?? null;
  if ('updated_at' in r) out.updated_at = iso(r.updated_at);
  if ('created_at' in r) out.created_at = iso(r.created_at);
  if ('last_accessed_at' in r) out.last_accessed_at = iso(r.last_accessed_at);
  if ('metadata' in r) out.metadata = r.metadata ?? null;
  if ('user_metadata' in r) out.user_metadata = r.user_metadata ?? null;
  return out;
}

/** A bucket as Storage's `bucketSchema` serializes it; `fields` picks the columns a route selects. */
export function bucketJson(b: BucketRow, fields: (keyof BucketRow)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of ['id', 'name', 'owner', 'owner_id', 'public', 'type', 'file_size_limit', 'allowed_mime_types', 'created_at', 'updated_at'] as const) {
    if (!fields.includes(f)) continue;
    const v = b[f];
    if (f === 'owner' || f === 'owner_id') out[f] = v ?? '';
    else if (f === 'created_at' || f === 'updated_at') out[f] = iso(v as Date);
    else out[f] = v;
  }
  return out;
}

/** GET /object/info: Storage's InfoRenderer body. */
export function infoJson(r: ObjectRow): Record<string, unknown> {
  const md = r.metadata;
  return {
    id: r.id,
    name: r.name,
    version: r.version,
    bucket_id: r.bucket_id,
    size: typeof md?.size === 'number' ? md.size : null,
    content_type: md?.mimetype ?? null,
    cache_control: md?.cacheControl ?? null,
    etag: md?.eTag ?? null,
    metadata: r.user_metadata,
    last_modified: iso(r.updated_at),
    created_at: iso(r.created_at),
  };
}

/** On every object download (authenticated, public, signed; HEAD and 304 too). */
export const USER_CONTENT_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
} as const;

function contentType(mime: string | undefined): string {
  // Storage never serves HTML from a bucket as HTML.
  if (!mime) return 'application/octet-stream';
  return mime.includes('text/html') ? 'text/plain' : mime;
}

function lastModified(r: ObjectRow, fallback?: Date): Date | undefined {
  const v = r.metadata?.lastModified;
  const d = v ? new Date(v) : fallback;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}

function metadataHeaders(r: ObjectRow, size: number | undefined, opts: { expires?: string | undefined; mtime?: Date }): Headers {
  const md = r.metadata;
  const h = new Headers();
  h.set('Accept-Ranges', 'bytes');
  h.set('Content-Type', contentType(md?.mimetype));
  if (md?.eTag) h.set('ETag', md.eTag);
  h.set('X-Robots-Tag', 'none');
  // User content is served from the API's origin: the browser must take the stored type as is
  // (no sniffing a "PNG" into HTML) and run nothing it opens directly (an SVG's scripts, say).
  for (const [k, v] of Object.entries(USER_CONTENT_HEADERS)) h.set(k, v);
  const lm = lastModified(r, opts.mtime);
  if (lm) h.set('Last-Modified', lm.toUTCString());
  if (size !== undefined) h.set('Content-Length', String(size));
  if (opts.expires) h.set('Expires', opts.expires);
  else h.set('Cache-Control', md?.cacheControl || 'no-cache');
  return h;
}

function notFoundAsset(): Response {
  return new Response(JSON.stringify({ error: 'Not found', message: 'The resource was not found', statusCode: '404', code: 'NoSuchKey' }), {
    status: 400,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });
}

/** HEAD of an object: its headers from the row's metadata, no body (Storage's HeadRenderer). */
export function headResponse(r: ObjectRow): Response {
  const size = typeof r.metadata?.contentLength === 'number' ? r.metadata.contentLength : undefined;
  return new Response(null, { status: 200, headers: metadataHeaders(r, size, {}) });
}

/** An object's bytes with Storage's headers: ranges, conditional requests, `?download`. */
export async function assetResponse(
  c: StorageContext,
  backend: FileBackend,
  r: ObjectRow,
  opts: { download?: string | undefined; expires?: string | undefined } = {},
): Promise<Response> {
  if (c.req.method === 'HEAD') return headResponse(r);
  const stats = r.version ? await backend.statObject(r.bucket_id, r.version) : undefined;
  if (!stats || !r.version) return notFoundAsset();
  const etag = r.metadata?.eTag;
  const ifNoneMatch = c.req.header('if-none-match');
  const ifModifiedSince = c.req.header('if-modified-since');
  const lm = lastModified(r, stats.mtime);
  if ((ifNoneMatch && etag && ifNoneMatch === etag) || (!ifNoneMatch && ifModifiedSince && lm && lm.getTime() <= new Date(ifModifiedSince).getTime() + 999)) {
    const h = metadataHeaders(r, undefined, { expires: opts.expires, mtime: stats.mtime });
    h.delete('Content-Type');
    return new Response(null, { status: 304, headers: h });
  }
  const range = parseRange(c.req.header('range'), stats.size);
  const size = range ? range.end - range.start + 1 : stats.size;
  const h = metadataHeaders(r, size, { expires: opts.expires, mtime: stats.mtime });
  if (range) h.set('Content-Range', `bytes ${range.start}-${range.end}/${stats.size}`);
  if (opts.download !== undefined) {
    if (opts.download === '') h.set('Content-Disposition', 'attachment;');
    else {
      const name = encodeURIComponent(opts.download);
      h.set('Content-Disposition', `attachment; filename=${name}; filename*=UTF-8''${name}`);
    }
  }
  let body: ReadableStream<Uint8Array>;
  try {
    body = backend.readObject(r.bucket_id, r.version, range);
  } catch {
    return notFoundAsset();
  }
  return new Response(body, { status: range ? 206 : 200, headers: h });
}

/**
 * An object rendered with image transformations (Storage's ImageRenderer): the rendered bytes
 * with the object's ETag, cache settings and Last-Modified, and `X-Transformations` naming what
 * was applied.
 */
export async function imageResponse(
  c: StorageContext,
  backend: FileBackend,
  r: ObjectRow,
  options: TransformOptions,
  opts: { download?: string | undefined; expires?: string | undefined } = {},
): Promise<Response> {
  const stats = r.version ? await backend.statObject(r.bucket_id, r.version) : undefined;
  if (!stats || !r.version) return notFoundAsset();
  const segments = transformationSegments(options);
  const head = await backend.readHead(r.bucket_id, r.version, SNIFF_BYTES);
  const image = await renderImage(backend.objectPath(r.bucket_id, r.version), stats.size, head, options, c.req.header('accept'));
  const h = new Headers();
  h.set('Accept-Ranges', 'bytes');
  h.set('Content-Type', image.contentType);
  if (r.metadata?.eTag) h.set('ETag', r.metadata.eTag);
  h.set('X-Robots-Tag', 'none');
  for (const [k, v] of Object.entries(USER_CONTENT_HEADERS)) h.set(k, v);
  const lm = lastModified(r, stats.mtime);
  if (lm) h.set('Last-Modified', lm.toUTCString());
  h.set('Content-Length', String(image.body.length));
  if (opts.expires) h.set('Expires', opts.expires);
  else h.set('Cache-Control', r.metadata?.cacheControl || 'no-cache');
  // Without an explicit format the result depends on what the client accepts.
  if (!options.format) h.set('Vary', 'Accept');
  if (segments.length > 0) h.set('X-Transformations', segments.join(','));
  if (opts.download !== undefined) {
    if (opts.download === '') h.set('Content-Disposition', 'attachment;');
    else {
      const name = encodeURIComponent(opts.download);
      h.set('Content-Disposition', `attachment; filename=${name}; filename*=UTF-8''${name}`);
    }
  }
  return new Response(c.req.method === 'HEAD' ? null : new Uint8Array(image.body), { status: 200, headers: h });
}
