// Spaced repetition as the review screen shows it: the queue split into due cards and weak-domain
// questions, the six SM-2 grades in words, and when a card comes back.

export interface QueueRow {
  kind: string;
  question_id: number;
  exam_id: string;
  domain_code: string;
  due_at: string | null;
  reason: string | null;
}

export const GRADES = [
  { grade: 0, label: 'Blank', text: 'No idea at all' },
  { grade: 1, label: 'Wrong', text: 'Remembered wrongly' },
  { grade: 2, label: 'Almost', text: 'Wrong, but it felt familiar' },
  { grade: 3, label: 'Hard', text: 'Right, with real effort' },
  { grade: 4, label: 'Good', text: 'Right after a moment' },
  { grade: 5, label: 'Easy', text: 'Right at once' },
] as const;

export interface WeakDomain {
  exam_id: string;
  domain_code: string;
  questions: number;
  reason: string | null;
}

/** Due cards (in queue order) and the weak domains the other rows come from. */
export function splitQueue(rows: QueueRow[]): { due: QueueRow[]; weak: WeakDomain[]; next: QueueRow | null } {
  const due = rows.filter((r) => r.kind === 'due_card');
  const weakRows = rows.filter((r) => r.kind === 'weak_domain');
  const weak = new Map<string, WeakDomain>();
  for (const r of weakRows) {
    const key = `${r.exam_id}:${r.domain_code}`;
    const w = weak.get(key) ?? { exam_id: r.exam_id, domain_code: r.domain_code, questions: 0, reason: r.reason };
    w.questions += 1;
    weak.set(key, w);
  }
  return { due, weak: [...weak.values()], next: due[0] ?? weakRows[0] ?? null };
}

/** "tomorrow", "in 6 days": when a reviewed card is due again. */
export function nextReview(dueAt: string, now: Date = new Date()): string {
  const days = Math.round((Date.parse(dueAt) - now.getTime()) / 86_400_000);
  if (days <= 0) return 'later today';
  if (days === 1) return 'tomorrow';
  if (days < 60) return `in ${days} days`;
  return `in ${Math.round(days / 30)} months`;
}
