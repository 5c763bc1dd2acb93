// The TUS 1.0 resumable upload protocol as Storage serves it at /upload/resumable (with
// tus-node-server): what the headers mean, the upload id (`<bucket>/<object name>/<version>`,
// base64url in the upload URL) and the Upload-Metadata encoding. Pure: tus-store.ts keeps the
// bytes, routes/tus/resumable.ts answers the requests.
import { z } from 'zod';
import { ERRORS, TUS_ERRORS } from './errors.ts';
import { isValidBucketName, isValidKey } from './limits.ts';

export const TUS_RESUMABLE = '1.0.0';
export const TUS_VERSION = '1.0.0';
/** What this server implements (concatenation is refused with 501). */
export const TUS_EXTENSIONS = ['creation', 'creation-with-upload', 'creation-defer-length', 'termination', 'expiration'];
/** Storage's TUS_URL_EXPIRY_MS default: an unfinished upload expires an hour after its creation. */
export const TUS_UPLOAD_EXPIRY_MS = 60 * 60 * 1000;
export const TUS_CONTENT_TYPE = 'application/offset+octet-stream';

/** Headers a browser client must be able to read (tus-node-server's list). */
export const TUS_EXPOSED_HEADERS = [
  'Location',
  'Tus-Extension',
  'Tus-Max-Size',
  'Tus-Resumable',
  'Tus-Version',
  'Upload-Concat',
  'Upload-Defer-Length',
  'Upload-Expires',
  'Upload-Length',
  'Upload-Metadata',
  'Upload-Offset',
];

const BASE64 = /^[\d+/A-Za-z]*={0,2}$/;

function validKey(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const cp = key.codePointAt(i)!;
    if (cp > 127 || cp === 0x20 || cp === 0x2c) return false;
  }
  return true;
}

/** Upload-Metadata: `key base64value,key2,...`; InvalidMetadata when it is not that. */
export function parseUploadMetadata(header: string): Record<string, string | null> {
  const meta: Record<string, string | null> = {};
  if (header.trim().length === 0) throw TUS_ERRORS.InvalidMetadata();
  for (const pair of header.split(',')) {
    const tokens = pair.split(' ');
    const [key = '', value] = tokens;
    const ok = (tokens.length === 1 && validKey(key)) || (tokens.length === 2 && validKey(key) && value!.length % 4 === 0 && BASE64.test(value!));
    if (!ok || Object.hasOwn(meta, key)) throw TUS_ERRORS.InvalidMetadata();
    meta[key] = value ? Buffer.from(value, 'base64').toString('utf8') : null;
  }
  return meta;
}

export function stringifyUploadMetadata(meta: Record<string, string | null>): string {
  return Object.entries(meta)
    .map(([k, v]) => (v === null ? k : `${k} ${Buffer.from(v, 'utf8').toString('base64')}`))
    .join(',');
}

/** A non-negative integer header (Upload-Length, Upload-Offset); undefined when absent or not one. */
export function parseSizeHeader(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

export interface UploadId {
  bucket: string;
  objectName: string;
  version: string;
}

const VERSION = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function uploadIdString(id: UploadId): string {
  return `${id.bucket}/${id.objectName}/${id.version}`;
}

/** The id in an upload URL's last segment (base64url of `<bucket>/<object name>/<version>`). */
export function decodeUploadId(segment: string): UploadId {
  const raw = Buffer.from(segment, 'base64url').toString('utf8');
  const parts = raw.split('/');
  if (parts.length < 3) throw ERRORS.InvalidUploadId();
  const bucket = parts[0]!;
  const version = parts[parts.length - 1]!;
  const objectName = parts.slice(1, -1).join('/');
  if (!version) throw ERRORS.InvalidUploadId('Version not provided');
  if (!VERSION.test(version) || !isValidBucketName(bucket) || !isValidKey(objectName)) throw ERRORS.InvalidUploadId();
  return { bucket, objectName, version };
}

export function encodeUploadId(id: UploadId): string {
  return Buffer.from(uploadIdString(id), 'utf8').toString('base64url');
}

/** Upload-Metadata's `cacheControl` as Storage stores it: seconds become `max-age=<n>`, anything else `no-cache`. */
export function cacheControlOf(value: string | null | undefined): string {
  return /^-?\d+$/.test(value ?? '') ? `max-age=${value}` : 'no-cache';
}

/** What is kept beside an unfinished upload's bytes. */
export const uploadInfoSchema = z.object({
  bucket: z.string(),
  objectName: z.string(),
  version: z.string().regex(VERSION),
  /** null until a PATCH declares it (creation-defer-length). */
  size: z.number().int().min(0).nullable(),
  metadata: z.record(z.string(), z.string().nullable()),
  /** Who created it (`sub`, or the role for a token without one): only they may continue it. */
  creator: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
});

export type UploadInfo = z.infer<typeof uploadInfoSchema>;
