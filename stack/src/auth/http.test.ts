import assert from 'node:assert/strict';
import { test } from 'vitest';
import { encodeGoValues, isRedirectUrlValid, withFragment } from './http.ts';

const settings = { siteUrl: 'http://127.0.0.1:5173', redirectAllowList: ['http://localhost:5173', 'https://*.ascend.test/**'] };

test('redirect_to: same site, loopback, allow-list globs', () => {
  assert.equal(isRedirectUrlValid(settings, 'http://127.0.0.1:5173/reset?x=1'), true);
  assert.equal(isRedirectUrlValid(settings, 'http://127.0.0.1:9999/anything'), true, 'loopback IPs are always allowed');
  assert.equal(isRedirectUrlValid(settings, 'http://localhost:5173'), true);
  assert.equal(isRedirectUrlValid(settings, 'http://localhost:5173/deep'), false, 'a pattern without * matches exactly');
  assert.equal(isRedirectUrlValid(settings, 'https://app.ascend.test/a/b'), true);
  assert.equal(isRedirectUrlValid(settings, 'https://a.b.ascend.test/'), false, '* stops at dots');
  assert.equal(isRedirectUrlValid(settings, 'https://evil.example.net/'), false);
  assert.equal(isRedirectUrlValid(settings, 'not a url'), false);
  assert.equal(isRedirectUrlValid(settings, ''), false);
});

test('Go url.Values encoding: sorted keys, QueryEscape', () => {
  assert.equal(encodeGoValues({ type: 'signup', a: 'x y', b: "it's" }), 'a=x+y&b=it%27s&type=signup');
});

test('fragments and queries on redirect URLs, without normalising them', () => {
  assert.equal(withFragment('http://127.0.0.1:5173', 'a=1'), 'http://127.0.0.1:5173#a=1');
  assert.equal(withFragment('http://h/p?z=1#old', 'a=1'), 'http://h/p?z=1#a=1');
  assert.equal(withFragment('http://h/p?z=1', '', { code: 'c' }), 'http://h/p?code=c&z=1');
});
