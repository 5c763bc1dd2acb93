// The lesson review workflow as the pages show it (the database enforces it in
// set_lesson_status()): which moves a person may make on a version, and the forms.
//   draft --submit--> in_review --approve--> approved --publish--> published --unpublish--> archived
//   in_review --request changes (comment required)--> draft
// Staff submit; owners and admins review, but never approve their own version.
import { z } from 'zod';
import type { OrgRole } from '$lib/organisation.ts';

export const LESSON_STATUSES = ['draft', 'in_review', 'approved', 'published', 'archived'] as const;
export type LessonStatus = (typeof LESSON_STATUSES)[number];

export const STATUS_LABEL: Record<LessonStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  approved: 'Approved',
  published: 'Published',
  archived: 'Archived',
};
export const STATUS_TONE = { draft: 'neutral', in_review: 'warning', approved: 'primary', published: 'success', archived: 'neutral' } as const;

export interface Move {
  to: LessonStatus;
  label: string;
  /** Requesting changes must say what to change. */
  needsComment: boolean;
  tone: 'primary' | 'outline' | 'ghost';
}

const isReviewer = (role: OrgRole) => role === 'owner' || role === 'admin';

/** The moves `role` may make on a version in `status`; `isAuthor`: the caller wrote that version. */
export function movesFor(status: LessonStatus, role: OrgRole, isAuthor: boolean): Move[] {
  if (role === 'learner') return [];
  switch (status) {
    case 'draft':
      return [{ to: 'in_review', label: 'Submit for review', needsComment: false, tone: 'primary' }];
    case 'in_review':
      if (!isReviewer(role)) return [];
      return [
        ...(isAuthor ? [] : [{ to: 'approved' as const, label: 'Approve', needsComment: false, tone: 'primary' as const }]),
        { to: 'draft', label: 'Request changes', needsComment: true, tone: 'outline' },
      ];
    case 'approved':
      return isReviewer(role) ? [{ to: 'published', label: 'Publish', needsComment: false, tone: 'primary' }] : [];
    case 'published':
      return isReviewer(role) ? [{ to: 'archived', label: 'Unpublish', needsComment: false, tone: 'ghost' }] : [];
    default:
      return [];
  }
}

/** Why the reviewer buttons are missing, when they are (shown instead of a silent absence). */
export function waitingFor(status: LessonStatus, role: OrgRole, isAuthor: boolean): string | null {
  if (status === 'in_review' && !isReviewer(role)) return 'Waiting for an owner or admin to review it.';
  if (status === 'in_review' && isAuthor) return 'You wrote this version: another owner or admin approves it.';
  if (status === 'approved' && !isReviewer(role)) return 'Approved: an owner or admin publishes it.';
  return null;
}

export const lessonFormSchema = z.object({
  title: z.string().trim().min(1, 'Give the lesson a title').max(200, 'The title is longer than 200 characters'),
  body: z.string().max(200_000, 'The lesson is longer than 200,000 characters'),
  change_summary: z.string().trim().max(500, 'The summary is longer than 500 characters').optional().default(''),
  exam: z.string().trim().max(40).optional().default(''),
});

export const moveSchema = z
  .object({
    version: z.coerce.number('That version could not be found').int().positive('That version could not be found'),
    to: z.enum(LESSON_STATUSES, 'Choose what to do'),
    comment: z.string().trim().max(5000, 'The comment is longer than 5000 characters').optional().default(''),
  })
  .refine((m) => !(m.to === 'draft' && m.comment === ''), { path: ['comment'], message: 'Say what to change: requesting changes needs a comment' });

export const DONE: Record<LessonStatus, string> = {
  in_review: 'Submitted for review',
  approved: 'Approved',
  draft: 'Changes requested',
  published: 'Published: learners of the organisation can read it now',
  archived: 'Unpublished',
};
