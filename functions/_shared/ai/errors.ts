// Failures of the AI provider, as the functions report them: 502 when the provider answered
// badly (refused our credentials, failed, returned something unusable), 503 when it could not be
// used right now (unreachable, timed out, rate-limited, overloaded). The message names what failed.
import { corsHeaders } from '../cors.ts';

export type ProviderFailure =
  | 'unreachable'
  | 'timeout'
  | 'rate_limited'
  | 'unavailable'
  | 'auth'
  | 'rejected'
  | 'server_error'
  | 'invalid_response'
  | 'stream_interrupted';

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly failure: ProviderFailure,
    readonly status: 502 | 503,
    message: string,
    /** Seconds the provider asked us to wait (429/503 Retry-After). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** The OpenAI error body `{error: {message, type, code}}`, or the text of another body, shortened. */
export function describeErrorBody(text: string): { message: string; code: string | null } {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown; code?: unknown; type?: unknown } | string };
    if (typeof body.error === 'string') return { message: body.error, code: null };
    const message = typeof body.error?.message === 'string' ? body.error.message : '';
    const code = typeof body.error?.code === 'string'
      ? body.error.code
      : typeof body.error?.type === 'string'
      ? body.error.type
      : null;
    if (message) return { message: message.slice(0, 300), code };
  } catch {
    // not JSON
  }
  return { message: text.trim().slice(0, 300) || '(empty body)', code: null };
}

/** Maps a provider's HTTP error status and body to the error we answer with. */
export function providerHttpError(
  provider: string,
  status: number,
  bodyText: string,
  retryAfter?: string | null,
): ProviderError {
  const { message, code } = describeErrorBody(bodyText);
  const what = `${status}${code ? ` ${code}` : ''}`;
  const wait = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  if (status === 401 || status === 403) {
    return new ProviderError(
      'auth',
      502,
      `AI provider ${provider} refused our credentials (${what}): ${message}. Check AI_API_KEY.`,
    );
  }
  if (status === 429) {
    return new ProviderError(
      'rate_limited',
      503,
      `AI provider ${provider} is rate-limiting us (${what}): ${message}`,
      wait,
    );
  }
  if (status === 503 || status === 529) {
    return new ProviderError('unavailable', 503, `AI provider ${provider} is unavailable (${what}): ${message}`, wait);
  }
  if (status >= 500) {
    return new ProviderError('server_error', 502, `AI provider ${provider} failed (${what}): ${message}`);
  }
  return new ProviderError(
    'rejected',
    502,
    `AI provider ${provider} rejected the request (${what}): ${message}. Check AI_MODEL and AI_BASE_URL.`,
  );
}

/** The JSON error response of a provider failure: `{error, failure}` with 502/503 (and Retry-After). */
export function providerErrorResponse(e: ProviderError): Response {
  const headers: Record<string, string> = { ...corsHeaders, 'Content-Type': 'application/json' };
  if (e.retryAfter !== undefined) headers['Retry-After'] = String(e.retryAfter);
  return new Response(JSON.stringify({ error: e.message, failure: e.failure }), { status: e.status, headers });
}
