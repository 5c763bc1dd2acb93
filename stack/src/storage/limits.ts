// What Storage accepts as bucket names, object keys, MIME types and sizes (src/storage/limits.ts,
// uploader.ts), plus what a file backend on disk needs on top: no `.`/`..` segments, no empty
// segments, no absolute paths, no control characters. A key that passes can never name a path
// outside its bucket; the file backend does not use keys in paths anyway (files are named by
// version), so this is defence in depth as well as compatibility.
import { ERRORS } from './errors.ts';

/** Upstream's S3-safe key charset; the hyphen is last so it stays a literal. */
const VALID_OBJECT_KEY = /^[A-Za-z0-9_/!.*'() &$=@;:+,?-]*$/;
const VALID_BUCKET_NAME = /^[A-Za-z0-9_!.*'() &$=@;:+,?-]*$/;

/** Objects deleted or signed per request at most. */
export const MAX_OBJECTS_PER_REQUEST = 1000;
/** Client metadata (x-metadata / the `metadata` form field) at most. */
export const MAX_CUSTOM_METADATA_SIZE = 1024 * 1024;
/** Longest key accepted: Postgres btree entries and file names stay well inside their limits. */
export const MAX_KEY_LENGTH = 1024;

function hasUnsafeSegment(path: string): boolean {
  return path.split('/').some((s) => s === '' || s === '.' || s === '..');
}

export function isValidKey(key: string): boolean {
  return key.length > 0 && key.length <= MAX_KEY_LENGTH && VALID_OBJECT_KEY.test(key) && !hasUnsafeSegment(key);
}

export function isValidBucketName(name: string): boolean {
  return name.length > 0 && name.length < 101 && VALID_BUCKET_NAME.test(name) && name !== '.' && name !== '..';
}

export function mustBeValidKey(key: string | undefined): asserts key is string {
  if (!key || !isValidKey(key)) throw ERRORS.InvalidKey(key ?? '');
}

export function mustBeValidBucketName(name: string | undefined): asserts name is string {
  if (!name || !isValidBucketName(name)) throw ERRORS.InvalidBucketName(name ?? '');
}

/** Studio's way of making a folder: a zero-byte object under it. */
export function isEmptyFolder(key: string): boolean {
  return key.endsWith('.emptyFolderPlaceholder');
}

/** Bucket settings: `type/subtype`, optionally with a charset, or a wildcard (`image/*`, `*`). */
export function validateAllowedMimeTypes(types: string[]): void {
  for (const type of types) {
    if (type.length > 1000 || !/^([a-zA-Z0-9\-+.]+)\/([a-zA-Z0-9\-+.]+)(;\s*charset=[a-zA-Z0-9-]+)?$|\*$/.test(type)) {
      throw ERRORS.InvalidMimeType(type);
    }
  }
}

/** An upload's MIME type against a bucket's list: `type/*` wildcards, otherwise exact subtype. */
export function validateMimeType(mimeType: string, allowed: string[]): void {
  const [type, sub, ...rest] = mimeType.split('/');
  if (sub === undefined || rest.length > 0) throw ERRORS.InvalidMimeType(mimeType);
  for (const entry of allowed) {
    const [allowedType, allowedSub] = entry.split('/');
    if (allowedType === type && (allowedSub === '*' || allowedSub === sub)) return;
  }
  throw ERRORS.InvalidMimeType(mimeType);
}

/** A bucket's `file_size_limit` as the Storage API takes it: bytes, or "20GB" / "20MB" / "30KB" / "3B". */
export function parseFileSizeLimit(value: number | string): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw ERRORS.InvalidFileSizeLimit();
    return value;
  }
  const m = /^([0-9]+(?:\.[0-9]+)?)(gb|mb|kb|b)$/i.exec(value);
  if (!m) throw ERRORS.InvalidFileSizeLimit();
  const n = Number(Number.parseFloat(m[1]!).toPrecision(3));
  const unit = m[2]!.toUpperCase();
  const factor = unit === 'GB' ? 1e9 : unit === 'MB' ? 1e6 : unit === 'KB' ? 1e3 : 1;
  return Math.round(n * factor);
}

/** The upload limit of a bucket: its own limit, never above the global one. */
export function maxUploadSize(globalLimit: number, bucketLimit: number | null | undefined): number {
  return typeof bucketLimit === 'number' ? Math.min(bucketLimit, globalLimit) : globalLimit;
}
