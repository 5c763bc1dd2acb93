// Notifications as the learner reads them: the page the database returns, the live message on the
// private topic `user:<uid>`, where each kind leads, and the badge's words.
import { z } from 'zod';
import type { Database } from './database.types.ts';

export type NotificationType = Database['public']['Enums']['notification_type'];

export const NOTIFICATION_TYPES = [
  'achievement',
  'level_up',
  'streak_at_risk',
  'assignment_due',
  'invitation',
  'report_ready',
  'moderation_result',
  'system',
] as const satisfies readonly NotificationType[];

export const notification = z.object({
  id: z.coerce.number().int(),
  type: z.enum(NOTIFICATION_TYPES),
  title: z.string(),
  body: z.string().nullable().optional().transform((v) => v ?? null),
  data: z.record(z.string(), z.unknown()).nullable().optional().transform((v) => v ?? {}),
  read_at: z.string().nullable().optional().transform((v) => v ?? null),
  created_at: z.string(),
});
export type Notification = z.infer<typeof notification>;

export const notificationPage = z.object({
  total: z.coerce.number().int(),
  unread: z.coerce.number().int(),
  limit: z.coerce.number().int(),
  offset: z.coerce.number().int(),
  items: z.array(notification),
});
export type NotificationPage = z.infer<typeof notificationPage>;

export const PAGE_SIZE = 20;

/** `?page=` as a 1-based page number (anything odd is page 1). */
export function pageNumber(raw: string | null): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
}

export function pageCount(total: number, size = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / size));
}

/** The badge: nothing at 0, the number up to 99, then "99+". */
export function badgeText(unread: number): string {
  if (unread <= 0) return '';
  return unread > 99 ? '99+' : String(unread);
}

/** What a screen reader hears on the bell. */
export function bellLabel(unread: number): string {
  if (unread <= 0) return 'Notifications, none unread';
  return `Notifications, ${unread > 99 ? 'more than 99' : unread} unread`;
}

export const TYPE_LABELS: Record<NotificationType, string> = {
  achievement: 'Achievement',
  level_up: 'Level up',
  streak_at_risk: 'Streak',
  assignment_due: 'Assignment',
  invitation: 'Invitation',
  report_ready: 'Training report',
  moderation_result: 'Question report',
  system: 'Announcement',
};

/** Where a notification leads, inside the app (null: nowhere to go). */
export function notificationHref(n: Pick<Notification, 'type' | 'data'>): string | null {
  switch (n.type) {
    case 'achievement':
      return '/app/achievements';
    case 'level_up':
      return '/app/avatars';
    case 'streak_at_risk':
      return '/app';
    case 'assignment_due':
      return '/app/assignments';
    case 'invitation':
      return '/app/invitations';
    case 'report_ready':
      return typeof n.data?.session_id === 'string' && /^[0-9a-f-]{36}$/i.test(n.data.session_id) ? `/app/trainer/reports/${n.data.session_id}` : '/app/trainer';
    default:
      return null;
  }
}

/** A live message from the topic, if it is one (anything else is ignored). */
export function parseLive(payload: unknown): Notification | null {
  const parsed = notification.safeParse(payload);
  return parsed.success ? parsed.data : null;
}
