import assert from 'node:assert/strict';
import { test } from 'vitest';
import { levelForXp, levelProgress, xpForLevel } from './levels.ts';

test('levels start where the database says (xp_for_level)', () => {
  assert.deepEqual([1, 2, 3, 4, 10].map(xpForLevel), [0, 100, 400, 900, 8100]);
});

test('level follows floor(sqrt(xp / 100)) + 1 at and around each boundary', () => {
  assert.deepEqual([0, 99, 100, 399, 400, 899, 900].map(levelForXp), [1, 1, 2, 2, 3, 3, 4]);
});

test('levelForXp and xpForLevel agree for every level up to 100', () => {
  for (let level = 1; level <= 100; level++) {
    assert.equal(levelForXp(xpForLevel(level)), level);
    assert.equal(levelForXp(xpForLevel(level + 1) - 1), level);
  }
});

test('progress inside a level: 250 XP is level 2, half-way from 100 to 400', () => {
  assert.deepEqual(levelProgress(250), { level: 2, xp: 250, floor: 100, ceiling: 400, into: 150, toNext: 150, percent: 50 });
});

test('a new learner is level 1 with 100 XP to go', () => {
  const p = levelProgress(0);
  assert.equal(p.level, 1);
  assert.equal(p.toNext, 100);
  assert.equal(p.percent, 0);
});

test('negative or fractional XP never breaks the bar', () => {
  assert.equal(levelProgress(-5).percent, 0);
  assert.equal(levelProgress(150.7).xp, 150);
});
