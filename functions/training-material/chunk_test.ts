import assert from 'node:assert/strict';
import { chunkText, normalise, pieces } from './chunk.ts';

Deno.test('short text: one passage, whitespace tidied', () => {
  assert.deepEqual(chunkText('  Hello   world.\r\n\r\n\r\n\r\nSecond\tparagraph.  '), ['Hello world.\n\nSecond paragraph.']);
  assert.equal(normalise('a \n b'), 'a\nb');
  assert.deepEqual(chunkText(''), []);
});

Deno.test('paragraphs are packed up to the target and never split needlessly', () => {
  const para = (n: number) => `Paragraph ${n} ${'word '.repeat(40).trim()}.`;
  const text = Array.from({ length: 10 }, (_, i) => para(i)).join('\n\n');
  const chunks = chunkText(text, { target: 500, max: 800, overlap: 0 });
  assert.ok(chunks.length >= 4);
  for (const c of chunks) assert.ok(c.length <= 800, `${c.length} > 800`);
  // Every paragraph appears whole, in order.
  assert.equal(chunks.join('\n\n'), text);
});

Deno.test('long paragraphs split at sentence ends; a sentence carries over as overlap', () => {
  const sentences = Array.from({ length: 30 }, (_, i) => `Sentence ${i} explains one step of the consultation.`);
  const chunks = chunkText(sentences.join(' '), { target: 300, max: 400, overlap: 80 });
  assert.ok(chunks.length > 3);
  for (const c of chunks) assert.ok(c.length <= 400);
  for (let i = 1; i < chunks.length; i++) {
    const lastOfPrevious = chunks[i - 1]!.split('\n\n').pop()!;
    assert.ok(chunks[i]!.startsWith(lastOfPrevious), `chunk ${i} opens with the end of chunk ${i - 1}`);
  }
  for (const s of sentences) assert.ok(chunks.some((c) => c.includes(s)), s);
});

Deno.test('a run without spaces or sentence ends is cut at max', () => {
  const out = pieces('x'.repeat(2500), 1000);
  assert.deepEqual(out.map((p) => p.length), [1000, 1000, 500]);
  for (const c of chunkText('y'.repeat(9000))) assert.ok(c.length <= 2000);
});
