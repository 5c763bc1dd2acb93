import assert from 'node:assert/strict';
import { CATEGORIES, DIFFICULTIES, DURATIONS, remainingSeconds, sayBodySchema, startSessionSchema } from './catalog.ts';

Deno.test("the seed's 12 categories, 4 difficulties and 5 durations", () => {
  assert.equal(CATEGORIES.length, 12);
  assert.deepEqual([...DIFFICULTIES], ['new-joining', 'basic', 'experienced', 'expert']);
  assert.deepEqual([...DURATIONS], [5, 10, 15, 20, 30]);
});

Deno.test('a start request is checked field by field', () => {
  assert.ok(
    startSessionSchema.safeParse({ category: 'smp-sales', difficulty: 'expert', duration_minutes: 30 }).success,
  );
  assert.ok(
    startSessionSchema.safeParse({
      category: 'smp-sales',
      difficulty: 'basic',
      duration_minutes: 5,
      organization_id: '4b3f2f38-6a0e-4b53-9b0a-1f2e3d4c5b6a',
    }).success,
  );
  for (
    const bad of [
      { category: 'cold-calls', difficulty: 'basic', duration_minutes: 5 },
      { category: 'smp-sales', difficulty: 'hard', duration_minutes: 5 },
      { category: 'smp-sales', difficulty: 'basic', duration_minutes: 7 },
      { category: 'smp-sales', difficulty: 'basic', duration_minutes: 5, organization_id: 'x' },
      { category: 'smp-sales', difficulty: 'basic', duration_minutes: 5, user_id: 'someone-else' },
    ]
  ) assert.equal(startSessionSchema.safeParse(bad).success, false, JSON.stringify(bad));
});

Deno.test('what the learner says is 1-4000 characters, trimmed', () => {
  assert.deepEqual(sayBodySchema.parse({ content: '  hello ' }), { content: 'hello' });
  assert.equal(sayBodySchema.safeParse({ content: '   ' }).success, false);
  assert.equal(sayBodySchema.safeParse({ content: 'x'.repeat(4001) }).success, false);
});

Deno.test('remaining seconds count down to zero, never below', () => {
  const now = new Date('2026-06-10T09:00:00Z');
  assert.equal(remainingSeconds('2026-06-10T09:10:00Z', now), 600);
  assert.equal(remainingSeconds('2026-06-10T09:00:00.900Z', now), 0);
  assert.equal(remainingSeconds('2026-06-10T08:00:00Z', now), 0);
});
