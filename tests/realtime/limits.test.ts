// Realtime's limits and token checks, answered with Supabase's reasons (never a silently dropped
// socket): channels per connection, messages per second, payload size, presence calls, JWTs.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll as after, describe, test } from 'vitest';
import { accessToken } from '../support/tokens.ts';
import { client, closeClients, collector, newUser, sleep, subscribe, waitFor } from './support.ts';

after(closeClients);

describe('limits', () => {
  test('a connection may join 100 channels; the 101st is refused with ChannelRateLimitReached', async () => {
    const c = client(await newUser());
    const base = `rt-many-${randomUUID()}`;
    const channels = Array.from({ length: 100 }, (_, i) => c.channel(`${base}-${i}`));
    await Promise.all(channels.map((ch) => subscribe(ch, 30_000)));
    const extra = c.channel(`${base}-extra`);
    await assert.rejects(subscribe(extra), (err: Error) => {
      assert.equal(err.message, 'ChannelRateLimitReached: Too many channels');
      return true;
    });
    await extra.unsubscribe();
    // Leaving one makes room again.
    await c.removeChannel(channels[0]!);
    await subscribe(c.channel(`${base}-again`));
  });

  test('more than 100 messages per second: the channel is shut down with "Too many messages per second"', async () => {
    const [sender, receiver] = [client(await newUser()), client(await newUser())];
    const room = `rt-flood-${randomUUID()}`;
    const got = collector<unknown>();
    const system = collector<Record<string, unknown>>();
    await subscribe(receiver.channel(room).on('broadcast', { event: 'flood' }, got.push));
    const ch = sender.channel(room).on('system', {}, system.push);
    await subscribe(ch);
    for (let i = 0; i < 150; i++) void ch.send({ type: 'broadcast', event: 'flood', payload: { i } });
    const msg = await waitFor(() => system.items.find((m) => m.status === 'error'), 5000, 'the system error');
    assert.deepEqual(msg, { extension: 'system', status: 'error', message: 'Too many messages per second', channel: room });
    await waitFor(() => ch.state === 'closed', 5000, 'the channel closed (phx_close)');
    await sleep(200);
    assert.equal(got.items.length, 100, 'the first 100 were delivered, the rest were not');
  });

  test('a broadcast payload over 256 KB is refused (ack: error) and not delivered', async () => {
    const [sender, receiver] = [client(await newUser()), client(await newUser())];
    const room = `rt-big-${randomUUID()}`;
    const got = collector<Record<string, unknown>>();
    await subscribe(receiver.channel(room).on('broadcast', { event: '*' }, got.push));
    const ch = sender.channel(room, { config: { broadcast: { ack: true } } });
    await subscribe(ch);
    assert.equal(await ch.send({ type: 'broadcast', event: 'big', payload: { blob: 'x'.repeat(300_000) } }), 'error');
    assert.equal(await ch.send({ type: 'broadcast', event: 'fits', payload: { blob: 'y'.repeat(200_000) } }), 'ok');
    await waitFor(() => got.items.length >= 1, 5000, 'the message that fits');
    await sleep(100);
    assert.deepEqual(
      got.items.map((m) => m.event),
      ['fits'],
    );
  });

  test('presence: more than 5 calls in 30 s shut the channel down with "Client presence rate limit exceeded"', async () => {
    const c = client(await newUser());
    const room = `rt-presence-flood-${randomUUID()}`;
    const system = collector<Record<string, unknown>>();
    const ch = c.channel(room).on('system', {}, system.push);
    await subscribe(ch);
    for (let i = 0; i < 5; i++) assert.equal(await ch.track({ i }), 'ok');
    void ch.track({ i: 6 });
    const msg = await waitFor(() => system.items.find((m) => m.status === 'error'), 5000, 'the system error');
    assert.equal(msg.message, 'Client presence rate limit exceeded');
  });
});

describe('tokens', () => {
  test('an expired JWT is refused with InvalidJWTToken', async () => {
    const token = await accessToken({ expiresIn: -30 });
    const ch = client(token).channel(`rt-token-${randomUUID()}`);
    await assert.rejects(subscribe(ch), /^Error: InvalidJWTToken: Token has expired \d+ seconds ago$/);
    await ch.unsubscribe();
  });

  test('a JWT signed with another secret is refused with JwtSignatureError', async () => {
    const forged = await accessToken({ secret: 'not-the-project-secret-not-the-project-secret' });
    const ch = client(forged).channel(`rt-token-${randomUUID()}`);
    await assert.rejects(subscribe(ch), /JwtSignatureError: Failed to validate JWT signature/);
    await ch.unsubscribe();
  });

  test('a JWT without `role` is refused', async () => {
    const token = await accessToken({ role: undefined });
    const ch = client(token).channel(`rt-token-${randomUUID()}`);
    await assert.rejects(subscribe(ch), /InvalidJWTToken: Fields `role` and `exp` are required in JWT/);
    await ch.unsubscribe();
  });

  test('when the token expires, the channel is shut down with a system message', async () => {
    const token = await accessToken({ expiresIn: 2 });
    const system = collector<Record<string, unknown>>();
    const ch = client(token).channel(`rt-token-${randomUUID()}`).on('system', {}, system.push);
    await subscribe(ch);
    const msg = await waitFor(() => system.items.find((m) => m.status === 'error'), 6000, 'the expiry');
    assert.match(String(msg.message), /^Token has expired \d+ seconds ago$/);
    await waitFor(() => ch.state === 'closed', 2000, 'channel closed');
  });
});
