import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { cohortLearners, cohortRowSchema, levelDistribution, readinessDistribution, riskLabel, risksOf, summarise, type CohortRow } from './cohort.ts';

const row = (over: Partial<CohortRow> = {}): CohortRow => ({
  user_id: '00000000-0000-4000-8000-000000000001',
  username: 'ana',
  display_name: 'Ana',
  level: 2,
  xp: 150,
  current_streak: 3,
  last_activity_date: '2026-06-10',
  quizzes_last_30_days: 4,
  questions_last_30_days: 40,
  accuracy_last_30_days: 75,
  accuracy_previous_30_days: null,
  readiness: null,
  risk_reasons: [],
  ...over,
});
const today = '2026-06-10';

describe('risksOf', () => {
  it('has nothing to say about a learner active today with good accuracy', () => {
    assert.deepEqual(risksOf(row(), 0, today), []);
  });

  it('flags a learner who never started', () => {
    assert.deepEqual(risksOf(row({ last_activity_date: null, risk_reasons: ['never_started'] }), 0, today), [{ kind: 'never_started' }]);
  });

  it('counts a lost streak from two idle days, and inactivity from seven (not both)', () => {
    assert.deepEqual(risksOf(row({ last_activity_date: '2026-06-09' }), 0, today), [], 'yesterday: the streak can still be kept today');
    assert.deepEqual(risksOf(row({ last_activity_date: '2026-06-08' }), 0, today), [{ kind: 'streak_lost' }]);
    assert.deepEqual(risksOf(row({ last_activity_date: '2026-06-03' }), 0, today), [{ kind: 'inactive', days: 7 }]);
    assert.deepEqual(risksOf(row({ last_activity_date: '2026-05-01', risk_reasons: ['inactive_7_days'] }), 0, today), [{ kind: 'inactive', days: 40 }]);
  });

  it('adds overdue assignments and the accuracy flags of the database, with their numbers', () => {
    const r = row({ accuracy_last_30_days: 40, accuracy_previous_30_days: 70, risk_reasons: ['low_accuracy', 'declining_accuracy'] });
    assert.deepEqual(risksOf(r, 2, today), [
      { kind: 'overdue', count: 2 },
      { kind: 'low_accuracy', accuracy: 40 },
      { kind: 'declining_accuracy', from: 70, to: 40 },
    ]);
    assert.deepEqual(risksOf(row({ accuracy_last_30_days: 40 }), 0, today), [], 'low accuracy is the database\'s call (it needs 20 answers)');
  });
});

describe('riskLabel', () => {
  it('says each risk in words', () => {
    assert.equal(riskLabel({ kind: 'inactive', days: 9 }), 'Inactive 9 days');
    assert.equal(riskLabel({ kind: 'overdue', count: 1 }), '1 assignment overdue');
    assert.equal(riskLabel({ kind: 'overdue', count: 3 }), '3 assignments overdue');
    assert.equal(riskLabel({ kind: 'low_accuracy', accuracy: 42.4 }), 'Low accuracy (42%)');
    assert.equal(riskLabel({ kind: 'declining_accuracy', from: 80, to: 60.5 }), 'Accuracy falling (80% → 61%)');
  });
});

describe('cohortLearners and summarise', () => {
  const rows = [
    row({ user_id: '00000000-0000-4000-8000-00000000000a', display_name: 'Zoe' }),
    row({ user_id: '00000000-0000-4000-8000-00000000000b', display_name: 'Bob', last_activity_date: null, accuracy_last_30_days: null, quizzes_last_30_days: 0 }),
    row({ user_id: '00000000-0000-4000-8000-00000000000c', display_name: null, username: 'carl', accuracy_last_30_days: 55 }),
  ];
  const learners = cohortLearners(rows, new Map([['00000000-0000-4000-8000-00000000000c', 1]]), today);

  it('puts the learners at risk first, then orders by name, and names by display name or username', () => {
    assert.deepEqual(learners.map((l) => [l.name, l.risks.length]), [['Bob', 1], ['carl', 1], ['Zoe', 0]]);
    assert.equal(learners[1]?.overdue, 1);
  });

  it('summarises the cohort', () => {
    assert.deepEqual(summarise(learners), { learners: 3, activeThisWeek: 2, atRisk: 2, averageAccuracy: 65, quizzes30: 8 });
    assert.deepEqual(summarise([]), { learners: 0, activeThisWeek: 0, atRisk: 0, averageAccuracy: null, quizzes30: 0 });
  });
});

describe('distributions', () => {
  it('counts learners per level, gathering the top levels in the last bar', () => {
    assert.deepEqual(levelDistribution([1, 1, 3]), [{ label: '1', count: 2 }, { label: '2', count: 0 }, { label: '3', count: 1 }]);
    assert.deepEqual(levelDistribution([1, 2, 5, 9], 3), [{ label: '1', count: 1 }, { label: '2', count: 1 }, { label: '3+', count: 2 }]);
    assert.deepEqual(levelDistribution([]), []);
  });

  it('counts readiness in fifths, 100% in the last one', () => {
    assert.deepEqual(readinessDistribution([0, 19.9, 20, 80, 100]).map((b) => b.count), [2, 1, 0, 0, 2]);
  });
});

describe('cohortRowSchema', () => {
  it('reads numerics sent as strings and keeps nulls', () => {
    const parsed = cohortRowSchema.parse({ ...row(), xp: '150', accuracy_last_30_days: '75.5', readiness: null, risk_reasons: null, avatar_url: null, at_risk: false });
    assert.equal(parsed.xp, 150);
    assert.equal(parsed.accuracy_last_30_days, 75.5);
    assert.equal(parsed.risk_reasons, null);
  });
});
