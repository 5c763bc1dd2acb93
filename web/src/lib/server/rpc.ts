// What the database says when it refuses, in words for the learner. The SQL functions raise with
// stable SQLSTATEs and messages written to be shown (see README: errors).
import type { PostgrestError } from '@supabase/supabase-js';

export interface RpcProblem {
  status: number;
  message: string;
  hint?: string;
}

const STATUS: Record<string, number> = { '42501': 403, PT404: 404, PT409: 409, PT410: 410, '22023': 400, '23505': 409 };

export function rpcProblem(error: PostgrestError): RpcProblem {
  const status = STATUS[error.code] ?? 500;
  if (status === 500) {
    return { status, message: 'The server could not do that just now.', hint: 'Try again in a moment.' };
  }
  const message = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  return { status, message, hint: error.hint || undefined };
}
