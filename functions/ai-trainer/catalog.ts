// What a training session is made of: the 12 sales categories (the same slugs as the
// training_categories table), four difficulty levels, five durations, and the request bodies.
import { z } from 'zod';
import type { Database } from '../../web/src/lib/database.types.ts';

export type Difficulty = Database['public']['Enums']['training_difficulty'];

export const DIFFICULTIES = ['new-joining', 'basic', 'experienced', 'expert'] as const satisfies readonly Difficulty[];
export const DURATIONS = [5, 10, 15, 20, 30] as const;

export const CATEGORIES = [
  'pre-consultation',
  'consultation-series',
  'sales-objections',
  'after-fixing-objection',
  'full-wig-consultation',
  'hairline-consultation',
  'types-of-patches',
  'upselling-cross-selling',
  'retail-sales',
  'smp-sales',
  'sales-follow-up',
  'general-sales',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const startSessionSchema = z.strictObject({
  category: z.enum(CATEGORIES),
  difficulty: z.enum(DIFFICULTIES),
  duration_minutes: z.union(DURATIONS.map((d) => z.literal(d)) as [z.ZodLiteral<5>, ...z.ZodLiteral<number>[]]),
  organization_id: z.uuid().nullish(),
  scenario_id: z.uuid().nullish(),
});
export type StartSession = z.infer<typeof startSessionSchema>;

export const sayBodySchema = z.strictObject({
  content: z.string().trim().min(1, 'say something').max(4000, 'at most 4000 characters'),
});

/** Seconds left until `endsAt` at `now` (never negative). */
export function remainingSeconds(endsAt: string | Date, now: Date = new Date()): number {
  const end = typeof endsAt === 'string' ? Date.parse(endsAt) : endsAt.getTime();
  return Math.max(0, Math.floor((end - now.getTime()) / 1000));
}

/** The learner may still speak 30 s after the end (the database allows the same grace). */
export const GRACE_SECONDS = 30;
