// `Prefer: tx=rollback` as hosted Supabase answers it: PostgREST's `db-tx-end` is `commit` there,
// so the preference is ignored: the request commits, Preference-Applied leaves `tx` out, and
// `handling=strict` does not turn it into PGRST122 (it is a known preference, just not honoured).
// The attack this closes: a "dry run" of submit_quiz that returned the graded answers, correct
// ones included, then rolled back and left the attempt open for a perfect real submission.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'vitest';
import { testClient } from '../support/client.ts';
import { env } from '../support/env.ts';
import { accessToken } from '../support/tokens.ts';
import { pgQuery, REST } from './fixtures.ts';

interface StartedQuiz {
  attempt_id: string;
  questions: { question_id: number }[];
}

/** A learner with a profile (made by the auth.users trigger) and a token of theirs. */
async function learner(): Promise<{ id: string; token: string }> {
  const service = testClient(env.SERVICE_ROLE_KEY);
  const email = `tx-${randomUUID()}@example.test`;
  const { data, error } = await service.auth.admin.createUser({ email, password: `pw-${randomUUID()}`, email_confirm: true });
  assert.equal(error, null);
  const id = data.user!.id;
  return { id, token: await accessToken({ sub: id, email }) };
}

async function rpc(token: string, name: string, body: unknown, prefer?: string): Promise<Response> {
  const headers: Record<string, string> = { apikey: env.ANON_KEY, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  if (prefer) headers.Prefer = prefer;
  return fetch(`${REST}/rpc/${name}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function attemptStatus(attempt: string): Promise<string | undefined> {
  const rows = await pgQuery<{ status: string }>('select status::text from public.quiz_attempts where id = $1', [attempt]);
  return rows[0]?.status;
}

describe('Prefer: tx=rollback under db-tx-end=commit (hosted Supabase)', () => {
  test('a submit_quiz "dry run" is a real submission: it commits, and the attempt cannot be submitted again', async () => {
    const me = await learner();
    const started = await rpc(me.token, 'start_quiz', { p_exam: 'security', p_count: 5 });
    assert.equal(started.status, 200, await started.clone().text());
    const quiz = (await started.json()) as StartedQuiz;
    const answers = quiz.questions.map((q) => ({ question_id: q.question_id, answer: 'A', time_spent_seconds: 5 }));

    const dryRun = await rpc(me.token, 'submit_quiz', { p_attempt: quiz.attempt_id, p_answers: answers }, 'tx=rollback');
    assert.equal(dryRun.status, 200, await dryRun.clone().text());
    assert.equal(dryRun.headers.get('preference-applied'), null, 'tx=rollback is not reported as applied');
    assert.equal(((await dryRun.json()) as { total_questions: number }).total_questions, quiz.questions.length);
    assert.equal(await attemptStatus(quiz.attempt_id), 'submitted', 'the "dry run" was committed');

    // The answers it revealed cannot be used for a second, perfect submission.
    const again = await rpc(me.token, 'submit_quiz', { p_attempt: quiz.attempt_id, p_answers: answers });
    assert.equal(again.status, 409);
    assert.equal(((await again.json()) as { code: string }).code, 'PT409');
  });

  test('supabase-js .rollback() commits too; with handling=strict it is no PGRST122, and only handling=strict is applied', async () => {
    const me = await learner();
    const quiz = (await (await rpc(me.token, 'start_quiz', { p_exam: 'security', p_count: 5 })).json()) as StartedQuiz;
    const client = testClient(env.ANON_KEY, me.token);
    const r = await client.rpc('submit_quiz', { p_attempt: quiz.attempt_id, p_answers: [] }).rollback();
    assert.equal(r.status, 200);
    assert.equal(r.error, null);
    assert.equal(await attemptStatus(quiz.attempt_id), 'submitted');

    const other = (await (await rpc(me.token, 'start_quiz', { p_exam: 'security', p_count: 5 })).json()) as StartedQuiz;
    const strict = await rpc(me.token, 'submit_quiz', { p_attempt: other.attempt_id, p_answers: [] }, 'tx=rollback, handling=strict');
    assert.equal(strict.status, 200, await strict.clone().text());
    assert.equal(strict.headers.get('preference-applied'), 'handling=strict');
    assert.equal(await attemptStatus(other.attempt_id), 'submitted');
  });
});
