// Seed 000's per-user limit on starting quizzes (30 per minute) is enforced in the database
// (private.enforce_rate_limit raising SQLSTATE PT429), so it holds behind hosted PostgREST too;
// through /rest/v1 the refusal is HTTP 429 with PostgREST's error body.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { PASSWORD, adminClient, anonClient, randomIp, uniqueEmail } from '../auth/helpers.ts';

test('start_quiz over 30 calls a minute answers 429 {code: PT429, message, details, hint}', async () => {
  const ip = randomIp();
  const email = uniqueEmail('rate-limit');
  const created = await adminClient(ip).auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  assert.equal(created.error, null);
  const client = anonClient(ip);
  const signedIn = await client.auth.signInWithPassword({ email, password: PASSWORD });
  assert.equal(signedIn.error, null);

  // Windows are fixed minutes: at most 30 calls fit in one, so a refusal comes within 61 calls
  // even when the loop crosses a minute boundary.
  let refused: Awaited<ReturnType<typeof client.rpc>> | undefined;
  let accepted = 0;
  for (let i = 0; i < 61 && !refused; i++) {
    const r = await client.rpc('start_quiz', { p_exam: 'security', p_count: 1 });
    if (r.error) refused = r;
    else accepted++;
  }
  assert.ok(refused, 'a call was refused');
  assert.ok(accepted >= 30, `at least 30 calls went through before the refusal (${accepted})`);
  assert.equal(refused.status, 429);
  assert.equal(refused.error?.code, 'PT429');
  assert.equal(refused.error?.message, 'rate limit exceeded: at most 30 start_quiz calls per 60 seconds');
  assert.match(refused.error?.hint ?? '', /^try again in \d+ seconds$/);
  assert.match(refused.error?.details ?? '', /^limit 30 per 60 s; window started at /);

  const del = await adminClient(ip).auth.admin.deleteUser(created.data.user!.id);
  assert.equal(del.error, null);
});
