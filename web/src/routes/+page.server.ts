import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const { data } = await locals.supabase.from('exams').select('id, code, name, description').order('position');
  return { exams: data ?? [] };
};
