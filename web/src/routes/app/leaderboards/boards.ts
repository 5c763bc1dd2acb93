// The leaderboards a learner can open, and how each board's score reads.
import { z } from 'zod';

export const BOARDS = [
  { id: 'xp', label: 'XP', unit: (n: number) => `${n.toLocaleString('en')} XP` },
  { id: 'quiz_count', label: 'Quizzes', unit: (n: number) => `${n.toLocaleString('en')} quiz${n === 1 ? '' : 'zes'}` },
  { id: 'accuracy', label: 'Accuracy', unit: (n: number) => `${Math.round(n * 10) / 10}%` },
  { id: 'streak', label: 'Streak', unit: (n: number) => `${n} day${n === 1 ? '' : 's'}` },
] as const;
export type BoardId = (typeof BOARDS)[number]['id'];

export const PERIODS = [
  { id: 'weekly', label: 'This week' },
  { id: 'monthly', label: 'This month' },
  { id: 'all_time', label: 'All time' },
] as const;
export type PeriodId = (typeof PERIODS)[number]['id'];

export function pickBoard(raw: string | null): BoardId {
  return BOARDS.find((b) => b.id === raw)?.id ?? 'xp';
}
export function pickPeriod(raw: string | null): PeriodId {
  return PERIODS.find((p) => p.id === raw)?.id ?? 'weekly';
}
export function formatScore(board: BoardId, score: number): string {
  return BOARDS.find((b) => b.id === board)!.unit(score);
}

const entry = z.object({
  rank: z.coerce.number(),
  position: z.coerce.number(),
  // null for a learner whose profile visibility hides them from the caller ("Anonymous learner")
  user_id: z.string().nullable(),
  username: z.string().nullable(),
  display_name: z.string(),
  anonymous: z.boolean().optional(),
  level: z.coerce.number(),
  score: z.coerce.number(),
  is_current_user: z.boolean(),
});
export type Entry = z.infer<typeof entry>;

export const leaderboard = z.object({
  total: z.coerce.number(),
  refreshed_at: z.string().nullable(),
  entries: z.array(entry),
  current_user_entry: entry.nullable(),
  current_user_opted_out: z.boolean().optional(),
});

/** A row's key on the board: its learner, or its position for an anonymous learner (no user_id). */
export function entryKey(e: Entry): string {
  return e.user_id ?? `position-${e.position}`;
}

/** The current learner's row pinned under the page when it is not on it. */
export function pinnedRow(entries: Entry[], me: Entry | null): Entry | null {
  if (!me) return null;
  return entries.some((e) => e.is_current_user) ? null : me;
}
