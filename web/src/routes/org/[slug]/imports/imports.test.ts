import assert from 'node:assert/strict';
import { test } from 'vitest';
import { badLines, checkSummary, importErrorMessage, importReportSchema, linesInWords, pickKind, SAMPLES } from './imports.ts';

test('which import: instructors import questions only', () => {
  assert.equal(pickKind('users', 'admin'), 'users');
  assert.equal(pickKind('users', 'instructor'), 'questions');
  assert.equal(pickKind('nonsense', 'owner'), 'questions');
  assert.equal(pickKind(null, 'owner'), 'questions');
});

test('the report as the functions answer it; skipped defaults to none', () => {
  const r = importReportSchema.parse({ mode: 'dry_run', committed: false, total: 3, valid: 2, imported: 0, question_ids: [], errors: [{ line: 3, reason: 'the correct answer "E" must be A, B, C or D' }] });
  assert.deepEqual(r.skipped, []);
  assert.equal(importReportSchema.safeParse({ mode: 'dry_run', total: 1 }).success, false);
});

test('bad lines, once each, in order, and in words', () => {
  assert.deepEqual(badLines({ errors: [{ line: 9, reason: 'a' }, { line: 3, reason: 'b' }, { line: 9, reason: 'c' }] }), [3, 9]);
  assert.equal(linesInWords([3]), 'line 3');
  assert.equal(linesInWords([3, 7, 9]), 'lines 3, 7 and 9');
  assert.equal(linesInWords([]), '');
});

test('the check in one sentence', () => {
  assert.equal(checkSummary({ total: 3, valid: 2, errors: [{ line: 3, reason: 'x' }] }), '3 rows checked: 2 ready to import, 1 with a problem.');
  assert.equal(checkSummary({ total: 1, valid: 1, errors: [] }), '1 row checked: all ready to import.');
  assert.equal(checkSummary({ total: 2, valid: 0, errors: [{ line: 2, reason: 'x' }, { line: 3, reason: 'y' }] }), '2 rows checked: none ready to import, 2 with problems.');
});

test('function errors in words; a server failure never shows its internals', () => {
  assert.equal(importErrorMessage(400, { error: 'the header (line 1) lacks the column email', code: 'invalid_csv' }), 'The header (line 1) lacks the column email');
  assert.equal(importErrorMessage(500, { error: 'unexpected failure: TypeError at x.ts:3' }), 'The import service did not answer properly. Nothing was imported; try again in a moment.');
  assert.equal(importErrorMessage(502, 'Bad gateway'), 'The import service did not answer properly. Nothing was imported; try again in a moment.');
  assert.equal(importErrorMessage(401, {}), 'Your session ended. Sign in again and retry.');
});

test('the samples carry the columns the functions require, one record per line', () => {
  const header = (csv: string) => csv.split('\r\n')[0]!.split(',');
  for (const col of ['exam', 'domain', 'question', 'option_a', 'option_b', 'option_c', 'option_d', 'correct_answer', 'explanation_a', 'explanation_b', 'explanation_c', 'explanation_d']) {
    assert.ok(header(SAMPLES.questions.csv).includes(col), `questions sample has ${col}`);
  }
  assert.deepEqual(header(SAMPLES.users.csv), ['email', 'name', 'role']);
  assert.equal(SAMPLES.questions.csv.trim().split('\r\n').length, 3);
});
