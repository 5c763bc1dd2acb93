// A people CSV (seed 002's admin-created accounts), one person per row. Columns (header names are
// case- and punctuation-insensitive; aliases in brackets):
//   email [e_mail, email_address]   required
//   name [full_name, display_name]  optional, 1-80 characters: checked, not stored (the invitee
//                                   picks their own display name when they sign up)
//   role                            optional: learner (default), instructor, admin or owner
import { z } from 'zod';
import type { CsvRow } from '../_shared/csv.ts';
import { column, reasonOf } from '../_shared/imports.ts';

export const COLUMNS: Record<string, string[]> = { email: ['email', 'e_mail', 'email_address', 'e_mail_address'] };
const NAME = ['name', 'full_name', 'display_name'];
const ROLES = ['learner', 'instructor', 'admin', 'owner'] as const;

export const personRow = z.object({
  line: z.number().int().positive(),
  email: z.string({ error: 'the e-mail address is missing' }).trim().toLowerCase()
    .min(1, 'the e-mail address is empty')
    .pipe(z.email({ error: (i) => `${JSON.stringify(i.input)} is not an e-mail address` }).max(320)),
  name: z.string().trim().max(80, 'the name is longer than 80 characters').optional().transform((v) => v || undefined),
  role: z.string().trim().toLowerCase().optional().transform((v) => v || 'learner').pipe(
    z.enum(ROLES, { error: (i) => `role ${JSON.stringify(i.input)} must be learner, instructor, admin or owner` }),
  ),
});
export type PersonRow = z.infer<typeof personRow>;

export function toPerson(row: CsvRow): { ok: true; value: PersonRow } | { ok: false; reason: string } {
  const v = row.values;
  const parsed = personRow.safeParse({ line: row.line, email: column(v, COLUMNS.email!), name: column(v, NAME), role: column(v, ['role']) });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: reasonOf(parsed.error) };
}
