// `npm start`'s demo content: on the developer's own instance only (never a migration or the seed,
// so it cannot reach a hosted project), accounts to sign in with and a little history, so the
// dashboard, results and leaderboards have something to show on a fresh clone. Made through the
// HTTP API exactly as a client would; skipped when the demo learner already exists.
import { z } from 'zod';
import { StackError } from '../errors.ts';

export const DEMO_PASSWORD = 'ascend-demo-2026';

export const DEMO_ACCOUNTS = [
  { email: 'ada@demo.ascend.test', name: 'Ada (demo learner)', quizzes: [8, 9] },
  { email: 'alan@demo.ascend.test', name: 'Alan (demo learner)', quizzes: [6] },
  { email: 'grace@demo.ascend.test', name: 'Grace (demo instructor)', quizzes: [] },
] as const;

interface Keys {
  apiUrl: string;
  anonKey: string;
  serviceRoleKey: string;
}

const attemptSchema = z.object({
  attempt_id: z.string(),
  questions: z.array(z.object({ question_id: z.number(), options: z.record(z.string(), z.string()) })),
});

async function call(keys: Keys, path: string, body: unknown, token: string, apikey = keys.anonKey): Promise<unknown> {
  const res = await fetch(`${keys.apiUrl}${path}`, {
    method: 'POST',
    headers: { apikey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new StackError(`demo content: POST ${path} answered ${res.status}: ${text.slice(0, 300)}`, 'run: npm run stack -- reset');
  return text ? (JSON.parse(text) as unknown) : null;
}

/** Creates the demo accounts and their history; returns false when they already exist. */
export async function ensureDemoContent(keys: Keys): Promise<boolean> {
  const service = keys.serviceRoleKey;
  const existing = await fetch(`${keys.apiUrl}/rest/v1/profiles?select=id&display_name=eq.${encodeURIComponent(DEMO_ACCOUNTS[0].name)}`, {
    headers: { apikey: service, Authorization: `Bearer ${service}` },
  });
  if (!existing.ok) throw new StackError(`demo content: reading profiles answered ${existing.status}`, 'run: npm run stack -- reset');
  if (((await existing.json()) as unknown[]).length > 0) return false;

  const tokens = new Map<string, string>();
  for (const a of DEMO_ACCOUNTS) {
    await call(keys, '/auth/v1/admin/users', { email: a.email, password: DEMO_PASSWORD, email_confirm: true, user_metadata: { display_name: a.name } }, service, service);
    const session = z.object({ access_token: z.string() }).parse(
      await call(keys, '/auth/v1/token?grant_type=password', { email: a.email, password: DEMO_PASSWORD }, keys.anonKey),
    );
    tokens.set(a.email, session.access_token);
  }

  // Grace runs an organisation; the learners accepted her invitations.
  const grace = tokens.get('grace@demo.ascend.test')!;
  const org = z.object({ id: z.string() }).parse(await call(keys, '/rest/v1/rpc/create_organization', { p_name: 'Demo Academy', p_slug: 'demo-academy' }, grace));
  for (const a of DEMO_ACCOUNTS.filter((x) => x.quizzes.length > 0)) {
    const invited = z.object({ invitation_id: z.string() }).parse(
      await call(keys, '/rest/v1/rpc/invite_to_organization', { p_organization: org.id, p_email: a.email, p_role: 'learner' }, grace),
    );
    await call(keys, '/rest/v1/rpc/accept_invitation', { p_invitation: invited.invitation_id }, tokens.get(a.email)!);
  }

  // A few Security+ quizzes of ten, with the given number right (the keys read as the service role).
  for (const a of DEMO_ACCOUNTS) {
    for (const right of a.quizzes) {
      const token = tokens.get(a.email)!;
      const attempt = attemptSchema.parse(await call(keys, '/rest/v1/rpc/start_quiz', { p_exam: 'security', p_count: 10 }, token));
      const ids = attempt.questions.map((q) => q.question_id);
      const keyRes = await fetch(`${keys.apiUrl}/rest/v1/question_keys?select=question_id,correct_answer&question_id=in.(${ids.join(',')})`, {
        headers: { apikey: service, Authorization: `Bearer ${service}` },
      });
      const answerKeys = z.array(z.object({ question_id: z.number(), correct_answer: z.string() })).parse(await keyRes.json());
      const correct = new Map(answerKeys.map((k) => [k.question_id, k.correct_answer]));
      const answers = attempt.questions.map((q, i) => {
        const key = correct.get(q.question_id)!;
        const wrong = Object.keys(q.options).find((o) => o !== key)!;
        return { question_id: q.question_id, answer: i < right ? key : wrong, time_spent_seconds: 40 };
      });
      await call(keys, '/rest/v1/rpc/submit_quiz', { p_attempt: attempt.attempt_id, p_answers: answers }, token);
    }
  }
  return true;
}
