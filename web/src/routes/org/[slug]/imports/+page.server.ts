import { fail, type RequestEvent } from '@sveltejs/kit';
import { FunctionsHttpError } from '@supabase/supabase-js';
import { z } from 'zod';
import { orgSection, requireSection } from '$lib/server/org-access.ts';
import { importErrorMessage, importReportSchema, IMPORT_KINDS, KIND, pickKind, type ImportKind, type ImportReport } from './imports.ts';
import type { Actions, PageServerLoad } from './$types';

const MAX_BYTES = 2 * 1024 * 1024;

export const load: PageServerLoad = async (event) => {
  const { org, role } = requireSection(await event.parent(), 'imports');
  const kind = pickKind(event.url.searchParams.get('kind'), role);
  return { org, role, kind, kinds: IMPORT_KINDS.filter((k) => KIND[k].roles.includes(role)) };
};

type Outcome = { ok: true; report: ImportReport } | { ok: false; message: string; report?: ImportReport };

/** Sends the CSV to the kind's edge function as the signed-in person (their JWT: RLS decides). */
async function runImport(event: RequestEvent, kind: ImportKind, orgId: string, file: File, mode: 'dry_run' | 'commit', skip: number[]): Promise<Outcome> {
  const body = new FormData();
  body.set('organization_id', orgId);
  body.set('mode', mode);
  if (skip.length) body.set('skip_lines', skip.join(','));
  body.set('file', file);
  const { data, error } = await event.locals.supabase.functions.invoke(KIND[kind].fn, { body });
  if (error) {
    if (!(error instanceof FunctionsHttpError)) return { ok: false, message: importErrorMessage(503, null) };
    const res = error.context as Response;
    const answer: unknown = await res.json().catch(() => null);
    // A commit refused because a row went bad since the check: the same per-row report.
    const report = importReportSchema.safeParse(answer);
    if (res.status === 422 && report.success) return { ok: false, message: 'Nothing was imported: some rows are not right.', report: report.data };
    return { ok: false, message: importErrorMessage(res.status, answer) };
  }
  const report = importReportSchema.safeParse(data);
  return report.success ? { ok: true, report: report.data } : { ok: false, message: importErrorMessage(502, null) };
}

const kindField = z.enum(IMPORT_KINDS, 'Choose what to import');

export const actions: Actions = {
  check: async (event) => {
    const { org, role } = await orgSection(event, 'imports');
    const form = await event.request.formData();
    const kind = kindField.safeParse(form.get('kind'));
    if (!kind.success || !KIND[kind.data].roles.includes(role)) return fail(403, { stage: 'check', message: 'You cannot run this import.' });
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) return fail(400, { stage: 'check', kind: kind.data, fileError: 'Choose the CSV file to check' });
    if (file.size > MAX_BYTES) return fail(413, { stage: 'check', kind: kind.data, fileError: 'The file is over 2 MB: split it and import the parts' });
    const csv = await file.text();
    const out = await runImport(event, kind.data, org.id, new File([csv], file.name, { type: 'text/csv' }), 'dry_run', []);
    if (!out.ok) return fail(400, { stage: 'check', kind: kind.data, message: out.message });
    return { stage: 'checked' as const, kind: kind.data, filename: file.name, csv, report: out.report };
  },

  commit: async (event) => {
    const { org, role } = await orgSection(event, 'imports');
    const form = await event.request.formData();
    const kind = kindField.safeParse(form.get('kind'));
    if (!kind.success || !KIND[kind.data].roles.includes(role)) return fail(403, { stage: 'commit', message: 'You cannot run this import.' });
    const csv = String(form.get('csv') ?? '');
    const filename = String(form.get('filename') ?? 'import.csv');
    const skip = z.array(z.coerce.number().int().min(2)).max(1000).safeParse(String(form.get('skip_lines') ?? '').split(',').filter(Boolean));
    if (!csv || !skip.success) return fail(400, { stage: 'commit', kind: kind.data, message: 'Check the file again before importing it.' });
    const out = await runImport(event, kind.data, org.id, new File([csv], filename, { type: 'text/csv' }), 'commit', skip.data);
    if (!out.ok) return fail(out.report ? 422 : 400, { stage: 'commit', kind: kind.data, message: out.message, report: out.report, filename, csv });
    return { stage: 'committed' as const, kind: kind.data, filename, report: out.report };
  },
};
