import assert from 'node:assert/strict';
import { test } from 'vitest';
import { mergeKept, noteSchema } from './study.ts';

test('bookmarks and notes merge by question, latest first', () => {
  const kept = mergeKept(
    [
      { question_id: 1, created_at: '2026-12-01T00:00:00Z', questions: { stem: 'Q1', exam_id: 'security' } },
      { question_id: 2, created_at: '2026-12-02T00:00:00Z', questions: { stem: 'Q2', exam_id: 'security' } },
    ],
    [
      { id: 7, question_id: 1, body: 'port 443', updated_at: '2026-12-05T00:00:00Z', questions: { stem: 'Q1', exam_id: 'security' } },
      { id: 8, question_id: 3, body: 'only a note', updated_at: '2026-12-03T00:00:00Z', questions: null },
    ],
  );
  assert.deepEqual(kept.map((k) => k.question_id), [1, 3, 2]);
  assert.equal(kept[0]?.note?.body, 'port 443');
  assert.equal(kept[1]?.bookmarked_at, null);
  assert.equal(kept[1]?.stem, 'A question no longer available');
});

test('a note needs words', () => {
  assert.equal(noteSchema.safeParse({ question_id: '3', body: '  ' }).success, false);
  assert.deepEqual(noteSchema.parse({ question_id: '3', body: ' hi ' }), { question_id: 3, body: 'hi' });
});
