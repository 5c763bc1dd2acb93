// Starting a quiz, shared by the dashboard's one-tap start and the practice setup.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '$lib/database.types.ts';
import { activeAttempt } from '$lib/quiz.ts';
import { rpcProblem, type RpcProblem } from './rpc.ts';

export interface StartInput {
  exam: string;
  count: number;
  domains?: string[];
  mode?: 'practice' | 'weak_areas' | 'review';
  timeLimitSeconds?: number | null;
}

export async function startQuiz(supabase: SupabaseClient<Database>, input: StartInput): Promise<{ attemptId: string } | { problem: RpcProblem }> {
  const { data, error } = await supabase.rpc('start_quiz', {
    p_exam: input.exam,
    p_count: input.count,
    p_domains: input.domains?.length ? input.domains : undefined,
    p_mode: input.mode ?? 'practice',
    p_time_limit_seconds: input.timeLimitSeconds ?? undefined,
  });
  if (error) return { problem: rpcProblem(error) };
  const parsed = activeAttempt.safeParse(data);
  if (!parsed.success) return { problem: { status: 502, message: 'The quiz could not be read.', hint: 'Try starting it again.' } };
  return { attemptId: parsed.data.attempt_id };
}
