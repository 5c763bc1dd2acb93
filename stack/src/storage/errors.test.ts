import assert from 'node:assert/strict';
import { test } from 'vitest';
import pg from 'pg';
import { ERRORS, fromPgError, toStorageError } from './errors.ts';

function pgError(code: string, message: string, detail?: string): pg.DatabaseError {
  const e = new pg.DatabaseError(message, 0, 'error');
  e.code = code;
  if (detail) e.detail = detail;
  return e;
}

test('client errors are HTTP 400 with their real status in the body, in Storage key order', () => {
  const e = ERRORS.NoSuchKey('a/b.txt');
  assert.equal(e.userStatusCode, 400);
  assert.equal(JSON.stringify(e.render()), '{"statusCode":"404","error":"not_found","message":"Object not found","code":"NoSuchKey"}');
  assert.deepEqual(ERRORS.EntityTooLarge().render(), {
    statusCode: '413',
    error: 'Payload too large',
    message: 'The object exceeded the maximum allowed size',
    code: 'EntityTooLarge',
  });
  assert.deepEqual(ERRORS.InvalidMimeType('text/html').render(), {
    statusCode: '415',
    error: 'invalid_mime_type',
    message: 'mime type text/html is not supported',
    code: 'InvalidMimeType',
  });
  assert.equal(ERRORS.KeyAlreadyExists('k').render().error, 'Duplicate');
  assert.equal(ERRORS.InvalidKey('k').render().error, 'InvalidKey', 'without a legacy error, the code stands in');
});

test('500s stay 500; explicit statuses override', () => {
  assert.equal(ERRORS.InternalError().userStatusCode, 500);
  assert.equal(ERRORS.AccessDenied('Access denied: Invalid role').withStatusCode(403).userStatusCode, 403);
  assert.equal(ERRORS.RequestAborted().userStatusCode, 499);
});

test('Postgres errors map as Storage maps them', () => {
  const rls = fromPgError(pgError('42501', 'new row violates row-level security policy for table "objects"'));
  assert.deepEqual(rls.render(), { statusCode: '403', error: 'Unauthorized', message: 'new row violates row-level security policy', code: 'AccessDenied' });
  assert.equal(fromPgError(pgError('42501', 'permission denied for table objects')).message, 'permission denied for table objects');
  assert.equal(fromPgError(pgError('23505', 'duplicate key')).code, 'ResourceAlreadyExists');
  assert.equal(fromPgError(pgError('23503', 'fk', 'Key (id)=(x) is still referenced from table "objects".')).code, 'ResourceReferenced');
  assert.equal(fromPgError(pgError('23503', 'fk', 'Key (bucket_id)=(x) is not present in table "buckets".')).render().statusCode, '404');
  assert.equal(fromPgError(pgError('57014', 'canceling statement due to statement timeout')).userStatusCode, 544);
  assert.equal(fromPgError(pgError('XX000', 'boom')).message, 'database error, code: XX000');
  assert.equal(toStorageError(new Error('x')).code, 'InternalError');
});
