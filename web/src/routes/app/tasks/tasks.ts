// Personal tasks: the views, the new-task form and the due date as a moment in the learner's zone.
import { z } from 'zod';

export const VIEWS = [
  { id: 'open', label: 'To do', status: ['todo', 'in_progress'] as const, deleted: false },
  { id: 'done', label: 'Done', status: ['done'] as const, deleted: false },
  { id: 'bin', label: 'Bin', status: null, deleted: true },
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];

export function pickView(raw: string | null) {
  return VIEWS.find((v) => v.id === raw) ?? VIEWS[0];
}

export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

export const newTaskSchema = z.object({
  title: z.string().trim().min(1, 'Say what the task is').max(200, 'Keep it under 200 characters'),
  priority: z.enum(PRIORITIES, { message: 'Choose a priority' }),
  due: z
    .string()
    .trim()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'Use a date like 2026-12-24')
    .refine((s) => !s || !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'Use a real date'),
});

export const task = z.object({
  id: z.coerce.number().int(),
  title: z.string(),
  description: z.string().nullable(),
  status: z.enum(['todo', 'in_progress', 'done']),
  priority: z.enum(PRIORITIES),
  due_at: z.string().nullable(),
  tags: z.array(z.string()),
  completed_at: z.string().nullable(),
  deleted_at: z.string().nullable(),
});
export const taskPage = z.object({ total: z.coerce.number(), items: z.array(task) });
export type Task = z.infer<typeof task>;

/** The instant 23:59:59 of a calendar date in an IANA zone (UTC when the zone is unknown). */
export function endOfDay(date: string, timeZone: string): string {
  const naive = Date.parse(`${date}T23:59:59Z`);
  let offsetMs = 0;
  try {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
        .formatToParts(new Date(naive))
        .map((p) => [p.type, p.value]),
    );
    const asLocal = Date.parse(`${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}Z`);
    offsetMs = asLocal - naive;
  } catch {
    offsetMs = 0;
  }
  return new Date(naive - offsetMs).toISOString();
}

/** Overdue: not done and past its due moment. */
export function isOverdue(t: Pick<Task, 'status' | 'due_at'>, now: Date = new Date()): boolean {
  return t.status !== 'done' && !!t.due_at && Date.parse(t.due_at) < now.getTime();
}
