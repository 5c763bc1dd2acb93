// Benchmark: the same reads through /graphql/v1 and /rest/v1, side by side, as a signed-in
// learner (RLS applies to both), on loopback:
//   (a) a page of a collection: 20 posts of one blog, filtered and ordered;
//   (b) the same with a relationship: blogs with their posts (one SQL statement each way).
// Each case runs a bounded number of requests (after a warm-up) at concurrency 1 and N and prints
// requests/s and p50 (median)/p95/p99 latency per API, with the ratio GraphQL : REST.
//
// Run against a running instance: npm run bench -- graphql
// Knobs: BENCH_REQUESTS (default 2000), BENCH_CONCURRENCY (default 8), BENCH_WARMUP (default 200).
import http from 'node:http';
import pg from 'pg';
import { env } from '../support/env.ts';
import { bearer, releaseFixtures, setupFixtures, USERS } from '../graphql/fixtures.ts';
import { percentile, type Result, measure } from './measure.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);

const url = new URL(env.SUPABASE_URL);
if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname)) throw new Error(`refusing to benchmark a non-loopback host: ${url.hostname}`);

// Keep-alive node:http: undici's fetch adds client-side time that would count as server time.
let agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** A request that must answer 200 with `expect` somewhere in its body (so a failure is not timed as a success). */
function request(method: string, path: string, token: string, expect: string, body?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { apikey: env.ANON_KEY, Authorization: `Bearer ${token}` };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const req = http.request({ host: url.hostname, port: url.port, path, method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode === 200 && text.includes(expect) && !text.includes('"errors"')) resolve();
        else reject(new Error(`${path}: ${res.statusCode} ${text.slice(0, 300)}`));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const graphql = (token: string, query: string, expect: string) => {
  const body = JSON.stringify({ query });
  return () => request('POST', '/graphql/v1', token, expect, body);
};
const rest = (token: string, path: string, expect: string) => () => request('GET', `/rest/v1${path}`, token, expect);

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const row = (label: string, client: string, r: Result) =>
  `${label.padEnd(30)} ${client.padEnd(22)} ${fmt(r.rps, 0).padStart(8)} ${fmt(r.p50).padStart(8)} ${fmt(r.p95).padStart(8)} ${fmt(r.p99).padStart(8)}`;

async function main(): Promise<void> {
  await setupFixtures();
  // A blog with 200 posts (half published) so a page is a page.
  const db = new pg.Client({ connectionString: env.DB_URL });
  await db.connect();
  await db.query(
    `insert into public.gql_blog_post (blog_id, owner_id, title, body, status)
     select 2, $1, 'post ' || lpad(g::text, 3, '0'), repeat('body ', 20), case when g % 2 = 0 then 'PUBLISHED' else 'DRAFT' end::public.gql_post_status
     from generate_series(1, 200) g`,
    [USERS.alice],
  );
  await db.end();
  const token = await bearer('bob');

  const cases: { label: string; clients: [string, () => Promise<void>][] }[] = [
    {
      label: 'collection page (20 rows)',
      clients: [
        ['/graphql/v1', graphql(token, '{ gql_blog_postCollection(first: 20, filter: {blog_id: {eq: 2}}, orderBy: [{title: AscNullsLast}]) { edges { node { id title status } } } }', 'post 040')],
        ['/rest/v1', rest(token, '/gql_blog_post?select=id,title,status&blog_id=eq.2&order=title.asc,id.asc&limit=20', 'post 040')],
      ],
    },
    {
      label: 'with a relationship',
      clients: [
        ['/graphql/v1', graphql(token, '{ gql_blogCollection(first: 4) { edges { node { id name gql_blog_postCollection(first: 5) { edges { node { title } } } } } } }', 'B: Blog 4')],
        ['/rest/v1', rest(token, '/gql_blog?select=id,name,gql_blog_post(title)&gql_blog_post.order=id&gql_blog_post.limit=5&order=id&limit=4', 'B: Blog 4')],
      ],
    },
  ];

  console.log(`# /graphql/v1 vs /rest/v1 as a learner (RLS on) — ${REQUESTS} requests per run after ${WARMUP} warm-up, loopback ${url.host}`);
  for (const concurrency of [1, CONCURRENCY]) {
    agent.destroy();
    agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    console.log(`\n## concurrency ${concurrency}`);
    console.log(`${'case'.padEnd(30)} ${'api'.padEnd(22)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
    for (const c of cases) {
      const results: Result[] = [];
      for (const [name, op] of c.clients) {
        await measure(op, WARMUP, concurrency);
        const r = await measure(op, REQUESTS, concurrency);
        results.push(r);
        console.log(row(c.label, name, r));
      }
      const [g, r] = results;
      if (g && r) console.log(`${''.padEnd(30)} ${'ratio graphql : rest'.padEnd(22)} ${fmt(g.rps / r.rps).padStart(8)} ${fmt(g.p50 / r.p50).padStart(8)} ${fmt(g.p95 / r.p95).padStart(8)} ${fmt(g.p99 / r.p99).padStart(8)}`);
    }
  }
  agent.destroy();
  await releaseFixtures();
}

await main();
