// `training-material`: an organisation's staff (owner, admin, instructor) upload training
// material for one sales category; its text is extracted (extract.ts), split into passages
// (chunk.ts) and stored with add_training_document() as the caller, one transaction, for
// full-text search with search_training_material() (what the AI trainer grounds its replies in).
//   POST multipart/form-data: file (PDF, .txt, .md, .vtt/.srt or any UTF-8 text; at most 10 MB),
//        organization_id, category (one of the 12 sales categories, by slug or name), title? (default: the file
//        name), kind? (pdf | text | markdown | transcript; default: from the bytes and the name).
//        201 {document_id, organization_id, category, title, source_kind, chunk_count,
//        character_count, created_at, pages?}
// Errors: 401, 400 missing or invalid field, 413 over 10 MB, 415 not a PDF or text, 422 no text
// could be extracted, 403 not staff of the organisation, each {error, code?, details?}.
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { corsHeaders, json } from '../_shared/cors.ts';
import { callerClient, dbError, errorResponse, HttpError, readUpload, requireUser } from '../_shared/request.ts';
import { chunkText } from './chunk.ts';
import { extract, SOURCE_KINDS } from './extract.ts';

export const MAX_BYTES = 10 * 1024 * 1024;
export const MAX_CHUNKS = 5000;

/** The sales categories of seed 002, by slug (as training sessions store them) and name. */
export const CATEGORIES: Record<string, string> = {
  'pre-consultation': 'Pre Consultation',
  'consultation-series': 'Consultation Series',
  'sales-objections': 'Sales Objections',
  'after-fixing-objection': 'After Fixing Objection',
  'full-wig-consultation': 'Full Wig Consultation',
  'hairline-consultation': 'Hairline Consultation',
  'types-of-patches': 'Types of Patches',
  'upselling-cross-selling': 'Upselling / Cross Selling',
  'retail-sales': 'Retail Sales',
  'smp-sales': 'SMP Sales',
  'sales-follow-up': 'Sales Follow up',
  'general-sales': 'General Sales',
};

/** The slug of a category given its slug or its name (any case); undefined otherwise. */
export function categorySlug(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  return Object.entries(CATEGORIES).find(([slug, name]) => slug === v || name.toLowerCase() === v)?.[0];
}

const fields = z.object({
  organization_id: z.uuid({ error: 'organization_id must be the id (uuid) of your organisation' }),
  category: z.string({ error: 'category is missing' }).transform((v, ctx) => {
    const slug = categorySlug(v);
    if (!slug) {
      ctx.addIssue({ code: 'custom', message: `category must be one of: ${Object.values(CATEGORIES).join(', ')} (or their slugs: sales-objections, ...)` });
      return z.NEVER;
    }
    return slug;
  }),
  title: z.string().trim().min(1).max(200, 'title is longer than 200 characters').optional(),
  kind: z.enum(SOURCE_KINDS, { error: 'kind must be pdf, text, markdown or transcript' }).optional(),
});

type ClientFor = (authorization: string) => SupabaseClient;

/** A title from a file name: `objection-handling_v2.pdf` → `objection handling v2`. */
export function titleFromName(name: string | null): string | undefined {
  const base = (name ?? '').replace(/^.*[\\/]/, '').replace(/\.[a-z0-9]+$/i, '').replace(/[_-]+/g, ' ').trim();
  return base ? base.slice(0, 200) : undefined;
}

export function makeHandler(clientFor: ClientFor = callerClient) {
  return async (req: Request): Promise<Response> => {
    if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
    if (req.method !== 'POST') {
      await req.body?.cancel();
      return json({ error: `Cannot ${req.method} training-material: it only answers POST (search with rpc search_training_material)` }, 405, {
        Allow: 'POST, OPTIONS',
      });
    }
    try {
      const { authorization } = requireUser(req.headers.get('authorization'));
      const upload = await readUpload(req, MAX_BYTES, 'the training document');
      const parsed = fields.safeParse({
        organization_id: upload.fields.organization_id,
        category: upload.fields.category,
        title: upload.fields.title || undefined,
        kind: upload.fields.kind || undefined,
      });
      if (!parsed.success) throw new HttpError(400, parsed.error.issues.map((i) => i.message).join('; '), 'invalid_request');
      if (!upload.file || upload.file.bytes.byteLength === 0) {
        throw new HttpError(400, 'no document: send multipart/form-data with a `file` field', 'missing_file');
      }
      const title = parsed.data.title ?? titleFromName(upload.file.name);
      if (!title) throw new HttpError(400, 'title is missing (and the file has no name to take it from)', 'invalid_request');

      const extracted = await extract(upload.file.bytes, upload.file.name, parsed.data.kind);
      const chunks = chunkText(extracted.text);
      if (chunks.length === 0) throw new HttpError(422, 'the document holds no text', 'no_text');
      if (chunks.length > MAX_CHUNKS) {
        throw new HttpError(413, `the document is too long: ${chunks.length} passages, at most ${MAX_CHUNKS}`, 'payload_too_large');
      }
      const { data, error } = await clientFor(authorization).rpc('add_training_document', {
        p_organization: parsed.data.organization_id,
        p_category: parsed.data.category,
        p_title: title,
        p_source_kind: extracted.kind,
        p_chunks: chunks,
        p_file_name: upload.file.name,
        p_byte_size: upload.file.bytes.byteLength,
      });
      if (error) throw dbError('store the training document', error);
      return json({ ...(data as Record<string, unknown>), ...(extracted.pages ? { pages: extracted.pages } : {}) }, 201);
    } catch (e) {
      await req.body?.cancel().catch(() => {});
      return errorResponse(e);
    }
  };
}

export const handler = makeHandler();
