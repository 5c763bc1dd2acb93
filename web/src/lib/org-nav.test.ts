import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { MANAGERS, mayOpen, ORG_NAV, ORG_PAGES, orgNav, rolesInWords, STAFF } from './org-nav.ts';

describe('orgNav', () => {
  it('gives owners and admins every entry, instructors all but the managers\' pages, learners nothing', () => {
    const labels = (role: string) => orgNav('acme', role, '/org/acme').map((e) => e.label);
    const all = ['Overview', 'Members', 'Teams & departments', 'Assignments', 'Questions', 'Imports', 'Lessons', 'Training reports', 'Audit log', 'Webhooks'];
    assert.deepEqual(labels('owner'), all);
    assert.deepEqual(labels('admin'), all);
    assert.deepEqual(labels('instructor'), all.filter((l) => l !== 'Audit log' && l !== 'Webhooks'));
    assert.deepEqual(labels('learner'), []);
    assert.deepEqual(orgNav('acme', null, '/org/acme'), []);
  });

  it('shows a role exactly the pages whose guard lets it in', () => {
    for (const role of ['owner', 'admin', 'instructor', 'learner', 'stranger']) {
      const shown = new Set(orgNav('acme', role, '/org/acme').map((e) => e.path));
      for (const page of Object.values(ORG_PAGES)) assert.equal(shown.has(page.path), mayOpen(page, role), `${role} on ${page.path || '/'}`);
    }
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
    const settings = { path: '/settings', label: 'Settings', icon: 'settings' as const, roles: MANAGERS, what: 'the settings' };
    const entries = [...ORG_NAV, settings];
    assert.deepEqual(orgNav('acme', 'admin', '/org/acme/settings', entries).at(-1), { ...settings, href: '/org/acme/settings', current: true });
    assert.equal(orgNav('acme', 'instructor', '/org/acme/settings', entries).at(-1)?.path, '/trainer');
  });
});

describe('rolesInWords', () => {
  it('names the roles that may use a page, as the no-permission page says it', () => {
    assert.equal(rolesInWords(STAFF), 'owners, admins and instructors');
    assert.equal(rolesInWords(MANAGERS), 'owners and admins');
    assert.equal(rolesInWords(['owner']), 'owners');
    assert.equal(rolesInWords([]), 'nobody');
  });
});
