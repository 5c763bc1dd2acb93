import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { readConfig } from './config.ts';
import { parseSizeInBytes, storageConfigSchema } from './config-storage.ts';

test('sizes as the Supabase CLI reads them: binary multiples', () => {
  assert.equal(parseSizeInBytes('50MiB'), 50 * 1024 * 1024);
  assert.equal(parseSizeInBytes('50MB'), 50 * 1024 * 1024);
  assert.equal(parseSizeInBytes('1k'), 1024);
  assert.equal(parseSizeInBytes('1.5 GiB'), 1.5 * 1024 ** 3);
  assert.equal(parseSizeInBytes('100'), 100);
  assert.equal(parseSizeInBytes('ten'), undefined);
  assert.equal(parseSizeInBytes('5XB'), undefined);
});

test('[storage] defaults and buckets', () => {
  assert.deepEqual(storageConfigSchema.parse({}), { file_size_limit: 50 * 1024 * 1024, buckets: {}, image_transformation: { enabled: true } });
  assert.equal(storageConfigSchema.parse({ image_transformation: { enabled: false } }).image_transformation.enabled, false);
  const cfg = storageConfigSchema.parse({
    file_size_limit: '10MiB',
    buckets: { images: { public: true, file_size_limit: '1MiB', allowed_mime_types: ['image/*'], objects_path: './images' } },
  });
  assert.equal(cfg.file_size_limit, 10 * 1024 * 1024);
  assert.deepEqual(cfg.buckets.images, { public: true, file_size_limit: 1024 * 1024, allowed_mime_types: ['image/*'], objects_path: './images' });
  assert.equal(storageConfigSchema.safeParse({ file_size_limit: 'lots' }).success, false);
});

test('config.toml: the project file parses, and a bucket section is read', () => {
  const project = readConfig();
  assert.ok(project.storage.file_size_limit > 0);
  const dir = mkdtempSync(join(tmpdir(), 'storage-cfg-'));
  const file = join(dir, 'config.toml');
  writeFileSync(
    file,
    'project_id = "x"\n[api]\nport = 1\n[db]\nport = 2\n[storage]\nfile_size_limit = "5MiB"\n[storage.buckets.docs]\npublic = false\nallowed_mime_types = ["application/pdf"]\n',
  );
  const cfg = readConfig(file);
  assert.equal(cfg.storage.file_size_limit, 5 * 1024 * 1024);
  assert.deepEqual(cfg.storage.buckets.docs, { public: false, allowed_mime_types: ['application/pdf'] });
});
