// One queued pg_net request performed over HTTP, and the net._http_response row it becomes.
// Pure apart from `fetch`, which is injected so tests need no network.

/** A row taken from net.http_request_queue (`delete ... returning`). */
export interface QueuedRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, unknown> | null;
  body: Buffer | null;
  timeout_milliseconds: number;
}

/** The columns of net._http_response the worker writes (`created` takes its default). */
export interface ResponseRow {
  id: string;
  status_code: number | null;
  content_type: string | null;
  headers: Record<string, string> | null;
  content: string | null;
  timed_out: boolean;
  error_msg: string | null;
}

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** pg_net sends header values as strings; JSON numbers and booleans are written as their text. */
export function requestHeaders(headers: Record<string, unknown> | null): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === null || value === undefined) continue;
    out.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return out;
}

/** Response headers as pg_net stores them: one JSON object, repeated headers joined by ", ". */
export function responseHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = name in out ? `${out[name]}, ${value}` : value;
  });
  return out;
}

/** The error text pg_net (libcurl) records for a failure, as close as fetch lets us tell. */
export function errorMessage(err: unknown, timeoutMs: number): { timedOut: boolean; message: string } {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return { timedOut: true, message: `Timeout of ${timeoutMs} ms reached` };
  }
  const code = e?.cause?.code;
  if (code === 'ECONNREFUSED') return { timedOut: false, message: "Couldn't connect to server" };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { timedOut: false, message: "Couldn't resolve host name" };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return { timedOut: false, message: 'Failure when receiving data from the peer' };
  return { timedOut: false, message: e?.cause?.message ?? e?.message ?? String(err) };
}

/** Performs the request with its timeout; never throws: failures become error rows, as in pg_net. */
export async function perform(req: QueuedRequest, fetchImpl: Fetch = fetch): Promise<ResponseRow> {
  const method = req.method.toUpperCase();
  const timeoutMs = req.timeout_milliseconds > 0 ? req.timeout_milliseconds : 5000;
  const failed = (err: unknown): ResponseRow => {
    const { timedOut, message } = errorMessage(err, timeoutMs);
    return { id: req.id, status_code: null, content_type: null, headers: null, content: null, timed_out: timedOut, error_msg: message };
  };
  try {
    const signal = AbortSignal.timeout(timeoutMs);
    const res = await fetchImpl(req.url, {
      method,
      headers: requestHeaders(req.headers),
      body: method === 'GET' || req.body === null ? undefined : new Uint8Array(req.body),
      redirect: 'manual',
      signal,
    });
    // The body counts against the same timeout, as with curl's CURLOPT_TIMEOUT_MS.
    const content = await res.text();
    return {
      id: req.id,
      status_code: res.status,
      content_type: res.headers.get('content-type'),
      headers: responseHeaders(res.headers),
      content,
      timed_out: false,
      error_msg: null,
    };
  } catch (err) {
    return failed(err);
  }
}
