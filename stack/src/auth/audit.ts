// auth.audit_log_entries rows, with GoTrue's payload shape and action names.
import { randomUUID } from 'node:crypto';
import { NIL_UUID, type Query } from './db.ts';

const LOG_TYPES = {
  login: 'account',
  logout: 'account',
  invite_accepted: 'account',
  user_signedup: 'team',
  user_invited: 'team',
  user_deleted: 'team',
  token_revoked: 'token',
  token_refreshed: 'token',
  user_modified: 'user',
  user_recovery_requested: 'user',
  user_reauthenticate_requested: 'user',
  user_confirmation_requested: 'user',
  user_repeated_signup: 'user',
  user_updated_password: 'user',
  identity_unlinked: 'user',
  factor_in_progress: 'factor',
  factor_unenrolled: 'factor',
  challenge_created: 'factor',
  verification_attempted: 'factor',
  factor_deleted: 'factor',
  factor_updated: 'factor',
} as const;

export type AuditAction = keyof typeof LOG_TYPES;

/** Who did it: a user, or the admin pseudo-user GoTrue makes from a service-role token. */
export interface Actor {
  id: string;
  email: string;
  phone: string;
  isSso?: boolean;
  userMetadata?: Record<string, unknown>;
}

export function adminActor(role: string): Actor {
  return { id: NIL_UUID, email: role, phone: '' };
}

export async function audit(q: Query, actor: Actor, action: AuditAction, traits?: Record<string, unknown>, ipAddress = ''): Promise<void> {
  const payload: Record<string, unknown> = {
    actor_id: actor.id,
    actor_via_sso: actor.isSso ?? false,
    actor_username: actor.phone || actor.email,
    action,
    log_type: LOG_TYPES[action],
  };
  const name = actor.userMetadata?.full_name;
  if (name !== undefined) payload.actor_name = name;
  if (traits) payload.traits = traits;
  await q('insert into auth.audit_log_entries (instance_id, id, payload, created_at, ip_address) values ($1, $2, $3, now(), $4)', [
    NIL_UUID,
    randomUUID(),
    JSON.stringify(payload),
    ipAddress,
  ]);
}
