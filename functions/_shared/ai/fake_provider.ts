// A fake OpenAI-compatible provider for tests and benchmarks, never deployed: it speaks the
// real wire format of `POST /v1/chat/completions` (a `chat.completion` JSON body, or with
// `stream: true` `chat.completion.chunk` SSE events ending with `data: [DONE]`), checks the bearer
// key, and fails on demand with OpenAI's error bodies (401, 429, 500, ...). It listens on
// 127.0.0.1 on a port the system picks. Written on node:http so that both the Deno tests of
// functions/ and the Node tests of tests/ start it in-process.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  response_format?: { type: string; json_schema?: { name?: string; schema?: unknown } };
  [key: string]: unknown;
}

export interface FakeFailure {
  status: number;
  /** OpenAI's error `code` (and `type`). */
  code?: string;
  message?: string;
  retryAfter?: number;
}

/** What the fake answers: a text, or JSON text when the request asked for response_format. */
export type Responder = (req: FakeChatRequest) => string;

export interface FakeProviderOptions {
  /** The bearer key it accepts. Default `fake-key`. */
  apiKey?: string;
  respond?: Responder;
  /** Delay before the response headers (and the first chunk), in ms. */
  latencyMs?: number;
  /** Delay between two streamed chunks, in ms. */
  chunkDelayMs?: number;
  /** Characters per streamed chunk (a "token"). Default 4. */
  chunkSize?: number;
}

export interface FakeProvider {
  /** The base URL to give as AI_BASE_URL (`http://127.0.0.1:<port>/v1`). */
  url: string;
  apiKey: string;
  /** Every chat request received, in order. */
  requests: FakeChatRequest[];
  /** The next `n` requests (default 1) fail with this status and OpenAI's error body. */
  failNext(failure: FakeFailure, n?: number): void;
  /** The next streamed answer sends `chunks` chunks and then drops the connection. */
  breakNextStreamAfter(chunks: number): void;
  /** The next request gets its headers only after `ms` (to test timeouts). */
  stallNext(ms: number): void;
  setResponder(respond: Responder): void;
  setLatency(latencyMs: number, chunkDelayMs?: number): void;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  403: 'permission_error',
  404: 'invalid_request_error',
  429: 'requests',
  500: 'server_error',
  503: 'server_error',
};

const DEFAULT_CODES: Record<number, string> = {
  401: 'invalid_api_key',
  404: 'model_not_found',
  429: 'rate_limit_exceeded',
  500: 'server_error',
  503: 'overloaded',
};

/** OpenAI's error body. */
export function openAiError(status: number, code?: string, message?: string): string {
  return JSON.stringify({
    error: {
      message: message ?? `fake provider error ${status}`,
      type: ERROR_TYPES[status] ?? 'invalid_request_error',
      param: null,
      code: code ?? DEFAULT_CODES[status] ?? null,
    },
  });
}

const defaultResponder: Responder = (req) => {
  if (req.response_format) return JSON.stringify({ ok: true });
  const last = [...req.messages].reverse().find((m) => m.role === 'user');
  return `Fake reply to: ${last?.content ?? '(nothing)'}`;
};

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of req) text += decoder.decode(chunk as Uint8Array, { stream: true });
  return text + decoder.decode();
}

export function startFakeProvider(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const apiKey = options.apiKey ?? 'fake-key';
  let respond = options.respond ?? defaultResponder;
  let latencyMs = options.latencyMs ?? 0;
  let chunkDelayMs = options.chunkDelayMs ?? 0;
  const chunkSize = Math.max(1, options.chunkSize ?? 4);
  const failures: FakeFailure[] = [];
  let breakAfter: number | undefined;
  let stall = 0;
  const requests: FakeChatRequest[] = [];
  let counter = 0;

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(body);
  };

  const server = createServer(async (req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method !== 'POST' || !/\/chat\/completions$/.test(path)) {
      return send(res, 404, openAiError(404, 'unknown_url', `Unknown request URL: ${req.method} ${path}`));
    }
    const text = await readBody(req);
    const waitFor = stall;
    stall = 0;
    await sleep(waitFor + latencyMs);
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return send(res, 401, openAiError(401, 'invalid_api_key', 'Incorrect API key provided.'));
    }
    let body: FakeChatRequest;
    try {
      body = JSON.parse(text) as FakeChatRequest;
    } catch {
      return send(res, 400, openAiError(400, 'invalid_json', 'We could not parse the JSON body of your request.'));
    }
    if (typeof body.model !== 'string' || !Array.isArray(body.messages)) {
      return send(res, 400, openAiError(400, 'missing_required_parameter', 'model and messages are required.'));
    }
    requests.push(body);
    const failure = failures.shift();
    if (failure) {
      const headers: Record<string, string> = failure.retryAfter !== undefined
        ? { 'Retry-After': String(failure.retryAfter) }
        : {};
      return send(res, failure.status, openAiError(failure.status, failure.code, failure.message), headers);
    }
    const content = respond(body);
    const id = `chatcmpl-fake${++counter}`;
    const created = Math.floor(Date.now() / 1000);
    if (!body.stream) {
      return send(
        res,
        200,
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: 'stop' }],
          usage: {
            prompt_tokens: 1,
            completion_tokens: Math.ceil(content.length / 4),
            total_tokens: 1 + Math.ceil(content.length / 4),
          },
        }),
      );
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.flushHeaders();
    const chunk = (delta: Record<string, string>, finish: string | null) =>
      `data: ${
        JSON.stringify({
          id,
          object: 'chat.completion.chunk',
          created,
          model: body.model,
          choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        })
      }\n\n`;
    const write = (text: string) => new Promise<void>((r) => res.write(text, () => r()));
    await write(chunk({ role: 'assistant', content: '' }, null));
    const pieces: string[] = [];
    for (let i = 0; i < content.length; i += chunkSize) pieces.push(content.slice(i, i + chunkSize));
    const cut = breakAfter;
    breakAfter = undefined;
    for (let i = 0; i < pieces.length; i++) {
      if (cut !== undefined && i >= cut) {
        res.destroy();
        return;
      }
      if (i > 0) await sleep(chunkDelayMs);
      if (res.destroyed) return;
      await write(chunk({ content: pieces[i]! }, null));
    }
    res.write(chunk({}, 'stop'));
    res.end('data: [DONE]\n\n');
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/v1`,
        apiKey,
        requests,
        failNext(failure, n = 1) {
          for (let i = 0; i < n; i++) failures.push(failure);
        },
        breakNextStreamAfter(chunks) {
          breakAfter = chunks;
        },
        stallNext(ms) {
          stall = ms;
        },
        setResponder(r) {
          respond = r;
        },
        setLatency(l, c) {
          latencyMs = l;
          if (c !== undefined) chunkDelayMs = c;
        },
        close() {
          return new Promise<void>((r) => {
            server.closeAllConnections?.();
            server.close(() => r());
          });
        },
      });
    });
  });
}
