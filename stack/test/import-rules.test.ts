// The import rules of stack/src hold (import-rules.ts), and the checker finds each kind of break
// in a small tree made to break them.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll as after, test } from 'vitest';
import { projectRoot } from '../src/config.ts';
import { checkImportRules } from './import-rules.ts';

const base = mkdtempSync(join(tmpdir(), 'import-rules-'));
after(() => rmSync(base, { recursive: true, force: true }));

/** A src tree of the given files (path → its imports). */
function tree(name: string, files: Record<string, string[]>): string {
  const src = join(base, name);
  for (const [path, imports] of Object.entries(files)) {
    mkdirSync(dirname(join(src, path)), { recursive: true });
    writeFileSync(join(src, path), `${imports.map((i, n) => `import * as m${n} from '${i}';`).join('\n')}\nexport const x = 1;\n`);
  }
  return src;
}

test('stack/src keeps its layers and has no import cycle', () => {
  assert.deepEqual(checkImportRules(join(projectRoot, 'stack', 'src')), []);
});

test('a tree that keeps the rules passes', () => {
  const src = tree('clean', {
    'config.ts': ['./errors.ts'],
    'errors.ts': [],
    'kit/context.ts': ['../config.ts'],
    'auth/index.ts': ['../kit/context.ts', './db.ts'],
    'auth/db.ts': ['../errors.ts'],
    'auth/index.test.ts': ['../gateway/app.ts', '../rest/index.ts'],
    'rest/index.ts': ['../kit/context.ts'],
    'gateway/app.ts': ['../auth/index.ts', '../rest/index.ts'],
    'instance/cli.ts': ['../auth/db.ts', '../config.ts'],
  });
  assert.deepEqual(checkImportRules(src), []);
});

test('each broken rule is reported', () => {
  const src = tree('broken', {
    'config.ts': ['./storage/schema.ts'],
    'storage/schema.ts': [],
    'kit/jwt.ts': ['../auth/index.ts'],
    'auth/index.ts': ['../gateway/app.ts', '../rest/index.ts', '../instance/cli.ts'],
    'rest/index.ts': ['./plan.ts'],
    'rest/plan.ts': ['./render.ts'],
    'rest/render.ts': ['./index.ts'],
    'gateway/app.ts': ['../instance/cli.ts'],
    'instance/cli.ts': ['../gateway/app.ts'],
  });
  assert.deepEqual(checkImportRules(src).sort(), [
    'auth/index.ts → gateway/app.ts: service auth/ imports gateway/',
    'auth/index.ts → instance/cli.ts: service auth/ imports instance/',
    'auth/index.ts → rest/index.ts: service auth/ imports service rest/',
    'config.ts → storage/schema.ts: the base imports storage/',
    'gateway/app.ts → instance/cli.ts: gateway/ imports instance/',
    'import cycle: gateway/app.ts ↔ instance/cli.ts',
    'import cycle: rest/index.ts ↔ rest/plan.ts ↔ rest/render.ts',
    'instance/cli.ts → gateway/app.ts: instance/ imports gateway/ (start it as a process)',
    'kit/jwt.ts → auth/index.ts: kit/ imports auth/',
  ]);
});
