import assert from 'node:assert/strict';
import { test } from 'vitest';
import { collection, groupAchievements, initials, lockedHiddenCount, unlockHint, type AchievementRow, type Avatar } from './collection.ts';

const row = (id: number, over: Partial<AchievementRow> = {}): AchievementRow => ({
  id,
  slug: `a${id}`,
  name: `A${id}`,
  description: '',
  criteria_value: 10,
  xp_reward: 50,
  is_hidden: false,
  earned: false,
  earned_at: null,
  progress: 0,
  progress_percent: 0,
  ...over,
});

test('earned newest first; the rest closest to done first, then the smallest target', () => {
  const g = groupAchievements(
    [
      row(1, { earned: true, earned_at: '2026-12-01T00:00:00Z' }),
      row(2, { earned: true, earned_at: '2026-12-05T00:00:00Z' }),
      row(3, { progress_percent: 20 }),
      row(4, { progress_percent: 80 }),
      row(5, { progress_percent: 20, criteria_value: 3 }),
    ],
    2,
  );
  assert.deepEqual(g.earned.map((r) => r.id), [2, 1]);
  assert.deepEqual(g.inProgress.map((r) => r.id), [4, 5, 3]);
  assert.equal(g.mysteries, 2);
});

const av = (over: Partial<Avatar>): Avatar => ({
  id: 1,
  slug: 's',
  name: 'Firewall Fox',
  description: null,
  rarity: 'rare',
  is_default: false,
  owned: false,
  equipped: false,
  unlocked_at: null,
  unlock_achievement: null,
  ...over,
});

test('locked avatars say what unlocks them; hidden ones stay hidden', () => {
  assert.equal(unlockHint(av({ unlock_achievement: { id: 17, name: 'Week Warrior' } })), 'Earn Week Warrior to unlock');
  assert.equal(unlockHint(av({ unlock_achievement: { id: null, name: 'a hidden achievement' } })), 'Unlocked by a hidden achievement');
  assert.equal(unlockHint(av({ owned: true, equipped: true })), 'Equipped');
  assert.equal(lockedHiddenCount({ avatars: [av({ unlock_achievement: { id: null, name: 'a hidden achievement' } }), av({})] }), 1);
});

test('the collection from get_avatar_collection reads', () => {
  const c = collection.parse({
    selected_avatar_id: null,
    owned: 3,
    total: 18,
    completion_percentage: 16.7,
    by_rarity: [{ rarity: 'common', owned: 3, total: 5 }],
    avatars: [{ id: 1, slug: 'fresh-recruit', name: 'Fresh Recruit', description: 'x', image_url: '/a.png', rarity: 'common', is_default: true, owned: true, unlocked_at: '2026-12-01T00:00:00Z', equipped: false, unlock_achievement: null }],
  });
  assert.equal(c.avatars?.[0]?.name, 'Fresh Recruit');
});

test('initials for the avatar picture', () => {
  assert.equal(initials('Firewall Fox'), 'FF');
  assert.equal(initials('Zero-Day Hunter'), 'ZD');
  assert.equal(initials('Owl'), 'OW');
});
