import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { departmentSchema, duplicateName, groupTeams, teamSchema } from './teams.ts';

const uuid = '00000000-0000-4000-8000-000000000001';

describe('team and department forms', () => {
  it('trims names, turns an empty description and department into null', () => {
    assert.deepEqual(teamSchema.parse({ name: '  Cohort A ', kind: 'cohort', department: '', description: ' ' }), { name: 'Cohort A', kind: 'cohort', department: null, description: null });
    assert.deepEqual(teamSchema.parse({ name: 'B', kind: 'team', department: uuid, description: 'x' }).department, uuid);
  });

  it('says what is wrong beside the field', () => {
    const r = teamSchema.safeParse({ name: ' ', kind: 'squad', department: 'nope', description: '' });
    assert.equal(r.success, false);
    assert.deepEqual(r.error?.issues.map((i) => [i.path[0], i.message]), [
      ['name', 'Enter a name'],
      ['kind', 'Choose team or cohort'],
      ['department', 'Choose a department'],
    ]);
    assert.equal(departmentSchema.safeParse({ name: 'x'.repeat(101), description: '' }).error?.issues[0]?.message, 'At most 100 characters');
  });

  it('reads a unique violation as a duplicate name', () => {
    assert.equal(duplicateName('23505', 'team'), 'This organisation already has a team with that name.');
    assert.equal(duplicateName('42501', 'team'), null);
  });
});

describe('groupTeams', () => {
  it('puts teams under their departments, by name, and the rest last', () => {
    const deps = [{ id: 'd2', name: 'Sales' }, { id: 'd1', name: 'Engineering' }];
    const teams = [
      { id: 't1', name: 'Zeta', department_id: 'd1' },
      { id: 't2', name: 'Alpha', department_id: 'd1' },
      { id: 't3', name: 'Loose', department_id: null },
    ];
    assert.deepEqual(groupTeams(teams, deps).map((g) => [g.department?.name ?? null, g.teams.map((t) => t.name)]), [
      ['Engineering', ['Alpha', 'Zeta']],
      ['Sales', []],
      [null, ['Loose']],
    ]);
    assert.deepEqual(groupTeams([], []), []);
  });
});
