// Which AI the functions use, from their secrets (functions/.env locally, `supabase secrets set`
// on Supabase): any OpenAI-compatible chat-completions endpoint, or, without AI_API_KEY, the
// deterministic offline trainer that keeps every flow usable and says so.
import { z } from 'zod';

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_MODEL = 'gpt-4o-mini';
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface OnlineConfig {
  mode: 'online';
  /** Up to and including the API version, without the trailing slash: `${baseUrl}/chat/completions`. */
  baseUrl: string;
  apiKey: string;
  model: string;
  /** Longest wait for the provider's answer to start, and between two streamed chunks. */
  timeoutMs: number;
  /** `json_schema` (OpenAI structured outputs, vLLM, Ollama) or `json_object` (older servers). */
  jsonMode: 'json_schema' | 'json_object';
}

export interface OfflineConfig {
  mode: 'offline';
  reason: string;
}

export type AiConfig = OnlineConfig | OfflineConfig;

const envSchema = z.object({
  AI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  AI_API_KEY: z.string().min(1).optional(),
  AI_MODEL: z.string().min(1).max(200).optional(),
  AI_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).optional(),
  AI_JSON_MODE: z.enum(['json_schema', 'json_object']).optional(),
});

/** Reads AI_* from `env`; empty values count as unset. Throws with a message naming a bad value. */
export function aiConfig(env: Record<string, string | undefined>): AiConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith('AI_') && v !== undefined && v.trim() !== '').map((
      [k, v],
    ) => [k, v!.trim()]),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Cannot configure the AI provider: ${issues}`);
  }
  const v = parsed.data;
  if (!v.AI_API_KEY) {
    return { mode: 'offline', reason: 'AI_API_KEY is not set' };
  }
  return {
    mode: 'online',
    baseUrl: (v.AI_BASE_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, ''),
    apiKey: v.AI_API_KEY,
    model: v.AI_MODEL ?? DEFAULT_MODEL,
    timeoutMs: v.AI_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS,
    jsonMode: v.AI_JSON_MODE ?? 'json_schema',
  };
}

/** The configuration from this process's environment. */
export function aiConfigFromEnv(): AiConfig {
  return aiConfig(Deno.env.toObject());
}

/** What a client may know about the AI in use (never the key). */
export function describeAi(
  config: AiConfig,
): { mode: 'online' | 'offline'; model: string | null; notice: string | null } {
  return config.mode === 'online'
    ? { mode: 'online', model: config.model, notice: null }
    : { mode: 'offline', model: null, notice: OFFLINE_NOTICE };
}

export const OFFLINE_NOTICE =
  'Offline mode: no AI provider is configured (AI_API_KEY is not set), so replies are scripted and scores are rule-based.';
