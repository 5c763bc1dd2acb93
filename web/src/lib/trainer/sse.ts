// The trainer's reply stream, read in the browser: server-sent events (`data: {json}\n\n`) cut
// into whatever pieces the network delivers, turned into typed events. The function sends
//   {type:'start'}, {type:'delta', content}…, then {type:'done'} or {type:'error'}.
import { z } from 'zod';

/**
 * An incremental SSE parser: feed it text as it arrives, it returns the `data` payloads of the
 * events that are complete (several `data:` lines of one event joined by \n). Comments, `event:`,
 * `id:` and `retry:` lines carry nothing the trainer uses.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];

  push(text: string): string[] {
    this.buffer += text;
    const out: string[] = [];
    let nl: number;
    while ((nl = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      // A lone \r at the very end may be the first half of \r\n: wait for the next piece.
      if (this.buffer[nl] === '\r' && nl === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + (this.buffer.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') {
        if (this.data.length) out.push(this.data.join('\n'));
        this.data = [];
      } else if (line.startsWith('data:')) {
        this.data.push(line.slice(line[5] === ' ' ? 6 : 5));
      }
    }
    return out;
  }

  /** The stream ended: an event without its closing blank line still counts. */
  end(): string[] {
    const rest = this.push('\n\n');
    this.buffer = '';
    return rest;
  }
}

export const trainerEvent = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('start'), learner_message_id: z.number().int(), remaining_seconds: z.number().int().nonnegative(), mode: z.string() }),
  z.looseObject({ type: z.literal('delta'), content: z.string() }),
  z.looseObject({ type: z.literal('done'), message_id: z.number().int(), content: z.string(), remaining_seconds: z.number().int().nonnegative() }),
  z.looseObject({ type: z.literal('error'), status: z.number().int(), message: z.string() }),
]);
export type TrainerEvent = z.infer<typeof trainerEvent>;

/** One payload as a trainer event, or null (not JSON, or not an event we know). */
export function parseTrainerEvent(data: string): TrainerEvent | null {
  try {
    const parsed = trainerEvent.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The trainer events of a response body, as they arrive. */
export async function* trainerEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<TrainerEvent> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      const payloads = done ? parser.push(decoder.decode()).concat(parser.end()) : parser.push(decoder.decode(value, { stream: true }));
      for (const p of payloads) {
        const event = parseTrainerEvent(p);
        if (event) yield event;
      }
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}
