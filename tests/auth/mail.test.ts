// The local mail sink at /mail/v1: what auth sent, as JSON (newest first, per recipient) and as
// a page for people; no API key needed, like Inbucket.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { env } from '../support/env.ts';
import { anonClient, mailbox, PASSWORD, randomIp, sleep, uniqueEmail } from './helpers.ts';

const ip = randomIp();

describe('mail sink', () => {
  test('JSON: newest first, filtered by recipient, with code, hash and link; one by id', async () => {
    const email = uniqueEmail('sink');
    const client = anonClient(ip);
    await client.auth.signUp({ email, password: PASSWORD });
    await sleep(1100);
    await client.auth.resend({ type: 'signup', email });
    const messages = await mailbox(email.toUpperCase());
    assert.equal(messages.length, 2);
    const [newest, oldest] = messages as [(typeof messages)[0], (typeof messages)[0]];
    assert.ok(newest.id !== oldest.id);
    assert.deepEqual(Object.keys(newest).sort(), [
      'action_link', 'created_at', 'from', 'html', 'id', 'otp', 'redirect_to', 'subject', 'text', 'to', 'token_hash', 'type',
    ]);
    assert.deepEqual(newest.to, [email]);
    assert.ok(newest.text.includes(newest.otp!));
    assert.ok(newest.text.includes(newest.action_link!));
    const one = await fetch(`${env.SUPABASE_URL}/mail/v1/messages/${newest.id}`);
    assert.deepEqual(await one.json(), newest);
    const missing = await fetch(`${env.SUPABASE_URL}/mail/v1/messages/nope`);
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
    const limited = await fetch(`${env.SUPABASE_URL}/mail/v1/messages?to=${encodeURIComponent(email)}&limit=1`);
    assert.equal(((await limited.json()) as { messages: unknown[] }).messages.length, 1);
  });

  test('an HTML page listing the messages, addresses escaped', async () => {
    const email = uniqueEmail('page');
    await anonClient(ip).auth.signUp({ email, password: PASSWORD });
    const res = await fetch(`${env.SUPABASE_URL}/mail/v1/?to=${encodeURIComponent(email)}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const html = await res.text();
    assert.ok(html.includes('Confirm your email address'));
    assert.ok(html.includes(email));
    assert.ok(!html.includes('<script'));
  });

  test('DELETE clears one recipient’s messages', async () => {
    const email = uniqueEmail('clear');
    await anonClient(ip).auth.signUp({ email, password: PASSWORD });
    const res = await fetch(`${env.SUPABASE_URL}/mail/v1/messages?to=${encodeURIComponent(email)}`, { method: 'DELETE' });
    assert.deepEqual(await res.json(), { deleted: 1 });
    assert.deepEqual(await mailbox(email), []);
  });
});
