// The outbox as the sender sees it: claim due rows, report each one. Backed by the database RPCs
// claim_email_outbox and complete_email_outbox (service role), which own scheduling: quiet hours
// and preferences decided next_attempt_at when the row was queued, backoff when it failed.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';

/** A claimed row: the columns the sender reads (public.email_outbox). */
export const OutboxRow = z.object({
  id: z.number().int(),
  kind: z.string(),
  recipient: z.string().min(3),
  template: z.string().min(1),
  template_data: z.record(z.string(), z.unknown()),
  idempotency_key: z.string().min(1),
  attempts: z.number().int(),
  max_attempts: z.number().int(),
});
export type OutboxRow = z.infer<typeof OutboxRow>;

export type Completion = { providerMessageId: string | null } | { error: string };

export interface Outbox {
  claim(limit: number): Promise<OutboxRow[]>;
  complete(id: number, completion: Completion): Promise<void>;
  /** Hands back claimed rows that were not tried; returns how many. */
  release(ids: number[]): Promise<number>;
  /** Queues one e-mail (a direct send); false when its idempotency key was queued before. */
  enqueue(
    email: { kind: string; recipient: string; template: string; data: Record<string, unknown>; idempotencyKey: string },
  ): Promise<boolean>;
}

export class OutboxError extends Error {
  override name = 'OutboxError';
}

/** The outbox through the REST API with the service role key (supabase-js). */
export function supabaseOutbox(url: string, serviceRoleKey: string): Outbox {
  const db: SupabaseClient = createClient(url, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  return {
    async claim(limit) {
      const { data, error } = await db.rpc('claim_email_outbox', { p_limit: limit });
      if (error) throw new OutboxError(`Cannot claim outbox e-mails: ${error.code} ${error.message}`);
      return z.array(OutboxRow).parse(data);
    },
    async complete(id, completion) {
      const args = 'error' in completion
        ? { p_id: id, p_error: completion.error }
        : { p_id: id, p_provider_message_id: completion.providerMessageId };
      const { error } = await db.rpc('complete_email_outbox', args);
      if (error) throw new OutboxError(`Cannot complete outbox e-mail ${id}: ${error.code} ${error.message}`);
    },
    async release(ids) {
      const { data, error } = await db.rpc('release_email_outbox', { p_ids: ids });
      if (error) throw new OutboxError(`Cannot release outbox e-mails: ${error.code} ${error.message}`);
      return z.number().int().parse(data);
    },
    async enqueue(email) {
      const { error } = await db.from('email_outbox').insert({
        kind: email.kind,
        recipient: email.recipient,
        template: email.template,
        template_data: email.data,
        idempotency_key: email.idempotencyKey,
      });
      if (error?.code === '23505') return false;
      if (error) throw new OutboxError(`Cannot queue the e-mail: ${error.code} ${error.message}`);
      return true;
    },
  };
}
