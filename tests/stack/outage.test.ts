// The gateway outlives its database, and a durable instance keeps what it acknowledged:
// `kill -9` of the postmaster while 20 request loops run (reads through REST, auth and storage,
// writes through REST). The gateway process stays up; while Postgres is down each service answers
// 503 in its own shape and a private Realtime join is refused with Realtime's reason; once the
// stack's own `start` brings Postgres back, every service answers 200 again without a gateway
// restart, and every write that was answered 201 is there. For this scenario the test instance
// runs with `dev`'s durability (fsync, synchronous_commit, full_page_writes on), restored to its
// disposable settings by the restart. The figures are printed as a TAP diagnostic.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { instance } from '../../stack/src/config.ts';
import { gatewayPid } from '../../stack/src/instance/gateway-process.ts';
import { isRunning, reloadServerSettings } from '../../stack/src/instance/cluster.ts';
import { start } from '../../stack/src/instance/lifecycle.ts';
// realtime-js's 10 s timers, unref'd there, would otherwise hold this file open after its test.
import '../realtime/support.ts';
import { testClient } from '../support/client.ts';
import { env } from '../support/env.ts';

const LOOPS = 20;
const TABLE = 'outage_writes';
const service = { apikey: env.SERVICE_ROLE_KEY, Authorization: `Bearer ${env.SERVICE_ROLE_KEY}` };

/** One request per service, each through the database; `write` inserts a fresh row. */
const PROBES = {
  rest: () => ({ path: '/rest/v1/exams?select=id&limit=1', init: { headers: service } }),
  write: (id: string) => ({
    path: `/rest/v1/${TABLE}`,
    init: { method: 'POST', headers: { ...service, 'Content-Type': 'application/json', Prefer: 'return=minimal' }, body: JSON.stringify({ id }) },
  }),
  auth: () => ({ path: '/auth/v1/admin/users?page=1&per_page=1', init: { headers: service } }),
  storage: () => ({ path: '/storage/v1/bucket', init: { headers: service } }),
} as const;
type Service = keyof typeof PROBES;
const SERVICES = Object.keys(PROBES) as Service[];

interface Answer {
  service: Service;
  at: number;
  status: number;
  body: Record<string, unknown> | undefined;
  id?: string;
}

async function probe(s: Service): Promise<Answer> {
  const id = randomUUID();
  const { path, init } = PROBES[s](id);
  try {
    const r = await fetch(`${env.SUPABASE_URL}${path}`, { ...init, signal: AbortSignal.timeout(15_000) });
    const text = await r.text();
    let body: Record<string, unknown> | undefined;
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      body = undefined;
    }
    return { service: s, at: Date.now(), status: r.status, body, ...(s === 'write' ? { id } : {}) };
  } catch {
    // No HTTP answer at all: the gateway is gone or the connection broke.
    return { service: s, at: Date.now(), status: 0, body: undefined };
  }
}

const ok = (a: Answer) => a.status === (a.service === 'write' ? 201 : 200);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: env.DB_URL });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

/** The realtime join of a private channel, which needs the database to authorize it. */
async function privateJoin(): Promise<{ status: string; reason?: string }> {
  const c = testClient(env.ANON_KEY, env.SERVICE_ROLE_KEY);
  void c.realtime.setAuth(env.SERVICE_ROLE_KEY);
  const channel = c.channel(`outage-${randomUUID()}`, { config: { private: true } });
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

interface Outcome {
  gateway: number;
  gatewayAfter: number | undefined;
  gatewayAliveAfterKill: boolean;
  synchronousCommit: { during: string; after: string };
  answers: Answer[];
  killedAt: number;
  restartAt: number;
  upAt: number;
  backAt: number;
  refusedJoin: { status: string; reason?: string };
  joinAfter: { status: string; reason?: string };
  stored: Set<string>;
}

const inst = process.env.STACK_INSTANCE ? instance(process.env.STACK_INSTANCE) : undefined;
let outcome: Outcome | undefined;

before(async () => {
  if (!inst) return;
  const gateway = gatewayPid(inst);
  assert.ok(gateway, 'the gateway of the instance under test is running');
  await sql(`create table if not exists public.${TABLE} (id uuid primary key, at timestamptz not null default now());
             grant insert, select on public.${TABLE} to service_role;
             notify pgrst, 'reload schema'`);
  for (let i = 0; (await probe('write')).status !== 201; i++) {
    if (i > 100) throw new Error(`the REST schema cache never showed ${TABLE}`);
    await sleep(100);
  }
  // This scenario runs with dev's durability; the restart below writes the instance's own back.
  await reloadServerSettings(inst, { durable: true });
  const during = (await sql<{ s: string }>("select current_setting('synchronous_commit') as s"))[0]!.s;

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
    const postmaster = Number(readFileSync(join(inst.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    assert.ok(postmaster > 0 && alive(postmaster), 'the postmaster is running');
    const killedAt = Date.now();
    process.kill(postmaster, 'SIGKILL');
    await sleep(2000);
    const gatewayAliveAfterKill = alive(gateway);
    const refusedJoin = await privateJoin();

    // The stack's own start brings Postgres back (and finds the gateway already running).
    const restartAt = Date.now();
    await start(inst, () => undefined);
    const upAt = Date.now();
    const recent = (s: Service) => answers.filter((a) => a.service === s && a.at > upAt).slice(-5);
    const recovered = () => SERVICES.every((s) => recent(s).length === 5 && recent(s).every(ok));
    for (let i = 0; i < 150 && !recovered(); i++) await sleep(100);
    const backAt = Date.now();
    const joinAfter = await privateJoin();
    running = false;
    await Promise.all(loops);

    const acked = answers.filter((a) => a.service === 'write' && a.status === 201).map((a) => a.id!);
    const stored = new Set((await sql<{ id: string }>(`select id from public.${TABLE} where id = any($1::uuid[])`, [acked])).map((r) => r.id));
    const after = (await sql<{ s: string }>("select current_setting('synchronous_commit') as s"))[0]!.s;
    outcome = {
      gateway,
      gatewayAfter: gatewayPid(inst),
      gatewayAliveAfterKill,
      synchronousCommit: { during, after },
      answers,
      killedAt,
      restartAt,
      upAt,
      backAt,
      refusedJoin,
      joinAfter,
      stored,
    };
  } finally {
    running = false;
    await Promise.all(loops);
  }
});

after(async () => {
  if (!inst) return;
  // Leave the instance running, with its own settings, whatever happened above.
  if (await isRunning(inst)) await reloadServerSettings(inst).catch(() => undefined);
  await start(inst, () => undefined).catch(() => undefined);
  await sql(`drop table if exists public.${TABLE}; notify pgrst, 'reload schema'`).catch(() => undefined);
});

// Skipped without the instance under test (STACK_INSTANCE), as npm test sets it.
describe('kill -9 of the postmaster under 20 request loops', { skip: !inst }, () => {
  test('the gateway process stays up and is never restarted', () => {
    assert.ok(outcome);
    assert.equal(outcome.gatewayAliveAfterKill, true);
    assert.equal(outcome.gatewayAfter, outcome.gateway);
    const dropped = outcome.answers.filter((a) => a.status === 0);
    assert.equal(dropped.length, 0, 'every request got an HTTP answer');
  });

  test('while Postgres is down each service answers 503 in its own shape; Realtime refuses a private join', () => {
    assert.ok(outcome);
    const { answers, killedAt, restartAt } = outcome;
    const before = answers.filter((a) => a.at < killedAt);
    assert.ok(before.length > 0 && before.every(ok), 'everything succeeded before the kill');
    // Orphaned backends notice the postmaster's death within moments (longer on a loaded machine).
    const down = answers.filter((a) => a.at > killedAt + 1000 && a.at < restartAt);
    for (const s of SERVICES) assert.ok(down.some((a) => a.service === s), `${s} was asked while the database was down`);
    for (const a of down) {
      assert.equal(a.status, 503, `${a.service} answered ${a.status} while the database was down: ${JSON.stringify(a.body)}`);
      if (a.service === 'rest' || a.service === 'write') {
        // PostgREST: no connection (PGRST000), the connection died (PGRST001), or the server's own 57P01.
        assert.match(String(a.body?.code), /^(PGRST000|PGRST001|57P01)$/, JSON.stringify(a.body));
        assert.deepEqual(Object.keys(a.body ?? {}).sort(), ['code', 'details', 'hint', 'message']);
      }
      if (a.service === 'auth') assert.deepEqual([a.body?.code, a.body?.error_code], [503, 'unexpected_failure']);
      if (a.service === 'storage') assert.deepEqual([a.body?.statusCode, a.body?.code, a.body?.error], ['503', 'DatabaseError', 'DatabaseError']);
    }
    assert.equal(outcome.refusedJoin.status, 'CHANNEL_ERROR');
    assert.match(outcome.refusedJoin.reason ?? '', /UnableToConnectToProject/);
  });

  test('when Postgres is back every service recovers by itself: REST, auth, storage, realtime', async (t) => {
    assert.ok(outcome);
    const { answers, upAt, backAt, killedAt, restartAt } = outcome;
    for (const s of SERVICES) {
      const last = answers.filter((a) => a.service === s && a.at > upAt).slice(-5);
      assert.ok(last.length === 5 && last.every(ok), `${s} succeeds again: ${JSON.stringify(last.map((a) => a.status))}`);
    }
    assert.equal(outcome.joinAfter.status, 'SUBSCRIBED');
    const count = (status: number) => answers.filter((a) => a.status === status).length;
    const firstOk = answers.find((a) => a.at > upAt && ok(a))?.at ?? backAt;
    const other = answers.filter((a) => a.at > killedAt && !ok(a) && a.status !== 503);
    assert.deepEqual(other.map((a) => `${a.service} ${a.status} ${JSON.stringify(a.body)}`), [], 'nothing but success or 503 around the outage');
    await t.annotate(
      `answers: ${answers.length} (2xx: ${answers.filter(ok).length}, 503: ${count(503)}); Postgres down ${restartAt - killedAt} ms (by design); ` +
        `stack start took ${upAt - restartAt} ms; first success ${firstOk - upAt} ms and every service ${backAt - upAt} ms after it returned`,
    );
  });

  test('on a durable instance every write answered 201 survives the kill', async (t) => {
    assert.ok(outcome);
    assert.deepEqual(outcome.synchronousCommit, { during: 'on', after: 'off' }, "dev's durability for the scenario, the instance's own after it");
    const acked = outcome.answers.filter((a) => a.service === 'write' && a.status === 201);
    const lastSecond = acked.filter((a) => a.at <= outcome!.killedAt && a.at > outcome!.killedAt - 1000);
    assert.ok(lastSecond.length > 0, 'writes were acknowledged in the second before the kill');
    const lost = acked.filter((a) => !outcome!.stored.has(a.id!));
    assert.deepEqual(lost.map((a) => a.id), [], `acknowledged writes lost (${lost.length} of ${acked.length})`);
    await t.annotate(`${acked.length} writes acknowledged (${lastSecond.length} in the last second before the kill), all ${outcome.stored.size} found after the restart`);
  });
});
