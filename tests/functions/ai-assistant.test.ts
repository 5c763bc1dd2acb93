// ai-assistant through the gateway, as a learner and as an organisation admin: drafted questions
// stay drafts (invisible to learners, never published), explanations only after the answer is
// graded (no key leaks before), study plans from the learner's own analytics; offline and with
// the fake OpenAI-compatible provider; provider failures are 502/503.
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import type { FakeProvider } from '../../functions/_shared/ai/fake_provider.ts';
import { asUser, callJson, clearFunctionSecrets, createOrganization, createUser, useFakeAi, useOfflineAi, type User } from './ai-fixtures.ts';

const A = 'ai-assistant';
const LESSON =
  'Encryption protects confidentiality by transforming readable plaintext into ciphertext. ' +
  'Hashing produces a fixed-length digest that verifies integrity without revealing the input. ' +
  'Digital signatures combine hashing with asymmetric cryptography to prove authenticity.';

let learner: User;
/** A second learner of the organisation, who draws quizzes to prove drafts are never drawn. */
let drawer: User;
let admin: User;
let org: string;

before(async () => {
  learner = await createUser('assisted');
  drawer = await createUser('drawer');
  admin = await createUser('assistant-admin');
  org = await createOrganization(admin, [learner, drawer]);
});
after(() => clearFunctionSecrets());

interface Started {
  attempt_id: string;
  questions: { question_id: number }[];
}

async function draft(user: User, count = 2) {
  return callJson(A, '/draft-questions', user, { body: { exam_id: 'security', domain_code: '1.0', lesson_text: LESSON, count, organization_id: org } });
}

async function checkDraftsStayDrafts(ids: number[]) {
  const mine = await asUser(admin).from('questions').select('id, status, organization_id').in('id', ids).order('id');
  assert.equal(mine.error, null);
  assert.deepEqual(mine.data!.map((q) => [q.status, q.organization_id]), ids.map(() => ['draft', org]), 'saved as drafts of the organisation');
  const versions = await asUser(admin).from('question_versions').select('question_id, version').in('question_id', ids);
  assert.equal(versions.data!.length, ids.length, 'versioned like any question');
  const seenByLearner = await asUser(drawer).from('questions').select('id').in('id', ids);
  assert.deepEqual(seenByLearner.data, [], 'learners never see drafts');
  const quiz = await asUser(drawer).rpc('start_quiz', { p_exam: 'security', p_count: 100 });
  assert.equal(quiz.error, null, quiz.error?.message);
  const drawn = (quiz.data as Started).questions.map((q) => q.question_id);
  assert.ok(ids.every((id) => !drawn.includes(id)), 'drafts are never drawn into a quiz');
}

describe('ai-assistant offline (no AI_API_KEY)', () => {
  before(() => useOfflineAi());

  test('an admin\'s drafted questions are saved as drafts and stay drafts', async () => {
    const { status, body } = await draft(admin, 2);
    assert.equal(status, 201, JSON.stringify(body));
    const questions = body.questions as { id: number; status: string; version: number; stem: string }[];
    assert.equal(questions.length, 2);
    assert.ok(questions.every((q) => q.status === 'draft' && q.version === 1));
    assert.match(questions[0]!.stem, /^Fill in the blank \(from the lesson\)/);
    assert.match(String(body.notice), /Offline mode/);
    await checkDraftsStayDrafts(questions.map((q) => q.id));
  });

  test('a learner cannot draft questions', async () => {
    const { status, body } = await draft(learner);
    assert.equal(status, 403);
    assert.match(String(body.error), /only instructors, admins and owners/);
  });

  test('explanations open only once the answer is graded, and never leak the key before', async () => {
    const quiz = await asUser(learner).rpc('start_quiz', { p_exam: 'security', p_count: 1 });
    assert.equal(quiz.error, null, quiz.error?.message);
    const { attempt_id, questions } = quiz.data as Started;
    const qid = questions[0]!.question_id;

    const early = await callJson(A, '/explain', learner, { body: { question_id: qid } });
    assert.equal(early.status, 409, JSON.stringify(early.body));
    assert.doesNotMatch(JSON.stringify(early.body), /correct_answer|explanations/);

    const submitted = await asUser(learner).rpc('submit_quiz', { p_attempt: attempt_id, p_answers: [{ question_id: qid, answer: 'A', time_spent_seconds: 5 }] });
    assert.equal(submitted.error, null, submitted.error?.message);
    const { status, body } = await callJson(A, '/explain', learner, { body: { question_id: qid } });
    assert.equal(status, 200, JSON.stringify(body));
    const key = await asUser(learner).from('question_keys').select('correct_answer').eq('question_id', qid).single();
    assert.equal(body.correct_answer, key.data!.correct_answer);
    assert.equal(body.your_answer, 'A');
    assert.equal(body.is_correct, key.data!.correct_answer === 'A');
    assert.match(String(body.explanation), /The correct answer is [ABCD]/);
    assert.match(String(body.explanation), /Offline mode/);
  });

  test('a question never answered has no explanation for the learner', async () => {
    const published = await asUser(learner).from('questions').select('id').eq('exam_id', 'security').eq('status', 'published').order('id', { ascending: false }).limit(50);
    const answered = await asUser(learner).from('quiz_attempt_items').select('question_id');
    const unanswered = published.data!.map((q) => q.id).find((id) => !answered.data!.some((a) => a.question_id === id))!;
    const { status, body } = await callJson(A, '/explain', learner, { body: { question_id: unanswered } });
    assert.equal(status, 403);
    assert.match(String(body.error), /submit the quiz first/);
    assert.equal(body.correct_answer, undefined);
  });

  test('a study plan from the learner\'s own analytics; another learner\'s is refused', async () => {
    const { status, body } = await callJson(A, '/study-plan', learner, { body: { exam_id: 'security', days: 3 } });
    assert.equal(status, 200, JSON.stringify(body));
    const plan = body.plan as { steps: unknown[]; summary: string };
    assert.equal(plan.steps.length, 3);
    assert.match(plan.summary, /Offline mode/);
    const stranger = await createUser('nosy');
    const refused = await callJson(A, '/study-plan', stranger, { body: { exam_id: 'security', user_id: learner.id } });
    assert.equal(refused.status, 403);
    const staff = await callJson(A, '/study-plan', admin, { body: { exam_id: 'security', user_id: learner.id, days: 2 } });
    assert.equal(staff.status, 200, 'the organisation\'s admin plans for their learner');
  });
});

describe('ai-assistant with an OpenAI-compatible provider (the fake)', () => {
  let fake: FakeProvider;
  before(async () => {
    fake = await useFakeAi();
  });
  after(() => fake.close());

  test('drafts from the model are validated and saved as drafts, whatever the model says', async () => {
    const { status, body } = await draft(admin, 2);
    assert.equal(status, 201, JSON.stringify(body));
    assert.equal(fake.requests.at(-1)!.response_format?.json_schema?.name, 'practice_questions');
    const questions = body.questions as { id: number; status: string }[];
    assert.deepEqual(questions.map((q) => q.status), ['draft', 'draft']);
    await checkDraftsStayDrafts(questions.map((q) => q.id));
  });

  test('the tutor explains an answered question', async () => {
    const answered = await asUser(learner).from('quiz_attempt_items').select('question_id').not('graded_at', 'is', null).limit(1).single();
    const { status, body } = await callJson(A, '/explain', learner, { body: { question_id: answered.data!.question_id } });
    assert.equal(status, 200);
    assert.equal(body.explanation, 'Fake tutor: HTTPS is right because TLS encrypts.');
    assert.match(fake.requests.at(-1)!.messages[1]!.content, /Correct answer: [ABCD]/);
  });

  test('the model\'s study plan is checked: an invented domain loses its code', async () => {
    const { status, body } = await callJson(A, '/study-plan', learner, { body: { exam_id: 'security' } });
    assert.equal(status, 200);
    const steps = (body.plan as { steps: { domain_code: string | null }[] }).steps;
    assert.deepEqual(steps.map((s) => s.domain_code), ['1.0', null], 'a domain of the exam is kept (not enough data yet), the invented 9.9 is not');
  });

  test('the plan uses the learner\'s memories only once they allow it', async () => {
    const me = asUser(learner);
    const remembered = await me.from('memories').insert({ content: 'I study best on weekend mornings', importance: 0.9 });
    assert.equal(remembered.error, null, remembered.error?.message);
    const before = await callJson(A, '/study-plan', learner, { body: { exam_id: 'security' } });
    assert.equal(before.status, 200);
    assert.equal(before.body.used_memories, 0);
    assert.doesNotMatch(fake.requests.at(-1)!.messages[1]!.content, /weekend mornings/, 'not sent while the preference is off');
    const allowed = await me.from('user_preferences').update({ ai_uses_memories: true }).eq('user_id', learner.id);
    assert.equal(allowed.error, null, allowed.error?.message);
    const after = await callJson(A, '/study-plan', learner, { body: { exam_id: 'security' } });
    assert.equal(after.body.used_memories, 1);
    assert.match(fake.requests.at(-1)!.messages[1]!.content, /weekend mornings/);
    const staff = await callJson(A, '/study-plan', admin, { body: { exam_id: 'security', user_id: learner.id } });
    assert.equal(staff.body.used_memories, 0, 'a plan made by staff never reads the learner\'s memories');
  });

  test('provider failures are 502/503 naming what failed', async () => {
    fake.failNext({ status: 500, message: 'The server had an error' });
    const failed = await callJson(A, '/study-plan', learner, { body: { exam_id: 'security' } });
    assert.equal(failed.status, 502);
    assert.match(String(failed.body.error), /^AI provider fake-model at 127\.0\.0\.1:\d+ failed \(500 server_error\)/);
    fake.failNext({ status: 503, message: 'overloaded' });
    const busy = await callJson(A, '/draft-questions', admin, { body: { exam_id: 'security', domain_code: '1.0', lesson_text: LESSON, organization_id: org } });
    assert.equal(busy.status, 503);
    assert.match(String(busy.body.error), /is unavailable \(503 overloaded\)/);
    fake.setResponder(() => 'not json at all');
    const invalid = await callJson(A, '/draft-questions', admin, { body: { exam_id: 'security', domain_code: '1.0', lesson_text: LESSON, organization_id: org } });
    assert.equal(invalid.status, 502);
    assert.match(String(invalid.body.error), /returned text that is not JSON for practice_questions/);
  });
});
