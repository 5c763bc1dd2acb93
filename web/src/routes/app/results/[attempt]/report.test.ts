import assert from 'node:assert/strict';
import { test } from 'vitest';
import { fieldErrors } from '../../../../lib/forms.ts';
import { reportSchema } from './report.ts';

test('a report takes a reason and an optional note', () => {
  assert.deepEqual(reportSchema.parse({ question_id: '12', reason: 'typo', details: '  ' }), { question_id: 12, reason: 'typo', details: null });
});

test('a report needs a reason, and a note for "something else"', () => {
  const missing = reportSchema.safeParse({ question_id: '12', reason: '', details: '' });
  assert.deepEqual(missing.success || fieldErrors(missing.error), { reason: 'Choose a reason.' });
  const other = reportSchema.safeParse({ question_id: '12', reason: 'other', details: '' });
  assert.deepEqual(other.success || fieldErrors(other.error), { details: 'Tell us what is wrong.' });
});

test('an overlong note and a bad question id are refused', () => {
  const r = reportSchema.safeParse({ question_id: 'x', reason: 'typo', details: 'a'.repeat(2001) });
  assert.deepEqual(r.success || Object.keys(fieldErrors(r.error)).sort(), ['details', 'question_id']);
});
