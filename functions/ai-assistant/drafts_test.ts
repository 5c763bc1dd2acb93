import assert from 'node:assert/strict';
import { draftMessages, draftRequestSchema, draftSchema, draftsSchema, offlineDrafts } from './drafts.ts';

const lesson = 'Encryption protects confidentiality by transforming readable plaintext into ciphertext. ' +
  'Hashing produces a fixed-length digest that verifies integrity without revealing the input. ' +
  'Digital signatures combine hashing with asymmetric cryptography to prove authenticity. ' +
  'Certificates bind a public key to an identity and are issued by a certificate authority.';

const request = draftRequestSchema.parse({ exam_id: 'security', domain_code: '1.0', lesson_text: lesson, count: 3 });

Deno.test('a draft request needs a real lesson and at most 10 questions', () => {
  assert.equal(request.count, 3);
  assert.equal(
    draftRequestSchema.parse({ exam_id: 'security', domain_code: '1.0', lesson_text: lesson }).count,
    3,
    'default 3',
  );
  assert.equal(
    draftRequestSchema.safeParse({ exam_id: 'security', domain_code: '1.0', lesson_text: 'short' }).success,
    false,
  );
  assert.equal(draftRequestSchema.safeParse({ ...request, count: 11 }).success, false);
  assert.equal(
    draftRequestSchema.safeParse({ ...request, status: 'published' }).success,
    false,
    'no status field: drafts only',
  );
});

Deno.test('offline drafts are valid fill-in-the-blank questions from the lesson', () => {
  const drafts = offlineDrafts(request);
  assert.equal(drafts.length, 3);
  for (const d of drafts) {
    assert.ok(draftSchema.safeParse(d).success);
    assert.match(d.stem, /^Fill in the blank \(from the lesson\): ".*_____.*"$/);
    const answer = d.options[d.correct_answer];
    assert.ok(lesson.includes(answer), `the answer "${answer}" comes from the lesson`);
    assert.equal(new Set(Object.values(d.options)).size, 4, 'four different options');
  }
  assert.deepEqual(drafts.map((d) => d.options[d.correct_answer]), ['confidentiality', 'fixed-length', 'authenticity']);
  assert.deepEqual(offlineDrafts(request), drafts, 'deterministic');
});

Deno.test('the model is asked for JSON questions; its answer shape is checked', () => {
  const [system, user] = draftMessages(request);
  assert.match(system!.content, /exactly four options A-D/);
  assert.match(user!.content, /Exam security, domain 1\.0/);
  assert.equal(draftsSchema.safeParse({ questions: [] }).success, false);
  assert.equal(
    draftsSchema.safeParse({
      questions: [{
        stem: 'What is it really?',
        options: { A: 'a', B: 'b', C: 'c' },
        correct_answer: 'A',
        explanations: {},
      }],
    }).success,
    false,
  );
});
