import assert from 'node:assert/strict';
import { test } from 'vitest';
import { awaitingReply, difficultyLabel, formatWhen, noteSchema, requestLocale, scoreBand, sessionTitle, startSchema, storedReport } from './trainer.ts';

const ORG = '6a1f6b8e-2b1c-4a53-9f55-3c7c0f0c9d11';

test('the start form: a category, a difficulty, one of the five durations; blanks are null', () => {
  const ok = startSchema.safeParse({ category: 'sales-objections', difficulty: 'expert', duration_minutes: '10', scenario_id: '', organization_id: ORG });
  assert.ok(ok.success);
  assert.deepEqual(ok.data, { category: 'sales-objections', difficulty: 'expert', duration_minutes: 10, scenario_id: null, organization_id: ORG });
  const bad = startSchema.safeParse({ category: '', difficulty: 'godlike', duration_minutes: '7', scenario_id: 'x', organization_id: 'nope' });
  assert.ok(!bad.success);
  const fields = new Set(bad.error.issues.map((i) => i.path[0]));
  assert.deepEqual([...fields].sort(), ['category', 'difficulty', 'duration_minutes', 'organization_id', 'scenario_id']);
});

test('a note is trimmed, not empty, at most 4000 characters', () => {
  assert.equal(noteSchema.parse({ body: '  Close earlier.  ' }).body, 'Close earlier.');
  assert.ok(!noteSchema.safeParse({ body: '   ' }).success);
  assert.ok(!noteSchema.safeParse({ body: 'x'.repeat(4001) }).success);
});

test('a stored report reads with its numeric score; a malformed one is refused', () => {
  const row = {
    overall_score: '71.43',
    summary: 'Calm.',
    criteria: [{ key: 'rapport', name: 'Opening and rapport', weight: 1, score: 4, evidence: [{ quote: 'Hello', message_id: 3 }], comment: 'Good.' }],
    strengths: ['Friendly'],
    improvements: [],
    citations: [],
    generated_by: 'fake-model',
    created_at: '2026-12-06T10:00:00Z',
  };
  assert.equal(storedReport.parse(row).overall_score, 71.43);
  assert.ok(!storedReport.safeParse({ ...row, criteria: [{ ...row.criteria[0], score: 9 }] }).success);
});

test('score bands, labels and titles', () => {
  assert.deepEqual(scoreBand(80), { label: 'Strong', tone: 'success' });
  assert.equal(scoreBand(79.9).label, 'Solid');
  assert.equal(scoreBand(59).label, 'Needs work');
  assert.equal(difficultyLabel('new-joining'), 'New joiner');
  assert.equal(sessionTitle({ category_name: 'SMP Sales', difficulty: 'expert', duration_minutes: 5 }), 'SMP Sales · Expert · 5 min');
});

test('a reopened page waits for a reply only when the learner spoke last', () => {
  assert.equal(awaitingReply([]), false);
  assert.equal(awaitingReply([{ role: 'learner' }, { role: 'customer' }]), false);
  assert.equal(awaitingReply([{ role: 'learner' }, { role: 'customer' }, { role: 'learner' }]), true);
});

test('dates in the reader\'s locale and time zone', () => {
  assert.equal(requestLocale('de-DE,de;q=0.9,en;q=0.8'), 'de-DE');
  assert.equal(requestLocale(null), 'en');
  assert.equal(requestLocale('!!'), 'en');
  const iso = '2026-12-06T23:30:00Z';
  assert.match(formatWhen(iso, 'en-GB', 'Asia/Tokyo'), /7 Dec 2026.*08:30/);
  assert.match(formatWhen(iso, 'en-GB', 'Not/AZone'), /6 Dec 2026.*23:30/, 'an unknown zone falls back to UTC');
});
