// Assigning work from the organisation area: the form's rules (zod), the due date typed in the
// assigner's time zone, the target (a team, a department or one member), and completion as the
// list shows it. The database checks everything again (assignments_* policies and triggers).
import { z } from 'zod';

/**
 * A wall-clock time ("2026-06-17T18:00") in an IANA time zone, as an instant. Found by asking
 * Intl what the zone's clock reads at the naive UTC instant and correcting by the difference
 * (twice, so a daylight-saving change between the two is accounted for).
 */
export function zonedToUtc(local: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const wanted = Date.UTC(y, mo - 1, d, h, mi);
  if (Number.isNaN(wanted) || new Date(wanted).getUTCDate() !== d) return null;
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
  } catch {
    return null;
  }
  const clockAt = (t: number) => {
    const p = Object.fromEntries(fmt.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  };
  let t = wanted - (clockAt(wanted) - wanted);
  t = t - (clockAt(t) - wanted);
  return new Date(t);
}

/** An instant as the value of a datetime-local input in a time zone ("2026-06-17T18:00"). */
export function utcToZonedInput(at: Date, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

export type Target = { kind: 'team' | 'department' | 'user'; id: string };
const targetSchema = z
  .string('Choose who it is for')
  .regex(/^(team|department|user):[0-9a-f-]{36}$/i, 'Choose who it is for')
  .transform((s): Target => {
    const [kind, id] = s.split(':') as [Target['kind'], string];
    return { kind, id };
  });

const int = (min: number, max: number, label: string) =>
  z.coerce.number(`Enter the ${label}`).int(`Enter a whole number`).min(min, `At least ${min}`).max(max, `At most ${max}`);

/** The assignment form; `now` and the assigner's time zone decide whether the due date is ahead. */
export function assignmentSchema(now: Date, timeZone: string) {
  return z
    .object({
      title: z.string().trim().min(1, 'Enter a title').max(200, 'At most 200 characters'),
      instructions: z.string().trim().max(2000, 'At most 2000 characters').default('').transform((s) => s || null),
      kind: z.enum(['quiz', 'lesson'], 'Choose a quiz or a lesson'),
      // The form sends only the fields of the chosen kind.
      exam: z.string().trim().default(''),
      domains: z.array(z.string().trim().min(1)).default([]),
      question_count: z.string().default(''),
      pass_mark: z.string().default(''),
      lesson: z.string().default(''),
      target: targetSchema,
      due: z.string().trim().min(1, 'Choose a due date'),
    })
    .transform((v, ctx) => {
      const due = zonedToUtc(v.due, timeZone);
      if (!due) ctx.addIssue({ code: 'custom', path: ['due'], message: 'Choose a due date' });
      else if (due.getTime() <= now.getTime()) ctx.addIssue({ code: 'custom', path: ['due'], message: 'Choose a date in the future' });
      const common = { title: v.title, instructions: v.instructions, target: v.target, due_at: due?.toISOString() ?? '' };
      if (v.kind === 'lesson') {
        const lesson = z.uuid().safeParse(v.lesson);
        if (!lesson.success) ctx.addIssue({ code: 'custom', path: ['lesson'], message: 'Choose a lesson' });
        return { ...common, kind: 'lesson' as const, lesson_id: lesson.data ?? '' };
      }
      if (!v.exam) ctx.addIssue({ code: 'custom', path: ['exam'], message: 'Choose an exam' });
      const count = int(1, 100, 'number of questions').safeParse(v.question_count);
      if (!count.success) ctx.addIssue({ code: 'custom', path: ['question_count'], message: count.error.issues[0]?.message ?? 'Enter the number of questions' });
      const mark = int(0, 100, 'pass mark').safeParse(v.pass_mark);
      if (!mark.success) ctx.addIssue({ code: 'custom', path: ['pass_mark'], message: mark.error.issues[0]?.message ?? 'Enter the pass mark' });
      return {
        ...common,
        kind: 'quiz' as const,
        exam_id: v.exam,
        domain_codes: v.domains.length ? v.domains : null,
        question_count: count.data ?? 0,
        pass_mark: mark.data ?? 0,
      };
    });
}
export type AssignmentInput = z.output<ReturnType<typeof assignmentSchema>>;

/** The target as the assignments table's columns (exactly one set). */
export function targetColumns(t: Target): { assignee_user_id: string | null; team_id: string | null; department_id: string | null } {
  return { assignee_user_id: t.kind === 'user' ? t.id : null, team_id: t.kind === 'team' ? t.id : null, department_id: t.kind === 'department' ? t.id : null };
}

export type RecipientStatus = 'completed' | 'overdue' | 'pending';

/** A recipient's status, as the database's private.assignment_status says it. */
export function recipientStatus(completedAt: string | null, dueAt: string, now: Date = new Date()): RecipientStatus {
  if (completedAt) return 'completed';
  return Date.parse(dueAt) <= now.getTime() ? 'overdue' : 'pending';
}

export interface Completion {
  total: number;
  completed: number;
  overdue: number;
  pending: number;
}

export function completion(recipients: { completed_at: string | null }[], dueAt: string, now: Date = new Date()): Completion {
  const out: Completion = { total: recipients.length, completed: 0, overdue: 0, pending: 0 };
  for (const r of recipients) out[recipientStatus(r.completed_at, dueAt, now)] += 1;
  return out;
}

/** "2 of 3 completed", "Nobody to do it" */
export function completionText(c: Completion): string {
  if (c.total === 0) return 'Nobody to do it yet';
  return `${c.completed} of ${c.total} completed`;
}
