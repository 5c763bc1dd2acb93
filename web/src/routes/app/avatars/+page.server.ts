import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { rpcProblem } from '$lib/server/rpc.ts';
import { collection, RARITIES } from '$lib/collection.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const { data, error } = await locals.supabase.rpc('get_avatar_collection');
  const parsed = error ? null : collection.safeParse(data);
  if (!parsed?.success) return { loadError: true as const };
  const c = parsed.data;
  const avatars = c.avatars ?? [];
  return {
    loadError: false as const,
    owned: c.owned,
    total: c.total,
    completion: c.completion_percentage ?? 0,
    equipped: avatars.find((a) => a.equipped) ?? null,
    groups: RARITIES.map((rarity) => ({ rarity, avatars: avatars.filter((a) => a.rarity === rarity) })).filter((g) => g.avatars.length > 0),
  };
};

export const actions: Actions = {
  equip: async ({ locals, request }) => {
    const parsed = z.object({ avatar: z.coerce.number().int().positive() }).safeParse(Object.fromEntries(await request.formData()));
    if (!parsed.success) return fail(400, { message: 'Choose an avatar from your collection.' });
    const { data, error } = await locals.supabase.rpc('equip_avatar', { p_avatar_id: parsed.data.avatar });
    if (error) {
      const p = rpcProblem(error);
      return fail(p.status, { message: p.hint ? `${p.message}: ${p.hint}.` : p.message });
    }
    const name = (data as { name?: string } | null)?.name ?? 'Your avatar';
    return { equipped: `${name} equipped` };
  },
};
