import assert from 'node:assert/strict';
import { test } from 'vitest';
import { connectSources, withConnectSrc } from './security.ts';

test('connect-src allows the API over HTTP and its WebSocket for realtime', () => {
  assert.deepEqual(connectSources('http://127.0.0.1:54321'), ["'self'", 'http://127.0.0.1:54321', 'ws://127.0.0.1:54321']);
  assert.deepEqual(connectSources('https://abc.supabase.co'), ["'self'", 'https://abc.supabase.co', 'wss://abc.supabase.co']);
});

test('an existing connect-src is replaced, the other directives kept', () => {
  const csp = withConnectSrc("default-src 'self'; connect-src 'none'; frame-ancestors 'none'", 'http://127.0.0.1:1');
  assert.equal(csp, "default-src 'self'; frame-ancestors 'none'; connect-src 'self' http://127.0.0.1:1 ws://127.0.0.1:1");
});
