import assert from 'node:assert/strict';
import { HttpError } from '../_shared/request.ts';
import { extract, kindFromName, stripTranscriptTimings } from './extract.ts';
import { minimalPdf } from './testing_pdf.ts';

const text = (s: string) => new TextEncoder().encode(s);

Deno.test('a PDF is recognised by its bytes and its text extracted (offline, unpdf)', async () => {
  const pdf = minimalPdf(['Handling the price objection', 'Acknowledge, then ask what value means to them.']);
  const out = await extract(pdf, 'notes.txt');
  assert.equal(out.kind, 'pdf');
  assert.equal(out.pages, 1);
  assert.match(out.text, /Handling the price objection/);
  assert.match(out.text, /ask what value means to them/);
});

Deno.test('text files: kind from the name unless declared; transcripts lose their timings', async () => {
  assert.equal((await extract(text('# Title\n\nBody'), 'guide.md')).kind, 'markdown');
  assert.equal((await extract(text('hello there'), 'a.txt')).kind, 'text');
  assert.equal((await extract(text('hello there'), 'a.txt', 'transcript')).kind, 'transcript');
  const vtt = 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nCustomer: It costs too much.\n\n2\n00:00:05.000 --> 00:00:07.000\nRep: Let us look at the value.\n';
  const out = await extract(text(vtt), 'call.vtt');
  assert.equal(out.kind, 'transcript');
  assert.equal(out.text.trim().replace(/\n+/g, '\n'), 'Customer: It costs too much.\nRep: Let us look at the value.');
  assert.equal(kindFromName(null), 'text');
  assert.equal(stripTranscriptTimings('1\n00:00:01,000 --> 00:00:02,000\nHi'), 'Hi');
});

Deno.test('binary and non-UTF-8 files are refused with 415; an empty PDF text or a broken PDF with 422', async () => {
  const refused = async (bytes: Uint8Array, status: number, message: RegExp, kind?: 'pdf' | 'text') => {
    await assert.rejects(extract(bytes, 'x', kind), (e: unknown) => e instanceof HttpError && e.status === status && message.test(e.message));
  };
  await refused(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]), 415, /ZIP archive/);
  await refused(new Uint8Array([0xc3, 0x28, 0x41]), 415, /not UTF-8/);
  await refused(text('plain'), 415, /kind says pdf/, 'pdf');
  await refused(minimalPdf(['x']), 415, /is a PDF but kind says text/, 'text');
  await refused(minimalPdf([]), 422, /no text/);
  await refused(text('%PDF-1.4\ngarbage'), 422, /Cannot read the PDF/);
  await refused(text('   \n '), 422, /no text/);
});
