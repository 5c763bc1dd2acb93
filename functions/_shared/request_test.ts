import assert from 'node:assert/strict';
import { dbError, errorResponse, HttpError, readLimited, readUpload, requireUser, statusForDbCode } from './request.ts';

function token(claims: Record<string, unknown>): string {
  const part = (v: unknown) => btoa(JSON.stringify(v)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

Deno.test('requireUser accepts a user token and refuses keys and garbage with 401', () => {
  assert.deepEqual(requireUser(`Bearer ${token({ sub: 'u1', role: 'authenticated' })}`).userId, 'u1');
  for (const h of [null, 'Basic x', 'Bearer nope', `Bearer ${token({ role: 'anon' })}`, `Bearer ${token({ role: 'service_role' })}`]) {
    assert.throws(() => requireUser(h), (e: unknown) => e instanceof HttpError && e.status === 401);
  }
});

Deno.test('database codes map to HTTP statuses; the action is named', () => {
  assert.equal(statusForDbCode('42501'), 403);
  assert.equal(statusForDbCode('22023'), 400);
  assert.equal(statusForDbCode('PT404'), 404);
  assert.equal(statusForDbCode('XX000'), 502);
  const e = dbError('do it', { message: 'no', code: '22023', hint: 'try again' });
  assert.equal(e.status, 400);
  assert.equal(e.message, 'Cannot do it: no (try again)');
});

Deno.test('errorResponse: {error, code, details} with the status; anything else is a 500', async () => {
  const res = errorResponse(new HttpError(413, 'too big', 'payload_too_large', { limit_bytes: 1 }));
  assert.equal(res.status, 413);
  assert.deepEqual(await res.json(), { error: 'too big', code: 'payload_too_large', details: { limit_bytes: 1 } });
  const original = console.error;
  console.error = () => {};
  try {
    const crash = errorResponse(new Error('boom'));
    assert.equal(crash.status, 500);
    assert.deepEqual(await crash.json(), { error: 'unexpected failure: boom' });
  } finally {
    console.error = original;
  }
});

Deno.test('readLimited stops past the limit; readUpload reads raw bodies and forms', async () => {
  await assert.rejects(readLimited(new Response(new Uint8Array(11)).body, 10, 'the thing'), (e: unknown) => e instanceof HttpError && e.status === 413 && e.message === 'the thing is too large: the limit is 10 bytes');
  assert.equal((await readLimited(new Response(new Uint8Array(10)).body, 10, 'x')).byteLength, 10);
  const raw = await readUpload(new Request('http://x/f?name=a.png', { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array([1, 2]) }), 10, 'x');
  assert.deepEqual(raw.fields, { name: 'a.png' });
  assert.deepEqual([raw.file?.name, raw.file?.type, raw.file?.bytes.byteLength], ['a.png', 'image/png', 2]);
  const form = new FormData();
  form.append('k', 'v');
  form.append('file', new File(['abc'], 'f.txt', { type: 'text/plain' }));
  const multi = await readUpload(new Request('http://x/f', { method: 'POST', body: form }), 10, 'x');
  assert.deepEqual(multi.fields, { k: 'v' });
  assert.deepEqual([multi.file?.name, new TextDecoder().decode(multi.file?.bytes)], ['f.txt', 'abc']);
  await assert.rejects(
    readUpload(new Request('http://x/f', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=zz' }, body: 'garbage' }), 10, 'x'),
    (e: unknown) => e instanceof HttpError && e.status === 400,
  );
});
