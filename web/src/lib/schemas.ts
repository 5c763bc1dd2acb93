// The forms' rules, beside nothing but zod: the same schema validates on the server and names
// what to fix next to each field.
import { z } from 'zod';

const email = z.email('Enter an email address like you@example.com').max(254);
const password = z.string().min(8, 'Use at least 8 characters').max(72, 'Use at most 72 characters');

export const signUpSchema = z.object({
  display_name: z.string().trim().min(1, 'Tell us what to call you').max(80, 'Keep it under 80 characters'),
  email,
  password,
});

export const signInSchema = z.object({
  email,
  password: z.string().min(1, 'Enter your password'),
});

export const magicLinkSchema = z.object({ email });

export const practiceSchema = z.object({
  exam: z.string().regex(/^[a-z0-9][a-z0-9_-]{1,39}$/, 'Choose an exam'),
  domains: z.array(z.string().regex(/^[0-9]{1,2}\.[0-9]{1,2}$/, 'Choose topics from the list')).max(20),
  count: z.coerce.number().int().min(1, 'At least 1 question').max(100, 'At most 100 questions'),
  mode: z.enum(['practice', 'weak_areas', 'review']).default('practice'),
  timed: z.enum(['on', '']).optional(),
});

export const answerSchema = z.object({
  question_id: z.coerce.number().int().positive(),
  answer: z.enum(['A', 'B', 'C', 'D']).nullable(),
  time_spent_seconds: z.coerce.number().int().min(0).max(86400).optional(),
  go: z.coerce.number().int().min(1).optional(),
});

export const submitSchema = z.object({
  answers: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return [];
      try {
        return z
          .array(z.object({ question_id: z.number().int(), answer: z.enum(['A', 'B', 'C', 'D']).nullable(), time_spent_seconds: z.number().int().min(0).optional() }))
          .max(100)
          .parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'The answers could not be read; they were saved as you went, so submit again.' });
        return z.NEVER;
      }
    }),
});

export const newPasswordSchema = z
  .object({ password, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: 'The two passwords differ', path: ['confirm'] });
