import assert from 'node:assert/strict';
import { CsvError, normaliseHeader, parseCsv } from './csv.ts';

Deno.test('rows carry the line they start on, across quoted newlines, blank lines and CRLF', () => {
  const text = '\uFEFFName,E-mail\r\nAna,ana@example.com\r\n\r\n"Bo\nBo",bo@example.com\r\nCy,cy@example.com\r\n';
  const t = parseCsv(text);
  assert.deepEqual(t.header, ['name', 'e_mail']);
  assert.deepEqual(t.rows.map((r) => [r.line, r.values.name]), [[2, 'Ana'], [4, 'Bo\nBo'], [6, 'Cy']]);
  assert.deepEqual(t.issues, []);
});

Deno.test('a row with the wrong number of fields is an issue naming its line', () => {
  const t = parseCsv('a,b,c\n1,2,3\n1,2\n1,2,3,4\n');
  assert.equal(t.rows.length, 1);
  assert.deepEqual(t.issues, [
    { line: 3, reason: 'has 2 fields, the header has 3' },
    { line: 4, reason: 'has 4 fields, the header has 3' },
  ]);
});

Deno.test('an unclosed quote or an empty file is a CsvError', () => {
  assert.throws(() => parseCsv('a,b\n1,"oops\n'), (e: unknown) => e instanceof CsvError && /not valid CSV/.test(e.message));
  assert.throws(() => parseCsv('\n\n'), (e: unknown) => e instanceof CsvError && /empty/.test(e.message));
});

Deno.test('headers are normalised to snake_case', () => {
  assert.equal(normaliseHeader(' Option A '), 'option_a');
  assert.equal(normaliseHeader('Correct-Answer'), 'correct_answer');
  assert.equal(normaliseHeader('Explanation (B)'), 'explanation_b');
});
