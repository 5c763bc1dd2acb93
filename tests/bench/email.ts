// Benchmark: e-mails sent per second from the outbox by the send-email edge function, against a
// baseline of direct POSTs to the same Resend sink, side by side, on loopback.
//   outbox:   BENCH_EMAILS welcome e-mails are queued in email_outbox, then BENCH_CALLS concurrent
//             POSTs to /functions/v1/send-email drain them (claim → render → Resend SDK → sink →
//             complete, per row). Throughput is e-mails / wall time of the calls; per-e-mail
//             latency is what the function measured for each row (render, send, complete).
//   baseline: the same number of POST /resend/v1/emails straight to the sink, BENCH_CONCURRENCY
//             at once (the function's default SEND_EMAIL_CONCURRENCY is 8 per call).
// The job ascend-send-email is paused during the run; the queued rows are deleted afterwards (the
// sink keeps the e-mails it received, as it keeps every e-mail).
//
// Run against a running instance: npm run bench -- email
// Knobs: BENCH_EMAILS (default 1000), BENCH_CALLS (default 2), BENCH_CONCURRENCY (default 8).
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { env } from '../support/env.ts';
import { percentile } from './measure.ts';

const EMAILS = Number(process.env.BENCH_EMAILS ?? 1000);
const CALLS = Number(process.env.BENCH_CALLS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const url = new URL(env.SUPABASE_URL);
if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname)) throw new Error(`refusing to benchmark a non-loopback host: ${url.hostname}`);

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        agent,
        headers: { Authorization: `Bearer ${env.SERVICE_ROLE_KEY}`, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(data)), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const Report = z.object({ sent: z.number(), failed: z.number(), results: z.array(z.object({ duration_ms: z.number(), status: z.string() })) });

function line(label: string, n: number, seconds: number, lat: number[]): string {
  lat.sort((a, b) => a - b);
  const f = (x: number) => x.toFixed(2).padStart(8);
  return `${label.padEnd(34)} ${String(n).padStart(6)} ${(n / seconds).toFixed(1).padStart(9)} ${f(percentile(lat, 50))} ${f(percentile(lat, 95))} ${f(percentile(lat, 99))}`;
}

const db = new pg.Client({ connectionString: env.DB_URL });
await db.connect();
const run = randomBytes(4).toString('hex');
await db.query(`select cron.alter_job(jobid, active := false) from cron.job where jobname = 'ascend-send-email'`);
try {
  // Warm-up: the function's process, its npm modules and the connections.
  await post('/functions/v1/send-email', { max: 10_000 });
  const warm = `bench-${run}-warm@example.com`;
  await post('/resend/v1/emails', { from: 'Ascend <bench@example.com>', to: [warm], subject: 'warm', text: 'warm' });

  await db.query(
    `insert into public.email_outbox (kind, recipient, template, template_data, idempotency_key)
     select 'system', format('bench-%s-%s@example.com', $1::text, i), 'welcome', jsonb_build_object('display_name', 'Learner ' || i), format('bench:%s:%s', $1::text, i)
     from generate_series(1, $2::int) i`,
    [run, EMAILS],
  );
  const started = performance.now();
  const answers = await Promise.all(Array.from({ length: CALLS }, () => post('/functions/v1/send-email', { limit: 100, max: 10_000 })));
  const outboxSeconds = (performance.now() - started) / 1000;
  const perEmail: number[] = [];
  let sent = 0;
  for (const a of answers) {
    if (a.status !== 200) throw new Error(`send-email answered ${a.status}: ${a.text.slice(0, 300)}`);
    const r = Report.parse(JSON.parse(a.text));
    sent += r.sent;
    for (const x of r.results) perEmail.push(x.duration_ms);
  }
  const { rows } = await db.query<{ n: string }>(`select count(*) as n from public.email_outbox where idempotency_key like $1 and status = 'sent'`, [`bench:${run}:%`]);
  if (Number(rows[0]!.n) !== EMAILS) throw new Error(`only ${rows[0]!.n} of ${EMAILS} bench e-mails were sent`);

  // Baseline: the same e-mails straight to the sink.
  const html = '<p>Welcome to Ascend</p>'.repeat(40);
  const direct: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < EMAILS) {
        const i = ++next;
        const t = performance.now();
        const r = await post('/resend/v1/emails', { from: 'Ascend <bench@example.com>', to: [`bench-${run}-direct-${i}@example.com`], subject: 'Welcome to Ascend', html, text: 'Welcome' }, { 'Idempotency-Key': `bench-direct:${run}:${i}` });
        if (r.status !== 200) throw new Error(`sink answered ${r.status}: ${r.text}`);
        direct.push(performance.now() - t);
      }
    }),
  );
  const directSeconds = (performance.now() - t0) / 1000;

  console.log(`e-mail: ${EMAILS} e-mails, ${CALLS} concurrent send-email call(s), baseline concurrency ${CONCURRENCY}`);
  console.log(`${'case'.padEnd(34)} ${'emails'.padStart(6)} ${'emails/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
  console.log(line('outbox → send-email → Resend sink', sent, outboxSeconds, perEmail));
  console.log(line('baseline: POST /resend/v1/emails', EMAILS, directSeconds, direct));
  console.log(`ratio (outbox / baseline throughput): ${((sent / outboxSeconds) / (EMAILS / directSeconds)).toFixed(2)}`);
} finally {
  await db.query(`delete from public.email_outbox where idempotency_key like $1`, [`bench:${run}:%`]);
  await db.query(`select cron.alter_job(jobid, active := true) from cron.job where jobname = 'ascend-send-email'`);
  await db.end();
  agent.destroy();
}
