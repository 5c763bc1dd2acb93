import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { DEFAULT_JWT_SECRET, instance, readConfig } from '../src/config.ts';
import { StackError } from '../src/errors.ts';

test('reads the ports of supabase/config.toml', () => {
  const cfg = readConfig();
  assert.equal(cfg.db.port, 54322);
  assert.equal(cfg.api.port, 54321);
});

test('the dev instance uses the configured ports; the test instance its own', () => {
  const cfg = readConfig();
  const dev = instance('dev', cfg, {});
  const t = instance('test', cfg, {});
  assert.equal(dev.dbPort, 54322);
  assert.notEqual(t.dbPort, dev.dbPort);
  assert.notEqual(t.apiPort, dev.apiPort);
  assert.notEqual(t.dataDir, dev.dataDir);
  assert.equal(dev.disposable, false);
  assert.equal(t.disposable, true);
  assert.equal(dev.jwtSecret, DEFAULT_JWT_SECRET);
});

test('environment overrides: ports and JWT secret, validated', () => {
  const cfg = readConfig();
  assert.equal(instance('dev', cfg, { STACK_DB_PORT: '6000' }).dbPort, 6000);
  assert.throws(() => instance('dev', cfg, { STACK_DB_PORT: '70000' }));
  assert.throws(() => instance('dev', cfg, { JWT_SECRET: 'short' }), StackError);
  assert.throws(() => instance('../etc', cfg, {}), /invalid instance name/);
});

test('a broken config.toml is one clear error naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  const file = join(dir, 'config.toml');
  writeFileSync(file, 'project_id = \n');
  assert.throws(() => readConfig(file), (e: unknown) => e instanceof StackError && /cannot read .*config\.toml/.test(e.message));
  writeFileSync(file, 'project_id = "x"\n[api]\nport = "abc"\n[db]\nport = 1\n');
  assert.throws(() => readConfig(file), /invalid supabase\/config\.toml at api\.port/);
});

test('a config.toml without project_id is accepted: the project folder’s name, as the CLI defaults it', () => {
  const project = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'my-project');
  mkdirSync(join(project, 'supabase'), { recursive: true });
  const file = join(project, 'supabase', 'config.toml');
  writeFileSync(file, '[api]\nport = 54321\n[db]\nport = 54322\n');
  assert.equal(readConfig(file).project_id, 'my-project');
  writeFileSync(file, 'project_id = "named"\n[api]\nport = 54321\n[db]\nport = 54322\n');
  assert.equal(readConfig(file).project_id, 'named');
});
