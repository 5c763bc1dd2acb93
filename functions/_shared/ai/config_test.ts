import assert from 'node:assert/strict';
import { aiConfig, DEFAULT_BASE_URL, DEFAULT_MODEL, describeAi } from './config.ts';

Deno.test('without AI_API_KEY the offline trainer is used', () => {
  assert.deepEqual(aiConfig({}), { mode: 'offline', reason: 'AI_API_KEY is not set' });
  assert.equal(aiConfig({ AI_API_KEY: '  ', AI_BASE_URL: 'http://127.0.0.1:11434/v1' }).mode, 'offline');
});

Deno.test('a key alone means OpenAI with the default model', () => {
  assert.deepEqual(aiConfig({ AI_API_KEY: 'sk-1' }), {
    mode: 'online',
    baseUrl: DEFAULT_BASE_URL,
    apiKey: 'sk-1',
    model: DEFAULT_MODEL,
    timeoutMs: 30_000,
    jsonMode: 'json_schema',
  });
});

Deno.test('base URL, model, timeout and JSON mode come from the environment', () => {
  const c = aiConfig({
    AI_API_KEY: 'ollama',
    AI_BASE_URL: 'http://127.0.0.1:11434/v1/',
    AI_MODEL: 'llama3.1',
    AI_TIMEOUT_MS: '5000',
    AI_JSON_MODE: 'json_object',
    OTHER: 'x',
  });
  assert.deepEqual(c, {
    mode: 'online',
    baseUrl: 'http://127.0.0.1:11434/v1',
    apiKey: 'ollama',
    model: 'llama3.1',
    timeoutMs: 5000,
    jsonMode: 'json_object',
  });
});

Deno.test('a bad value is an error naming the variable', () => {
  assert.throws(
    () => aiConfig({ AI_API_KEY: 'k', AI_BASE_URL: 'ftp://x' }),
    /Cannot configure the AI provider: AI_BASE_URL/,
  );
  assert.throws(() => aiConfig({ AI_API_KEY: 'k', AI_TIMEOUT_MS: 'soon' }), /AI_TIMEOUT_MS/);
  assert.throws(() => aiConfig({ AI_API_KEY: 'k', AI_JSON_MODE: 'yaml' }), /AI_JSON_MODE/);
});

Deno.test('describeAi never shows the key and says plainly when offline', () => {
  assert.deepEqual(describeAi(aiConfig({ AI_API_KEY: 'sk-secret', AI_MODEL: 'm' })), {
    mode: 'online',
    model: 'm',
    notice: null,
  });
  const offline = describeAi(aiConfig({}));
  assert.equal(offline.mode, 'offline');
  assert.match(offline.notice ?? '', /^Offline mode: no AI provider is configured/);
});
