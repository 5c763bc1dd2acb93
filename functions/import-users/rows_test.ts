import assert from 'node:assert/strict';
import { parseCsv } from '../_shared/csv.ts';
import { toPerson } from './rows.ts';

Deno.test('rows become people: e-mail lower-cased, role learner by default', () => {
  const t = parseCsv('Email,Name,Role\n Ana@Example.com ,Ana Silva,\nbo@example.com,,Instructor\n');
  assert.deepEqual(t.rows.map(toPerson), [
    { ok: true, value: { line: 2, email: 'ana@example.com', name: 'Ana Silva', role: 'learner' } },
    { ok: true, value: { line: 3, email: 'bo@example.com', name: undefined, role: 'instructor' } },
  ]);
});

Deno.test('malformed rows say why', () => {
  const t = parseCsv('email,name,role\nnot-an-address,X,learner\n,Y,learner\ncy@example.com,Z,boss\n');
  assert.deepEqual(t.rows.map(toPerson), [
    { ok: false, reason: '"not-an-address" is not an e-mail address' },
    { ok: false, reason: 'the e-mail address is empty' },
    { ok: false, reason: 'role "boss" must be learner, instructor, admin or owner' },
  ]);
});

Deno.test('the e-mail column may be called email_address, with no name or role columns', () => {
  const [p] = parseCsv('E-mail Address\ndee@example.com\n').rows.map(toPerson);
  assert.deepEqual(p, { ok: true, value: { line: 2, email: 'dee@example.com', name: undefined, role: 'learner' } });
});
