import assert from 'node:assert/strict';
import { test } from 'vitest';
import { entryKey, formatScore, leaderboard, pickBoard, pickPeriod, pinnedRow, type Entry } from './boards.ts';

const row = (position: number, me = false): Entry => ({ rank: position, position, user_id: `u${position}`, username: `u${position}`, display_name: `U${position}`, level: 1, score: 10, is_current_user: me });

test('unknown boards and periods fall back to weekly XP', () => {
  assert.equal(pickBoard('nope'), 'xp');
  assert.equal(pickBoard('streak'), 'streak');
  assert.equal(pickPeriod(null), 'weekly');
  assert.equal(pickPeriod('all_time'), 'all_time');
});

test('scores read in their unit', () => {
  assert.equal(formatScore('xp', 1250), '1,250 XP');
  assert.equal(formatScore('quiz_count', 1), '1 quiz');
  assert.equal(formatScore('accuracy', 82.456), '82.5%');
  assert.equal(formatScore('streak', 3), '3 days');
});

test('my row is pinned only when it is off the page', () => {
  assert.equal(pinnedRow([row(1), row(2, true)], row(2, true)), null);
  assert.deepEqual(pinnedRow([row(1), row(2)], row(40, true)), row(40, true));
  assert.equal(pinnedRow([row(1)], null), null);
});

test('a learner hidden by their profile visibility reads as an anonymous row, not an error', () => {
  const page = leaderboard.parse({
    total: 1, refreshed_at: null, current_user_entry: null,
    entries: [{ rank: 1, position: 1, user_id: null, username: null, display_name: 'Anonymous learner', anonymous: true, avatar_url: null, level: 3, score: 120, is_current_user: false }],
  });
  assert.equal(page.entries[0]?.display_name, 'Anonymous learner');
  assert.equal(page.entries[0]?.username, null);
});

test('two anonymous learners on one board have keys of their own (a shared key crashed the page)', () => {
  const anonymous = (position: number): Entry => ({ ...row(position), user_id: null, username: null, display_name: 'Anonymous learner' });
  const keys = [row(1), anonymous(2), anonymous(3), row(4)].map(entryKey);
  assert.equal(new Set(keys).size, 4);
  assert.equal(entryKey(row(1)), 'u1');
});
