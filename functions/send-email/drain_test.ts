import assert from 'node:assert/strict';
import { drainOutbox, mapLimited, pacer } from './drain.ts';
import { resendMailer } from './resend.ts';
import { FAKE_KEY, startFakeResend } from './testing/fake_resend.ts';
import { MemoryOutbox } from './testing/memory_outbox.ts';
import { SAMPLES } from './testing/samples.ts';

function setup() {
  const fake = startFakeResend();
  const outbox = new MemoryOutbox();
  const options = {
    outbox,
    mailer: resendMailer({ apiKey: FAKE_KEY, baseUrl: fake.url }),
    from: 'Ascend <no-reply@example.com>',
    appUrl: 'https://app.example.com',
    batchSize: 10,
    concurrency: 4,
    budgetMs: 10_000,
    maxEmails: 1000,
    ratePerSecond: 0,
  };
  return { fake, outbox, options };
}

Deno.test('drains every due row once, recording the provider id, with the row key as Idempotency-Key', async () => {
  const { fake, outbox, options } = setup();
  try {
    for (let i = 0; i < 25; i++) outbox.add({ template: 'welcome', template_data: { display_name: `L${i}` } });
    outbox.add({ template: 'welcome', template_data: {}, idempotency_key: 'later' }).next_attempt_at = outbox.now +
      3_600_000;
    const report = await drainOutbox(options);
    assert.deepEqual([report.claimed, report.sent, report.failed], [25, 25, 0]);
    assert.equal(fake.delivered.length, 25);
    for (const row of outbox.rows.slice(0, 25)) {
      assert.equal(row.status, 'sent');
      const req = fake.requests.find((r) => r.idempotencyKey === row.idempotency_key)!;
      assert.deepEqual(req.body.to, [row.recipient]);
      assert.equal(
        row.provider_message_id,
        fake.delivered.find((d) => (d.body.to as string[])[0] === row.recipient)!.id,
      );
    }
    assert.equal(outbox.rows[25]!.status, 'queued', 'not due yet (quiet hours): not sent');
    assert.equal((await drainOutbox(options)).claimed, 0);
  } finally {
    await fake.close();
  }
});

Deno.test('a provider failure leaves the row queued with backoff and ends the run', async () => {
  const { fake, outbox, options } = setup();
  try {
    for (let i = 0; i < 3; i++) outbox.add({ template: 'level_up', template_data: SAMPLES.level_up! });
    fake.failNext(100, 500, 'internal_server_error', 'down for maintenance');
    const report = await drainOutbox({ ...options, concurrency: 1, batchSize: 1 });
    assert.equal(report.claimed, 1, 'stops after the first failed batch');
    assert.ok(report.results[0]!.duration_ms >= 0);
    assert.deepEqual({ ...report.results[0], duration_ms: 0 }, {
      id: 1,
      duration_ms: 0,
      status: 'retrying',
      reason: 'provider',
      error: 'Cannot send email: Resend returned 500 internal_server_error: down for maintenance',
    });
    const row = outbox.rows[0]!;
    assert.equal(row.status, 'queued');
    assert.equal(row.attempts, 1);
    assert.equal(row.next_attempt_at, outbox.now + 60_000);
    assert.match(row.last_error!, /Resend returned 500/);
  } finally {
    await fake.close();
  }
});

Deno.test('after a 429 the rest of the batch is not tried but released, keeping its attempt', async () => {
  const { fake, outbox, options } = setup();
  try {
    for (let i = 0; i < 5; i++) outbox.add({ template: 'welcome', template_data: {} });
    fake.failNext(1, 429, 'rate_limit_exceeded', 'Too many requests. You can only make 2 requests per second.');
    const report = await drainOutbox({ ...options, concurrency: 1 });
    assert.deepEqual([report.claimed, report.sent, report.failed, report.released], [5, 0, 1, 4]);
    assert.equal(fake.requests.length, 1, 'one request, then no more');
    assert.deepEqual(outbox.rows.map((r) => [r.status, r.attempts]), [['queued', 1], ['queued', 0], ['queued', 0], [
      'queued',
      0,
    ], [
      'queued',
      0,
    ]]);
  } finally {
    await fake.close();
  }
});

Deno.test('a rejected e-mail (422) does not stop the others', async () => {
  const { fake, outbox, options } = setup();
  try {
    for (let i = 0; i < 3; i++) outbox.add({ template: 'welcome', template_data: {} });
    fake.failNext(1, 422, 'validation_error', 'Invalid `to` field.');
    const report = await drainOutbox({ ...options, concurrency: 1 });
    assert.deepEqual([report.sent, report.failed, report.released], [2, 1, 0]);
  } finally {
    await fake.close();
  }
});

Deno.test('the pacer spaces sends to the rate', async () => {
  const pace = pacer(50);
  const t0 = performance.now();
  for (let i = 0; i < 6; i++) await pace();
  const elapsed = performance.now() - t0;
  assert.ok(elapsed >= 95, `6 calls at 50/s take at least 100 ms (${elapsed})`);
  const free = pacer(0);
  const t1 = performance.now();
  for (let i = 0; i < 100; i++) await free();
  assert.ok(performance.now() - t1 < 50);
});

Deno.test('a crash between send and complete does not send twice: the reclaim replays the key', async () => {
  const { fake, outbox, options } = setup();
  try {
    const row = outbox.add({ template: 'achievement', template_data: SAMPLES.achievement! });
    outbox.failComplete = true;
    await assert.rejects(drainOutbox(options), /connection lost/);
    assert.equal(fake.delivered.length, 1);
    assert.equal(row.status, 'sending');
    outbox.failComplete = false;
    assert.equal((await drainOutbox(options)).claimed, 0, 'a claim is not reclaimable at once');
    outbox.now += 10 * 60_000 + 1;
    const report = await drainOutbox(options);
    assert.equal(report.sent, 1);
    assert.equal(fake.requests.length, 2, 'sent again to the provider...');
    assert.equal(fake.delivered.length, 1, '...which delivered it once');
    assert.equal(row.provider_message_id, fake.delivered[0]!.id);
    assert.equal(row.attempts, 2);
  } finally {
    await fake.close();
  }
});

Deno.test('a key already used with another payload counts as sent, without an id', async () => {
  const { fake, outbox, options } = setup();
  try {
    const row = outbox.add({ template: 'welcome', template_data: { display_name: 'A' }, idempotency_key: 'k' });
    fake.failNext(1, 409, 'invalid_idempotent_request', 'Same idempotency key used with a different request payload.');
    const report = await drainOutbox(options);
    assert.deepEqual(report.results.map((r) => ({ ...r, duration_ms: 0 })), [
      { id: row.id, duration_ms: 0, status: 'sent', provider_message_id: null },
    ]);
    assert.equal(row.status, 'sent');
  } finally {
    await fake.close();
  }
});

Deno.test('a row whose template cannot render is retried, and the others still go out', async () => {
  const { fake, outbox, options } = setup();
  try {
    outbox.add({ template: 'nope', template_data: {} });
    outbox.add({ template: 'welcome', template_data: {} });
    const report = await drainOutbox(options);
    assert.equal(report.sent, 1);
    assert.equal(report.results[0]!.status === 'retrying' && report.results[0]!.reason, 'template');
    assert.equal(outbox.rows[0]!.status, 'queued');
    assert.match(outbox.rows[0]!.last_error!, /unknown template "nope"/);
  } finally {
    await fake.close();
  }
});

Deno.test('mapLimited keeps order and the limit', async () => {
  let inFlight = 0;
  let peak = 0;
  const out = await mapLimited([1, 2, 3, 4, 5, 6], 2, async (n) => {
    peak = Math.max(peak, ++inFlight);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    return n * 2;
  });
  assert.deepEqual(out, [2, 4, 6, 8, 10, 12]);
  assert.equal(peak, 2);
});
