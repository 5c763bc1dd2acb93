import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { escapeHtml, isCrossSite, isLoopbackHost } from '../kit/local-sinks.ts';
import { MailSink } from './mailsink.ts';

const message = (to: string, subject: string) => ({ from: 'f', to: [to], subject, html: '', text: '', type: 'signup', otp: null, token_hash: null, action_link: null, redirect_to: null });

test('newest first, by recipient, limited; clear by recipient', () => {
  const sink = new MailSink(join(mkdtempSync(join(tmpdir(), 'sink-')), 'm.jsonl'));
  sink.add(message('a@x.test', '1'));
  sink.add(message('b@x.test', '2'));
  sink.add(message('a@x.test', '3'));
  assert.deepEqual(sink.list({ to: 'A@x.test' }).map((m) => m.subject), ['3', '1']);
  assert.deepEqual(sink.list({ limit: 1 }).map((m) => m.subject), ['3']);
  assert.equal(sink.clear('a@x.test'), 2);
  assert.deepEqual(sink.list().map((m) => m.subject), ['2']);
});

test('a damaged line is skipped, not fatal', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sink-')), 'm.jsonl');
  writeFileSync(file, '{broken\n');
  const sink = new MailSink(file);
  sink.add(message('a@x.test', 'ok'));
  assert.deepEqual(sink.list().map((m) => m.subject), ['ok']);
});

test('HTML escaping', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('loopback host names only (a rebound DNS name is not one)', () => {
  for (const h of ['localhost', 'localhost:54321', 'LOCALHOST:1', 'app.localhost:5', '127.0.0.1:54321', '127.1.2.3', '[::1]:54321', '[::1]']) assert.equal(isLoopbackHost(h), true, h);
  for (const h of [undefined, '', 'attacker.example', 'attacker.example:54321', '127.0.0.1.attacker.example', 'localhost.attacker.example', '10.0.0.1:54321', '[::2]:1', '0.0.0.0'])
    assert.equal(isLoopbackHost(h), false, String(h));
});

test('cross-site: Sec-Fetch-Site other than none / same-origin, or an Origin of another host', () => {
  const host = '127.0.0.1:54321';
  assert.equal(isCrossSite({ secFetchSite: undefined, origin: undefined, host }), false);
  assert.equal(isCrossSite({ secFetchSite: 'none', origin: undefined, host }), false);
  assert.equal(isCrossSite({ secFetchSite: 'same-origin', origin: 'http://127.0.0.1:54321', host }), false);
  assert.equal(isCrossSite({ secFetchSite: 'same-site', origin: undefined, host }), true);
  assert.equal(isCrossSite({ secFetchSite: 'cross-site', origin: undefined, host }), true);
  assert.equal(isCrossSite({ secFetchSite: undefined, origin: 'https://evil.example', host }), true);
  assert.equal(isCrossSite({ secFetchSite: undefined, origin: 'http://127.0.0.1:5173', host }), true);
  assert.equal(isCrossSite({ secFetchSite: undefined, origin: 'null', host }), true);
});
