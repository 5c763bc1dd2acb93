import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'vitest';
import { denoBinary, denoEnv, denoVersion, runtimePermissions } from './deno.ts';

test('denoBinary finds the npm package binary, or honours DENO_BIN', () => {
  assert.ok(existsSync(denoBinary({})), 'node_modules holds the deno binary');
  assert.equal(denoBinary({ DENO_BIN: '/opt/deno' }), '/opt/deno');
});

test('denoEnv passes registry, proxy and CA settings and nothing else of ours', () => {
  const env = denoEnv({
    PATH: '/usr/bin',
    HOME: '/root',
    JWT_SECRET: 'secret',
    PGPASSWORD: 'pw',
    HTTPS_PROXY: 'http://proxy:3128',
    NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
    npm_config_registry: 'https://registry.example/',
    DENO_DIR: '/cache/deno',
  });
  assert.deepEqual(env, {
    DENO_DIR: '/cache/deno',
    DENO_NO_UPDATE_CHECK: '1',
    NO_COLOR: '1',
    HTTPS_PROXY: 'http://proxy:3128',
    NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
    NPM_CONFIG_REGISTRY: 'https://registry.example/',
  });
  assert.match(denoEnv({}).DENO_DIR!, /\.supabase\/deno$/);
});

test('functions may use the network, env, reads and tmp; never run programs or FFI', () => {
  const perms = runtimePermissions('/tmp');
  assert.ok(perms.includes('--allow-write=/tmp'));
  assert.ok(perms.includes('--no-prompt'));
  assert.ok(!perms.some((p) => /allow-(all|run|ffi)|^-A$/.test(p)));
});

test('denoVersion runs the binary, or says why not', async () => {
  const ok = await denoVersion();
  assert.ok(ok.ok && /^deno \d+\.\d+\.\d+/.test(ok.version), JSON.stringify(ok));
  const missing = await denoVersion('/nonexistent/deno');
  assert.ok(!missing.ok && /cannot run \/nonexistent\/deno/.test(missing.reason));
});
