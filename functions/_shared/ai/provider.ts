// The one seam to an AI model: an OpenAI-compatible chat-completions client (OpenAI, Ollama,
// vLLM, LM Studio, OpenRouter, ...). `complete` answers text, `stream` yields the text as it is
// generated (SSE chunks), `json` asks for JSON (response_format) and validates it with zod.
// Every failure is a ProviderError naming what failed, answered as 502 or 503.
import { z } from 'zod';
import type { OnlineConfig } from './config.ts';
import { ProviderError, providerHttpError } from './errors.ts';
import { sseData } from './sse.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
}

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

const chunkSchema = z.object({
  choices: z.array(z.object({ delta: z.object({ content: z.string().nullish() }).partial().optional() })).optional(),
});

export class ChatProvider {
  readonly name: string;
  constructor(readonly config: OnlineConfig, private readonly fetchImpl: typeof fetch = fetch) {
    this.name = `${config.model} at ${new URL(config.baseUrl).host}`;
  }

  /** The whole answer as text. */
  async complete(req: ChatRequest): Promise<string> {
    const body = await this.call(req, {});
    return this.parseCompletion(body);
  }

  /** JSON matching `schema` (named `name` for the provider's structured-output mode). */
  async json<T>(req: ChatRequest, schema: z.ZodType<T>, name: string): Promise<T> {
    const responseFormat = this.config.jsonMode === 'json_schema'
      ? {
        type: 'json_schema',
        json_schema: {
          name,
          strict: true,
          schema: structuredOutputSchema(z.toJSONSchema(schema, { target: 'draft-7' })),
        },
      }
      : { type: 'json_object' };
    const text = this.parseCompletion(await this.call(req, { response_format: responseFormat }));
    let value: unknown;
    try {
      value = JSON.parse(stripFence(text));
    } catch {
      throw new ProviderError(
        'invalid_response',
        502,
        `AI provider ${this.name} returned text that is not JSON for ${name}: ${text.slice(0, 120)}`,
      );
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join(
        '; ',
      );
      throw new ProviderError(
        'invalid_response',
        502,
        `AI provider ${this.name} returned JSON that does not match ${name}: ${issues}`,
      );
    }
    return parsed.data;
  }

  /**
   * Starts a streamed answer. Resolves once the provider accepted the request (so a refusal is a
   * ProviderError before any byte is sent to our caller), to the text deltas as they arrive.
   */
  async stream(req: ChatRequest, signal?: AbortSignal): Promise<AsyncGenerator<string>> {
    const { res, abort } = await this.send(req, { stream: true }, signal);
    if (!res.body) {
      throw new ProviderError('invalid_response', 502, `AI provider ${this.name} sent a stream without a body`);
    }
    return this.deltas(res.body, abort);
  }

  private async *deltas(body: ReadableStream<Uint8Array>, abort: () => void): AsyncGenerator<string> {
    let finished = false;
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        abort();
      }, this.config.timeoutMs);
    };
    try {
      arm();
      for await (const raw of sseData(body)) {
        arm();
        const data = raw.trim();
        if (data === '[DONE]') {
          finished = true;
          break;
        }
        let chunk: unknown;
        try {
          chunk = JSON.parse(data);
        } catch {
          throw new ProviderError(
            'invalid_response',
            502,
            `AI provider ${this.name} streamed a chunk that is not JSON: ${data.slice(0, 120)}`,
          );
        }
        if (chunk && typeof chunk === 'object' && 'error' in chunk) {
          const err = (chunk as { error?: { message?: string } }).error;
          throw new ProviderError(
            'stream_interrupted',
            502,
            `AI provider ${this.name} failed mid-stream: ${err?.message ?? 'unknown error'}`,
          );
        }
        const parsed = chunkSchema.safeParse(chunk);
        if (!parsed.success) {
          throw new ProviderError(
            'invalid_response',
            502,
            `AI provider ${this.name} streamed a chunk that is not a chat.completion.chunk`,
          );
        }
        const delta = parsed.data.choices?.[0]?.delta?.content;
        if (delta) yield delta;
      }
    } catch (e) {
      if (e instanceof ProviderError) throw e;
      if (timedOut) {
        throw new ProviderError(
          'timeout',
          503,
          `AI provider ${this.name} went silent for ${this.config.timeoutMs} ms mid-stream`,
        );
      }
      throw new ProviderError(
        'stream_interrupted',
        502,
        `AI provider ${this.name} broke off the stream: ${(e as Error).message}`,
      );
    } finally {
      clearTimeout(timer);
      if (!finished) abort();
    }
    if (!finished) {
      throw new ProviderError('stream_interrupted', 502, `AI provider ${this.name} ended the stream before [DONE]`);
    }
  }

  private parseCompletion(body: unknown): string {
    const parsed = completionSchema.safeParse(body);
    if (!parsed.success) {
      throw new ProviderError(
        'invalid_response',
        502,
        `AI provider ${this.name} returned a body that is not a chat completion`,
      );
    }
    return parsed.data.choices[0]!.message.content ?? '';
  }

  private async call(req: ChatRequest, extra: Record<string, unknown>): Promise<unknown> {
    const { res, abort } = await this.send(req, extra);
    const text = await this.withTimeout(res.text(), 'for the body of its answer').finally(abort);
    try {
      return JSON.parse(text);
    } catch {
      throw new ProviderError(
        'invalid_response',
        502,
        `AI provider ${this.name} answered ${res.status} with a body that is not JSON`,
      );
    }
  }

  /**
   * POSTs to chat/completions; resolves on a 2xx with a way to abort the body still to come,
   * throws a ProviderError otherwise.
   */
  private async send(
    req: ChatRequest,
    extra: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<{ res: Response; abort: () => void }> {
    const url = `${this.config.baseUrl}/chat/completions`;
    const controller = new AbortController();
    const abort = () => controller.abort();
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort();
    }, this.config.timeoutMs);
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.config.apiKey}`,
          'Content-Type': 'application/json',
          Accept: extra.stream ? 'text/event-stream' : 'application/json',
        },
        body: JSON.stringify({
          model: this.config.model,
          messages: req.messages,
          ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
          ...(req.maxTokens !== undefined ? { max_tokens: req.maxTokens } : {}),
          ...extra,
        }),
        signal: controller.signal,
      });
    } catch (e) {
      signal?.removeEventListener('abort', abort);
      if (timedOut) {
        throw new ProviderError(
          'timeout',
          503,
          `AI provider ${this.name} did not answer within ${this.config.timeoutMs} ms`,
        );
      }
      throw new ProviderError('unreachable', 503, `AI provider ${this.name} is unreachable: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      signal?.removeEventListener('abort', abort);
      throw providerHttpError(this.name, res.status, text, res.headers.get('retry-after'));
    }
    return {
      res,
      abort: () => {
        signal?.removeEventListener('abort', abort);
        abort();
      },
    };
  }

  private async withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ProviderError(
              'timeout',
              503,
              `AI provider ${this.name} went silent for ${this.config.timeoutMs} ms ${what}`,
            ),
          ),
        this.config.timeoutMs,
      );
    });
    try {
      return await Promise.race([p, limit]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Keywords strict structured-output modes reject or ignore; zod checks them after the answer. */
const UNSUPPORTED = new Set([
  '$schema',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'default',
]);

/**
 * The JSON schema to send as response_format: the zod schema's, without the constraint keywords
 * OpenAI's strict mode (and several local servers) refuse. The answer is still validated
 * against the full zod schema.
 */
export function structuredOutputSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(structuredOutputSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (UNSUPPORTED.has(k)) continue;
    out[k] = k === 'properties' && v && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).map(([p, sub]) => [p, structuredOutputSchema(sub)]))
      : structuredOutputSchema(v);
  }
  return out;
}

/** Some models wrap JSON in a Markdown fence even in JSON mode. */
function stripFence(text: string): string {
  const m = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(text);
  return m ? m[1]! : text;
}
