// The cohort dashboard's rules: which learners are at risk and why, and how the cohort's
// progress is distributed. The numbers come from the database (get_cohort_overview, the
// assignment recipients); this module only reads them, so it is plain and tested.
import { z } from 'zod';

/** Days without activity after which a learner counts as inactive (get_cohort_overview uses 7). */
export const INACTIVE_DAYS = 7;

const num = z.coerce.number();
/** One row of get_cohort_overview, as it arrives (numerics may come as strings, many are null). */
export const cohortRowSchema = z.object({
  user_id: z.uuid(),
  username: z.string().nullable(),
  display_name: z.string().nullable(),
  level: z.number().int(),
  xp: num,
  current_streak: z.number().int(),
  last_activity_date: z.string().nullable(),
  quizzes_last_30_days: num,
  questions_last_30_days: num,
  accuracy_last_30_days: num.nullable(),
  accuracy_previous_30_days: num.nullable(),
  readiness: num.nullable(),
  risk_reasons: z.array(z.string()).nullable(),
});
export type CohortRow = z.infer<typeof cohortRowSchema>;

export type Risk =
  | { kind: 'never_started' }
  | { kind: 'inactive'; days: number }
  | { kind: 'streak_lost' }
  | { kind: 'overdue'; count: number }
  | { kind: 'low_accuracy'; accuracy: number }
  | { kind: 'declining_accuracy'; from: number; to: number };

export interface CohortLearner {
  userId: string;
  name: string;
  username: string | null;
  level: number;
  xp: number;
  streak: number;
  lastActive: string | null;
  /** Whole days since the last active day (the learner's own calendar day); null: never. */
  idleDays: number | null;
  quizzes30: number;
  accuracy30: number | null;
  readiness: number | null;
  overdue: number;
  risks: Risk[];
}

const DAY = 86_400_000;
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

/**
 * Why a learner needs attention. The database flags never started, inactive, low and declining
 * accuracy; the page adds a lost streak (had one, none today or yesterday) and overdue
 * assignments. `today` is the reader's calendar date (YYYY-MM-DD).
 */
export function risksOf(row: CohortRow, overdue: number, today: string): Risk[] {
  const reasons = new Set(row.risk_reasons ?? []);
  const idle = row.last_activity_date ? daysBetween(row.last_activity_date, today) : null;
  const risks: Risk[] = [];
  if (idle === null) risks.push({ kind: 'never_started' });
  else if (reasons.has('inactive_7_days') || idle >= INACTIVE_DAYS) risks.push({ kind: 'inactive', days: idle });
  // A streak is lost when the last active day is before yesterday (the nightly job then zeroes it).
  if (idle !== null && idle >= 2 && idle < INACTIVE_DAYS) risks.push({ kind: 'streak_lost' });
  if (overdue > 0) risks.push({ kind: 'overdue', count: overdue });
  if (reasons.has('low_accuracy') && row.accuracy_last_30_days !== null) risks.push({ kind: 'low_accuracy', accuracy: row.accuracy_last_30_days });
  if (reasons.has('declining_accuracy') && row.accuracy_last_30_days !== null && row.accuracy_previous_30_days !== null)
    risks.push({ kind: 'declining_accuracy', from: row.accuracy_previous_30_days, to: row.accuracy_last_30_days });
  return risks;
}

/** The risk in words, for a badge. */
export function riskLabel(risk: Risk): string {
  switch (risk.kind) {
    case 'never_started':
      return 'Never started';
    case 'inactive':
      return `Inactive ${risk.days} days`;
    case 'streak_lost':
      return 'Streak lost';
    case 'overdue':
      return risk.count === 1 ? '1 assignment overdue' : `${risk.count} assignments overdue`;
    case 'low_accuracy':
      return `Low accuracy (${Math.round(risk.accuracy)}%)`;
    case 'declining_accuracy':
      return `Accuracy falling (${Math.round(risk.from)}% → ${Math.round(risk.to)}%)`;
  }
}

/** The cohort's learners with their risks; those needing most attention first, then by name. */
export function cohortLearners(rows: CohortRow[], overdueByUser: Map<string, number>, today: string): CohortLearner[] {
  return rows
    .map((r) => {
      const overdue = overdueByUser.get(r.user_id) ?? 0;
      return {
        userId: r.user_id,
        name: r.display_name || r.username || 'A learner',
        username: r.username,
        level: r.level,
        xp: r.xp,
        streak: r.current_streak,
        lastActive: r.last_activity_date,
        idleDays: r.last_activity_date ? daysBetween(r.last_activity_date, today) : null,
        quizzes30: r.quizzes_last_30_days,
        accuracy30: r.accuracy_last_30_days,
        readiness: r.readiness,
        overdue,
        risks: risksOf(r, overdue, today),
      };
    })
    .sort((a, b) => b.risks.length - a.risks.length || a.name.localeCompare(b.name));
}

export interface CohortSummary {
  learners: number;
  activeThisWeek: number;
  atRisk: number;
  averageAccuracy: number | null;
  quizzes30: number;
}

export function summarise(learners: CohortLearner[]): CohortSummary {
  const accuracies = learners.map((l) => l.accuracy30).filter((a): a is number => a !== null);
  return {
    learners: learners.length,
    activeThisWeek: learners.filter((l) => l.idleDays !== null && l.idleDays < 7).length,
    atRisk: learners.filter((l) => l.risks.length > 0).length,
    averageAccuracy: accuracies.length ? accuracies.reduce((s, a) => s + a, 0) / accuracies.length : null,
    quizzes30: learners.reduce((s, l) => s + l.quizzes30, 0),
  };
}

export interface Bar {
  label: string;
  count: number;
}

/** How many learners at each level, 1 to the highest (the last bar gathers everyone above `maxBars`). */
export function levelDistribution(levels: number[], maxBars = 8): Bar[] {
  if (!levels.length) return [];
  const top = Math.max(...levels);
  const bars = Math.min(top, maxBars);
  return Array.from({ length: bars }, (_, i) => {
    const level = i + 1;
    const last = level === bars && top > bars;
    return { label: last ? `${level}+` : String(level), count: levels.filter((l) => (last ? l >= level : l === level)).length };
  });
}

/** How many learners in each fifth of readiness (0-20 %, ..., 80-100 %). */
export function readinessDistribution(values: number[]): Bar[] {
  const edges = [0, 20, 40, 60, 80, 100];
  return edges.slice(0, -1).map((lo, i) => {
    const hi = edges[i + 1]!;
    return { label: `${lo}–${hi}%`, count: values.filter((v) => v >= lo && (i === edges.length - 2 ? v <= hi : v < hi)).length };
  });
}
