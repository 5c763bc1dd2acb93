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
