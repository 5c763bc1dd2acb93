// Forwarding one request to a function's server on loopback and its response back, both bodies
// streamed (uploads, SSE) with node:http so bytes pass as they are: no re-encoding, no buffering.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

/** Headers that belong to one connection, never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer',
  'transfer-encoding', 'upgrade',
]);

export interface ForwardOptions {
  port: number;
  /** Path and query as the function sees them: `/<name>/<rest>?<query>`. */
  path: string;
  /** The prefix the gateway stripped, for `X-Forwarded-Prefix`. */
  prefix: string;
  /** Longest wait for the response headers before the request counts as over its limit. */
  wallClockMs: number;
  /** Called once, when the exchange is over (response ended, failed or abandoned). */
  onDone: () => void;
  /** The caller as the edge sees it; untrusted with no X-Forwarded-For when absent. */
  from?: ForwardedFrom;
}

export type ForwardResult =
  | { ok: true; response: Response }
  | { ok: false; reason: 'limit' | 'failed' | 'aborted'; error?: Error };

/** Headers a proxy writes itself; a client's own are believed only from a trusted proxy. */
const PROXY_HEADERS = /^(x-forwarded-|forwarded$|x-real-ip$)/;

/** How the gateway sees the caller (kit/forwarded.ts); untrusted with no chain by default. */
export interface ForwardedFrom {
  /** The peer is a trusted proxy: its X-Forwarded-* are passed on. */
  trusted: boolean;
  /** X-Forwarded-For to send: the trusted chain plus the peer, or the peer alone. */
  forwardedFor: string;
}

/**
 * The request headers to send on: all but hop-by-hop ones, with the X-Forwarded-* a proxy sets
 * from the real connection. A client's own X-Forwarded-* (and Forwarded, X-Real-IP) are dropped
 * unless it is a trusted proxy, so a function never believes a made-up client address or host.
 */
export function forwardedHeaders(headers: Headers, url: URL, prefix: string, from: ForwardedFrom = { trusted: false, forwardedFor: '' }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of headers) {
    if (HOP_BY_HOP.has(k)) continue;
    if (!from.trusted && PROXY_HEADERS.test(k)) continue;
    out[k] = v;
  }
  // The function builds `req.url` from Host: it should see the gateway's, not its loopback port.
  out.host ??= url.host;
  if (from.forwardedFor) out['x-forwarded-for'] = from.forwardedFor;
  out['x-forwarded-host'] ??= headers.get('host') ?? url.host;
  out['x-forwarded-proto'] ??= url.protocol.replace(':', '');
  out['x-forwarded-port'] ??= url.port || (url.protocol === 'https:' ? '443' : '80');
  out['x-forwarded-prefix'] ??= prefix;
  return out;
}

/** The response headers to send back, keeping repeated ones (Set-Cookie) apart. */
export function responseHeaders(raw: string[]): Headers {
  const h = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i]!.toLowerCase();
    if (!HOP_BY_HOP.has(k)) h.append(k, raw[i + 1]!);
  }
  return h;
}

export function forward(req: Request, opts: ForwardOptions): Promise<ForwardResult> {
  const url = new URL(req.url);
  let finished = false;
  const done = () => {
    if (finished) return;
    finished = true;
    req.signal.removeEventListener('abort', onAbort);
    opts.onDone();
  };
  const upstream = httpRequest({
    host: '127.0.0.1',
    port: opts.port,
    method: req.method,
    path: opts.path,
    headers: forwardedHeaders(req.headers, url, opts.prefix, opts.from),
    agent: false,
  });
  const onAbort = () => upstream.destroy(new Error('the client went away'));
  req.signal.addEventListener('abort', onAbort);

  return new Promise<ForwardResult>((resolve) => {
    let answered = false;
    const fail = (reason: 'limit' | 'failed' | 'aborted', error?: Error) => {
      if (answered) return;
      answered = true;
      clearTimeout(limit);
      upstream.destroy();
      done();
      resolve({ ok: false, reason, ...(error ? { error } : {}) });
    };
    const limit = setTimeout(() => fail('limit'), opts.wallClockMs);
    limit.unref();

    upstream.on('error', (e) => fail(req.signal.aborted ? 'aborted' : 'failed', e));
    upstream.on('response', (res: IncomingMessage) => {
      answered = true;
      clearTimeout(limit);
      const status = res.statusCode ?? 502;
      const headers = responseHeaders(res.rawHeaders);
      if (req.method === 'HEAD' || status === 204 || status === 304) {
        res.resume();
        res.on('close', done);
        resolve({ ok: true, response: new Response(null, { status, headers }) });
        return;
      }
      resolve({ ok: true, response: new Response(streamOf(res, () => upstream.destroy(), done), { status, headers }) });
    });

    const body = req.body;
    if (body && req.method !== 'GET' && req.method !== 'HEAD') {
      const source = Readable.fromWeb(body as unknown as NodeReadableStream<Uint8Array>);
      source.on('error', (e) => fail(req.signal.aborted ? 'aborted' : 'failed', e));
      upstream.on('close', () => source.destroy());
      source.pipe(upstream);
    } else {
      upstream.end();
    }
  });
}

/** The upstream response body as a web stream, chunk by chunk, with back-pressure. */
function streamOf(res: IncomingMessage, abandon: () => void, done: () => void): ReadableStream<Uint8Array> {
  let settled = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) res.pause();
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        controller.close();
        done();
      });
      res.on('close', () => {
        if (settled) return;
        settled = true;
        // The function's process died or dropped the connection mid-response: the client sees a
        // cut stream, as it would from Supabase.
        controller.error(new Error('the function ended the response early'));
        done();
      });
    },
    pull() {
      res.resume();
    },
    cancel() {
      settled = true;
      abandon();
      done();
    },
  });
}
