// What an image really is, from its first bytes (magic numbers), never from its name or the
// Content-Type its sender claims: an SVG or HTML page renamed `.png` is text, not a PNG.

export interface ImageKind {
  mime: 'image/png' | 'image/jpeg' | 'image/webp';
  extension: 'png' | 'jpg' | 'webp';
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, magic: number[], at = 0): boolean {
  if (bytes.byteLength < at + magic.length) return false;
  return magic.every((b, i) => bytes[at + i] === b);
}

/** PNG (`89 50 4E 47 0D 0A 1A 0A`), JPEG (`FF D8 FF`) or WebP (`RIFF....WEBP`); null for anything else. */
export function sniffImage(bytes: Uint8Array): ImageKind | null {
  if (startsWith(bytes, PNG)) return { mime: 'image/png', extension: 'png' };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', extension: 'jpg' };
  // RIFF <size, 4 bytes> WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) {
    return { mime: 'image/webp', extension: 'webp' };
  }
  return null;
}

/** A short, human description of what the bytes look like, for the refusal message. */
export function describeBytes(bytes: Uint8Array): string {
  if (bytes.byteLength === 0) return 'an empty file';
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg')) || head.includes('<svg')) return 'an SVG image';
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || /<(script|body|head)\b/.test(head)) return 'an HTML document';
  if (head.startsWith('<?xml')) return 'an XML document';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'a GIF image';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'a PDF document';
  return 'not a PNG, JPEG or WebP image';
}
