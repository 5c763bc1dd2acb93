import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { importMapFlag, resolveFunctions, sameDefinition } from './definitions.ts';

const fn = (over: Record<string, unknown> = {}) => ({ enabled: true, verify_jwt: true, static_files: [], ...over });

describe('resolveFunctions', () => {
  test('paths are relative to supabase/; the default entrypoint is supabase/functions/<name>/index.ts', () => {
    const defs = resolveFunctions(
      { health: fn({ entrypoint: '../functions/health/index.ts', import_map: '../functions/deno.json' }), plain: fn({ verify_jwt: false }) },
      '/repo/supabase',
      () => false,
    );
    assert.deepEqual(defs.get('health'), {
      name: 'health',
      entrypoint: '/repo/functions/health/index.ts',
      importMap: '/repo/functions/deno.json',
      verifyJwt: true,
    });
    assert.deepEqual(defs.get('plain'), {
      name: 'plain',
      entrypoint: '/repo/supabase/functions/plain/index.ts',
      importMap: undefined,
      verifyJwt: false,
    });
  });

  test('a deno.json beside the entrypoint is the import map, as the CLI finds it', () => {
    const defs = resolveFunctions({ a: fn({ entrypoint: '/abs/a/main.ts' }) }, '/repo/supabase', (p) => p === '/abs/a/deno.jsonc');
    assert.equal(defs.get('a')?.entrypoint, '/abs/a/main.ts');
    assert.equal(defs.get('a')?.importMap, '/abs/a/deno.jsonc');
  });

  test('disabled functions are not served', () => {
    assert.equal(resolveFunctions({ off: fn({ enabled: false }) }, '/s', () => false).size, 0);
  });

  test('names follow the CLI slug rule', () => {
    assert.throws(() => resolveFunctions({ '1bad': fn() }, '/s', () => false), /invalid function name "1bad"/);
    assert.equal(resolveFunctions({ 'ok_name-2': fn() }, '/s', () => false).size, 1);
  });
});

test('importMapFlag: deno.json is a config file, other files import maps', () => {
  assert.deepEqual(importMapFlag(undefined), []);
  assert.deepEqual(importMapFlag('/f/deno.json'), ['--config', '/f/deno.json']);
  assert.deepEqual(importMapFlag('/f/deno.jsonc'), ['--config', '/f/deno.jsonc']);
  assert.deepEqual(importMapFlag('/f/import_map.json'), ['--import-map', '/f/import_map.json']);
});

test('sameDefinition ignores verify_jwt (checked by the gateway) but not the code', () => {
  const a = { name: 'a', entrypoint: '/a.ts', importMap: undefined, verifyJwt: true };
  assert.ok(sameDefinition(a, { ...a, verifyJwt: false }));
  assert.ok(!sameDefinition(a, { ...a, entrypoint: '/b.ts' }));
});
