// A session's report as a PDF (pdf-lib, standard Helvetica): header, score, each rubric
// criterion with its evidence, strengths, improvements, instructor notes and the transcript.
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import type { Report, TranscriptLine } from './rubric.ts';

export interface PdfInput {
  session: {
    id: string;
    category: string;
    difficulty: string;
    duration_minutes: number;
    started_at: string;
    completed_at: string | null;
  };
  categoryName: string;
  learnerName: string;
  report: Report;
  transcript: TranscriptLine[];
  notes: { body: string; created_at: string }[];
}

/** Helvetica's WinAnsi encoding has no glyph for most non-Latin-1 characters: replace them. */
export function pdfSafe(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/[^\x20-\x7e\xa0-\xff\n]/g, '?');
}

/** Lines of at most `width` points in `font` at `size`. */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of pdfSafe(text).split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width) line = candidate;
      else {
        if (line) out.push(line);
        line = word;
        while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
          let cut = line.length - 1;
          while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
          out.push(line.slice(0, cut));
          line = line.slice(cut);
        }
      }
    }
    out.push(line);
  }
  return out;
}

export async function reportPdf(input: PdfInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(pdfSafe(`Training report - ${input.categoryName}`));
  doc.setAuthor('Ascend');
  doc.setSubject(`Session ${input.session.id}`);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const margin = 50;
  let page: PDFPage = doc.addPage();
  const width = page.getWidth() - margin * 2;
  let y = page.getHeight() - margin;

  const write = (
    text: string,
    opts: { size?: number; font?: PDFFont; gap?: number; indent?: number; color?: [number, number, number] } = {},
  ) => {
    const size = opts.size ?? 10;
    const font = opts.font ?? regular;
    const indent = opts.indent ?? 0;
    for (const line of wrap(text, font, size, width - indent)) {
      if (y < margin + size) {
        page = doc.addPage();
        y = page.getHeight() - margin;
      }
      page.drawText(line, { x: margin + indent, y: y - size, size, font, color: rgb(...(opts.color ?? [0, 0, 0])) });
      y -= size * 1.35;
    }
    y -= opts.gap ?? 2;
  };

  const { session, report } = input;
  write('Ascend - AI sales training report', { size: 18, font: bold, gap: 6 });
  write(`${input.categoryName} - ${session.difficulty} - ${session.duration_minutes} minutes`, { size: 11 });
  write(`Learner: ${input.learnerName}`, { size: 11 });
  write(`Started ${session.started_at}${session.completed_at ? `, completed ${session.completed_at}` : ''}`, {
    size: 9,
    color: [0.35, 0.35, 0.35],
  });
  write(`Scored by: ${report.generated_by}`, { size: 9, color: [0.35, 0.35, 0.35], gap: 10 });
  write(`Overall score: ${report.overall_score.toFixed(1)} / 100`, { size: 14, font: bold, gap: 4 });
  write(report.summary, { gap: 10 });

  write('Rubric', { size: 13, font: bold, gap: 4 });
  for (const c of report.criteria) {
    write(`${c.name}: ${c.score} / 5 (weight ${c.weight})`, { font: bold, size: 11 });
    if (c.comment) write(c.comment, { indent: 12 });
    for (const e of c.evidence) write(`"${e.quote}"`, { indent: 12, color: [0.2, 0.2, 0.5] });
    y -= 4;
  }
  if (report.strengths.length) {
    write('Strengths', { size: 13, font: bold, gap: 4 });
    for (const s of report.strengths) write(`- ${s}`, { indent: 6 });
  }
  if (report.improvements.length) {
    write('To improve', { size: 13, font: bold, gap: 4 });
    for (const s of report.improvements) write(`- ${s}`, { indent: 6 });
  }
  if (report.citations.length) {
    write('Training material cited', { size: 13, font: bold, gap: 4 });
    for (const c of report.citations) write(`- ${c.snippet} (${c.source})`, { indent: 6 });
  }
  if (input.notes.length) {
    write('Instructor notes', { size: 13, font: bold, gap: 4 });
    for (const n of input.notes) write(`- ${n.body} (${n.created_at})`, { indent: 6 });
  }
  write('Transcript', { size: 13, font: bold, gap: 4 });
  for (const m of input.transcript) write(`${m.role === 'learner' ? 'You' : 'Customer'}: ${m.content}`, { indent: 6 });
  return doc.save();
}
