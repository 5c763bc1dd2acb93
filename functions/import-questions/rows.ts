// A question CSV (seed 000's bulk import), one question per row. Columns (header names are
// case- and punctuation-insensitive; aliases in brackets):
//   exam [exam_type, exam_id]     security | network | a1101 | a1102, or the code (SY0-701)
//   domain [domain_code]          the exam domain code, e.g. 1.0 (a bare 1 means 1.0)
//   stem [question, question_text]  10 to 4000 characters
//   option_a .. option_d [a .. d]   the four options
//   correct_answer [correct, answer]  A, B, C or D (any case)
//   explanation_a .. explanation_d  why each option is right or wrong
//   reference (optional)           pointer to the exam objective or material, up to 500 characters
import { z } from 'zod';
import type { CsvRow } from '../_shared/csv.ts';
import { column, reasonOf } from '../_shared/imports.ts';

const LETTERS = ['A', 'B', 'C', 'D'] as const;

export const COLUMNS: Record<string, string[]> = {
  exam: ['exam', 'exam_type', 'exam_id'],
  domain: ['domain', 'domain_code'],
  stem: ['stem', 'question', 'question_text'],
  ...Object.fromEntries(LETTERS.map((l) => [`option_${l.toLowerCase()}`, [`option_${l.toLowerCase()}`, l.toLowerCase()]])),
  correct_answer: ['correct_answer', 'correct', 'answer'],
  ...Object.fromEntries(LETTERS.map((l) => [`explanation_${l.toLowerCase()}`, [`explanation_${l.toLowerCase()}`]])),
};
const OPTIONAL: Record<string, string[]> = { reference: ['reference'] };

const text = (what: string, max: number) =>
  z.string({ error: `${what} is missing` }).trim().min(1, `${what} is empty`).max(max, `${what} is longer than ${max} characters`);

const letters = (what: string) =>
  z.object({ A: text(`${what} A`, 2000), B: text(`${what} B`, 2000), C: text(`${what} C`, 2000), D: text(`${what} D`, 2000) });

export const questionRow = z.object({
  line: z.number().int().positive(),
  exam: text('the exam', 40),
  domain_code: text('the domain', 20),
  stem: text('the question text', 4000).min(10, 'the question text must hold at least 10 characters'),
  options: letters('option'),
  correct_answer: z.string({ error: 'the correct answer is missing' }).trim().toUpperCase().pipe(
    z.enum(LETTERS, { error: (i) => `the correct answer ${JSON.stringify(i.input)} must be A, B, C or D` }),
  ),
  explanations: letters('explanation'),
  reference: z.string().trim().max(500, 'the reference is longer than 500 characters').optional()
    .transform((v) => (v ? v : undefined)),
});
export type QuestionRow = z.infer<typeof questionRow>;

/** The question a CSV row describes, or the reason it is not one. */
export function toQuestion(row: CsvRow): { ok: true; value: QuestionRow } | { ok: false; reason: string } {
  const v = row.values;
  const get = (key: string) => column(v, COLUMNS[key] ?? OPTIONAL[key]!);
  const parsed = questionRow.safeParse({
    line: row.line,
    exam: get('exam'),
    domain_code: get('domain'),
    stem: get('stem'),
    options: Object.fromEntries(LETTERS.map((l) => [l, get(`option_${l.toLowerCase()}`)])),
    correct_answer: get('correct_answer'),
    explanations: Object.fromEntries(LETTERS.map((l) => [l, get(`explanation_${l.toLowerCase()}`)])),
    reference: get('reference'),
  });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: reasonOf(parsed.error) };
}
