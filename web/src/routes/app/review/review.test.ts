import assert from 'node:assert/strict';
import { test } from 'vitest';
import { GRADES, nextReview, splitQueue, type QueueRow } from './review.ts';

const row = (kind: string, q: number, domain = '1.0'): QueueRow => ({ kind, question_id: q, exam_id: 'security', domain_code: domain, due_at: null, reason: 'r' });

test('due cards first; weak-domain questions grouped by domain', () => {
  const s = splitQueue([row('due_card', 1), row('weak_domain', 2, '2.0'), row('weak_domain', 3, '2.0'), row('weak_domain', 4, '3.0')]);
  assert.deepEqual(s.due.map((r) => r.question_id), [1]);
  assert.equal(s.next?.question_id, 1);
  assert.deepEqual(s.weak.map((w) => [w.domain_code, w.questions]), [['2.0', 2], ['3.0', 1]]);
});

test('with no due card, the next question comes from a weak domain; empty queue, nothing next', () => {
  assert.equal(splitQueue([row('weak_domain', 9)]).next?.question_id, 9);
  assert.equal(splitQueue([]).next, null);
});

test('six grades, 0 to 5', () => {
  assert.deepEqual(GRADES.map((g) => g.grade), [0, 1, 2, 3, 4, 5]);
});

test('when the card comes back', () => {
  const now = new Date('2026-12-06T10:00:00Z');
  assert.equal(nextReview('2026-12-06T12:00:00Z', now), 'later today');
  assert.equal(nextReview('2026-12-07T10:00:00Z', now), 'tomorrow');
  assert.equal(nextReview('2026-12-12T10:00:00Z', now), 'in 6 days');
  assert.equal(nextReview('2027-04-06T10:00:00Z', now), 'in 4 months');
});
