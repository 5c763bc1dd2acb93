// Question authoring and moderation rules for the form actions and pages: the question form as
// save_question() expects it, what changed between two versions (in words), and the report
// decisions. The database checks everything again (constraints, RLS, save_question()).
import { z } from 'zod';

export const LETTERS = ['A', 'B', 'C', 'D'] as const;
export type Letter = (typeof LETTERS)[number];
export const QUESTION_STATUSES = ['draft', 'published', 'retired'] as const;

const text = (what: string, max: number) =>
  z.string().trim().min(1, `Enter ${what}`).max(max, `${what.charAt(0).toUpperCase()}${what.slice(1)} is longer than ${max} characters`);

export const questionFormSchema = z.object({
  domain: z.string('Choose the exam domain').regex(/^[a-z0-9][a-z0-9_-]*\|\d{1,2}\.\d{1,2}$/, 'Choose the exam domain'),
  stem: z.string().trim().min(10, 'The question needs at least 10 characters').max(4000, 'The question is longer than 4000 characters'),
  option_a: text('option A', 2000),
  option_b: text('option B', 2000),
  option_c: text('option C', 2000),
  option_d: text('option D', 2000),
  correct_answer: z.enum(LETTERS, 'Choose the correct answer'),
  explanation_a: text('why A is right or wrong', 2000),
  explanation_b: text('why B is right or wrong', 2000),
  explanation_c: text('why C is right or wrong', 2000),
  explanation_d: text('why D is right or wrong', 2000),
  reference: z.string().trim().max(500, 'The reference is longer than 500 characters').optional().default(''),
  status: z.enum(QUESTION_STATUSES, 'Choose a status').default('draft'),
});
export type QuestionForm = z.infer<typeof questionFormSchema>;

/** The argument of save_question(): a new question of the organisation, or an edit of `id`. */
export function savePayload(form: QuestionForm, target: { id: number } | { organizationId: string }) {
  const [exam_id, domain_code] = form.domain.split('|') as [string, string];
  const pick = (prefix: 'option' | 'explanation') =>
    Object.fromEntries(LETTERS.map((l) => [l, form[`${prefix}_${l.toLowerCase()}` as keyof QuestionForm] as string])) as Record<Letter, string>;
  return {
    ...('id' in target ? { id: target.id } : { organization_id: target.organizationId }),
    exam_id,
    domain_code,
    stem: form.stem,
    options: pick('option'),
    correct_answer: form.correct_answer,
    explanations: pick('explanation'),
    reference: form.reference === '' ? null : form.reference,
    status: form.status,
  };
}

/** A stored question and its key as the form's fields (for editing). */
export function formValues(q: {
  exam_id: string;
  domain_code: string;
  stem: string;
  options: unknown;
  status: string;
  key: { correct_answer: string; explanations: unknown; reference: string | null } | null;
}): Record<string, string> {
  const options = asLetters(q.options);
  const explanations = asLetters(q.key?.explanations);
  return {
    domain: `${q.exam_id}|${q.domain_code}`,
    stem: q.stem,
    ...Object.fromEntries(LETTERS.map((l) => [`option_${l.toLowerCase()}`, options[l]])),
    correct_answer: q.key?.correct_answer ?? '',
    ...Object.fromEntries(LETTERS.map((l) => [`explanation_${l.toLowerCase()}`, explanations[l]])),
    reference: q.key?.reference ?? '',
    status: q.status,
  };
}

function asLetters(value: unknown): Record<Letter, string> {
  const o = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  return Object.fromEntries(LETTERS.map((l) => [l, typeof o[l] === 'string' ? o[l] : ''])) as Record<Letter, string>;
}

/** A version's snapshot (question_versions.snapshot), loosely typed: it is JSON from the database. */
export type Snapshot = Record<string, unknown>;

/** What a version changed compared with the one before, as people say it. */
export function versionChanges(prev: Snapshot | null, next: Snapshot): string[] {
  if (!prev) return ['First version'];
  const out: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (!same(prev.exam_id, next.exam_id) || !same(prev.domain_id, next.domain_id)) out.push('Exam domain');
  if (!same(prev.stem, next.stem)) out.push('Question text');
  const po = asLetters(prev.options);
  const no = asLetters(next.options);
  for (const l of LETTERS) if (po[l] !== no[l]) out.push(`Option ${l}`);
  if (!same(prev.correct_answer, next.correct_answer)) out.push(`Correct answer ${prev.correct_answer ?? '–'} → ${next.correct_answer ?? '–'}`);
  const pe = asLetters(prev.explanations);
  const ne = asLetters(next.explanations);
  const explained = LETTERS.filter((l) => pe[l] !== ne[l]);
  if (explained.length) out.push(`Explanation${explained.length > 1 ? 's' : ''} ${explained.join(', ')}`);
  if (!same(prev.reference, next.reference)) out.push('Reference');
  if (!same(prev.status, next.status)) out.push(`Status ${prev.status ?? '–'} → ${next.status ?? '–'}`);
  return out.length ? out : ['No visible change'];
}

export const REPORT_REASONS: Record<string, string> = {
  incorrect_answer: 'Wrong answer key',
  unclear: 'Unclear',
  typo: 'Typo',
  outdated: 'Outdated',
  other: 'Other',
};

/** Moderator decisions: resolve (fixed), dismiss (nothing to fix), or accept (confirmed, to fix later). */
export const DECISIONS = { resolved: 'Resolved', rejected: 'Dismissed', accepted: 'Accepted, to fix' } as const;
export type Decision = keyof typeof DECISIONS;

export const moderationSchema = z.object({
  report: z.coerce.number('That report could not be found').int().positive('That report could not be found'),
  decision: z.enum(['resolved', 'rejected', 'accepted'], 'Choose what to do with the report'),
  note: z.string().trim().max(2000, 'The note is longer than 2000 characters').optional().default(''),
});

export const reportStatusTone = { open: 'warning', accepted: 'primary', rejected: 'neutral', resolved: 'success' } as const;
export function reportStatusLabel(status: string): string {
  return status === 'open' ? 'Open' : (DECISIONS[status as Decision] ?? status);
}
