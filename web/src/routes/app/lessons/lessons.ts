// Lessons as a learner reads them. Lesson bodies are Markdown; a learner's page needs only its
// plain structure (headings, lists, paragraphs), so it is split into blocks that Svelte renders as
// escaped text: an author can never inject HTML into a learner's page.

export type Block =
  | { kind: 'heading'; level: 2 | 3; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'paragraph'; text: string };

/** Markdown → blocks: `#`/`##` headings (shown one level below the page title), `-`/`*` lists, paragraphs. */
export function lessonBlocks(body: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: string[] | null = null;
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    if (list) blocks.push({ kind: 'list', items: list });
    paragraph = [];
    list = null;
  };
  for (const raw of body.replace(/\r\n/g, '\n').split('\n')) {
    const line = raw.trim();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^[-*+]\s+(.*)$/.exec(line);
    if (!line) flush();
    else if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length <= 1 ? 2 : 3, text: heading[2]!.replace(/#+$/, '').trim() });
    } else if (item) {
      if (paragraph.length) flush();
      (list ??= []).push(item[1]!);
    } else {
      if (list) flush();
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}

/** About how long a lesson takes to read, at 200 words a minute (at least a minute). */
export function readingMinutes(body: string): number {
  const words = body.split(/\s+/).filter(Boolean).length;
  return Math.max(1, Math.round(words / 200));
}
