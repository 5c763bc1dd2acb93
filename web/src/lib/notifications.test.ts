import assert from 'node:assert/strict';
import { test } from 'vitest';
import { badgeText, bellLabel, notificationHref, notificationPage, pageCount, pageNumber, parseLive } from './notifications.ts';

test('the badge shows nothing at zero, the count, then 99+', () => {
  assert.equal(badgeText(0), '');
  assert.equal(badgeText(-1), '');
  assert.equal(badgeText(7), '7');
  assert.equal(badgeText(99), '99');
  assert.equal(badgeText(100), '99+');
});

test('the bell says how many are unread', () => {
  assert.equal(bellLabel(0), 'Notifications, none unread');
  assert.equal(bellLabel(3), 'Notifications, 3 unread');
  assert.equal(bellLabel(250), 'Notifications, more than 99 unread');
});

test('pages: 1-based from the query, at least one page', () => {
  assert.equal(pageNumber(null), 1);
  assert.equal(pageNumber('abc'), 1);
  assert.equal(pageNumber('0'), 1);
  assert.equal(pageNumber('2.5'), 1);
  assert.equal(pageNumber('3'), 3);
  assert.equal(pageCount(0), 1);
  assert.equal(pageCount(20), 1);
  assert.equal(pageCount(21), 2);
});

test('a page from get_notifications reads, with missing body and data made explicit', () => {
  const page = notificationPage.parse({
    total: 1,
    unread: 1,
    limit: 20,
    offset: 0,
    items: [{ id: 12, type: 'achievement', title: 'Achievement unlocked: Opening Move', read_at: null, created_at: '2026-12-06T10:00:00Z' }],
  });
  assert.deepEqual(page.items[0], {
    id: 12,
    type: 'achievement',
    title: 'Achievement unlocked: Opening Move',
    body: null,
    data: {},
    read_at: null,
    created_at: '2026-12-06T10:00:00Z',
  });
});

test('live messages: a notification is read, anything else is ignored', () => {
  assert.equal(parseLive({ id: 1, type: 'system', title: 'Hi', body: 'there', data: {}, read_at: null, created_at: '2026-12-06T10:00:00Z' })?.title, 'Hi');
  assert.equal(parseLive({ id: 1, type: 'nonsense', title: 'Hi', created_at: 'x' }), null);
  assert.equal(parseLive('hello'), null);
});

test('each kind leads to its screen', () => {
  assert.equal(notificationHref({ type: 'achievement', data: {} }), '/app/achievements');
  assert.equal(notificationHref({ type: 'assignment_due', data: {} }), '/app/assignments');
  assert.equal(notificationHref({ type: 'system', data: {} }), null);
  const session = '0b9c3a52-6f0e-4d43-9a43-1f6f5a1c2d3e';
  assert.equal(notificationHref({ type: 'report_ready', data: { session_id: session } }), `/app/trainer/reports/${session}`);
  assert.equal(notificationHref({ type: 'report_ready', data: { session_id: '../../evil' } }), '/app/trainer', 'only a session id makes a path');
});
