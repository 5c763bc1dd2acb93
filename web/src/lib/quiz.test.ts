import assert from 'node:assert/strict';
import { test } from 'vitest';
import { activeAttempt, clampStep, orderedOptions, resumePosition, submitResult, unanswered } from './quiz.ts';

test('options come in A–D order whatever order the JSON has', () => {
  assert.deepEqual(orderedOptions({ C: 'c', A: 'a', D: 'd', B: 'b' }).map((o) => o.letter), ['A', 'B', 'C', 'D']);
  assert.deepEqual(orderedOptions({ A: 'yes', B: 'no' }), [{ letter: 'A', text: 'yes' }, { letter: 'B', text: 'no' }]);
});

test('unanswered lists the positions without an answer', () => {
  assert.deepEqual(unanswered({ 1: 'A', 3: 'C', 4: null }, 5), [2, 4, 5]);
  assert.deepEqual(unanswered({ 1: 'A', 2: 'B' }, 2), []);
});

test('a resumed quiz opens on the first unanswered question, or on review when all are answered', () => {
  assert.equal(resumePosition({ 1: 'A', 2: 'B' }, 5), 3);
  assert.equal(resumePosition({}, 5), 1);
  assert.equal(resumePosition({ 1: 'A', 2: 'D' }, 2), 3);
});

test('a step from the URL stays inside the quiz', () => {
  assert.equal(clampStep('3', 10, 1), 3);
  assert.equal(clampStep('0', 10, 1), 1);
  assert.equal(clampStep('99', 10, 1), 11);
  assert.equal(clampStep('review', 10, 1), 11);
  assert.equal(clampStep('abc', 10, 4), 4);
  assert.equal(clampStep(null, 10, 4), 4);
});

test('an active attempt payload from start_quiz parses', () => {
  const parsed = activeAttempt.parse({
    attempt_id: '8d3c0c3e-4f0e-4a57-9d43-3b2b8f0f5f11', exam_id: 'security', mode: 'practice', status: 'in_progress',
    domain_codes: null, question_count: 1, started_at: '2026-12-06T10:00:00Z', time_limit_seconds: null, expires_at: null,
    remaining_seconds: null, answered_count: 0,
    questions: [{ position: 1, question_id: 7, domain_code: '1.0', domain_name: 'General', stem: 'Q?', options: { A: 'a', B: 'b', C: 'c', D: 'd' }, selected_answer: null, time_spent_seconds: null }],
  });
  assert.equal(parsed.questions[0]?.question_id, 7);
});

test('a submit result tolerates missing extras and numeric strings', () => {
  const r = submitResult.parse({
    quiz_attempt_id: '8d3c0c3e-4f0e-4a57-9d43-3b2b8f0f5f11', score: 3, total_questions: 5, score_percentage: '60.00',
    xp_earned: 30, total_xp: '80', level: 1, previous_level: 1, level_up: false, achievements_unlocked: null, streak: null, results: [],
  });
  assert.equal(r.score_percentage, 60);
  assert.equal(r.total_xp, 80);
});
