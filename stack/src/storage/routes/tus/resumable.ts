// /upload/resumable: TUS 1.0 resumable uploads (tus-js-client, Uppy), as Storage serves them.
//   POST   /upload/resumable            create (Upload-Length, Upload-Metadata: bucketName,
//                                        objectName, contentType, cacheControl, metadata), with the
//                                        first bytes when the body is application/offset+octet-stream
//   HEAD   /upload/resumable/<id>       Upload-Offset: where to resume
//   PATCH  /upload/resumable/<id>       bytes at Upload-Offset; the last ones write the object
//   DELETE /upload/resumable/<id>       drop an unfinished upload
//   OPTIONS                             what the server supports
// The same under /upload/resumable/sign with a signed upload URL's token in `x-signature` instead
// of a bearer token. Protocol errors answer as tus-node-server does (plain text, the error's
// status); a missing or invalid bearer token is Storage's JSON error, as upstream's auth hook is.
import type { Hono } from 'hono';
import type { GatewayEnv } from '../../../kit/service.ts';
import { ERRORS, toStorageError, TUS_ERRORS } from '../../errors.ts';
import { OP, type StorageContext, type StorageHttp } from '../../http.ts';
import { ResumableUploads } from '../../resumable.ts';
import {
  decodeUploadId,
  encodeUploadId,
  parseSizeHeader,
  parseUploadMetadata,
  stringifyUploadMetadata,
  TUS_CONTENT_TYPE,
  TUS_EXTENSIONS,
  TUS_RESUMABLE,
  TUS_VERSION,
  type UploadId,
} from '../../tus.ts';

const BASE = '/upload/resumable';
const PREFIX = '/storage/v1';

function tusHeaders(extra: Record<string, string> = {}): Headers {
  return new Headers({ 'Tus-Resumable': TUS_RESUMABLE, ...extra });
}

function tusError(e: unknown, log: (r: Record<string, unknown>) => void, requestId: string | undefined): Response {
  const err = toStorageError(e);
  if (err.httpStatusCode >= 500) log({ level: 'error', msg: 'storage: resumable upload failed', request_id: requestId, code: err.code, err: err.cause instanceof Error ? err.cause.stack : err.stack });
  const status = err.httpStatusCode >= 200 && err.httpStatusCode <= 599 ? err.httpStatusCode : 500;
  return new Response(err.message, { status, headers: tusHeaders({ 'Content-Type': 'text/plain; charset=utf-8' }) });
}

/** The public URL of an upload, as the client reached us (forwarded host and protocol honoured). */
function uploadUrl(c: StorageContext, id: UploadId, signed: boolean): string {
  const url = new URL(c.req.url);
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() || url.protocol.replace(':', '');
  const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim() || url.host;
  return `${proto}://${host}${PREFIX}${BASE}${signed ? '/sign' : ''}/${encodeUploadId(id)}`;
}

export default function resumable(app: Hono<GatewayEnv>, http: StorageHttp): void {
  const log = http.deps.log;

  const options = async (c: StorageContext) => {
    await http.storage(c, OP.TUS_OPTIONS, 'none');
    return new Response(null, {
      status: 204,
      headers: tusHeaders({
        'Tus-Version': TUS_VERSION,
        'Tus-Extension': TUS_EXTENSIONS.join(','),
        'Tus-Max-Size': String(http.deps.globalFileSizeLimit),
      }),
    });
  };
  app.options(BASE, options);
  app.options(`${BASE}/*`, options);

  const handle = async (c: StorageContext, signed: boolean, idSegment: string | undefined): Promise<Response> => {
    const method = (c.req.header('x-http-method-override') ?? c.req.method).toUpperCase();
    const creating = method === 'POST' && idSegment === undefined;
    if (!creating && (idSegment === undefined || !['HEAD', 'PATCH', 'DELETE'].includes(method))) {
      const url = new URL(c.req.url);
      throw ERRORS.RouteNotFound(c.req.method, `${url.pathname.replace(/^\/storage\/v1/, '')}${url.search}`);
    }
    const op = creating ? OP.TUS_CREATE_UPLOAD : method === 'PATCH' ? OP.TUS_UPLOAD_PART : method === 'HEAD' ? OP.TUS_GET_UPLOAD : OP.TUS_DELETE_UPLOAD;
    const { storage, caller } = await http.storage(c, signed ? `${op}_signed` : op, signed ? 'none' : 'jwt');
    try {
      if (!c.req.header('tus-resumable')) throw TUS_ERRORS.MissingTusResumable();
      let metadata: Record<string, string | null> | undefined;
      let id: UploadId | undefined;
      let length: number | null = null;
      if (creating) {
        if (c.req.header('upload-concat') !== undefined) throw TUS_ERRORS.UnsupportedConcatenation();
        const deferred = c.req.header('upload-defer-length');
        const declared = c.req.header('upload-length');
        if ((deferred === undefined) === (declared === undefined)) throw TUS_ERRORS.InvalidLength();
        if (deferred !== undefined && deferred !== '1') throw TUS_ERRORS.InvalidHeader('upload-defer-length');
        if (declared !== undefined) {
          length = parseSizeHeader(declared) ?? null;
          if (length === null) throw TUS_ERRORS.InvalidHeader('upload-length');
        }
        const header = c.req.header('upload-metadata');
        if (header !== undefined) metadata = parseUploadMetadata(header);
      } else {
        id = decodeUploadId(idSegment!);
      }

      let owner = caller.owner;
      let isUpsert = c.req.header('x-upsert') === 'true';
      let creator = caller.owner ?? caller.role;
      if (signed) {
        const signature = c.req.header('x-signature');
        if (!signature) throw ERRORS.InvalidSignature('Missing x-signature header');
        const bucket = id?.bucket ?? metadata?.bucketName ?? '';
        const objectName = id?.objectName ?? metadata?.objectName ?? '';
        const token = await storage.asSuperUser().from(bucket || '_').verifyUploadToken(signature, objectName);
        owner = token.owner;
        isUpsert = token.upsert;
        creator = `signed:${bucket}/${objectName}`;
      }
      const uploads = new ResumableUploads({ storage: signed ? storage.asSuperUser() : storage, store: http.tus, owner, creator, isUpsert, preauthorized: signed });

      if (creating) {
        void http.tus.maybeSweep();
        const withBody = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase() === TUS_CONTENT_TYPE;
        const state = await uploads.create({ length, metadata, body: withBody ? c.req.raw.body : null, version: http.backend.newVersion() });
        const headers = tusHeaders({ Location: uploadUrl(c, state.id, signed) });
        if (withBody) headers.set('Upload-Offset', String(state.offset));
        if (!state.finished) headers.set('Upload-Expires', new Date(state.info.expiresAt).toUTCString());
        else headers.set('Tus-Complete', '1');
        return new Response(null, { status: 201, headers });
      }
      if (method === 'HEAD') {
        const state = await uploads.head(id!);
        const headers = tusHeaders({ 'Cache-Control': 'no-store', 'Upload-Offset': String(state.offset) });
        if (state.info.size === null) headers.set('Upload-Defer-Length', '1');
        else headers.set('Upload-Length', String(state.info.size));
        headers.set('Upload-Metadata', stringifyUploadMetadata(state.info.metadata));
        headers.set('Upload-Expires', new Date(state.info.expiresAt).toUTCString());
        return new Response(null, { status: 200, headers });
      }
      if (method === 'PATCH') {
        if ((c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase() !== TUS_CONTENT_TYPE) throw TUS_ERRORS.InvalidContentType();
        const rawOffset = c.req.header('upload-offset');
        if (rawOffset === undefined) throw TUS_ERRORS.MissingOffset();
        const offset = parseSizeHeader(rawOffset);
        if (offset === undefined) throw TUS_ERRORS.InvalidHeader('upload-offset');
        const uploadLength = c.req.header('upload-length');
        if (uploadLength !== undefined && parseSizeHeader(uploadLength) === undefined) throw TUS_ERRORS.InvalidHeader('upload-length');
        const state = await uploads.patch(id!, offset, c.req.raw.body, {
          contentLength: parseSizeHeader(c.req.header('content-length')),
          uploadLength: parseSizeHeader(uploadLength),
        });
        const headers = tusHeaders({ 'Upload-Offset': String(state.offset) });
        if (state.finished) headers.set('Tus-Complete', '1');
        else headers.set('Upload-Expires', new Date(state.info.expiresAt).toUTCString());
        return new Response(null, { status: 204, headers });
      }
      await uploads.terminate(id!);
      return new Response(null, { status: 204, headers: tusHeaders() });
    } catch (e) {
      return tusError(e, log, c.get('requestId'));
    }
  };

  for (const signed of [true, false]) {
    const base = signed ? `${BASE}/sign` : BASE;
    app.post(base, (c) => handle(c, signed, undefined));
    app.on(['POST', 'PATCH', 'DELETE', 'GET'], `${base}/:id`, (c) => {
      if (c.req.method === 'GET') {
        const url = new URL(c.req.url);
        throw ERRORS.RouteNotFound(c.req.method, `${url.pathname.replace(/^\/storage\/v1/, '')}${url.search}`);
      }
      return handle(c, signed, c.req.param('id'));
    });
  }
}
