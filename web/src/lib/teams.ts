// Teams and departments of an organisation: the forms' rules, and teams grouped under their
// departments as the page shows them. Staff manage teams; owners and admins manage departments
// (the database enforces both; see teams_*_staff and departments_*_admin).
import { z } from 'zod';

const name = z.string().trim().min(1, 'Enter a name').max(100, 'At most 100 characters');
const description = z
  .string()
  .trim()
  .max(2000, 'At most 2000 characters')
  .transform((s) => s || null);
const optionalId = z
  .string()
  .transform((s) => s || null)
  .pipe(z.uuid('Choose a department').nullable());

export const departmentSchema = z.object({ name, description });
export const teamSchema = z.object({ name, kind: z.enum(['team', 'cohort'], 'Choose team or cohort'), department: optionalId, description });
export const teamDepartmentSchema = z.object({ team: z.uuid('That team could not be found'), department: optionalId });
export const teamMemberSchema = z.object({ team: z.uuid('That team could not be found'), user: z.uuid('Choose a member') });
export const idSchema = z.object({ id: z.uuid('That could not be found') });

/** Unique-name clashes read as a message beside the name. */
export function duplicateName(code: string | undefined, what: 'team' | 'department'): string | null {
  return code === '23505' ? `This organisation already has a ${what} with that name.` : null;
}

export interface TeamLike {
  id: string;
  name: string;
  department_id: string | null;
}

/** Teams under their department (departments by name), then the teams without one. */
export function groupTeams<T extends TeamLike, D extends { id: string; name: string }>(teams: T[], departments: D[]): { department: D | null; teams: T[] }[] {
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  const groups = [...departments].sort(byName).map((d) => ({ department: d as D | null, teams: teams.filter((t) => t.department_id === d.id).sort(byName) }));
  const known = new Set(departments.map((d) => d.id));
  const loose = teams.filter((t) => !t.department_id || !known.has(t.department_id)).sort(byName);
  return loose.length ? [...groups, { department: null, teams: loose }] : groups;
}
