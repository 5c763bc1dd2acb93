// What an upload request carries (src/storage/uploader.ts `fileUploadFromRequest`): a multipart
// form as storage-js sends Blobs/FormData (`cacheControl`, `metadata` fields, then the file), or
// a raw body with `content-type`, `cache-control` and base64 JSON `x-metadata` headers. The MIME
// type is checked against the bucket here; the size is enforced while the bytes stream to disk.
import { ERRORS, StorageError } from './errors.ts';
import { isEmptyFolder, MAX_CUSTOM_METADATA_SIZE, validateMimeType } from './limits.ts';
import { multipartBoundary, readMultipartUpload } from './multipart.ts';

export interface UploadInput {
  contentType: string | undefined;
  cacheControl: string | undefined;
  /** `x-metadata`: base64 of a JSON object. */
  xMetadata: string | undefined;
  contentLength: number | undefined;
  body: ReadableStream<Uint8Array> | null;
}

export interface FileUpload {
  body: AsyncIterable<Uint8Array>;
  mimeType: string;
  cacheControl: string;
  userMetadata: Record<string, unknown> | undefined;
  /** The declared size (raw bodies only), for the permission test's metadata. */
  declaredLength: number | undefined;
}

export function parseUserMetadata(base64: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const EMPTY: AsyncIterable<Uint8Array> = {
  async *[Symbol.asyncIterator]() {
    /* no bytes */
  },
};

async function* fromStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  // Read without cancelling on early exit: an unread rest is drained by the HTTP server, which
  // keeps the connection usable for the error response.
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** The body's own failures (the client closing the connection) as RequestAborted. */
async function* guarded(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield* body;
  } catch (e) {
    throw e instanceof StorageError ? e : ERRORS.RequestAborted(e);
  }
}

export async function readUpload(
  input: UploadInput,
  opts: { objectName: string; maxFileSize: number; allowedMimeTypes: string[] | null },
): Promise<FileUpload> {
  const checkMime = (mime: string) => {
    if (opts.allowedMimeTypes && opts.allowedMimeTypes.length > 0 && !isEmptyFolder(opts.objectName)) {
      validateMimeType(mime, opts.allowedMimeTypes);
    }
  };

  const boundary = multipartBoundary(input.contentType);
  if (boundary) {
    if (!input.body) throw ERRORS.NoContentProvided();
    const form = await readMultipartUpload(input.body, boundary, { maxFieldBytes: MAX_CUSTOM_METADATA_SIZE }).catch((e: unknown) => {
      throw e instanceof StorageError ? e : ERRORS.RequestAborted(e);
    });
    if (!form.file) throw ERRORS.NoContentProvided();
    const mimeType = form.fields.contentType || form.file.contentType || 'application/octet-stream';
    checkMime(mimeType);
    const cacheTime = form.fields.cacheControl;
    const rawMetadata = form.fields.metadata ?? form.fields.userMetadata;
    let userMetadata: Record<string, unknown> | undefined;
    if (rawMetadata !== undefined) {
      if (Buffer.byteLength(rawMetadata, 'utf8') > MAX_CUSTOM_METADATA_SIZE) throw ERRORS.EntityTooLarge('user_metadata');
      try {
        const parsed: unknown = JSON.parse(rawMetadata);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) userMetadata = parsed as Record<string, unknown>;
      } catch {
        // ignored, as upstream does
      }
    }
    return {
      body: guarded(form.file.body),
      mimeType,
      cacheControl: cacheTime ? `max-age=${cacheTime}` : 'no-cache',
      userMetadata,
      declaredLength: undefined,
    };
  }

  const mimeType = input.contentType || 'application/octet-stream';
  checkMime(mimeType);
  if (input.xMetadata !== undefined && Buffer.byteLength(input.xMetadata) > MAX_CUSTOM_METADATA_SIZE * 2) {
    throw ERRORS.EntityTooLarge('user_metadata');
  }
  if (input.contentLength !== undefined && input.contentLength > opts.maxFileSize) throw ERRORS.EntityTooLarge();
  return {
    body: input.body ? guarded(fromStream(input.body)) : EMPTY,
    mimeType,
    cacheControl: input.cacheControl ?? 'no-cache',
    userMetadata: input.xMetadata !== undefined ? parseUserMetadata(input.xMetadata) : undefined,
    declaredLength: input.contentLength,
  };
}
