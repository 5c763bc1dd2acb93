// The AI trainer as the app shows it: the choices a learner makes (difficulty, duration), the
// forms' rules, and the stored report read back from the database, checked with zod (its jsonb
// columns are only typed as Json).
import { z } from 'zod';
import type { Database } from '$lib/database.types.ts';

export type Difficulty = Database['public']['Enums']['training_difficulty'];
export type SessionStatus = Database['public']['Enums']['training_session_status'];

export const DIFFICULTIES: { value: Difficulty; label: string; text: string }[] = [
  { value: 'new-joining', label: 'New joiner', text: 'A friendly customer with simple needs.' },
  { value: 'basic', label: 'Basic', text: 'A few questions and one easy objection.' },
  { value: 'experienced', label: 'Experienced', text: 'Sceptical, compares offers.' },
  { value: 'expert', label: 'Expert', text: 'Demanding, several hard objections.' },
];

export const DURATIONS = [5, 10, 15, 20, 30] as const;

export function difficultyLabel(d: string): string {
  return DIFFICULTIES.find((x) => x.value === d)?.label ?? d;
}

export const STATUS_LABELS: Record<SessionStatus, string> = { active: 'In progress', completed: 'Report ready', abandoned: 'Not finished' };

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v);

/** The start form (also checked by the function and the database). */
export const startSchema = z.object({
  category: z.string().min(1, 'Choose a category').regex(/^[a-z0-9-]+$/, 'Choose a category'),
  scenario_id: z.preprocess(blankToNull, z.uuid('Choose a scenario from the list').nullable()),
  difficulty: z.enum(['new-joining', 'basic', 'experienced', 'expert'], 'Choose a difficulty'),
  duration_minutes: z.coerce.number().pipe(z.union(DURATIONS.map((d) => z.literal(d)) as [z.ZodLiteral<5>, ...z.ZodLiteral<number>[]], 'Choose a duration')),
  organization_id: z.preprocess(blankToNull, z.uuid('Choose an organisation from the list').nullable()),
});
export type StartForm = z.infer<typeof startSchema>;

/** An instructor's note on a session. */
export const noteSchema = z.object({
  body: z.string().trim().min(1, 'Write a note first').max(4000, 'Keep the note under 4000 characters'),
});

export const sessionIdSchema = z.uuid();

const criterion = z.object({
  key: z.string(),
  name: z.string(),
  weight: z.number(),
  score: z.number().min(0).max(5),
  evidence: z.array(z.object({ quote: z.string(), message_id: z.number().optional() })),
  comment: z.string(),
});

/** A stored report (training_reports) as the report screens show it. */
export const storedReport = z.object({
  overall_score: z.coerce.number(),
  summary: z.string(),
  criteria: z.array(criterion),
  strengths: z.array(z.string()),
  improvements: z.array(z.string()),
  citations: z.array(z.object({ source: z.string(), snippet: z.string() })),
  generated_by: z.string(),
  created_at: z.string(),
});
export type StoredReport = z.infer<typeof storedReport>;
export type Criterion = z.infer<typeof criterion>;

/** How a score reads: 80+ strong, 60+ solid, else needs work (a tone for the badge, too). */
export function scoreBand(score: number): { label: string; tone: 'success' | 'primary' | 'warning' } {
  if (score >= 80) return { label: 'Strong', tone: 'success' };
  if (score >= 60) return { label: 'Solid', tone: 'primary' };
  return { label: 'Needs work', tone: 'warning' };
}

/**
 * The reply a reopened page may still be waiting for: the learner spoke last, so the customer's
 * answer is being generated (the function finishes and stores it even when the tab went away).
 */
export function awaitingReply(messages: { role: string }[]): boolean {
  return messages.at(-1)?.role === 'learner';
}

/** "Sales Objections · Expert · 10 min". */
export function sessionTitle(s: { category_name: string; difficulty: string; duration_minutes: number }): string {
  return `${s.category_name} · ${difficultyLabel(s.difficulty)} · ${s.duration_minutes} min`;
}

/** The reader's first language from Accept-Language, if this runtime knows it; else English. */
export function requestLocale(acceptLanguage: string | null): string {
  const first = (acceptLanguage ?? '').split(',')[0]?.split(';')[0]?.trim() ?? '';
  try {
    return (first && Intl.DateTimeFormat.supportedLocalesOf([first])[0]) || 'en';
  } catch {
    return 'en';
  }
}

/** "6 Dec 2026, 09:30" in the learner's locale and time zone (UTC when the zone is unknown). */
export function formatWhen(iso: string, locale: string, timeZone: string): string {
  const opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  try {
    return new Intl.DateTimeFormat(locale, { ...opts, timeZone }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC' }).format(new Date(iso));
  }
}
