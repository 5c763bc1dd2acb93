import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { SubmitResult } from '$lib/quiz.ts';
import { flashValue, readFlash } from './flash.ts';

const id = '8d3c0c3e-4f0e-4a57-9d43-3b2b8f0f5f11';
const result = {
  quiz_attempt_id: id, score: 10, total_questions: 10, score_percentage: 100, xp_earned: 150, total_xp: 425, level: 3, previous_level: 1,
  level_up: true, achievements_unlocked: [{ name: 'Opening Move', slug: 'opening-move', description: 'Complete your first quiz.', xp_reward: 50, id: 1 }],
  streak: { current: 1, status: 'started', longest: 1 },
} as SubmitResult;

test('the celebration survives the redirect to its own results page', () => {
  const flash = readFlash(flashValue(result), id);
  assert.equal(flash?.level_up, true);
  assert.deepEqual(flash?.achievements, [{ name: 'Opening Move', description: 'Complete your first quiz.', xp_reward: 50 }]);
  assert.deepEqual(flash?.streak, { current: 1, status: 'started' });
});

test("it is ignored on another attempt's page, and when tampered with", () => {
  assert.equal(readFlash(flashValue(result), '00000000-0000-4000-8000-000000000000'), null);
  assert.equal(readFlash('{not json', id), null);
  assert.equal(readFlash(JSON.stringify({ attempt: id, xp_earned: 'lots' }), id), null);
  assert.equal(readFlash(undefined, id), null);
});
