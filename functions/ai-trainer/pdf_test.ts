import assert from 'node:assert/strict';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { pdfSafe, reportPdf, wrap } from './pdf.ts';
import { finalizeReport, offlineAssessment, type TranscriptLine } from './rubric.ts';

const transcript: TranscriptLine[] = Array.from({ length: 40 }, (_, i) => ({
  id: i + 1,
  role: i % 2 === 0 ? 'learner' : 'customer',
  content: i % 2 === 0
    ? `Hello, what do you need today? I understand \u201cyour\u201d concern \u2014 shall we book? (${i})`
    : 'Tell me more \u2026 \u{1F600}',
}));

Deno.test('text outside WinAnsi is replaced, not a crash', () => {
  assert.equal(pdfSafe('\u201cquote\u201d \u2014 done\u2026 \u{1F600}'), '"quote" - done... ??');
});

Deno.test('wrap keeps every line within the width', async () => {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const lines = wrap('word '.repeat(200) + 'x'.repeat(300), font, 10, 200);
  assert.ok(lines.length > 10);
  for (const l of lines) assert.ok(font.widthOfTextAtSize(l, 10) <= 200, l);
});

Deno.test('the report PDF is a real PDF over several pages', async () => {
  const report = finalizeReport(offlineAssessment(transcript), transcript, 'offline');
  const bytes = await reportPdf({
    session: {
      id: 's-1',
      category: 'retail-sales',
      difficulty: 'basic',
      duration_minutes: 10,
      started_at: '2026-06-10T09:00:00Z',
      completed_at: '2026-06-10T09:10:00Z',
    },
    categoryName: 'Retail Sales',
    learnerName: 'Sam',
    report,
    transcript,
    notes: [{ body: 'Good close.', created_at: '2026-06-10T10:00:00Z' }],
  });
  assert.equal(new TextDecoder().decode(bytes.slice(0, 5)), '%PDF-');
  const back = await PDFDocument.load(bytes);
  assert.ok(back.getPageCount() >= 2, `${back.getPageCount()} pages`);
  assert.equal(back.getTitle(), 'Training report - Retail Sales');
});
