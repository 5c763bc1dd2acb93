// Idle keep-alive connections stay open as behind Supabase's gateway (Kong's nginx keeps them
// 60 s): a client that reuses a connection after a few idle seconds gets an answer, not a
// closed socket ("other side closed"). Node's own default (5 s, the close landing at ~6 s) closed
// them while clients such as browsers, which keep idle connections far longer, were sending their
// next request on them.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { describe, test } from 'vitest';
import { env } from '../support/env.ts';

const url = new URL(env.SUPABASE_URL);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw keep-alive connection: what the client sends, and each answer's status line and headers. */
class Connection {
  private readonly socket: Socket;
  private buffered = '';
  private closedAt: number | undefined;
  private waiting: (() => void) | undefined;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffered += chunk;
      this.waiting?.();
    });
    const closed = () => {
      this.closedAt ??= performance.now();
      this.waiting?.();
    };
    socket.on('end', closed);
    socket.on('close', closed);
    socket.on('error', closed);
  }

  static open(): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const s = connect(Number(url.port), url.hostname, () => resolve(new Connection(s)));
      s.once('error', reject);
    });
  }

  get closed(): boolean {
    return this.closedAt !== undefined;
  }

  /** Sends one GET and reads its whole answer (Content-Length framed); rejects when the server closed instead. */
  async get(path: string): Promise<{ status: number; headers: Record<string, string> }> {
    if (this.closed) throw new Error('the server closed the idle connection');
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\napikey: ${env.ANON_KEY}\r\nConnection: keep-alive\r\n\r\n`);
    for (;;) {
      const end = this.buffered.indexOf('\r\n\r\n');
      if (end >= 0) {
        const [statusLine, ...lines] = this.buffered.slice(0, end).split('\r\n');
        const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        const length = Number(headers['content-length'] ?? NaN);
        assert.ok(Number.isFinite(length), 'the answer has a Content-Length');
        if (this.buffered.length >= end + 4 + length) {
          this.buffered = this.buffered.slice(end + 4 + length);
          return { status: Number(statusLine!.split(' ')[1]), headers };
        }
      }
      if (this.closed) throw new Error('the server closed the connection instead of answering');
      await new Promise<void>((r) => (this.waiting = r));
      this.waiting = undefined;
    }
  }

  end(): void {
    this.socket.destroy();
  }
}

const path = '/rest/v1/exams?select=id&limit=1';

describe.concurrent('idle keep-alive connections', () => {
  test('are kept open past Node\'s old 5 s: a request after 4.5, 7 and 9 s idle on the same connection is answered', async () => {
    const gaps = [4_500, 7_000, 9_000];
    const connections = await Promise.all(gaps.map(() => Connection.open()));
    try {
      const first = await Promise.all(connections.map((c) => c.get(path)));
      for (const r of first) {
        assert.equal(r.status, 200);
        assert.notEqual(r.headers.connection, 'close');
      }
      await Promise.all(connections.map(async (c, i) => {
        await sleep(gaps[i]!);
        assert.equal(c.closed, false, `the connection is still open after ${gaps[i]} ms idle`);
        assert.equal((await c.get(path)).status, 200, `answered after ${gaps[i]} ms idle`);
      }));
      // The hint clients such as undici read (they close an idle connection a second before it)
      // announces the timeout the server keeps.
      const hint = /timeout=(\d+)/.exec(first[0]!.headers['keep-alive'] ?? '')?.[1];
      assert.equal(hint, '60', `Keep-Alive: ${first[0]!.headers['keep-alive']}`);
    } finally {
      for (const c of connections) c.end();
    }
  }, 20_000);

  test('many connections reused after idle gaps around the old 5 s timeout: none meets a closed socket', async () => {
    // Many connections, each reused after an idle gap spread across 5.5-6.5 s, the window in
    // which a client's reuse used to cross the server's close.
    const n = 12;
    const connections = await Promise.all(Array.from({ length: n }, () => Connection.open()));
    try {
      await Promise.all(connections.map((c) => c.get(path)));
      const failures: string[] = [];
      await Promise.all(connections.map(async (c, i) => {
        await sleep(5_500 + (1_000 * i) / (n - 1));
        await c.get(path).then((r) => r.status === 200 || failures.push(`status ${r.status}`), (e: Error) => failures.push(e.message));
      }));
      assert.deepEqual(failures, []);
    } finally {
      for (const c of connections) c.end();
    }
  }, 20_000);
});
