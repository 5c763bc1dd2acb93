import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { assignmentSchema, completion, completionText, recipientStatus, targetColumns, utcToZonedInput, zonedToUtc } from './org-assignments.ts';

const team = '00000000-0000-4000-8000-0000000000aa';
const lesson = '00000000-0000-4000-8000-0000000000bb';
const now = new Date('2026-06-10T12:00:00Z');

describe('zonedToUtc', () => {
  it('reads a wall-clock time in the zone, across daylight saving', () => {
    assert.equal(zonedToUtc('2026-06-17T18:00', 'Europe/Paris')?.toISOString(), '2026-06-17T16:00:00.000Z', 'summer: UTC+2');
    assert.equal(zonedToUtc('2026-01-17T18:00', 'Europe/Paris')?.toISOString(), '2026-01-17T17:00:00.000Z', 'winter: UTC+1');
    assert.equal(zonedToUtc('2026-06-17T18:00', 'America/New_York')?.toISOString(), '2026-06-17T22:00:00.000Z');
    assert.equal(zonedToUtc('2026-06-17T18:00', 'UTC')?.toISOString(), '2026-06-17T18:00:00.000Z');
  });

  it('refuses what is not a date-time, an impossible day or an unknown zone', () => {
    assert.equal(zonedToUtc('tomorrow', 'UTC'), null);
    assert.equal(zonedToUtc('2026-02-30T10:00', 'UTC'), null);
    assert.equal(zonedToUtc('2026-06-17T18:00', 'Mars/Olympus'), null);
  });

  it('round-trips with utcToZonedInput', () => {
    const at = zonedToUtc('2026-03-29T09:30', 'Asia/Tokyo')!;
    assert.equal(utcToZonedInput(at, 'Asia/Tokyo'), '2026-03-29T09:30');
  });
});

describe('assignmentSchema', () => {
  const schema = assignmentSchema(now, 'Europe/Paris');
  const quiz = { title: ' Warm-up ', instructions: '', kind: 'quiz', exam: 'sec-plus', domains: [], question_count: '10', pass_mark: '70', lesson: '', target: `team:${team}`, due: '2026-06-17T18:00' };

  it('turns a quiz form into the table\'s values, the due date in UTC', () => {
    assert.deepEqual(schema.parse(quiz), {
      title: 'Warm-up', instructions: null, target: { kind: 'team', id: team }, due_at: '2026-06-17T16:00:00.000Z',
      kind: 'quiz', exam_id: 'sec-plus', domain_codes: null, question_count: 10, pass_mark: 70,
    });
    const drill = schema.parse({ ...quiz, domains: ['1.0', '2.0'] });
    assert.deepEqual(drill.kind === 'quiz' ? drill.domain_codes : 'not a quiz', ['1.0', '2.0'], 'chosen domains restrict the quiz');
  });

  it('takes the form as the browser sends it: only the chosen kind\'s fields', () => {
    const { lesson: _l, instructions: _i, domains: _d, ...sent } = quiz;
    assert.equal(schema.parse(sent).kind, 'quiz');
    const lessonOnly = { title: 'Read', kind: 'lesson', lesson, target: `team:${team}`, due: '2026-06-17T18:00' };
    assert.equal(schema.parse(lessonOnly).kind, 'lesson');
  });

  it('a lesson needs only the lesson', () => {
    const parsed = schema.parse({ ...quiz, kind: 'lesson', exam: '', question_count: '', pass_mark: '', lesson });
    assert.equal(parsed.kind, 'lesson');
    assert.equal(parsed.kind === 'lesson' && parsed.lesson_id, lesson);
  });

  it('puts each problem beside its field', () => {
    const r = schema.safeParse({ ...quiz, title: '', exam: '', question_count: '0', pass_mark: '101', target: 'everyone', due: '2026-06-10T13:00' });
    const errors = Object.fromEntries(r.error?.issues.map((i) => [i.path[0], i.message]) ?? []);
    assert.deepEqual(errors, { title: 'Enter a title', target: 'Choose who it is for' });
    const r2 = schema.safeParse({ ...quiz, exam: '', question_count: '0', pass_mark: '101', due: '2026-06-10T13:00' });
    assert.deepEqual(Object.fromEntries(r2.error?.issues.map((i) => [i.path[0], i.message]) ?? []), {
      due: 'Choose a date in the future', exam: 'Choose an exam', question_count: 'At least 1', pass_mark: 'At most 100',
    }, '13:00 in Paris is 11:00 UTC, before now');
    assert.equal(schema.safeParse({ ...quiz, kind: 'lesson', lesson: 'x' }).error?.issues[0]?.message, 'Choose a lesson');
  });
});

describe('targets and completion', () => {
  it('maps a target to exactly one column', () => {
    assert.deepEqual(targetColumns({ kind: 'user', id: 'u' }), { assignee_user_id: 'u', team_id: null, department_id: null });
    assert.deepEqual(targetColumns({ kind: 'department', id: 'd' }), { assignee_user_id: null, team_id: null, department_id: 'd' });
  });

  it('counts completed, overdue and pending like the database', () => {
    assert.equal(recipientStatus(null, '2026-06-10T12:00:00Z', now), 'overdue', 'due now is overdue');
    assert.equal(recipientStatus('2026-06-11T00:00:00Z', '2026-06-10T00:00:00Z', now), 'completed', 'completed late is completed');
    const c = completion([{ completed_at: '2026-06-09T00:00:00Z' }, { completed_at: null }], '2026-06-11T00:00:00Z', now);
    assert.deepEqual(c, { total: 2, completed: 1, overdue: 0, pending: 1 });
    assert.equal(completionText(c), '1 of 2 completed');
    assert.equal(completionText(completion([], '2026-06-11T00:00:00Z', now)), 'Nobody to do it yet');
  });
});
