// The audit log page: its filters (from the address, so a filtered view can be shared and
// reloaded), and each row's change as people read it: which fields went from what to what.
import { z } from 'zod';

/** The tables whose changes carry an organisation (what an organisation's audit log can show). */
export const AUDITED_TABLES: Record<string, string> = {
  'public.organizations': 'Organisation',
  'public.organization_members': 'Members',
  'public.organization_invitations': 'Invitations',
  'public.teams': 'Teams',
  'public.team_members': 'Team members',
  'public.questions': 'Questions',
  'public.question_keys': 'Answer keys',
  'public.question_reports': 'Question reports',
  'public.xp_events': 'XP adjustments',
  'public.lessons': 'Lessons',
  'public.lesson_versions': 'Lesson versions',
  'public.lesson_comments': 'Lesson comments',
};
export const AUDIT_ACTIONS = ['INSERT', 'UPDATE', 'DELETE', 'ERASE'] as const;
export const ACTION_LABEL: Record<(typeof AUDIT_ACTIONS)[number], string> = { INSERT: 'Created', UPDATE: 'Changed', DELETE: 'Deleted', ERASE: 'Erased' };
export const PAGE_SIZE = 50;

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

/** Filters from the query string; anything unknown is dropped rather than failing the page. */
export const auditFilterSchema = z.object({
  table: z.string().refine((t) => t in AUDITED_TABLES).optional().catch(undefined),
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  actor: z.uuid().optional().catch(undefined),
  from: date,
  to: date,
  before: z.coerce.number().int().positive().optional().catch(undefined),
});
export type AuditFilters = z.infer<typeof auditFilterSchema>;

export function readAuditFilters(params: URLSearchParams): AuditFilters {
  const get = (k: string) => params.get(k) || undefined;
  return auditFilterSchema.parse({ table: get('table'), action: get('action'), actor: get('actor'), from: get('from'), to: get('to'), before: get('before') });
}

/** The address of the next (older) page: the same filters, before the last id shown. */
export function olderHref(pathname: string, filters: AuditFilters, lastId: number): string {
  const q = new URLSearchParams();
  for (const k of ['table', 'action', 'actor', 'from', 'to'] as const) if (filters[k]) q.set(k, String(filters[k]));
  q.set('before', String(lastId));
  return `${pathname}?${q}`;
}

export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

const show = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));
const HIDDEN = new Set(['id', 'created_at', 'updated_at', 'organization_id']);

/**
 * What changed: for an update, the changed columns with before and after; for an insert or a
 * delete, the row's own fields (without ids and timestamps), on the side that exists.
 */
export function describeChange(row: { action: string; old_data: unknown; new_data: unknown; changed_columns: string[] | null }): FieldChange[] {
  const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const before = obj(row.old_data);
  const after = obj(row.new_data);
  if (row.action === 'UPDATE') {
    return (row.changed_columns ?? []).map((field) => ({ field, before: show(before[field]), after: show(after[field]) }));
  }
  const side = row.action === 'INSERT' ? after : before;
  return Object.keys(side)
    .filter((k) => !HIDDEN.has(k) && side[k] !== null)
    .map((field) => ({ field, before: row.action === 'INSERT' ? null : show(side[field]), after: row.action === 'INSERT' ? show(side[field]) : null }));
}

/** Who did it: a member's name, or the role when there was no signed-in person (a job, Studio). */
export function actorLabel(actorId: string | null, actorRole: string, names: Map<string, string>): string {
  if (actorId) return names.get(actorId) ?? 'A former member';
  if (actorRole === 'service_role') return 'Ascend (service)';
  return `Ascend (${actorRole})`;
}
