// The chat's rules, beside the page: what may be said, and the transcript as the page keeps it
// while a reply streams in.
import { z } from 'zod';

export const sayBody = z.object({
  content: z.string().trim().min(1, 'Say something first').max(4000, 'Keep it under 4000 characters'),
});

export interface Line {
  id: number | string;
  role: 'learner' | 'customer';
  content: string;
}

/** The transcript with a line added, unless a line with its id is already there (a reload raced it). */
export function addLine(lines: Line[], line: Line): Line[] {
  return lines.some((l) => l.id === line.id) ? lines : [...lines, line];
}

/** The learner's line once the server stored it: the optimistic id swapped for the real one. */
export function confirmLine(lines: Line[], tempId: string, id: number): Line[] {
  return lines.map((l) => (l.id === tempId ? { ...l, id } : l));
}

/** The learner's line taken back (the reply was refused before anything was stored). */
export function dropLine(lines: Line[], tempId: string): Line[] {
  return lines.filter((l) => l.id !== tempId);
}

/**
 * What the learner reads when the trainer refuses a line: the function's messages name the AI
 * provider and its error code (right for logs and admins, not for a learner mid-conversation).
 */
export function replyProblem(status: number, message: string): string {
  if (status === 503) return 'The AI customer is busy right now. Wait a moment and send it again.';
  if (status === 502) return 'The AI customer could not answer: the AI service failed. Send it again; if it keeps failing, tell your trainer.';
  if (status === 410) return 'Time is up: end the session to get your report.';
  if (status === 409) return 'This session has ended. Start a new one from the trainer page.';
  if (status === 401) return 'Your sign-in has expired. Reload the page and sign in again.';
  return message;
}

/** Why the report could not be written; the conversation is kept, so ending again is safe. */
export function endProblem(status: number, message: string): string {
  if (status === 503) return 'The AI service is busy, so the report was not written yet. Your conversation is saved: end the session again in a moment.';
  if (status === 502) return 'The report could not be written: the AI service failed. Your conversation is saved: try again.';
  return message;
}
