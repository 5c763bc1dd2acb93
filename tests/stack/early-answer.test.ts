// An upload refused before its body was read (413 from Content-Length): the answer says
// `Connection: close` and reaches the client whole, and the client's next request on the same
// keep-alive agent works, for a fast upload and for one still being sent long after the answer.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { afterAll as after, describe, test } from 'vitest';
import { env } from '../support/env.ts';

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
after(() => agent.destroy());
const service = { apikey: env.SERVICE_ROLE_KEY, Authorization: `Bearer ${env.SERVICE_ROLE_KEY}` };

interface Answer {
  status: number;
  connection: string | undefined;
  body: Record<string, unknown> | undefined;
  /** How sending the body ended: 'sent', or the error that cut it short (EPIPE, ECONNRESET). */
  upload: string;
}

/** A request on the shared keep-alive agent; the body (`bytes` long) is sent in `chunks`, `pauseMs` apart. */
function send(method: string, path: string, headers: Record<string, string>, bytes = 0, chunks = 1, pauseMs = 0): Promise<Answer> {
  const url = new URL(path, env.SUPABASE_URL);
  return new Promise((resolve, reject) => {
    let answer: Omit<Answer, 'upload'> | undefined;
    let upload = 'sent';
    const req = request(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method, agent, headers: { ...headers, ...(bytes ? { 'Content-Length': String(bytes) } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => (answer = { status: res.statusCode ?? 0, connection: res.headers.connection, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined }));
        res.on('error', reject);
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => (upload = e.code ?? e.message));
    // Settled once the whole exchange is over, upload included.
    req.on('close', () => (answer ? resolve({ ...answer, upload }) : reject(new Error(`no answer (${upload})`))));
    if (!bytes) return void req.end();
    const size = Math.ceil(bytes / chunks);
    let sent = 0;
    const pump = () => {
      if (req.destroyed) return;
      const n = Math.min(size, bytes - sent);
      sent += n;
      const more = sent < bytes;
      req.write(Buffer.alloc(n, 0x61));
      if (more) setTimeout(pump, pauseMs);
      else req.end();
    };
    pump();
  });
}

const next = () => send('GET', '/rest/v1/exams?select=id&limit=1', service);

describe('an upload refused before its body is read', () => {
  test('REST: 413 PGRST413 with Connection: close; the next request on the connection pool works', async () => {
    const r = await send('POST', '/rest/v1/exams', { ...service, 'Content-Type': 'application/json' }, 12 * 1024 * 1024);
    assert.equal(r.status, 413);
    assert.equal(r.body?.code, 'PGRST413');
    assert.equal(r.connection, 'close');
    assert.equal(r.upload, 'sent', 'the server read (and discarded) the rest of the body instead of resetting the connection');
    assert.equal((await next()).status, 200);
  });

  test('storage: over the bucket limit, the same; also when the body is still being sent long after the answer', async () => {
    // avatars allows 5 MB (supabase/config.toml); 6 MB is over it
    const upload = (chunks: number, pauseMs: number) =>
      send('POST', `/storage/v1/object/avatars/early-${Date.now()}.png`, { ...service, 'Content-Type': 'image/png' }, 6 * 1024 * 1024, chunks, pauseMs);
    for (const [chunks, pauseMs] of [[1, 0], [6, 200]] as const) {
      const r = await upload(chunks, pauseMs);
      assert.deepEqual([r.status, r.body?.statusCode, r.body?.code, r.connection], [400, '413', 'EntityTooLarge', 'close'], `${chunks} chunks`);
      assert.equal((await next()).status, 200, `the request after ${chunks} chunks`);
    }
  });
});
