import assert from 'node:assert/strict';
import { parseCsv } from '../_shared/csv.ts';
import { toQuestion } from './rows.ts';

const HEADER = 'Exam,Domain,Question,Option A,Option B,Option C,Option D,Correct,Explanation A,Explanation B,Explanation C,Explanation D';

function rows(...lines: string[]) {
  return parseCsv([HEADER, ...lines].join('\n')).rows.map(toQuestion);
}

Deno.test('a good row becomes a question with options and explanations by letter', () => {
  const [r] = rows('security,1.0,"Which protocol encrypts web traffic?",HTTP,HTTPS,FTP,Telnet,b,No.,Yes: TLS.,No.,No.');
  assert.deepEqual(r, {
    ok: true,
    value: {
      line: 2,
      exam: 'security',
      domain_code: '1.0',
      stem: 'Which protocol encrypts web traffic?',
      options: { A: 'HTTP', B: 'HTTPS', C: 'FTP', D: 'Telnet' },
      correct_answer: 'B',
      explanations: { A: 'No.', B: 'Yes: TLS.', C: 'No.', D: 'No.' },
      reference: undefined,
    },
  });
});

Deno.test('each bad row gets one reason naming every problem', () => {
  const [wrongLetter, shortStem, missingOption] = rows(
    'security,1.0,Which protocol encrypts web traffic?,HTTP,HTTPS,FTP,Telnet,E,a,b,c,d',
    'security,1.0,Too short,HTTP,HTTPS,FTP,Telnet,A,a,b,c,d',
    'security,1.0,Which protocol encrypts web traffic?,HTTP,,FTP,Telnet,A,a,b,c,',
  );
  assert.deepEqual(wrongLetter, { ok: false, reason: 'the correct answer "E" must be A, B, C or D' });
  assert.deepEqual(shortStem, { ok: false, reason: 'the question text must hold at least 10 characters' });
  assert.deepEqual(missingOption, { ok: false, reason: 'option B is empty; explanation D is empty' });
});

Deno.test('an optional reference column is kept when filled', () => {
  const t = parseCsv(`${HEADER},Reference\nnetwork,2,What does DNS resolve names to?,IP addresses,MAC addresses,Ports,VLANs,A,Yes,No,No,No,Objective 1.6\n`);
  const [r] = t.rows.map(toQuestion);
  assert.ok(r!.ok);
  assert.equal(r.value.reference, 'Objective 1.6');
  assert.equal(r.value.domain_code, '2');
});
