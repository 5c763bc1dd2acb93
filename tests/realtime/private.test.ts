// Private channels (Realtime Authorization): joining, receiving and sending are decided by RLS
// policies on realtime.messages evaluated as the user, with Supabase's join error reason.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'vitest';
import { accessToken } from '../support/tokens.ts';
import { useFixtures } from './fixtures.ts';
import { client, collector, newUser, sleep, subscribe, waitFor, type TestUser } from './support.ts';

const conn = useFixtures();

async function member(topic: string, user: TestUser, canWrite: boolean): Promise<void> {
  await conn.query('insert into public.rt_channel_members (topic, user_id, can_write) values ($1, $2, $3) on conflict (topic, user_id) do update set can_write = excluded.can_write', [
    topic,
    user.id,
    canWrite,
  ]);
}

describe('private channels', () => {
  test('refused to a user no policy allows, with Supabase\'s reason; allowed to a member', async () => {
    const topic = `rt-private-${randomUUID()}`;
    const [insider, outsider] = [await newUser(), await newUser()];
    await member(topic, insider, true);

    const allowed = client(insider).channel(topic, { config: { private: true } });
    await subscribe(allowed);

    const refused = client(outsider).channel(topic, { config: { private: true } });
    await assert.rejects(subscribe(refused), (err: Error) => {
      assert.equal(err.message, `Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`);
      return true;
    });
    await refused.unsubscribe();

    // The anon key alone has no policy either.
    const anon = client().channel(topic, { config: { private: true } });
    await assert.rejects(subscribe(anon), /Unauthorized: You do not have permissions to read from this Channel topic/);
    await anon.unsubscribe();

    // The same name as a public channel is another topic and needs no policy.
    await subscribe(client(outsider).channel(topic));
  });

  test('members receive private broadcasts; only writers can send; public subscribers of the name see none', async () => {
    const topic = `rt-private-${randomUUID()}`;
    const [writer, reader, stranger] = [await newUser(), await newUser(), await newUser()];
    await member(topic, writer, true);
    await member(topic, reader, false);

    const toReader = collector<Record<string, unknown>>();
    const toWriter = collector<Record<string, unknown>>();
    const toPublic = collector<Record<string, unknown>>();
    const w = client(writer)
      .channel(topic, { config: { private: true, broadcast: { ack: true } } })
      .on('broadcast', { event: '*' }, toWriter.push);
    const r = client(reader)
      .channel(topic, { config: { private: true } })
      .on('broadcast', { event: '*' }, toReader.push);
    const p = client(stranger).channel(topic).on('broadcast', { event: '*' }, toPublic.push);
    await Promise.all([subscribe(w), subscribe(r), subscribe(p)]);

    assert.equal(await w.send({ type: 'broadcast', event: 'secret', payload: { n: 1 } }), 'ok');
    await waitFor(() => toReader.items.length === 1, 5000, 'the private message');
    assert.deepEqual(toReader.items[0], { type: 'broadcast', event: 'secret', payload: { n: 1 } });

    // The reader has no INSERT policy: its messages are dropped (Realtime does not deliver them).
    assert.equal(await r.send({ type: 'broadcast', event: 'secret', payload: { n: 2 } }), 'ok');
    await sleep(300);
    assert.equal(toWriter.items.length, 0, 'a reader without the write policy cannot send');
    assert.equal(toPublic.items.length, 0, 'the public channel of the same name is a different topic');
  });

  test('REST broadcast to a private topic needs the write policy too', async () => {
    const topic = `rt-private-${randomUUID()}`;
    const [writer, reader] = [await newUser(), await newUser()];
    await member(topic, writer, true);
    await member(topic, reader, false);
    const got = collector<Record<string, unknown>>();
    await subscribe(client(reader).channel(topic, { config: { private: true } }).on('broadcast', { event: '*' }, got.push));

    const denied = client(reader).channel(topic, { config: { private: true } });
    await assert.rejects(denied.httpSend('from-reader', { n: 0 }), /Unauthorized/);
    const ok = client(writer).channel(topic, { config: { private: true } });
    assert.deepEqual(await ok.httpSend('from-writer', { n: 1 }), { success: true });
    await waitFor(() => got.items.length === 1, 5000, 'the writer\'s REST message');
    assert.equal(got.items[0]!.event, 'from-writer');
  });

  test('presence on a private channel needs the policies', async () => {
    const topic = `rt-private-${randomUUID()}`;
    const [writer, reader] = [await newUser(), await newUser()];
    await member(topic, writer, true);
    await member(topic, reader, false);
    const w = client(writer).channel(topic, { config: { private: true, presence: { key: 'writer' } } });
    const r = client(reader).channel(topic, { config: { private: true, presence: { key: 'reader', enabled: true } } });
    await Promise.all([subscribe(w), subscribe(r)]);
    assert.equal(await w.track({ here: true }), 'ok');
    assert.equal(await r.track({ here: true }), 'error', 'tracking needs the INSERT policy');
    await waitFor(() => r.presenceState().writer, 5000, 'writer presence seen by reader');
    assert.equal(r.presenceState().reader, undefined);
  });

  test('a refreshed access token is re-checked: losing the policy closes the channel', async () => {
    const topic = `rt-private-${randomUUID()}`;
    const user = await newUser();
    await member(topic, user, false);
    const c = client(user);
    const system = collector<Record<string, unknown>>();
    const ch = c.channel(topic, { config: { private: true } }).on('system', {}, system.push);
    await subscribe(ch);
    await conn.query('delete from public.rt_channel_members where topic = $1 and user_id = $2', [topic, user.id]);
    // A new token for the same user (e.g. after a refresh) makes Realtime evaluate the policies again.
    await c.realtime.setAuth(await accessToken({ sub: user.id, email: user.email }));
    const msg = await waitFor(() => system.items.find((m) => m.status === 'error'), 5000, 'the shutdown system message');
    assert.equal(msg.message, `You no longer have permission to read from this Channel topic: ${topic}`);
    await waitFor(() => ch.state === 'closed', 5000, 'channel closed');
  });
});
