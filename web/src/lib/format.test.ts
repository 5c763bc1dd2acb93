import assert from 'node:assert/strict';
import { test } from 'vitest';
import { formatClock, formatDateTime, preferredLocale, formatDuration, formatPercent, localDate, plural, relativeTime, streakState } from './format.ts';

test('a clock reads m:ss, and h:mm:ss past an hour', () => {
  assert.deepEqual([0, 45, 65, 725, 3723].map(formatClock), ['0:00', '0:45', '1:05', '12:05', '1:02:03']);
});

test('durations read as people say them', () => {
  assert.deepEqual([12, 180, 4800, 7200].map(formatDuration), ['12 s', '3 min', '1 h 20 min', '2 h']);
});

test('relative times: now, minutes, hours, yesterday', () => {
  const now = new Date('2026-12-06T12:00:00Z');
  assert.equal(relativeTime('2026-12-06T11:59:50Z', now), 'now');
  assert.equal(relativeTime('2026-12-06T11:55:00Z', now), '5 min. ago');
  assert.equal(relativeTime('2026-12-06T10:00:00Z', now), '2 hr. ago');
  assert.equal(relativeTime('2026-12-05T12:00:00Z', now), 'yesterday');
});

test('percentages keep a decimal only when it is not zero', () => {
  assert.deepEqual([80, 82.5, 66.666, null].map(formatPercent), ['80%', '82.5%', '66.7%', '–']);
});

test('plural', () => {
  assert.equal(plural(1, 'question'), '1 question');
  assert.equal(plural(3, 'question'), '3 questions');
  assert.equal(plural(1200, 'day'), '1,200 days');
});

test('the local date follows the time zone, and an unknown zone falls back to UTC', () => {
  const t = new Date('2026-12-06T02:00:00Z');
  assert.equal(localDate(t, 'UTC'), '2026-12-06');
  assert.equal(localDate(t, 'America/New_York'), '2026-12-05');
  assert.equal(localDate(t, 'Not/AZone'), '2026-12-06');
});

test('a streak is safe after a quiz today, at risk the day after, lost after a missed day', () => {
  const now = new Date('2026-12-06T12:00:00Z');
  assert.deepEqual(streakState(4, '2026-12-06', now, 'UTC'), { kind: 'safe', days: 4 });
  assert.deepEqual(streakState(4, '2026-12-05', now, 'UTC'), { kind: 'at_risk', days: 4 });
  assert.deepEqual(streakState(4, '2026-12-03', now, 'UTC'), { kind: 'lost', days: 0 });
  assert.deepEqual(streakState(0, null, now, 'UTC'), { kind: 'none' });
});

test('the streak day is the learner\'s own: 02:00 UTC is still yesterday in New York', () => {
  const now = new Date('2026-12-06T02:00:00Z');
  assert.deepEqual(streakState(2, '2026-12-05', now, 'America/New_York'), { kind: 'safe', days: 2 });
});

test('dates in the reader\'s locale and time zone', () => {
  const t = '2026-12-06T02:30:00Z';
  assert.equal(formatDateTime(t, { locale: 'en-GB', timeZone: 'UTC' }), '6 Dec 2026');
  assert.equal(formatDateTime(t, { locale: 'en-GB', timeZone: 'America/New_York' }), '5 Dec 2026');
  assert.equal(formatDateTime(t, { locale: 'en-GB', timeZone: 'UTC', time: true }), '6 Dec 2026, 02:30');
  assert.equal(formatDateTime(t, { locale: 'de-DE', timeZone: 'Europe/Berlin' }), '6. Dez. 2026');
  assert.equal(formatDateTime(t, { locale: 'en-GB', timeZone: 'Not/AZone' }), '6 Dec 2026');
});

test('the reader\'s locale comes from Accept-Language', () => {
  assert.equal(preferredLocale('de-CH,de;q=0.9,en;q=0.8'), 'de-CH');
  assert.equal(preferredLocale('fr'), 'fr');
  assert.equal(preferredLocale(''), 'en');
  assert.equal(preferredLocale('*'), 'en');
  assert.equal(preferredLocale('not a locale!!'), 'en');
});
