// Bookmarks and notes: one list of the questions a learner kept, each with its note if any.
import { z } from 'zod';

export const noteSchema = z.object({
  question_id: z.coerce.number().int().positive(),
  body: z.string().trim().min(1, 'Write something, or delete the note').max(5000, 'Keep notes under 5,000 characters'),
});

export interface Kept {
  question_id: number;
  stem: string;
  exam_id: string;
  bookmarked_at: string | null;
  note: { id: number; body: string; updated_at: string } | null;
}

interface BookmarkRow {
  question_id: number;
  created_at: string;
  questions: { stem: string; exam_id: string } | null;
}
interface NoteRow {
  id: number;
  question_id: number;
  body: string;
  updated_at: string;
  questions: { stem: string; exam_id: string } | null;
}

/** Bookmarks and notes merged by question, most recently touched first. */
export function mergeKept(bookmarks: BookmarkRow[], notes: NoteRow[]): Kept[] {
  const byQ = new Map<number, Kept>();
  for (const b of bookmarks) {
    byQ.set(b.question_id, { question_id: b.question_id, stem: b.questions?.stem ?? 'A question no longer available', exam_id: b.questions?.exam_id ?? '', bookmarked_at: b.created_at, note: null });
  }
  for (const n of notes) {
    const k = byQ.get(n.question_id) ?? { question_id: n.question_id, stem: n.questions?.stem ?? 'A question no longer available', exam_id: n.questions?.exam_id ?? '', bookmarked_at: null, note: null };
    k.note = { id: n.id, body: n.body, updated_at: n.updated_at };
    byQ.set(n.question_id, k);
  }
  const touched = (k: Kept) => Math.max(Date.parse(k.bookmarked_at ?? '') || 0, Date.parse(k.note?.updated_at ?? '') || 0);
  return [...byQ.values()].sort((a, b) => touched(b) - touched(a));
}

/** A study set as its form sends it: shared only inside an organisation (the table says so too). */
export const setSchema = z
  .object({
    name: z.string().trim().min(1, 'Give the set a name').max(100, 'Keep the name under 100 characters'),
    description: z.string().trim().max(1000, 'Keep the description under 1,000 characters').transform((d) => d || null),
    organization_id: z.union([z.literal(''), z.uuid()]).transform((o) => o || null),
    shared: z.literal('on').optional().transform((s) => s === 'on'),
  })
  .refine((s) => !s.shared || s.organization_id, { path: ['shared'], message: 'Choose an organisation to share the set with' });

export const setItemSchema = z.object({ set: z.uuid(), question_id: z.coerce.number().int().positive() });
