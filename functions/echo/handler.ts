// `echo` (verify_jwt = false): answers with what it received, to check what reaches a function
// (method, its own path, query, headers, body), and with `?sse=N` streams N server-sent events,
// to check that responses stream through unbuffered. It reflects only the caller's own request.
import { corsHeaders, json } from '../_shared/cors.ts';

/** Bodies longer than this are counted, not echoed. */
export const ECHO_LIMIT = 64 * 1024;
const MAX_EVENTS = 100;
const MAX_INTERVAL_MS = 5000;

export interface Echo {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string | null;
  bodyBytes: number;
}

/** Reads the body chunk by chunk: its size, and its text when short enough to echo. */
async function readBody(req: Request): Promise<{ text: string | null; bytes: number }> {
  if (!req.body) return { text: null, bytes: 0 };
  const kept: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of req.body) {
    bytes += chunk.byteLength;
    if (bytes <= ECHO_LIMIT) kept.push(chunk);
  }
  if (bytes > ECHO_LIMIT) return { text: null, bytes };
  return { text: new TextDecoder().decode(concat(kept, bytes)), bytes };
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const all = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return all;
}

/** `count` events `data: {"n": i, "of": count}`, one every `intervalMs`, the first at once. */
export function eventStream(count: number, intervalMs: number): Response {
  const total = Math.min(Math.max(Math.trunc(count) || 1, 1), MAX_EVENTS);
  const every = Math.min(Math.max(Math.trunc(intervalMs) || 0, 0), MAX_INTERVAL_MS);
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let n = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = () => {
        n++;
        controller.enqueue(encoder.encode(`data: ${JSON.stringify({ n, of: total })}\n\n`));
        if (n >= total) controller.close();
        else timer = setTimeout(send, every);
      };
      send();
    },
    cancel() {
      clearTimeout(timer);
    },
  });
  return new Response(body, {
    headers: { ...corsHeaders, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' },
  });
}

export async function handler(req: Request): Promise<Response> {
  if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
  const url = new URL(req.url);
  const sse = url.searchParams.get('sse');
  if (sse !== null) return eventStream(Number(sse), Number(url.searchParams.get('interval') ?? 100));
  const { text, bytes } = await readBody(req);
  const echo: Echo = {
    method: req.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: Object.fromEntries(req.headers),
    body: text,
    bodyBytes: bytes,
  };
  return json(echo);
}
