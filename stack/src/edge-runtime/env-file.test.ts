import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { parseEnv, readSecrets } from './env-file.ts';

describe('parseEnv', () => {
  test('plain, exported, quoted and commented lines', () => {
    const { vars, warnings } = parseEnv(
      [
        '# a comment',
        '',
        'PLAIN=value',
        'export EXPORTED=yes',
        'SPACED = around ',
        'INLINE=kept # dropped',
        'HASH=a#b',
        'DOUBLE="line\\nbreak \\"quoted\\""',
        "SINGLE='raw \\n # kept'",
        'EMPTY=',
        'MULTI="first',
        'second"',
        'URL=postgresql://u:p@h:5432/db?x=1',
      ].join('\n'),
    );
    assert.deepEqual(warnings, []);
    assert.deepEqual(vars, {
      PLAIN: 'value',
      EXPORTED: 'yes',
      SPACED: 'around',
      INLINE: 'kept',
      HASH: 'a#b',
      DOUBLE: 'line\nbreak "quoted"',
      SINGLE: 'raw \\n # kept',
      EMPTY: '',
      MULTI: 'first\nsecond',
      URL: 'postgresql://u:p@h:5432/db?x=1',
    });
  });

  test('bad lines are reported, not fatal', () => {
    const { vars, warnings } = parseEnv('GOOD=1\nno equals sign\n9BAD=2\nOPEN="never closed');
    assert.deepEqual(vars, { GOOD: '1' });
    assert.deepEqual(warnings, ['line 2: expected NAME=value', 'line 3: "9BAD" is not a valid variable name', 'OPEN: unterminated quoted value']);
  });

  test('CRLF line endings', () => {
    assert.deepEqual(parseEnv('A=1\r\nB=2\r\n').vars, { A: '1', B: '2' });
  });
});

describe('readSecrets', () => {
  test('a missing file is no secrets', () => {
    assert.deepEqual(readSecrets(join(tmpdir(), 'does-not-exist', '.env')), { vars: {}, warnings: [] });
  });

  test('SUPABASE_ names are reserved for the platform and skipped', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fn-env-')), '.env');
    writeFileSync(file, 'RESEND_API_KEY=re_123\nSUPABASE_URL=http://evil\n');
    const { vars, warnings } = readSecrets(file);
    assert.deepEqual(vars, { RESEND_API_KEY: 're_123' });
    assert.deepEqual(warnings, [`${file}: SUPABASE_URL: names starting with SUPABASE_ are reserved, skipped`]);
  });
});
