import assert from 'node:assert/strict';
import { test } from 'vitest';
import { StorageError } from './errors.ts';
import { multipartBoundary, readMultipartUpload } from './multipart.ts';

/** A web stream of `body` cut into `size`-byte chunks (1 stresses every boundary split). */
function chunked(body: Buffer, size: number): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= body.length) return c.close();
      c.enqueue(body.subarray(off, off + size));
      off += size;
    },
  });
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

const B = '----formdata-undici-0123456789';
const file = Buffer.concat([Buffer.from('line 1\r\n--not-the-boundary\r\n'), Buffer.alloc(300, 0xab), Buffer.from(`\r\n--${B.slice(0, 10)}`)]);
const form = Buffer.concat([
  Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="cacheControl"\r\n\r\n3600\r\n`),
  Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n{"a":1}\r\n`),
  Buffer.from(`--${B}\r\nContent-Disposition: form-data; name=""; filename="blob"\r\nContent-Type: image/png\r\n\r\n`),
  file,
  Buffer.from(`\r\n--${B}--\r\n`),
]);

test('the boundary of a multipart content type', () => {
  assert.equal(multipartBoundary(`multipart/form-data; boundary=${B}`), B);
  assert.equal(multipartBoundary('multipart/form-data; boundary="quoted b"'), 'quoted b');
  assert.equal(multipartBoundary('text/plain'), undefined);
  assert.equal(multipartBoundary(undefined), undefined);
});

test('fields before the file, then the file bytes exactly, whatever the chunking', async () => {
  for (const size of [1, 7, 64, 4096]) {
    const r = await readMultipartUpload(chunked(form, size), B, { maxFieldBytes: 1024 });
    assert.deepEqual(r.fields, { cacheControl: '3600', metadata: '{"a":1}' }, `chunk ${size}`);
    assert.equal(r.file?.filename, 'blob');
    assert.equal(r.file?.fieldName, '');
    assert.equal(r.file?.contentType, 'image/png');
    assert.deepEqual(await collect(r.file!.body), file, `chunk ${size}`);
  }
});

test('a body without a file, an oversized field, a truncated body', async () => {
  const noFile = Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n--${B}--\r\n`);
  assert.equal((await readMultipartUpload(chunked(noFile, 5), B, { maxFieldBytes: 10 })).file, undefined);

  const big = Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n${'x'.repeat(100)}\r\n--${B}--\r\n`);
  await assert.rejects(readMultipartUpload(chunked(big, 16), B, { maxFieldBytes: 10 }), (e: unknown) => e instanceof StorageError && e.code === 'EntityTooLarge');

  const cut = form.subarray(0, form.length - 200);
  const r = await readMultipartUpload(chunked(cut, 64), B, { maxFieldBytes: 1024 });
  await assert.rejects(collect(r.file!.body), /unexpected end/);

  await assert.rejects(readMultipartUpload(chunked(Buffer.from('garbage'), 3), B, { maxFieldBytes: 10 }), /no boundary found/);
});

test('a stream error (client gone) surfaces from the file body', async () => {
  let sent = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (!sent) {
        sent = true;
        c.enqueue(form.subarray(0, form.indexOf(file) + 10));
      } else c.error(new Error('aborted'));
    },
  });
  const r = await readMultipartUpload(stream, B, { maxFieldBytes: 1024 });
  await assert.rejects(collect(r.file!.body), /aborted/);
});
