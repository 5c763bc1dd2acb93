import assert from 'node:assert/strict';
import { z } from 'zod';
import { dbError, errorResponse, HttpError, readJson } from './http.ts';

const schema = z.strictObject({ n: z.number().int() });
const post = (body: string) => new Request('http://x/', { method: 'POST', body });

Deno.test('readJson parses and validates; an empty body is {}', async () => {
  assert.deepEqual(await readJson(post('{"n": 2}'), schema, 'count'), { n: 2 });
  await assert.rejects(
    readJson(post(''), schema, 'count'),
    (e: HttpError) => e.status === 400 && /^Cannot count: n:/.test(e.message),
  );
});

Deno.test('readJson: not JSON, or invalid fields, are 400s naming the action and field', async () => {
  await assert.rejects(
    readJson(post('{'), schema, 'count'),
    (e: HttpError) => e.message === 'Cannot count: the body is not JSON',
  );
  await assert.rejects(
    readJson(post('{"n": 1.5, "x": 1}'), schema, 'count'),
    (e: HttpError) => e.status === 400 && Array.isArray(e.extra.issues) && (e.extra.issues as string[]).length === 2,
  );
});

Deno.test('dbError maps SQLSTATEs to statuses', async () => {
  assert.equal(dbError('x', { code: '42501', message: 'permission denied' }).status, 403);
  assert.equal(dbError('x', { code: 'PGRST116', message: 'no rows' }).status, 404);
  assert.equal(dbError('x', { code: 'PT409', message: 'done' }).status, 409);
  assert.equal(dbError('x', { code: '23514', message: 'check' }).status, 400);
  const e = dbError('start a session', { code: 'XX000', message: 'boom', hint: 'h' });
  assert.equal(e.status, 500);
  assert.equal(e.message, 'Cannot start a session: boom');
  const res = errorResponse(e);
  assert.deepEqual(await res.json(), { error: 'Cannot start a session: boom', hint: 'h' });
});
