// ai-trainer through the gateway, as a learner and as an organisation admin: a session streams the
// AI customer's reply (fake OpenAI-compatible provider, real SSE), survives a closed tab with the
// right remaining time, ends with a stored report and XP awarded once by the database, exports a
// PDF; provider failures are 502/503; another learner sees nothing; offline mode keeps it usable.
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import type { FakeProvider } from '../../functions/_shared/ai/fake_provider.ts';
import {
  asUser, call, callJson, clearFunctionSecrets, createOrganization, createUser, CUSTOMER_LINE, readEvents, sql,
  useFakeAi, useOfflineAi, type User,
} from './ai-fixtures.ts';

const T = 'ai-trainer';

let learner: User;
let other: User;
let admin: User;
let org: string;

before(async () => {
  learner = await createUser('trainee');
  other = await createUser('other-trainee');
  admin = await createUser('trainer-admin');
  org = await createOrganization(admin, [learner, other]);
});
after(() => clearFunctionSecrets());

interface Session {
  id: string;
  status: string;
  remaining_seconds: number;
  ends_at: string;
  user_id: string;
}

async function start(user: User, body: Record<string, unknown>): Promise<Session> {
  const { status, body: res } = await callJson(T, '/sessions', user, { body });
  assert.equal(status, 201, JSON.stringify(res));
  return res.session as Session;
}

/** Moves a session's clock back by `minutes`, as if it had started that long ago. */
async function age(session: string, minutes: number): Promise<void> {
  await sql(`update public.training_sessions set started_at = started_at - make_interval(mins => $2), ends_at = ends_at - make_interval(mins => $2) where id = $1`, [session, minutes]);
}

describe('ai-trainer offline (no AI_API_KEY)', () => {
  before(() => useOfflineAi());

  test('the catalog lists the 12 categories, 4 difficulties, 5 durations and says it is offline', async () => {
    const { status, body } = await callJson(T, '/catalog', learner);
    assert.equal(status, 200);
    assert.equal((body.categories as unknown[]).length, 12);
    assert.deepEqual(body.difficulties, ['new-joining', 'basic', 'experienced', 'expert']);
    assert.deepEqual(body.durations, [5, 10, 15, 20, 30]);
    assert.deepEqual((body.ai as { mode: string }).mode, 'offline');
    assert.match((body.ai as { notice: string }).notice, /no AI provider is configured/);
  });

  test('a session streams a scripted customer that says so, and ends with a rule-based report', async () => {
    const s = await start(learner, { category: 'retail-sales', difficulty: 'basic', duration_minutes: 5 });
    assert.equal(s.status, 'active');
    assert.ok(s.remaining_seconds > 290 && s.remaining_seconds <= 300, String(s.remaining_seconds));
    const res = await call(T, `/sessions/${s.id}/messages`, learner, { body: { content: 'Good morning, welcome! What brings you in today?' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = await readEvents(res);
    assert.equal(events[0]!.type, 'start');
    assert.equal(events[0]!.mode, 'offline');
    assert.ok(events.filter((e) => e.type === 'delta').length > 3, 'the reply streams word by word');
    const done = events.at(-1)!;
    assert.equal(done.type, 'done');
    assert.match(String(done.content), /\(Offline trainer: no AI provider is configured, this customer is scripted\.\)$/);
    const ended = await callJson(T, `/sessions/${s.id}/end`, learner, { method: 'POST' });
    assert.equal(ended.status, 200, JSON.stringify(ended.body));
    const report = ended.body.report as { generated_by: string; summary: string; criteria: unknown[] };
    assert.equal(report.generated_by, 'offline');
    assert.match(report.summary, /^Offline rule-based report/);
    assert.equal(report.criteria.length, 6);
  });
});

describe('ai-trainer with an OpenAI-compatible provider (the fake)', () => {
  let fake: FakeProvider;
  before(async () => {
    fake = await useFakeAi({ chunkSize: 5 });
  });
  after(() => fake.close());

  test('a session streams the customer token by token and stores the transcript as it goes', async () => {
    const s = await start(learner, { category: 'sales-objections', difficulty: 'experienced', duration_minutes: 10, organization_id: org });
    const res = await call(T, `/sessions/${s.id}/messages`, learner, { body: { content: 'Hello, I am Sam. How can I help you today?' } });
    assert.equal(res.status, 200);
    const events = await readEvents(res);
    assert.deepEqual(events.map((e) => e.type).filter((t, i, a) => a.indexOf(t) === i), ['start', 'delta', 'done']);
    const deltas = events.filter((e) => e.type === 'delta').map((e) => e.content as string);
    assert.ok(deltas.length >= 10, `${deltas.length} deltas`);
    assert.equal(deltas.join(''), CUSTOMER_LINE);
    const request = fake.requests.at(-1)!;
    assert.equal(request.stream, true);
    assert.equal(request.model, 'fake-model');
    assert.match(request.messages[0]!.content, /Sales Objections/);
    assert.equal(request.messages.at(-1)!.content, 'Hello, I am Sam. How can I help you today?');
    const { body } = await callJson(T, `/sessions/${s.id}`, learner);
    assert.deepEqual((body.messages as { role: string; content: string }[]).map((m) => [m.role, m.content]), [
      ['learner', 'Hello, I am Sam. How can I help you today?'],
      ['customer', CUSTOMER_LINE],
    ]);
  });

  test('the customer is grounded in the organisation\'s own training material', async () => {
    const added = await asUser(admin).rpc('add_training_document', {
      p_organization: org, p_category: 'sales-objections', p_title: 'Objection playbook', p_source_kind: 'text',
      p_chunks: ['When a customer says the warranty is too short, offer the extended warranty of five years.'],
    });
    assert.equal(added.error, null, added.error?.message);
    const s = await start(learner, { category: 'sales-objections', difficulty: 'basic', duration_minutes: 5, organization_id: org });
    const res = await call(T, `/sessions/${s.id}/messages`, learner, { body: { content: 'Is the warranty long enough for you?' } });
    assert.equal(res.status, 200);
    await readEvents(res);
    assert.match(fake.requests.at(-1)!.messages[0]!.content, /extended \*\*warranty\*\* of five years|extended warranty of five years/);
    assert.match(fake.requests.at(-1)!.messages[0]!.content, /Objection playbook, passage 1/);
  });

  test('a closed tab resumes with the remaining time, and the reply it missed is stored', async () => {
    fake.setLatency(0, 40);
    const s = await start(learner, { category: 'smp-sales', difficulty: 'expert', duration_minutes: 5, organization_id: org });
    await age(s.id, 2);
    const tab = new AbortController();
    const res = await call(T, `/sessions/${s.id}/messages`, learner, { body: { content: 'Hi! What made you think about SMP?' }, signal: tab.signal });
    const seen = await readEvents(res, (e) => e.type === 'delta');
    assert.equal(seen.at(-1)!.type, 'delta');
    tab.abort();

    const { status, body } = await callJson(T, '/sessions/active', learner);
    assert.equal(status, 200);
    const resumed = body.session as Session;
    assert.equal(resumed.id, s.id);
    const expected = Math.floor((Date.parse(resumed.ends_at) - Date.now()) / 1000);
    assert.ok(Math.abs(resumed.remaining_seconds - expected) <= 2, `${resumed.remaining_seconds} vs ${expected}`);
    assert.ok(resumed.remaining_seconds > 170 && resumed.remaining_seconds <= 180, `3 of 5 minutes left: ${resumed.remaining_seconds}`);

    let lines: { role: string; content: string }[] = [];
    for (let i = 0; i < 50 && lines.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      lines = (await callJson(T, `/sessions/${s.id}`, learner)).body.messages as typeof lines;
    }
    assert.deepEqual(lines.map((m) => m.role), ['learner', 'customer'], 'the reply was finished and stored after the tab closed');
    assert.equal(lines[1]!.content, CUSTOMER_LINE);
    fake.setLatency(0, 0);
  });

  test('the end: a report checked against the transcript, stored, and XP awarded once by the database', async () => {
    const s = await start(learner, { category: 'general-sales', difficulty: 'basic', duration_minutes: 10, organization_id: org });
    for (const content of ['Good afternoon and welcome to our studio. What are you looking for?', 'I understand. Shall we book a consultation?']) {
      const events = await readEvents(await call(T, `/sessions/${s.id}/messages`, learner, { body: { content } }));
      assert.equal(events.at(-1)!.type, 'done');
    }
    const xpBefore = (await sql<{ xp: string }>('select xp from public.profiles where id = $1', [learner.id]))[0]!.xp;
    const ended = await callJson(T, `/sessions/${s.id}/end`, learner, { method: 'POST' });
    assert.equal(ended.status, 200, JSON.stringify(ended.body));
    const report = ended.body.report as {
      overall_score: number; generated_by: string; criteria: { key: string; score: number; evidence: { quote: string; message_id: number }[]; comment: string }[];
    };
    assert.equal(report.generated_by, 'fake-model');
    assert.equal(fake.requests.at(-1)!.response_format?.type, 'json_schema');
    assert.equal(fake.requests.at(-1)!.response_format?.json_schema?.name, 'training_report');
    const rapport = report.criteria.find((c) => c.key === 'rapport')!;
    assert.deepEqual(rapport.evidence.map((e) => e.quote), ['Good afternoon and welcome to our studio']);
    const closing = report.criteria.find((c) => c.key === 'closing')!;
    assert.deepEqual(closing.evidence, [], 'a quote the learner never said is dropped');
    assert.equal(closing.score, 1, 'and its score capped');
    assert.equal(report.overall_score, 71.43, '(1 + 1.5 + 1 + 1.5 + 1) x 4 + 1 x 1 = 25 of 35');
    assert.equal(ended.body.xp_awarded, 10 + Math.round(0.7143 * 10 * 4));
    assert.equal(ended.body.already_completed, false);

    const stored = await asUser(learner).from('training_reports').select('overall_score, criteria').eq('session_id', s.id).single();
    assert.equal(stored.error, null);
    assert.equal(Number(stored.data!.overall_score), 71.43);
    const xpAfter = (await sql<{ xp: string }>('select xp from public.profiles where id = $1', [learner.id]))[0]!.xp;
    assert.equal(Number(xpAfter) - Number(xpBefore), ended.body.xp_awarded);

    const again = await callJson(T, `/sessions/${s.id}/end`, learner, { method: 'POST' });
    assert.equal(again.status, 200);
    assert.equal(again.body.already_completed, true);
    assert.equal(again.body.xp_awarded, ended.body.xp_awarded);
    const ledger = await asUser(learner).from('xp_events').select('amount, source').eq('training_session_id', s.id);
    assert.deepEqual(ledger.data, [{ amount: ended.body.xp_awarded, source: 'training' }], 'one ledger row, however often it ends');

    const speak = await callJson(T, `/sessions/${s.id}/messages`, learner, { body: { content: 'One more thing' } });
    assert.equal(speak.status, 409);

    const pdf = await call(T, `/sessions/${s.id}/report.pdf`, learner);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    assert.equal(new TextDecoder().decode(bytes.slice(0, 5)), '%PDF-');

    // The organisation's admin reads it, annotates it, exports it, but cannot act in it.
    const seen = await callJson(T, `/sessions/${s.id}`, admin);
    assert.equal(seen.status, 200);
    assert.equal((seen.body.report as { overall_score: number }).overall_score, 71.43);
    const note = await asUser(admin).from('training_notes').insert({ session_id: s.id, body: 'Close earlier next time.' }).select('user_id').single();
    assert.equal(note.error, null);
    assert.equal(note.data!.user_id, learner.id);
    assert.equal((await call(T, `/sessions/${s.id}/report.pdf`, admin)).status, 200);
    assert.equal((await callJson(T, `/sessions/${s.id}/end`, admin, { method: 'POST' })).status, 403);
  });

  test('a learner can neither score themselves nor write the customer\'s lines', async () => {
    const s = await start(learner, { category: 'retail-sales', difficulty: 'basic', duration_minutes: 5 });
    const rpc = await asUser(learner).rpc('complete_training_session', { p_session: s.id, p_report: { overall_score: 100, summary: 'me' } });
    assert.ok(rpc.error);
    assert.equal(rpc.error.code, '42501');
    const forged = await asUser(learner).from('training_messages').insert({ session_id: s.id, role: 'customer', content: 'I buy!' });
    assert.ok(forged.error);
    assert.equal(forged.error.code, '42501');
  });

  test('another learner cannot read, join or end the session', async () => {
    const s = await start(learner, { category: 'hairline-consultation', difficulty: 'basic', duration_minutes: 5, organization_id: org });
    assert.equal((await callJson(T, `/sessions/${s.id}`, other)).status, 404);
    assert.equal((await callJson(T, `/sessions/${s.id}/messages`, other, { body: { content: 'hi' } })).status, 404);
    assert.equal((await callJson(T, `/sessions/${s.id}/end`, other, { method: 'POST' })).status, 404);
    assert.equal((await call(T, `/sessions/${s.id}/report.pdf`, other)).status, 404);
    const rest = await asUser(other).from('training_sessions').select('id').eq('id', s.id);
    assert.deepEqual(rest.data, []);
    assert.equal((await callJson(T, '/sessions/active', other)).body.session, null);
  });

  test('time is up: the learner can no longer speak, only end', async () => {
    const s = await start(learner, { category: 'sales-follow-up', difficulty: 'new-joining', duration_minutes: 5 });
    await age(s.id, 6);
    const late = await callJson(T, `/sessions/${s.id}/messages`, learner, { body: { content: 'Still there?' } });
    assert.equal(late.status, 410);
    assert.match(String(late.body.error), /time is up/);
    assert.equal(((await callJson(T, `/sessions/${s.id}`, learner)).body.session as Session).remaining_seconds, 0);
    assert.equal((await callJson(T, `/sessions/${s.id}/end`, learner, { method: 'POST' })).status, 200);
  });

  test('provider failures are 502/503 naming what failed, and nothing is streamed', async () => {
    const s = await start(learner, { category: 'pre-consultation', difficulty: 'basic', duration_minutes: 5 });
    fake.failNext({ status: 429, message: 'Rate limit reached for requests', retryAfter: 2 });
    const limited = await call(T, `/sessions/${s.id}/messages`, learner, { body: { content: 'Hello there, how are you?' } });
    assert.equal(limited.status, 503);
    assert.equal(limited.headers.get('retry-after'), '2');
    assert.match((await limited.json()).error, /^AI provider fake-model at 127\.0\.0\.1:\d+ is rate-limiting us \(429 rate_limit_exceeded\): Rate limit reached/);
    fake.failNext({ status: 401 });
    const refused = await callJson(T, `/sessions/${s.id}/messages`, learner, { body: { content: 'Hello again?' } });
    assert.equal(refused.status, 502);
    assert.match(String(refused.body.error), /refused our credentials \(401 invalid_api_key\)/);
    fake.failNext({ status: 500, message: 'The server had an error while processing your request.' });
    const failed = await callJson(T, `/sessions/${s.id}/end`, learner, { method: 'POST' });
    assert.equal(failed.status, 502);
    assert.match(String(failed.body.error), /failed \(500 server_error\)/);
    const still = await callJson(T, `/sessions/${s.id}`, learner);
    assert.equal((still.body.session as Session).status, 'active', 'a failed report leaves the session open to end again');
    assert.deepEqual(still.body.messages, [], 'a refused reply stores nothing: the learner says it again');
  });

  test('a learner cannot file a session under an organisation they do not belong to', async () => {
    const stranger = await createUser('stranger');
    const { status, body } = await callJson(T, '/sessions', stranger, { body: { category: 'retail-sales', difficulty: 'basic', duration_minutes: 5, organization_id: org } });
    assert.equal(status, 403);
    assert.match(String(body.error), /member/);
  });

  test('the anon key is refused: the trainer acts for a signed-in learner', async () => {
    assert.equal((await callJson(T, '/catalog', null)).status, 401);
  });
});
