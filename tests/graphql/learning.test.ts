// The learning API through GraphQL, as the README shows it to integrators: two learners take a
// quiz (volatile functions are mutations), then read their quiz history, achievements and the
// leaderboard; each sees only their own attempts, anon none, the service role both.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll as after, beforeAll as before, describe, it } from 'vitest';
import { env } from '../support/env.ts';
import { pgQuery } from '../rest/fixtures.ts';
import { accessToken } from '../support/tokens.ts';
import { GRAPHQL } from './fixtures.ts';

const learners = { ada: randomUUID(), grace: randomUUID() };
type Learner = keyof typeof learners;

async function gql(who: Learner | 'anon' | 'service', query: string, variables?: Record<string, unknown>): Promise<Record<string, any>> {
  const token = who === 'anon' ? env.ANON_KEY : who === 'service' ? env.SERVICE_ROLE_KEY : await accessToken({ sub: learners[who] });
  const r = await fetch(GRAPHQL, {
    method: 'POST',
    headers: { apikey: env.ANON_KEY, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await r.json()) as { data: Record<string, any> | null; errors?: unknown };
  assert.equal(r.status, 200);
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data ?? {};
}

const db = pgQuery;

const attempts: Partial<Record<Learner, string>> = {};

before(async () => {
  for (const [name, id] of Object.entries(learners)) {
    await db(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, confirmation_token,
         recovery_token, email_change_token_new, email_change, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, '', now(), '', '', '', '',
         '{"provider": "email", "providers": ["email"]}', '{}', now(), now())`,
      [id, `${name}-${id.slice(0, 8)}@example.test`],
    );
  }
  // Each learner takes and submits a two-question quiz through GraphQL mutations. Ada answers from
  // the key, so she earns XP and is on the XP board (a learner with none has no row there); Grace
  // answers A throughout.
  for (const who of Object.keys(learners) as Learner[]) {
    const started = JSON.parse((await gql(who, 'mutation { start_quiz(p_exam: "a1101", p_count: 2) }')).start_quiz as string);
    const ids = started.questions.map((q: { question_id: number }) => q.question_id);
    const keys = await db<{ question_id: string; correct_answer: string }>(
      'select question_id, correct_answer from public.question_keys where question_id = any($1::bigint[])',
      [ids],
    );
    const key = new Map(keys.map((k) => [Number(k.question_id), k.correct_answer]));
    const answers = ids.map((id: number) => ({ question_id: id, answer: who === 'ada' ? key.get(id) : 'A', time_spent_seconds: 5 }));
    await gql(who, 'mutation Submit($attempt: UUID!, $answers: JSON) { submit_quiz(p_attempt: $attempt, p_answers: $answers) }', {
      attempt: started.attempt_id,
      answers: JSON.stringify(answers),
    });
    attempts[who] = started.attempt_id;
  }
  // A two-question quiz earns no achievement, so each learner is given one here: the test below
  // needs rows of both learners to show that each reads only their own.
  await db(
    `insert into public.user_achievements (user_id, achievement_id)
     select u.id, (select id from public.achievements order by id limit 1) from unnest($1::uuid[]) as u(id)
     on conflict do nothing`,
    [Object.values(learners)],
  );
});

after(async () => {
  await db('delete from auth.users where id = any($1::uuid[])', [Object.values(learners)]);
});

const HISTORY = `{
  quiz_attemptsCollection(orderBy: [{started_at: DescNullsLast}], first: 20) {
    edges { node { nodeId id exam_id status score_percentage xp_earned user_id } }
  }
}`;

describe('quiz history', () => {
  it("each learner reads their own attempts, never the other's", async () => {
    for (const who of Object.keys(learners) as Learner[]) {
      const edges = (await gql(who, HISTORY)).quiz_attemptsCollection.edges as { node: { id: string; user_id: string; status: string } }[];
      assert.deepEqual(edges.map((e) => e.node.id), [attempts[who]]);
      assert.equal(edges[0]?.node.user_id, learners[who]);
      assert.equal(edges[0]?.node.status, 'submitted');
    }
    // Grace cannot fetch Ada's attempt by its nodeId either.
    const adaNode = Buffer.from(`["public", "quiz_attempts", "${attempts.ada}"]`).toString('base64');
    assert.equal((await gql('grace', `{ node(nodeId: "${adaNode}") { nodeId } }`)).node, null);
    assert.notEqual((await gql('ada', `{ node(nodeId: "${adaNode}") { nodeId } }`)).node, null);
  });

  it('the service role sees both; the history RPC is a query returning JSON', async () => {
    const mine = await gql('service', `{ quiz_attemptsCollection(filter: {user_id: {in: ["${learners.ada}", "${learners.grace}"]}}) { edges { node { id } } } }`);
    assert.equal(mine.quiz_attemptsCollection.edges.length, 2);
    const history = JSON.parse((await gql('ada', '{ get_quiz_history(p_exam: "a1101", p_limit: 5) }')).get_quiz_history as string);
    assert.ok(attempts.ada && attempts.grace, 'both learners submitted an attempt');
    assert.equal(JSON.stringify(history).includes(attempts.ada), true);
    assert.equal(JSON.stringify(history).includes(attempts.grace), false);
  });

  it('anon reads no attempts', async () => {
    const r = await fetch(GRAPHQL, {
      method: 'POST',
      headers: { apikey: env.ANON_KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: HISTORY }),
    });
    const body = (await r.json()) as { data: { quiz_attemptsCollection?: { edges: unknown[] } } | null; errors?: { message: string }[] };
    // Either the table is not in anon's schema at all, or RLS returns nothing.
    if (body.errors) assert.equal(body.errors[0]?.message, 'Unknown field "quiz_attemptsCollection" on type Query');
    else assert.deepEqual(body.data?.quiz_attemptsCollection?.edges, []);
  });
});

describe('achievements and leaderboard', () => {
  it('achievements with their definitions, through the relationship', async () => {
    const d = await gql('ada', '{ user_achievementsCollection { edges { node { user_id earned_at achievements { slug name xp_reward } } } } }');
    assert.ok(d.user_achievementsCollection.edges.length > 0, 'Ada sees her achievement');
    for (const e of d.user_achievementsCollection.edges) {
      assert.equal(e.node.user_id, learners.ada, "never Grace's");
      assert.equal(typeof e.node.achievements.name, 'string');
    }
    const catalog = await gql('anon', '{ achievementsCollection(first: 3, orderBy: [{id: AscNullsLast}]) { edges { node { slug name } } } }');
    assert.ok(catalog.achievementsCollection.edges.length > 0);
  });

  it('the leaderboard function is a query for signed-in learners', async () => {
    const board = JSON.parse((await gql('ada', '{ get_leaderboard(p_board: xp, p_period: all_time, p_limit: 10) }')).get_leaderboard as string);
    assert.equal(board.board, 'xp');
    assert.ok(Array.isArray(board.entries));
    // The caller's own row comes back, marked as hers.
    assert.equal(board.current_user_entry?.user_id, learners.ada);
    assert.equal(board.current_user_entry?.is_current_user, true);
  });
});

describe("the README's GraphQL examples", () => {
  it('run as written for a learner', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /\*\*GraphQL\*\*[\s\S]*?```graphql\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(block, 'the README has a GraphQL block in its integrator section');
    const documents = block
      .split(/\n\s*\n/)
      .map((d) => d.split('\n').filter((l) => !l.trim().startsWith('#')).join('\n').trim())
      .filter((d) => d !== '');
    assert.equal(documents.length, 3);
    for (const doc of documents) {
      const d = await gql('ada', doc);
      assert.ok(Object.keys(d).length > 0, doc);
    }
    const history = await gql('ada', documents[1] ?? '');
    assert.deepEqual(history.quiz_attemptsCollection.edges.map((e: { node: { id: string } }) => e.node.id), [attempts.ada]);
  });
});
