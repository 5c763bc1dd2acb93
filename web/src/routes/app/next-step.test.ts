import assert from 'node:assert/strict';
import { test } from 'vitest';
import { nextStep, WEAK_AREAS_AFTER } from './next-step.ts';

const stat = (exam_id: string, answered: number, last: string | null) => ({ exam_id, exam_name: exam_id.toUpperCase(), questions_answered: answered, last_submitted_at: last });

test('a quiz in progress comes first', () => {
  const step = nextStep({ attempt_id: 'a1', exam_id: 'network', answered_count: 3, question_count: 10 }, [stat('security', 50, '2026-12-05T10:00:00Z')]);
  assert.deepEqual(step, { kind: 'resume', attemptId: 'a1', examId: 'network', answered: 3, count: 10 });
});

test('otherwise the exam practised most recently', () => {
  const step = nextStep(null, [stat('security', 5, '2026-12-01T10:00:00Z'), stat('network', 5, '2026-12-05T10:00:00Z')]);
  assert.equal(step.kind, 'practice');
  if (step.kind === 'practice') assert.equal(step.examId, 'network');
});

test('weak areas once there are enough answers to find them', () => {
  const few = nextStep(null, [stat('security', WEAK_AREAS_AFTER - 1, '2026-12-05T10:00:00Z')]);
  const enough = nextStep(null, [stat('security', WEAK_AREAS_AFTER, '2026-12-05T10:00:00Z')]);
  assert.equal(few.kind === 'practice' && few.mode, 'practice');
  assert.equal(enough.kind === 'practice' && enough.mode, 'weak_areas');
});

test('a new learner chooses an exam', () => {
  assert.deepEqual(nextStep(null, []), { kind: 'choose' });
  assert.deepEqual(nextStep(null, [stat('security', 0, null)]), { kind: 'choose' });
});
