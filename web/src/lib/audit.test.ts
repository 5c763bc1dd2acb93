import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { actorLabel, describeChange, olderHref, readAuditFilters } from './audit.ts';

describe('readAuditFilters', () => {
  it('keeps known filters and drops the rest', () => {
    const q = new URLSearchParams('table=public.teams&action=DELETE&actor=00000000-0000-4000-8000-000000000001&from=2026-06-01&to=bad&before=120&x=1');
    assert.deepEqual(readAuditFilters(q), { table: 'public.teams', action: 'DELETE', actor: '00000000-0000-4000-8000-000000000001', from: '2026-06-01', to: undefined, before: 120 });
    assert.deepEqual(readAuditFilters(new URLSearchParams('table=auth.users&action=DROP&before=-1')), { table: undefined, action: undefined, actor: undefined, from: undefined, to: undefined, before: undefined });
  });

  it('builds the next page\'s address with the same filters', () => {
    assert.equal(olderHref('/org/a/audit', { table: 'public.teams', action: undefined, actor: undefined, from: '2026-06-01', to: undefined, before: 99 }, 42), '/org/a/audit?table=public.teams&from=2026-06-01&before=42');
  });
});

describe('describeChange', () => {
  it('lists the changed columns of an update, before and after', () => {
    assert.deepEqual(describeChange({ action: 'UPDATE', old_data: { role: 'learner', n: 1 }, new_data: { role: 'admin', n: 1 }, changed_columns: ['role'] }), [{ field: 'role', before: 'learner', after: 'admin' }]);
  });

  it('shows an insert\'s and a delete\'s own fields, without ids, timestamps and nulls', () => {
    const row = { id: 'x', organization_id: 'o', name: 'Cohort A', kind: 'cohort', description: null, created_at: 't', meta: { a: 1 } };
    assert.deepEqual(describeChange({ action: 'INSERT', old_data: null, new_data: row, changed_columns: null }), [
      { field: 'name', before: null, after: 'Cohort A' },
      { field: 'kind', before: null, after: 'cohort' },
      { field: 'meta', before: null, after: '{"a":1}' },
    ]);
    assert.deepEqual(describeChange({ action: 'DELETE', old_data: { name: 'Old' }, new_data: null, changed_columns: null }), [{ field: 'name', before: 'Old', after: null }]);
    assert.deepEqual(describeChange({ action: 'ERASE', old_data: { erased: true }, new_data: null, changed_columns: null }), [{ field: 'erased', before: 'true', after: null }]);
  });
});

describe('actorLabel', () => {
  it('names members, and says when Ascend itself made the change', () => {
    const names = new Map([['u1', 'Olga']]);
    assert.equal(actorLabel('u1', 'authenticated', names), 'Olga');
    assert.equal(actorLabel('u2', 'authenticated', names), 'A former member');
    assert.equal(actorLabel(null, 'service_role', names), 'Ascend (service)');
    assert.equal(actorLabel(null, 'postgres', names), 'Ascend (postgres)');
  });
});
