// The provider seam against the fake provider, over real HTTP on loopback.
import assert from 'node:assert/strict';
import { z } from 'zod';
import type { OnlineConfig } from './config.ts';
import { ProviderError } from './errors.ts';
import { type FakeProvider, startFakeProvider } from './fake_provider.ts';
import { ChatProvider, structuredOutputSchema } from './provider.ts';

function configFor(fake: FakeProvider, extra: Partial<OnlineConfig> = {}): OnlineConfig {
  return {
    mode: 'online',
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    model: 'fake-model',
    timeoutMs: 2000,
    jsonMode: 'json_schema',
    ...extra,
  };
}

async function withFake(fn: (fake: FakeProvider) => Promise<void>, options = {}) {
  const fake = await startFakeProvider(options);
  try {
    await fn(fake);
  } finally {
    await fake.close();
  }
}

async function collect(gen: AsyncGenerator<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const d of gen) out.push(d);
  return out;
}

const hello = { messages: [{ role: 'user' as const, content: 'hello' }] };

Deno.test('complete: sends model and messages with the bearer key, returns the text', () =>
  withFake(async (fake) => {
    const p = new ChatProvider(configFor(fake));
    assert.equal(await p.complete({ ...hello, temperature: 0.2, maxTokens: 50 }), 'Fake reply to: hello');
    assert.equal(fake.requests.length, 1);
    assert.equal(fake.requests[0]!.model, 'fake-model');
    assert.equal(fake.requests[0]!.temperature, 0.2);
    assert.equal(fake.requests[0]!.max_tokens, 50);
    assert.equal(fake.requests[0]!.stream, undefined);
  }));

Deno.test('stream: yields the deltas of the SSE chunks until [DONE]', () =>
  withFake(async (fake) => {
    const p = new ChatProvider(configFor(fake));
    const deltas = await collect(await p.stream(hello));
    assert.ok(deltas.length > 3, 'several chunks');
    assert.equal(deltas.join(''), 'Fake reply to: hello');
    assert.equal(fake.requests[0]!.stream, true);
  }, { chunkSize: 3 }));

Deno.test('json: asks for a json_schema response_format and validates the answer with zod', () =>
  withFake(async (fake) => {
    fake.setResponder(() => JSON.stringify({ answer: 42 }));
    const schema = z.object({ answer: z.number() });
    const p = new ChatProvider(configFor(fake));
    assert.deepEqual(await p.json(hello, schema, 'the_answer'), { answer: 42 });
    const rf = fake.requests[0]!.response_format!;
    assert.equal(rf.type, 'json_schema');
    assert.equal(rf.json_schema?.name, 'the_answer');
    assert.deepEqual((rf.json_schema?.schema as { required: string[] }).required, ['answer']);
  }));

Deno.test('json: json_object mode, fenced JSON accepted', () =>
  withFake(async (fake) => {
    fake.setResponder(() => '```json\n{"answer": 1}\n```');
    const p = new ChatProvider(configFor(fake, { jsonMode: 'json_object' }));
    assert.deepEqual(await p.json(hello, z.object({ answer: z.number() }), 'x'), { answer: 1 });
    assert.deepEqual(fake.requests[0]!.response_format, { type: 'json_object' });
  }));

Deno.test('json: text that is not JSON, or JSON of the wrong shape, is a 502 naming the schema', () =>
  withFake(async (fake) => {
    const p = new ChatProvider(configFor(fake));
    fake.setResponder(() => 'Sure! Here it is');
    await assert.rejects(
      p.json(hello, z.object({ a: z.string() }), 'report'),
      (e: ProviderError) =>
        e.status === 502 && e.failure === 'invalid_response' && /not JSON for report/.test(e.message),
    );
    fake.setResponder(() => '{"a": 1}');
    await assert.rejects(
      p.json(hello, z.object({ a: z.string() }), 'report'),
      (e: ProviderError) => e.status === 502 && /does not match report: a:/.test(e.message),
    );
  }));

Deno.test('a wrong key: the provider 401 is a 502 naming the credentials', () =>
  withFake(async (fake) => {
    const p = new ChatProvider({ ...configFor(fake), apiKey: 'wrong' });
    await assert.rejects(p.complete(hello), (e: ProviderError) =>
      e.status === 502 && e.failure === 'auth' &&
      /refused our credentials \(401 invalid_api_key\): Incorrect API key provided/.test(e.message));
  }));

Deno.test('429 is a 503 with Retry-After; 500 is a 502; both before any stream starts', () =>
  withFake(async (fake) => {
    const p = new ChatProvider(configFor(fake));
    fake.failNext({ status: 429, retryAfter: 3, message: 'Rate limit reached' });
    await assert.rejects(p.stream(hello), (e: ProviderError) =>
      e.status === 503 && e.retryAfter === 3 && e.failure === 'rate_limited');
    fake.failNext({ status: 500, message: 'The server had an error' });
    await assert.rejects(p.complete(hello), (e: ProviderError) =>
      e.status === 502 && /failed \(500 server_error\): The server had an error/.test(e.message));
    fake.failNext({ status: 404, code: 'model_not_found', message: 'The model `x` does not exist' });
    await assert.rejects(p.complete(hello), (e: ProviderError) =>
      e.status === 502 && /Check AI_MODEL/.test(e.message));
  }));

Deno.test('a stream cut off before [DONE] is a 502 stream_interrupted after the deltas received', () =>
  withFake(async (fake) => {
    const p = new ChatProvider(configFor(fake));
    fake.breakNextStreamAfter(2);
    const got: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const d of await p.stream(hello)) got.push(d);
      })(),
      (e: ProviderError) => e.status === 502 && e.failure === 'stream_interrupted',
    );
    assert.equal(got.length, 2);
  }, { chunkSize: 2 }));

Deno.test('a provider that does not answer in time is a 503 timeout', () =>
  withFake(async (fake) => {
    const p = new ChatProvider(configFor(fake, { timeoutMs: 150 }));
    fake.stallNext(600);
    await assert.rejects(p.complete(hello), (e: ProviderError) =>
      e.status === 503 && e.failure === 'timeout' && /did not answer within 150 ms/.test(e.message));
  }));

Deno.test('a stream that goes silent is a 503 timeout', () =>
  withFake(async (fake) => {
    const p = new ChatProvider(configFor(fake, { timeoutMs: 150 }));
    fake.setLatency(0, 600);
    await assert.rejects(collect(await p.stream(hello)), (e: ProviderError) =>
      e.status === 503 && e.failure === 'timeout');
  }));

Deno.test('nobody listening is a 503 unreachable', async () => {
  const fake = await startFakeProvider();
  const config = configFor(fake);
  await fake.close();
  await assert.rejects(
    new ChatProvider(config).complete(hello),
    (e: ProviderError) => e.status === 503 && e.failure === 'unreachable' && /unreachable/.test(e.message),
  );
});

Deno.test('the fake speaks OpenAI: chat.completion and chat.completion.chunk, errors with an error object', () =>
  withFake(async (fake) => {
    const res = await fetch(`${fake.url}/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${fake.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    });
    const body = await res.json();
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.choices[0].finish_reason, 'stop');
    const s = await fetch(`${fake.url}/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${fake.apiKey}` },
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] }),
    });
    assert.equal(s.headers.get('content-type'), 'text/event-stream');
    const text = await s.text();
    assert.match(text, /^data: \{"id":"chatcmpl-fake\d+","object":"chat.completion.chunk"/);
    assert.ok(text.endsWith('data: [DONE]\n\n'));
    const unauthorized = await fetch(`${fake.url}/chat/completions`, { method: 'POST', body: '{}' });
    assert.equal(unauthorized.status, 401);
    assert.equal((await unauthorized.json()).error.code, 'invalid_api_key');
  }));

Deno.test('the schema sent for structured output keeps structure, drops the constraints strict mode refuses', () => {
  const schema = z.strictObject({
    name: z.string().min(1).max(20),
    n: z.number().int().min(0).max(5),
    tags: z.array(z.string()).max(3),
    kind: z.enum(['a', 'b']),
    note: z.string().nullable(),
  });
  const sent = structuredOutputSchema(z.toJSONSchema(schema, { target: 'draft-7' })) as Record<string, unknown>;
  const text = JSON.stringify(sent);
  for (const k of ['minLength', 'maxLength', 'minimum', 'maximum', 'maxItems', '$schema']) {
    assert.ok(!text.includes(`"${k}"`), k);
  }
  assert.equal(sent.additionalProperties, false);
  assert.deepEqual((sent.required as string[]).sort(), ['kind', 'n', 'name', 'note', 'tags']);
  assert.deepEqual((sent.properties as Record<string, { enum?: string[] }>).kind!.enum, ['a', 'b']);
  assert.equal((sent.properties as Record<string, { type?: string }>).n!.type, 'integer');
});
