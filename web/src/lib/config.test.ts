import assert from 'node:assert/strict';
import { test } from 'vitest';
import { LOCAL_DEFAULTS, readPublicConfig } from './config.ts';

test('with nothing set, the app uses the local stack defaults', () => {
  assert.deepEqual(readPublicConfig({}), LOCAL_DEFAULTS);
});

test('environment values win over the defaults', () => {
  const cfg = readPublicConfig({ PUBLIC_SUPABASE_URL: 'https://abc.supabase.co', PUBLIC_SUPABASE_ANON_KEY: 'x'.repeat(40) });
  assert.deepEqual(cfg, { url: 'https://abc.supabase.co', anonKey: 'x'.repeat(40) });
});

test('a malformed URL is an error that names the setting', () => {
  assert.throws(() => readPublicConfig({ PUBLIC_SUPABASE_URL: 'not a url' }), /Invalid Supabase configuration \(url\)/);
});
