import assert from 'node:assert/strict';
import { test } from 'vitest';
import { pickFilter, statusBadge } from './assignments.ts';

test('filters: to do by default', () => {
  assert.equal(pickFilter(null), 'pending');
  assert.equal(pickFilter('completed'), 'completed');
  assert.equal(pickFilter('nope'), 'pending');
});

test('status in words', () => {
  assert.deepEqual(statusBadge({ status: 'completed', completed_late: false, due_at: null }), { label: 'Completed', tone: 'success' });
  assert.deepEqual(statusBadge({ status: 'completed', completed_late: true, due_at: null }), { label: 'Completed late', tone: 'warning' });
  assert.deepEqual(statusBadge({ status: 'overdue', completed_late: false, due_at: null }), { label: 'Overdue', tone: 'danger' });
  assert.deepEqual(statusBadge({ status: 'pending', completed_late: false, due_at: null }), { label: 'To do', tone: 'primary' });
});
