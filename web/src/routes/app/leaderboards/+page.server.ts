import { leaderboard, pickBoard, pickPeriod, pinnedRow } from './boards.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, depends }) => {
  depends('app:leaderboard');
  const board = pickBoard(url.searchParams.get('board'));
  const period = pickPeriod(url.searchParams.get('period'));
  const { data, error } = await locals.supabase.rpc('get_leaderboard', { p_board: board, p_period: period, p_limit: 50, p_offset: 0 });
  const parsed = error ? null : leaderboard.safeParse(data);
  if (!parsed?.success) return { board, period, loadError: true as const };
  return { board, period, loadError: false as const, ...parsed.data, pinned: pinnedRow(parsed.data.entries, parsed.data.current_user_entry) };
};
