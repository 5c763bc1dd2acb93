// send-email end to end on the local stack: an invitation (a real event: invite_to_organization)
// queues an outbox row in its transaction; the edge function, called through the gateway, sends it
// through the Resend SDK to the local Resend sink (/resend/v1) exactly once, even when two calls
// race; a provider failure answers 502 naming Resend and leaves the row to retry with backoff; the
// job's own path (pg_cron → net.http_post with the Vault secrets → function) delivers too.
// The job ascend-send-email is paused while this file runs, so that only these calls drain.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll as after, beforeAll as before, test } from 'vitest';
import pg from 'pg';
import { z } from 'zod';
import { testClient } from '../support/client.ts';
import { env } from '../support/env.ts';

const db = new pg.Client({ connectionString: env.DB_URL });
const admin = testClient(env.SERVICE_ROLE_KEY, env.SERVICE_ROLE_KEY);
const FN = `${env.SUPABASE_URL}/functions/v1/send-email`;
const SINK = `${env.SUPABASE_URL}/resend/v1`;
const slug = `mail-${randomBytes(4).toString('hex')}`;
let org = '';

const SinkEmail = z.object({ id: z.string(), to: z.array(z.string()), subject: z.string(), html: z.string().nullable(), text: z.string().nullable(), idempotency_key: z.string().nullable() });
const Report = z.object({ claimed: z.number(), sent: z.number(), failed: z.number(), error: z.string().optional(), results: z.array(z.object({ id: z.number(), status: z.string() }).passthrough()) });

const address = (tag: string) => `${tag}-${randomBytes(4).toString('hex')}@example.com`;

async function drain(body: unknown = {}, key = env.SERVICE_ROLE_KEY): Promise<{ status: number; report: z.infer<typeof Report> }> {
  const res = await fetch(FN, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  const parsed = Report.safeParse(JSON.parse(text));
  assert.ok(parsed.success, `send-email answered ${res.status} ${text}`);
  return { status: res.status, report: parsed.data };
}

async function sinkEmails(to: string): Promise<z.infer<typeof SinkEmail>[]> {
  const res = await fetch(`${SINK}/emails?to=${encodeURIComponent(to)}`, { headers: { apikey: env.SERVICE_ROLE_KEY } });
  assert.equal(res.status, 200);
  return z.object({ data: z.array(SinkEmail) }).parse(await res.json()).data;
}

async function invite(email: string): Promise<{ id: number; idempotency_key: string }> {
  const { error } = await admin.rpc('invite_to_organization', { p_organization: org, p_email: email, p_role: 'instructor' });
  assert.equal(error, null);
  const row = await admin.from('email_outbox').select('id, idempotency_key, template, status').eq('recipient', email).single();
  assert.equal(row.error, null);
  assert.deepEqual({ template: row.data!.template, status: row.data!.status }, { template: 'invitation', status: 'queued' }, 'queued in the invitation\'s transaction');
  return row.data!;
}

const outboxRow = async (id: number) =>
  (await db.query<{ status: string; attempts: number; last_error: string | null; provider_message_id: string | null; retry_in_s: number }>(
    `select status::text, attempts, last_error, provider_message_id, extract(epoch from next_attempt_at - now())::float8 as retry_in_s
     from public.email_outbox where id = $1`, [id])).rows[0]!;

async function waitFor<T>(get: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  await db.connect();
  await db.query(`select cron.alter_job(jobid, active := false) from cron.job where jobname = 'ascend-send-email'`);
  // Whatever other suites queued goes now, so that no earlier call is still draining later.
  await drain({ max: 10_000 });
  const { rows } = await db.query<{ id: string }>(`insert into public.organizations (slug, name) values ($1, 'Mail <Test> & Co') returning id`, [slug]);
  org = rows[0]!.id;
});

after(async () => {
  await fetch(`${SINK}/sink/faults`, { method: 'DELETE', headers: { apikey: env.SERVICE_ROLE_KEY } }).catch(() => undefined);
  await db.query(`select cron.alter_job(jobid, active := true) from cron.job where jobname = 'ascend-send-email'`).catch(() => undefined);
  await db.query('delete from public.organizations where id = $1', [org]).catch(() => undefined);
  await db.end();
});

test('an invitation becomes exactly one e-mail in the sink, even when send-email is called twice at once', async () => {
  const to = address('invitee');
  const row = await invite(to);
  const [a, b] = await Promise.all([drain(), drain()]);
  assert.deepEqual([a.status, b.status], [200, 200]);
  const mine = [...a.report.results, ...b.report.results].filter((r) => r.id === row.id);
  assert.deepEqual(mine.map((r) => r.status), ['sent'], 'one of the two calls claimed and sent it');

  const emails = await sinkEmails(to);
  assert.equal(emails.length, 1);
  const [email] = emails;
  assert.equal(email!.subject, 'You are invited to join Mail <Test> & Co on Ascend');
  assert.equal(email!.idempotency_key, row.idempotency_key, 'sent with the outbox key as Idempotency-Key');
  assert.match(email!.html!, /Join Mail &lt;Test&gt; &amp; Co/, 'data escaped in HTML');
  assert.match(email!.text!, /invited you to Mail <Test> & Co as instructor\./);

  const done = await outboxRow(row.id);
  assert.deepEqual({ status: done.status, attempts: done.attempts, provider_message_id: done.provider_message_id }, { status: 'sent', attempts: 1, provider_message_id: email!.id });
  const byId = await fetch(`${SINK}/emails/${email!.id}`, { headers: { Authorization: `Bearer ${env.SERVICE_ROLE_KEY}` } });
  assert.equal(SinkEmail.parse(await byId.json()).id, email!.id, 'GET /emails/:id, as the SDK reads it');

  await drain();
  assert.equal((await sinkEmails(to)).length, 1, 'a later call sends nothing again');
});

test('a provider failure answers 502 naming Resend and leaves the row retrying with backoff; the retry sends it once', async () => {
  const to = address('bounce');
  const fault = await fetch(`${SINK}/sink/faults`, {
    method: 'POST',
    headers: { apikey: env.SERVICE_ROLE_KEY, 'Content-Type': 'application/json' },
    body: JSON.stringify({ to, status: 500, name: 'internal_server_error', message: 'sink told to fail', times: 1 }),
  });
  assert.equal(fault.status, 200);
  const row = await invite(to);

  const failed = await drain();
  assert.equal(failed.status, 502);
  assert.equal(failed.report.error, 'Cannot send email: Resend returned 500 internal_server_error: sink told to fail');
  const retrying = await outboxRow(row.id);
  assert.equal(retrying.status, 'queued');
  assert.equal(retrying.attempts, 1);
  assert.equal(retrying.last_error, 'Cannot send email: Resend returned 500 internal_server_error: sink told to fail');
  assert.ok(retrying.retry_in_s > 30 && retrying.retry_in_s <= 60, `next attempt in about a minute (${retrying.retry_in_s} s)`);
  assert.equal((await sinkEmails(to)).length, 0);

  await db.query('update public.email_outbox set next_attempt_at = now() where id = $1', [row.id]);
  const retried = await drain();
  assert.equal(retried.status, 200);
  const sent = await outboxRow(row.id);
  assert.deepEqual({ status: sent.status, attempts: sent.attempts, last_error: sent.last_error }, { status: 'sent', attempts: 2, last_error: null });
  assert.equal((await sinkEmails(to)).length, 1);
});

test('the job\'s path: pg_cron\'s function posts to send-email with the Vault secrets the gateway wrote', async () => {
  const { rows } = await db.query<{ name: string; value: string }>(
    `select name, decrypted_secret as value from vault.decrypted_secrets where name in ('project_url', 'service_role_key') order by name`);
  assert.deepEqual(rows, [{ name: 'project_url', value: env.SUPABASE_URL }, { name: 'service_role_key', value: env.SERVICE_ROLE_KEY }]);
  const to = address('cron');
  await invite(to);
  const request = await db.query<{ id: string | null }>('select private.send_queued_emails() as id');
  assert.notEqual(request.rows[0]!.id, null, 'a due e-mail: the job posts');
  const [email] = await waitFor(async () => ((await sinkEmails(to)).length ? sinkEmails(to) : undefined), 'the e-mail sent by the job');
  assert.match(email!.subject, /^You are invited to join/);
});

test('only the service role may call it', async () => {
  const res = await fetch(FN, { method: 'POST', headers: { Authorization: `Bearer ${env.ANON_KEY}` }, body: '{}' });
  assert.equal(res.status, 403);
  assert.deepEqual(await res.json(), { error: 'Cannot send email: send-email needs the service_role key' });
  const none = await fetch(FN, { method: 'POST', body: '{}' });
  assert.equal(none.status, 401, 'verify_jwt: no token, no call');
  await none.body?.cancel();
});
