// Benchmark: time to the first streamed token of the AI customer, through the gateway and the
// ai-trainer function, against the fake OpenAI-compatible provider's own time to first token
// measured directly by the same client. The difference is what Ascend adds per reply: JWT check,
// the function's session checks and transcript writes/reads through /rest/v1, prompt building,
// one more HTTP hop and SSE re-encoding.
//
// Run against a running instance: npm run bench -- ai
// Knobs: BENCH_REQUESTS (default 100), BENCH_WARMUP (default 10), BENCH_LATENCY_MS (the fake's
// delay before answering, default 25), BENCH_CHUNK_DELAY_MS (between chunks, default 5).
// The instance's functions.env is pointed at the fake for the run and restored after.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeProvider } from '../../functions/_shared/ai/fake_provider.ts';
import { instance } from '../../stack/src/config.ts';
import { testClient } from '../support/client.ts';
import { env } from '../support/env.ts';
import { accessToken } from '../support/tokens.ts';
import { percentile } from './measure.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 25);
const CHUNK_DELAY = Number(process.env.BENCH_CHUNK_DELAY_MS ?? 5);
const PER_SESSION = 20;

const url = new URL(env.SUPABASE_URL);
if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname)) throw new Error(`refusing to benchmark a non-loopback host: ${url.hostname}`);

/** ms from sending `req` to the first SSE event for which `isToken` holds; the rest is drained. */
async function timeToFirstToken(send: () => Promise<Response>, isToken: (data: string) => boolean): Promise<number> {
  const t0 = performance.now();
  const res = await send();
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let first: number | undefined;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let i: number;
    while ((i = buffer.indexOf('\n\n')) >= 0) {
      const data = buffer.slice(0, i).replace(/^data: /, '');
      buffer = buffer.slice(i + 2);
      if (first === undefined && isToken(data)) first = performance.now() - t0;
    }
  }
  if (first === undefined) throw new Error('the stream ended without a token');
  return first;
}

const envFile = join(instance(process.env.STACK_INSTANCE ?? 'dev').dir, 'functions.env');
const previous = existsSync(envFile) ? readFileSync(envFile, 'utf8') : undefined;
const reply = 'Well, I like what I hear, but the price still worries me. What exactly is included in it?';
const fake = await startFakeProvider({ latencyMs: LATENCY, chunkDelayMs: CHUNK_DELAY, chunkSize: 4, respond: () => reply });

try {
  writeFileSync(envFile, `AI_BASE_URL=${fake.url}\nAI_API_KEY=${fake.apiKey}\nAI_MODEL=bench-model\n`);
  const service = testClient(env.SERVICE_ROLE_KEY);
  const email = `bench-ai-${randomUUID().slice(0, 8)}@example.test`;
  const created = await service.auth.admin.createUser({ email, password: `pw-${randomUUID()}`, email_confirm: true });
  if (created.error) throw created.error;
  const token = await accessToken({ sub: created.data.user!.id, email });
  const headers = { apikey: env.ANON_KEY, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const fn = `${env.SUPABASE_URL}/functions/v1/ai-trainer`;

  let session = '';
  let used = PER_SESSION;
  const viaGateway = async () => {
    if (used >= PER_SESSION) {
      const res = await fetch(`${fn}/sessions`, { method: 'POST', headers, body: JSON.stringify({ category: 'sales-objections', difficulty: 'expert', duration_minutes: 30 }) });
      if (res.status !== 201) throw new Error(`cannot start a session: ${res.status} ${await res.text()}`);
      session = ((await res.json()) as { session: { id: string } }).session.id;
      used = 0;
    }
    used++;
    return timeToFirstToken(
      () => fetch(`${fn}/sessions/${session}/messages`, { method: 'POST', headers, body: JSON.stringify({ content: 'I understand. What matters most to you in a system like this?' }) }),
      (d) => d.startsWith('{"type":"delta"'),
    );
  };
  const direct = () =>
    timeToFirstToken(
      () => fetch(`${fake.url}/chat/completions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${fake.apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'bench-model', stream: true, messages: [{ role: 'user', content: 'hello' }] }),
      }),
      (d) => d !== '[DONE]' && Boolean((JSON.parse(d) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content),
    );

  const gateway: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < WARMUP; i++) {
    await viaGateway();
    await direct();
  }
  // Interleaved, so both see the same machine load.
  for (let i = 0; i < REQUESTS; i++) {
    gateway.push(await viaGateway());
    baseline.push(await direct());
  }
  gateway.sort((a, b) => a - b);
  baseline.sort((a, b) => a - b);
  const row = (name: string, xs: number[]) =>
    `| ${name.padEnd(46)} | ${String(xs.length).padStart(4)} | ${percentile(xs, 50).toFixed(1).padStart(7)} | ${percentile(xs, 95).toFixed(1).padStart(7)} | ${percentile(xs, 99).toFixed(1).padStart(7)} |`;
  console.log(`\nTime to first streamed token (ms), fake provider latency ${LATENCY} ms, ${CHUNK_DELAY} ms between chunks, sequential\n`);
  console.log(`| ${'path'.padEnd(46)} |    n |  median |     p95 |     p99 |`);
  console.log(`|${'-'.repeat(48)}|------|---------|---------|---------|`);
  console.log(row('baseline: client -> fake provider', baseline));
  console.log(row('client -> gateway -> ai-trainer -> fake', gateway));
  console.log(`\noverhead (median of gateway - median of baseline): ${(percentile(gateway, 50) - percentile(baseline, 50)).toFixed(1)} ms; ` +
    `ratio ${(percentile(gateway, 50) / percentile(baseline, 50)).toFixed(2)}x; p95 overhead ${(percentile(gateway, 95) - percentile(baseline, 95)).toFixed(1)} ms`);
} finally {
  if (previous === undefined) rmSync(envFile, { force: true });
  else writeFileSync(envFile, previous);
  await fake.close();
}
