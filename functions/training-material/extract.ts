// Text out of an uploaded training document, recognised by its bytes: `%PDF-` is a PDF (text
// extracted with unpdf, pdf.js built for serverless runtimes: no worker, no native code, works
// offline); anything else must be UTF-8 text (plain text, Markdown, or a transcript, whose WebVTT
// or SRT timing lines are dropped). Binary files (Word, images, archives) are refused.
import { extractText as pdfText, getDocumentProxy } from 'unpdf';
import { HttpError } from '../_shared/request.ts';

export const SOURCE_KINDS = ['pdf', 'text', 'markdown', 'transcript'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface Extracted {
  kind: SourceKind;
  text: string;
  pages?: number;
}

export function isPdf(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 5 && bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46 && bytes[4] === 0x2d;
}

/** The kind a text file's name suggests: .md → markdown, .vtt/.srt → transcript, else text. */
export function kindFromName(name: string | null): Exclude<SourceKind, 'pdf'> {
  const ext = /\.([a-z0-9]+)$/i.exec(name ?? '')?.[1]?.toLowerCase();
  if (ext === 'md' || ext === 'markdown') return 'markdown';
  if (ext === 'vtt' || ext === 'srt') return 'transcript';
  return 'text';
}

/** Drops WebVTT/SRT scaffolding: the WEBVTT header, cue numbers and `00:00:01.000 --> ...` lines. */
export function stripTranscriptTimings(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((l) => !/^\s*WEBVTT\b/.test(l) && !/^\s*\d+\s*$/.test(l) && !/-->/.test(l) && !/^\s*NOTE\b/.test(l))
    .join('\n');
}

function describeBinary(bytes: Uint8Array): string {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'a ZIP archive (a Word or other Office file?)';
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return 'a PNG image';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'a JPEG image';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf) return 'an old Office document';
  return 'a binary file';
}

/** The document's text and its kind (`declared` wins for text files; a PDF is always pdf). */
export async function extract(bytes: Uint8Array, fileName: string | null, declared?: SourceKind): Promise<Extracted> {
  if (isPdf(bytes)) {
    if (declared && declared !== 'pdf') {
      throw new HttpError(415, `the file is a PDF but kind says ${declared}: leave kind out or say pdf`, 'unsupported_media_type');
    }
    let text: string;
    let pages: number;
    try {
      const doc = await getDocumentProxy(new Uint8Array(bytes));
      const out = await pdfText(doc, { mergePages: true });
      text = out.text;
      pages = out.totalPages;
    } catch (e) {
      throw new HttpError(422, `Cannot read the PDF: ${e instanceof Error ? e.message : String(e)}`, 'unreadable_pdf');
    }
    if (!text.trim()) {
      throw new HttpError(422, 'the PDF holds no text to extract (a scan? run it through OCR first)', 'no_text');
    }
    return { kind: 'pdf', text, pages };
  }
  if (declared === 'pdf') throw new HttpError(415, 'kind says pdf but the file is not a PDF (it does not start with %PDF-)', 'unsupported_media_type');
  if (bytes.includes(0)) {
    throw new HttpError(415, `Cannot use this file as training material: it is ${describeBinary(bytes)}; upload a PDF, plain text, Markdown or a transcript`, 'unsupported_media_type');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new HttpError(415, 'Cannot use this file as training material: it is not UTF-8 text; upload a PDF, plain text, Markdown or a transcript', 'unsupported_media_type');
  }
  const kind = declared ?? kindFromName(fileName);
  if (kind === 'transcript') text = stripTranscriptTimings(text);
  if (!text.trim()) throw new HttpError(422, 'the file holds no text', 'no_text');
  return { kind, text };
}
