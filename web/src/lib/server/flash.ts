// The moment after submitting: level-up, achievements and the XP breakdown come back from
// submit_quiz once; a short-lived cookie carries them to the results page, which shows them once.
import { z } from 'zod';
import type { SubmitResult } from '$lib/quiz.ts';

export const FLASH_COOKIE = 'ascend-result';

const flash = z.object({
  attempt: z.string(),
  xp_earned: z.number(),
  total_xp: z.number(),
  level: z.number(),
  previous_level: z.number(),
  level_up: z.boolean(),
  achievements: z.array(z.object({ name: z.string(), description: z.string().optional(), xp_reward: z.number().optional() })).max(30),
  streak: z.object({ current: z.number(), status: z.string() }).nullable(),
});
export type Flash = z.infer<typeof flash>;

export function flashValue(r: SubmitResult): string {
  const value: Flash = {
    attempt: r.quiz_attempt_id,
    xp_earned: r.xp_earned,
    total_xp: r.total_xp,
    level: r.level,
    previous_level: r.previous_level,
    level_up: r.level_up,
    achievements: (r.achievements_unlocked ?? []).map((a) => ({ name: a.name, description: a.description, xp_reward: a.xp_reward })),
    streak: r.streak ? { current: r.streak.current, status: r.streak.status } : null,
  };
  return JSON.stringify(value);
}

export function readFlash(raw: string | undefined, attempt: string): Flash | null {
  if (!raw) return null;
  try {
    const parsed = flash.safeParse(JSON.parse(raw));
    return parsed.success && parsed.data.attempt === attempt ? parsed.data : null;
  } catch {
    return null;
  }
}
