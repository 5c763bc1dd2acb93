// The routes without a database: authentication, validation and routing answer before any query.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { Hono } from 'hono';
import type pg from 'pg';
import type { GatewayEnv } from '../kit/service.ts';
import { FileBackend } from './backend.ts';
import { StorageHttp } from './http.ts';
import { storageApp } from './index.ts';
import { UrlSigner } from './signed-url.ts';

const key = new TextEncoder().encode('super-secret-jwt-token-with-at-least-32-characters-long');
const noPool = () => {
  throw new Error('no database in this test');
};

function gateway(claims: Record<string, unknown> | undefined, imageTransformation = true): Hono<GatewayEnv> {
  const deps = { backend: new FileBackend(mkdtempSync(join(tmpdir(), 'storage-app-'))), signer: new UrlSigner(key), globalFileSizeLimit: 1024, imageTransformation, log: () => undefined };
  const http = new StorageHttp(noPool as unknown as () => pg.Pool, deps, { role: 'service_role', claims: { role: 'service_role' }, token: '', owner: undefined }, async () => undefined);
  const outer = new Hono<GatewayEnv>();
  outer.use('*', async (c, next) => {
    c.set('jwt', claims ? { ok: true, claims, token: 'test' } : undefined);
    await next();
  });
  outer.route('/storage/v1', storageApp(http, () => undefined));
  return outer;
}

const user = gateway({ sub: '00000000-0000-4000-8000-000000000001', role: 'authenticated' });

test('an unknown route is Storage’s 404', async () => {
  const res = await user.request('/storage/v1/nothing/here?x=1');
  assert.equal(res.status, 404);
  assert.deepEqual(await res.json(), { statusCode: '404', error: 'Not Found', message: 'Route GET:/nothing/here?x=1 not found', code: 'InvalidRequest' });
});

test('authenticated routes need a token; the optional ones do not', async () => {
  const anon = gateway(undefined);
  const res = await anon.request('/storage/v1/bucket');
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), { statusCode: '403', error: 'Unauthorized', message: 'Invalid Compact JWS', code: 'AccessDenied' });
  const up = await anon.request('/storage/v1/object/b/k.txt', { method: 'POST', body: 'x' });
  assert.equal(((await up.json()) as { code: string }).code, 'AccessDenied');
});

test('keys and bucket names are validated before anything is read or stored', async () => {
  const bad = await user.request('/storage/v1/object/b/a%2F..%2F..%2Fx', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json(), { statusCode: '400', error: 'InvalidKey', message: 'Invalid key: a/../../x', code: 'InvalidKey' });
  const badBucket = await user.request('/storage/v1/object/..%2Fx/k.txt', { method: 'POST', body: 'x' });
  assert.equal(((await badBucket.json()) as { code: string }).code, 'InvalidBucketName');
  const move = await user.request('/storage/v1/object/move', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ bucketId: 'b', sourceKey: 'a', destinationKey: '../../etc/passwd' }),
  });
  assert.equal(((await move.json()) as { code: string }).code, 'InvalidKey');
});

test('bodies are validated like Storage’s schemas', async () => {
  const res = await user.request('/storage/v1/object/list/b', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(res.status, 400);
  const body = (await res.json()) as { statusCode: string; code: string; message: string };
  assert.equal(body.statusCode, '400');
  assert.equal(body.code, 'InvalidRequest');
  assert.match(body.message, /^body\/prefix /);
});

test('signed downloads check the token before touching the database', async () => {
  const res = await user.request('/storage/v1/object/sign/b/k.txt?token=nope');
  assert.equal(((await res.json()) as { code: string }).code, 'InvalidJWT');
  const signed = await new UrlSigner(key).signDownload('b/other.txt', 60);
  const wrong = await user.request(`/storage/v1/object/sign/b/k.txt?token=${signed}`);
  assert.equal(((await wrong.json()) as { code: string }).code, 'InvalidSignature');
});

test('render routes check their options and tokens before touching the database', async () => {
  const bad = await user.request('/storage/v1/render/image/public/b/k.png?width=-1');
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json(), { statusCode: '400', error: 'Bad Request', message: 'querystring/width must be >= 0', code: 'InvalidRequest' });
  const anon = await gateway(undefined).request('/storage/v1/render/image/authenticated/b/k.png?width=10');
  assert.equal(((await anon.json()) as { code: string }).code, 'AccessDenied');
  const noToken = await user.request('/storage/v1/render/image/sign/b/k.png');
  assert.equal(((await noToken.json()) as { message: string }).message, "querystring must have required property 'token'");
  const upload = await new UrlSigner(key).signUpload('b/k.png', undefined, false);
  const wrongScope = await user.request(`/storage/v1/render/image/sign/b/k.png?token=${upload}`);
  assert.equal(((await wrongScope.json()) as { code: string }).code, 'InvalidSignature');
});

test('list-v2 bodies are validated like Storage’s schema', async () => {
  const res = await user.request('/storage/v1/object/list-v2/b', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"limit":0}' });
  const body = (await res.json()) as { code: string; message: string };
  assert.equal(body.code, 'InvalidRequest');
  assert.match(body.message, /^body\/limit /);
});

test('resumable uploads: OPTIONS tells what the server supports; the protocol is checked first', async () => {
  const options = await user.request('/storage/v1/upload/resumable', { method: 'OPTIONS' });
  assert.equal(options.status, 204);
  assert.deepEqual(
    ['tus-resumable', 'tus-version', 'tus-extension', 'tus-max-size'].map((h) => options.headers.get(h)),
    ['1.0.0', '1.0.0', 'creation,creation-with-upload,creation-defer-length,termination,expiration', '1024'],
  );
  const noVersion = await user.request('/storage/v1/upload/resumable', { method: 'POST', headers: { 'upload-length': '1' } });
  assert.deepEqual([noVersion.status, await noVersion.text()], [412, 'Tus-Resumable Required\n']);
  const badId = await user.request('/storage/v1/upload/resumable/bm9wZQ', { method: 'PATCH', headers: { 'tus-resumable': '1.0.0' } });
  assert.deepEqual([badId.status, await badId.text()], [400, 'Invalid upload id']);
  const get = await user.request('/storage/v1/upload/resumable/bm9wZQ');
  assert.equal(get.status, 404);
  const anon = await gateway(undefined).request('/storage/v1/upload/resumable', { method: 'POST', headers: { 'tus-resumable': '1.0.0' } });
  assert.deepEqual([anon.status, ((await anon.json()) as { code: string }).code], [400, 'AccessDenied']);
  const unsigned = await user.request('/storage/v1/upload/resumable/sign', { method: 'POST', headers: { 'tus-resumable': '1.0.0', 'upload-length': '1' } });
  assert.deepEqual([unsigned.status, await unsigned.text()], [400, 'Missing x-signature header']);
});

test('with [storage.image_transformation] disabled there are no render routes', async () => {
  const off = gateway({ sub: '00000000-0000-4000-8000-000000000001', role: 'authenticated' }, false);
  const res = await off.request('/storage/v1/render/image/public/b/k.png?width=1');
  assert.equal(res.status, 404);
  assert.deepEqual(await res.json(), { statusCode: '404', error: 'Not Found', message: 'Route GET:/render/image/public/b/k.png?width=1 not found', code: 'InvalidRequest' });
});
