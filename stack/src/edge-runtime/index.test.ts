// The functions service inside the gateway app, without a port: routing, verify_jwt, boot errors.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll as after, test } from 'vitest';
import { SignJWT } from 'jose';
import { DEFAULT_JWT_SECRET, readConfig, type Instance } from '../config.ts';
import { createApp } from '../gateway/app.ts';
import { createContext } from '../kit/context.ts';
import { functionsService } from './index.ts';

const root = mkdtempSync(join(tmpdir(), 'fn-service-'));
mkdirSync(join(root, 'supabase'));
mkdirSync(join(root, 'functions', 'hello'), { recursive: true });
writeFileSync(join(root, 'functions', 'hello', 'index.ts'), `Deno.serve((req) => new Response(new URL(req.url).pathname + new URL(req.url).search));`);
mkdirSync(join(root, 'functions', 'env'));
writeFileSync(join(root, 'functions', 'env', 'index.ts'), `Deno.serve(() => new Response(String(Deno.env.get('GREETING')) + ' ' + String(Deno.env.get('TARGET'))));`);
writeFileSync(
  join(root, 'supabase', 'config.toml'),
  `project_id = "t"\n[api]\nport = 1\n[db]\nport = 1\n` +
    `[functions.hello]\nentrypoint = "../functions/hello/index.ts"\n` +
    `[functions.missing]\nverify_jwt = false\nentrypoint = "../functions/missing/index.ts"\n` +
    `[functions.env]\nverify_jwt = false\nentrypoint = "../functions/env/index.ts"\n`,
);
const configPath = join(root, 'supabase', 'config.toml');
const inst: Instance = { name: 't', dir: root, dataDir: root, logFile: '', dbPort: 1, apiPort: 1, jwtSecret: DEFAULT_JWT_SECRET, disposable: true };
const base = await createContext(inst, readConfig(configPath));
const ctx = { ...base, log: () => undefined };
const service = functionsService(ctx, { configPath, functionsDir: join(root, 'functions'), watch: false });
const app = createApp(ctx, [service]);
after(() => service.close?.());

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await app.request(`http://gw.test/functions/v1${path}`, { headers });
  return { status: res.status, body: await res.json().catch(() => null) };
};

test('functions not in config.toml are NOT_FOUND, before any JWT check', async () => {
  const notFound = { status: 404, body: { code: 'NOT_FOUND', message: 'Requested function was not found' } };
  assert.deepEqual(await get('/nope'), notFound);
  assert.deepEqual(await get(''), notFound);
  assert.deepEqual(await get('/'), notFound);
});

test('verify_jwt (the default) refuses without booting the function', async () => {
  assert.deepEqual(await get('/hello'), { status: 401, body: { msg: 'Missing authorization header' } });
  assert.deepEqual(await get('/hello', { Authorization: 'Token x' }), { status: 401, body: { msg: "Auth header is not 'Bearer {token}'" } });
  assert.deepEqual(await get('/hello', { Authorization: 'Bearer x.y.z' }), { status: 401, body: { msg: 'Invalid JWT' } });
  const wrongKey = await new SignJWT({ role: 'anon' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('x'.repeat(40)));
  assert.deepEqual(await get('/hello', { Authorization: `Bearer ${wrongKey}` }), { status: 401, body: { msg: 'Invalid JWT' } });
});

test('a valid JWT reaches the function, which sees /<name>/<rest>?<query>', async () => {
  const res = await app.request('http://gw.test/functions/v1/hello/a/b?c=1', { headers: { Authorization: `Bearer ${ctx.keys.anonKey}` } });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), '/hello/a/b?c=1');
});

test('an entrypoint that does not exist is a BOOT_ERROR', async () => {
  assert.deepEqual(await get('/missing'), { status: 503, body: { code: 'BOOT_ERROR', message: 'Worker failed to boot (please check logs)' } });
});

test('secrets: functions/.env under the instance\'s functions.env; a change restarts the function', async () => {
  const text = async () => (await app.request('http://gw.test/functions/v1/env')).text();
  writeFileSync(join(root, 'functions', '.env'), 'GREETING=hello\nTARGET=world\n');
  assert.equal(await text(), 'hello world');
  writeFileSync(join(root, 'functions.env'), 'TARGET=test instance\n');
  assert.equal(await text(), 'hello test instance', 'the instance file wins, and is read at once');
  rmSync(join(root, 'functions.env'));
  assert.equal(await text(), 'hello world', 'removing it restores functions/.env');
});

test('health says whether Deno runs', async () => {
  assert.equal(await service.health(), true);
});
