// A streaming multipart/form-data reader for uploads, as storage-js sends them: text fields
// (`cacheControl`, `metadata`, `contentType`) first, then one file part. Fields are buffered (with a
// cap), the file part is handed out as an async iterable of chunks and never held in memory, so a
// body over the size limit is refused as it streams in. Parts after the first file are ignored,
// as fastify-multipart's `request.file()` does for Storage.
import { ERRORS, StorageError } from './errors.ts';

export interface MultipartFile {
  fieldName: string;
  filename: string;
  /** The part's Content-Type; undefined when the part has none. */
  contentType: string | undefined;
  /** The file's bytes, read from the request as they are consumed. */
  body: AsyncIterable<Uint8Array>;
}

export interface MultipartUpload {
  /** Text fields that came before the file. */
  fields: Record<string, string>;
  file: MultipartFile | undefined;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_FIELDS = 10;

/** The boundary of a `multipart/form-data; boundary=...` content type, or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = m?.[1] ?? m?.[2];
  return b && b.length <= 200 ? b : undefined;
}

/** Reads bytes on demand from a web stream into a growable buffer. */
class ByteSource {
  buf: Buffer = Buffer.alloc(0);
  private done = false;
  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** Appends the next chunk; false at the end of the stream. */
  async fill(): Promise<boolean> {
    if (this.done) return false;
    const { done, value } = await this.reader.read();
    if (done) {
      this.done = true;
      return false;
    }
    this.buf = this.buf.length === 0 ? Buffer.from(value) : Buffer.concat([this.buf, value]);
    return true;
  }

  /** Waits until `n` bytes are buffered; false if the stream ends first. */
  async need(n: number): Promise<boolean> {
    while (this.buf.length < n) if (!(await this.fill())) return false;
    return true;
  }

  consume(n: number): Buffer {
    const head = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return head;
  }
}

function malformed(message: string): StorageError {
  return ERRORS.NoContentProvided(`Malformed multipart body: ${message}`);
}

function parseHeaders(raw: string): { name: string; filename: string | undefined; contentType: string | undefined } {
  let disposition = '';
  let contentType: string | undefined;
  for (const line of raw.split('\r\n')) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const key = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    if (key === 'content-disposition') disposition = value;
    else if (key === 'content-type') contentType = value;
  }
  if (!/^form-data\b/i.test(disposition)) throw malformed('a part without Content-Disposition: form-data');
  const param = (p: string): string | undefined => {
    const m = new RegExp(`;\\s*${p}="((?:[^"\\\\]|\\\\.)*)"|;\\s*${p}=([^;\\s]+)`, 'i').exec(disposition);
    if (!m) return undefined;
    return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
  };
  return { name: param('name') ?? '', filename: param('filename'), contentType };
}

/**
 * Reads the fields and the first file part of a multipart body. The returned file body must be
 * consumed (or abandoned) before anything else reads `stream`.
 */
export async function readMultipartUpload(
  stream: ReadableStream<Uint8Array>,
  boundary: string,
  opts: { maxFieldBytes: number },
): Promise<MultipartUpload> {
  const src = new ByteSource(stream.getReader());
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter may open the body without a preceding CRLF: pretend there was one.
  src.buf = Buffer.from(CRLF);

  // Skip the preamble up to the first delimiter.
  for (;;) {
    const i = src.buf.indexOf(delimiter);
    if (i >= 0) {
      src.consume(i + delimiter.length);
      break;
    }
    src.consume(Math.max(0, src.buf.length - delimiter.length));
    if (!(await src.fill())) throw malformed('no boundary found');
  }

  const fields: Record<string, string> = {};
  let fieldCount = 0;
  for (;;) {
    // After a delimiter: `--` closes the body, CRLF opens a part (transport padding allowed).
    if (!(await src.need(2))) throw malformed('unexpected end');
    if (src.buf[0] === 0x2d && src.buf[1] === 0x2d) return { fields, file: undefined };
    for (;;) {
      const eol = src.buf.indexOf(CRLF);
      if (eol >= 0) {
        src.consume(eol + 2);
        break;
      }
      if (src.buf.length > 1024 || !(await src.fill())) throw malformed('bad delimiter line');
    }

    let headerEnd: number;
    for (;;) {
      // A part without headers starts right away with the blank line.
      if (src.buf.subarray(0, 2).equals(CRLF)) {
        headerEnd = -2;
        break;
      }
      headerEnd = src.buf.indexOf(HEADER_END);
      if (headerEnd >= 0) break;
      if (src.buf.length > MAX_HEADER_BYTES) throw malformed('part headers too large');
      if (!(await src.fill())) throw malformed('unexpected end in part headers');
    }
    const head = headerEnd < 0 ? '' : src.consume(headerEnd).toString('utf8');
    src.consume(headerEnd < 0 ? 2 : 4);
    const part = parseHeaders(head);

    if (part.filename !== undefined) {
      return {
        fields,
        file: { fieldName: part.name, filename: part.filename, contentType: part.contentType, body: partBody(src, delimiter) },
      };
    }

    // A text field: buffered up to the cap.
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of partBody(src, delimiter)) {
      size += chunk.length;
      if (size > opts.maxFieldBytes) throw ERRORS.EntityTooLarge('user_metadata');
      chunks.push(Buffer.from(chunk));
    }
    if (++fieldCount > MAX_FIELDS) throw malformed('too many fields');
    fields[part.name] = Buffer.concat(chunks).toString('utf8');
  }
}

/** The bytes of the current part up to the next delimiter, which is consumed too. */
async function* partBody(src: ByteSource, delimiter: Buffer): AsyncGenerator<Uint8Array> {
  for (;;) {
    const i = src.buf.indexOf(delimiter);
    if (i >= 0) {
      if (i > 0) yield src.consume(i);
      src.consume(delimiter.length);
      return;
    }
    // Everything but a tail that could be the start of the delimiter is part data.
    const safe = src.buf.length - (delimiter.length - 1);
    if (safe > 0) yield src.consume(safe);
    if (!(await src.fill())) throw malformed('unexpected end of a part');
  }
}
