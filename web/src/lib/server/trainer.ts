// The ai-trainer edge function, called from the server as the signed-in learner (their access
// token, so the function's RLS-bound client acts as them), and the trainer rows read under RLS.
import type { SupabaseClient } from '@supabase/supabase-js';
import { env } from '$env/dynamic/public';
import { readPublicConfig } from '$lib/config.ts';
import type { Database } from '$lib/database.types.ts';
import { storedReport, type StoredReport } from '$lib/trainer/trainer.ts';

type Db = SupabaseClient<Database>;

/** A request to `/functions/v1/ai-trainer<path>` with the caller's token. */
export async function callTrainer(locals: App.Locals, path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  const config = readPublicConfig(env);
  const token = locals.session?.access_token;
  const headers: Record<string, string> = { apikey: config.anonKey, authorization: `Bearer ${token ?? config.anonKey}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${config.url}/functions/v1/ai-trainer${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

/** The function's error message (`{error}`), or a generic one. */
export async function trainerError(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // not JSON
  }
  return `The trainer answered ${res.status}. Try again in a moment.`;
}

export const SESSION_COLUMNS =
  'id, user_id, organization_id, category, difficulty, duration_minutes, status, started_at, ends_at, completed_at, overall_score, xp_awarded, training_categories(name), training_scenarios(title)';

/** A session the caller may read (RLS), with its category name; null when there is none to see. */
export async function readSession(supabase: Db, id: string) {
  const { data, error } = await supabase.from('training_sessions').select(SESSION_COLUMNS).eq('id', id).maybeSingle();
  if (error) throw new Error(`Cannot read training session ${id}: ${error.message}`);
  if (!data) return null;
  const { training_categories, training_scenarios, ...s } = data;
  return { ...s, category_name: training_categories?.name ?? s.category, scenario_title: training_scenarios?.title ?? null };
}
export type SessionView = NonNullable<Awaited<ReturnType<typeof readSession>>>;

export async function readTranscript(supabase: Db, id: string) {
  const { data, error } = await supabase.from('training_messages').select('id, role, content, created_at').eq('session_id', id).order('id');
  if (error) throw new Error(`Cannot read the transcript of ${id}: ${error.message}`);
  return data;
}

/** The stored report, checked; null when the session has none (yet). */
export async function readReport(supabase: Db, id: string): Promise<StoredReport | null> {
  const { data, error } = await supabase
    .from('training_reports')
    .select('overall_score, summary, criteria, strengths, improvements, citations, generated_by, created_at')
    .eq('session_id', id)
    .maybeSingle();
  if (error) throw new Error(`Cannot read the report of ${id}: ${error.message}`);
  return data ? storedReport.parse(data) : null;
}

/** The notes on a session, oldest first, with their authors' names where the author may be seen. */
export async function readNotes(supabase: Db, id: string) {
  const { data, error } = await supabase
    .from('training_notes')
    .select('id, body, created_at, updated_at, author_id, profiles(display_name, username)')
    .eq('session_id', id)
    .order('created_at');
  if (error) throw new Error(`Cannot read the notes of ${id}: ${error.message}`);
  return data.map(({ profiles, ...n }) => ({ ...n, author: profiles?.display_name ?? profiles?.username ?? 'An instructor' }));
}
export type NoteView = Awaited<ReturnType<typeof readNotes>>[number];
