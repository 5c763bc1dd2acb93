// The quiz as the app sees it: the shapes the quiz RPCs return (validated, never trusted blindly)
// and the small rules of taking one (where to go next, what is left unanswered).
import { z } from 'zod';

export const LETTERS = ['A', 'B', 'C', 'D'] as const;
export type Letter = (typeof LETTERS)[number];
const letter = z.enum(LETTERS);

export const attemptQuestion = z.object({
  position: z.number().int(),
  question_id: z.number().int(),
  domain_code: z.string(),
  domain_name: z.string(),
  stem: z.string(),
  options: z.record(z.string(), z.string()),
  selected_answer: letter.nullable(),
  time_spent_seconds: z.number().nullable(),
});
export type AttemptQuestion = z.infer<typeof attemptQuestion>;

/** start_quiz() / get_active_quiz(): an attempt with its questions and saved answers, no keys. */
export const activeAttempt = z.object({
  attempt_id: z.uuid(),
  exam_id: z.string(),
  mode: z.string(),
  status: z.string(),
  question_count: z.number().int(),
  started_at: z.string(),
  time_limit_seconds: z.number().int().nullable(),
  expires_at: z.string().nullable(),
  remaining_seconds: z.number().int().nullable(),
  answered_count: z.number().int(),
  questions: z.array(attemptQuestion),
});
export type ActiveAttempt = z.infer<typeof activeAttempt>;

export const unlockedAchievement = z.looseObject({
  name: z.string(),
  slug: z.string().optional(),
  description: z.string().optional(),
  xp_reward: z.number().optional(),
});
export type UnlockedAchievement = z.infer<typeof unlockedAchievement>;

/** submit_quiz(): what the results page celebrates. */
export const submitResult = z.looseObject({
  quiz_attempt_id: z.uuid(),
  score: z.number(),
  total_questions: z.number(),
  score_percentage: z.coerce.number(),
  xp_earned: z.number(),
  total_xp: z.coerce.number(),
  level: z.number(),
  previous_level: z.number(),
  level_up: z.boolean(),
  achievements_unlocked: z.array(unlockedAchievement).nullable().catch([]),
  streak: z.looseObject({ current: z.number(), status: z.string() }).nullable().catch(null),
});
export type SubmitResult = z.infer<typeof submitResult>;

export const reviewQuestion = z.object({
  position: z.number().int(),
  question_id: z.number().int(),
  domain_code: z.string(),
  domain_name: z.string(),
  stem: z.string(),
  options: z.record(z.string(), z.string()),
  selected_answer: letter.nullable(),
  correct_answer: letter.nullable(),
  is_correct: z.boolean().nullable(),
  explanations: z.record(z.string(), z.string()).nullable(),
  reference: z.string().nullable().optional(),
  time_spent_seconds: z.number().nullable(),
});
export type ReviewQuestion = z.infer<typeof reviewQuestion>;

/** get_attempt_review(): a submitted attempt with keys and explanations. */
export const attemptReview = z.object({
  attempt: z.looseObject({
    id: z.uuid(),
    exam_id: z.string(),
    mode: z.string(),
    status: z.string(),
    question_count: z.number(),
    correct_count: z.number().nullable(),
    score_percentage: z.coerce.number().nullable(),
    xp_earned: z.number().nullable(),
    time_taken_seconds: z.number().nullable(),
    submitted_at: z.string().nullable(),
    auto_submitted: z.boolean().nullable().optional(),
  }),
  questions: z.array(reviewQuestion),
});
export type AttemptReview = z.infer<typeof attemptReview>;

/** The options of a question in A–D order, skipping letters the question does not have. */
export function orderedOptions(options: Record<string, string>): { letter: Letter; text: string }[] {
  return LETTERS.filter((l) => typeof options[l] === 'string').map((l) => ({ letter: l, text: options[l]! }));
}

/** Positions (1-based) of questions with no answer yet. */
export function unanswered(answers: Record<number, Letter | null | undefined>, count: number): number[] {
  const left: number[] = [];
  for (let p = 1; p <= count; p++) if (!answers[p]) left.push(p);
  return left;
}

/** Where a resumed quiz opens: the first unanswered question, or the review step when all are done. */
export function resumePosition(answers: Record<number, Letter | null | undefined>, count: number): number {
  return unanswered(answers, count)[0] ?? count + 1;
}

/** A `?q=` value made safe: 1..count for questions, count + 1 for the review-and-submit step. */
export function clampStep(raw: string | null, count: number, fallback: number): number {
  const n = raw === 'review' ? count + 1 : Number.parseInt(raw ?? '', 10);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(Math.max(1, n), count + 1);
}
