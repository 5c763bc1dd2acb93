import assert from 'node:assert/strict';
import { offlinePlan, planMessages, planRequestSchema, planSchema } from './study_plan.ts';

const weak = [
  { domain_code: '2.0', domain_name: 'Threats', accuracy: 40, answered: 10, priority: 'high' },
  { domain_code: '4.0', domain_name: 'Operations', accuracy: 60, answered: 12, priority: 'medium' },
];
const recs = {
  focus_domains: ['2.0'],
  practice_more: ['4.0'],
  not_enough_data: ['5.0'],
  suggested_actions: ['Focus on 2.0'],
};

Deno.test('a plan request: exam, optional learner (for staff), 1-60 days', () => {
  assert.equal(planRequestSchema.parse({ exam_id: 'security' }).days, 7);
  assert.equal(planRequestSchema.safeParse({ exam_id: 'security', days: 0 }).success, false);
  assert.equal(planRequestSchema.safeParse({ exam_id: 'security', user_id: 'me' }).success, false);
});

Deno.test('the offline plan starts with the weakest domain and covers each day', () => {
  const plan = offlinePlan(weak, recs, 5);
  assert.ok(planSchema.safeParse(plan).success);
  assert.deepEqual(plan.steps.map((s) => s.domain_code), ['2.0', '4.0', '5.0', '2.0', '4.0']);
  assert.equal(plan.steps[0]!.minutes, 45, 'high priority gets more time');
  assert.match(plan.summary, /^Focus on 2\.0, 4\.0\. \(Offline mode/);
});

Deno.test('no weak area: one step keeps the level', () => {
  const plan = offlinePlan([], { focus_domains: [], practice_more: [], not_enough_data: [], suggested_actions: [] }, 2);
  assert.equal(plan.steps.length, 2);
  assert.equal(plan.steps[0]!.domain_code, null);
});

Deno.test('the coach prompt carries the analytics', () => {
  const [, user] = planMessages('security', weak, recs, 7);
  assert.deepEqual(JSON.parse(user!.content).weak_areas[0].domain_code, '2.0');
});

Deno.test('memories the learner allowed go to the model; none, no mention', () => {
  const [system, user] = planMessages('security', [], { focus_domains: [], practice_more: [], not_enough_data: [], suggested_actions: [] }, 3, [
    'I study best on weekend mornings',
  ]);
  assert.match(system!.content, /asked you to remember/);
  assert.deepEqual(JSON.parse(user!.content).remembered, ['I study best on weekend mornings']);
  const [plainSystem, plainUser] = planMessages('security', [], { focus_domains: [], practice_more: [], not_enough_data: [], suggested_actions: [] }, 3);
  assert.doesNotMatch(plainSystem!.content, /remember/);
  assert.equal(JSON.parse(plainUser!.content).remembered, undefined);
});
