import assert from 'node:assert/strict';
import { test } from 'vitest';
import { lessonFormSchema, moveSchema, movesFor, waitingFor } from './lessons.ts';

const targets = (...a: Parameters<typeof movesFor>) => movesFor(...a).map((m) => m.to);

test('any staff member submits a draft; learners never move anything', () => {
  assert.deepEqual(targets('draft', 'instructor', true), ['in_review']);
  assert.deepEqual(targets('draft', 'owner', false), ['in_review']);
  assert.deepEqual(targets('draft', 'learner', false), []);
  assert.deepEqual(targets('published', 'learner', false), []);
});

test('owners and admins review, but not their own version', () => {
  assert.deepEqual(targets('in_review', 'admin', false), ['approved', 'draft']);
  assert.deepEqual(targets('in_review', 'admin', true), ['draft']);
  assert.deepEqual(targets('in_review', 'instructor', false), []);
  assert.equal(waitingFor('in_review', 'instructor', true), 'Waiting for an owner or admin to review it.');
  assert.equal(waitingFor('in_review', 'owner', true), 'You wrote this version: another owner or admin approves it.');
  assert.equal(waitingFor('in_review', 'owner', false), null);
});

test('approved is published, published is unpublished, archived is final', () => {
  assert.deepEqual(targets('approved', 'owner', true), ['published']);
  assert.deepEqual(targets('approved', 'instructor', false), []);
  assert.deepEqual(targets('published', 'admin', false), ['archived']);
  assert.deepEqual(targets('archived', 'owner', false), []);
});

test('requesting changes needs a comment; the form keeps a title', () => {
  assert.equal(moveSchema.safeParse({ version: '2', to: 'draft', comment: '  ' }).error?.issues[0]?.message, 'Say what to change: requesting changes needs a comment');
  assert.deepEqual(moveSchema.parse({ version: '2', to: 'draft', comment: 'Fix the intro' }), { version: 2, to: 'draft', comment: 'Fix the intro' });
  assert.equal(moveSchema.safeParse({ version: '2', to: 'deleted' }).success, false);
  assert.equal(lessonFormSchema.safeParse({ title: ' ', body: '' }).error?.issues[0]?.message, 'Give the lesson a title');
});
