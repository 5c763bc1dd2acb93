import { error } from '@sveltejs/kit';
import { requireSection } from '$lib/server/org-access.ts';
import { requestLocale } from '$lib/trainer/trainer.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent, request, url }) => {
  const { org, role } = requireSection(await parent(), 'trainer');
  const learner = url.searchParams.get('learner');
  let query = locals.supabase
    .from('training_sessions')
    .select('id, user_id, category, difficulty, duration_minutes, status, started_at, completed_at, overall_score, xp_awarded, training_categories(name), profiles(display_name, username)')
    .eq('organization_id', org.id)
    .eq('status', 'completed')
    .order('completed_at', { ascending: false })
    .limit(100);
  if (learner && /^[0-9a-f-]{36}$/i.test(learner)) query = query.eq('user_id', learner);
  const [sessions, members] = await Promise.all([
    query,
    locals.supabase.from('organization_members').select('user_id, profiles(display_name, username)').eq('organization_id', org.id).eq('role', 'learner'),
  ]);
  if (sessions.error) error(503, { message: 'The training reports could not be loaded.', hint: 'Reload the page in a moment.' });
  const ids = sessions.data.map((s) => s.id);
  const notes = ids.length ? await locals.supabase.from('training_notes').select('session_id').in('session_id', ids) : { data: [], error: null };
  const noteCount = new Map<string, number>();
  for (const n of notes.data ?? []) noteCount.set(n.session_id, (noteCount.get(n.session_id) ?? 0) + 1);
  const name = (p: { display_name: string | null; username: string | null } | null) => p?.display_name ?? p?.username ?? 'A learner';
  return {
    org,
    role,
    locale: requestLocale(request.headers.get('accept-language')),
    learner: learner ?? '',
    learners: (members.data ?? []).map((m) => ({ id: m.user_id, name: name(m.profiles) })).sort((a, b) => a.name.localeCompare(b.name)),
    reports: sessions.data.map(({ training_categories, profiles, ...s }) => ({
      ...s,
      category_name: training_categories?.name ?? s.category,
      learner_name: name(profiles),
      notes: noteCount.get(s.id) ?? 0,
    })),
  };
};
