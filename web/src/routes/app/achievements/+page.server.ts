import { collection, groupAchievements, lockedHiddenCount } from '$lib/collection.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const [achievements, avatars] = await Promise.all([locals.supabase.rpc('get_my_achievements'), locals.supabase.rpc('get_avatar_collection')]);
  if (achievements.error) return { loadError: true as const };
  const c = collection.safeParse(avatars.data);
  const rows = achievements.data.map((a) => ({ ...a, progress: a.progress ?? 0, progress_percent: Number(a.progress_percent ?? 0) }));
  return { loadError: false as const, total: rows.length, ...groupAchievements(rows, c.success ? lockedHiddenCount(c.data) : 0) };
};
