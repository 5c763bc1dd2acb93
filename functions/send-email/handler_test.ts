import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { createHandler, defaultRate, type Deps } from './handler.ts';
import { resendMailer } from './resend.ts';
import { FAKE_KEY, startFakeResend } from './testing/fake_resend.ts';
import { MemoryOutbox } from './testing/memory_outbox.ts';

const secret = new TextEncoder().encode('test-secret-test-secret-test-secret!');
const token = (role: string) => new SignJWT({ role }).setProtectedHeader({ alg: 'HS256' }).sign(secret);
const post = async (body: unknown, role = 'service_role') =>
  new Request('http://localhost/send-email', {
    method: 'POST',
    headers: { Authorization: `Bearer ${await token(role)}`, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

function deps(outbox: MemoryOutbox, url: string | undefined): () => Deps {
  return () => ({
    outbox,
    mailer: url ? resendMailer({ apiKey: FAKE_KEY, baseUrl: url }) : undefined,
    from: 'Ascend <no-reply@example.com>',
    appUrl: 'https://app.example.com',
    concurrency: 4,
  });
}

Deno.test('OPTIONS, methods and callers', async () => {
  const h = createHandler(deps(new MemoryOutbox(), undefined));
  const pre = await h(new Request('http://localhost/send-email', { method: 'OPTIONS' }));
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
  await pre.body?.cancel();
  assert.equal((await h(new Request('http://localhost/send-email'))).status, 405);
  const anon = await h(await post({}, 'anon'));
  assert.equal(anon.status, 403);
  assert.match((await anon.json()).error, /needs the service_role key/);
  assert.equal((await h(await post('{nope'))).status, 400);
  const bad = await h(await post({ limit: 0 }));
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).issues[0].path, 'limit');
});

Deno.test('without RESEND_API_KEY it answers 503 and names the setting', async () => {
  const res = await createHandler(deps(new MemoryOutbox(), undefined))(await post({}));
  assert.equal(res.status, 503);
  assert.match((await res.json()).error, /RESEND_API_KEY is not set/);
});

Deno.test('drains and reports; a one-off e-mail is queued, then sent, once per key', async () => {
  const fake = startFakeResend();
  try {
    const outbox = new MemoryOutbox();
    outbox.add({ template: 'welcome', template_data: { display_name: 'Ada' } });
    const h = createHandler(deps(outbox, fake.url));
    const res = await h(await post({}));
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual([body.claimed, body.sent, body.failed], [1, 1, 0]);
    const one = {
      email: {
        to: 'Grace@Example.com',
        template: 'welcome',
        data: { display_name: 'Grace' },
        idempotency_key: 'welcome:grace',
      },
    };
    const first = await (await h(await post(one))).json();
    assert.deepEqual([first.queued, first.sent], [true, 1]);
    const again = await (await h(await post(one))).json();
    assert.deepEqual([again.queued, again.claimed], [false, 0]);
    assert.deepEqual(fake.delivered.map((d) => d.body.to), [['learner1@example.com'], ['grace@example.com']]);
    const unknown = await h(await post({ email: { to: 'a@b.co', template: 'nope' } }));
    assert.equal(unknown.status, 400);
  } finally {
    await fake.close();
  }
});

Deno.test('a provider failure answers 502 naming Resend; unreachable answers 503', async () => {
  const fake = startFakeResend();
  try {
    const outbox = new MemoryOutbox();
    outbox.add({ template: 'welcome', template_data: {} });
    fake.failNext(1, 500, 'internal_server_error', 'boom');
    const res = await createHandler(deps(outbox, fake.url))(await post({}));
    assert.equal(res.status, 502);
    const body = await res.json();
    assert.equal(body.error, 'Cannot send email: Resend returned 500 internal_server_error: boom');
    assert.equal(body.failed, 1);
    outbox.now += 60_000;
    const down = await createHandler(deps(outbox, 'http://127.0.0.1:9'))(await post({}));
    assert.equal(down.status, 503);
    assert.match((await down.json()).error, /Resend is unreachable/);
  } finally {
    await fake.close();
  }
});

Deno.test('Resend itself is paced at its default 2 requests per second; a sink is not', () => {
  assert.equal(defaultRate(undefined), 2);
  assert.equal(defaultRate('https://api.resend.com'), 2);
  assert.equal(defaultRate('http://127.0.0.1:54321/resend/v1'), 0);
});
