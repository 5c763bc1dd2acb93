// CSV imports as the page shows them: the two kinds (questions into the bank, people invited),
// who may run each, the report the edge functions answer (read with zod: it crosses a network
// boundary), and the sample files people download to start from.
import { z } from 'zod';
import type { OrgRole } from '$lib/organisation.ts';

export const IMPORT_KINDS = ['questions', 'users'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const KIND: Record<ImportKind, { fn: string; title: string; roles: readonly OrgRole[]; rowWord: [string, string]; done: (n: number) => string }> = {
  questions: {
    fn: 'import-questions',
    title: 'Questions',
    roles: ['owner', 'admin', 'instructor'],
    rowWord: ['question', 'questions'],
    done: (n) => `${n.toLocaleString('en')} ${n === 1 ? 'question' : 'questions'} imported as drafts`,
  },
  users: {
    fn: 'import-users',
    title: 'People',
    roles: ['owner', 'admin'],
    rowWord: ['person', 'people'],
    done: (n) => `${n.toLocaleString('en')} ${n === 1 ? 'invitation' : 'invitations'} sent`,
  },
};

export function pickKind(raw: string | null, role: OrgRole): ImportKind {
  const wanted = IMPORT_KINDS.find((k) => k === raw) ?? 'questions';
  return KIND[wanted].roles.includes(role) ? wanted : 'questions';
}

const issue = z.object({ line: z.number().int(), reason: z.string() });

export const importReportSchema = z.object({
  mode: z.enum(['dry_run', 'commit']),
  committed: z.boolean(),
  total: z.number().int().nonnegative(),
  valid: z.number().int().nonnegative(),
  skipped: z.array(z.number().int()).default([]),
  errors: z.array(issue),
  imported: z.number().int().optional(),
  question_ids: z.array(z.number().int()).optional(),
  invited: z.number().int().optional(),
  renewed: z.array(z.object({ line: z.number().int(), email: z.string() })).optional(),
});
export type ImportReport = z.infer<typeof importReportSchema>;

/** An error answer of the functions: {error, code?, details?: {line?}}. */
export const importErrorSchema = z.object({
  error: z.string(),
  code: z.string().optional(),
  details: z.object({ line: z.number().int().optional() }).passthrough().optional(),
});

/** The lines a dry run found bad: what a commit of the good rows leaves out. */
export function badLines(report: Pick<ImportReport, 'errors'>): number[] {
  return [...new Set(report.errors.map((e) => e.line))].sort((a, b) => a - b);
}

/** "3 rows checked: 2 ready to import, 1 with a problem." */
export function checkSummary(report: Pick<ImportReport, 'total' | 'valid' | 'errors'>): string {
  const bad = badLines(report).length;
  const rows = `${report.total.toLocaleString('en')} ${report.total === 1 ? 'row' : 'rows'} checked`;
  if (bad === 0) return `${rows}: all ready to import.`;
  const ready = report.valid === 0 ? 'none ready to import' : `${report.valid.toLocaleString('en')} ready to import`;
  return `${rows}: ${ready}, ${bad.toLocaleString('en')} with ${bad === 1 ? 'a problem' : 'problems'}.`;
}

/** "Line 3" / "Lines 3, 7 and 9" */
export function linesInWords(lines: number[]): string {
  if (lines.length === 0) return '';
  if (lines.length === 1) return `line ${lines[0]}`;
  return `lines ${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}`;
}

/** Function errors in words the admin can act on (the functions' own messages are written to be shown). */
export function importErrorMessage(status: number, body: unknown): string {
  const parsed = importErrorSchema.safeParse(body);
  const said = parsed.success ? parsed.data.error.charAt(0).toUpperCase() + parsed.data.error.slice(1) : null;
  if (status === 401) return 'Your session ended. Sign in again and retry.';
  if (status === 403) return said ?? 'You are not allowed to run this import.';
  if (status === 413) return said ?? 'The file is too large: at most 2 MB and 1,000 rows. Split it and import the parts.';
  if (status >= 500 || !said) return 'The import service did not answer properly. Nothing was imported; try again in a moment.';
  return said;
}

export const SAMPLES: Record<ImportKind, { filename: string; csv: string }> = {
  questions: {
    filename: 'ascend-questions-sample.csv',
    csv: [
      'exam,domain,question,option_a,option_b,option_c,option_d,correct_answer,explanation_a,explanation_b,explanation_c,explanation_d,reference',
      'SY0-701,1.0,Which security control type is a firewall rule?,Technical,Managerial,Physical,Operational,A,"A rule enforced by a system is a technical control.",Managerial controls are policies and plans.,Physical controls are locks and fences.,Operational controls are carried out by people.,Objective 1.1',
      'SY0-701,2.0,"What does a phishing e-mail usually try to get, in the end?",A faster mailbox,Credentials or money,A software update,A backup,B,Speed is not the goal.,"Phishing tricks people into giving credentials, money or access.",Updates are what attackers imitate.,Backups are not the target.,',
    ].join('\r\n') + '\r\n',
  },
  users: {
    filename: 'ascend-people-sample.csv',
    csv: ['email,name,role', 'ana@example.com,Ana Example,learner', 'ben@example.com,Ben Example,instructor'].join('\r\n') + '\r\n',
  },
};
