// The learner's data, as one JSON file (export_user_data: account, profile, attempts, XP, study
// tools, memories ...). A download, never cached.
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
  if (!locals.user) error(401, { message: 'Sign in to download your data.' });
  const { data, error: e } = await locals.supabase.rpc('export_user_data', {});
  if (e) error(503, { message: 'Your data could not be exported just now.', hint: 'Try again in a moment.' });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="ascend-data-${day}.json"`,
      'cache-control': 'no-store',
    },
  });
};
