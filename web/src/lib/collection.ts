// Achievements and avatars as the collection pages show them: earned first, then the closest to
// earning; hidden achievements stay a mystery until earned; avatars by rarity.
import { z } from 'zod';

export interface AchievementRow {
  id: number;
  slug: string;
  name: string;
  description: string;
  criteria_value: number;
  xp_reward: number;
  is_hidden: boolean;
  earned: boolean;
  earned_at: string | null;
  progress: number | null;
  progress_percent: number | null;
}

export interface AchievementGroups<T extends AchievementRow> {
  earned: T[];
  inProgress: T[];
  /** How many hidden achievements are still to discover (shown as mystery cards). */
  mysteries: number;
}

/** Earned (newest first) and the rest (closest to done first); `hiddenLocked` mystery cards. */
export function groupAchievements<T extends AchievementRow>(rows: T[], hiddenLocked: number): AchievementGroups<T> {
  const earned = rows.filter((r) => r.earned).sort((a, b) => Date.parse(b.earned_at ?? '') - Date.parse(a.earned_at ?? ''));
  const inProgress = rows
    .filter((r) => !r.earned)
    .sort((a, b) => (b.progress_percent ?? 0) - (a.progress_percent ?? 0) || a.criteria_value - b.criteria_value);
  return { earned, inProgress, mysteries: Math.max(0, hiddenLocked) };
}

export const RARITIES = ['common', 'rare', 'epic', 'legendary'] as const;
export type Rarity = (typeof RARITIES)[number];

export const avatar = z.object({
  id: z.coerce.number().int(),
  slug: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  rarity: z.enum(RARITIES),
  is_default: z.boolean(),
  owned: z.boolean(),
  equipped: z.boolean(),
  unlocked_at: z.string().nullable(),
  unlock_achievement: z.object({ id: z.coerce.number().nullable(), name: z.string() }).nullable(),
});
export type Avatar = z.infer<typeof avatar>;

export const collection = z.object({
  selected_avatar_id: z.coerce.number().nullable(),
  owned: z.coerce.number(),
  total: z.coerce.number(),
  completion_percentage: z.coerce.number().nullable(),
  by_rarity: z.array(z.object({ rarity: z.enum(RARITIES), owned: z.coerce.number(), total: z.coerce.number() })).nullable(),
  avatars: z.array(avatar).nullable(),
});
export type Collection = z.infer<typeof collection>;

/** Hidden achievements not yet earned: the avatars they unlock name them only as "a hidden achievement". */
export function lockedHiddenCount(c: Pick<Collection, 'avatars'>): number {
  return (c.avatars ?? []).filter((a) => a.unlock_achievement && a.unlock_achievement.id === null).length;
}

/** "Earn Week Warrior to unlock", or why a locked avatar is out of reach. */
export function unlockHint(a: Avatar): string {
  if (a.owned) return a.equipped ? 'Equipped' : 'Owned';
  if (!a.unlock_achievement) return 'Not unlockable right now';
  return a.unlock_achievement.id === null ? 'Unlocked by a hidden achievement' : `Earn ${a.unlock_achievement.name} to unlock`;
}

/** Two letters for the avatar's picture: "Firewall Fox" → "FF". */
export function initials(name: string): string {
  const words = name.split(/[\s-]+/).filter(Boolean);
  return ((words[0]?.[0] ?? '') + (words[1]?.[0] ?? words[0]?.[1] ?? '')).toUpperCase();
}
