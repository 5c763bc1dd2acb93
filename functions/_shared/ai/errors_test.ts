import assert from 'node:assert/strict';
import { describeErrorBody, ProviderError, providerErrorResponse, providerHttpError } from './errors.ts';

const body = (_status: number, code: string, message: string) =>
  JSON.stringify({ error: { message, type: 'x', param: null, code } });

Deno.test('OpenAI error bodies are read for their message and code', () => {
  assert.deepEqual(describeErrorBody(body(401, 'invalid_api_key', 'Incorrect API key provided')), {
    message: 'Incorrect API key provided',
    code: 'invalid_api_key',
  });
  assert.deepEqual(describeErrorBody('{"error": "model not loaded"}'), { message: 'model not loaded', code: null });
  assert.deepEqual(describeErrorBody('<html>Bad gateway</html>'), { message: '<html>Bad gateway</html>', code: null });
  assert.deepEqual(describeErrorBody(''), { message: '(empty body)', code: null });
});

Deno.test('statuses map to 502 (answered badly) or 503 (not usable now)', () => {
  const cases: [number, string, 502 | 503][] = [
    [401, 'auth', 502],
    [403, 'auth', 502],
    [400, 'rejected', 502],
    [404, 'rejected', 502],
    [429, 'rate_limited', 503],
    [500, 'server_error', 502],
    [502, 'server_error', 502],
    [503, 'unavailable', 503],
  ];
  for (const [status, failure, mapped] of cases) {
    const e = providerHttpError('m at host', status, body(status, 'c', 'why'));
    assert.equal(e.failure, failure, String(status));
    assert.equal(e.status, mapped, String(status));
    assert.match(e.message, new RegExp(`^AI provider m at host .*\\(${status} c\\): why`));
  }
  assert.match(providerHttpError('p', 401, '').message, /Check AI_API_KEY/);
});

Deno.test('the error response carries the status, the message and Retry-After', async () => {
  const res = providerErrorResponse(providerHttpError('p', 429, body(429, 'rate_limit_exceeded', 'slow down'), '7'));
  assert.equal(res.status, 503);
  assert.equal(res.headers.get('retry-after'), '7');
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.deepEqual(await res.json(), {
    error: 'AI provider p is rate-limiting us (429 rate_limit_exceeded): slow down',
    failure: 'rate_limited',
  });
  const plain = providerErrorResponse(new ProviderError('timeout', 503, 'AI provider p did not answer within 5 ms'));
  assert.equal(plain.headers.get('retry-after'), null);
  await plain.body?.cancel();
});
