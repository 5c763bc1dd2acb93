// Product notifications over Realtime: a notification created in the database (here by the
// send_notification RPC, through REST with the service role) is pushed by its trigger with
// realtime.send on the owner's private topic user:<id>. The owner receives it live; another
// learner neither receives it nor may join that topic; nobody may broadcast on it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll as after, describe, test } from 'vitest';
import { testClient } from '../support/client.ts';
import { env } from '../support/env.ts';
import { accessToken } from '../support/tokens.ts';
import { client, closeClients, collector, sleep, subscribe, waitFor, type TestUser } from './support.ts';

const admin = testClient(env.SERVICE_ROLE_KEY);
const created: string[] = [];

/** A real account (auth user + profile from the sign-up trigger) and its access token. */
async function learner(): Promise<TestUser> {
  const email = `rt-notify-${randomUUID()}@example.test`;
  const { data, error } = await admin.auth.admin.createUser({ email, password: 'password-123-456', email_confirm: true });
  assert.equal(error, null);
  const id = data.user!.id;
  created.push(id);
  return { id, email, token: await accessToken({ sub: id, email }) };
}

interface Pushed {
  event: string;
  payload: { id: number; type: string; title: string; body: string | null; data: Record<string, unknown>; read_at: string | null };
}

after(async () => {
  await closeClients();
  for (const id of created) await admin.auth.admin.deleteUser(id);
});

describe('notifications over realtime', () => {
  test('a notification reaches its owner live, on their private topic, and no other learner', async () => {
    const [a, b] = [await learner(), await learner()];
    const toA = collector<Pushed>();
    const toB = collector<Pushed>();
    await subscribe(client(a).channel(`user:${a.id}`, { config: { private: true } }).on('broadcast', { event: 'notification' }, toA.push));
    await subscribe(client(b).channel(`user:${b.id}`, { config: { private: true } }).on('broadcast', { event: 'notification' }, toB.push));

    const sent = await admin.rpc('send_notification', { p_title: 'Exam day moved', p_body: 'Now on Friday', p_users: [a.id] });
    assert.deepEqual({ data: sent.data, error: sent.error }, { data: 1, error: null });

    const got = await waitFor(() => toA.items[0], 5000, 'the notification on learner A\'s topic');
    assert.equal(got.event, 'notification');
    assert.equal(got.payload.type, 'system');
    assert.equal(got.payload.title, 'Exam day moved');
    assert.equal(got.payload.body, 'Now on Friday');
    assert.equal(got.payload.read_at, null);

    // The pushed id is the row learner A reads and marks through REST.
    const asA = client(a);
    const page = await asA.rpc('get_notifications', { p_limit: 10 });
    assert.equal(page.error, null);
    assert.equal(page.data.items[0].id, got.payload.id);
    const marked = await asA.rpc('mark_notifications_read', { p_ids: [got.payload.id] });
    assert.deepEqual({ data: marked.data, error: marked.error }, { data: 1, error: null });

    // Learner B got nothing; a notification of their own proves their socket was listening.
    await admin.rpc('send_notification', { p_title: 'For B only', p_users: [b.id] });
    const own = await waitFor(() => toB.items[0], 5000, 'learner B\'s own notification');
    assert.equal(own.payload.title, 'For B only');
    await sleep(200);
    assert.equal(toB.items.length, 1, 'learner B received only their own notification');
    assert.equal(toA.items.length, 1, 'learner A did not receive learner B\'s');

    // And learner B cannot read learner A's notification through REST either.
    const peek = await client(b).from('notifications').select('id').eq('id', got.payload.id);
    assert.deepEqual({ data: peek.data, error: peek.error }, { data: [], error: null });
  });

  test('an achievement unlocked by submit_quiz (through REST) is pushed live to the learner alone', async () => {
    const [a, b] = [await learner(), await learner()];
    const toA = collector<Pushed>();
    const toB = collector<Pushed>();
    await subscribe(client(a).channel(`user:${a.id}`, { config: { private: true } }).on('broadcast', { event: 'notification' }, toA.push));
    await subscribe(client(b).channel(`user:${b.id}`, { config: { private: true } }).on('broadcast', { event: 'notification' }, toB.push));

    const asA = client(a);
    const started = await asA.rpc('start_quiz', { p_exam: 'security', p_count: 10 });
    assert.equal(started.error, null);
    const quiz = started.data as { attempt_id: string; questions: { question_id: number }[] };
    const answers = quiz.questions.map((q) => ({ question_id: q.question_id, answer: 'A', time_spent_seconds: 5 }));
    const submitted = await asA.rpc('submit_quiz', { p_attempt: quiz.attempt_id, p_answers: answers });
    assert.equal(submitted.error, null);
    const unlocked = (submitted.data as { achievements_unlocked: { slug: string }[] }).achievements_unlocked.map((u) => u.slug);
    assert.ok(unlocked.includes('opening-move'), 'a first completed quiz unlocks opening-move');

    const got = await waitFor(() => toA.items.find((m) => m.payload.type === 'achievement'), 5000, 'the achievement notification');
    assert.equal(got.payload.data.slug, 'opening-move');
    assert.match(got.payload.title, /^Achievement unlocked: /);
    await sleep(300);
    assert.equal(toB.items.length, 0, 'learner B received nothing');
  });

  test('another learner may not join the topic, and nobody may broadcast on it', async () => {
    const [a, b] = [await learner(), await learner()];
    await assert.rejects(
      subscribe(client(b).channel(`user:${a.id}`, { config: { private: true } })),
      (err: Error) => {
        assert.equal(err.message, `Unauthorized: You do not have permissions to read from this Channel topic: user:${a.id}`);
        return true;
      },
    );
    await assert.rejects(subscribe(client().channel(`user:${a.id}`, { config: { private: true } })), /Unauthorized/);

    // The owner may listen, but a forged notification sent by the owner (or anyone) is not delivered.
    const toA = collector<Pushed>();
    await subscribe(client(a).channel(`user:${a.id}`, { config: { private: true } }).on('broadcast', { event: 'notification' }, toA.push));
    const forger = client(a).channel(`user:${a.id}`, { config: { private: true } });
    await assert.rejects(forger.httpSend('notification', { type: 'system', title: 'forged' }), /Unauthorized/);
    await admin.rpc('send_notification', { p_title: 'Genuine', p_users: [a.id] });
    await waitFor(() => toA.items.find((m) => m.payload.title === 'Genuine'), 5000, 'the genuine notification');
    assert.deepEqual(toA.items.map((m) => m.payload.title), ['Genuine']);
  });
});
