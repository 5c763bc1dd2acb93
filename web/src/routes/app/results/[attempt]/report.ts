// "Report a question" from the per-question review of a result: what the form may send.
import { z } from 'zod';

export const REPORT_REASONS = {
  incorrect_answer: 'The marked answer is wrong',
  unclear: 'The question is unclear',
  typo: 'Typo or formatting',
  outdated: 'Out of date',
  other: 'Something else',
} as const;

export const reportSchema = z
  .object({
    question_id: z.coerce.number().int().positive(),
    reason: z.enum(Object.keys(REPORT_REASONS) as [keyof typeof REPORT_REASONS, ...(keyof typeof REPORT_REASONS)[]], { error: 'Choose a reason.' }),
    details: z
      .string()
      .trim()
      .max(2000, 'Keep the note under 2,000 characters.')
      .transform((v) => v || null),
  })
  .refine((r) => r.reason !== 'other' || r.details !== null, { path: ['details'], message: 'Tell us what is wrong.' });
