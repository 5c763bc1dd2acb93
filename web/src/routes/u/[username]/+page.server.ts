// A learner's public profile, server-rendered, for anyone its visibility allows (public: anyone,
// signed out too; organisation: co-members; private: the learner and their organisations' staff).
// get_public_profile() applies the rules and answers PT404 both for a hidden profile and for a
// username nobody has, so this page shows one "private" state for both and reveals neither.
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { formatDateTime, preferredLocale } from '$lib/format.ts';
import { levelProgress } from '$lib/levels.ts';
import type { PageServerLoad } from './$types';

const publicProfile = z.object({
  username: z.string(),
  display_name: z.string(),
  bio: z.string().nullable(),
  avatar: z.object({ name: z.string(), rarity: z.enum(['common', 'rare', 'epic', 'legendary']) }).nullable(),
  level: z.number().int(),
  xp: z.number().int(),
  current_streak: z.number().int(),
  longest_streak: z.number().int(),
  quizzes_completed: z.number().int(),
  achievements: z.array(z.object({ slug: z.string(), name: z.string(), description: z.string(), earned_at: z.string() })),
});

export const load: PageServerLoad = async ({ locals, params, request, setHeaders }) => {
  // Never cached by a shared cache: what a visitor may see depends on who they are.
  setHeaders({ 'cache-control': 'private, no-store' });
  const username = z.string().regex(/^[A-Za-z0-9_.-]{3,30}$/).safeParse(params.username);
  if (!username.success) return { hidden: true as const, username: params.username };
  const [{ data, error: e }, viewer] = await Promise.all([
    locals.supabase.rpc('get_public_profile', { p_username: username.data }),
    locals.user ? locals.supabase.from('profiles').select('time_zone').eq('id', locals.user.id).maybeSingle() : Promise.resolve(null),
  ]);
  if (e) {
    if (e.code === 'PT404') return { hidden: true as const, username: username.data };
    error(503, { message: 'This profile could not be loaded.', hint: 'Reload the page in a moment.' });
  }
  const p = publicProfile.safeParse(data);
  if (!p.success) error(502, { message: 'This profile could not be read.', hint: 'Reload the page in a moment.' });
  const locale = preferredLocale(request.headers.get('accept-language'));
  const timeZone = viewer?.data?.time_zone ?? 'UTC';
  return {
    hidden: false as const,
    username: p.data.username,
    profile: {
      ...p.data,
      progress: levelProgress(p.data.xp),
      achievements: p.data.achievements.map((a) => ({ ...a, earned: formatDateTime(a.earned_at, { locale, timeZone }) })),
    },
    signedIn: Boolean(locals.user),
  };
};
