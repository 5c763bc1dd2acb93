// The learner's assignments: the status filters and how each one reads.
export const FILTERS = [
  { id: 'pending', label: 'To do' },
  { id: 'overdue', label: 'Overdue' },
  { id: 'completed', label: 'Completed' },
  { id: 'all', label: 'All' },
] as const;
export type FilterId = (typeof FILTERS)[number]['id'];

export function pickFilter(raw: string | null): FilterId {
  return FILTERS.find((f) => f.id === raw)?.id ?? 'pending';
}

export interface AssignmentLike {
  status: string;
  completed_late: boolean | null;
  due_at: string | null;
}

/** The badge: what state the assignment is in, in words, and its tone. */
export function statusBadge(a: AssignmentLike): { label: string; tone: 'success' | 'warning' | 'danger' | 'primary' } {
  if (a.status === 'completed') return a.completed_late ? { label: 'Completed late', tone: 'warning' } : { label: 'Completed', tone: 'success' };
  if (a.status === 'overdue') return { label: 'Overdue', tone: 'danger' };
  return { label: 'To do', tone: 'primary' };
}
