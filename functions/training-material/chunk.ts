// Splitting extracted text into passages for full-text search and for quoting to the AI trainer:
// paragraphs are kept whole when they fit, long ones split at sentence ends, and consecutive
// passages share a little text (the last sentence of one opens the next) so an answer that
// straddles a boundary is still found in one piece.

export interface ChunkOptions {
  /** Aim for passages about this long (characters). */
  target: number;
  /** Never longer than this (the database accepts up to 4000). */
  max: number;
  /** Carry at most this many characters of the previous passage into the next. */
  overlap: number;
}

export const DEFAULT_CHUNKING: ChunkOptions = { target: 1200, max: 2000, overlap: 200 };

/** Whitespace tidied: CRLF → LF, runs of spaces and tabs → one space, 3+ newlines → a paragraph break. */
export function normalise(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[ \t\f\v\u00a0]+/g, ' ').replace(/ *\n */g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** Pieces no longer than `max`: paragraphs, else sentences, else runs of words, else hard cuts. */
export function pieces(text: string, max: number): string[] {
  const out: string[] = [];
  for (const para of normalise(text).split(/\n\n/)) {
    const p = para.replace(/\n/g, ' ').trim();
    if (!p) continue;
    if (p.length <= max) {
      out.push(p);
      continue;
    }
    for (const sentence of p.split(/(?<=[.!?…])\s+/)) {
      if (sentence.length <= max) {
        out.push(sentence);
        continue;
      }
      let run = '';
      for (const word of sentence.split(' ')) {
        for (let w = word; w.length > 0; w = w.slice(max)) {
          const part = w.slice(0, max);
          if (run && run.length + 1 + part.length > max) {
            out.push(run);
            run = '';
          }
          run = run ? `${run} ${part}` : part;
        }
      }
      if (run) out.push(run);
    }
  }
  return out;
}

/** The passages of a text, in order; each at most `max` characters, none empty. */
export function chunkText(text: string, options: ChunkOptions = DEFAULT_CHUNKING): string[] {
  const { target, max, overlap } = options;
  const chunks: string[] = [];
  let current: string[] = [];
  let length = 0;
  const flush = () => {
    if (current.length) chunks.push(current.join('\n\n'));
  };
  for (const piece of pieces(text, max)) {
    if (current.length && length + 2 + piece.length > target) {
      flush();
      // Open the next passage with the end of this one when it is short enough to share.
      const last = current[current.length - 1]!;
      const tail = last.length <= overlap ? last : (last.split(/(?<=[.!?…])\s+/).pop() ?? '');
      current = tail && tail.length <= overlap && tail.length + 2 + piece.length <= max ? [tail] : [];
      length = current.reduce((n, s) => n + s.length + 2, 0);
    }
    current.push(piece);
    length += piece.length + 2;
  }
  flush();
  return chunks;
}
