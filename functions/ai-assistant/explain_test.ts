import assert from 'node:assert/strict';
import { explainMessages, explainSchema, offlineExplanation } from './explain.ts';

const q = {
  stem: 'Which protocol encrypts web traffic?',
  options: { A: 'HTTP', B: 'HTTPS', C: 'FTP', D: 'Telnet' },
  correct: 'B' as const,
  explanations: {
    A: 'HTTP is plain text.',
    B: 'HTTPS wraps HTTP in TLS.',
    C: 'FTP is plain text.',
    D: 'Telnet is plain text.',
  },
  answer: 'A' as const,
};

Deno.test('only a positive integer question id is accepted', () => {
  assert.ok(explainSchema.safeParse({ question_id: 3 }).success);
  for (const bad of [{}, { question_id: 0 }, { question_id: '3' }, { question_id: 3, answer: 'B' }]) {
    assert.equal(explainSchema.safeParse(bad).success, false, JSON.stringify(bad));
  }
});

Deno.test('the offline explanation uses the key, says why the answer was wrong, and says it is offline', () => {
  const text = offlineExplanation(q);
  assert.match(text, /^You answered A: not correct\./);
  assert.match(text, /The correct answer is B \(HTTPS\): HTTPS wraps HTTP in TLS\./);
  assert.match(text, /Why A is wrong: HTTP is plain text\./);
  assert.match(text, /Offline mode: no AI provider is configured/);
  assert.match(offlineExplanation({ ...q, answer: 'B' }), /^You answered B: correct\./);
});

Deno.test("the tutor prompt carries the question, the key notes and the learner's answer", () => {
  const [system, user] = explainMessages(q);
  assert.match(system!.content, /tutor/);
  assert.match(user!.content, /Correct answer: B\nLearner's answer: A/);
  assert.match(user!.content, /B\. HTTPS -- key note: HTTPS wraps HTTP in TLS\./);
});
