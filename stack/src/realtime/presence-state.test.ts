import assert from 'node:assert/strict';
import { test } from 'vitest';
import { TopicPresence } from './presence-state.ts';

test('presence: track, update (leave + join with phx_ref_prev), untrack, grouped state', () => {
  const p = new TopicPresence<object>();
  const [a, b, c] = [{}, {}, {}];
  assert.deepEqual(p.track(a, 'user-1', { name: 'a' }, 'r1'), { joins: { 'user-1': { metas: [{ name: 'a', phx_ref: 'r1' }] } }, leaves: {} });
  p.track(b, 'user-1', { name: 'a2' }, 'r2');
  p.track(c, 'user-2', { name: 'c' }, 'r3');
  assert.deepEqual(p.state(), {
    'user-1': { metas: [{ name: 'a', phx_ref: 'r1' }, { name: 'a2', phx_ref: 'r2' }] },
    'user-2': { metas: [{ name: 'c', phx_ref: 'r3' }] },
  });
  assert.deepEqual(p.track(c, 'user-2', { name: 'c!' }, 'r4'), {
    joins: { 'user-2': { metas: [{ name: 'c!', phx_ref: 'r4', phx_ref_prev: 'r3' }] } },
    leaves: { 'user-2': { metas: [{ name: 'c', phx_ref: 'r3' }] } },
  });
  assert.deepEqual(p.untrack(a), { joins: {}, leaves: { 'user-1': { metas: [{ name: 'a', phx_ref: 'r1' }] } } });
  assert.equal(p.untrack(a), undefined);
  assert.equal(p.size, 2);
  assert.equal(p.isTracked(b), true);
});
