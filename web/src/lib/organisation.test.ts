import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { assignableRoles, canEditMember, canManage, invitationStatus, inviteSchema, isStaff, sortInvitations, sortMembers } from './organisation.ts';

describe('organisation permissions', () => {
  it('staff are owners, admins and instructors', () => {
    assert.deepEqual(['owner', 'admin', 'instructor', 'learner', null].map(isStaff), [true, true, true, false, false]);
    assert.deepEqual(['owner', 'admin', 'instructor', 'learner'].map(canManage), [true, true, false, false]);
  });
  it('only owners make owners; instructors assign nothing', () => {
    assert.deepEqual(assignableRoles('owner'), ['owner', 'admin', 'instructor', 'learner']);
    assert.deepEqual(assignableRoles('admin'), ['admin', 'instructor', 'learner']);
    assert.deepEqual(assignableRoles('instructor'), []);
  });
  it('nobody edits themselves; admins leave owners alone', () => {
    assert.equal(canEditMember('owner', 'me', { user_id: 'me', role: 'owner' }), false);
    assert.equal(canEditMember('owner', 'me', { user_id: 'x', role: 'owner' }), true);
    assert.equal(canEditMember('admin', 'me', { user_id: 'x', role: 'owner' }), false);
    assert.equal(canEditMember('admin', 'me', { user_id: 'x', role: 'learner' }), true);
    assert.equal(canEditMember('instructor', 'me', { user_id: 'x', role: 'learner' }), false);
  });
});

describe('the invite form', () => {
  it('normalises the address and checks the role', () => {
    assert.deepEqual(inviteSchema.parse({ email: '  Ana@Example.COM ', role: 'learner' }), { email: 'ana@example.com', role: 'learner' });
    const bad = inviteSchema.safeParse({ email: 'not-an-address', role: 'boss' });
    assert.equal(bad.success, false);
    const fields = bad.error!.issues.map((i) => i.path[0]);
    assert.deepEqual(fields.sort(), ['email', 'role']);
    assert.equal(inviteSchema.safeParse({ email: '', role: 'learner' }).error?.issues[0]?.message, 'Enter an e-mail address');
  });
});

describe('invitation status', () => {
  const now = new Date('2026-12-06T09:00:00Z');
  it('a pending invitation past its expiry is expired', () => {
    assert.equal(invitationStatus({ status: 'pending', expires_at: '2026-12-07T00:00:00Z' }, now), 'pending');
    assert.equal(invitationStatus({ status: 'pending', expires_at: '2026-12-05T00:00:00Z' }, now), 'expired');
    assert.equal(invitationStatus({ status: 'accepted', expires_at: '2026-12-05T00:00:00Z' }, now), 'accepted');
  });
  it('sorts open invitations first, soonest expiry first', () => {
    const list = [
      { id: 'a', status: 'revoked', expires_at: '2026-12-10T00:00:00Z', created_at: '2026-12-01T00:00:00Z' },
      { id: 'b', status: 'pending', expires_at: '2026-12-12T00:00:00Z', created_at: '2026-12-05T00:00:00Z' },
      { id: 'c', status: 'pending', expires_at: '2026-12-08T00:00:00Z', created_at: '2026-12-01T00:00:00Z' },
      { id: 'd', status: 'accepted', expires_at: '2026-12-10T00:00:00Z', created_at: '2026-12-03T00:00:00Z' },
    ];
    assert.deepEqual(sortInvitations(list, now).map((i) => i.id), ['c', 'b', 'd', 'a']);
  });
  it('sorts members by role, then name', () => {
    const list = [
      { name: 'Zed', role: 'learner' },
      { name: 'Amy', role: 'learner' },
      { name: 'Olga', role: 'owner' },
      { name: 'Ivan', role: 'instructor' },
    ];
    assert.deepEqual(sortMembers(list).map((m) => m.name), ['Olga', 'Ivan', 'Amy', 'Zed']);
  });
});
