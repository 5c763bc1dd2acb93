// A real Deno process per case, with function code written to a temporary directory.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll as after, describe, test } from 'vitest';
import { denoBinary, denoEnv } from './deno.ts';
import { BootError, FunctionWorker } from './worker.ts';

const root = mkdtempSync(join(tmpdir(), 'fn-worker-'));
writeFileSync(join(root, 'deno.json'), '{ "nodeModulesDir": "none", "lock": false }');
const started: FunctionWorker[] = [];
const logs: Record<string, unknown>[] = [];

function worker(name: string, code: string, env: Record<string, string> = {}, bootTimeoutMs = 30_000): FunctionWorker {
  mkdirSync(join(root, name), { recursive: true });
  writeFileSync(join(root, name, 'index.ts'), code);
  const w = new FunctionWorker({
    def: { name, entrypoint: join(root, name, 'index.ts'), importMap: join(root, 'deno.json'), verifyJwt: false },
    bin: denoBinary(),
    env: { ...denoEnv(), ...env },
    bootTimeoutMs,
    log: (r) => logs.push(r),
  });
  started.push(w);
  return w;
}

const alive = (pid: number | undefined) => {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
};

after(async () => {
  await Promise.all(started.map((w) => w.stop()));
});

describe('FunctionWorker', () => {
  test('boots, serves on a loopback port whatever port it asked for, and stops', async () => {
    const w = worker(
      'ok',
      `Deno.serve({ port: 8000, hostname: '0.0.0.0' }, (req) => Response.json({
        path: new URL(req.url).pathname,
        nonce: Deno.env.get('ASCEND_FUNCTION_READY') ?? null,
        secret: Deno.env.get('MY_SECRET'),
        waitUntil: typeof (globalThis as any).EdgeRuntime?.waitUntil,
      }));
      console.log('booted');`,
      { MY_SECRET: 's3' },
    );
    const port = await w.ready;
    assert.notEqual(port, 8000);
    const body = await (await fetch(`http://127.0.0.1:${port}/ok/x`)).json();
    assert.deepEqual(body, { path: '/ok/x', nonce: null, secret: 's3', waitUntil: 'function' });
    assert.ok(logs.some((l) => l.function === 'ok' && l.line === 'booted'), 'output goes to the log');
    const pid = w.pid;
    assert.ok(alive(pid));
    const exit = await w.stop();
    assert.equal(exit.stopped, true);
    assert.ok(!alive(pid), 'the process is gone');
  });

  test('an exception in the handler answers WORKER_ERROR and the process lives on', async () => {
    const w = worker('throws', `Deno.serve(() => { throw new Error('boom'); });`);
    const port = await w.ready;
    const res = await fetch(`http://127.0.0.1:${port}/throws`);
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { code: 'WORKER_ERROR', message: 'Function exited due to an error (please check logs)' });
    assert.ok(w.usable);
  });

  test('a module that throws while loading is a boot error with its output', async () => {
    const w = worker('broken', `throw new Error('cannot load the config');\nDeno.serve(() => new Response());`);
    await assert.rejects(w.ready, (e: unknown) => {
      assert.ok(e instanceof BootError);
      assert.match(e.message, /before calling Deno\.serve/);
      assert.ok(e.output.some((l) => l.includes('cannot load the config')), e.output.join('\n'));
      return true;
    });
    assert.equal(w.usable, false);
  });

  test('a module that never serves is a boot error', async () => {
    const w = worker('idle', `console.log('no server here');`);
    await assert.rejects(w.ready, /before calling Deno\.serve/);
  });

  test('a module that hangs without serving times out', async () => {
    const w = worker('hangs', `setInterval(() => {}, 1000);`, {}, 1500);
    await assert.rejects(w.ready, /did not call Deno\.serve within 1500 ms/);
    await w.exited;
  });

  test('a crash after boot ends the worker; retire stops it once requests are done', async () => {
    const w = worker('exits', `Deno.serve((req) => { if (new URL(req.url).pathname.endsWith('/die')) Deno.exit(3); return new Response('ok'); });`);
    const port = await w.ready;
    await assert.rejects(fetch(`http://127.0.0.1:${port}/exits/die`));
    const exit = await w.exited;
    assert.equal(exit.code, 3);
    assert.equal(exit.stopped, false);
    assert.equal(w.usable, false);

    const r = worker('retired', `Deno.serve(() => new Response('ok'));`);
    await r.ready;
    r.acquire();
    r.retire(10_000);
    assert.equal(r.usable, false);
    assert.ok(alive(r.pid), 'still finishing its request');
    r.release();
    await r.exited;
    assert.ok(!alive(r.pid));
  });
});
