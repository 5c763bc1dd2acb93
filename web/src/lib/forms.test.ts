import assert from 'node:assert/strict';
import { test } from 'vitest';
import { z } from 'zod';
import { fieldErrors, formObject, safeNext } from './forms.ts';

test('each field gets its first message', () => {
  const schema = z.object({ email: z.email('Enter a valid email'), password: z.string().min(8, 'At least 8 characters') });
  const r = schema.safeParse({ email: 'nope', password: '1' });
  assert.equal(r.success, false);
  if (!r.success) assert.deepEqual(fieldErrors(r.error), { email: 'Enter a valid email', password: 'At least 8 characters' });
});

test('form data: single values as strings, checkbox groups as arrays (empty when none ticked)', () => {
  const fd = new FormData();
  fd.append('exam', 'security');
  fd.append('domains', '1.0');
  fd.append('domains', '2.0');
  assert.deepEqual(formObject(fd, ['domains', 'other']), { exam: 'security', domains: ['1.0', '2.0'], other: [] });
});

test('next stays on this site', () => {
  assert.equal(safeNext('/app/practice'), '/app/practice');
  assert.equal(safeNext('https://evil.example'), '/app');
  assert.equal(safeNext('//evil.example'), '/app');
  assert.equal(safeNext('/\\evil.example'), '/app');
  assert.equal(safeNext(null), '/app');
});
