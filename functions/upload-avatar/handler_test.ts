import assert from 'node:assert/strict';
import type { SupabaseClient } from '@supabase/supabase-js';
import { makeHandler, MAX_BYTES, photoPath } from './handler.ts';

const USER = '11111111-2222-4333-8444-555555555555';

function token(claims: Record<string, unknown>): string {
  const part = (v: unknown) => btoa(JSON.stringify(v)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}
const userAuth = `Bearer ${token({ sub: USER, role: 'authenticated' })}`;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

/** A fake supabase-js client recording what the handler asks of storage and the database. */
function fakeClient(previous: string | null = null) {
  const calls: unknown[][] = [];
  const bucket = {
    upload: (path: string, _b: Uint8Array, opts: unknown) => (calls.push(['upload', path, opts]), Promise.resolve({ data: { path }, error: null })),
    remove: (paths: string[]) => (calls.push(['remove', paths]), Promise.resolve({ data: [], error: null })),
    getPublicUrl: (path: string, opts?: { transform?: unknown }) => ({
      data: { publicUrl: opts?.transform ? `http://x/storage/v1/render/image/public/avatars/${path}?width=128&height=128` : `http://x/storage/v1/object/public/avatars/${path}` },
    }),
  };
  const client = {
    storage: { from: (name: string) => (calls.push(['bucket', name]), bucket) },
    rpc: (fn: string, args: unknown) => (calls.push(['rpc', fn, args]), Promise.resolve({ data: { photo_path: (args as { p_path: string }).p_path, previous_path: previous }, error: null })),
  };
  return { client: client as unknown as SupabaseClient, calls };
}

function form(bytes: Uint8Array<ArrayBuffer>, name: string, type: string): FormData {
  const f = new FormData();
  f.append('file', new File([bytes], name, { type }));
  return f;
}

Deno.test('OPTIONS answers the preflight', async () => {
  const res = await makeHandler()(new Request('http://localhost/upload-avatar', { method: 'OPTIONS' }));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  await res.body?.cancel();
});

Deno.test('without a user token: 401, and the anon key is not a user', async () => {
  for (const headers of [{}, { Authorization: `Bearer ${token({ role: 'anon' })}` }] as Record<string, string>[]) {
    const res = await makeHandler()(new Request('http://localhost/upload-avatar', { method: 'POST', headers, body: form(PNG, 'a.png', 'image/png') }));
    assert.equal(res.status, 401);
    assert.match((await res.json()).error, /sign in first/);
  }
});

Deno.test('an SVG named .png with Content-Type image/png is refused with 415, before any storage call', async () => {
  const { client, calls } = fakeClient();
  const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>');
  const res = await makeHandler(() => client)(
    new Request('http://localhost/upload-avatar', { method: 'POST', headers: { Authorization: userAuth }, body: form(svg, 'me.png', 'image/png') }),
  );
  assert.equal(res.status, 415);
  const body = await res.json();
  assert.equal(body.code, 'unsupported_media_type');
  assert.match(body.error, /its content is an SVG image \(named me\.png\); upload a PNG, JPEG or WebP image/);
  assert.deepEqual(body.details.allowed, ['image/png', 'image/jpeg', 'image/webp']);
  assert.deepEqual(calls, []);
});

Deno.test('more than 5 MB: 413, by the declared length or by the bytes read', async () => {
  const big = new Uint8Array(MAX_BYTES + 1);
  big.set(PNG);
  const raw = await makeHandler()(new Request('http://localhost/upload-avatar', { method: 'POST', headers: { Authorization: userAuth, 'Content-Type': 'image/png' }, body: big }));
  assert.equal(raw.status, 413);
  assert.deepEqual(await raw.json(), { error: 'the profile photo is too large: the limit is 5 MB', code: 'payload_too_large', details: { limit_bytes: MAX_BYTES } });
  const multipart = await makeHandler()(new Request('http://localhost/upload-avatar', { method: 'POST', headers: { Authorization: userAuth }, body: form(big, 'big.png', 'image/png') }));
  assert.equal(multipart.status, 413);
  await multipart.body?.cancel();
});

Deno.test('no file: 400 naming what to send', async () => {
  const res = await makeHandler()(new Request('http://localhost/upload-avatar', { method: 'POST', headers: { Authorization: userAuth } }));
  assert.equal(res.status, 400);
  assert.equal((await res.json()).code, 'missing_file');
});

Deno.test('a PNG (whatever its name) is stored under the caller\'s folder, recorded, and the old photo removed', async () => {
  const { client, calls } = fakeClient(`${USER}/old.jpg`);
  const res = await makeHandler(() => client)(
    new Request('http://localhost/upload-avatar', { method: 'POST', headers: { Authorization: userAuth }, body: form(PNG, 'holiday.gif', 'image/gif') }),
  );
  assert.equal(res.status, 201);
  const body = await res.json();
  assert.match(body.photo_path, new RegExp(`^${USER}/photo-[0-9a-z]+-[0-9a-f]{8}\\.png$`));
  assert.equal(body.content_type, 'image/png');
  assert.equal(body.size, PNG.byteLength);
  assert.equal(body.url, `http://x/storage/v1/object/public/avatars/${body.photo_path}`);
  assert.equal(body.thumbnail_url, `http://x/storage/v1/render/image/public/avatars/${body.photo_path}?width=128&height=128`);
  const ops = calls.filter((c) => c[0] !== 'bucket');
  assert.deepEqual(ops, [
    ['upload', body.photo_path, { contentType: 'image/png', upsert: false }],
    ['rpc', 'set_profile_photo', { p_path: body.photo_path }],
    ['remove', [`${USER}/old.jpg`]],
  ]);
});

Deno.test('DELETE clears the photo and deletes the object', async () => {
  const { client, calls } = fakeClient(`${USER}/old.png`);
  const res = await makeHandler(() => client)(new Request('http://localhost/upload-avatar', { method: 'DELETE', headers: { Authorization: userAuth } }));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { photo_path: null, removed: `${USER}/old.png` });
  assert.deepEqual(calls.filter((c) => c[0] !== 'bucket'), [['rpc', 'set_profile_photo', { p_path: null }], ['remove', [`${USER}/old.png`]]]);
});

Deno.test('GET is a 405 naming the methods', async () => {
  const res = await makeHandler()(new Request('http://localhost/upload-avatar'));
  assert.equal(res.status, 405);
  assert.match((await res.json()).error, /Cannot GET upload-avatar/);
});

Deno.test('photoPath is under the user\'s folder', () => {
  assert.match(photoPath(USER, 'webp', 0), new RegExp(`^${USER}/photo-0-[0-9a-f]{8}\\.webp$`));
});
