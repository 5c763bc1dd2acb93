import assert from 'node:assert/strict';
import { test } from 'vitest';
import { addLine, confirmLine, dropLine, endProblem, replyProblem, sayBody, type Line } from './chat.ts';

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

test('a refusal reads as what happened and what to do, without the provider\'s internals', () => {
  const internal = 'AI provider gpt-4o-mini at api.openai.com is rate-limiting us (429 rate_limit_exceeded): slow down';
  assert.match(replyProblem(503, internal), /busy right now\. Wait a moment and send it again/);
  assert.doesNotMatch(replyProblem(503, internal), /openai|429/);
  assert.match(replyProblem(502, internal), /AI service failed/);
  assert.match(replyProblem(410, 'x'), /^Time is up/);
  assert.match(replyProblem(409, 'x'), /has ended/);
  assert.equal(replyProblem(400, 'content: at most 4000 characters'), 'content: at most 4000 characters');
});

test('a report that could not be written says the conversation is safe', () => {
  assert.match(endProblem(503, 'AI provider x is overloaded'), /busy.*conversation is saved/);
  assert.match(endProblem(502, 'AI provider x failed (500 server_error)'), /AI service failed\. Your conversation is saved/);
  assert.equal(endProblem(409, 'Cannot end this session: it was abandoned'), 'Cannot end this session: it was abandoned');
});
