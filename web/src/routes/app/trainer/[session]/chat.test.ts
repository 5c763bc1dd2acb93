import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addLine, confirmLine, dropLine, sayBody, type Line } from './chat.ts';

const lines: Line[] = [{ id: 1, role: 'learner', content: 'Hello' }, { id: 2, role: 'customer', content: 'Hi' }];

test('a line is added once, even if a reload brought it already', () => {
  assert.equal(addLine(lines, { id: 3, role: 'learner', content: 'Price?' }).length, 3);
  assert.equal(addLine(lines, { id: 2, role: 'customer', content: 'Hi' }), lines);
});

test('the optimistic line gets its stored id, or is taken back', () => {
  const pending = addLine(lines, { id: 'pending-1', role: 'learner', content: 'So?' });
  assert.deepEqual(confirmLine(pending, 'pending-1', 9).at(-1), { id: 9, role: 'learner', content: 'So?' });
  assert.deepEqual(dropLine(pending, 'pending-1'), lines);
});

test('what may be said: trimmed, not empty, at most 4000 characters', () => {
  assert.equal(sayBody.parse({ content: '  Hello there ' }).content, 'Hello there');
  assert.ok(!sayBody.safeParse({ content: ' \n ' }).success);
  assert.ok(!sayBody.safeParse({ content: 'x'.repeat(4001) }).success);
});
