import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { ORG_NAV, orgNav } from './org-nav.ts';

describe('orgNav', () => {
  it('gives owners and admins every entry, instructors all but the audit log, learners nothing', () => {
    const labels = (role: string) => orgNav('acme', role, '/org/acme').map((e) => e.label);
    assert.deepEqual(labels('owner'), ['Overview', 'Members', 'Teams & departments', 'Assignments', 'Audit log']);
    assert.deepEqual(labels('admin'), labels('owner'));
    assert.deepEqual(labels('instructor'), ['Overview', 'Members', 'Teams & departments', 'Assignments']);
    assert.deepEqual(labels('learner'), []);
    assert.deepEqual(orgNav('acme', null, '/org/acme'), []);
  });

  it('marks the overview current only on itself, and a section on its sub-pages', () => {
    const current = (path: string) => orgNav('acme', 'owner', path).filter((e) => e.current).map((e) => e.href);
    assert.deepEqual(current('/org/acme'), ['/org/acme']);
    assert.deepEqual(current('/org/acme/assignments'), ['/org/acme/assignments']);
    assert.deepEqual(current('/org/acme/assignments/5b1e'), ['/org/acme/assignments']);
    assert.deepEqual(current('/org/acme/members-old'), [], 'a prefix that is not a path segment is not the section');
  });

  it('encodes the slug in the address', () => {
    assert.equal(orgNav('a b', 'owner', '/')[0]?.href, '/org/a%20b');
  });

  it('takes new entries in their place', () => {
    const withQuestions = [...ORG_NAV.slice(0, 4), { path: '/questions', label: 'Questions', icon: 'questions' as const, who: 'staff' as const }, ...ORG_NAV.slice(4)];
    assert.deepEqual(orgNav('acme', 'instructor', '/org/acme/questions', withQuestions).at(-1), {
      path: '/questions', label: 'Questions', icon: 'questions', who: 'staff', href: '/org/acme/questions', current: true,
    });
  });
});
