import assert from 'node:assert/strict';
import { test } from 'vitest';
import { fieldErrors } from '../../../lib/forms.ts';
import { deleteSchema, hhmm, preferencesSchema, privacySchema, profileProblem, profileSchema, timeZones } from './settings.ts';

test('profile: a name, a handle in the allowed characters, a real time zone', () => {
  const ok = profileSchema.safeParse({ display_name: ' Ada ', username: 'ada_l', time_zone: 'Europe/Paris' });
  assert.deepEqual(ok.data, { display_name: 'Ada', username: 'ada_l', time_zone: 'Europe/Paris' });
  const bad = profileSchema.safeParse({ display_name: '', username: 'a b', time_zone: 'Mars/Olympus' });
  assert.equal(bad.success, false);
  if (!bad.success)
    assert.deepEqual(fieldErrors(bad.error), {
      display_name: 'Tell us what to call you',
      username: 'Use letters, digits, dots, dashes and underscores only',
      time_zone: 'Choose a time zone from the list',
    });
});

test('preferences: unticked boxes are false, quiet hours both or neither', () => {
  const ok = preferencesSchema.safeParse({ email_achievements: 'on', quiet_hours_start: '22:00', quiet_hours_end: '07:00' });
  assert.deepEqual(ok.data, {
    email_weekly_progress: false,
    email_streak_reminder: false,
    email_achievements: true,
    email_assignments: false,
    email_training_reports: false,
    quiet_hours_start: '22:00',
    quiet_hours_end: '07:00',
  });
  assert.equal(preferencesSchema.parse({ quiet_hours_start: '', quiet_hours_end: '' }).quiet_hours_start, null);
  const half = preferencesSchema.safeParse({ quiet_hours_start: '22:00', quiet_hours_end: '' });
  assert.equal(half.success, false);
  if (!half.success) assert.deepEqual(fieldErrors(half.error), { quiet_hours_end: 'Set both the start and the end, or neither' });
  const same = preferencesSchema.safeParse({ quiet_hours_start: '22:00', quiet_hours_end: '22:00' });
  if (!same.success) assert.deepEqual(fieldErrors(same.error), { quiet_hours_end: 'The end must differ from the start' });
  else assert.fail('equal start and end must be refused');
  const badTime = preferencesSchema.safeParse({ quiet_hours_start: '25:00', quiet_hours_end: '07:00' });
  if (!badTime.success) assert.equal(fieldErrors(badTime.error).quiet_hours_start, 'Use a time like 22:00');
  else assert.fail('25:00 must be refused');
});

test('privacy: one of the three visibilities; the leaderboard box', () => {
  assert.deepEqual(privacySchema.parse({ profile_visibility: 'private' }), { profile_visibility: 'private', show_on_leaderboards: false });
  assert.equal(privacySchema.safeParse({ profile_visibility: 'friends' }).success, false);
});

test('deleting the account needs DELETE typed exactly', () => {
  assert.equal(deleteSchema.safeParse({ confirmation: 'DELETE' }).success, true);
  const r = deleteSchema.safeParse({ confirmation: 'delete' });
  if (!r.success) assert.equal(fieldErrors(r.error).confirmation, 'Type DELETE in capital letters to confirm');
  else assert.fail('lower case must be refused');
});

test('times and zones as the inputs want them', () => {
  assert.equal(hhmm('22:00:00'), '22:00');
  assert.equal(hhmm(null), '');
  const zones = timeZones('Etc/GMT+12');
  assert.equal(zones[0], 'UTC');
  assert.ok(zones.includes('Europe/Paris'));
  assert.ok(zones.includes('Etc/GMT+12'));
});

test('database refusals land beside the right field', () => {
  assert.equal(profileProblem({ code: '23505', message: 'duplicate key value violates unique constraint "profiles_username_lower_key"' }).field, 'username');
  assert.equal(profileProblem({ code: '23514', message: 'new row violates check constraint "profiles_time_zone_valid"' }).field, 'time_zone');
  assert.equal(profileProblem({ code: '500', message: 'boom' }).field, '_form');
});
