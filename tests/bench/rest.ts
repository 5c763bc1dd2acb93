// Benchmark: /rest/v1 against a direct PostgreSQL client, side by side, on loopback.
//   (a) a single-row select by primary key, (b) a filtered list with embedded resources,
//   (c) an RPC call.
// Each case runs a bounded number of requests (after a warm-up) at concurrency 1 and N, and
// prints requests/s and p50/p95/p99 latency for each client, with the ratio REST / direct.
// The direct client also runs the query inside the same request-scoped transaction the gateway
// uses (begin, set_config of role and claims, query, commit), to show where the time goes: that
// is the floor any PostgREST-compatible server pays, and issue 13's goal is /rest/v1 at >= 0.6x
// of its throughput (the `ratio /rest/v1 : request scope` line).
//
// Run against a running instance: npm run bench -- rest
// Knobs: BENCH_REQUESTS (default 3000), BENCH_CONCURRENCY (default 8), BENCH_WARMUP (default 300),
// BENCH_GATEWAY_PID (the gateway whose CPU per /rest/v1 request is printed; default: the
// instance's gateway.pid). On a shared machine the CPU per request is the steadier figure:
// throughput ratios there move with whatever else the cores are doing.
//
// ## Figures (issue 13, 6 Dec 2026, 16:17-16:22 UTC, 2 cores shared with 5 engineers, load average 10-17)
// Main (b87b3fd) and this branch, three alternating runs each against one database (main's
// gateway as a second gateway, STACK_GATEWAY_SECONDARY=1), BENCH_REQUESTS=2000
// BENCH_CONCURRENCY=16. Per run: `ratio /rest/v1 : req scope` (req/s), then the median; and the
// gateway's CPU ms per request, median:
//
//   case             c1 main              c1 branch            c16 main             c16 branch
//   select by key    .11 .28 .18  → 0.18  .19 .23 .46  → 0.23  .28 .23 .40  → 0.28  .67 .67 .46  → 0.67
//     CPU ms/req     1.04                 0.62                 0.60                 0.40
//   list, embedded   .25 .38 .17  → 0.25  .36 .94 .69  → 0.69  .33 .40 .20  → 0.33  .52 .53 .64  → 0.53
//     CPU ms/req     1.06                 0.46                 0.69                 0.47
//   rpc conf_add     .21 .27 .32  → 0.27  .40 .28 .42  → 0.40  .19 .23 .25  → 0.23  .40 .53 .50  → 0.50
//     CPU ms/req     0.69                 0.52                 0.49                 0.43
//
// (The previous session's quiet-machine figures for main were c1 0.64 / 0.68 / 0.46 and c16
// 0.38 / 0.45 / 0.37: at this load every ratio is lower and moves ±50% between runs.)
//
// The gateway's CPU per request fell by 12-57% (medians; least for the RPC at c16), and the
// ratio medians rose in all six cells. What changed, from CPU profiles of the gateway
// (STACK_GATEWAY_CPU_PROF) before and after:
// - Before, the top frames were: the socket write syscall (`writev`, 27% of busy samples: one
//   pipelined write to PostgreSQL per request, one HTTP response), hono copying every response
//   through a web ReadableStream (`set res` → undici `extractBody`/`makeTransferable`, ~8%:
//   the CORS headers and X-Request-Id were set around the handler), the query-string parser
//   (`parseQueryParams` 8%, mostly `parseSelect` backtracking by exceptions), `BlockList.check`
//   building a `SocketAddress` three times a request (`edge`, 2.4%), pg's result building.
// - Now: CORS headers and X-Request-Id are set in place after the handler (gateway/app.ts), the
//   trusted-proxy answer is remembered per address (kit/forwarded.ts), parsed selects are kept by
//   text (parse/select.ts), and the request scope's statements and the generated SQL are named
//   prepared statements per connection (kit/pipeline.ts, as PostgREST's default), so PostgreSQL
//   skips parse analysis. Left at the top: `writev` (26%: loopback TCP to PostgreSQL and to
//   the client, one write each), GC (4%), pg's `addFields` (1.4%), the request log line (1%).
// - The RPC case has the cheapest baseline (`select conf_add($1, $2)`, ~0.3 ms in the request
//   scope), so the gateway's fixed cost per request weighs most there, and PostgREST's SQL for a
//   JSON body (json_to_record in a lateral join) is more work than the bare call.
// - The 0.6x goal: at this load reached by the medians of c1 list (0.69) and c16 select (0.67),
//   not by the others (best runs: c1 select 0.46, c1 rpc 0.42, c16 list 0.64, c16 rpc 0.53).
//   Next lever, not taken: a Unix socket from the gateway to PostgreSQL instead of loopback TCP
//   (the cluster has none today, unix_socket_directories = ''; writev is now the top frame).
//
// ## Quiet machine, final main (6 Dec 2026, load average 0.1-2.8), `ratio /rest/v1 : req scope`
//   case             c1 (3 runs)          c16 (3 runs)         gateway CPU ms/req c1; c16
//   select by key    .63 .83 .82 → 0.82   .67 .43 .57 → 0.57   0.59-1.06; 0.31-0.35
//   list, embedded   .85 .91 1.06 → 0.91  .97 .84 .75 → 0.84   0.50-0.79; 0.33-0.37
//   rpc conf_add     .59 .47 .64 → 0.59   .50 .44 .50 → 0.50   0.50-0.76; 0.28-0.31
// Against the previous session's quiet figures for main (c1 0.64 / 0.68 / 0.46, c16 0.38 / 0.45 /
// 0.37) every median rose; >= 0.6 holds for c1 select and list and c16 list, is within a few
// percent for c1 rpc and c16 select, and is not reached for c16 rpc (0.50).
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import pg from 'pg';
import { env } from '../support/env.ts';
import { releaseFixtures, setupFixtures } from '../rest/fixtures.ts';
import { percentile, processCpuSeconds, type Result, measure } from './measure.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);

const url = new URL(env.SUPABASE_URL);
if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname)) throw new Error(`refusing to benchmark a non-loopback host: ${url.hostname}`);

/** Runs `op` `total` times with `concurrency` workers; returns throughput and latency percentiles. */

// A keep-alive node:http client: undici's fetch costs ~0.4 ms per request on the client side,
// which would be measured as server time.
let agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(method: string, path: string, token: string, body?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { apikey: env.ANON_KEY, Authorization: `Bearer ${token}` };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const req = http.request({ host: url.hostname, port: url.port, path: `/rest/v1${path}`, method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${path}: ${res.statusCode} ${Buffer.concat(chunks).toString()}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const restGet = (path: string, token: string) => request('GET', path, token);
const restPost = (path: string, token: string, body: string) => request('POST', path, token, body);

/** The same statements the gateway sends around a query, on a direct connection. */
async function scoped(pool: pg.Pool, sql: string, values: unknown[]): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('begin isolation level read committed read only');
    await c.query('select pg_catalog.set_config(n, v, true) from unnest($1::text[], $2::text[]) as s(n, v)', [
      ['search_path', 'role', 'request.jwt.claims', 'request.method', 'request.path'],
      ['"public", "public", "extensions"', 'service_role', '{"role":"service_role"}', 'GET', '/conf_notes'],
    ]);
    await c.query(sql, values);
    await c.query('commit');
  } finally {
    c.release();
  }
}

/** The embedding query written by hand: the same rows and JSON shape /rest/v1 answers. */
const EMBED_SQL = `select coalesce(json_agg(t), '[]') from (
  select n.id, n.title, json_build_object('username', p.username, 'org', case when o.id is null then null else json_build_object('name', o.name) end) as owner
    from public.conf_notes n join public.conf_profiles p on p.id = n.owner_id left join public.conf_orgs o on o.id = p.org_id
   where n.public = $1 order by n.id) t`;

/**
 * The gateway's process, whose CPU time per /rest/v1 request is printed (on a shared machine a
 * steadier figure than throughput): BENCH_GATEWAY_PID, else the instance's gateway.pid.
 */
function gatewayPid(): number | undefined {
  if (process.env.BENCH_GATEWAY_PID) return Number(process.env.BENCH_GATEWAY_PID);
  const file = `.supabase/${process.env.STACK_INSTANCE ?? 'dev'}/gateway.pid`;
  return existsSync(file) ? Number(readFileSync(file, 'utf8')) : undefined;
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function row(label: string, client: string, r: Result): string {
  return `${label.padEnd(24)} ${client.padEnd(26)} ${fmt(r.rps, 0).padStart(8)} ${fmt(r.p50).padStart(8)} ${fmt(r.p95).padStart(8)} ${fmt(r.p99).padStart(8)}`;
}

async function main(): Promise<void> {
  await setupFixtures();
  const pool = new pg.Pool({ connectionString: env.DB_URL, max: Math.max(CONCURRENCY, 1) });
  const token = env.SERVICE_ROLE_KEY;

  const cases: { label: string; clients: [string, () => Promise<void>][] }[] = [
    {
      label: 'select by primary key',
      clients: [
        ['/rest/v1 (service_role)', () => restGet('/conf_notes?select=*&id=eq.1', token)],
        ['pg direct', async () => void (await pool.query('select * from public.conf_notes where id = $1', [1]))],
        ['pg direct, request scope', () => scoped(pool, 'select * from public.conf_notes where id = $1', [1])],
      ],
    },
    {
      label: 'list, filtered, embedded',
      clients: [
        ['/rest/v1 (service_role)', () => restGet('/conf_notes?select=id,title,owner:conf_profiles(username,org:conf_orgs(name))&public=eq.true&order=id', token)],
        ['pg direct', async () => void (await pool.query(EMBED_SQL, [true]))],
        ['pg direct, request scope', () => scoped(pool, EMBED_SQL, [true])],
      ],
    },
    {
      label: 'rpc conf_add(a, b)',
      clients: [
        ['/rest/v1 (service_role)', () => restPost('/rpc/conf_add', token, '{"a":40,"b":2}')],
        ['pg direct', async () => void (await pool.query('select public.conf_add($1, $2)', [40, 2]))],
        ['pg direct, request scope', () => scoped(pool, 'select public.conf_add($1, $2)', [40, 2])],
      ],
    },
  ];

  console.log(`# /rest/v1 vs direct PostgreSQL — ${REQUESTS} requests per run after ${WARMUP} warm-up, loopback ${url.host}`);
  for (const concurrency of [1, CONCURRENCY]) {
    agent.destroy();
    agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    console.log(`\n## concurrency ${concurrency}`);
    console.log(`${'case'.padEnd(24)} ${'client'.padEnd(26)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
    for (const c of cases) {
      const results: Result[] = [];
      for (const [name, op] of c.clients) {
        await measure(op, WARMUP, concurrency);
        const gateway = name.startsWith('/rest/v1') ? gatewayPid() : undefined;
        const cpu0 = gateway === undefined ? 0 : processCpuSeconds(gateway);
        const r = await measure(op, REQUESTS, concurrency);
        results.push(r);
        console.log(row(c.label, name, r));
        if (gateway !== undefined) {
          const ms = ((processCpuSeconds(gateway) - cpu0) * 1000) / REQUESTS;
          console.log(`${''.padEnd(24)} ${'gateway CPU ms/request'.padEnd(26)} ${fmt(ms, 3).padStart(8)}`);
        }
      }
      const [rest, direct, scope] = results;
      const ratio = (name: string, base: Result | undefined) => {
        if (!rest || !base) return;
        console.log(
          `${''.padEnd(24)} ${name.padEnd(26)} ${fmt(rest.rps / base.rps).padStart(8)} ${fmt(rest.p50 / base.p50).padStart(8)} ${fmt(rest.p95 / base.p95).padStart(8)} ${fmt(rest.p99 / base.p99).padStart(8)}`,
        );
      };
      ratio('ratio /rest/v1 : direct', direct);
      ratio('ratio /rest/v1 : req scope', scope);
    }
  }
  agent.destroy();
  await pool.end();
  await releaseFixtures();
}

await main();
