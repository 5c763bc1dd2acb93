import type { SupabaseClient } from '@supabase/supabase-js';
import { error } from '@sveltejs/kit';
import type { Database } from '$lib/database.types.ts';

export const PROFILE_COLUMNS =
  'id, username, display_name, time_zone, xp, level, current_streak, longest_streak, last_activity_date, quizzes_completed, questions_answered, correct_answers' as const;

export async function loadProfile(supabase: SupabaseClient<Database>, userId: string) {
  const { data, error: e } = await supabase.from('profiles').select(PROFILE_COLUMNS).eq('id', userId).maybeSingle();
  if (e) error(503, { message: 'Your profile could not be loaded.', hint: 'Reload the page in a moment.' });
  if (!data) error(404, { message: 'Your profile is missing.', hint: 'Sign out and in again; if it persists, contact support.' });
  return data;
}
export type Profile = Awaited<ReturnType<typeof loadProfile>>;
