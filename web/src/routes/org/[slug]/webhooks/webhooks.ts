// Webhook endpoints as the admin pages show them: the events one may subscribe to (the database's
// private.webhook_event_types()), the endpoint form, and a delivery's state in words.
import { z } from 'zod';

export const EVENT_TYPES = {
  'quiz.submitted': 'A member submitted a quiz',
  'member.joined': 'Someone joined the organisation',
  'member.left': 'Someone left the organisation',
  'lesson.published': 'A lesson version was published',
  ping: 'Test pings',
} as const;
export type EventType = keyof typeof EVENT_TYPES;
const EVENT_NAMES = Object.keys(EVENT_TYPES) as [EventType, ...EventType[]];

export const endpointSchema = z.object({
  url: z
    .string()
    .trim()
    .min(1, 'Enter the URL that receives the events')
    .max(2000, 'The URL is longer than 2000 characters')
    .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), 'Enter an http:// or https:// URL'),
  description: z.string().trim().max(500, 'The description is longer than 500 characters').optional().default(''),
  events: z.array(z.enum(EVENT_NAMES, 'Unknown event')).min(1, 'Choose at least one event'),
});

export const DELIVERY_STATUS = {
  pending: { label: 'Retrying', tone: 'warning' },
  in_flight: { label: 'Sending', tone: 'primary' },
  succeeded: { label: 'Delivered', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
} as const;
export type DeliveryStatus = keyof typeof DELIVERY_STATUS;

export function deliveryStatus(status: string): { label: string; tone: 'warning' | 'primary' | 'success' | 'danger' | 'neutral' } {
  return DELIVERY_STATUS[status as DeliveryStatus] ?? { label: status, tone: 'neutral' };
}

/** Retry now is offered for what is waiting (pending) or gave up (failed), as retry_webhook_delivery() allows. */
export function canRetry(status: string, endpointActive: boolean): boolean {
  return endpointActive && (status === 'pending' || status === 'failed');
}

/** "HTTP 500", "Timeout of 5000 ms reached", or nothing for a delivery without a problem. */
export function lastProblem(d: { status: string; last_status_code: number | null; last_error: string | null }): string | null {
  if (d.status === 'succeeded') return null;
  return d.last_error ?? (d.last_status_code ? `HTTP ${d.last_status_code}` : null);
}
