import assert from 'node:assert/strict';
import { test } from 'vitest';
import { endOfDay, isOverdue, newTaskSchema, pickView } from './tasks.ts';

test('views: to do by default, done, bin', () => {
  assert.equal(pickView(null).id, 'open');
  assert.equal(pickView('bin').deleted, true);
  assert.deepEqual(pickView('done').status, ['done']);
});

test('a new task needs a title; the date is optional', () => {
  assert.deepEqual(newTaskSchema.parse({ title: ' Read ports ', priority: 'high', due: '' }), { title: 'Read ports', priority: 'high', due: '' });
  const r = newTaskSchema.safeParse({ title: '', priority: 'someday', due: '24/12/2026' });
  assert.equal(r.success, false);
  if (!r.success) assert.deepEqual([...new Set(r.error.issues.map((i) => String(i.path[0])))].sort(), ['due', 'priority', 'title']);
});

test('due at the end of the day in the learner\'s zone', () => {
  assert.equal(endOfDay('2026-12-24', 'UTC'), '2026-12-24T23:59:59.000Z');
  assert.equal(endOfDay('2026-12-24', 'Europe/Paris'), '2026-12-24T22:59:59.000Z');
  assert.equal(endOfDay('2026-07-01', 'America/New_York'), '2026-07-02T03:59:59.000Z');
  assert.equal(endOfDay('2026-12-24', 'Not/AZone'), '2026-12-24T23:59:59.000Z');
});

test('overdue only when open and past due', () => {
  const now = new Date('2026-12-06T10:00:00Z');
  assert.equal(isOverdue({ status: 'todo', due_at: '2026-12-05T10:00:00Z' }, now), true);
  assert.equal(isOverdue({ status: 'done', due_at: '2026-12-05T10:00:00Z' }, now), false);
  assert.equal(isOverdue({ status: 'todo', due_at: null }, now), false);
});
