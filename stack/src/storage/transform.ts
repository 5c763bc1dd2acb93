// Image transformation options as Storage takes them (src/http/schemas/transformations.ts) and
// turns them into imgproxy's processing options (src/storage/renderer/image.ts): the query string
// of /render/image/*, the `transform` of a signed URL, the segments sent back in the
// `X-Transformations` header and kept inside a signed render token. Pure: no image is touched here
// (image.ts renders them with sharp).
import { z } from 'zod';
import { ERRORS } from './errors.ts';

/** Storage's IMAGE_TRANSFORMATION_LIMIT_MIN_SIZE / MAX_SIZE defaults: width and height are clamped to these. */
export const IMAGE_SIZE_LIMITS = { min: 1, max: 2000 } as const;

export const RESIZE_MODES = ['cover', 'contain', 'fill'] as const;
export const FORMATS = ['origin', 'avif', 'webp'] as const;
export const GRAVITIES = ['no', 'so', 'ea', 'we', 'noea', 'nowe', 'soea', 'sowe', 'ce', 'sm', 'fp'] as const;

export type ResizeMode = (typeof RESIZE_MODES)[number];
export type OutputFormatOption = (typeof FORMATS)[number];
export type Gravity = (typeof GRAVITIES)[number];

export interface TransformOptions {
  width?: number | undefined;
  height?: number | undefined;
  resize?: ResizeMode | undefined;
  format?: OutputFormatOption | undefined;
  quality?: number | undefined;
  gravity?: Gravity | undefined;
  x_offset?: number | undefined;
  y_offset?: number | undefined;
}

/** imgproxy's resizing types: cover → fill (crop), contain → fit (no padding), fill → force (stretch). */
export type ResizingType = 'fill' | 'fit' | 'force';

export function resizingType(resize: string | undefined): ResizingType {
  if (resize === 'contain') return 'fit';
  if (resize === 'fill') return 'force';
  return 'fill';
}

const clamp = (n: number, min: number, max: number) => Math.min(Math.max(n, min), max);

type Issue = { field: string; message: string };

/** Checks options the way the route schema does; `where` prefixes field names (`querystring`, `body/transform`). */
function check(raw: Record<string, unknown>, where: string, fromQuery: boolean): TransformOptions {
  const issues: Issue[] = [];
  const out: TransformOptions = {};
  const num = (field: string, integer: boolean): number | undefined => {
    const v = raw[field];
    if (v === undefined) return undefined;
    const n = fromQuery && typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      issues.push({ field, message: `must be ${integer ? 'integer' : 'number'}` });
      return undefined;
    }
    if (integer && !Number.isInteger(n)) {
      issues.push({ field, message: 'must be integer' });
      return undefined;
    }
    return n;
  };
  const oneOf = <T extends string>(field: string, allowed: readonly T[]): T | undefined => {
    const v = raw[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      issues.push({ field, message: 'must be equal to one of the allowed values' });
      return undefined;
    }
    return v as T;
  };
  for (const field of ['height', 'width'] as const) {
    const n = num(field, true);
    if (n !== undefined && n < 0) issues.push({ field, message: 'must be >= 0' });
    else if (n !== undefined) out[field] = n;
  }
  const resize = oneOf('resize', RESIZE_MODES);
  if (resize) out.resize = resize;
  const format = oneOf('format', FORMATS);
  if (format) out.format = format;
  const quality = num('quality', true);
  if (quality !== undefined && quality < 20) issues.push({ field: 'quality', message: 'must be >= 20' });
  else if (quality !== undefined && quality > 100) issues.push({ field: 'quality', message: 'must be <= 100' });
  else if (quality !== undefined) out.quality = quality;
  const gravity = oneOf('gravity', GRAVITIES);
  if (gravity) out.gravity = gravity;
  for (const field of ['x_offset', 'y_offset'] as const) {
    const n = num(field, false);
    if (n !== undefined) out[field] = n;
  }
  if (out.gravity === 'fp') {
    for (const field of ['x_offset', 'y_offset'] as const) {
      const v = out[field];
      if (v === undefined && raw[field] === undefined) issues.push({ field: '', message: `must have required property '${field}'` });
      else if (v !== undefined && v < 0) issues.push({ field, message: 'must be >= 0' });
      else if (v !== undefined && v > 1) issues.push({ field, message: 'must be <= 1' });
    }
  }
  const first = issues[0];
  if (first) throw ERRORS.ValidationError(`${where}${first.field ? `/${first.field}` : ''} ${first.message}`);
  return out;
}

/** The transformation options of a render URL's query string (other parameters are ignored). */
export function parseTransformQuery(query: Record<string, string>): TransformOptions {
  return check(query, 'querystring', true);
}

/** A signed URL's `transform` object (JSON numbers). */
export const transformBodySchema = z.record(z.string(), z.unknown());

export function parseTransformBody(raw: Record<string, unknown>): TransformOptions {
  return check(raw, 'body/transform', false);
}

/**
 * imgproxy's processing segments for the options (Storage's `applyTransformation`). With
 * `keepOriginal` the resize mode is kept as given (what a signed token stores, `resize:undefined`
 * included, exactly as upstream writes it); otherwise it is the resizing type the header reports.
 */
export function transformationSegments(o: TransformOptions, keepOriginal = false): string[] {
  const segments: string[] = [];
  if (o.height) segments.push(`height:${clamp(o.height, IMAGE_SIZE_LIMITS.min, IMAGE_SIZE_LIMITS.max)}`);
  if (o.width) segments.push(`width:${clamp(o.width, IMAGE_SIZE_LIMITS.min, IMAGE_SIZE_LIMITS.max)}`);
  if (o.width || o.height) segments.push(keepOriginal ? `resize:${String(o.resize)}` : `resizing_type:${resizingType(o.resize)}`);
  if (o.quality) segments.push(`quality:${o.quality}`);
  if (o.format && o.format !== 'origin') segments.push(`format:${o.format}`);
  if (o.gravity === 'sm') segments.push('gravity:sm');
  else if (o.gravity === 'fp') {
    const { x_offset: x, y_offset: y } = o;
    if (x === undefined || y === undefined || !(x >= 0 && x <= 1) || !(y >= 0 && y <= 1)) {
      throw ERRORS.InvalidParameter('gravity', 'Focal point requires x and y coordinates within 0-1 range');
    }
    segments.push(`gravity:fp:${x}:${y}`);
  } else if (o.gravity) {
    const { x_offset: x, y_offset: y } = o;
    segments.push(x === undefined && y === undefined ? `gravity:${o.gravity}` : `gravity:${o.gravity}:${x ?? 0}:${y ?? 0}`);
  }
  return segments;
}

/** The options a signed render token carries (`transformations`), read back (`setTransformationsFromString`). */
export function parseTransformationString(s: string): TransformOptions {
  const o: TransformOptions = {};
  for (const param of s.split(',')) {
    const [name, value, x, y] = param.split(':');
    if (value === undefined || value === '') continue;
    switch (name) {
      case 'height':
      case 'width':
      case 'quality': {
        const n = Number.parseInt(value, 10);
        if (Number.isFinite(n)) o[name] = n;
        break;
      }
      case 'resize':
        if ((RESIZE_MODES as readonly string[]).includes(value)) o.resize = value as ResizeMode;
        break;
      case 'format':
        if ((FORMATS as readonly string[]).includes(value)) o.format = value as OutputFormatOption;
        break;
      case 'gravity': {
        if (!(GRAVITIES as readonly string[]).includes(value)) break;
        o.gravity = value as Gravity;
        const px = x !== undefined && x !== '' ? Number.parseFloat(x) : Number.NaN;
        const py = y !== undefined && y !== '' ? Number.parseFloat(y) : Number.NaN;
        if (Number.isFinite(px)) o.x_offset = px;
        if (Number.isFinite(py)) o.y_offset = py;
        break;
      }
    }
  }
  return o;
}

/** The image formats rendered here (sources and outputs); anything else is not an image to render. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'tiff';

export const MIME_BY_FORMAT: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  tiff: 'image/tiff',
};

/**
 * The output format: `origin` keeps the source's, `webp`/`avif` are what they say; without a
 * format, a client that accepts WebP gets WebP (imgproxy's IMGPROXY_ENABLE_WEBP_DETECTION, on in
 * the Supabase CLI), anyone else the source's format.
 */
export function outputFormat(source: ImageFormat, format: OutputFormatOption | undefined, accept: string | undefined): ImageFormat {
  if (format === 'webp' || format === 'avif') return format;
  if (format === 'origin') return source;
  if (accept && /(^|[\s,])image\/webp(\s*(;|,|$))/i.test(accept)) return 'webp';
  return source;
}
