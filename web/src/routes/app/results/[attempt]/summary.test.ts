import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { AttemptReview } from '$lib/quiz.ts';
import { summarise } from './summary.ts';

function review(correct: number, total: number, xp: number): AttemptReview {
  return {
    attempt: {
      id: '8d3c0c3e-4f0e-4a57-9d43-3b2b8f0f5f11', exam_id: 'security', mode: 'practice', status: 'submitted', question_count: total,
      correct_count: correct, score_percentage: (correct * 100) / total, xp_earned: xp, time_taken_seconds: 100, submitted_at: '2026-12-06T10:00:00Z',
    },
    questions: Array.from({ length: total }, (_, i) => ({
      position: i + 1, question_id: i + 1, domain_code: '1.0', domain_name: 'D', stem: 's', options: { A: 'a' },
      selected_answer: 'A' as const, correct_answer: 'A' as const, is_correct: i < correct, explanations: null, time_spent_seconds: 5,
    })),
  };
}

test('right after submitting, the bar starts from the XP before the quiz and its achievements', () => {
  const flash = { xp_earned: 30, total_xp: 130, achievements: [{ xp_reward: 50 }], streak: { current: 1, status: 'started' } };
  const s = summarise(review(3, 5, 30), flash, 130, 75);
  assert.equal(s.xpTotal, 80);
  assert.equal(s.xpBefore, 50);
  assert.equal(s.xpBreakdown, '30 for correct answers · 50 from achievements');
  assert.equal(s.streakText, 'Streak started: day 1');
  assert.equal(s.wrongCount, 2);
});

test('revisiting results later: no celebration data, the quiz XP only', () => {
  const s = summarise(review(5, 5, 75), null, 900, 75);
  assert.equal(s.headline, 'Perfect score!');
  assert.equal(s.xpTotal, 75);
  assert.equal(s.passed, true);
  assert.equal(s.streakText, '');
});

test('the pass mark is the exam\'s', () => {
  assert.equal(summarise(review(7, 10, 70), null, 0, 72).passed, false);
  assert.equal(summarise(review(8, 10, 80), null, 0, 72).passed, true);
});
