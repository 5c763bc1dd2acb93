// What an object's bytes are, as far as a browser would care, and the rules a copy or a
// cross-bucket move must pass at its destination. Upload checks the client's Content-Type against
// the bucket; a copy used to check nothing, and took a caller-chosen `metadata.mimetype` as is,
// so SVG bytes could land in an image bucket labelled (and served) as `image/svg+xml`. Here a
// copy's type must be one the destination allows, a relabelling must agree with the bytes, and
// markup bytes (SVG, HTML, XML) under another label must be allowed there as what they are; the
// size must fit the destination.
import { ERRORS } from './errors.ts';
import { isEmptyFolder, maxUploadSize, validateMimeType } from './limits.ts';

/** How many leading bytes `sniffMimeType` looks at. */
export const SNIFF_BYTES = 1024;

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * The type the leading bytes show, for the formats that matter here (raster images, PDF, and
 * markup a browser would run: SVG, HTML, XML); undefined when they show none of them.
 */
export function sniffMimeType(head: Uint8Array): string | undefined {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(head, ascii('ftyp'), 4) && (startsWith(head, ascii('avif'), 8) || startsWith(head, ascii('avis'), 8))) return 'image/avif';
  if (startsWith(head, ascii('BM'))) return 'image/bmp';
  if (startsWith(head, ascii('%PDF-'))) return 'application/pdf';
  // Markup: skip a BOM and white space, then look at what the document opens with.
  let text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.trimStart().toLowerCase();
  if (!text.startsWith('<')) return undefined;
  if (/<svg[\s>/]/.test(text)) return 'image/svg+xml';
  if (/^<(!doctype html|html|head|body|script|iframe|div|p|a|img|style|title|meta|table|h1|br|b|font)[\s>/]/.test(text)) return 'text/html';
  if (text.startsWith('<?xml')) return 'application/xml';
  return undefined;
}

/** `type/subtype`, lower-case, without parameters. */
export function mimeEssence(mime: string): string {
  return (mime.split(';')[0] ?? '').trim().toLowerCase();
}

export interface DestinationCheck {
  objectName: string;
  /** The type the source object was stored with. */
  storedMimeType: string | undefined;
  /** A type the caller asks for (copy's `metadata.mimetype`), if any. */
  requestedMimeType: string | undefined;
  /** What the bytes look like (`sniffMimeType`). */
  sniffedMimeType: string | undefined;
  size: number;
  bucket: { file_size_limit: number | null; allowed_mime_types: string[] | null };
  globalFileSizeLimit: number;
}

/**
 * Throws Storage's InvalidMimeType (415) or EntityTooLarge (413) when the object may not be
 * written to the destination bucket; returns the type it is written with.
 */
export function checkDestination(c: DestinationCheck): string {
  const stored = c.storedMimeType || 'application/octet-stream';
  let mime = stored;
  if (c.requestedMimeType !== undefined && mimeEssence(c.requestedMimeType) !== mimeEssence(stored)) {
    // A caller may relabel an object only as what its bytes are.
    if (c.sniffedMimeType === undefined || mimeEssence(c.sniffedMimeType) !== mimeEssence(c.requestedMimeType)) throw ERRORS.InvalidMimeType(c.requestedMimeType);
    mime = c.requestedMimeType;
  }
  const allowed = c.bucket.allowed_mime_types;
  if (allowed && allowed.length > 0 && !isEmptyFolder(c.objectName)) {
    validateMimeType(mime, allowed);
    checkBytesAllowed(c.objectName, mime, c.sniffedMimeType, allowed);
  }
  if (c.size > maxUploadSize(c.globalFileSizeLimit, c.bucket.file_size_limit)) throw ERRORS.EntityTooLarge();
  return mime;
}

/** Types a browser runs (markup that can carry script): bytes of these never pass under another label. */
const ACTIVE_CONTENT = new Set(['image/svg+xml', 'text/html', 'application/xml']);

/**
 * Markup bytes under another label (SVG called image/png) must be allowed by the bucket as what
 * they are: InvalidMimeType (415) otherwise. Every write checks this once it has the bytes
 * (upload, resumable upload, copy, cross-bucket move). Other mismatches pass, as on Supabase
 * Storage, which trusts the label (JPEG bytes labelled image/png are served as image/png, with
 * nosniff, so they stay an image).
 */
export function checkBytesAllowed(objectName: string, label: string, sniffed: string | undefined, allowed: string[] | null): void {
  if (!allowed || allowed.length === 0 || isEmptyFolder(objectName)) return;
  if (sniffed !== undefined && ACTIVE_CONTENT.has(mimeEssence(sniffed)) && mimeEssence(sniffed) !== mimeEssence(label)) validateMimeType(sniffed, allowed);
}
