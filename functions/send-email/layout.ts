// The one layout every Ascend e-mail shares: a plain, table-free HTML page (inline styles only, as
// mail clients need) and its text twin. Templates give blocks; every string is escaped here.

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** A block of an e-mail, rendered both as HTML and as text. */
export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'facts'; items: Array<[label: string, value: string]> }
  | { kind: 'button'; label: string; href: string };

export interface Email {
  subject: string;
  html: string;
  text: string;
}

export interface LayoutInput {
  subject: string;
  /** The first line, e.g. "Hi Ada,". */
  greeting: string;
  heading: string;
  blocks: Block[];
  /** Why the learner gets this e-mail and where to change it. */
  footer: string;
}

/** Only http(s) links get into an e-mail; anything else becomes the app's home page. */
export function safeHref(href: string, fallback: string): string {
  try {
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : fallback;
  } catch {
    return fallback;
  }
}

function blockHtml(b: Block): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p style="margin:0 0 16px">${escapeHtml(b.text)}</p>`;
    case 'facts':
      return `<ul style="margin:0 0 16px;padding-left:20px">${
        b.items.map(([k, v]) => `<li><strong>${escapeHtml(k)}:</strong> ${escapeHtml(v)}</li>`).join('')
      }</ul>`;
    case 'button':
      return `<p style="margin:24px 0"><a href="${
        escapeHtml(b.href)
      }" style="background:#4f46e5;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">${
        escapeHtml(b.label)
      }</a></p>`;
  }
}

function blockText(b: Block): string {
  switch (b.kind) {
    case 'paragraph':
      return b.text;
    case 'facts':
      return b.items.map(([k, v]) => `- ${k}: ${v}`).join('\n');
    case 'button':
      return `${b.label}: ${b.href}`;
  }
}

/** Renders the layout. Deterministic: the same input always gives the same bytes (idempotent resends). */
export function renderLayout(input: LayoutInput): Email {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${
    escapeHtml(input.subject)
  }</title></head>
<body style="margin:0;padding:24px;background:#f4f4f7;font:15px/1.55 -apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2937">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
<p style="margin:0 0 24px;font-weight:700;color:#4f46e5">Ascend</p>
<h1 style="margin:0 0 16px;font-size:20px">${escapeHtml(input.heading)}</h1>
<p style="margin:0 0 16px">${escapeHtml(input.greeting)}</p>
${input.blocks.map(blockHtml).join('\n')}
<p style="margin:32px 0 0;font-size:12px;color:#6b7280">${escapeHtml(input.footer)}</p>
</div></body></html>`;
  const text = [
    input.heading,
    '',
    input.greeting,
    '',
    ...input.blocks.flatMap((b) => [blockText(b), '']),
    '--',
    input.footer,
  ]
    .join('\n');
  return { subject: input.subject, html, text: `${text}\n` };
}
