import assert from 'node:assert/strict';
import { test } from 'vitest';
import { deadlineAt, remainingSeconds, secondsLeft, timeAnnouncement, timeLabel, timeState } from './clock.ts';

test('remaining seconds until ends_at, never negative', () => {
  const now = new Date('2026-12-06T10:00:00Z');
  assert.equal(remainingSeconds('2026-12-06T10:05:00Z', now), 300);
  assert.equal(remainingSeconds('2026-12-06T10:00:00.900Z', now), 0, 'under a second is no time');
  assert.equal(remainingSeconds('2026-12-06T09:59:00Z', now), 0);
});

test('the page counts down on its own clock from what the server said', () => {
  const deadline = deadlineAt(120, 1_000);
  assert.equal(secondsLeft(deadline, 1_000), 120);
  assert.equal(secondsLeft(deadline, 1_001), 120, 'a second is shown until it is fully gone');
  assert.equal(secondsLeft(deadline, 2_000), 119);
  assert.equal(secondsLeft(deadline, 121_000), 0);
  assert.equal(secondsLeft(deadline, 500_000), 0);
  assert.equal(secondsLeft(deadlineAt(-3, 0), 0), 0, 'a late server answer is zero, not negative');
});

test('states and labels: plenty, low under a minute, up at zero', () => {
  assert.equal(timeState(61), 'plenty');
  assert.equal(timeState(60), 'plenty');
  assert.equal(timeState(59), 'low');
  assert.equal(timeState(0), 'up');
  assert.equal(timeLabel(605), '10:05 left');
  assert.equal(timeLabel(9), '0:09 left');
  assert.equal(timeLabel(0), 'Time is up');
});

test('a screen reader hears the last minutes, 30 s and the end, not every second', () => {
  assert.equal(timeAnnouncement(600), null);
  assert.equal(timeAnnouncement(300), '5 minutes left.');
  assert.equal(timeAnnouncement(60), '1 minute left.');
  assert.equal(timeAnnouncement(59), null);
  assert.equal(timeAnnouncement(30), '30 seconds left.');
  assert.match(timeAnnouncement(0) ?? '', /^Time is up/);
});
