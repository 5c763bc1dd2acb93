// The functions runtime's failure and lifecycle behaviour, on fixture functions written to a
// temporary project: a gateway (the real app and functions service) runs in this process on its
// own port, so fixtures that crash, fail to boot, run out of memory or change on disk never touch
// the project's functions/ or config.toml.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { serve } from '@hono/node-server';
import { createClient, FunctionsHttpError } from '@supabase/supabase-js';
import { readConfig, type Instance } from '../../stack/src/config.ts';
import { createApp } from '../../stack/src/gateway/app.ts';
import { createContext } from '../../stack/src/kit/context.ts';
import type { Service } from '../../stack/src/kit/service.ts';
import { functionsService } from '../../stack/src/edge-runtime/index.ts';
import { nodeClientOptions } from '../support/client.ts';
import { env } from '../support/env.ts';

const root = mkdtempSync(join(tmpdir(), 'ascend-functions-'));
const supabaseDir = join(root, 'supabase');
const functionsDir = join(root, 'functions');
const configPath = join(supabaseDir, 'config.toml');

const FIXTURES: Record<string, string> = {
  env: `Deno.serve(() => Response.json(Object.fromEntries(
    ['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY', 'SUPABASE_DB_URL', 'SUPABASE_PUBLISHABLE_KEYS',
     'SUPABASE_SECRET_KEYS', 'SUPABASE_JWKS', 'GREETING', 'JWT_SECRET', 'PGPASSWORD']
      .map((k) => [k, Deno.env.get(k) ?? null]))));`,
  calls: `Deno.serve(async () => {
    const res = await fetch(Deno.env.get('SUPABASE_URL') + '/functions/v1/env');
    return new Response(await res.text(), { status: res.status, headers: { 'Content-Type': 'application/json' } });
  });`,
  crash: `Deno.serve((req) => {
    if (new URL(req.url).pathname === '/crash/exit') Deno.exit(1);
    return Response.json({ pid: Deno.pid });
  });`,
  throws: `Deno.serve(() => { throw new Error('handler failed on purpose'); });`,
  broken: `throw new Error('broken on purpose while loading');`,
  slow: `Deno.serve(async () => { await new Promise((r) => setTimeout(r, 10_000)); return new Response('late'); });`,
  hog: `Deno.serve(() => { const keep: number[][] = []; for (;;) keep.push(new Array(1_000_000).fill(Math.random())); });`,
  reload: `import { version } from './version.ts';\nDeno.serve(() => new Response(version));`,
  off: `Deno.serve(() => new Response('should not be served'));`,
};

function writeConfig(extra = ''): void {
  const fns = Object.keys(FIXTURES)
    .map((name) => `[functions.${name}]\nverify_jwt = false\nenabled = ${name !== 'off'}\nentrypoint = "../functions/${name}/index.ts"\n`)
    .join('\n');
  writeFileSync(configPath, `project_id = "fixture"\n[api]\nport = 1\n[db]\nport = 1\n\n${fns}\n${extra}`);
}

function setup(): void {
  mkdirSync(supabaseDir, { recursive: true });
  for (const [name, code] of Object.entries(FIXTURES)) {
    mkdirSync(join(functionsDir, name), { recursive: true });
    writeFileSync(join(functionsDir, name, 'index.ts'), code);
  }
  writeFileSync(join(functionsDir, 'reload', 'version.ts'), `export const version = 'v1';\n`);
  writeFileSync(join(functionsDir, 'deno.json'), '{ "nodeModulesDir": "none", "lock": false }\n');
  writeFileSync(join(functionsDir, '.env'), 'GREETING="hello from .env"\nSUPABASE_URL=http://not-allowed\n');
  writeConfig();
}

let server: Server;
let service: Service;
let url: string;
const logs: Record<string, unknown>[] = [];

before(async () => {
  setup();
  const inst: Instance = {
    name: 'functions-fixture',
    dir: root,
    dataDir: join(root, 'pg'),
    logFile: join(root, 'pg.log'),
    dbPort: Number(new URL(env.DB_URL).port),
    apiPort: 0,
    jwtSecret: env.JWT_SECRET,
    disposable: true,
  };
  const base = await createContext(inst, readConfig(configPath));
  const ctx = { ...base, log: (r: Record<string, unknown>) => void logs.push(r) };
  service = functionsService(ctx, { configPath, functionsDir, watch: true, wallClockMs: 2000, retireGraceMs: 1000 });
  const app = createApp(ctx, [service]);
  server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
  await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
  inst.apiPort = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${inst.apiPort}`;
});

after(async () => {
  await service?.close?.();
  server?.closeAllConnections();
  server?.close();
});

async function call(path: string) {
  const res = await fetch(`${url}/functions/v1/${path}`);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // plain text
  }
  return { status: res.status, body };
}

async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await probe();
  while (!ok(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const WORKER_ERROR = { code: 'WORKER_ERROR', message: 'Function exited due to an error (please check logs)' };

describe('environment', () => {
  test('Supabase’s variables and the .env secrets; nothing of the gateway’s own', async () => {
    const { status, body } = await call('env');
    assert.equal(status, 200);
    assert.deepEqual(body, {
      SUPABASE_URL: url,
      SUPABASE_ANON_KEY: env.ANON_KEY,
      SUPABASE_SERVICE_ROLE_KEY: env.SERVICE_ROLE_KEY,
      SUPABASE_DB_URL: env.DB_URL,
      SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: env.PUBLISHABLE_KEY }),
      SUPABASE_SECRET_KEYS: JSON.stringify({ default: env.SECRET_KEY }),
      SUPABASE_JWKS: '{"keys":[]}',
      GREETING: 'hello from .env',
      JWT_SECRET: null,
      PGPASSWORD: null,
    });
    assert.ok(logs.some((l) => String(l.warning).includes('SUPABASE_URL: names starting with SUPABASE_ are reserved')));
  });

  test('SUPABASE_URL reaches the gateway from inside a function', async () => {
    const { status, body } = await call('calls');
    assert.equal(status, 200);
    assert.equal((body as Record<string, unknown>).SUPABASE_URL, url);
  });
});

describe('failures answer the edge runtime’s bodies', () => {
  test('a process that dies mid-request: 500 WORKER_ERROR, and the next request starts a new one', async () => {
    const first = await call('crash');
    assert.equal(first.status, 200);
    const pid = (first.body as { pid: number }).pid;
    assert.deepEqual(await call('crash/exit'), { status: 500, body: WORKER_ERROR });
    const again = await call('crash');
    assert.equal(again.status, 200);
    assert.notEqual((again.body as { pid: number }).pid, pid, 'a fresh process');
    assert.ok(logs.some((l) => l.msg === 'function process exited' && l.function === 'crash' && l.code === 1));
  });

  test('an exception in the handler: 500 WORKER_ERROR, also as supabase-js sees it', async () => {
    assert.deepEqual(await call('throws'), { status: 500, body: WORKER_ERROR });
    const client = createClient(url, env.ANON_KEY, nodeClientOptions);
    const { data, error } = await client.functions.invoke('throws');
    assert.equal(data, null);
    assert.ok(error instanceof FunctionsHttpError);
    assert.equal((error.context as Response).status, 500);
    assert.deepEqual(await (error.context as Response).json(), WORKER_ERROR);
    assert.ok(logs.some((l) => l.function === 'throws' && String(l.line).includes('handler failed on purpose')), 'the error is in the log');
  });

  test('a module that fails to load: 503 BOOT_ERROR, the reason in the log', async () => {
    assert.deepEqual(await call('broken'), {
      status: 503,
      body: { code: 'BOOT_ERROR', message: 'Worker failed to boot (please check logs)' },
    });
    const boot = logs.find((l) => l.msg === 'function failed to boot' && l.function === 'broken');
    assert.ok(boot, 'logged');
    assert.ok((boot.output as string[]).some((line) => line.includes('broken on purpose while loading')), JSON.stringify(boot));
  });

  test('no response within the wall clock: 546 WORKER_LIMIT', async () => {
    assert.deepEqual(await call('slow'), {
      status: 546,
      body: { code: 'WORKER_LIMIT', message: 'Worker failed to respond due to a resource limit (please check logs)' },
    });
  });

  test('out of memory (256 MB heap): 546 WORKER_LIMIT', async () => {
    const r = await call('hog');
    assert.equal(r.status, 546, JSON.stringify(r));
  });

  test('a disabled function is not found', async () => {
    assert.deepEqual(await call('off'), { status: 404, body: { code: 'NOT_FOUND', message: 'Requested function was not found' } });
  });
});

describe('reload on change (watch)', () => {
  test('an edited module is served on the next request', async () => {
    assert.deepEqual(await call('reload'), { status: 200, body: 'v1' });
    writeFileSync(join(functionsDir, 'reload', 'version.ts'), `export const version = 'v2';\n`);
    assert.deepEqual(await eventually(() => call('reload'), (r) => r.body === 'v2'), { status: 200, body: 'v2' });
  });

  test('config.toml changes apply: a new function, verify_jwt turned on', async () => {
    mkdirSync(join(functionsDir, 'added'), { recursive: true });
    writeFileSync(join(functionsDir, 'added', 'index.ts'), `Deno.serve(() => new Response('added'));`);
    writeConfig(`[functions.added]\nentrypoint = "../functions/added/index.ts"\n`);
    const r = await eventually(() => call('added'), (r) => r.status !== 404);
    assert.deepEqual(r, { status: 401, body: { msg: 'Missing authorization header' } }, 'verify_jwt defaults to true');
    const res = await fetch(`${url}/functions/v1/added`, { headers: { Authorization: `Bearer ${env.ANON_KEY}` } });
    assert.equal(await res.text(), 'added');
  });
});

describe('shutdown', () => {
  test('close() stops every Deno process it started', async () => {
    await call('env');
    const pids = logs.filter((l) => l.msg === 'function starting').map((l) => l.pid as number);
    assert.ok(pids.length >= 5, `started ${pids.length}`);
    await service.close?.();
    assert.deepEqual(pids.filter(alive), [], 'no process left');
  });
});
