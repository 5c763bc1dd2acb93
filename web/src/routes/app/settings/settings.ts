// The settings forms' rules: one zod schema per form (errors beside each field), the settings
// object get_my_settings returns, and the time zones offered.
import { z } from 'zod';

const checkbox = z
  .string()
  .optional()
  .transform((v) => v === 'on');

const time = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a time like 22:00')
  .or(z.literal(''));

export const profileSchema = z.object({
  display_name: z.string().trim().min(1, 'Tell us what to call you').max(80, 'Keep it under 80 characters'),
  username: z
    .string()
    .trim()
    .min(3, 'Use at least 3 characters')
    .max(30, 'Use at most 30 characters')
    .regex(/^[A-Za-z0-9_.-]+$/, 'Use letters, digits, dots, dashes and underscores only'),
  time_zone: z.string().trim().min(1, 'Choose your time zone').refine(isTimeZone, 'Choose a time zone from the list'),
});

export const preferencesSchema = z
  .object({
    email_weekly_progress: checkbox,
    email_streak_reminder: checkbox,
    email_achievements: checkbox,
    email_assignments: checkbox,
    email_training_reports: checkbox,
    quiet_hours_start: time,
    quiet_hours_end: time,
  })
  .superRefine((v, ctx) => {
    if (!v.quiet_hours_start !== !v.quiet_hours_end) {
      const path = v.quiet_hours_start ? 'quiet_hours_end' : 'quiet_hours_start';
      ctx.addIssue({ code: 'custom', path: [path], message: 'Set both the start and the end, or neither' });
    } else if (v.quiet_hours_start && v.quiet_hours_start === v.quiet_hours_end) {
      ctx.addIssue({ code: 'custom', path: ['quiet_hours_end'], message: 'The end must differ from the start' });
    }
  })
  .transform((v) => ({ ...v, quiet_hours_start: v.quiet_hours_start || null, quiet_hours_end: v.quiet_hours_end || null }));

export const privacySchema = z.object({
  profile_visibility: z.enum(['public', 'organisation', 'private'], { message: 'Choose who can see your profile' }),
  show_on_leaderboards: checkbox,
});

export const deleteSchema = z.object({
  confirmation: z.string().trim().refine((v) => v === 'DELETE', 'Type DELETE in capital letters to confirm'),
});

export const settings = z.object({
  time_zone: z.string(),
  profile_visibility: z.enum(['public', 'organisation', 'private']),
  show_on_leaderboards: z.boolean(),
  email_weekly_progress: z.boolean(),
  email_streak_reminder: z.boolean(),
  email_achievements: z.boolean(),
  email_assignments: z.boolean(),
  email_training_reports: z.boolean(),
  quiet_hours_start: z.string().nullable(),
  quiet_hours_end: z.string().nullable(),
});
export type Settings = z.infer<typeof settings>;

export const EMAIL_KINDS = [
  { name: 'email_achievements', label: 'Achievements and level-ups' },
  { name: 'email_streak_reminder', label: 'Streak reminders', hint: 'In the evening, when no quiz was done today' },
  { name: 'email_assignments', label: 'Assignments', hint: 'New ones, and a day before they are due' },
  { name: 'email_weekly_progress', label: 'Weekly progress summary', hint: 'Mondays' },
  { name: 'email_training_reports', label: 'AI training reports' },
] as const;

export const VISIBILITY = [
  { value: 'public', label: 'Public', text: 'Anyone can see your profile; leaderboards show your name.' },
  { value: 'organisation', label: 'My organisations', text: 'People in your organisations see you; everyone else sees “Anonymous learner”.' },
  { value: 'private', label: 'Private', text: 'Only you and your organisations’ staff; leaderboards show you anonymously.' },
] as const;

/** "22:00:00" from the database as the "22:00" a time input wants. */
export function hhmm(t: string | null | undefined): string {
  return t ? t.slice(0, 5) : '';
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Every IANA zone the runtime knows, UTC first, plus the learner's own if it is missing. */
export function timeZones(current?: string): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const out = ['UTC', ...zones.filter((z) => z !== 'UTC')];
  if (current && !out.includes(current)) out.splice(1, 0, current);
  return out;
}

/** The database's refusal of a profile change, beside the field it concerns. */
export function profileProblem(error: { code: string; message: string }): { field: string; message: string } {
  const msg = error.message.toLowerCase();
  if (error.code === '23505' && msg.includes('username')) return { field: 'username', message: 'That username is taken. Try another.' };
  if (error.code === '23514' && msg.includes('username')) return { field: 'username', message: 'Use 3 to 30 letters, digits, dots, dashes or underscores.' };
  if (error.code === '23514' && msg.includes('time_zone')) return { field: 'time_zone', message: 'Choose a time zone from the list.' };
  if (error.code === '23514' && msg.includes('display_name')) return { field: 'display_name', message: 'Use 1 to 80 characters.' };
  return { field: '_form', message: 'Your profile could not be saved just now. Try again in a moment.' };
}
