// The gateway outlives its database: `kill -9` of the postmaster while 20 request loops run.
// The gateway process stays up; while Postgres is down REST, auth and storage answer 503 in their
// own shapes and a private Realtime join is refused with Realtime's reason; once the stack's own
// `start` brings Postgres back, every service answers 200 again without a gateway restart.
// Prints the figures (outage, recovery, answers by status) as a TAP diagnostic.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { instance } from '../../stack/src/config.ts';
import { gatewayPid } from '../../stack/src/gateway-process.ts';
import { start } from '../../stack/src/stack.ts';
// realtime-js's 10 s timers, unref'd there, would otherwise hold this file open after its test.
import '../realtime/support.ts';
import { testClient } from '../support/client.ts';
import { env } from '../support/env.ts';

const LOOPS = 20;
const service = { apikey: env.SERVICE_ROLE_KEY, Authorization: `Bearer ${env.SERVICE_ROLE_KEY}` };

/** One cheap read per service, each through the database. */
const PROBES = {
  rest: { path: '/rest/v1/exams?select=id&limit=1', headers: service },
  auth: { path: '/auth/v1/admin/users?page=1&per_page=1', headers: service },
  storage: { path: '/storage/v1/bucket', headers: service },
} as const;
type Service = keyof typeof PROBES;
const SERVICES = Object.keys(PROBES) as Service[];

interface Answer {
  service: Service;
  at: number;
  status: number;
  body: Record<string, unknown> | undefined;
}

async function probe(s: Service): Promise<Answer> {
  const { path, headers } = PROBES[s];
  try {
    const r = await fetch(`${env.SUPABASE_URL}${path}`, { headers, signal: AbortSignal.timeout(15_000) });
    const text = await r.text();
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    return { service: s, at: Date.now(), status: r.status, body };
  } catch {
    // No HTTP answer at all: the gateway is gone or the connection broke.
    return { service: s, at: Date.now(), status: 0, body: undefined };
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The realtime join of a private channel, which needs the database to authorize it. */
async function privateJoin(): Promise<{ status: string; reason?: string }> {
  const c = testClient(env.ANON_KEY, env.SERVICE_ROLE_KEY);
  void c.realtime.setAuth(env.SERVICE_ROLE_KEY);
  const channel = c.channel(`outage-${Date.now()}`, { config: { private: true } });
  try {
    return await new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ status: 'TEST_TIMEOUT' }), 10_000);
      channel.subscribe((status, err) => {
        clearTimeout(timer);
        resolve({ status, ...(err ? { reason: err.message } : {}) });
      });
    });
  } finally {
    await c.removeAllChannels().catch(() => undefined);
    c.realtime.disconnect();
  }
}

describe('kill -9 of the postmaster under load', () => {
  test('the gateway stays up, answers 503 in each service shape, and recovers when Postgres is back', { timeout: 90_000 }, async (t) => {
    if (!process.env.STACK_INSTANCE) return t.skip('needs the instance under test (STACK_INSTANCE), as npm test sets it');
    const inst = instance(process.env.STACK_INSTANCE);
    const gateway = gatewayPid(inst);
    assert.ok(gateway, 'the gateway of the instance under test is running');

    const answers: Answer[] = [];
    let running = true;
    const loops = Array.from({ length: LOOPS }, async (_, i) => {
      for (let n = 0; running; n++) {
        answers.push(await probe(SERVICES[(i + n) % SERVICES.length]!));
        await sleep(10);
      }
    });

    try {
      await sleep(1000);
      assert.ok(answers.length > 0 && answers.every((a) => a.status === 200), 'everything answers 200 before the kill');

      const postmaster = Number(readFileSync(join(inst.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      assert.ok(postmaster > 0 && alive(postmaster), 'the postmaster is running');
      const killedAt = Date.now();
      process.kill(postmaster, 'SIGKILL');
      await sleep(2000);
      assert.ok(alive(gateway), 'the gateway survived the kill');
      const down = answers.filter((a) => a.at > killedAt + 500);
      for (const s of SERVICES) assert.ok(down.some((a) => a.service === s && a.status === 503), `${s} answered 503 while the database was down`);
      const refused = await privateJoin();
      assert.equal(refused.status, 'CHANNEL_ERROR');
      assert.match(refused.reason ?? '', /UnableToConnectToProject/);

      // The stack's own start brings Postgres back (the gateway is found already running).
      const restartAt = Date.now();
      assert.equal(await start(inst, () => undefined), 'started');
      const upAt = Date.now();
      // Every service back to 200 by itself, within a bound.
      const recovered = (s: Service) => answers.filter((a) => a.service === s && a.at > upAt).slice(-5);
      for (let i = 0; i < 150 && !SERVICES.every((s) => recovered(s).length === 5 && recovered(s).every((a) => a.status === 200)); i++) await sleep(100);
      const backAt = Date.now();
      for (const s of SERVICES) assert.deepEqual(recovered(s).map((a) => a.status), [200, 200, 200, 200, 200], `${s} answers 200 again`);
      assert.equal(gatewayPid(inst), gateway, 'the same gateway process, never restarted');
      assert.equal((await privateJoin()).status, 'SUBSCRIBED');

      running = false;
      await Promise.all(loops);
      // What each service answered while Postgres was down: its own 503 shape, nothing else.
      const during = answers.filter((a) => a.at > killedAt + 200 && a.at < restartAt);
      for (const a of during) {
        assert.ok(a.status === 503, `${a.service} answered ${a.status} while the database was down: ${JSON.stringify(a.body)}`);
        if (a.service === 'rest') assert.match(String(a.body?.code), /^(PGRST000|PGRST001|57P01)$/, JSON.stringify(a.body));
        if (a.service === 'auth') assert.deepEqual([a.body?.code, a.body?.error_code], [503, 'unexpected_failure']);
        if (a.service === 'storage') assert.deepEqual([a.body?.statusCode, a.body?.code], ['503', 'DatabaseError']);
      }
      const count = (list: Answer[], status: number) => list.filter((a) => a.status === status).length;
      const firstOk = answers.find((a) => a.at > upAt && a.status === 200)?.at ?? backAt;
      t.diagnostic(
        `answers: ${answers.length} (200: ${count(answers, 200)}, 503: ${count(answers, 503)}, other: ${answers.length - count(answers, 200) - count(answers, 503)}); ` +
          `down for ${restartAt - killedAt} ms by design; start took ${upAt - restartAt} ms; first 200 ${firstOk - upAt} ms and all services 200 ${backAt - upAt} ms after it returned`,
      );
      const other = answers.filter((a) => a.status !== 200 && a.status !== 503);
      assert.deepEqual(other.map((a) => `${a.service} ${a.status} ${JSON.stringify(a.body)}`), [], 'no answer other than 200 or 503, and no dropped connection');
    } finally {
      running = false;
      await Promise.all(loops);
      // Leave the instance running whatever happened above.
      await start(inst, () => undefined).catch(() => undefined);
    }
  });
});
