// Answering an invitation (by id from the list, or by the secret token of a link), in words.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '$lib/database.types.ts';

export type Answer = { ok: true; organizationId: string | null; role: string | null } | { ok: false; status: number; message: string };

export async function answerInvitation(
  supabase: SupabaseClient<Database>,
  how: { p_invitation: string } | { p_token: string },
  accept: boolean,
): Promise<Answer> {
  const { data, error } = await supabase.rpc(accept ? 'accept_invitation' : 'decline_invitation', how);
  if (error) {
    if (error.code === 'PT404')
      return { ok: false, status: 404, message: 'This invitation is no longer open: it was answered, revoked or has expired, or it is meant for another e-mail address.' };
    if (error.code === '42501') return { ok: false, status: 403, message: 'Confirm your e-mail address first, then answer the invitation.' };
    return { ok: false, status: 503, message: 'The invitation could not be answered just now. Try again in a moment.' };
  }
  const d = (data ?? {}) as { organization_id?: string; role?: string };
  return { ok: true, organizationId: d.organization_id ?? null, role: d.role ?? null };
}
