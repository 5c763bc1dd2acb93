import assert from 'node:assert/strict';
import { classify, describeFailure, resendMailer } from './resend.ts';
import { FAKE_KEY, startFakeResend } from './testing/fake_resend.ts';

const email = { from: 'Ascend <a@example.com>', to: ['b@example.com'], subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' };

Deno.test("sends through the SDK in Resend's wire format: bearer key, Idempotency-Key, JSON body", async () => {
  const fake = startFakeResend();
  try {
    const out = await resendMailer({ apiKey: FAKE_KEY, baseUrl: fake.url }).send(email, 'notification:1');
    assert.equal(out.ok, true);
    const [req] = fake.requests;
    assert.equal(req!.path, '/emails');
    assert.equal(req!.authorization, `Bearer ${FAKE_KEY}`);
    assert.equal(req!.idempotencyKey, 'notification:1');
    assert.deepEqual(
      {
        from: req!.body.from,
        to: req!.body.to,
        subject: req!.body.subject,
        html: req!.body.html,
        text: req!.body.text,
      },
      email,
    );
    assert.deepEqual(out, { ok: true, id: fake.delivered[0]!.id });
  } finally {
    await fake.close();
  }
});

Deno.test('the same key and payload twice is one e-mail with one id', async () => {
  const fake = startFakeResend();
  try {
    const m = resendMailer({ apiKey: FAKE_KEY, baseUrl: fake.url });
    const a = await m.send(email, 'k');
    const b = await m.send(email, 'k');
    assert.deepEqual(a, b);
    assert.equal(fake.delivered.length, 1);
  } finally {
    await fake.close();
  }
});

Deno.test("errors are classified from Resend's error body", async () => {
  const fake = startFakeResend();
  try {
    const m = resendMailer({ apiKey: FAKE_KEY, baseUrl: fake.url });
    fake.failNext(1, 500, 'internal_server_error', 'boom');
    const out = await m.send(email, 'k1');
    assert.deepEqual(out, {
      ok: false,
      kind: 'transient',
      status: 500,
      name: 'internal_server_error',
      message: 'boom',
    });
    assert.equal(
      describeFailure(out as Exclude<typeof out, { ok: true }>),
      'Resend returned 500 internal_server_error: boom',
    );
    const bad = await resendMailer({ apiKey: 're_wrong', baseUrl: fake.url }).send(email, 'k2');
    assert.deepEqual(bad, {
      ok: false,
      kind: 'rejected',
      status: 403,
      name: 'validation_error',
      message: 'API key is invalid',
    });
    await m.send(email, 'k3');
    const reused = await m.send({ ...email, subject: 'changed' }, 'k3');
    assert.equal(reused.ok === false && reused.kind, 'duplicate');
  } finally {
    await fake.close();
  }
});

Deno.test('an unreachable Resend is "unavailable"', async () => {
  const out = await resendMailer({ apiKey: FAKE_KEY, baseUrl: 'http://127.0.0.1:9' }).send(email, 'k');
  assert.equal(out.ok === false && out.kind, 'unavailable');
  assert.match(describeFailure(out as Exclude<typeof out, { ok: true }>), /^Resend is unreachable/);
});

Deno.test('classify', () => {
  assert.equal(classify(null, 'application_error'), 'unavailable');
  assert.equal(classify(429, 'rate_limit_exceeded'), 'transient');
  assert.equal(classify(409, 'concurrent_idempotent_requests'), 'transient');
  assert.equal(classify(409, 'invalid_idempotent_request'), 'duplicate');
  assert.equal(classify(422, 'validation_error'), 'rejected');
  assert.equal(classify(503, 'application_error'), 'transient');
});
