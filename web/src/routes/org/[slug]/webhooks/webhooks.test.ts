import assert from 'node:assert/strict';
import { test } from 'vitest';
import { canRetry, deliveryStatus, endpointSchema, lastProblem } from './webhooks.ts';

test('an endpoint needs an http(s) URL and at least one known event', () => {
  assert.deepEqual(endpointSchema.parse({ url: ' https://lms.example.com/ascend ', events: ['quiz.submitted'] }), { url: 'https://lms.example.com/ascend', description: '', events: ['quiz.submitted'] });
  const bad = endpointSchema.safeParse({ url: 'ftp://example.com', events: [] });
  assert.deepEqual(Object.fromEntries((bad.error?.issues ?? []).map((i) => [i.path[0], i.message])), { url: 'Enter an http:// or https:// URL', events: 'Choose at least one event' });
  assert.equal(endpointSchema.safeParse({ url: 'not a url', events: ['ping'] }).success, false);
  assert.equal(endpointSchema.safeParse({ url: 'https://x.test', events: ['grades.leaked'] }).success, false);
});

test('delivery states in words; retry only what waits or failed, on an active endpoint', () => {
  assert.deepEqual(deliveryStatus('failed'), { label: 'Failed', tone: 'danger' });
  assert.deepEqual(deliveryStatus('pending'), { label: 'Retrying', tone: 'warning' });
  assert.equal(canRetry('failed', true), true);
  assert.equal(canRetry('pending', true), true);
  assert.equal(canRetry('in_flight', true), false);
  assert.equal(canRetry('succeeded', true), false);
  assert.equal(canRetry('failed', false), false);
  assert.equal(lastProblem({ status: 'failed', last_status_code: 500, last_error: null }), 'HTTP 500');
  assert.equal(lastProblem({ status: 'pending', last_status_code: null, last_error: 'Timeout of 5000 ms reached' }), 'Timeout of 5000 ms reached');
  assert.equal(lastProblem({ status: 'succeeded', last_status_code: 200, last_error: null }), null);
});
