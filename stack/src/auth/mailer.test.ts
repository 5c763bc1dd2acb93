import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { readConfig } from '../config.ts';
import { resolveSettings } from './config.ts';
import { AuthError } from './errors.ts';
import { goQueryEscape, Mailer } from './mailer.ts';
import { MailSink } from './mailsink.ts';
import { IntervalLimiter } from './ratelimit.ts';

const settings = resolveSettings(readConfig().auth, 54321);
const sink = () => new MailSink(join(mkdtempSync(join(tmpdir(), 'mail-')), 'messages.jsonl'));

test('Go QueryEscape', () => {
  assert.equal(goQueryEscape("a b&c=d/e'f"), 'a+b%26c%3Dd%2Fe%27f');
});

test('action links as GoTrue builds them; redirect_to escaped only when needed', () => {
  const m = new Mailer(settings, sink(), new IntervalLimiter(10, 3_600_000));
  assert.equal(m.actionLink('abc', 'signup', 'http://127.0.0.1:5173'), 'http://127.0.0.1:54321/auth/v1/verify?token=abc&type=signup&redirect_to=http://127.0.0.1:5173');
  assert.equal(
    m.actionLink('pkce_abc', 'recovery', 'http://127.0.0.1:5173/r?x=1'),
    'http://127.0.0.1:54321/auth/v1/verify?token=pkce_abc&type=recovery&redirect_to=http%3A%2F%2F127.0.0.1%3A5173%2Fr%3Fx%3D1',
  );
});

test('messages land in the sink with code, hash and link; the hourly window applies per request', () => {
  const s = sink();
  const m = new Mailer(settings, s, new IntervalLimiter(1, 3_600_000));
  const [sent] = m.send({ type: 'magiclink', to: 'a@example.com', otp: '123456', tokenHash: 'h', redirectTo: 'http://127.0.0.1:5173' });
  assert.equal(sent?.subject, 'Your sign-in link');
  assert.deepEqual(s.list({ to: 'A@example.com' }).map((x) => x.otp), ['123456']);
  assert.throws(
    () => m.send({ type: 'recovery', to: 'a@example.com', otp: '1', tokenHash: 'h', redirectTo: '' }),
    (e: unknown) => e instanceof AuthError && e.status === 429 && e.code === 'over_email_send_rate_limit' && e.message === 'email rate limit exceeded',
  );
});

test('template values are escaped', () => {
  const s = sink();
  new Mailer(settings, s, new IntervalLimiter(5, 1000)).send({
    type: 'email_change',
    to: 'x@example.com',
    otp: '1',
    tokenHash: 'h',
    redirectTo: '',
    newEmail: '<b>@example.com',
  });
  assert.ok(s.list()[0]!.html.includes('&lt;b&gt;@example.com'));
});
