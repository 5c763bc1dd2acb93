import assert from 'node:assert/strict';
import { customerMessages, customerSystemPrompt, reportMessages } from './prompts.ts';

const ctx = {
  category: 'smp-sales' as const,
  categoryName: 'SMP Sales',
  difficulty: 'expert' as const,
  scenarioBrief: null,
  snippets: [],
};

Deno.test('the customer prompt carries the category, difficulty and persona', () => {
  const p = customerSystemPrompt(ctx);
  assert.match(p, /SMP Sales/);
  assert.match(p, /Difficulty: expert/);
  assert.match(p, /Ravi, a customer who/);
  assert.match(
    customerSystemPrompt({ ...ctx, scenarioBrief: 'A nervous teacher.' }),
    /Who you are: A nervous teacher\./,
  );
  assert.match(
    customerSystemPrompt({ ...ctx, snippets: [{ source: 'SMP guide', snippet: 'Three sessions.' }] }),
    /- Three sessions\. \(SMP guide\)/,
  );
});

Deno.test('the learner is the user and the customer the assistant', () => {
  const m = customerMessages(ctx, [{ role: 'learner', content: 'Hi' }, { role: 'customer', content: 'Hello' }]);
  assert.deepEqual(m.map((x) => x.role), ['system', 'user', 'assistant']);
});

Deno.test('the report prompt lists the rubric and the transcript', () => {
  const [system, user] = reportMessages(ctx, [{ id: 1, role: 'learner', content: 'Hi there' }]);
  assert.match(system!.content, /objection_handling/);
  assert.match(user!.content, /\[SALESPERSON\] Hi there/);
});
