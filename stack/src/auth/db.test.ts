import assert from 'node:assert/strict';
import { test } from 'vitest';
import { epochMs, rfc3339 } from './db.ts';

test('Postgres timestamps → Go RFC 3339 in UTC, microseconds kept, trailing zeros trimmed', () => {
  assert.equal(rfc3339('2024-05-01 10:20:30.123450+00'), '2024-05-01T10:20:30.12345Z');
  assert.equal(rfc3339('2024-05-01 12:20:30.5+02'), '2024-05-01T10:20:30.5Z');
  assert.equal(rfc3339('2024-05-01 05:50:30-04:30'), '2024-05-01T10:20:30Z');
  assert.equal(rfc3339('2024-05-01 10:20:30.000001'), '2024-05-01T10:20:30.000001Z');
  assert.equal(rfc3339(null), null);
});

test('epoch milliseconds', () => {
  assert.equal(epochMs('1970-01-01 00:00:01.5+00'), 1500);
  assert.equal(epochMs(null), null);
});
