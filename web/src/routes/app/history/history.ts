// The history page's rules: the filters as they travel in the URL (validated, so a hand-edited
// address falls back to "all" instead of an error), local calendar days turned into the instants
// get_quiz_history filters on, and the page's rows as the RPC returns them.
import { z } from 'zod';

export const PAGE_SIZE = 20;
const day = /^\d{4}-\d{2}-\d{2}$/;
const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

export const filtersSchema = z.object({
  exam: z.preprocess(blankToUndefined, z.string().regex(/^[a-z0-9][a-z0-9_-]{1,39}$/).optional()).catch(undefined),
  mode: z.preprocess(blankToUndefined, z.enum(['practice', 'weak_areas', 'review']).optional()).catch(undefined),
  outcome: z.preprocess(blankToUndefined, z.enum(['passed', 'failed']).optional()).catch(undefined),
  from: z.preprocess(blankToUndefined, z.string().regex(day).optional()).catch(undefined),
  to: z.preprocess(blankToUndefined, z.string().regex(day).optional()).catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type Filters = z.infer<typeof filtersSchema>;

/** The filters of a URL (unknown or malformed values are dropped). */
export function readFilters(params: URLSearchParams): Filters {
  return filtersSchema.parse({
    exam: params.get('exam'),
    mode: params.get('mode'),
    outcome: params.get('outcome'),
    from: params.get('from'),
    to: params.get('to'),
    page: params.get('page') ?? 1,
  });
}

/** The query string of filters (and a page), empty values left out: links stay short. */
export function filterQuery(f: Partial<Filters>, page = 1): string {
  const q = new URLSearchParams();
  for (const key of ['exam', 'mode', 'outcome', 'from', 'to'] as const) {
    const v = f[key];
    if (v) q.set(key, v);
  }
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The offset of an IANA zone from UTC at an instant, in ms (0 when the zone is unknown). */
function zoneOffsetMs(instant: number, timeZone: string): number {
  try {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
        .formatToParts(new Date(instant))
        .map((p) => [p.type, p.value]),
    );
    return Date.parse(`${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}Z`) - instant;
  } catch {
    return 0;
  }
}

/** The instant a calendar date begins (00:00) in an IANA zone. */
export function startOfDay(date: string, timeZone: string): string {
  const naive = Date.parse(`${date}T00:00:00Z`);
  // Two passes: the offset at the guess, then at the corrected instant (right across DST changes).
  const first = naive - zoneOffsetMs(naive, timeZone);
  return new Date(naive - zoneOffsetMs(first, timeZone)).toISOString();
}

/** The date after a calendar date (YYYY-MM-DD). */
export function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The RPC's time window: [start of `from`, start of the day after `to`) in the learner's zone. */
export function timeWindow(f: Pick<Filters, 'from' | 'to'>, timeZone: string): { p_from?: string; p_to?: string } {
  let { from, to } = f;
  if (from && to && from > to) [from, to] = [to, from];
  return {
    ...(from ? { p_from: startOfDay(from, timeZone) } : {}),
    ...(to ? { p_to: startOfDay(nextDay(to), timeZone) } : {}),
  };
}

export const historyItem = z.object({
  id: z.uuid(),
  exam_id: z.string(),
  mode: z.enum(['practice', 'weak_areas', 'review']),
  question_count: z.number().int(),
  correct_count: z.number().int().nullable(),
  score_percentage: z.coerce.number().nullable(),
  xp_earned: z.number().int().nullable(),
  time_taken_seconds: z.number().int().nullable(),
  submitted_at: z.string(),
  passed: z.boolean().nullable(),
});
export const historyPage = z.object({ total: z.number().int(), items: z.array(historyItem) });
export type HistoryItem = z.infer<typeof historyItem>;

export const MODE_LABELS: Record<HistoryItem['mode'], string> = { practice: 'Mixed practice', weak_areas: 'Weak areas', review: 'Review mistakes' };

/** "21–40 of 95" for a page, "0 quizzes" when there are none. */
export function pageRange(page: number, total: number, size = PAGE_SIZE): { first: number; last: number; pages: number } {
  const pages = Math.max(1, Math.ceil(total / size));
  const first = total === 0 ? 0 : Math.min(total, (page - 1) * size + 1);
  const last = Math.min(total, page * size);
  return { first, last, pages };
}
