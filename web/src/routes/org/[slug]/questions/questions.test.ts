import assert from 'node:assert/strict';
import { test } from 'vitest';
import { formValues, moderationSchema, questionFormSchema, reportStatusLabel, savePayload, versionChanges } from './questions.ts';

const good = {
  domain: 'security|1.0',
  stem: '  Which port does HTTPS use by default?  ',
  option_a: '80',
  option_b: '443',
  option_c: '22',
  option_d: '25',
  correct_answer: 'B',
  explanation_a: 'HTTP',
  explanation_b: 'HTTPS',
  explanation_c: 'SSH',
  explanation_d: 'SMTP',
  reference: '',
  status: 'draft',
};

test('the question form: trimmed values, one message per bad field', () => {
  const ok = questionFormSchema.parse(good);
  assert.equal(ok.stem, 'Which port does HTTPS use by default?');
  const bad = questionFormSchema.safeParse({ ...good, stem: 'short', option_c: '  ', correct_answer: 'E', domain: 'security' });
  assert.equal(bad.success, false);
  const fields = Object.fromEntries((bad.error?.issues ?? []).map((i) => [i.path[0], i.message]));
  assert.deepEqual(fields, {
    stem: 'The question needs at least 10 characters',
    option_c: 'Enter option C',
    correct_answer: 'Choose the correct answer',
    domain: 'Choose the exam domain',
  });
  const empty = questionFormSchema.safeParse({ stem: '' });
  const first = Object.fromEntries((empty.error?.issues ?? []).map((i) => [i.path[0], i.message]));
  assert.equal(first.domain, 'Choose the exam domain', 'an unchosen select sends nothing: still a message in words');
  assert.equal(first.correct_answer, 'Choose the correct answer');
});

test('savePayload: a new question of the organisation, or an edit by id', () => {
  const form = questionFormSchema.parse({ ...good, reference: 'Objective 1.2' });
  assert.deepEqual(savePayload(form, { organizationId: 'org-1' }), {
    organization_id: 'org-1',
    exam_id: 'security',
    domain_code: '1.0',
    stem: 'Which port does HTTPS use by default?',
    options: { A: '80', B: '443', C: '22', D: '25' },
    correct_answer: 'B',
    explanations: { A: 'HTTP', B: 'HTTPS', C: 'SSH', D: 'SMTP' },
    reference: 'Objective 1.2',
    status: 'draft',
  });
  const edit = savePayload(questionFormSchema.parse(good), { id: 7 });
  assert.equal('id' in edit && edit.id, 7);
  assert.equal('organization_id' in edit, false, 'an edit never moves the question to another organisation');
  assert.equal(edit.reference, null, 'an empty reference clears it');
});

test('formValues turns a stored question back into the form it came from', () => {
  const form = questionFormSchema.parse(good);
  const p = savePayload(form, { id: 1 });
  const values = formValues({
    exam_id: p.exam_id,
    domain_code: p.domain_code,
    stem: p.stem,
    options: p.options,
    status: p.status,
    key: { correct_answer: p.correct_answer, explanations: p.explanations, reference: null },
  });
  assert.deepEqual(questionFormSchema.parse(values), form);
  assert.equal(formValues({ exam_id: 'x', domain_code: '1.0', stem: 's', options: null, status: 'draft', key: null }).option_a, '');
});

test('versionChanges says what a version changed', () => {
  const v1 = { exam_id: 'security', domain_id: 1, stem: 'Q?', options: { A: 'a', B: 'b', C: 'c', D: 'd' }, correct_answer: 'A', explanations: { A: '1', B: '2', C: '3', D: '4' }, reference: null, status: 'draft' };
  assert.deepEqual(versionChanges(null, v1), ['First version']);
  assert.deepEqual(versionChanges(v1, { ...v1, status: 'published' }), ['Status draft → published']);
  assert.deepEqual(
    versionChanges(v1, { ...v1, stem: 'Q2?', options: { ...v1.options, C: 'see' }, correct_answer: 'C', explanations: { ...v1.explanations, A: 'x', C: 'y' } }),
    ['Question text', 'Option C', 'Correct answer A → C', 'Explanations A, C'],
  );
  assert.deepEqual(versionChanges(v1, { ...v1 }), ['No visible change']);
});

test('moderation decisions', () => {
  assert.deepEqual(moderationSchema.parse({ report: '12', decision: 'rejected', note: ' Not a mistake ' }), { report: 12, decision: 'rejected', note: 'Not a mistake' });
  assert.equal(moderationSchema.safeParse({ report: '12', decision: 'open' }).success, false, 'reopening is not a decision');
  assert.equal(moderationSchema.safeParse({ report: 'x', decision: 'resolved' }).success, false);
  assert.equal(reportStatusLabel('rejected'), 'Dismissed');
  assert.equal(reportStatusLabel('open'), 'Open');
});
