import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { chooseExam, nextSteps } from './analytics.ts';

const exams = [{ id: 'security' }, { id: 'network' }];

describe('which exam the analytics show', () => {
  it('takes the one asked for, else the last practised, else the first', () => {
    const stats = [
      { exam_id: 'security', last_submitted_at: '2026-11-01T10:00:00Z' },
      { exam_id: 'network', last_submitted_at: '2026-12-01T10:00:00Z' },
    ];
    assert.equal(chooseExam('security', exams, stats), 'security');
    assert.equal(chooseExam('nope', exams, stats), 'network');
    assert.equal(chooseExam(null, exams, []), 'security');
    assert.equal(chooseExam(null, [], []), null);
  });
});

describe('next steps', () => {
  const perf = [
    { domain_code: '1.0', domain_name: 'Threats', weight: 20, answered: 30, accuracy: 40 },
    { domain_code: '2.0', domain_name: 'Architecture', weight: 30, answered: 20, accuracy: 65 },
    { domain_code: '3.0', domain_name: 'Operations', weight: 28, answered: 4, accuracy: 50 },
    { domain_code: '4.0', domain_name: 'Governance', weight: 22, answered: 0, accuracy: null },
  ];
  it('weak domains first (worst first), then the heaviest untested, at most three', () => {
    const weak = [
      { ...perf[0]!, priority: 'high' },
      { ...perf[1]!, priority: 'medium' },
    ];
    const steps = nextSteps(weak, perf);
    assert.deepEqual(steps.map((s) => [s.kind, s.domain]), [['weak', '1.0'], ['weak', '2.0'], ['untested', '3.0']]);
    assert.equal(steps[0]!.reason, '40% over 30 answers: your weakest area');
    assert.equal(steps[2]!.reason, '28% of the exam, only 4 answered so far');
  });
  it('a new learner is pointed at the heaviest domains', () => {
    const fresh = perf.map((p) => ({ ...p, answered: 0, accuracy: null }));
    assert.deepEqual(nextSteps([], fresh).map((s) => s.domain), ['2.0', '3.0', '4.0']);
  });
  it('when all is well: a mixed quiz', () => {
    const good = perf.map((p) => ({ ...p, answered: 40, accuracy: 85 }));
    assert.deepEqual(nextSteps([], good), [{ kind: 'keep_going', title: 'Keep it up with a mixed quiz', reason: 'Every domain is at 70% or more', domain: null, count: 10 }]);
    assert.deepEqual(nextSteps([], []), []);
  });
});
