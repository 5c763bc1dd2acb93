import assert from 'node:assert/strict';
import {
  CRITERIA,
  finalizeReport,
  findQuote,
  type ModelReport,
  modelReportJsonSchema,
  offlineAssessment,
  reportJsonSchema,
  reportSchema,
  type TranscriptLine,
} from './rubric.ts';

const transcript: TranscriptLine[] = [
  { id: 1, role: 'learner', content: 'Good morning, my name is Sam. What brings you in today?' },
  { id: 2, role: 'customer', content: 'Your price is higher than the place down the road.' },
  {
    id: 3,
    role: 'learner',
    content: "I understand. Our system includes a two-year guarantee, that's why it costs a little more.",
  },
  { id: 4, role: 'customer', content: 'Okay, that makes sense.' },
  { id: 5, role: 'learner', content: 'Shall we book your first fitting for next week?' },
];

const all = (score: number, quote: string): ModelReport['criteria'] =>
  CRITERIA.map((c) => ({ key: c.key, score, evidence: [{ quote }], comment: 'ok' }));

Deno.test("quotes are found in the learner's lines only, whitespace and case aside", () => {
  assert.equal(findQuote('what brings you   IN today', transcript)?.id, 1);
  assert.equal(findQuote('"two-year guarantee"', transcript)?.id, 3);
  assert.equal(findQuote('higher than the place down the road', transcript), undefined, 'the customer said that');
  assert.equal(findQuote('we will give you a discount', transcript), undefined, 'never said');
});

Deno.test('finalizeReport weights the scores and keeps only real evidence', () => {
  const r = finalizeReport(
    { summary: 's', criteria: all(4, 'two-year guarantee'), strengths: ['a'], improvements: [] },
    transcript,
    'fake-model',
  );
  assert.equal(r.overall_score, 80);
  assert.equal(r.criteria.length, CRITERIA.length);
  assert.deepEqual(r.criteria[0]!.evidence, [{ quote: 'two-year guarantee', message_id: 3 }]);
  assert.equal(r.generated_by, 'fake-model');
  assert.deepEqual(r.citations, []);
  assert.ok(reportSchema.safeParse(r).success);
});

Deno.test('an invented quote is dropped and its score capped at 1; a missing criterion scores 0', () => {
  const criteria = all(5, 'I promise a 50% discount').slice(0, 5);
  const r = finalizeReport({ summary: 's', criteria, strengths: [], improvements: [] }, transcript, 'm');
  assert.ok(
    r.criteria.slice(0, 5).every((c) => c.score === 1 && c.evidence.length === 0 && /capped at 1/.test(c.comment)),
  );
  assert.equal(r.criteria[5]!.score, 0);
  assert.equal(r.criteria[5]!.comment, 'Not assessed.');
  assert.equal(r.overall_score, 17.14, '6 weighted points of 35');
});

Deno.test('the offline rubric scores cue phrases and quotes the learner exactly', () => {
  const a = offlineAssessment(transcript);
  const r = finalizeReport(a, transcript, 'offline');
  const by = Object.fromEntries(r.criteria.map((c) => [c.key, c]));
  assert.equal(by.rapport!.score, 3);
  assert.deepEqual(by.rapport!.evidence, [{ quote: 'Good morning, my name is Sam.', message_id: 1 }]);
  assert.ok(by.objection_handling!.score >= 3);
  assert.equal(by.closing!.evidence[0]!.message_id, 5);
  for (const c of r.criteria) {
    for (const e of c.evidence) assert.ok(findQuote(e.quote, transcript), `${c.key}: ${e.quote}`);
  }
  assert.match(r.summary, /^Offline rule-based report \(no AI provider is configured\)/);
  assert.ok(r.overall_score > 50 && r.overall_score < 100, String(r.overall_score));
});

Deno.test('a silent learner scores 0 and is told so', () => {
  const r = finalizeReport(offlineAssessment([{ id: 1, role: 'customer', content: 'Hello?' }]), [], 'offline');
  assert.equal(r.overall_score, 0);
  assert.match(r.summary, /did not speak/);
});

Deno.test('JSON schemas are derived from the zod schemas (strict: no extra properties)', () => {
  assert.equal((modelReportJsonSchema as { additionalProperties?: boolean }).additionalProperties, false);
  assert.deepEqual((reportJsonSchema as { required?: string[] }).required?.sort(), [
    'citations',
    'criteria',
    'generated_by',
    'improvements',
    'overall_score',
    'strengths',
    'summary',
  ]);
});
