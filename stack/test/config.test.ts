import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { DEFAULT_JWT_SECRET, functionsDir, instance, projectDir, projectRoot, readConfig, supabaseDir } from '../src/config.ts';
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

test('a config.toml without [api] or [db] takes the CLI defaults (supabase-js’s own test project has none)', () => {
  const project = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'bare');
  mkdirSync(join(project, 'supabase'), { recursive: true });
  const file = join(project, 'supabase', 'config.toml');
  writeFileSync(file, '[auth]\nenable_anonymous_sign_ins = true\n');
  const cfg = readConfig(file);
  assert.deepEqual([cfg.project_id, cfg.api.port, cfg.db.port, cfg.api.schemas, cfg.api.max_rows], ['bare', 54321, 54322, ['public', 'graphql_public'], 1000]);
});

describe('--workdir: the project the stack runs (STACK_WORKDIR)', () => {
  const project = join(mkdtempSync(join(tmpdir(), 'workdir-')), 'other-project');
  mkdirSync(join(project, 'supabase'), { recursive: true });
  writeFileSync(join(project, 'supabase', 'config.toml'), '[api]\nport = 64321\n');
  const env = { STACK_WORKDIR: project };

  test('this repository by default', () => {
    assert.equal(projectDir({}), projectRoot);
    assert.equal(supabaseDir({}), join(projectRoot, 'supabase'));
    // Ascend keeps its functions beside supabase/, and has no supabase/functions.
    assert.equal(functionsDir({}), join(projectRoot, 'functions'));
  });

  test('another project: its supabase/ folder and, once it has one, supabase/functions as the CLI', () => {
    assert.equal(projectDir(env), project);
    assert.equal(supabaseDir(env), join(project, 'supabase'));
    assert.equal(functionsDir(env), join(project, 'functions'));
    mkdirSync(join(project, 'supabase', 'functions'));
    assert.equal(functionsDir(env), join(project, 'supabase', 'functions'));
  });

  test('its config.toml is the one read; the instance’s data stays in this repository', () => {
    const cfg = readConfig(join(supabaseDir(env), 'config.toml'));
    assert.equal(cfg.project_id, 'other-project');
    assert.equal(cfg.api.port, 64321);
    const inst = instance('dev', cfg, {});
    assert.equal(inst.apiPort, 64321);
    assert.equal(inst.dir, join(projectRoot, '.supabase', 'dev'));
  });
});
