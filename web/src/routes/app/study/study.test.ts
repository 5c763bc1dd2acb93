import assert from 'node:assert/strict';
import { describe, it, test } from 'vitest';
import { mergeKept, noteSchema, setSchema } from './study.ts';

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

describe('study set form', () => {
  it('accepts a personal set and a shared one, trimming blanks to null', () => {
    assert.deepEqual(setSchema.parse({ name: ' Ports ', description: '  ', organization_id: '' }), { name: 'Ports', description: null, organization_id: null, shared: false });
    const org = '7f1c2a9e-3b4d-4c5e-8f6a-1b2c3d4e5f60';
    assert.deepEqual(setSchema.parse({ name: 'Ports', description: 'Week 1', organization_id: org, shared: 'on' }), { name: 'Ports', description: 'Week 1', organization_id: org, shared: true });
  });
  it('refuses an empty name and sharing without an organisation, beside the field', () => {
    const r = setSchema.safeParse({ name: '', description: '', organization_id: '', shared: 'on' });
    assert.equal(r.success, false);
    const paths = r.error!.issues.map((i) => i.path[0]);
    assert.ok(paths.includes('name'));
    const r2 = setSchema.safeParse({ name: 'Ports', description: '', organization_id: '', shared: 'on' });
    assert.deepEqual(r2.error!.issues.map((i) => [i.path[0], i.message]), [['shared', 'Choose an organisation to share the set with']]);
  });
});
